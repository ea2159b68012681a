"""Complaints: register, then move through the closed-loop workflow (desktop/domain/complaints.py).

Every step is one unit of work that checks the workflow and the caller's permission, records who, when and
a note in the complaint's history, recomputes the deadline, and writes the audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import object_session

from desktop.db.counters import next_number
from desktop.db.uow import Actor, Database, check_version
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
    action_label,
    due_at,
    status_label,
)
from desktop.domain.customers import Customer, Product
from desktop.domain.errors import NotFound, ValidationError
from desktop.domain.roles import Permission, Role, may
from desktop.domain.service_orders import VISIT_AFTER_DAYS, ReturnVisit, VisitKind
from desktop.domain.users import User
from desktop.i18n import translate
from desktop.services.access import require
from desktop.services.attachments import (
    AttachmentInfo,
    attach,
    attachment_content,
    attachments_of,
    check_file,
)
from desktop.services.branch_settings import time_limits
from desktop.services.complaint_records import ComplaintRecord, build_record


@dataclass(frozen=True)
class ComplaintInput:
    customer_id: int
    channel: Channel
    description: str
    classification: ComplaintClass
    severity: int
    customer_request: str = ""
    safety_hazard: bool = False
    product_id: int | None = None
    product_model: str = ""
    serial_number: str = ""
    purchase_date: date | None = None
    invoice_number: str = ""
    received_at: datetime | None = None  # default: now
    attachments: tuple[Path, ...] = ()


def complaint_number(branch_code: str, moment: datetime, sequence: int) -> str:
    return f"TS-{branch_code}-{moment.astimezone():%Y%m}-{sequence:04d}"


def register_complaint(db: Database, actor: Actor, *, branch_code: str, data: ComplaintInput) -> ComplaintRecord:
    require(actor, Permission.COMPLAINT_REGISTER)
    _validate(data)
    for path in data.attachments:
        check_file(path)  # before anything is written
    with db.uow(actor) as uow:
        complaint = register_in(uow.session, actor, branch_code=branch_code, data=data)
        uow.commit()
        return build_record(uow.session, actor, complaint)


def register_in(session, actor: Actor, *, branch_code: str, data: ComplaintInput) -> Complaint:
    """Registration inside a caller's unit of work: a return visit that finds the customer dissatisfied
    opens a complaint in the same transaction as the visit."""
    _validate(data)
    customer = session.get(Customer, data.customer_id)
    if customer is None or customer.archived_at is not None:
        raise ValidationError(translate("Errors", "Choose an existing customer."), field="customer")
    product = session.get(Product, data.product_id) if data.product_id else None
    if data.product_id and (product is None or product.customer_id != customer.id):
        raise ValidationError(translate("Errors", "The product is not one of this customer's."), field="product")
    received = data.received_at or utcnow()
    if received > utcnow() + timedelta(minutes=5):
        raise ValidationError(translate("Errors", "The complaint cannot be received in the future."),
                              field="received_at")
    series = f"complaint:{branch_code}:{received.astimezone():%Y%m}"
    complaint = Complaint(
        number=complaint_number(branch_code, received, next_number(session, series)),
        branch_code=branch_code,
        channel=Channel(data.channel).value,
        received_at=received,
        received_by_id=actor.user_id,
        owner_id=actor.user_id,
        customer_id=customer.id,
        product_id=product.id if product else None,
        product_model=(product.model if product else data.product_model).strip(),
        serial_number=(product.serial_number if product else data.serial_number).strip().upper(),
        purchase_date=product.purchase_date if product and not data.purchase_date else data.purchase_date,
        invoice_number=(product.invoice_number if product and not data.invoice_number else data.invoice_number),
        description=data.description.strip(),
        customer_request=data.customer_request.strip(),
        classification=ComplaintClass(data.classification).value,
        severity=data.severity,
        safety_hazard=data.safety_hazard,
        status=Status.REGISTERED.value,
    )
    complaint.due_at = due_at(Status.REGISTERED, received_at=received, accepted_at=None,
                              safety_hazard=data.safety_hazard, limits=time_limits(session))
    session.add(complaint)
    session.flush()
    for path in data.attachments:
        attach(session, actor, owner_type="complaints", owner_id=complaint.id, path=path)
    _event(session, actor, complaint, Action.REGISTER, None, note="")
    return complaint


def get_complaint(db: Database, actor: Actor, complaint_id: int) -> ComplaintRecord:
    require(actor, Permission.COMPLAINT_READ)
    with db.session_factory() as session:
        return build_record(session, actor, _get(session, complaint_id))


def find_complaint(db: Database, actor: Actor, number: str) -> ComplaintRecord:
    require(actor, Permission.COMPLAINT_READ)
    with db.session_factory() as session:
        complaint = session.scalar(select(Complaint).where(Complaint.number == number.strip().upper()))
        if complaint is None:
            raise NotFound(translate("Errors", "No complaint numbered {number}.").format(number=number), field="number")
        return build_record(session, actor, complaint)


def list_handlers(db: Database, actor: Actor) -> list[tuple[int, str]]:
    """(id, display name) of the active users a complaint can be handed over to: those whose role handles
    complaints. Anyone who may read complaints may see who handles them (the owner column shows it anyway)."""
    require(actor, Permission.COMPLAINT_READ)
    roles = [role.value for role in Role if may(role, Permission.COMPLAINT_HANDLE)]
    with db.session_factory() as session:
        rows = session.execute(
            select(User.id, User.display_name)
            .where(User.is_active.is_(True), User.role.in_(roles))
            .order_by(User.display_name, User.id)
        )
        return [(user_id, name) for user_id, name in rows]


def complaint_attachment(db: Database, actor: Actor, *, complaint_id: int, attachment_id: int) -> tuple[AttachmentInfo, bytes]:
    """The content of one of the complaint's attachments, to open it. Photos and letters may show personal
    data, so opening one is audited like opening a record in full."""
    require(actor, Permission.COMPLAINT_READ)
    with db.uow(actor) as uow:
        complaint = _get(uow.session, complaint_id)
        if attachment_id not in {a.id for a in attachments_of(uow.session, "complaints", complaint.id)}:
            raise NotFound(translate("Errors", "No attachment with id {id}.").format(id=attachment_id))
        info, data = attachment_content(uow.session, attachment_id)
        uow.audit("view_pii", "complaints", complaint.id, summary=f"{complaint.number}: {info.filename}")
        uow.commit()
        return info, data


# -- the workflow, one function per step -----------------------------------------------------------------


def acknowledge(db, actor, *, complaint_id: int, version: int, reply: str) -> ComplaintRecord:
    """The first reply to the customer (已确认)."""
    _require_text(reply, "reply", translate("Errors", "Write what the customer was told."))
    return _step(db, actor, complaint_id, version, Action.ACKNOWLEDGE, reply,
                 lambda c, now: setattr(c, "first_reply_at", now))


def assess(db, actor, *, complaint_id: int, version: int, assessment: str, classification: ComplaintClass,
           severity: int, safety_hazard: bool) -> ComplaintRecord:
    _require_text(assessment, "assessment", translate("Errors", "Write the initial assessment."))
    _check_severity(severity)

    def change(c: Complaint, now: datetime) -> None:
        c.assessment, c.assessed_at = assessment.strip(), now
        c.classification, c.severity, c.safety_hazard = ComplaintClass(classification).value, severity, safety_hazard

    return _step(db, actor, complaint_id, version, Action.ASSESS, assessment, change)


def accept(db, actor, *, complaint_id: int, version: int, note: str = "") -> ComplaintRecord:
    """The branch manager accepts the complaint for handling (受理); the resolution deadline starts."""
    return _step(db, actor, complaint_id, version, Action.ACCEPT, note, lambda c, now: setattr(c, "accepted_at", now))


def refuse(db, actor, *, complaint_id: int, version: int, reason: str) -> ComplaintRecord:
    _require_text(reason, "reason", translate("Errors", "Give the reason for not accepting the complaint."))
    return _step(db, actor, complaint_id, version, Action.REFUSE, reason, _close)


def record_investigation(db, actor, *, complaint_id: int, version: int, cause: str, responsible_department: str,
                         responsible_person: str, contract_clause: str = "", inspection_verdict: str = "",
                         note: str = "") -> ComplaintRecord:
    _require_text(cause, "cause", translate("Errors", "Describe the cause that was found."))
    _require_text(responsible_department, "responsible_department",
                  translate("Errors", "Name the department responsible."))

    def change(c: Complaint, now: datetime) -> None:
        c.cause, c.responsible_department = cause.strip(), responsible_department.strip()
        c.responsible_person = responsible_person.strip()
        c.contract_clause, c.inspection_verdict = contract_clause.strip(), inspection_verdict.strip()

    return _step(db, actor, complaint_id, version, Action.RECORD_INVESTIGATION, note or cause, change)


def decide(db, actor, *, complaint_id: int, version: int, response_type: ResponseType, decision: str) -> ComplaintRecord:
    """The branch manager's decision on how the complaint is handled."""
    _require_text(decision, "decision", translate("Errors", "Describe the decision."))

    def change(c: Complaint, now: datetime) -> None:
        if not c.cause:
            raise ValidationError(translate("Errors", "Record the investigation's cause before deciding."),
                                  field="cause")
        c.response_type, c.decision, c.decided_by_id = ResponseType(response_type).value, decision.strip(), actor.user_id

    return _step(db, actor, complaint_id, version, Action.DECIDE, decision, change)


