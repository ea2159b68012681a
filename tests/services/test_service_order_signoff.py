"""What the order's screens need beside the core workflow: the parts the warehouse issued against an order
(less returns and reversals), the paper sign-off (the scan of the signed 客户签收单 stored as the customer's
signature), the engineer signing after the customer, and the appointment history."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import func, select

from desktop.domain.base import utcnow
from desktop.domain.customers import CustomerKind
from desktop.domain.errors import PermissionDenied, ValidationError
from desktop.domain.records import Attachment
from desktop.domain.roles import Role
from desktop.domain.sanbao import Coverage
from desktop.domain.service_orders import OrderCategory, OrderStatus, ReturnVisit, Signature
from desktop.services import customers, parts, stock
from desktop.services import service_orders as svc
from desktop.services.customers import CustomerInput
from desktop.services.parts import PartInput
from desktop.services.service_orders import OrderInput
from desktop.services.stock import ReceiptLine


@pytest.fixture
def shop(any_db, make_user):
    people = {name: make_user(any_db, role, name) for name, role in
              (("lina", Role.OPERATOR), ("zhang", Role.ENGINEER), ("zhao", Role.WAREHOUSE))}
    actors = {name: user.actor() for name, user in people.items()}
    customer = customers.create_customer(any_db, actors["lina"], data=CustomerInput(
        kind=CustomerKind.INDIVIDUAL, name="张三丰", phone="13912345678", region="广东省广州市天河区"))
    order = svc.register_order(any_db, actors["lina"], branch_code="GZ01", coverage=Coverage.CHARGEABLE, data=OrderInput(
        customer_id=customer.id, request="空调不制冷", category=OrderCategory.TROUBLESHOOTING))
    first = utcnow() + timedelta(hours=2)
    order = svc.dispatch(any_db, actors["lina"], order_id=order.id, version=order.version,
                         engineer_id=people["zhang"].id, appointment_at=first, finish_by=first + timedelta(hours=2))
    later = first + timedelta(days=1)
    order = svc.reschedule(any_db, actors["lina"], order_id=order.id, version=order.version, appointment_at=later,
                           finish_by=later + timedelta(hours=2), reason="客户出差")
    order = svc.arrive(any_db, actors["zhang"], order_id=order.id, version=order.version)
    return {"db": any_db, "order": order, "first": first, "later": later, **actors, "engineer_id": people["zhang"].id}


def stock_up(db, keeper):
    parts.create_bins(db, keeper, zone="A", shelves=range(1, 2), layers=range(1, 2), positions=range(1, 4))
    made = {code: parts.create_part(db, keeper, data=PartInput(code=code, name=name, unit="个", unit_cost=cost))
            for code, name, cost in (("CAP-35", "启动电容", Decimal("12.50")), ("FAN-10", "风扇电机", Decimal(90)))}
    stock.receive(db, keeper, branch_code="GZ01", supplier_document="S1", received_on=date(2026, 1, 1),
                  lines=[ReceiptLine("CAP-35", "A-01-1-01", Decimal(5)), ReceiptLine("FAN-10", "A-01-1-02", Decimal(2))])
    return made


def finish(shop) -> svc.OrderRecord:
    db, zhang, order = shop["db"], shop["zhang"], shop["order"]
    order = svc.record_work(db, zhang, order_id=order.id, version=order.version, confirmed_need="不制冷",
                            diagnosis="电容失效", measures="更换电容", labour_fee=Decimal(80), other_fee=Decimal(0),
                            fees_agreed=True, self_check_done=True)
    return svc.complete(db, zhang, order_id=order.id, version=order.version)


def scan(tmp_path, name="signoff.png") -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (400, 560), "white").save(buffer, "PNG")
    (tmp_path / name).write_bytes(buffer.getvalue())
    return buffer.getvalue()


def test_issued_parts_are_what_the_warehouse_issued_less_returns_and_reversals(shop):
    db, zhao, zhang, order = shop["db"], shop["zhao"], shop["zhang"], shop["order"]
    made = stock_up(db, zhao)
    cap, fan = made["CAP-35"].id, made["FAN-10"].id
    assert svc.issued_parts(db, zhang, order.id) == []
    slip = stock.issue(db, zhao, branch_code="GZ01", lines=[(cap, 3)], purpose="service_order",
                       reference=order.number, receiver="张伟")
    stock.return_to_stock(db, zhao, branch_code="GZ01", issue_number=slip.number, part_id=cap, quantity=1)
    wrong = stock.issue(db, zhao, branch_code="GZ01", lines=[(fan, 1)], purpose="service_order",
                        reference=order.number, receiver="张伟")
    stock.reverse(db, zhao, branch_code="GZ01", document_number=wrong.number, reason="开错单")
    stock.issue(db, zhao, branch_code="GZ01", lines=[(fan, 1)], purpose="service_order", reference="FW-OTHER",
                receiver="刘强")  # another order's part is not this order's
    [line] = svc.issued_parts(db, zhang, order.id)
    assert (line.code, line.name, line.unit, line.issued, line.unit_cost) == ("CAP-35", "启动电容", "个", Decimal(2),
                                                                               Decimal("12.50"))
    assert line.used is None and line.old_part is None
    with pytest.raises(ValidationError, match="Only 2 of CAP-35"):  # the same reckoning refuses more
        svc.record_parts_used(db, zhang, order_id=order.id, version=order.version,
                              lines=[(cap, Decimal(3), Decimal(20), "returned")])
    with pytest.raises(ValidationError, match="Only 0 of FAN-10"):  # the reversed slip issued nothing
        svc.record_parts_used(db, zhang, order_id=order.id, version=order.version,
                              lines=[(fan, Decimal(1), Decimal(20), "returned")])
    svc.record_parts_used(db, zhang, order_id=order.id, version=order.version,
                          lines=[(cap, Decimal(2), Decimal(20), "scrapped")])
    [line] = svc.issued_parts(db, zhang, order.id)
    assert (line.used, line.unit_price, line.old_part) == (Decimal(2), Decimal(20), "scrapped")
    with pytest.raises(PermissionDenied):
        svc.issued_parts(db, shop["zhao"], order.id)


def test_paper_signoff_is_refused_before_the_work_is_done(shop, tmp_path):
    scan(tmp_path)
    with pytest.raises(ValidationError, match="once the work is done"):
        svc.attach_paper_signoff(shop["db"], shop["zhang"], order_id=shop["order"].id, signer_name="张三丰",
                                 path=tmp_path / "signoff.png")
    with shop["db"].session_factory() as session:  # nothing was stored, not even the file
        assert session.scalar(select(func.count()).select_from(Attachment)) == 0
        assert session.scalar(select(func.count()).select_from(Signature)) == 0


def test_paper_signoff_signs_the_order_with_the_scan_and_fixes_it(shop, tmp_path):
    db, zhang = shop["db"], shop["zhang"]
    content = scan(tmp_path)
    order = finish(shop)
    expected = hashlib.sha256(svc.slip_content(order).encode()).hexdigest()
    with pytest.raises(PermissionDenied):
        svc.attach_paper_signoff(db, shop["zhao"], order_id=order.id, signer_name="张三丰", path=tmp_path / "signoff.png")
    (tmp_path / "virus.exe").write_bytes(b"MZ")
    with pytest.raises(ValidationError, match="only photos, scans"):
        svc.attach_paper_signoff(db, zhang, order_id=order.id, signer_name="张三丰", path=tmp_path / "virus.exe")
    with pytest.raises(ValidationError, match="signer's name"):
        svc.attach_paper_signoff(db, zhang, order_id=order.id, signer_name=" ", path=tmp_path / "signoff.png")

    signed = svc.attach_paper_signoff(db, zhang, order_id=order.id, signer_name=" 张三丰 ", path=tmp_path / "signoff.png")
    assert signed.status is OrderStatus.SIGNED and signed.signed_hash == expected
    assert [(role, name) for role, name, _ in signed.signatures] == [("customer", "张三丰")]
    [(role, attachment_id, filename)] = signed.paper_scans
    assert (role, filename) == ("customer", "signoff.png")
    with db.session_factory() as session:
        [row] = session.scalars(select(Signature)).all()
        assert (row.strokes, row.image_png, row.paper_attachment_id, row.content_hash) == (None, None, attachment_id,
                                                                                          expected)
        assert session.scalar(select(func.count()).select_from(ReturnVisit)) == 1
    info, data = svc.order_attachment(db, shop["lina"], order_id=order.id, attachment_id=attachment_id)
    assert data == content and info.content_type == "image/png"
    with pytest.raises(ValidationError, match="signed and cannot change"):
        svc.record_work(db, zhang, order_id=order.id, version=signed.version, confirmed_need="", diagnosis="",
                        measures="改", labour_fee=Decimal(0), other_fee=Decimal(0), fees_agreed=True)
    with pytest.raises(ValidationError, match="signed by the customer already"):
        svc.attach_paper_signoff(db, zhang, order_id=order.id, signer_name="张三丰", path=tmp_path / "signoff.png")
    with pytest.raises(ValidationError, match="signed by the customer already"):
        svc.sign(db, zhang, order_id=order.id, signer_role="customer", signer_name="张三丰",
                 strokes=[[[1, 1, 0]]], image_png=b"png")
    # The engineer signs after the customer: one more signature on the same content, nothing else changes.
    both = svc.sign(db, zhang, order_id=order.id, signer_role="engineer", signer_name="张伟",
                    strokes=[[[1, 1, 0], [4, 4, 9]]], image_png=b"\x89PNG")
    assert [s[0] for s in both.signatures] == ["customer", "engineer"] and both.version == signed.version
    with db.session_factory() as session:
        assert set(session.scalars(select(Signature.content_hash))) == {expected}
    with pytest.raises(ValidationError, match="signed by the engineer already"):
        svc.sign(db, zhang, order_id=order.id, signer_role="engineer", signer_name="张伟",
                 strokes=[[[1, 1, 0]]], image_png=b"png")
    revised = svc.revise(db, zhang, order_id=order.id, reason="签收单扫描件不清楚")
    assert revised.revision == 2 and revised.paper_scans == () and revised.latest_revision == 2
    assert svc.get_order(db, zhang, order.id).latest_revision == 2


def test_an_attachment_of_another_order_is_not_opened_through_this_one(shop, tmp_path):
    db = shop["db"]
    scan(tmp_path)
    order = finish(shop)
    signed = svc.attach_paper_signoff(db, shop["zhang"], order_id=order.id, signer_name="张三丰",
                                      path=tmp_path / "signoff.png")
    other = svc.register_order(db, shop["lina"], branch_code="GZ01", coverage=Coverage.CHARGEABLE, data=OrderInput(
        customer_id=order.customer_id, request="咨询", category=OrderCategory.CONSULTATION))
    with pytest.raises(Exception, match="No attachment"):
        svc.order_attachment(db, shop["lina"], order_id=other.id, attachment_id=signed.paper_scans[0][1])


def test_the_record_lists_every_appointment_agreed(shop):
    order, zhang = shop["order"], shop["zhang"]
    record = svc.get_order(shop["db"], zhang, order.id)
    assert [(by, at, reason) for _, by, at, reason in record.appointments] == [
        ("lina", shop["first"], ""), ("lina", shop["later"], "客户出差")]
    assert record.engineer_id == shop["engineer_id"] and record.latest_revision == 1
