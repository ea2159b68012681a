"""The SQL behind the KPIs: aggregates only (COUNT, SUM, GROUP BY), each restricted to a range of one indexed
timestamp, the same statements on SQLite and PostgreSQL. desktop/services/kpi.py turns them into figures.

Every function takes `bounds`, ascending instants (or dates) b0 < b1 < … < bn, and answers per bucket
[b(i), b(i+1)): one bucket for a report, twelve for the trends — the months are a CASE over the bounds
computed in Python (local midnights), so a month is the same local month on both databases, whatever the
time zone, and twelve months cost one range scan instead of twelve reports.

Sums are exact: durations are whole seconds computed per row, money is summed in whole cents, stock in
whole hundredths (SQLite would otherwise add NUMERIC values as floating point).

Most statements are built once per shape (which figure, how many buckets, whether per engineer) with named
bind parameters, and run again with each read's values (`_prepared`): building them and their cache keys
anew took a third of a running month's read. The bounds are :b0 … :bn, the engineer :engineer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.functions import FunctionElement

from desktop.db.uow import Database
from desktop.domain.complaints import CLOSED, Complaint, ComplaintCost, CostState, Status, TimeLimits
from desktop.domain.kpi import AGEING_BUCKETS, REPAIR_CATEGORIES
from desktop.domain.service_orders import OrderStatus, ReturnVisit, ServiceOrder
from desktop.domain.warehouse import MovementKind, Part, StockDocument, StockMovement

OPEN_COMPLAINT = tuple(s.value for s in Status if s not in CLOSED)
CLOSED_COMPLAINT = tuple(s.value for s in CLOSED)
CONCLUDED = (Status.CLOSED_RESOLVED.value, Status.CLOSED_UNRESOLVED.value)
OPEN_ORDER = (OrderStatus.REGISTERED.value, OrderStatus.DISPATCHED.value, OrderStatus.ON_SITE.value)
CONSUMPTION_KINDS = (MovementKind.ISSUE.value, MovementKind.RETURN.value, MovementKind.REVERSAL.value)


class seconds_between(FunctionElement):  # noqa: N801 - used like a SQL function
    """Whole seconds from `earlier` to `later` (two UTCDateTime columns), as an integer."""

    type = Integer()
    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(ROUND((julianday({later}) - julianday({earlier})) * 86400.0) AS INTEGER)"


@compiles(seconds_between, "postgresql")
def _seconds_postgresql(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(ROUND(EXTRACT(EPOCH FROM ({later} - {earlier}))) AS BIGINT)"


@contextmanager
def snapshot(db: Database) -> Iterator[Session]:
    """A read-only session whose statements all see one snapshot of the database, so a report's figures
    agree with each other while other PCs keep saving. SQLite: a deferred read transaction on the read-only
    connection (WAL keeps its snapshot); PostgreSQL: REPEATABLE READ, READ ONLY, without parallel workers."""
    with db.read_session_factory() as session:
        if session.bind.dialect.name == "sqlite":
            session.connection().exec_driver_sql("BEGIN")
        else:
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            session.connection().exec_driver_sql("SET TRANSACTION READ ONLY")
            # Every statement reads a month's rows: starting parallel workers costs more than it saves.
            session.connection().exec_driver_sql("SET LOCAL max_parallel_workers_per_gather = 0")
        try:
            yield session
        finally:
            session.rollback()


_STATEMENTS: dict[tuple, Select] = {}
ENGINEER = bindparam("engineer")  # in place of the engineer's id in a statement built once


def _prepared(shape: tuple, build: Callable[[], Select]) -> Select:
    """The statement `build` makes, made once per `shape` (everything its structure depends on); its values are
    named bind parameters given at each execution."""
    statement = _STATEMENTS.get(shape)
    if statement is None:
        statement = _STATEMENTS.setdefault(shape, build())
    return statement


def _engineer(engineer_id: int | None) -> tuple[ColumnElement | None, dict]:
    """What a builder compares the engineer with, and the parameter for it. The scopes below (order_scope,
    received_conditions, …) take an engineer's id, or ENGINEER in a statement built once."""
    return (None, {}) if engineer_id is None else (ENGINEER, {"engineer": engineer_id})