def communicate(db, actor, *, complaint_id: int, version: int, note: str) -> ComplaintRecord:
    _require_text(note, "note", translate("Errors", "Write how and when the customer was told the decision."))
    return _step(db, actor, complaint_id, version, Action.COMMUNICATE, note, lambda c, now: None)


def record_customer_answer(db, actor, *, complaint_id: int, version: int, accepted: bool, note: str = "") -> ComplaintRecord:
    action = Action.CUSTOMER_ACCEPTS if accepted else Action.CUSTOMER_REJECTS
    return _step(db, actor, complaint_id, version, action, note, lambda c, now: setattr(c, "customer_accepted", accepted))


def escalate(db, actor, *, complaint_id: int, version: int, note: str) -> ComplaintRecord:
    _require_text(note, "note", translate("Errors", "Say why and to whom the complaint is escalated."))
    return _step(db, actor, complaint_id, version, Action.ESCALATE, note, lambda c, now: setattr(c, "escalated", True))


def close_resolved(db, actor, *, complaint_id: int, version: int, note: str = "") -> ComplaintRecord:
    return _step(db, actor, complaint_id, version, Action.CLOSE_RESOLVED, note, _close_and_plan_visit)


def close_unresolved(db, actor, *, complaint_id: int, version: int, routes_told: list[RecourseRoute],
                     note: str = "") -> ComplaintRecord:
    """Only after the customer was told the routes of recourse (协商, 消协调解, 行政投诉, 仲裁, 诉讼)."""
    if not routes_told:
        raise ValidationError(
            translate("Errors", "Tell the customer the routes of recourse and tick them before closing unresolved."),
            field="routes_told",
        )

    def change(c: Complaint, now: datetime) -> None:
        c.recourse_told = [RecourseRoute(r).value for r in routes_told]
        _close_and_plan_visit(c, now)

    return _step(db, actor, complaint_id, version, Action.CLOSE_UNRESOLVED, note, change)


