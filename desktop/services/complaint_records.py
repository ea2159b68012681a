"""A complaint as its page and its printed form read it: every field, the timeline, the attachments, and
the steps the reading user may take now. Built by `build_record()` from the entity."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select

from desktop.db.uow import Actor
from desktop.domain.base import utcnow
from desktop.domain.complaints import (
    WORKFLOW,
    Action,
    Channel,
    Complaint,
    ComplaintClass,
    ComplaintEvent,
    RecourseRoute,
    ResponseType,
    Status,
    allowed_actions,
    status_label,
)
from desktop.domain.customers import Customer, CustomerKind
from desktop.domain.privacy import mask_name
from desktop.domain.roles import Permission
from desktop.domain.users import User
from desktop.services.access import allowed
from desktop.services.attachments import AttachmentInfo, attachments_of


@dataclass(frozen=True)
class EventRow:
    at: datetime
    username: str
    action: Action
    from_status: Status | None
    to_status: Status
    note: str
    details: dict | None


@dataclass(frozen=True)
class ComplaintRecord:
    id: int
    number: str
    status: Status
    status_label: str
    channel: Channel
    received_at: datetime
    received_by: str
    owner_id: int
    owner: str
    customer_id: int
    customer_name: str
    product_model: str
    serial_number: str
    purchase_date: date | None
    invoice_number: str
    description: str
    customer_request: str
    classification: ComplaintClass
    severity: int
    safety_hazard: bool
    due_at: datetime | None
    first_reply_at: datetime | None
    accepted_at: datetime | None
    closed_at: datetime | None
    assessment: str
    cause: str
    responsible_department: str
    responsible_person: str
    response_type: ResponseType | None
    decision: str
    decided_by: str
    customer_accepted: bool | None
    recourse_told: tuple[RecourseRoute, ...]
    escalated: bool
    duplicate_of: str
    contract_clause: str
    inspection_verdict: str
    version: int
    events: tuple[EventRow, ...] = ()
    attachments: tuple[AttachmentInfo, ...] = ()
    actions: tuple[Action, ...] = field(default=())  # what this user may do now

    @property
    def is_open(self) -> bool:
        return self.status.is_open

    def time_left(self, now: datetime | None = None) -> timedelta | None:
        return None if self.due_at is None else self.due_at - (now or utcnow())


def _user_name(session, user_id: int | None) -> str:
    if user_id is None:
        return ""
    user = session.get(User, user_id)
    return user.display_name if user else ""


def _customer_name(actor: Actor, customer: Customer) -> str:
    """An individual's name in full only for roles that may see personal data, as on every list (domain.md §10)."""
    if customer.kind == CustomerKind.INDIVIDUAL and not allowed(actor, Permission.PII_VIEW):
        return mask_name(customer.name)
    return customer.name


def build_record(session, actor: Actor, c: Complaint) -> ComplaintRecord:
    events = session.scalars(
        select(ComplaintEvent).where(ComplaintEvent.complaint_id == c.id).order_by(ComplaintEvent.id)
    )
    customer = session.get(Customer, c.customer_id)
    duplicate_of = session.get(Complaint, c.duplicate_of_id).number if c.duplicate_of_id else ""
    status = Status(c.status)
    return ComplaintRecord(
        id=c.id, number=c.number, status=status, status_label=status_label(status), channel=Channel(c.channel),
        received_at=c.received_at, received_by=_user_name(session, c.received_by_id), owner_id=c.owner_id,
        owner=_user_name(session, c.owner_id), customer_id=c.customer_id, customer_name=_customer_name(actor, customer),
        product_model=c.product_model, serial_number=c.serial_number, purchase_date=c.purchase_date,
        invoice_number=c.invoice_number, description=c.description, customer_request=c.customer_request,
        classification=ComplaintClass(c.classification), severity=c.severity, safety_hazard=c.safety_hazard,
        due_at=c.due_at, first_reply_at=c.first_reply_at, accepted_at=c.accepted_at, closed_at=c.closed_at,
        assessment=c.assessment, cause=c.cause, responsible_department=c.responsible_department,
        responsible_person=c.responsible_person,
        response_type=ResponseType(c.response_type) if c.response_type else None, decision=c.decision,
        decided_by=_user_name(session, c.decided_by_id), customer_accepted=c.customer_accepted,
        recourse_told=tuple(RecourseRoute(r) for r in c.recourse_told or ()), escalated=c.escalated,
        duplicate_of=duplicate_of, contract_clause=c.contract_clause, inspection_verdict=c.inspection_verdict,
        version=c.version,
        events=tuple(
            EventRow(e.at, e.username, Action(e.action), Status(e.from_status) if e.from_status else None,
                     Status(e.to_status), e.note, e.details)
            for e in events
        ),
        attachments=tuple(attachments_of(session, "complaints", c.id)),
        actions=tuple(a for a in allowed_actions(status) if allowed(actor, WORKFLOW[a].permission)),
    )