def _bounds(count: int) -> list:
    return [bindparam(f"b{index}") for index in range(count)]


def _bound_values(bounds: Sequence) -> dict:
    return {f"b{index}": bound for index, bound in enumerate(bounds)}


def _bucket(column, bounds: Sequence) -> ColumnElement:
    return case(*[(column < bound, index) for index, bound in enumerate(bounds[1:])])


def _per_bucket(session: Session, shape: tuple, bounds: Sequence, parameters: dict,
                build: Callable[[], tuple]) -> list[dict[str, int]]:
    """For each bucket of the indexed `column`: "count" (rows) and the sum of each row-level integer in
    `values`, where build() -> (source, column, values, conditions) with the bind parameters in `parameters`.
    The inner query picks the rows by the indexed range; the outer one groups by the bucket's label (a
    GROUP BY of the CASE itself would differ by its bound parameters on PostgreSQL)."""
    buckets = len(bounds) - 1
    if buckets < 1:
        return []

    def statement() -> Select:
        source, column, values, conditions = build()
        edges = _bounds(buckets + 1)
        in_range = [column >= edges[0], column < edges[-1], *conditions]
        if buckets == 1:
            # One bucket (a report): a plain aggregate. Grouping by a constant made SQLite sort every row of the
            # range into a temporary B-tree first, a third of the statement's time.
            return (select(func.count().label("count"), *(func.sum(expr).label(key) for key, expr in values.items()))
                    .select_from(source).where(*in_range))
        inner = (select(_bucket(column, edges).label("bucket"), *(expr.label(key) for key, expr in values.items()))
                 .select_from(source).where(*in_range).subquery())
        return (select(inner.c.bucket, func.count().label("count"), *(func.sum(inner.c[key]).label(key) for key in values))
                .group_by(inner.c.bucket))

    query = _prepared((*shape, buckets), statement)
    keys = [key for key in query.selected_columns.keys() if key != "bucket"]
    result = [dict.fromkeys(keys, 0) for _ in range(buckets)]
    for row in session.execute(query, {**_bound_values(bounds), **parameters}).mappings():
        result[row.get("bucket", 0)] = {key: int(row[key] or 0) for key in keys}
    return result


def _flag(condition: ColumnElement) -> ColumnElement:
    return case((condition, 1), else_=0)


def unindexed(column) -> ColumnElement:
    """The column's value, hidden from the planner's choice of index (coalesce(x, x), the same on both
    databases). SQLite has no histogram of values (its statistics give only the average rows per key), so it
    prefers an equality or IN (status, category, engineer) or a one-sided range over history to a month's
    range, and would read all repair orders, all of an engineer's orders or all closed complaints ever to find
    one month's: beside the month's range on a timestamp, the other conditions are checked on the rows the
    range finds."""
    return func.coalesce(column, column)


class few(FunctionElement):  # noqa: N801 - used like a SQL function
    """A condition few rows meet: the open complaints or orders among years of closed ones, those closed after
    a moment in the past. SQLite's statistics keep only the average rows per key — eight open statuses of
    thirteen look like most of the table, and it would scan it — so on SQLite the condition is wrapped in
    likelihood(…, 0.01), which makes the index the cheaper plan; PostgreSQL's statistics know the common
    values and need no hint."""

    # No Boolean type: SQLAlchemy would write "likelihood(…) = 1" on SQLite, which no index serves.
    inherit_cache = True
    name = "few"


@compiles(few)
def _few_default(element, compiler, **kw):
    return compiler.process(list(element.clauses)[0], **kw)


@compiles(few, "sqlite")
def _few_sqlite(element, compiler, **kw):
    return f"likelihood({compiler.process(list(element.clauses)[0], **kw)}, 0.01)"


# -- return visits ------------------------------------------------------------------------------------------


def _visit_source(engineer):
    if engineer is None:
        return ReturnVisit, []
    source = ReturnVisit.__table__.join(ServiceOrder.__table__, ServiceOrder.id == ReturnVisit.order_id)
    return source, [unindexed(ServiceOrder.engineer_id) == engineer]