def withdraw(db, actor, *, complaint_id: int, version: int, note: str) -> ComplaintRecord:
    _require_text(note, "note", translate("Errors", "Record how the customer withdrew the complaint."))
    return _step(db, actor, complaint_id, version, Action.WITHDRAW, note, _close)


def mark_duplicate(db, actor, *, complaint_id: int, version: int, duplicate_of: str, note: str = "") -> ComplaintRecord:
    def change(c: Complaint, now: datetime) -> None:
        original = object_session(c).scalar(select(Complaint).where(Complaint.number == duplicate_of.strip().upper()))
        if original is None or original.id == c.id:
            raise ValidationError(
                translate("Errors", "Complaint {number} does not exist or is this one.").format(number=duplicate_of),
                field="duplicate_of",
            )
        c.duplicate_of_id = original.id
        _close(c, now)

    return _step(db, actor, complaint_id, version, Action.MARK_DUPLICATE, note or duplicate_of, change)


def reopen(db, actor, *, complaint_id: int, version: int, reason: str) -> ComplaintRecord:
    """Reopened, e.g. when the return visit finds the customer dissatisfied."""
    _require_text(reason, "reason", translate("Errors", "Give the reason for reopening."))

    def change(c: Complaint, now: datetime) -> None:
        c.closed_at, c.customer_accepted = None, None
        c.accepted_at = now  # the resolution deadline runs again from now

    return _step(db, actor, complaint_id, version, Action.REOPEN, reason, change)


