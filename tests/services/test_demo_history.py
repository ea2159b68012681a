"""The large demo's five years of history (desktop/services/demo_history.py), made small: every month has
orders and complaints, every record's times follow its workflow, the stock ledger still equals the balances,
and the services number on after the history."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, or_, select

from desktop.db.uow import SYSTEM
from desktop.domain.complaints import Complaint, ComplaintEvent, Status
from desktop.domain.kpi import month_of, months_ending
from desktop.domain.service_orders import OrderStatus, ReturnVisit, ServiceOrder, Signature
from desktop.domain.users import User
from desktop.domain.warehouse import StockDocument
from desktop.services import demo, demo_history, kpi, stock
from desktop.services.demo import DemoCancelled, load_demo


@pytest.fixture
def small_history(monkeypatch):
    monkeypatch.setitem(demo.SIZES, "large", 1_500)
    monkeypatch.setattr(demo_history, "ORDERS_PER_YEAR", 1_200)
    monkeypatch.setattr(demo_history, "COMPLAINTS_PER_YEAR", 240)
    monkeypatch.setattr(demo_history, "PRODUCT_POOL_EVERY", 2)


def test_five_years_of_consistent_history(any_db, small_history):
    steps = []
    summary = load_demo(any_db, size="large", progress=lambda done, total, what: steps.append(what) or True)
    assert "Service order history" in steps
    now = datetime.now(UTC)
    with any_db.session_factory() as session:
        history = select(ServiceOrder).where(ServiceOrder.created_at < now - timedelta(days=2))
        orders = session.scalars(history).all()
        complaints = session.scalars(select(Complaint)).all()
        signed_orders = {o.id for o in orders if o.status == OrderStatus.SIGNED}
        order_visits = set(session.scalars(select(ReturnVisit.order_id).where(ReturnVisit.order_id.is_not(None))))
        customer_signed = set(session.scalars(select(Signature.order_id).where(Signature.signer_role == "customer")))
        closed_with_answer = {c.id for c in complaints if c.status in (Status.CLOSED_RESOLVED, Status.CLOSED_UNRESOLVED)}
        complaint_visits = set(session.scalars(select(ReturnVisit.complaint_id).where(ReturnVisit.complaint_id.is_not(None))))
        visit_complaints = session.scalar(select(func.count()).select_from(ReturnVisit)
                                          .where(ReturnVisit.follow_up_complaint_id.is_not(None)))
        events = dict(session.execute(select(ComplaintEvent.complaint_id, func.count()).group_by(ComplaintEvent.complaint_id)).all())
        engineers = session.scalar(select(func.count()).select_from(User).where(User.role == "engineer"))
        issues = session.scalar(select(func.count()).select_from(StockDocument).where(StockDocument.purpose == "service_order",
                                                                                    StockDocument.reference.in_(
                                                                                        select(ServiceOrder.number))))
    # About the volumes asked for (1,200 orders and some 300 complaints a year for five years).
    assert 4_800 < summary.orders < 7_500 and 1_000 < len(complaints) < 2_200
    assert engineers == 12 and len(summary.users) == 18
    # Every month of the five years has orders and complaints.
    order_months = Counter(month_of(o.created_at.astimezone().date()) for o in orders)
    complaint_months = Counter(month_of(c.received_at.astimezone().date()) for c in complaints)
    for period in months_ending(now.astimezone().date(), 59)[:-1]:
        assert order_months[period] > 0 and complaint_months[period] > 0, period
    # Every state, and the steps in the order of the workflow.
    assert {c.status for c in complaints} >= {Status.CLOSED_RESOLVED, Status.CLOSED_UNRESOLVED, Status.NOT_ACCEPTED,
                                              Status.WITHDRAWN, Status.DUPLICATE}
    assert {o.status for o in orders} >= {OrderStatus.SIGNED, OrderStatus.CANCELLED, OrderStatus.COMPLETED}
    assert any(o.revision == 2 for o in orders)
    for c in complaints:
        times = [t for t in (c.received_at, c.first_reply_at, c.assessed_at, c.accepted_at) if t is not None]
        assert times == sorted(times), c.number
        assert c.closed_at is None or c.closed_at >= times[-1]
        assert (c.closed_at is None) == Status(c.status).is_open
        if c.received_at < now - timedelta(days=21):  # the history's, not the demo's service-made ones
            assert events[c.id] == c.version, c.number  # registration plus one event per step
    for o in orders:
        if o.revision == 1 and o.arrived_at is not None:
            assert o.created_at < o.appointment_at < o.finish_by and o.arrived_at > o.created_at
            assert o.finished_at is None or o.finished_at > o.arrived_at
    # A signed order has the customer's signature and a return visit; a closed complaint its visit; the
    # dissatisfied visits opened complaints.
    assert signed_orders <= customer_signed and signed_orders <= order_visits
    assert closed_with_answer <= complaint_visits and visit_complaints > 0
    # Parts were issued against orders, and the ledger still equals the balances.
    assert issues > 100
    assert stock.ledger_differences(any_db) == []
    # An old month reads like a branch's month.
    report = kpi.kpi_report(any_db, SYSTEM, period=months_ending(now.astimezone().date(), 30)[0])
    for key in ("satisfaction_rate", "complaint_rate", "repair_timeliness_rate", "resolution_rate", "parts_value"):
        assert report.figure(key).value, key


def test_history_numbers_go_on_where_the_services_continue(any_db, small_history):
    load_demo(any_db, size="large")
    with any_db.session_factory() as session:
        month = f"{datetime.now().astimezone():%Y%m}"
        numbers = session.scalars(select(Complaint.number).where(Complaint.number.like(f"TS-GZ01-{month}-%"))).all()
        orders = session.scalars(select(ServiceOrder.number).where(ServiceOrder.number.like(f"FW-GZ01-{month}-%"),
                                                                   ServiceOrder.revision == 1)).all()
        duplicate_documents = session.execute(select(StockDocument.number).group_by(StockDocument.number)
                                              .having(func.count() > 1)).all()
    # The demo's complaints and orders (made through the services after the history) numbered on.
    assert len(numbers) == len(set(numbers)) and len(orders) == len(set(orders))
    assert max(int(n.rsplit("-", 1)[1]) for n in orders) == len(orders)
    assert duplicate_documents == []


def test_a_cancelled_history_leaves_the_database_empty(sqlite_db, small_history):
    def progress(done, total, what):
        return not (what == "Service order history" and done == 10)

    with pytest.raises(DemoCancelled):
        load_demo(sqlite_db, size="large", progress=progress)
    with sqlite_db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 0
        assert session.scalar(select(func.count()).select_from(ServiceOrder)) == 0
        assert session.scalar(select(func.count()).select_from(Complaint).where(or_(Complaint.id > 0))) == 0