def visits_done(session: Session, bounds: Sequence[datetime], engineer_id: int | None, satisfied_min: int):
    """Per bucket of done_at: scored visits ("count"), "satisfied" (score ≥ satisfied_min), "score_sum"."""
    engineer, parameters = _engineer(engineer_id)

    def build():
        source, scope = _visit_source(engineer)
        return (source, ReturnVisit.done_at,
                {"satisfied": _flag(ReturnVisit.score >= bindparam("satisfied_min")), "score_sum": ReturnVisit.score},
                [ReturnVisit.score.is_not(None), *scope])

    return _per_bucket(session, ("visits_done", engineer is None), bounds,
                       {**parameters, "satisfied_min": satisfied_min}, build)


def visits_due(session: Session, first_day: date, end_day: date, as_of: datetime, engineer_id: int | None):
    """Visits due on [first_day, end_day) ("count") and those made before `as_of` ("made")."""
    if end_day <= first_day:
        return {"count": 0, "made": 0}
    engineer, parameters = _engineer(engineer_id)

    def build():
        source, scope = _visit_source(engineer)
        made = _flag(and_(ReturnVisit.done_at.is_not(None), ReturnVisit.done_at < bindparam("as_of")))
        return source, ReturnVisit.due_on, {"made": made}, scope

    return _per_bucket(session, ("visits_due", engineer is None), [first_day, end_day],
                       {**parameters, "as_of": as_of}, build)[0]


# -- complaints ---------------------------------------------------------------------------------------------


def _complaint_scope(engineer_id: int | ColumnElement | None, *, indexed: bool = False) -> list[ColumnElement]:
    if engineer_id is None:
        return []
    return [(Complaint.owner_id if indexed else unindexed(Complaint.owner_id)) == engineer_id]


def received_conditions(engineer_id: int | ColumnElement | None) -> list[ColumnElement]:
    # A duplicate is the same case registered twice: it is counted under the complaint it duplicates.
    return [Complaint.status != Status.DUPLICATE.value, *_complaint_scope(engineer_id)]


def complaints_received(session: Session, bounds: Sequence[datetime], engineer_id: int | None):
    engineer, parameters = _engineer(engineer_id)
    return _per_bucket(session, ("complaints_received", engineer is None), bounds, parameters,
                       lambda: (Complaint, Complaint.received_at, {}, received_conditions(engineer)))


def complaints_by(session: Session, column, start: datetime, end: datetime,
                  engineer_id: int | None) -> list[tuple[str, int]]:
    """(value of `column`, count) of the complaints received in [start, end), most frequent first."""
    engineer, parameters = _engineer(engineer_id)

    def build():
        count = func.count().label("n")
        return (select(column, count)
                .where(Complaint.received_at >= bindparam("b0"), Complaint.received_at < bindparam("b1"),
                       *received_conditions(engineer))
                .group_by(column).order_by(count.desc(), column))

    query = _prepared(("complaints_by", column.key, engineer is None), build)
    return [(value, int(n)) for value, n in session.execute(query, {**_bound_values([start, end]), **parameters})]


def first_reply_seconds(session: Session, start: datetime, end: datetime, as_of: datetime,
                        engineer_id: int | None) -> list[int]:
    """(first reply − receipt) in seconds of the complaints received in [start, end) and answered before
    `as_of`. Only the period's rows are read (the received_at range); the percentiles are taken in Python
    because SQLite has no percentile_cont."""
    engineer, parameters = _engineer(engineer_id)
    query = _prepared(("first_reply_seconds", engineer is None), lambda: (
        select(seconds_between(Complaint.first_reply_at, Complaint.received_at))
        .where(Complaint.received_at >= bindparam("b0"), Complaint.received_at < bindparam("b1"),
               Complaint.first_reply_at.is_not(None), Complaint.first_reply_at < bindparam("as_of"),
               *received_conditions(engineer))))
    return list(session.scalars(query, {**_bound_values([start, end]), "as_of": as_of, **parameters}))


