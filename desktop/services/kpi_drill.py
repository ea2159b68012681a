"""The records behind a KPI figure: `drill_rows` applies a Drill (desktop/domain/kpi.py) and returns the rows
— the reference meaning of every drill filter key (the vocabulary is listed in desktop/services/kpi.py), for
the workbook's sheets, and for list pages to check their own mapping against. Its predicates are the same
ones the figures are counted with (desktop/services/kpi_queries.py), so the rows are exactly the figure's.

Personal data follows the lists' rule: individuals' names are masked for roles without pii.view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import BigInteger, and_, cast, func, or_, select, type_coerce
from sqlalchemy.orm import aliased

from desktop.db.uow import Actor, Database
from desktop.domain.base import utcnow
from desktop.domain.complaints import (
    Complaint,
    ComplaintCost,
    CostState,
    bearer_label,
    class_label,
    cost_kind_label,
    status_label,
)
from desktop.domain.customers import Customer, CustomerKind
from desktop.domain.kpi import Column, Drill, local_midnight
from desktop.domain.privacy import mask_name
from desktop.domain.roles import Permission
from desktop.domain.service_orders import OrderStatus, ReturnVisit, ServiceOrder, category_label, order_status_label
from desktop.domain.users import User
from desktop.i18n import translate
from desktop.domain.warehouse import Part, StockMovement, kind_label
from desktop.services import kpi_queries as q
from desktop.services.access import allowed, require
from desktop.services.branch_settings import time_limits

LISTS = ("complaints", "costs", "orders", "visits", "movements")
_READ = {
    "complaints": Permission.COMPLAINT_READ,
    "costs": Permission.COMPLAINT_READ,
    "orders": Permission.ORDER_READ,
    "visits": Permission.ORDER_READ,
    "movements": Permission.STOCK_READ,
}


@dataclass(frozen=True)
class DrillTable:
    list: str
    columns: tuple[Column, ...]
    ids: tuple[int, ...]  # complaint, cost line, order, visit or movement ids, in the rows' order
    rows: tuple[tuple, ...]  # one value per column: str, int, Decimal, date or datetime (aware), or None
    total: int  # every matching record, also when `limit` shortened the rows


def drill_rows(db: Database, actor: Actor, drill: Drill, *, limit: int | None = None,
               now: datetime | None = None) -> DrillTable:
    """The records a drill opens, oldest first. Needs kpi.read and the list's own read permission."""
    require(actor, Permission.KPI_READ)
    if drill.list not in LISTS:
        raise ValueError(f"unknown drill list {drill.list!r}")
    require(actor, _READ[drill.list])
    builder = {"complaints": _complaints, "costs": _costs, "orders": _orders, "visits": _visits,
               "movements": _movements}[drill.list]
    keys = dict(drill.filter)
    with q.snapshot(db) as session:
        columns, query, present = builder(keys, session, now or utcnow(), allowed(actor, Permission.PII_VIEW))
        if keys:
            raise ValueError(f"unknown {drill.list} drill filter keys: {sorted(keys)}")
        total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
        if limit is not None:
            query = query.limit(limit)
        fetched = session.execute(query).all()
    return DrillTable(drill.list, columns, tuple(row[0] for row in fetched), tuple(present(row[1:]) for row in fetched),
                      int(total))


# -- filters ----------------------------------------------------------------------------------------------


def _day_range(column, keys: dict, prefix: str) -> list:
    """`<prefix>_from` / `<prefix>_to` (inclusive local days) as a range on an instant column."""
    conditions = []
    first: date | None = keys.pop(f"{prefix}_from", None)
    last: date | None = keys.pop(f"{prefix}_to", None)
    if first is not None:
        conditions.append(column >= local_midnight(first))
    if last is not None:
        conditions.append(column < local_midnight(last + timedelta(days=1)))
    return conditions


def _age(column, reference: datetime, age_days) -> list:
    first, last = age_days
    conditions = [column <= reference - timedelta(days=first)]
    if last is not None:
        conditions.append(column > reference - timedelta(days=last + 1))
    return conditions


def _open_at(open_conditions, overdue_of, age_column, keys: dict) -> list:
    """open_at / overdue_at (an instant) and age_days ((first, last or None) whole days at that instant)."""
    conditions = []
    open_at, overdue_at = keys.pop("open_at", None), keys.pop("overdue_at", None)
    age_days = keys.pop("age_days", None)
    reference = overdue_at or open_at
    if reference is not None:
        still_open, closed_later = open_conditions(reference)
        conditions.append(or_(and_(*still_open), and_(*closed_later)))
    if overdue_at is not None:
        conditions.append(overdue_of(overdue_at))
    if age_days is not None:
        if reference is None:
            raise ValueError("age_days needs open_at or overdue_at")
        conditions += _age(age_column, reference, age_days)
    return conditions


def _customer(name: str, kind: str, full: bool) -> str:
    return mask_name(name) if kind == CustomerKind.INDIVIDUAL and not full else name


