"""The complaint register: filters, overdue, counts, masking and the tracking-table export."""

from __future__ import annotations

from datetime import timedelta

import openpyxl
import pytest

from desktop.domain.base import utcnow
from desktop.domain.complaints import Channel, ComplaintClass, Status
from desktop.domain.customers import CustomerKind
from desktop.domain.roles import Role
from desktop.services import complaint_list, customers
from desktop.services import complaints as svc
from desktop.services.complaint_list import ComplaintFilter
from desktop.services.complaints import ComplaintInput
from desktop.services.customers import CustomerInput, ProductInput
from desktop.services.paging import Sort


@pytest.fixture
def book(any_db, make_user):
    op = make_user(any_db, Role.OPERATOR, "lina").actor()
    zhang = customers.create_customer(any_db, op, data=CustomerInput(kind=CustomerKind.INDIVIDUAL, name="张三丰",
                                                                     phone="13912345678"))
    firm = customers.create_customer(any_db, op, data=CustomerInput(kind=CustomerKind.COMPANY, name="佛山华通精密机械有限公司"))
    customers.add_product(any_db, op, customer_id=firm.id, data=ProductInput(category="machinery", model="CK6150",
                                                                             serial_number="CK61502501"))
    now = utcnow()

    def complaint(customer, hours_ago, cls=ComplaintClass.QUALITY, **extra):
        return svc.register_complaint(any_db, op, branch_code="GZ01", data=ComplaintInput(
            customer_id=customer.id, channel=Channel.HOTLINE, description="故障", classification=cls, severity=2,
            received_at=now - timedelta(hours=hours_ago), **extra))

    old = complaint(zhang, 30)  # first reply was due 6 hours ago
    fresh = complaint(zhang, 1, cls=ComplaintClass.CONSULTATION)
    machine = complaint(firm, 2, product_id=customers.find_by_serial(any_db, op, "CK61502501").id)
    closed = complaint(firm, 50)
    closed = svc.withdraw(any_db, op, complaint_id=closed.id, version=closed.version, note="撤诉")
    return {"op": op, "old": old, "fresh": fresh, "machine": machine, "closed": closed, "now": now}


def numbers(db, actor, where=ComplaintFilter(), sort=Sort("received_at")):
    source = complaint_list.complaint_register(db, actor, where=where)
    return [row.values[0] for row in source.fetch(sort=sort, after=None, limit=50)]


def test_filters_pick_the_right_complaints(any_db, book):
    op, b = book["op"], book
    assert numbers(any_db, op) == [b["closed"].number, b["old"].number, b["machine"].number, b["fresh"].number]
    assert numbers(any_db, op, ComplaintFilter(open_only=True)) == [b["old"].number, b["machine"].number, b["fresh"].number]
    assert numbers(any_db, op, ComplaintFilter(overdue_only=True)) == [b["old"].number]
    assert numbers(any_db, op, ComplaintFilter(classification=ComplaintClass.CONSULTATION)) == [b["fresh"].number]
    assert numbers(any_db, op, ComplaintFilter(statuses=(Status.WITHDRAWN,))) == [b["closed"].number]
    assert numbers(any_db, op, ComplaintFilter(search="华通精密")) == [b["closed"].number, b["machine"].number]
    assert numbers(any_db, op, ComplaintFilter(search="佛山")) == [b["closed"].number, b["machine"].number]
    # a serial number finds the complaints about that unit, and those of its owner
    assert numbers(any_db, op, ComplaintFilter(search="ck6150")) == [b["closed"].number, b["machine"].number]
    assert numbers(any_db, op, ComplaintFilter(search=b["fresh"].number[-4:])) == [b["fresh"].number]
    today = utcnow().astimezone().date()
    assert len(numbers(any_db, op, ComplaintFilter(received_from=today - timedelta(days=5), received_to=today))) == 4


def test_counts_for_the_navigation(any_db, book):
    counts = complaint_list.complaint_counts(any_db, book["op"])
    assert (counts.open, counts.overdue) == (3, 1)


def test_sort_by_due_puts_closed_ones_last_both_ways(any_db, book):
    op, b = book["op"], book
    ascending = numbers(any_db, op, sort=Sort("due_at"))
    assert ascending[0] == b["old"].number and ascending[-1] == b["closed"].number
    source = complaint_list.complaint_register(any_db, op)
    seen, after = [], None
    while page := source.fetch(sort=Sort("due_at", descending=True), after=after, limit=1):
        seen.append(page[0].values[0])
        after = page[0].cursor
    assert seen == list(reversed(ascending))


def test_rows_show_labels_time_left_and_masked_names(any_db, book, make_user):
    engineer = make_user(any_db, Role.ENGINEER).actor()
    source = complaint_list.complaint_register(any_db, engineer, where=ComplaintFilter(overdue_only=True))
    [row] = source.fetch(sort=Sort("received_at"), after=None, limit=5)
    values = dict(zip([c.key for c in source.columns], row.values, strict=True))
    assert values["customer"] == "张**" and values["status"] == "Registered" and values["classification"] == "Quality"
    assert values["time_left"].startswith("-5h") or values["time_left"].startswith("-6h")


def test_tracking_table_export(any_db, book, make_user, tmp_path):
    admin = make_user(any_db, Role.AFTER_SALES_ADMIN).actor()
    result = complaint_list.export_tracking_table(any_db, admin, where=ComplaintFilter(open_only=True),
                                                  sort=Sort("received_at"), target=tmp_path / "t.xlsx")
    sheet = openpyxl.load_workbook(result.path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Complaint No.", "Received at", "Customer", "Phone")
    assert [r[0] for r in rows[1:]] == [book["old"].number, book["machine"].number, book["fresh"].number]
    assert rows[-1][3] == "13912345678"  # the administrator may see phones


def test_ids_show_exactly_those_complaints_beside_the_other_filters(any_db, book):
    """The records behind a KPI figure: `IN` over their ids, also more ids than a statement takes parameters."""
    op, b = book["op"], book
    where = ComplaintFilter(ids=(b["old"].id, b["closed"].id), caption="Resolution rate, 2026-10")
    assert numbers(any_db, op, where) == [b["closed"].number, b["old"].number]
    assert complaint_list.complaint_register(any_db, op, where=where).count() == 2
    assert numbers(any_db, op, ComplaintFilter(ids=where.ids, open_only=True)) == [b["old"].number]
    assert numbers(any_db, op, ComplaintFilter(ids=())) == []
    assert where.describe() == "ids=<2 records: Resolution rate, 2026-10>"
    many = (*range(10**9, 10**9 + 70_000), b["fresh"].id)
    assert numbers(any_db, op, ComplaintFilter(ids=many)) == [b["fresh"].number]