def complaints_concluded(session: Session, bounds: Sequence[datetime], engineer_id: int | None):
    """Per bucket of closed_at: closed as resolved or unresolved ("count"), of which "resolved"."""
    engineer, parameters = _engineer(engineer_id)
    return _per_bucket(session, ("complaints_concluded", engineer is None), bounds, parameters, lambda: (
        Complaint, Complaint.closed_at, {"resolved": _flag(Complaint.status == Status.CLOSED_RESOLVED.value)},
        [unindexed(Complaint.status).in_(CONCLUDED), *_complaint_scope(engineer)]))


def complaint_overdue_at(as_of: datetime, limits: TimeLimits) -> ColumnElement:
    """True when the complaint was past its deadline at `as_of`, the deadline being the one that applied
    then (domain.complaints.due_at): the first reply until it was given (sooner for a safety hazard), then
    the assessment (both from receipt), then the resolution from acceptance. Each comparison is against a
    constant, so no date arithmetic happens in SQL. At the present moment this equals `due_at < now`."""
    accepted = and_(Complaint.accepted_at.is_not(None), Complaint.accepted_at <= as_of)
    replied = and_(Complaint.first_reply_at.is_not(None), Complaint.first_reply_at <= as_of)
    return or_(
        and_(accepted, Complaint.accepted_at < as_of - limits.resolution),
        and_(~accepted, replied, Complaint.received_at < as_of - limits.assessment),
        and_(~accepted, ~replied, Complaint.safety_hazard.is_(True),
             Complaint.received_at < as_of - limits.safety_first_reply),
        and_(~accepted, ~replied, Complaint.safety_hazard.is_(False), Complaint.received_at < as_of - limits.first_reply),
    )


def _ageing(column, as_of: datetime) -> ColumnElement:
    whens = [(column > as_of - timedelta(days=high + 1), index)
             for index, (_, high) in enumerate(AGEING_BUCKETS) if high is not None]
    return case(*whens, else_=len(AGEING_BUCKETS) - 1)


def _open_per_age(session: Session, parts: list) -> list[dict[str, int]]:
    rows = union_all(*parts).subquery()
    result = [{"open": 0, "overdue": 0} for _ in AGEING_BUCKETS]
    for bucket, count, overdue in session.execute(
            select(rows.c.age, func.count(), func.sum(rows.c.overdue)).group_by(rows.c.age)):
        result[bucket] = {"open": int(count), "overdue": int(overdue or 0)}
    return result


def complaint_open_conditions(as_of: datetime) -> tuple[list[ColumnElement], list[ColumnElement]]:
    """The two disjoint sets of complaints open at `as_of`: open now and received before it (the status
    index finds them), or closed after it (the closed_at index). A reopened complaint counts as open since
    its receipt: the times between an earlier closing and the reopening are not kept on the complaint."""
    still_open = [few(Complaint.status.in_(OPEN_COMPLAINT)), unindexed(Complaint.received_at) < as_of]
    closed_later = [few(Complaint.closed_at >= as_of), unindexed(Complaint.status).in_(CLOSED_COMPLAINT),
                    unindexed(Complaint.received_at) < as_of]
    return still_open, closed_later


def open_complaints(session: Session, as_of: datetime, limits: TimeLimits, engineer_id: int | None):
    """Per ageing bucket (AGEING_BUCKETS, by receipt): complaints open at `as_of` and those overdue then."""
    overdue = _flag(complaint_overdue_at(as_of, limits))
    age = _ageing(Complaint.received_at, as_of)
    still_open, closed_later = complaint_open_conditions(as_of)
    # The complaints still open are few: the (owner, status) index finds an owner's; the closed ones by date.
    parts = [select(age.label("age"), overdue.label("overdue")).where(*still_open,
                                                                      *_complaint_scope(engineer_id, indexed=True)),
             select(age.label("age"), overdue.label("overdue")).where(*closed_later, *_complaint_scope(engineer_id))]
    return _open_per_age(session, parts)


