"""The service order register (售后服务单): the list on screen, the counts in the navigation, and the Excel
export with the same filter.

Only the newest revision of each number is listed unless asked: a correction after signing is a new
revision with the same number (services/service_orders.revise), and the desk works on that one.

Overdue means a commitment to the customer was missed: the committed finish time passed while the work is
not done, or the appointment passed and the engineer has not arrived. "Time left" counts down to the next
such commitment (the appointment until the engineer arrives, then the finish time), so a row is red exactly
when the overdue filter would list it.

Who does not dispatch (the engineers) lists only the orders dispatched to them (domain.md §1: "own orders").

Search, kept on indexes at any size:
- the order number from its start (what is read off the slip or scanned from its QR code; "FW-" may be left
  out): a range on the (number, id) index; and its end as people read it out ("19", "0019": this month's or
  last month's; "202611-0019"): the full numbers looked up on the same index;
- the contact phone of the order from its start (the caller's number as the phone shows it): a range on its
  index;
- the customer through the customers' own search index (services/customers, db/search_index): any part of
  names, phones, serial and contract numbers of their units, three characters or more; one or two match the
  start of the name. A rare text gives few customers, and the list reads the orders of just those (their
  index) beside the two ranges above. A text found in most customers (a model, a phone prefix) is instead
  checked on each row's customer while the list walks its own order, which fills a page soonest then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select, union
from sqlalchemy.orm import aliased

from desktop.db import search_index
from desktop.db.search_index import customer_matches
from desktop.db.uow import Actor, Database
from desktop.domain.base import utcnow
from desktop.domain.customers import Customer, CustomerKind, Product
from desktop.domain.privacy import mask_name, mask_phone, normalize_query
from desktop.domain.roles import Permission, Role
from desktop.domain.sanbao import Coverage
from desktop.domain.service_orders import (
    OrderCategory,
    OrderStatus,
    ServiceOrder,
    Urgency,
    category_label,
    coverage_label,
    order_status_label,
    urgency_label,
)
from desktop.domain.users import User
from desktop.i18n import translate
from desktop.services.access import allowed, require
from desktop.services.complaint_list import ids_literal, time_left_text
from desktop.services.exports import ExportResult, Progress, export_list
from desktop.services.paging import KeysetSource, ListColumn, Sort

OPEN_STATUSES = tuple(s.value for s in OrderStatus if s not in (OrderStatus.SIGNED, OrderStatus.CANCELLED))
# The work is not done yet: only these can miss the appointment or the finish time.
RUNNING_STATUSES = (OrderStatus.REGISTERED.value, OrderStatus.DISPATCHED.value, OrderStatus.ON_SITE.value)

ORDER_COLUMNS = (
    ListColumn("number", "Order No.", width=25, searched=True),
    ListColumn("status", "Status", width=10),
    ListColumn("customer", "Customer", sortable=False, width=14, searched=True),
    ListColumn("product", "Product", sortable=False, width=24, searched=True),
    ListColumn("engineer", "Engineer", sortable=False, width=8),
    ListColumn("appointment_at", "Appointment", width=16),
    ListColumn("finish_by", "Finish by", width=16),
    ListColumn("time_left", "Time left", sortable=False, width=10),
    ListColumn("category", "Category", width=16),
    ListColumn("urgency", "Urgency", sortable=False, width=9),
    ListColumn("created_at", "Created", width=16),
)

EXPORT_COLUMNS = (
    *ORDER_COLUMNS[:3],
    ListColumn("contact", "Contact", sortable=False, width=10),
    ListColumn("phone", "Phone", sortable=False, width=14),
    ListColumn("project", "Project / contract", sortable=False, width=16),
    ORDER_COLUMNS[3],
    ListColumn("request", "Request", sortable=False, width=40),
    ListColumn("coverage", "Coverage", sortable=False, width=18),
    *ORDER_COLUMNS[4:8],
    ListColumn("arrived_at", "Arrived", sortable=False, width=16),
    ListColumn("finished_at", "Finished", sortable=False, width=16),
    *ORDER_COLUMNS[8:],
)

_TOP = "\U0010ffff"  # above every character: [text, text + _TOP) is "starts with text" as a range


@dataclass(frozen=True)
class OrderFilter:
    search: str = ""  # order number, customer (names, phones, serial and contract numbers), contact phone
    statuses: tuple[OrderStatus, ...] = ()  # empty: all
    open_only: bool = False  # neither signed nor cancelled
    overdue_only: bool = False
    category: OrderCategory | None = None
    engineer_id: int | None = None
    created_from: date | None = None
    created_to: date | None = None  # inclusive
    customer_id: int | None = None  # one customer's orders (one case, one file)
    all_revisions: bool = False  # also the revisions a correction replaced
    # Exactly these orders (the records behind a KPI figure), each listed as the newest revision of its number:
    # a KPI counts an order once, as its first revision, while the desk works on the newest. None: no such
    # restriction, (): none at all. `caption` names them for the page's banner and the export's filter text.
    ids: tuple[int, ...] | None = None
    caption: str = ""

    def describe(self) -> str:
        parts = [f"{k}={v!r}" for k, v in self.__dict__.items()
                 if k not in ("ids", "caption") and v not in ("", (), False, None)]
        if self.ids is not None:  # the caption and how many, not thousands of ids in the audit entry
            parts.append(f"ids=<{len(self.ids)} records: {self.caption}>")
        return " ".join(parts) or "all"


@dataclass(frozen=True)
class OrderCounts:
    open: int
    overdue: int


def number_text(number: str, revision: int) -> str:
    """The number as people quote it: FW-GZ01-202611-0007, and "rev. 2" once it was corrected."""
    if revision <= 1:
        return number
    return translate("Orders", "{number} rev. {revision}").format(number=number, revision=revision)


def pending_deadline(status: str, appointment_at: datetime | None, arrived_at: datetime | None,
                     finish_by: datetime | None) -> datetime | None:
    """The next commitment to the customer: the appointment until the engineer arrives, the finish time until
    the work is done; None once it is done (or cancelled)."""
    if status not in RUNNING_STATUSES:
        return None
    due = [moment for moment in (appointment_at if arrived_at is None else None, finish_by) if moment is not None]
    return min(due) if due else None


def order_counts(db: Database, actor: Actor, *, now: datetime | None = None) -> OrderCounts:
    """Open and overdue orders (the user's own for an engineer), cheap to refresh: one statement over the
    open orders the status index finds. (Counting the overdue ones in a WHERE of their own, SQLite searched
    the indexes of the deadlines instead, past which nearly every order of the years lies: 66 ms on the large
    demo instead of 2.)"""
    require(actor, Permission.ORDER_READ)
    now = now or utcnow()
    counts = _visible(select(func.count(), func.count(case((_overdue(now), 1)))).select_from(ServiceOrder),
                      actor).where(ServiceOrder.status.in_(OPEN_STATUSES))
    with db.read_session_factory() as session:
        open_orders, overdue = session.execute(counts).one()
    return OrderCounts(open=open_orders, overdue=overdue)


def list_engineers(db: Database, actor: Actor) -> list[tuple[int, str]]:
    """(id, display name) of the service engineers, active ones first, for the engineer filter."""
    require(actor, Permission.ORDER_READ)
    with db.session_factory() as session:
        rows = session.execute(select(User.id, User.display_name).where(User.role == Role.ENGINEER.value)
                               .order_by(User.is_active.desc(), User.display_name, User.id))
        return [(user_id, name) for user_id, name in rows]


def order_register(db: Database, actor: Actor, *, where: OrderFilter = OrderFilter(),
                   now: datetime | None = None) -> KeysetSource:
    return _source(db, actor, where, ORDER_COLUMNS, now or utcnow())


def export_orders(db: Database, actor: Actor, *, where: OrderFilter, sort: Sort, target: Path,
                  progress: Progress | None = None) -> ExportResult:
    source = _source(db, actor, where, EXPORT_COLUMNS, utcnow())
    return export_list(db, actor, source=source, sort=sort, entity="service_orders", filter_text=where.describe(),
                       sheet_title=translate("Orders", "Service orders"), target=target, progress=progress)


# -- the query -------------------------------------------------------------------------------------------


def _source(db: Database, actor: Actor, where: OrderFilter, columns, now: datetime) -> KeysetSource:
    require(actor, Permission.ORDER_READ)
    o = ServiceOrder
    engineer = aliased(User)
    raw = {  # what a row is presented from, by name
        "number": o.number, "revision": o.revision, "status": o.status, "category": o.category,
        "urgency": o.urgency, "customer": Customer.name, "kind": Customer.kind, "model": Product.model,
        "serial": Product.serial_number, "engineer": engineer.display_name, "appointment_at": o.appointment_at,
        "arrived_at": o.arrived_at, "finish_by": o.finish_by, "created_at": o.created_at,
    }
    if len(columns) > len(ORDER_COLUMNS):  # the export's columns
        raw |= {"contact": o.contact_name, "phone": o.contact_phone, "project": o.project, "request": o.request,
                "coverage": o.coverage_decided, "finished_at": o.finished_at}
    names = list(raw)
    rows = (
        select(o.id, *raw.values())
        .join(Customer, Customer.id == o.customer_id)
        .outerjoin(Product, Product.id == o.product_id)
        .outerjoin(engineer, engineer.id == o.engineer_id)
    )
    conditions = _conditions(where, db, now)
    rows = _visible(rows, actor).where(*conditions)
    # Counted without the unit and the engineer, which never change how many rows there are.
    count = _visible(select(func.count()).select_from(o), actor).where(*conditions)
    if where.search.strip():
        count = count.join(Customer, Customer.id == o.customer_id)
    full = allowed(actor, Permission.PII_VIEW)
    keys = [c.key for c in columns]
    # Labels looked up once, not once per row.
    statuses = {s.value: order_status_label(s) for s in OrderStatus}
    categories = {c.value: category_label(c) for c in OrderCategory}
    urgencies = {u.value: urgency_label(u) for u in Urgency}
    coverages = {c.value: coverage_label(c) for c in Coverage}

    def present(values: tuple) -> tuple:
        r = dict(zip(names, values, strict=True))
        customer = r["customer"]
        if r["kind"] == CustomerKind.INDIVIDUAL and not full:
            customer = mask_name(customer)
        shown = {
            "number": number_text(r["number"], r["revision"]),
            "status": statuses.get(r["status"], r["status"]),
            "category": categories.get(r["category"], r["category"]),
            "urgency": urgencies.get(r["urgency"], r["urgency"]),
            "customer": customer,
            "product": " · ".join(part for part in (r["model"], r["serial"]) if part),
            "engineer": r["engineer"] or "",
            "appointment_at": r["appointment_at"],
            "finish_by": r["finish_by"],
            "time_left": time_left_text(pending_deadline(r["status"], r["appointment_at"], r["arrived_at"],
                                                         r["finish_by"]), now),
            "created_at": r["created_at"],
            "arrived_at": r["arrived_at"],
        }
        if "contact" in r:
            contact = r["contact"]
            shown |= {"contact": contact if full else mask_name(contact),
                      "phone": r["phone"] if full else mask_phone(r["phone"]), "project": r["project"],
                      "request": r["request"], "coverage": coverages.get(r["coverage"], r["coverage"]),
                      "finished_at": r["finished_at"]}
        return tuple(shown[k] for k in keys)

    sortable = {"number": o.number, "status": o.status, "category": o.category,
                "appointment_at": o.appointment_at, "finish_by": o.finish_by, "created_at": o.created_at}
    return KeysetSource(db, columns=columns, id_column=o.id, select_rows=rows, count_query=count,
                        sort_columns={k: v for k, v in sortable.items() if k in keys},
                        present=present, nullable_keys=frozenset({"appointment_at", "finish_by"}))


def _visible(query, actor: Actor):
    """An engineer (who does not dispatch) sees the orders dispatched to them."""
    if allowed(actor, Permission.ORDER_DISPATCH):
        return query
    return query.where(ServiceOrder.engineer_id == actor.user_id)


def _overdue(now: datetime) -> ColumnElement[bool]:
    o = ServiceOrder
    return and_(o.status.in_(RUNNING_STATUSES),
                or_(o.finish_by < now, and_(o.appointment_at < now, o.arrived_at.is_(None))))


def _conditions(where: OrderFilter, db: Database, now: datetime) -> list[ColumnElement[bool]]:
    """The filter as WHERE clauses over service_orders (and the customers row joined to it)."""
    o = ServiceOrder
    found = []
    if not where.all_revisions:
        # The newest revision: none with the same number and a higher revision (the unique index on
        # (number, revision) answers it in one probe per listed row).
        newer = aliased(ServiceOrder)
        found.append(~exists().where(newer.number == o.number, newer.revision > o.revision))
    if where.ids is not None:
        # By number: the revisions of the same order share it (its unique index finds them).
        chosen = aliased(ServiceOrder)
        found.append(o.number.in_(select(chosen.number).where(chosen.id.in_(ids_literal(where.ids)))))
    if where.statuses:
        found.append(o.status.in_([OrderStatus(s).value for s in where.statuses]))
    if where.open_only:
        found.append(o.status.in_(OPEN_STATUSES))
    if where.overdue_only:
        found.append(_overdue(now))
    if where.category:
        found.append(o.category == OrderCategory(where.category).value)
    if where.engineer_id:
        found.append(o.engineer_id == where.engineer_id)
    if where.customer_id:
        found.append(o.customer_id == where.customer_id)
    if where.created_from:
        found.append(o.created_at >= _local_midnight(where.created_from))
    if where.created_to:
        found.append(o.created_at < _local_midnight(where.created_to + timedelta(days=1)))
    query = normalize_query(where.search)
    if query:
        found.append(_search(db, query))
    return found


def _search(db: Database, query: str) -> ColumnElement[bool]:
    """Number or contact phone from its start, or the customer (see the module's docstring).

    When every part matches few rows, the list reads the union of their ids from the indexes and sorts
    that. When one part matches many (the first characters of a number, a phone prefix, a model most
    customers own), the list walks its own order instead and tests each row: a page fills after a few
    hundred rows, where collecting and sorting every match would take seconds. "Many" is where the two
    costs meet, √(PAGE × orders), as for the customers (db/search_index.py)."""
    o = ServiceOrder
    upper = query.upper()
    prefixes = [upper] if upper.startswith("FW") else [upper, "FW-" + upper]
    ranges = [and_(o.number >= p, o.number < p + _TOP) for p in prefixes]
    quoted = _quoted_numbers(db, query)
    if quoted:
        ranges.append(o.number.in_(quoted))
    if query[0] in "+0123456789":
        ranges.append(and_(o.contact_phone >= query, o.contact_phone < query + _TOP))
    customer = customer_matches(db, query)
    if db.engine.dialect.name == "sqlite":
        frequent = _scans(customer)  # customer_matches asked the trigram index already
    else:
        frequent = _more_than_a_walk(db, Customer.id, and_(*customer))
    if frequent or any(_more_than_a_walk(db, o.id, r) for r in ranges):
        return or_(*ranges, and_(*customer))  # the customer's clause on the joined customers row
    return o.id.in_(union(*(select(o.id).where(r) for r in ranges),
                          select(o.id).where(o.customer_id.in_(select(Customer.id).where(*customer)))))


def _quoted_numbers(db: Database, query: str) -> list[str]:
    """The full numbers meant by the end of one, as people read it out: "19" or "0019" (this month's or last
    month's), "202611-0019" (that month's), in the branch of the newest order."""
    month, sequence = (None, query) if query.isdigit() else (query.split("-") + [""])[:2]
    if not (sequence.isdigit() and len(sequence) <= 4 and (month is None or (month.isdigit() and len(month) == 6))):
        return []
    with db.read_session_factory() as session:
        newest = session.scalar(select(ServiceOrder.number).order_by(ServiceOrder.id.desc()).limit(1))
    if not newest or newest.count("-") != 3:
        return []
    branch = newest.rsplit("-", 2)[0]  # FW-GZ01
    if month is None:
        this = date.today().replace(day=1)
        months = [f"{this:%Y%m}", f"{this - timedelta(days=1):%Y%m}"]
    else:
        months = [month]
    return [f"{branch}-{m}-{int(sequence):04d}" for m in months]


def _more_than_a_walk(db: Database, id_column, condition) -> bool:
    """Whether more rows of the table of `id_column` meet `condition` than a walk of the list would read:
    counted up to that number only, on an index (a range, or the customers' trigram index)."""
    with db.read_session_factory() as session:
        rows = session.scalar(select(func.max(id_column))) or 0
        enough = int((search_index.PAGE * rows) ** 0.5)
        some = select(id_column).where(condition).limit(enough + 1).subquery()
        return session.scalar(select(func.count()).select_from(some)) > enough


def _scans(clauses) -> bool:
    """Whether customer_matches chose to compare the search text row by row (a frequent text) rather than to
    read the matching customers from an index."""
    column = Customer.__table__.c.search_text
    return any(getattr(clause, "left", None) is not None and clause.left.compare(column) for clause in clauses)


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone()