def _complaints(keys: dict, session, now: datetime, full: bool):
    c = Complaint
    conditions = _day_range(c.received_at, keys, "received") + _day_range(c.closed_at, keys, "closed")
    if "statuses" in keys:
        conditions.append(c.status.in_([str(s) for s in keys.pop("statuses")]))
    for key, column in (("owner_id", c.owner_id), ("classification", c.classification),
                        ("product_model", c.product_model)):
        if key in keys:
            conditions.append(column == keys.pop(key))
    if "replied_before" in keys:
        conditions += [c.first_reply_at.is_not(None), c.first_reply_at < keys.pop("replied_before")]
    if keys.pop("open_only", False):
        conditions.append(c.status.in_(q.OPEN_COMPLAINT))
    if keys.pop("overdue_only", False):
        conditions += [c.status.in_(q.OPEN_COMPLAINT), c.due_at < now]
    limits = time_limits(session)
    conditions += _open_at(q.complaint_open_conditions, lambda at: q.complaint_overdue_at(at, limits), c.received_at,
                           keys)
    columns = (
        Column("number", translate("Kpi", "Complaint No."), "text"),
        Column("received_at", translate("Kpi", "Received at"), "text"),
        Column("customer", translate("Kpi", "Customer"), "text"),
        Column("product_model", translate("Kpi", "Product"), "text"),
        Column("classification", translate("Kpi", "Class"), "text"),
        Column("status", translate("Kpi", "Status"), "text"),
        Column("first_reply_at", translate("Kpi", "First reply"), "text"),
        Column("closed_at", translate("Kpi", "Closed"), "text"),
    )
    query = (select(c.id, c.number, c.received_at, Customer.name, Customer.kind, c.product_model, c.classification,
                    c.status, c.first_reply_at, c.closed_at)
             .join(Customer, Customer.id == c.customer_id).where(*conditions).order_by(c.received_at, c.id))

    def present(r):
        number, received, name, kind, model, classification, status, replied, closed = r
        return (number, received, _customer(name, kind, full), model, class_label(classification), status_label(status),
                replied, closed)

    return columns, query, present


def _costs(keys: dict, session, now: datetime, full: bool):
    k = ComplaintCost
    conditions = [k.state == CostState.APPROVED.value, *_day_range(k.approved_at, keys, "approved")]
    for key, column in (("bearer", k.bearer), ("allocation_department", k.allocation_department),
                        ("owner_id", Complaint.owner_id)):
        if key in keys:
            conditions.append(column == keys.pop(key))
    columns = (
        Column("complaint", translate("Kpi", "Complaint No."), "text"),
        Column("kind", translate("Kpi", "Cost"), "text"),
        Column("bearer", translate("Kpi", "Borne by"), "text"),
        Column("allocation_department", translate("Kpi", "Allocation department"), "text"),
        Column("amount", translate("Kpi", "Amount"), "CNY"),
        Column("approved_at", translate("Kpi", "Approved at"), "text"),
    )
    cents = cast(func.round(k.amount * 100), BigInteger)
    query = (select(k.id, Complaint.number, k.kind, k.bearer, k.allocation_department, cents, k.approved_at)
             .join(Complaint, Complaint.id == k.complaint_id).where(*conditions).order_by(k.approved_at, k.id))

    def present(r):
        number, kind, bearer, department, amount, approved = r
        return number, cost_kind_label(kind), bearer_label(bearer), department, Decimal(int(amount)) / 100, approved

    return columns, query, present


def _orders(keys: dict, session, now: datetime, full: bool):
    o = ServiceOrder
    conditions = [ServiceOrder.revision == 1]
    for prefix, column in (("created", o.created_at), ("finished", o.finished_at), ("arrived", o.arrived_at)):
        conditions += _day_range(column, keys, prefix)
    if "due_from" in keys or "due_before" in keys:
        conditions.append(o.status != OrderStatus.CANCELLED.value)
        if "due_from" in keys:
            conditions.append(o.finish_by >= local_midnight(keys.pop("due_from")))
        if "due_before" in keys:
            conditions.append(o.finish_by < keys.pop("due_before"))
    if "finished_before" in keys:
        conditions += [o.finished_at.is_not(None), o.finished_at < keys.pop("finished_before")]
    if "categories" in keys:
        conditions.append(q.unindexed(o.category).in_([str(c) for c in keys.pop("categories")]))
    if "statuses" in keys:
        conditions.append(o.status.in_([str(s) for s in keys.pop("statuses")]))
    if "engineer_id" in keys:
        conditions.append(q.unindexed(o.engineer_id) == keys.pop("engineer_id"))
    if keys.pop("on_time", False):
        conditions.append(q.on_time())
    if keys.pop("first_time_fix", False):
        conditions.append(o.first_time_fix.is_(True))
    conditions += _open_at(q.order_open_conditions, q.order_overdue_at, o.created_at, keys)
    engineer = aliased(User)
    columns = (
        Column("number", translate("Kpi", "Order No."), "text"),
        Column("category", translate("Kpi", "Category"), "text"),
        Column("status", translate("Kpi", "Status"), "text"),
        Column("customer", translate("Kpi", "Customer"), "text"),
        Column("engineer", translate("Kpi", "Engineer"), "text"),
        Column("created_at", translate("Kpi", "Created"), "text"),
        Column("appointment_at", translate("Kpi", "Appointment"), "text"),
        Column("arrived_at", translate("Kpi", "Arrived"), "text"),
        Column("finish_by", translate("Kpi", "Finish by"), "text"),
        Column("finished_at", translate("Kpi", "Finished"), "text"),
        Column("first_time_fix", translate("Kpi", "First-time fix"), "text"),
    )
    query = (select(o.id, o.number, o.category, o.status, Customer.name, Customer.kind, engineer.display_name,
                    o.created_at, o.appointment_at, o.arrived_at, o.finish_by, o.finished_at, o.first_time_fix)
             .join(Customer, Customer.id == o.customer_id).outerjoin(engineer, engineer.id == o.engineer_id)
             .where(*conditions).order_by(o.created_at, o.id))

    def present(r):
        number, category, status, name, kind, engineer_name, *times, fixed = r
        return (number, category_label(category), order_status_label(status), _customer(name, kind, full),
                engineer_name or "", *times, fixed)

    return columns, query, present