def costs(session: Session, start: datetime, end: datetime, engineer_id: int | None) -> list[tuple[str, str, int]]:
    """(bearer, allocation department, cents) of the cost lines approved in [start, end). Lines waiting for
    approval or rejected do not count."""
    engineer, parameters = _engineer(engineer_id)

    def build():
        cents = func.sum(cast(func.round(ComplaintCost.amount * 100), BigInteger))
        query = (select(ComplaintCost.bearer, ComplaintCost.allocation_department, cents)
                 .where(ComplaintCost.approved_at >= bindparam("b0"), ComplaintCost.approved_at < bindparam("b1"),
                        ComplaintCost.state == CostState.APPROVED.value)
                 .group_by(ComplaintCost.bearer, ComplaintCost.allocation_department))
        if engineer is None:
            return query
        return (query.join(Complaint, Complaint.id == ComplaintCost.complaint_id)
                .where(unindexed(Complaint.owner_id) == engineer))

    rows = session.execute(_prepared(("costs", engineer is None), build), {**_bound_values([start, end]), **parameters})
    return [(bearer, department, int(total or 0)) for bearer, department, total in rows]


# -- service orders -----------------------------------------------------------------------------------------


def order_scope(engineer_id: int | ColumnElement | None, *, indexed: bool = False) -> list[ColumnElement]:
    """Each order counts once, as its first revision: the order as registered, with the time it was created.
    A revision (a correction after signing) copies the work's times, category and engineer, but is created
    when the correction is made, which would make its response time meaningless."""
    if engineer_id is None:
        return [ServiceOrder.revision == 1]
    return [ServiceOrder.revision == 1,
            (ServiceOrder.engineer_id if indexed else unindexed(ServiceOrder.engineer_id)) == engineer_id]


def on_time() -> ColumnElement:
    """Arrived by the agreed appointment and finished by the committed time; a time never agreed is no
    commitment (the service records arrival and completion on time the same way)."""
    return and_(
        or_(ServiceOrder.appointment_at.is_(None),
            and_(ServiceOrder.arrived_at.is_not(None), ServiceOrder.arrived_at <= ServiceOrder.appointment_at)),
        or_(ServiceOrder.finish_by.is_(None), ServiceOrder.finished_at <= ServiceOrder.finish_by),
    )


def repairs_finished(session: Session, bounds: Sequence[datetime], engineer_id: int | None):
    """Per bucket of finished_at, repair orders: "count", "on_time", "first_time_fix"."""
    engineer, parameters = _engineer(engineer_id)
    return _per_bucket(session, ("repairs_finished", engineer is None), bounds, parameters, lambda: (
        ServiceOrder, ServiceOrder.finished_at,
        {"on_time": _flag(on_time()), "first_time_fix": _flag(ServiceOrder.first_time_fix.is_(True))},
        [unindexed(ServiceOrder.category).in_(REPAIR_CATEGORIES), *order_scope(engineer)]))


def repairs_arrived(session: Session, start: datetime, end: datetime, engineer_id: int | None) -> dict[str, int]:
    """Repair orders the engineer reached in [start, end): "count" and "seconds" (created → arrived)."""
    engineer, parameters = _engineer(engineer_id)
    return _per_bucket(session, ("repairs_arrived", engineer is None), [start, end], parameters, lambda: (
        ServiceOrder, ServiceOrder.arrived_at, {"seconds": seconds_between(ServiceOrder.arrived_at, ServiceOrder.created_at)},
        [unindexed(ServiceOrder.category).in_(REPAIR_CATEGORIES), *order_scope(engineer)]))[0]


def orders_due(session: Session, start: datetime, end: datetime, as_of: datetime, engineer_id: int | None):
    """Orders whose committed completion (finish_by) fell in [start, min(end, as_of)) ("count"), and those
    finished before `as_of` ("finished"), late or not. Cancelled orders are not due."""
    stop = min(end, as_of)
    if stop <= start:
        return {"count": 0, "finished": 0}
    engineer, parameters = _engineer(engineer_id)
    return _per_bucket(session, ("orders_due", engineer is None), [start, stop], {**parameters, "as_of": as_of}, lambda: (
        ServiceOrder, ServiceOrder.finish_by,
        {"finished": _flag(and_(ServiceOrder.finished_at.is_not(None), ServiceOrder.finished_at < bindparam("as_of")))},
        [ServiceOrder.status != OrderStatus.CANCELLED.value, *order_scope(engineer)]))[0]


