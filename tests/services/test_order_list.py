"""The service order register: filters, overdue orders, search by number, customer, serial and phone (on the
index paths and on the walk), only the newest revision, keyset paging in every order, masking, export — on
SQLite and PostgreSQL (the search's SQL differs between them)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import update

from desktop.db import search_index
from desktop.db.uow import SYSTEM
from desktop.domain.base import utcnow
from desktop.domain.customers import CustomerKind
from desktop.domain.errors import PermissionDenied
from desktop.domain.roles import Role
from desktop.domain.sanbao import Coverage
from desktop.domain.service_orders import OrderCategory, OrderStatus, ServiceOrder, Urgency
from desktop.services import customers, order_list
from desktop.services import service_orders as svc
from desktop.services.customers import CustomerInput, ProductInput
from desktop.services.order_list import ORDER_COLUMNS, OrderFilter
from desktop.services.paging import Sort
from desktop.services.service_orders import OrderInput

KEYS = [c.key for c in ORDER_COLUMNS]


@pytest.fixture
def shop(any_db, make_user):
    people = {name: make_user(any_db, role, name) for name, role in
              (("lina", Role.OPERATOR), ("zhang", Role.ENGINEER), ("liu", Role.ENGINEER), ("wang", Role.MANAGER))}
    op = people["lina"].actor()
    zhang = customers.create_customer(any_db, op, data=CustomerInput(
        kind=CustomerKind.INDIVIDUAL, name="张三丰", phone="13912345678", region="广东省广州市天河区"))
    air = customers.add_product(any_db, op, customer_id=zhang.id, data=ProductInput(
        category="air_conditioner", model="KFR-35GW", serial_number="KFR3525001",
        invoice_date=utcnow().date() - timedelta(days=100)))
    works = customers.create_customer(any_db, op, data=CustomerInput(
        kind=CustomerKind.COMPANY, name="佛山华通精密机械有限公司", phone="075788886666", region="广东省佛山市"))
    lathe = customers.add_product(any_db, op, customer_id=works.id, data=ProductInput(
        category="machinery", model="CK6150", serial_number="CK61502501", contract_number="HT-2025-018"))
    return {k: v.actor() for k, v in people.items()} | {
        "ids": {k: v.id for k, v in people.items()}, "sanfeng": zhang, "air": air, "works": works, "lathe": lathe}


def register(db, shop, *, who="sanfeng", **fields):
    customer, unit = (shop["sanfeng"], shop["air"]) if who == "sanfeng" else (shop["works"], shop["lathe"])
    data = {"customer_id": customer.id, "product_id": unit.id, "request": "不制冷",
            "category": OrderCategory.TROUBLESHOOTING, **fields}
    return svc.register_order(db, shop["lina"], branch_code="GZ01", coverage=Coverage.WARRANTY,
                              data=OrderInput(**data))


def dispatch(db, shop, order, *, appointment_in: float, finish_in: float, engineer="zhang"):
    now = utcnow()
    return svc.dispatch(db, shop["lina"], order_id=order.id, version=order.version,
                        engineer_id=shop["ids"][engineer], appointment_at=now + timedelta(hours=appointment_in),
                        finish_by=now + timedelta(hours=finish_in))


def listed(db, actor, where=OrderFilter(), *, sort=Sort("created_at", descending=True), key="number", now=None):
    rows = order_list.order_register(db, actor, where=where, now=now).fetch(sort=sort, after=None, limit=1000)
    return [row.values[KEYS.index(key)] for row in rows] if key else rows


def test_filters_by_status_open_category_engineer_and_created_date(any_db, shop):
    op = shop["lina"]
    waiting = register(any_db, shop)
    install = register(any_db, shop, who="works", category=OrderCategory.INSTALLATION, urgency=Urgency.URGENT)
    sent = dispatch(any_db, shop, register(any_db, shop), appointment_in=2, finish_in=6, engineer="liu")
    assert listed(any_db, op) == [sent.number, install.number, waiting.number]  # the newest first
    assert listed(any_db, op, OrderFilter(statuses=(OrderStatus.DISPATCHED,))) == [sent.number]
    assert listed(any_db, op, OrderFilter(category=OrderCategory.INSTALLATION)) == [install.number]
    assert listed(any_db, op, OrderFilter(engineer_id=shop["ids"]["liu"])) == [sent.number]
    [row] = listed(any_db, op, OrderFilter(category=OrderCategory.INSTALLATION), key=None)
    shown = dict(zip(KEYS, row.values, strict=True))
    assert shown["status"] == "Registered" and shown["category"] == "Installation"
    assert shown["urgency"] == "Urgent" and shown["product"] == "CK6150 · CK61502501"
    assert shown["customer"] == "佛山华通精密机械有限公司" and shown["engineer"] == "" and shown["time_left"] == ""

    with any_db.engine.begin() as conn:  # registered on earlier days
        conn.execute(update(ServiceOrder).where(ServiceOrder.id == waiting.id)
                     .values(created_at=utcnow() - timedelta(days=10)))
        conn.execute(update(ServiceOrder).where(ServiceOrder.id == install.id)
                     .values(created_at=utcnow() - timedelta(days=3)))
    today = utcnow().astimezone().date()
    week = OrderFilter(created_from=today - timedelta(days=7), created_to=today - timedelta(days=1))
    assert listed(any_db, op, week) == [install.number]
    assert listed(any_db, op, OrderFilter(created_to=today - timedelta(days=3))) == [install.number, waiting.number]

    signed = _signed(any_db, shop, register(any_db, shop))
    assert signed.number not in listed(any_db, op, OrderFilter(open_only=True))
    assert signed.number in listed(any_db, op, OrderFilter(statuses=(OrderStatus.SIGNED,)))
    assert order_list.order_counts(any_db, op).open == 3


def test_overdue_is_a_missed_finish_time_or_a_missed_appointment_and_time_left_says_it(any_db, shop):
    op = shop["lina"]
    late_finish = dispatch(any_db, shop, register(any_db, shop), appointment_in=-5, finish_in=-1)
    no_show = dispatch(any_db, shop, register(any_db, shop), appointment_in=-0.5, finish_in=4)
    arrived = dispatch(any_db, shop, register(any_db, shop), appointment_in=-0.5, finish_in=4)
    arrived = svc.arrive(any_db, shop["zhang"], order_id=arrived.id, version=arrived.version)
    on_time = dispatch(any_db, shop, register(any_db, shop), appointment_in=3, finish_in=8)
    done_late = dispatch(any_db, shop, register(any_db, shop), appointment_in=-5, finish_in=-1)
    done_late = _completed(any_db, shop, done_late)

    overdue = set(listed(any_db, op, OrderFilter(overdue_only=True)))
    assert overdue == {late_finish.number, no_show.number}
    left = dict(zip(listed(any_db, op), listed(any_db, op, key="time_left"), strict=True))
    assert left[late_finish.number].startswith("-") and left[no_show.number].startswith("-0h")
    assert left[arrived.number].startswith("3h")  # arrived: counts down to the finish time
    assert left[on_time.number].startswith("2h")  # not there yet: counts down to the appointment
    assert left[done_late.number] == ""  # the work is done: nothing left to miss
    counts = order_list.order_counts(any_db, op)
    assert (counts.open, counts.overdue) == (5, 2)
    later = utcnow() + timedelta(hours=5)  # the arrived one's finish time passes too
    assert set(listed(any_db, op, OrderFilter(overdue_only=True), now=later)) == {
        late_finish.number, no_show.number, arrived.number, on_time.number}


@pytest.mark.parametrize("walk", [False, True], ids=["index", "walk"])
def test_search_finds_number_customer_serial_and_phones(any_db, shop, monkeypatch, walk):
    if walk:  # every text counts as frequent: SQLite checks each row's customer while walking the list
        monkeypatch.setattr(search_index, "PAGE", 0)
    op = shop["lina"]
    home = register(any_db, shop)
    caller = register(any_db, shop, contact_name="李工", contact_phone="13600001111")
    works = register(any_db, shop, who="works")
    both = {home.number, caller.number}

    def found(text):
        return set(listed(any_db, op, OrderFilter(search=text)))

    assert found(works.number) == {works.number}
    assert found(works.number.lower()) == {works.number}  # as typed, in any case
    assert found(works.number.removeprefix("FW-")) == {works.number}  # without the FW-
    assert found(works.number[:-1]) >= {works.number}  # from its start
    sequence = works.number.rsplit("-", 1)[1]  # as read out over the phone: the end of the number
    assert works.number in found(sequence) and works.number in found(str(int(sequence)))
    assert found(works.number.split("-", 2)[2]) == {works.number}  # 202611-0003
    assert found("张") == both  # one character: the start of the name
    assert found("三丰") == set()  # two characters match the start of the name only
    assert found("张三丰") == both
    assert found("华通精密") == {works.number}  # any part of the name, three characters or more
    assert found("kfr3525") == both  # the unit's serial number
    assert found("ht-2025") == {works.number}  # the contract number
    assert found("5678") == both  # any part of the customer's phone
    assert found("136000") == {caller.number}  # the order's own contact phone, from its start
    assert found("nothing like it") == set()


def test_only_the_newest_revision_is_listed_unless_asked(any_db, shop):
    op = shop["lina"]
    signed = _signed(any_db, shop, register(any_db, shop))
    revised = svc.revise(any_db, shop["zhang"], order_id=signed.id, reason="费用写错")
    rows = listed(any_db, op, key=None)
    assert [row.id for row in rows] == [revised.id]
    assert rows[0].values[KEYS.index("number")] == f"{signed.number} rev. 2"
    everything = listed(any_db, op, OrderFilter(all_revisions=True), key=None)
    assert {row.id for row in everything} == {signed.id, revised.id}
    assert listed(any_db, op, OrderFilter(search=signed.number), key=None)[0].id == revised.id
    assert order_list.order_counts(any_db, op).open == 1  # the revision waits for new signatures


@pytest.mark.parametrize("sort", [Sort("created_at", True), Sort("number"), Sort("status"), Sort("category", True),
                                  Sort("appointment_at"), Sort("appointment_at", True), Sort("finish_by")],
                         ids=lambda s: f"{s.key}{'-desc' if s.descending else ''}")
def test_pages_follow_one_another_in_every_order(any_db, shop, sort):
    for index in range(9):
        order = register(any_db, shop, who="sanfeng" if index % 2 else "works",
                         category=list(OrderCategory)[index % 3])
        if index % 3:  # some with an appointment, some without
            dispatch(any_db, shop, order, appointment_in=index % 4, finish_in=5 + index % 4)
    source = order_list.order_register(any_db, shop["wang"])
    whole = [row.id for row in source.fetch(sort=sort, after=None, limit=100)]
    paged, after = [], None
    while page := source.fetch(sort=sort, after=after, limit=2):
        paged += [row.id for row in page]
        after = page[-1].cursor
    assert paged == whole and len(whole) == 9 and source.count() == 9
    if sort.key == "appointment_at":
        empty = [row.values[KEYS.index("appointment_at")] is None for row in source.fetch(sort=sort, after=None,
                                                                                            limit=100)]
        # The orders without an appointment come last, first when descending (services/paging.py).
        assert empty == sorted(empty, reverse=sort.descending) and any(empty) and not all(empty)


def test_an_engineer_lists_own_orders_with_names_masked(any_db, shop):
    mine = dispatch(any_db, shop, register(any_db, shop), appointment_in=1, finish_in=3, engineer="zhang")
    dispatch(any_db, shop, register(any_db, shop), appointment_in=1, finish_in=3, engineer="liu")
    register(any_db, shop)
    engineer = shop["zhang"]
    assert listed(any_db, engineer) == [mine.number]
    assert listed(any_db, engineer, key="customer") == ["张**"]
    assert listed(any_db, shop["lina"], key="customer")[0] == "张三丰"  # the desk may see personal data
    assert order_list.order_counts(any_db, engineer).open == 1
    assert [name for _id, name in order_list.list_engineers(any_db, engineer)] == ["测试engineer"] * 2


def test_the_export_writes_what_the_filter_shows_and_is_logged(any_db, shop, tmp_path):
    register(any_db, shop, contact_phone="13600001111", project="华通二期")
    register(any_db, shop, who="works", category=OrderCategory.INSTALLATION)
    target = tmp_path / "orders.xlsx"
    with pytest.raises(PermissionDenied):  # the front desk does not export
        order_list.export_orders(any_db, shop["lina"], where=OrderFilter(), sort=Sort("created_at"), target=target)
    result = order_list.export_orders(any_db, shop["wang"], where=OrderFilter(category=OrderCategory.TROUBLESHOOTING),
                                      sort=Sort("created_at"), target=target)
    assert result.rows == 1 and len(result.sha256) == 64
    sheet = openpyxl.load_workbook(target).active
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert row["Phone"] == "13600001111" and row["Project / contract"] == "华通二期"
    assert row["Coverage"] == "In warranty: free repair" and row["Customer"] == "张三丰"


def _completed(db, shop, order):
    engineer = shop["zhang"]
    if order.status == OrderStatus.REGISTERED:
        order = dispatch(db, shop, order, appointment_in=-1, finish_in=2)
    order = svc.arrive(db, engineer, order_id=order.id, version=order.version)
    order = svc.record_work(db, engineer, order_id=order.id, version=order.version, confirmed_need="", diagnosis="",
                            measures="更换电容", labour_fee=Decimal(0), other_fee=Decimal(0), fees_agreed=True,
                            self_check_done=True)
    return svc.complete(db, engineer, order_id=order.id, version=order.version)


def _signed(db, shop, order):
    order = _completed(db, shop, order)
    return svc.sign(db, shop["zhang"], order_id=order.id, signer_role="customer", signer_name="张三丰",
                    strokes=[[[1, 1, 0], [5, 5, 9]]], image_png=b"\x89PNG")


def test_the_list_needs_the_permission(sqlite_db, make_user):
    keeper = make_user(sqlite_db, Role.WAREHOUSE, "zhao").actor()
    with pytest.raises(PermissionDenied):
        order_list.order_register(sqlite_db, keeper)
    with pytest.raises(PermissionDenied):
        order_list.order_counts(sqlite_db, keeper)
    assert SYSTEM.is_system and order_list.order_counts(sqlite_db, SYSTEM).open == 0


def test_ids_show_exactly_those_orders_as_their_newest_revision(any_db, shop):
    """The records behind a KPI figure are first revisions (a KPI counts an order once); the list shows each
    as the revision the desk works on. `IN` over the ids, also more than a statement takes parameters."""
    op = shop["lina"]
    signed = _signed(any_db, shop, register(any_db, shop))
    revised = svc.revise(any_db, shop["zhang"], order_id=signed.id, reason="费用写错")
    waiting = register(any_db, shop)
    register(any_db, shop, who="works")  # not asked for
    where = OrderFilter(ids=(signed.id, waiting.id), caption="Fix rate, 2026-10")
    assert [row.id for row in listed(any_db, op, where, key=None)] == [waiting.id, revised.id]
    assert order_list.order_register(any_db, op, where=where).count() == 2
    assert {row.id for row in listed(any_db, op, OrderFilter(ids=where.ids, all_revisions=True), key=None)} == {
        signed.id, revised.id, waiting.id}
    assert listed(any_db, op, OrderFilter(ids=where.ids, statuses=(OrderStatus.REGISTERED,))) == [waiting.number]
    assert listed(any_db, op, OrderFilter(ids=())) == []
    assert where.describe() == "ids=<2 records: Fix rate, 2026-10>"
    many = (*range(10**9, 10**9 + 70_000), waiting.id)
    assert listed(any_db, op, OrderFilter(ids=many)) == [waiting.number]
