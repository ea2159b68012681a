"""The return visits due (回访, domain.md §5) as the front desk's work list: the list on screen, the figures
beside the navigation entry, and one visit opened for the call.

The list is paged (keyset over `ix_return_visits_due_on_id`), not a plain Python list: periodic visits are
planned for every important and long-term customer, and with the large demo's million customers one press
of "plan periodic visits" makes about a quarter of a million of them, all due the same day. It is sorted by
the due date, oldest first, so overdue visits come first, then today's, then the coming days'.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from desktop.db.uow import Actor, Database
from desktop.domain.base import utcnow
from desktop.domain.complaints import Complaint
from desktop.domain.customers import Customer, CustomerKind
from desktop.domain.errors import NotFound
from desktop.domain.privacy import mask_name, mask_phone
from desktop.domain.roles import Permission
from desktop.domain.service_orders import ReturnVisit, ServiceOrder, VisitKind, category_label
from desktop.domain.users import User
from desktop.i18n import translate
from desktop.services.access import allowed, require
from desktop.services.paging import KeysetSource, ListColumn

OVERDUE_ONLY = -1  # `within_days` for the visits whose day has passed, and nothing due today or later

VISIT_COLUMNS = (
    ListColumn("due_on", "Due", width=11),
    ListColumn("when", "Overdue / due in", sortable=False, width=17),
    ListColumn("kind", "Kind", sortable=False, width=17),
    ListColumn("customer", "Customer", sortable=False, width=30),
    ListColumn("phone", "Phone", sortable=False, width=14),
    ListColumn("reference", "Order / complaint No.", sortable=False, width=24),
)


def visit_kind_label(kind: VisitKind | str) -> str:
    return {
        VisitKind.AFTER_ORDER: translate("Visits", "After an order"),
        VisitKind.AFTER_COMPLAINT: translate("Visits", "After a complaint"),
        VisitKind.PERIODIC: translate("Visits", "Periodic"),
    }[VisitKind(kind)]


def due_text(due_on: date, today: date) -> str:
    """'3 days overdue', 'today', 'in 2 days': what the desk reads before the date itself."""
    days = (due_on - today).days
    if days < 0:
        return translate("Visits", "{n} d overdue").format(n=-days)
    if days == 0:
        return translate("Visits", "today")
    return translate("Visits", "in {n} d").format(n=days)


def local_today() -> date:
    return utcnow().astimezone().date()


@dataclass(frozen=True)
class VisitCounts:
    overdue: int
    today: int  # due today (the overdue ones not included)

    @property
    def due(self) -> int:
        """What the desk should have done by tonight."""
        return self.overdue + self.today


def visit_counts(db: Database, actor: Actor, *, today: date | None = None) -> VisitCounts:
    require(actor, Permission.VISIT_RECORD)
    today = today or local_today()
    pending = select(func.count()).select_from(ReturnVisit).where(ReturnVisit.done_at.is_(None))
    with db.read_session_factory() as session:
        return VisitCounts(overdue=session.scalar(pending.where(ReturnVisit.due_on < today)),
                           today=session.scalar(pending.where(ReturnVisit.due_on == today)))


def due_list(db: Database, actor: Actor, *, within_days: int = 0, today: date | None = None) -> KeysetSource:
    """The visits not yet made that are due by `today + within_days` (OVERDUE_ONLY: before today), as a
    paged list sorted by due date. Phones are always masked here; individuals' names for roles that may
    not see personal data."""
    require(actor, Permission.VISIT_RECORD)
    today = today or local_today()
    complaint = select(Complaint.number).where(Complaint.id == ReturnVisit.complaint_id).scalar_subquery()
    rows = (
        select(ReturnVisit.id, Customer.kind, ReturnVisit.due_on, ReturnVisit.due_on, ReturnVisit.kind, Customer.name,
               Customer.phone, func.coalesce(ServiceOrder.number, complaint, ""))
        .join(Customer, Customer.id == ReturnVisit.customer_id)
        .outerjoin(ServiceOrder, ServiceOrder.id == ReturnVisit.order_id)
        .where(ReturnVisit.done_at.is_(None))
    )
    rows = rows.where(ReturnVisit.due_on < today) if within_days < 0 else rows.where(
        ReturnVisit.due_on <= today + timedelta(days=within_days))
    full = allowed(actor, Permission.PII_VIEW)

    def present(values: tuple) -> tuple:
        kind, due_on, when, visit_kind, name, phone, reference = values
        if kind == CustomerKind.INDIVIDUAL and not full:
            name = mask_name(name)
        return (due_on, due_text(when, today), visit_kind_label(visit_kind), name, mask_phone(phone), reference)

    return KeysetSource(db, columns=VISIT_COLUMNS, id_column=ReturnVisit.id, select_rows=rows,
                        sort_columns={"due_on": ReturnVisit.due_on}, present=present)


@dataclass(frozen=True)
class VisitDetail:
    """One visit as the person making the call needs it: whom to call, about what."""

    id: int
    version: int
    kind: VisitKind
    due_on: date
    done: bool
    customer_id: int
    customer_name: str
    contact_name: str
    phones: tuple[str, ...]  # in full for roles that may see personal data (the view is audited), else masked
    order_id: int | None
    order_number: str
    order_summary: str  # category · request · engineer · finished, for an order's visit
    complaint_number: str


def visit_detail(db: Database, actor: Actor, visit_id: int) -> VisitDetail:
    """Open one visit for the call. Showing the phone numbers in full is a view of personal data, and is
    recorded in the audit log like opening the customer's file."""
    require(actor, Permission.VISIT_RECORD)
    full = allowed(actor, Permission.PII_VIEW)
    with db.uow(actor) as uow:
        session = uow.session
        visit = session.get(ReturnVisit, visit_id)
        if visit is None:
            raise NotFound(translate("Errors", "No return visit with id {id}.").format(id=visit_id))
        customer = session.get(Customer, visit.customer_id)
        order = session.get(ServiceOrder, visit.order_id) if visit.order_id else None
        complaint = session.get(Complaint, visit.complaint_id) if visit.complaint_id else None
        contact = (order.contact_name if order and order.contact_name else customer.contact_person) or ""
        phones = [order.contact_phone if order else "", customer.phone, customer.phone2]
        phones = tuple(dict.fromkeys(p.strip() for p in phones if p and p.strip()))
        name = customer.name
        if not full:
            phones = tuple(mask_phone(p) for p in phones)
            if customer.kind == CustomerKind.INDIVIDUAL:
                name = mask_name(name)
            contact = mask_name(contact)
        summary = ""
        if order is not None:
            engineer = session.get(User, order.engineer_id) if order.engineer_id else None
            parts = [category_label(order.category), order.request.strip()]
            if engineer is not None:
                parts.append(engineer.display_name)
            if order.finished_at is not None:
                parts.append(translate("Visits", "finished {date}").format(
                    date=_local(order.finished_at).strftime("%Y-%m-%d")))
            summary = " · ".join(p for p in parts if p)
        if full:
            uow.audit("view_pii", "customers", customer.id, summary=customer.name, via="return_visit",
                      visit_id=visit.id)
            uow.commit()
        return VisitDetail(
            id=visit.id, version=visit.version, kind=VisitKind(visit.kind), due_on=visit.due_on,
            done=visit.done_at is not None, customer_id=customer.id, customer_name=name, contact_name=contact,
            phones=phones, order_id=order.id if order else None, order_number=order.number if order else "",
            order_summary=summary, complaint_number=complaint.number if complaint else "")


def customer_of_visit(db: Database, actor: Actor, visit_id: int) -> int:
    """The customer a visit is for: the list shows visits, and "open the customer" needs their id."""
    require(actor, Permission.VISIT_RECORD)
    with db.read_session_factory() as session:
        customer_id = session.scalar(select(ReturnVisit.customer_id).where(ReturnVisit.id == visit_id))
    if customer_id is None:
        raise NotFound(translate("Errors", "No return visit with id {id}.").format(id=visit_id))
    return customer_id


def _local(moment: datetime) -> datetime:
    return moment.astimezone() if moment.tzinfo is not None else moment