def _created_in_period(engineer) -> list[ColumnElement]:
    return [ServiceOrder.created_at >= bindparam("b0"), ServiceOrder.created_at < bindparam("b1"),
            *order_scope(engineer)]


def orders_by_category(session: Session, start: datetime, end: datetime, engineer_id: int | None) -> list[tuple[str, int]]:
    engineer, parameters = _engineer(engineer_id)

    def build():
        count = func.count().label("n")
        return (select(ServiceOrder.category, count).where(*_created_in_period(engineer))
                .group_by(ServiceOrder.category).order_by(count.desc(), ServiceOrder.category))

    rows = session.execute(_prepared(("orders_by_category", engineer is None), build),
                           {**_bound_values([start, end]), **parameters})
    return [(category, int(n)) for category, n in rows]


def customers_served(session: Session, start: datetime, end: datetime, engineer_id: int | None) -> int:
    """Distinct customers with a service order created in [start, end)."""
    engineer, parameters = _engineer(engineer_id)
    query = _prepared(("customers_served", engineer is None), lambda: (
        select(func.count(ServiceOrder.customer_id.distinct())).where(*_created_in_period(engineer))))
    return int(session.scalar(query, {**_bound_values([start, end]), **parameters}) or 0)


def active_customers(session: Session, start: datetime, end: datetime, engineer_id: int | None) -> int:
    """Distinct customers with a service order or a complaint in [start, end)."""
    ids = union_all(
        select(ServiceOrder.customer_id.label("customer_id"))
        .where(ServiceOrder.created_at >= start, ServiceOrder.created_at < end, *order_scope(engineer_id)),
        select(Complaint.customer_id.label("customer_id"))
        .where(Complaint.received_at >= start, Complaint.received_at < end, *received_conditions(engineer_id)),
    ).subquery()
    return int(session.scalar(select(func.count(ids.c.customer_id.distinct()))) or 0)


def order_overdue_at(as_of: datetime) -> ColumnElement:
    """A commitment to the customer missed at `as_of` (as the order list's overdue filter says it): the
    committed finish time passed, or the appointment passed before the engineer arrived."""
    return or_(ServiceOrder.finish_by < as_of,
               and_(ServiceOrder.appointment_at < as_of,
                    or_(ServiceOrder.arrived_at.is_(None), ServiceOrder.arrived_at >= as_of)))


def order_open_conditions(as_of: datetime) -> tuple[list[ColumnElement], list[ColumnElement]]:
    """Orders whose work was not done at `as_of`: still running now (registered, dispatched, on site) and
    created before it (status index), or finished after it (finished_at index). Cancelled orders are never
    open. At the present moment: the order list's statuses registered, dispatched and on site; its "open"
    filter also lists completed orders waiting for the customer's signature, whose work is done."""
    still_open = [few(ServiceOrder.status.in_(OPEN_ORDER)), unindexed(ServiceOrder.created_at) < as_of]
    finished_later = [few(ServiceOrder.finished_at >= as_of), unindexed(ServiceOrder.created_at) < as_of,
                      ServiceOrder.status != OrderStatus.CANCELLED.value]
    return still_open, finished_later


def open_orders(session: Session, as_of: datetime, engineer_id: int | None):
    overdue = _flag(order_overdue_at(as_of))
    age = _ageing(ServiceOrder.created_at, as_of)
    still_open, finished_later = order_open_conditions(as_of)
    parts = [select(age.label("age"), overdue.label("overdue"))
             .where(*still_open, *order_scope(engineer_id, indexed=True)),
             select(age.label("age"), overdue.label("overdue")).where(*finished_later, *order_scope(engineer_id))]
    return _open_per_age(session, parts)


# -- parts consumption --------------------------------------------------------------------------------------


