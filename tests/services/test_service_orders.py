"""Service orders from intake to signature: the 三包 proposal and the decision, dispatch by skill and
load, timeliness, parts from the warehouse, signatures bound to the content, revisions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from desktop.db.uow import SYSTEM
from desktop.domain.base import utcnow
from desktop.domain.customers import CustomerKind
from desktop.domain.errors import PermissionDenied, ValidationError
from desktop.domain.roles import Role
from desktop.domain.sanbao import Coverage
from desktop.domain.service_orders import EngineerProfile, OrderCategory, OrderStatus, ReturnVisit
from desktop.services import customers, parts, stock
from desktop.services import service_orders as svc
from desktop.services.customers import CustomerInput, ProductInput
from desktop.services.parts import PartInput
from desktop.services.service_orders import OrderInput
from desktop.services.stock import ReceiptLine


@pytest.fixture
def desk(any_db, make_user):
    people = {name: make_user(any_db, role, name) for name, role in
              (("lina", Role.OPERATOR), ("zhang", Role.ENGINEER), ("liu", Role.ENGINEER), ("zhao", Role.WAREHOUSE))}
    with any_db.uow(SYSTEM) as uow:
        uow.session.add(EngineerProfile(user_id=people["zhang"].id, skills=["troubleshooting"], area="广东省广州市"))
        uow.session.add(EngineerProfile(user_id=people["liu"].id, skills=["installation"], area="广东省佛山市"))
        uow.commit()
    op = people["lina"].actor()
    customer = customers.create_customer(any_db, op, data=CustomerInput(kind=CustomerKind.INDIVIDUAL, name="张三丰",
                                                                        phone="13912345678", region="广东省广州市天河区"))
    bought = utcnow().astimezone().date() - timedelta(days=100)
    unit = customers.add_product(any_db, op, customer_id=customer.id, data=ProductInput(
        category="air_conditioner", model="KFR-35GW", serial_number="KFR3525001", purchase_date=bought, invoice_date=bought))
    return {k: v.actor() for k, v in people.items()} | {"customer": customer, "unit": unit, "ids": people}


def intake(db, desk, coverage=Coverage.WARRANTY):
    return svc.register_order(db, desk["lina"], branch_code="GZ01", coverage=coverage, data=OrderInput(
        customer_id=desk["customer"].id, product_id=desk["unit"].id, request="制冷效果差",
        category=OrderCategory.TROUBLESHOOTING))


def test_intake_records_the_proposal_and_the_decision(any_db, desk):
    proposal = svc.propose_coverage(any_db, desk["lina"], product_id=desk["unit"].id)
    assert proposal.coverage is Coverage.WARRANTY and "第100天" in proposal.rule
    order = intake(any_db, desk, coverage=Coverage.CHARGEABLE)
    assert order.number.startswith("FW-GZ01-") and order.contact_phone == "13912345678"
    assert (order.coverage_proposed, order.coverage_decided) == (Coverage.WARRANTY, Coverage.CHARGEABLE)
    assert "第100天" in order.coverage_rule and order.events[0][2] == "register"
    assert order.events[0][1] != "lina"  # the history names people, not their user names


def test_dispatch_ranks_by_skill_area_and_load_and_keeps_reschedules(any_db, desk):
    order = intake(any_db, desk)
    ranked = svc.rank_engineers(any_db, desk["lina"], order_id=order.id)
    assert ranked[0].user_id == desk["ids"]["zhang"].id and ranked[0].score == 5
    assert "skilled in this kind of work" in ranked[0].reasons
    when = utcnow() + timedelta(hours=3)
    order = svc.dispatch(any_db, desk["lina"], order_id=order.id, version=order.version,
                         engineer_id=desk["ids"]["zhang"].id, appointment_at=when, finish_by=when + timedelta(hours=2))
    later = when + timedelta(days=1)
    order = svc.reschedule(any_db, desk["lina"], order_id=order.id, version=order.version, appointment_at=later,
                           finish_by=later + timedelta(hours=2), reason="客户明天才在家")
    assert order.appointment_at == later and [e[2] for e in order.events] == ["register", "dispatch", "reschedule"]
    other = intake(any_db, desk)
    assert svc.rank_engineers(any_db, desk["lina"], order_id=other.id, day=later.astimezone().date())[0].open_today == 1
    with pytest.raises(PermissionDenied):
        svc.dispatch(any_db, desk["zhao"], order_id=other.id, version=other.version, engineer_id=desk["ids"]["liu"].id,
                     appointment_at=when, finish_by=later)


def test_work_parts_completion_signature_and_revision(any_db, desk):
    zhang, zhao = desk["zhang"], desk["zhao"]
    parts.create_bins(any_db, zhao, zone="A", shelves=range(1, 2), layers=range(1, 2), positions=range(1, 2))
    capacitor = parts.create_part(any_db, zhao, data=PartInput(code="CAP-35", name="启动电容", unit="个"))
    stock.receive(any_db, zhao, branch_code="GZ01", supplier_document="S", received_on=date(2026, 1, 1),
                  lines=[ReceiptLine("CAP-35", "A-01-1-01", Decimal(5))])
    order = intake(any_db, desk)
    when = utcnow() + timedelta(hours=1)
    order = svc.dispatch(any_db, desk["lina"], order_id=order.id, version=order.version,
                         engineer_id=desk["ids"]["zhang"].id, appointment_at=when, finish_by=when + timedelta(hours=3))
    with pytest.raises(PermissionDenied, match="dispatched to another engineer"):
        svc.arrive(any_db, desk["liu"], order_id=order.id, version=order.version)
    with pytest.raises(ValidationError, match="between the request's registration"):
        svc.arrive(any_db, zhang, order_id=order.id, version=order.version, at=utcnow() - timedelta(days=1))
    order = svc.arrive(any_db, zhang, order_id=order.id, version=order.version)
    slip = stock.issue(any_db, zhao, branch_code="GZ01", lines=[(capacitor.id, 2)], purpose="service_order",
                       reference=order.number, receiver="张伟")
    stock.return_to_stock(any_db, zhao, branch_code="GZ01", issue_number=slip.number, part_id=capacitor.id, quantity=1)
    with pytest.raises(ValidationError, match="Only 1 of CAP-35"):
        svc.record_parts_used(any_db, zhang, order_id=order.id, version=order.version,
                              lines=[(capacitor.id, Decimal(2), Decimal(45), "returned")])
    order = svc.record_parts_used(any_db, zhang, order_id=order.id, version=order.version,
                                  lines=[(capacitor.id, Decimal(1), Decimal(45), "scrapped")])
    with pytest.raises(ValidationError, match="Agree the fees"):
        svc.record_work(any_db, zhang, order_id=order.id, version=order.version, confirmed_need="制冷差",
                        diagnosis="电容失效", measures="更换电容", labour_fee=Decimal(80), other_fee=Decimal(0),
                        fees_agreed=False)
    order = svc.record_work(any_db, zhang, order_id=order.id, version=order.version, confirmed_need="制冷差",
                            diagnosis="电容失效", measures="更换电容", labour_fee=Decimal(80), other_fee=Decimal(0),
                            fees_agreed=True, self_check_done=True)
    order = svc.complete(any_db, zhang, order_id=order.id, version=order.version)
    assert order.status is OrderStatus.COMPLETED and order.total == Decimal("125.00")
    order = svc.sign(any_db, zhang, order_id=order.id, signer_role="engineer", signer_name="张伟",
                     strokes=[[[1, 1, 0], [5, 5, 10]]], image_png=b"\x89PNG...")
    order = svc.sign(any_db, zhang, order_id=order.id, signer_role="customer", signer_name="张三丰",
                     strokes=[[[2, 2, 0], [9, 9, 10]]], image_png=b"\x89PNG...")
    assert order.status is OrderStatus.SIGNED and len(order.signed_hash) == 64
    assert [s[0] for s in order.signatures] == ["engineer", "customer"]
    with pytest.raises(ValidationError, match="signed and cannot change"):
        svc.record_work(any_db, zhang, order_id=order.id, version=order.version, confirmed_need="", diagnosis="",
                        measures="改", labour_fee=Decimal(0), other_fee=Decimal(0), fees_agreed=True)
    with any_db.engine.connect() as conn:
        with pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text("UPDATE signatures SET signer_name = 'forged'"))
        conn.rollback()
    with any_db.session_factory() as session:
        [visit] = session.scalars(select(ReturnVisit)).all()
    assert visit.due_on == utcnow().astimezone().date() + timedelta(days=7)
    revised = svc.revise(any_db, zhang, order_id=order.id, reason="人工费写错")
    assert (revised.number, revised.revision, revised.status) == (order.number, 2, OrderStatus.COMPLETED)
    assert revised.parts == order.parts and revised.signatures == ()
    assert svc.get_order(any_db, zhang, order.id).status is OrderStatus.SIGNED  # the signed one stays


def test_an_empty_signature_or_an_unfinished_order_cannot_be_signed(any_db, desk):
    order = intake(any_db, desk)
    with pytest.raises(ValidationError, match="once the work is done"):
        svc.sign(any_db, desk["zhang"], order_id=order.id, signer_role="customer", signer_name="张三丰",
                 strokes=[[[1, 1, 0]]], image_png=b"png")
    with pytest.raises(ValidationError, match="empty"):
        svc.sign(any_db, desk["zhang"], order_id=order.id, signer_role="customer", signer_name="张三丰",
                 strokes=[], image_png=None)


def test_slip_and_sign_off_sheet(sqlite_db, make_user, tmp_path):
    from io import BytesIO

    from PIL import Image as PILImage
    from pypdf import PdfReader

    from reports.fonts import candidate_font_paths

    if not candidate_font_paths():
        pytest.skip("no CJK TrueType font (Debian: fonts-wqy-zenhei)")
    op = make_user(sqlite_db, Role.OPERATOR, "lina").actor()
    engineer = make_user(sqlite_db, Role.ENGINEER, "zhang")
    customer = customers.create_customer(sqlite_db, op, data=CustomerInput(kind=CustomerKind.INDIVIDUAL, name="张三丰",
                                                                           phone="13912345678"))
    order = svc.register_order(sqlite_db, op, branch_code="GZ01", coverage=Coverage.CHARGEABLE, data=OrderInput(
        customer_id=customer.id, request="空调不制冷", category=OrderCategory.TROUBLESHOOTING))
    when = utcnow()
    order = svc.dispatch(sqlite_db, op, order_id=order.id, version=order.version, engineer_id=engineer.id,
                         appointment_at=when + timedelta(hours=1), finish_by=when + timedelta(hours=3))
    sheet = svc.print_slip(sqlite_db, op, order_id=order.id, target=tmp_path / "signoff.pdf", branch_name="广州销售分公司",
                           blank=True)
    text = PdfReader(sheet).pages[0].extract_text()
    assert "客户签收单" in text and order.number in text and "日期" in text
    actor = engineer.actor()
    order = svc.arrive(sqlite_db, actor, order_id=order.id, version=order.version)
    order = svc.record_work(sqlite_db, actor, order_id=order.id, version=order.version, confirmed_need="不制冷",
                            diagnosis="缺氟", measures="补焊加氟", labour_fee=Decimal("1680.32"), other_fee=Decimal(0),
                            fees_agreed=True, self_check_done=True)
    order = svc.complete(sqlite_db, actor, order_id=order.id, version=order.version)
    png = BytesIO()
    PILImage.new("RGB", (300, 100), "white").save(png, "PNG")
    svc.sign(sqlite_db, actor, order_id=order.id, signer_role="customer", signer_name="张三丰",
             strokes=[[[0, 0, 0], [10, 10, 5]]], image_png=png.getvalue())
    slip = svc.print_slip(sqlite_db, op, order_id=order.id, target=tmp_path / "slip.pdf", branch_name="广州销售分公司")
    reader = PdfReader(slip)
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1 and "售后服务单" in text and "补焊加氟" in text and "139****5678" in text
    assert "人民币壹仟陆佰捌拾元叁角贰分" in text and "收费服务" in text and "分公司盖章" in text
    assert any("/Image" in str(x) or "/XObject" in str(x) for x in reader.pages[0]["/Resources"].keys())