def _visits(keys: dict, session, now: datetime, full: bool):
    v = ReturnVisit
    conditions = _day_range(v.done_at, keys, "done")
    if "due_from" in keys:
        conditions.append(v.due_on >= keys.pop("due_from"))
    if "due_to" in keys:
        conditions.append(v.due_on <= keys.pop("due_to"))
    if keys.pop("scored", False):
        conditions.append(v.score.is_not(None))
    if "min_score" in keys:
        conditions.append(v.score >= keys.pop("min_score"))
    if "made_before" in keys:
        conditions += [v.done_at.is_not(None), v.done_at < keys.pop("made_before")]
    if "engineer_id" in keys:
        conditions.append(q.unindexed(ServiceOrder.engineer_id) == keys.pop("engineer_id"))
    columns = (
        Column("due_on", translate("Kpi", "Due"), "text"),
        Column("done_at", translate("Kpi", "Made"), "text"),
        Column("score", translate("Kpi", "Score"), "score"),
        Column("customer", translate("Kpi", "Customer"), "text"),
        Column("order", translate("Kpi", "Order No."), "text"),
        Column("comments", translate("Kpi", "Comments"), "text"),
    )
    query = (select(v.id, v.due_on, v.done_at, v.score, Customer.name, Customer.kind, ServiceOrder.number, v.comments)
             .join(Customer, Customer.id == v.customer_id).outerjoin(ServiceOrder, ServiceOrder.id == v.order_id)
             .where(*conditions).order_by(v.due_on, v.id))

    def present(r):
        due, done, score, name, kind, number, comments = r
        return due, done, score, _customer(name, kind, full), number or "", comments

    return columns, query, present


def _movements(keys: dict, session, now: datetime, full: bool):
    if not keys.pop("consumption", False) or "at_from" not in keys or "at_to" not in keys:
        raise ValueError("a movements drill needs consumption=True, at_from and at_to")
    start = local_midnight(keys.pop("at_from"))
    end = local_midnight(keys.pop("at_to") + timedelta(days=1))
    engineer_id = keys.pop("engineer_id", None)
    m = StockMovement
    hundredths = type_coerce(m.quantity, BigInteger)
    cents = cast(func.round(m.unit_cost * 100), BigInteger)
    query = (q.consumption_select(lambda document: [m.id, document.number, m.kind, m.at, Part.code, Part.name,
                                                    Part.unit, -hundredths, cents], engineer_id, start, end,
                                  with_document=True)
             .join(Part, Part.id == m.part_id)
             .order_by(m.at, m.id))
    if "part_id" in keys:
        query = query.where(m.part_id == keys.pop("part_id"))
    columns = (
        Column("document", translate("Kpi", "Document"), "text"),
        Column("kind", translate("Kpi", "Movement"), "text"),
        Column("at", translate("Kpi", "At"), "text"),
        Column("part", translate("Kpi", "Part"), "text"),
        Column("unit", translate("Kpi", "Unit"), "text"),
        Column("quantity", translate("Kpi", "Quantity consumed"), "count"),
        Column("unit_cost", translate("Kpi", "Unit cost"), "CNY"),
        Column("value", translate("Kpi", "Value"), "CNY"),
    )

    def present(r):
        number, kind, at, code, name, unit, quantity, unit_cents = r
        value = (Decimal(int(quantity) * int(unit_cents)) / 10000).quantize(Decimal("0.01"))
        return (number, kind_label(kind), at, f"{code} {name}", unit, Decimal(int(quantity)) / 100,
                Decimal(int(unit_cents)) / 100, value)

    return columns, query, present
