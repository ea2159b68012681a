"""The complaint register and tracking table (客户投诉登记追踪表): the list on screen, the counts in the
navigation, and the Excel export with the same filter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import aliased

from desktop.db.search_index import customer_matches
from desktop.db.uow import Actor, Database
from desktop.domain.base import utcnow
from desktop.domain.complaints import (
    CLOSED,
    Complaint,
    ComplaintClass,
    ComplaintCost,
    CostState,
    Status,
    channel_label,
    class_label,
    status_label,
)
from desktop.domain.customers import Customer, CustomerKind, Product
from desktop.domain.privacy import mask_name, mask_phone, normalize_query
from desktop.domain.roles import Permission
from desktop.domain.users import User
from desktop.i18n import translate
from desktop.services.access import allowed, require
from desktop.services.exports import ExportResult, Progress, export_list
from desktop.services.paging import KeysetSource, ListColumn, Sort

OPEN_STATUSES = tuple(s.value for s in Status if s not in CLOSED)

REGISTER_COLUMNS = (
    ListColumn("number", "Complaint No.", width=27),
    ListColumn("received_at", "Received at", width=21),
    ListColumn("customer", "Customer", sortable=False, width=18),
    ListColumn("product_model", "Product", width=18),
    ListColumn("classification", "Class", width=11),
    ListColumn("severity", "Severity", width=8),
    ListColumn("status", "Status", width=12),
    ListColumn("owner", "Owner", sortable=False, width=7),
    ListColumn("due_at", "Due", width=21),
    ListColumn("time_left", "Time left", sortable=False, width=14),
)

TRACKING_COLUMNS = (
    *REGISTER_COLUMNS[:3],
    ListColumn("phone", "Phone", sortable=False, width=14),
    ListColumn("channel", "Channel", sortable=False, width=8),
    REGISTER_COLUMNS[3],
    ListColumn("serial_number", "Serial No.", sortable=False, width=18),
    *REGISTER_COLUMNS[4:6],
    ListColumn("safety_hazard", "Safety hazard", sortable=False, width=6),
    ListColumn("description", "Description", sortable=False, width=40),
    ListColumn("customer_request", "Customer request", sortable=False, width=20),
    *REGISTER_COLUMNS[6:9],
    ListColumn("first_reply_at", "First reply", sortable=False, width=16),
    ListColumn("cause", "Cause", sortable=False, width=30),
    ListColumn("responsible_department", "Responsible department", sortable=False, width=14),
    ListColumn("decision", "Decision", sortable=False, width=30),
    ListColumn("closed_at", "Closed", sortable=False, width=16),
    ListColumn("costs", "Approved costs", sortable=False, width=12),
)


@dataclass(frozen=True)
class ComplaintFilter:
    search: str = ""  # number, customer (any part), serial number
    statuses: tuple[Status, ...] = ()  # empty: all
    open_only: bool = False
    overdue_only: bool = False
    classification: ComplaintClass | None = None
    owner_id: int | None = None
    received_from: date | None = None
    received_to: date | None = None  # inclusive
    # One case, one file: a customer's complaints, also those filed under duplicates merged into it.
    customer_id: int | None = None
    product_id: int | None = None  # the complaints about one installed unit
    # Exactly these complaints (the records behind a KPI figure); None: no such restriction, (): none at all.
    # `caption` names them ("Resolution rate, 2026-10") for the page's banner and the export's filter text.
    ids: tuple[int, ...] | None = None
    caption: str = ""

    def describe(self) -> str:
        parts = [f"{k}={v!r}" for k, v in self.__dict__.items()
                 if k not in ("ids", "caption") and v not in ("", (), False, None)]
        if self.ids is not None:  # the caption and how many, not thousands of ids in the audit entry
            parts.append(f"ids=<{len(self.ids)} records: {self.caption}>")
        return " ".join(parts) or "all"


@dataclass(frozen=True)
class ComplaintCounts:
    open: int
    overdue: int


def complaint_counts(db: Database, actor: Actor, *, now: datetime | None = None) -> ComplaintCounts:
    require(actor, Permission.COMPLAINT_READ)
    now = now or utcnow()
    base = select(func.count()).select_from(Complaint).where(Complaint.status.in_(OPEN_STATUSES))
    with db.read_session_factory() as session:
        return ComplaintCounts(
            open=session.scalar(base),
            overdue=session.scalar(base.where(Complaint.due_at < now)),
        )


def complaint_register(db: Database, actor: Actor, *, where: ComplaintFilter = ComplaintFilter(),
                       now: datetime | None = None) -> KeysetSource:
    return _source(db, actor, where, REGISTER_COLUMNS, now or utcnow())


def export_tracking_table(db: Database, actor: Actor, *, where: ComplaintFilter, sort: Sort, target: Path,
                          progress: Progress | None = None) -> ExportResult:
    source = _source(db, actor, where, TRACKING_COLUMNS, utcnow())
    return export_list(db, actor, source=source, sort=sort, entity="complaints", filter_text=where.describe(),
                       sheet_title=translate("Complaints", "Complaint register"), target=target, progress=progress)


def time_left_text(due: datetime | None, now: datetime) -> str:
    """'5h 20m', or '-1d 3h' when overdue; empty when nothing is due."""
    if due is None:
        return ""
    minutes = int((due - now).total_seconds() // 60)
    sign, minutes = ("-" if minutes < 0 else ""), abs(minutes)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    return sign + (translate("Complaints", "{d}d {h}h").format(d=days, h=hours) if days
                   else translate("Complaints", "{h}h {m}m").format(h=hours, m=mins))


def _source(db: Database, actor: Actor, where: ComplaintFilter, columns, now: datetime) -> KeysetSource:
    require(actor, Permission.COMPLAINT_READ)
    owner = aliased(User)
    approved_costs = (
        select(func.coalesce(func.sum(ComplaintCost.amount), 0))
        .where(ComplaintCost.complaint_id == Complaint.id, ComplaintCost.state == CostState.APPROVED.value)
        .scalar_subquery()
    )
    expressions = {
        "number": Complaint.number, "received_at": Complaint.received_at, "customer": Customer.name,
        "phone": Customer.phone, "channel": Complaint.channel, "product_model": Complaint.product_model,
        "serial_number": Complaint.serial_number, "classification": Complaint.classification,
        "severity": Complaint.severity, "safety_hazard": Complaint.safety_hazard,
        "description": Complaint.description, "customer_request": Complaint.customer_request,
        "status": Complaint.status, "owner": owner.display_name, "due_at": Complaint.due_at,
        "time_left": Complaint.due_at, "first_reply_at": Complaint.first_reply_at, "cause": Complaint.cause,
        "responsible_department": Complaint.responsible_department, "decision": Complaint.decision,
        "closed_at": Complaint.closed_at, "costs": approved_costs,
    }
    rows = (
        select(Complaint.id, Customer.kind, *(expressions[c.key] for c in columns))
        .join(Customer, Customer.id == Complaint.customer_id)
        .join(owner, owner.id == Complaint.owner_id)
    )
    rows = _filtered(rows, where, db, now)
    full = allowed(actor, Permission.PII_VIEW)
    keys = [c.key for c in columns]

    def present(values: tuple) -> tuple:
        kind, *shown = values
        row = dict(zip(keys, shown, strict=True))
        if kind == CustomerKind.INDIVIDUAL and not full:
            row["customer"] = mask_name(row["customer"])
        if "phone" in row and not full:
            row["phone"] = mask_phone(row["phone"])
        row["classification"] = class_label(row["classification"])
        row["status"] = status_label(row["status"])
        if "time_left" in row:
            row["time_left"] = time_left_text(row["time_left"], now)
        if "channel" in row:
            row["channel"] = channel_label(row["channel"])
        return tuple(row[k] for k in keys)

    sort_columns = {c.key: expressions[c.key] for c in columns if c.sortable}
    return KeysetSource(db, columns=columns, id_column=Complaint.id, select_rows=rows, sort_columns=sort_columns,
                        present=present, nullable_keys=frozenset({"due_at"}))


def _filtered(rows, where: ComplaintFilter, db: Database, now: datetime):
    if where.ids is not None:
        rows = rows.where(Complaint.id.in_(ids_literal(where.ids)))
    if where.statuses:
        rows = rows.where(Complaint.status.in_([s.value for s in where.statuses]))
    if where.open_only or where.overdue_only:
        rows = rows.where(Complaint.status.in_(OPEN_STATUSES))
    if where.overdue_only:
        rows = rows.where(Complaint.due_at < now)
    if where.classification:
        rows = rows.where(Complaint.classification == ComplaintClass(where.classification).value)
    if where.owner_id:
        rows = rows.where(Complaint.owner_id == where.owner_id)
    if where.customer_id:
        rows = rows.where(Complaint.customer_id.in_(_merged_family(where.customer_id)))
    if where.product_id:
        # Also complaints that named the unit by its serial number only (registered before it was on file).
        serial = select(Product.serial_number).where(Product.id == where.product_id).scalar_subquery()
        rows = rows.where(or_(Complaint.product_id == where.product_id,
                              and_(Complaint.product_id.is_(None), Complaint.serial_number == serial)))
    if where.received_from:
        rows = rows.where(Complaint.received_at >= _local_midnight(where.received_from))
    if where.received_to:
        rows = rows.where(Complaint.received_at < _local_midnight(where.received_to + timedelta(days=1)))
    query = normalize_query(where.search)
    if query:
        upper = query.upper()
        rows = rows.where(or_(
            Complaint.number.like(f"%{upper}%"),
            Complaint.serial_number.like(f"%{upper}%"),
            Complaint.customer_id.in_(select(Customer.id).where(*customer_matches(db, query))),
        ))
    return rows


def ids_literal(ids: tuple[int, ...]):
    """A list of ids for `IN`, written into the statement as integers rather than one bound parameter each:
    a month's records can be more ids than a statement may have parameters (PostgreSQL 65,535)."""
    return bindparam(None, [int(i) for i in ids], expanding=True, literal_execute=True)


def _merged_family(customer_id: int):
    """The customer's id and those of the duplicates merged into it, also through a chain of merges."""
    family = select(Customer.id).where(Customer.id == customer_id).cte("merged_family", recursive=True)
    family = family.union_all(select(Customer.id).where(Customer.merged_into_id == family.c.id))
    return select(family.c.id)


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone()