def consumption_select(columns, engineer_id: int | ColumnElement | None, start: datetime, end: datetime, *,
                       with_document: bool = False):
    """SELECT `columns` (a list, or a function of the movement's document alias giving one) over the movements
    in [start, end) that make up parts consumption, found by the (kind, at) index.

    Consumption = issues − returns of issued parts − reversals of issues (+ reversals of returns): −Σ quantity
    of issue and return movements and of reversals of those (a reversal names the movement it undoes).

    Per engineer, the movements for the engineer's orders: an issue slip's reference is the order number, a
    return slip refers to its issue slip, a reversal names the movement it undoes; the references are unique
    document numbers (indexed)."""
    issue_or_return = (MovementKind.ISSUE.value, MovementKind.RETURN.value)
    reversed_ = aliased(StockMovement, name="reversed")
    counted = or_(StockMovement.kind.in_(issue_or_return),
                  exists().where(reversed_.id == StockMovement.reverses_id, reversed_.kind.in_(issue_or_return)))
    document = aliased(StockDocument, name="document")
    if callable(columns):
        columns = columns(document)
    query = (select(*columns).select_from(StockMovement)
             .where(StockMovement.kind.in_(CONSUMPTION_KINDS), StockMovement.at >= start, StockMovement.at < end,
                    counted))
    if with_document:
        query = query.join(document, document.id == StockMovement.document_id)
    if engineer_id is None:
        return query
    # Per movement, a few lookups by primary key and by document number (correlated subqueries, so neither
    # planner is tempted to join whole tables of documents or orders).
    slip, issued = aliased(StockDocument, name="slip"), aliased(StockDocument, name="issued")
    movement_slip = aliased(StockDocument, name="movement_slip")
    undone = aliased(StockMovement, name="undone")
    order_number = case(
        (StockMovement.kind == MovementKind.ISSUE.value,
         select(slip.reference).where(slip.id == StockMovement.document_id)
         .correlate(StockMovement).scalar_subquery()),
        (StockMovement.kind == MovementKind.RETURN.value,
         select(issued.reference).join(slip, issued.number == slip.reference)
         .where(slip.id == StockMovement.document_id).correlate(StockMovement).scalar_subquery()),
        else_=select(case((undone.kind == MovementKind.ISSUE.value, movement_slip.reference), else_=issued.reference))
        .select_from(undone)
        .join(movement_slip, movement_slip.id == undone.document_id)
        .outerjoin(issued, issued.number == movement_slip.reference)
        .where(undone.id == StockMovement.reverses_id).correlate(StockMovement).scalar_subquery(),
    )
    # A scalar subquery, not EXISTS: PostgreSQL would turn EXISTS into a join with all of the engineer's orders.
    engineer = (select(ServiceOrder.engineer_id).where(ServiceOrder.number == order_number, ServiceOrder.revision == 1)
                .correlate(StockMovement).scalar_subquery())
    return query.where(engineer == engineer_id)


def parts_consumption(session: Session, start: datetime, end: datetime, engineer_id: int | None):
    """(part id, code, name, unit, quantity in hundredths, value in 1/10000 CNY) per part consumed in
    [start, end), net of returns and reversals."""
    engineer, parameters = _engineer(engineer_id)

    def build():
        hundredths = type_coerce(StockMovement.quantity, BigInteger)
        cents = cast(func.round(StockMovement.unit_cost * 100), BigInteger)
        # The part hidden from SQLite's planner: grouping by it, it walked the (part, time) index of every part
        # (twice the time of the month's range on the (kind, time) index).
        inner = consumption_select([unindexed(StockMovement.part_id).label("part_id"), (-hundredths).label("quantity"),
                                    (-hundredths * cents).label("value")], engineer, bindparam("b0"),
                                   bindparam("b1")).subquery()
        per_part = (select(inner.c.part_id, func.sum(inner.c.quantity).label("quantity"),
                           func.sum(inner.c.value).label("value"))
                    .group_by(inner.c.part_id).subquery())
        return (select(Part.id, Part.code, Part.name, Part.unit, per_part.c.quantity, per_part.c.value)
                .join(per_part, per_part.c.part_id == Part.id))

    rows = session.execute(_prepared(("parts_consumption", engineer is None), build),
                           {**_bound_values([start, end]), **parameters})
    return [(pid, code, name, unit, int(quantity or 0), int(value or 0)) for pid, code, name, unit, quantity, value in rows]
