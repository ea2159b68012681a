"""Return visits (回访): one after every signed order (7 days later), and periodic ones by importance —
important customers at least every 6 months, long-term ones at least yearly. A dissatisfied answer opens
a complaint about the order, in the same transaction as the visit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, insert, literal, select

from desktop.db.uow import Actor, Database, check_version
from desktop.domain.base import utcnow
from desktop.domain.complaints import Channel, ComplaintClass
from desktop.domain.customers import Customer, Importance
from desktop.domain.errors import NotFound, ValidationError
from desktop.domain.privacy import mask_phone
from desktop.domain.roles import Permission
from desktop.domain.service_orders import ReturnVisit, ServiceOrder, VisitChannel, VisitKind
from desktop.i18n import translate
from desktop.services.access import require
from desktop.services.complaints import ComplaintInput, register_in

PERIOD_DAYS = {Importance.IMPORTANT: 182, Importance.LONG_TERM: 365}
DISSATISFIED = 2  # a score of 2 or less opens a complaint


@dataclass(frozen=True)
class VisitRow:
    id: int
    kind: VisitKind
    due_on: date
    customer_id: int
    customer_name: str
    phone: str  # masked: the full number is on the customer's record
    order_number: str
    version: int


def plan_periodic_visits(db: Database, actor: Actor, *, today: date | None = None) -> int:
    """Add a periodic visit for every important or long-term customer whose last visit (done or planned) is
    older than their period. Returns how many were added.

    One INSERT … SELECT per importance: a branch with many important customers gets hundreds of thousands
    of visits on the first run, which row-by-row inserts (each with its own audit entry) would take minutes
    for. The audit log gets one summary entry instead; the visits themselves are the record."""
    require(actor, Permission.VISIT_RECORD)
    today = today or utcnow().astimezone().date()
    added = {}
    with db.uow(actor) as uow:
        session = uow.session
        for importance, days in PERIOD_DAYS.items():
            recent = (select(ReturnVisit.id).where(ReturnVisit.customer_id == Customer.id,
                                                  ReturnVisit.due_on > today - timedelta(days=days)).exists())
            due = select(Customer.id, literal(VisitKind.PERIODIC.value), literal(today), literal(""), literal(1)).where(
                Customer.importance == importance.value, Customer.archived_at.is_(None), ~recent)
            new_ids = session.scalars(insert(ReturnVisit).from_select(
                ["customer_id", "kind", "due_on", "comments", "version"], due).returning(ReturnVisit.id))
            added[importance.value] = len(new_ids.all())  # psycopg reports no rowcount for INSERT … SELECT here
        uow.audit("create", "return_visits", summary=f"periodic visits planned for {today}: {added}", **added)
        uow.commit()
    return sum(added.values())


def due_visits(db: Database, actor: Actor, *, today: date | None = None, within_days: int = 7) -> list[VisitRow]:
    """Visits not yet made that are due by `today + within_days`, the most overdue first."""
    require(actor, Permission.VISIT_RECORD)
    today = today or utcnow().astimezone().date()
    with db.read_session_factory() as session:
        rows = session.execute(
            select(ReturnVisit, Customer.name, Customer.phone, ServiceOrder.number)
            .join(Customer, Customer.id == ReturnVisit.customer_id)
            .outerjoin(ServiceOrder, ServiceOrder.id == ReturnVisit.order_id)
            .where(ReturnVisit.done_at.is_(None), ReturnVisit.due_on <= today + timedelta(days=within_days))
            .order_by(ReturnVisit.due_on, ReturnVisit.id)).all()
        return [VisitRow(v.id, VisitKind(v.kind), v.due_on, v.customer_id, name, mask_phone(phone), number or "",
                         v.version) for v, name, phone, number in rows]


def record_visit(db: Database, actor: Actor, *, visit_id: int, version: int, channel: VisitChannel, score: int,
                 comments: str = "", follow_up: bool = False, branch_code: str = "GZ01") -> str | None:
    """Record the answer. A dissatisfied customer (score ≤ 2) gets a complaint opened about the order, owned
    by the person who made the visit; its number is returned. So does an answer that needs following up
    (`follow_up`, domain.md §5) whatever the score: the complaint is where that work is tracked, with an
    owner and a deadline, and `follow_up_complaint_id` records it."""
    require(actor, Permission.VISIT_RECORD)
    if score not in (1, 2, 3, 4, 5):
        raise ValidationError(translate("Errors", "Satisfaction is scored 1 to 5."), field="score", value=score)
    if score <= DISSATISFIED and not comments.strip():
        raise ValidationError(translate("Errors", "Write down what the customer is dissatisfied with."),
                              field="comments")
    if follow_up and not comments.strip():
        raise ValidationError(translate("Errors", "Write down what needs following up."), field="comments")
    with db.uow(actor) as uow:
        session = uow.session
        visit = session.get(ReturnVisit, visit_id)
        if visit is None:
            raise NotFound(translate("Errors", "No return visit with id {id}.").format(id=visit_id))
        check_version(visit, version)
        if visit.done_at is not None:
            raise ValidationError(translate("Errors", "This visit was recorded already."), field="score")
        visit.done_at, visit.done_by = utcnow(), actor.username
        visit.channel, visit.score, visit.comments = VisitChannel(channel).value, score, comments.strip()
        number = None
        if score <= DISSATISFIED or follow_up:
            order = session.get(ServiceOrder, visit.order_id) if visit.order_id else None
            about = translate("Visits", "Return visit for order {number}: ").format(number=order.number) if order else ""
            complaint = register_in(session, actor, branch_code=branch_code, data=ComplaintInput(
                customer_id=visit.customer_id, product_id=order.product_id if order else None,
                channel=Channel.HOTLINE, description=about + comments.strip(),
                classification=ComplaintClass.NON_QUALITY, severity=2))
            visit.follow_up_complaint_id, number = complaint.id, complaint.number
        uow.commit()
        return number


def last_visit(db: Database, actor: Actor, customer_id: int) -> datetime | None:
    require(actor, Permission.VISIT_RECORD)
    with db.read_session_factory() as session:
        return session.scalar(select(func.max(ReturnVisit.done_at)).where(ReturnVisit.customer_id == customer_id))