def hand_over(db, actor, *, complaint_id: int, version: int, to_user_id: int, note: str = "") -> ComplaintRecord:
    """First-contact responsibility passes to another person, who owns the complaint from now on."""

    def change(c: Complaint, now: datetime) -> None:
        target = object_session(c).get(User, to_user_id)
        if target is None or not target.is_active or not may(target.role_enum, Permission.COMPLAINT_HANDLE):
            raise ValidationError(translate("Errors", "Hand the complaint to an active user who handles complaints."),
                                  field="owner")
        c.owner_id = target.id

    return _step(db, actor, complaint_id, version, Action.HAND_OVER, note, change)


def add_note(db, actor, *, complaint_id: int, version: int, note: str, attachments: tuple[Path, ...] = ()) -> ComplaintRecord:
    if not note.strip() and not attachments:
        raise ValidationError(translate("Errors", "Write a note or attach a file."), field="note")
    for path in attachments:
        check_file(path)

    def change(c: Complaint, now: datetime) -> None:
        for path in attachments:
            attach(object_session(c), actor, owner_type="complaints", owner_id=c.id, path=path)

    return _step(db, actor, complaint_id, version, Action.NOTE, note, change)


# -- helpers ---------------------------------------------------------------------------------------------


def _close(complaint: Complaint, now: datetime) -> None:
    complaint.closed_at = now


def _close_and_plan_visit(complaint: Complaint, now: datetime) -> None:
    """A complaint closed with an answer gets a return visit (domain.md §5); a withdrawn or duplicate one not."""
    _close(complaint, now)
    due = now.astimezone().date() + timedelta(days=VISIT_AFTER_DAYS)
    object_session(complaint).add(ReturnVisit(customer_id=complaint.customer_id, complaint_id=complaint.id,
                                              kind=VisitKind.AFTER_COMPLAINT.value, due_on=due))


def _step(db: Database, actor: Actor, complaint_id: int, version: int, action: Action, note: str, change) -> ComplaintRecord:
    rule = WORKFLOW[action]
    require(actor, rule.permission)
    with db.uow(actor) as uow:
        session = uow.session
        complaint = _get(session, complaint_id)
        check_version(complaint, version)
        current = Status(complaint.status)
        if current not in rule.sources:
            raise ValidationError(
                translate("Errors", "Complaint {number} is {status}: “{action}” is not possible now.").format(
                    number=complaint.number, status=status_label(current), action=action_label(action)
                ),
                field="status",
            )
        now = utcnow()
        change(complaint, now)
        if rule.target is not None:
            complaint.status = rule.target.value
        complaint.due_at = due_at(
            Status(complaint.status),
            received_at=complaint.received_at,
            accepted_at=complaint.accepted_at,
            safety_hazard=complaint.safety_hazard,
            limits=time_limits(session),
        )
        _event(session, actor, complaint, action, current, note=note.strip())
        uow.commit()
        return build_record(session, actor, complaint)


def _event(session, actor: Actor, complaint: Complaint, action: Action, previous: Status | None, *, note: str) -> None:
    session.add(
        ComplaintEvent(
            complaint_id=complaint.id,
            at=utcnow(),
            user_id=actor.user_id,
            username=actor.username,
            action=action.value,
            from_status=previous.value if previous else None,
            to_status=complaint.status,
            note=note,
        )
    )


def _validate(data: ComplaintInput) -> None:
    _require_text(data.description, "description", translate("Errors", "Write the complaint in the customer's words."))
    _check_severity(data.severity)
    Channel(data.channel)
    ComplaintClass(data.classification)


def _check_severity(severity: int) -> None:
    if severity not in (1, 2, 3, 4):
        raise ValidationError(translate("Errors", "Severity is 1 (minor) to 4 (critical)."), field="severity",
                              value=severity)


def _require_text(text: str, field_name: str, message: str) -> None:
    if not text or not text.strip():
        raise ValidationError(message, field=field_name)


def _get(session, complaint_id: int) -> Complaint:
    complaint = session.get(Complaint, complaint_id)
    if complaint is None:
        raise NotFound(translate("Errors", "No complaint with id {id}.").format(id=complaint_id))
    return complaint
