"""Service orders: intake with the 三包 proposal and the person's decision, dispatch and appointments,
the engineer's record and parts, completion, signatures bound to the content, revisions.

The parts an engineer uses come from the warehouse: the keeper issues them against the order (an issue
slip whose reference is the order number); the engineer records which were used and what became of the
old part; what was not used goes back with a return slip.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.db.counters import next_number
from desktop.db.uow import Actor, Database, check_version
from desktop.domain.base import utcnow
from desktop.domain.customers import Customer, Product
from desktop.domain.errors import NotFound, PermissionDenied, ValidationError
from desktop.domain.records import Attachment, BranchSetting
from desktop.domain.privacy import mask_phone
from desktop.domain.roles import Permission, Role
from desktop.domain.sanbao import Coverage, Entitlement, SanbaoRules, UnitFacts, evaluate
from desktop.domain.service_orders import (
    VISIT_AFTER_DAYS,
    OLD_PART_FATES,
    EngineerProfile,
    OrderCategory,
    OrderEvent,
    OrderPart,
    OrderStatus,
    ReturnVisit,
    ServiceOrder,
    Signature,
    Urgency,
    VisitKind,
    order_status_label,
)
from desktop.domain.users import User
from desktop.domain.warehouse import MovementKind, Part, StockDocument, StockMovement
from desktop.i18n import translate
from desktop.services.access import allowed, require
from desktop.services.engineers import covered_by
from desktop.services.attachments import AttachmentInfo, attach, attachment_content, attachments_of, check_file

DEFAULT_RULES = {
    "air_conditioner": SanbaoRules(),
    "central_ac": SanbaoRules(whole_unit_months=24, main_part_months=36),
    "machinery": SanbaoRules(household=False),
}


@dataclass(frozen=True)
class OrderInput:
    customer_id: int
    request: str
    category: OrderCategory
    urgency: Urgency = Urgency.NORMAL
    product_id: int | None = None
    contact_name: str = ""
    contact_phone: str = ""
    project: str = ""
    special_requests: str = ""
    expected_by: datetime | None = None


@dataclass(frozen=True)
class EngineerChoice:
    user_id: int
    name: str
    score: int
    open_today: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class OrderRecord:
    id: int
    number: str
    revision: int
    status: OrderStatus
    status_label: str
    customer_id: int
    customer_name: str
    contact_name: str
    contact_phone: str
    product_model: str
    serial_number: str
    project: str
    request: str
    category: OrderCategory
    urgency: Urgency
    coverage_proposed: Coverage
    coverage_rule: str
    coverage_decided: Coverage
    engineer: str
    appointment_at: datetime | None
    finish_by: datetime | None
    arrived_at: datetime | None
    finished_at: datetime | None
    diagnosis: str
    measures: str
    labour_fee: Decimal
    other_fee: Decimal
    parts: tuple[tuple[str, str, Decimal, Decimal, str], ...]  # code, name, quantity, unit price, old part
    parts_total: Decimal
    total: Decimal
    remaining_issues: str
    advice: str
    self_check_done: bool
    signatures: tuple[tuple[str, str, datetime], ...]  # role, name, time
    signed_hash: str | None
    version: int
    events: tuple[tuple[datetime, str, str, str], ...] = field(default=())  # at, user, action, note
    confirmed_need: str = ""
    fees_agreed: bool = False
    special_requests: str = ""
    expected_by: datetime | None = None
    engineer_id: int | None = None
    # Every appointment agreed, oldest first: (agreed at, by, appointment, reason — empty for the first).
    appointments: tuple[tuple[datetime, str, datetime, str], ...] = ()
    paper_scans: tuple[tuple[str, int, str], ...] = ()  # signer role, attachment id, file: signed on paper
    latest_revision: int = 1  # the newest revision with this number; only that one may be revised
    decision_reason: str = ""  # why the person decided other than the 三包 proposal


@dataclass(frozen=True)
class IssuedPart:
    """A part the warehouse issued against the order (less what went back), and what the engineer recorded."""

    part_id: int
    code: str
    name: str
    unit: str
    issued: Decimal
    unit_cost: Decimal
    used: Decimal | None  # None: not recorded as used
    unit_price: Decimal | None
    old_part: str | None


# -- intake ----------------------------------------------------------------------------------------------


def sanbao_rules(session: Session, category: str) -> SanbaoRules:
    stored = session.get(BranchSetting, f"sanbao:{category}")
    if stored is None:
        return DEFAULT_RULES.get(category, SanbaoRules())
    values = dict(stored.value)
    values["main_parts"] = tuple(values.get("main_parts", ("压缩机",)))
    values["daily_depreciation"] = Decimal(str(values.get("daily_depreciation", "0.0005")))
    return SanbaoRules(**values)


def propose_coverage(db: Database, actor: Actor, *, product_id: int | None, today: date | None = None,
                     **facts) -> Entitlement:
    """What the unit is entitled to, with the rule and the dates, as shown at intake before saving."""
    require(actor, Permission.ORDER_REGISTER)
    with db.session_factory() as session:
        return _entitlement(session, product_id, today or utcnow().astimezone().date(), **facts)


def register_order(db: Database, actor: Actor, *, branch_code: str, data: OrderInput, coverage: Coverage,
                   today: date | None = None, decision_note: str = "") -> OrderRecord:
    """Save the request read back to the customer, with the proposal shown and the coverage the person chose.
    `decision_note`: why the person chose other than the proposal, kept in the order's history beside both."""
    require(actor, Permission.ORDER_REGISTER)
    if not data.request.strip():
        raise ValidationError(translate("Errors", "Write what the customer asks for."), field="request")
    with db.uow(actor) as uow:
        session = uow.session
        customer = session.get(Customer, data.customer_id)
        if customer is None or customer.archived_at is not None:
            raise ValidationError(translate("Errors", "Choose an existing customer."), field="customer")
        if data.product_id and session.scalar(select(Product.customer_id).where(Product.id == data.product_id)) != customer.id:
            raise ValidationError(translate("Errors", "The product is not one of this customer's."), field="product")
        proposal = _entitlement(session, data.product_id, today or utcnow().astimezone().date())
        moment = utcnow()
        sequence = next_number(session, f"order:{branch_code}:{moment.astimezone():%Y%m}")
        order = ServiceOrder(
            number=f"FW-{branch_code}-{moment.astimezone():%Y%m}-{sequence:04d}", branch_code=branch_code,
            customer_id=customer.id, product_id=data.product_id,
            contact_name=(data.contact_name or customer.contact_person or customer.name).strip(),
            contact_phone=(data.contact_phone or customer.phone).strip(), project=data.project.strip(),
            request=data.request.strip(), special_requests=data.special_requests.strip(),
            category=OrderCategory(data.category).value, urgency=Urgency(data.urgency).value,
            expected_by=data.expected_by, coverage_proposed=proposal.coverage.value, coverage_rule=proposal.rule,
            coverage_decided=Coverage(coverage).value, coverage_decided_by=actor.username, created_by=actor.username,
        )
        session.add(order)
        session.flush()
        # the rule and both codes are on the order; the event keeps the person's reason for a different decision
        _event(session, actor, order, "register", decision_note.strip() if coverage != proposal.coverage else "",
               {"proposed": proposal.coverage.value, "decided": Coverage(coverage).value})
        uow.commit()
        return _record(session, order)


# -- dispatch --------------------------------------------------------------------------------------------


def rank_engineers(db: Database, actor: Actor, *, order_id: int, day: date | None = None) -> list[EngineerChoice]:
    """Engineers best first: skilled in the order's category (+3), covering the customer's area (+2), and
    with fewer orders already booked that day (−1 each). The reasons say why."""
    require(actor, Permission.ORDER_DISPATCH)
    with db.session_factory() as session:
        order = _get(session, order_id)
        region = session.get(Customer, order.customer_id).region
        day = day or (order.appointment_at.astimezone().date() if order.appointment_at else utcnow().astimezone().date())
        start = datetime.combine(day, time.min).astimezone()
        end = datetime.combine(day, time.max).astimezone()
        choices = []
        for user, profile in session.execute(
            select(User, EngineerProfile).outerjoin(EngineerProfile, EngineerProfile.user_id == User.id)
            .where(User.role == Role.ENGINEER.value, User.is_active.is_(True))
        ):
            booked = session.scalar(select(func.count()).select_from(ServiceOrder).where(
                ServiceOrder.engineer_id == user.id, ServiceOrder.appointment_at.between(start, end),
                ServiceOrder.status.in_([OrderStatus.DISPATCHED.value, OrderStatus.ON_SITE.value])))
            skilled = profile is not None and order.category in (profile.skills or [])
            near = covered_by(profile.area, region) if profile is not None and profile.area else None
            reasons = [translate("Dispatch", "skilled in this kind of work") if skilled
                       else translate("Dispatch", "not listed for this kind of work"),
                       translate("Dispatch", "covers {area}").format(area=near) if near
                       else translate("Dispatch", "other area"),
                       translate("Dispatch", "{n} orders booked that day").format(n=booked)]
            choices.append(EngineerChoice(user.id, user.display_name, 3 * skilled + 2 * bool(near) - booked, booked,
                                          tuple(reasons)))
        return sorted(choices, key=lambda c: (-c.score, c.open_today, c.name))


def dispatch(db: Database, actor: Actor, *, order_id: int, version: int, engineer_id: int, appointment_at: datetime,
             finish_by: datetime, note: str = "") -> OrderRecord:
    require(actor, Permission.ORDER_DISPATCH)
    if finish_by <= appointment_at:
        raise ValidationError(translate("Errors", "The work must be due after the appointment."), field="finish_by")

    def change(session, order):
        engineer = session.get(User, engineer_id)
        if engineer is None or engineer.role != Role.ENGINEER.value or not engineer.is_active:
            raise ValidationError(translate("Errors", "Choose an active service engineer."), field="engineer")
        order.engineer_id, order.appointment_at, order.finish_by = engineer.id, appointment_at, finish_by
        order.status = OrderStatus.DISPATCHED.value
        return {"engineer": engineer.username, "appointment_at": appointment_at.isoformat()}

    return _step(db, actor, order_id, version, {OrderStatus.REGISTERED}, "dispatch", note, change)


def reschedule(db: Database, actor: Actor, *, order_id: int, version: int, appointment_at: datetime,
               finish_by: datetime, reason: str) -> OrderRecord:
    """A new time agreed with the customer; the history keeps the old one and the reason."""
    require(actor, Permission.ORDER_DISPATCH)
    if not reason.strip():
        raise ValidationError(translate("Errors", "Give the reason for the new time."), field="reason")

    def change(session, order):
        old = order.appointment_at
        order.appointment_at, order.finish_by = appointment_at, finish_by
        return {"from": old.isoformat() if old else None, "to": appointment_at.isoformat()}

    return _step(db, actor, order_id, version, {OrderStatus.DISPATCHED}, "reschedule", reason, change)


# -- on site ---------------------------------------------------------------------------------------------


ARRIVAL_CLOCK_SLACK = timedelta(minutes=5)  # PCs' clocks differ a little, and forms enter whole minutes


def arrive(db: Database, actor: Actor, *, order_id: int, version: int, at: datetime | None = None) -> OrderRecord:
    require(actor, Permission.ORDER_WORK)

    def change(session, order):
        order.arrived_at = at or utcnow()
        if not order.created_at - ARRIVAL_CLOCK_SLACK <= order.arrived_at <= utcnow() + ARRIVAL_CLOCK_SLACK:
            # the response time (a KPI) is arrival − registration: neither can run backwards
            raise ValidationError(translate("Errors", "The arrival time must lie between the request's registration "
                                                      "({registered}) and now.").format(
                registered=order.created_at.astimezone().strftime("%Y-%m-%d %H:%M")), field="arrived_at")
        order.status = OrderStatus.ON_SITE.value
        on_time = order.appointment_at is None or order.arrived_at <= order.appointment_at
        return {"on_time": on_time}

    return _step(db, actor, order_id, version, {OrderStatus.DISPATCHED}, "arrive", "", change)


def record_work(db: Database, actor: Actor, *, order_id: int, version: int, confirmed_need: str, diagnosis: str,
                measures: str, labour_fee: Decimal, other_fee: Decimal, fees_agreed: bool, remaining_issues: str = "",
                advice: str = "", self_check_done: bool = False) -> OrderRecord:
    require(actor, Permission.ORDER_WORK)
    if labour_fee < 0 or other_fee < 0:
        raise ValidationError(translate("Errors", "Fees cannot be negative."), field="labour_fee")

    def change(session, order):
        if (labour_fee or other_fee) and not fees_agreed:
            raise ValidationError(translate("Errors", "Agree the fees with the customer before charging them."),
                                  field="fees_agreed")
        order.confirmed_need, order.diagnosis, order.measures = confirmed_need.strip(), diagnosis.strip(), measures.strip()
        order.labour_fee, order.other_fee, order.fees_agreed = labour_fee, other_fee, fees_agreed
        order.remaining_issues, order.advice = remaining_issues.strip(), advice.strip()
        order.self_check_done = self_check_done
        return None

    return _step(db, actor, order_id, version, {OrderStatus.ON_SITE}, "record_work", "", change)


def record_parts_used(db: Database, actor: Actor, *, order_id: int, version: int,
                      lines: list[tuple[int, Decimal, Decimal, str]]) -> OrderRecord:
    """(part id, quantity, unit price charged, old part: returned / scrapped / kept) for parts the warehouse
    issued against this order; more than was issued (less what went back) is refused."""
    require(actor, Permission.ORDER_WORK)

    def change(session, order):
        issued = _issued(session, order.number)
        for old in session.scalars(select(OrderPart).where(OrderPart.order_id == order.id)):
            session.delete(old)
        for part_id, quantity, price, old_part in lines:
            if quantity > issued.get(part_id, 0):
                code = session.get(Part, part_id).code
                raise ValidationError(translate("Errors", "Only {n} of {code} were issued for this order.").format(
                    n=f"{Decimal(issued.get(part_id, 0)).normalize():f}", code=code), field="parts")
            if old_part not in OLD_PART_FATES:
                raise ValidationError(translate("Errors", "Say what happened to the old part."), field="old_part")
            session.add(OrderPart(order_id=order.id, part_id=part_id, quantity=quantity, unit_price=price,
                                  issue_number=order.number, old_part=old_part))
        return {"parts": len(lines)}

    return _step(db, actor, order_id, version, {OrderStatus.ON_SITE}, "parts", "", change)


def issued_parts(db: Database, actor: Actor, order_id: int) -> list[IssuedPart]:
    """What the warehouse issued against the order less what went back, beside what the engineer recorded as
    used (a part recorded earlier stays listed even when all of it went back since)."""
    require(actor, Permission.ORDER_READ)
    with db.session_factory() as session:
        order = _get(session, order_id)
        issued = _issued(session, order.number)
        used = {p.part_id: p for p in session.scalars(select(OrderPart).where(OrderPart.order_id == order.id))}
        ids = {part_id for part_id, quantity in issued.items() if quantity > 0} | set(used)
        rows = []
        for part in session.scalars(select(Part).where(Part.id.in_(ids)).order_by(Part.code)) if ids else ():
            line = used.get(part.id)
            rows.append(IssuedPart(part.id, part.code, part.name, part.unit, Decimal(issued.get(part.id, 0)),
                                   part.unit_cost, line.quantity if line else None, line.unit_price if line else None,
                                   line.old_part if line else None))
        return rows


def complete(db: Database, actor: Actor, *, order_id: int, version: int) -> OrderRecord:
    """The work is done and checked; the order waits for the customer's acceptance and signature."""
    require(actor, Permission.ORDER_WORK)

    def change(session, order):
        if not order.self_check_done:
            raise ValidationError(translate("Errors", "Do the self-check before completing."), field="self_check_done")
        if not order.measures:
            raise ValidationError(translate("Errors", "Record the measures taken."), field="measures")
        order.finished_at = utcnow()
        order.status = OrderStatus.COMPLETED.value
        order.first_time_fix = not order.remaining_issues
        on_time = order.finish_by is None or order.finished_at <= order.finish_by
        return {"on_time": on_time, "first_time_fix": order.first_time_fix}

    return _step(db, actor, order_id, version, {OrderStatus.ON_SITE}, "complete", "", change)


# -- signatures ------------------------------------------------------------------------------------------


def slip_content(record: OrderRecord) -> str:
    """The slip's content as signed: what the customer accepts. Its hash binds every signature to it."""
    keys = ("number", "revision", "customer_name", "product_model", "serial_number", "request", "category",
            "coverage_decided", "diagnosis", "measures", "labour_fee", "other_fee", "parts", "total",
            "remaining_issues", "advice")
    return json.dumps({k: getattr(record, k) for k in keys}, ensure_ascii=False, sort_keys=True, default=str)


def sign(db: Database, actor: Actor, *, order_id: int, signer_role: str, signer_name: str,
         strokes: list | None, image_png: bytes | None) -> OrderRecord:
    """A signature drawn on screen (strokes and image). The customer's makes the order signed: from then on
    it is never edited (a correction is a new revision)."""
    require(actor, Permission.ORDER_WORK)
    _check_signer(signer_role, signer_name)
    if not strokes or not image_png:
        raise ValidationError(translate("Errors", "The signature is empty."), field="signature")
    with db.uow(actor) as uow:
        order = _get(uow.session, order_id)
        _add_signature(uow.session, actor, order, signer_role, signer_name, strokes=strokes, image_png=image_png)
        uow.commit()
        return _record(uow.session, order)


def attach_paper_signoff(db: Database, actor: Actor, *, order_id: int, signer_name: str, path: Path | str,
                         signer_role: str = "customer") -> OrderRecord:
    """The paper alternative: the customer signed the printed 客户签收单 by hand; its scan is stored with the
    signature (no strokes, no drawn image) and binds it to the slip's content like a signature on screen."""
    require(actor, Permission.ORDER_WORK)
    _check_signer(signer_role, signer_name)
    path = Path(path)
    check_file(path)  # before the transaction: a wrong file is refused without waiting for the write lock
    with db.uow(actor) as uow:
        order = _get(uow.session, order_id)
        _add_signature(uow.session, actor, order, signer_role, signer_name, paper=path)
        uow.commit()
        return _record(uow.session, order)


@dataclass(frozen=True)
class OrderContact:
    phone: str
    address: str
    full: bool  # False: masked (138****5678, the address to district level)


def order_contact(db: Database, actor: Actor, order_id: int) -> OrderContact:
    """The contact's phone and the site address of an order. In full for roles that may see personal data and
    for the engineer dispatched to it, who has to call and go there; such a view is logged (domain.md §10).
    Everyone else gets them masked."""
    require(actor, Permission.ORDER_READ)
    with db.uow(actor) as uow:
        order = _get(uow.session, order_id)
        customer = uow.session.get(Customer, order.customer_id)
        product = uow.session.get(Product, order.product_id) if order.product_id else None
        if not (allowed(actor, Permission.PII_VIEW) or (actor.role == Role.ENGINEER and order.engineer_id == actor.user_id)):
            return OrderContact(mask_phone(order.contact_phone), customer.region, False)
        address = (product.site_address if product and product.site_address
                   else customer.region + customer.address_detail)
        uow.audit("view_pii", "service_orders", order.id, summary=f"{order.number}: contact phone and site address")
        uow.commit()
        return OrderContact(order.contact_phone, address, True)


def order_attachment(db: Database, actor: Actor, *, order_id: int, attachment_id: int) -> tuple[AttachmentInfo, bytes]:
    """One of the order's files (a signed paper's scan), to open it; audited like opening a record in full,
    since a signed sheet shows the customer's name and hand."""
    require(actor, Permission.ORDER_READ)
    with db.uow(actor) as uow:
        order = _get(uow.session, order_id)
        if attachment_id not in {a.id for a in attachments_of(uow.session, "service_orders", order.id)}:
            raise NotFound(translate("Errors", "No attachment with id {id}.").format(id=attachment_id))
        info, data = attachment_content(uow.session, attachment_id)
        uow.audit("view_pii", "service_orders", order.id, summary=f"{order.number}: {info.filename}")
        uow.commit()
        return info, data


def _check_signer(signer_role: str, signer_name: str) -> None:
    if signer_role not in ("customer", "engineer"):
        raise ValidationError(translate("Errors", "Unknown signer."), field="signer_role")
    if not signer_name.strip():
        raise ValidationError(translate("Errors", "Enter the signer's name."), field="signer_name")


def _add_signature(session: Session, actor: Actor, order: ServiceOrder, signer_role: str, signer_name: str, *,
                   strokes: list | None = None, image_png: bytes | None = None, paper: Path | None = None) -> None:
    """What signing on screen and on paper share: the state check, one signature per signer, the hash of the
    content signed, and — for the customer — the order signed and its return visit due.

    The engineer may still sign after the customer: that adds a signature and changes nothing signed."""
    status = OrderStatus(order.status)
    signed_by = session.scalars(select(Signature.signer_role).where(Signature.order_id == order.id)).all()
    if signer_role in signed_by:
        raise ValidationError(translate("Errors", "Order {number} is signed by the {signer} already.").format(
            number=order.number, signer=signer_label(signer_role)), field="signer_role")
    if status != OrderStatus.COMPLETED and not (signer_role == "engineer" and status == OrderStatus.SIGNED):
        raise ValidationError(translate("Errors", "Order {number} is {status}: it can be signed once the work is done.").format(
            number=order.number, status=order_status_label(order.status)), field="status")
    _require_own_order(actor, order)
    digest = hashlib.sha256(slip_content(_record(session, order)).encode()).hexdigest()
    attachment_id = None
    if paper is not None:
        attachment = attach(session, actor, owner_type="service_orders", owner_id=order.id, path=paper)
        session.flush()
        attachment_id = attachment.id
    name = signer_name.strip()
    session.add(Signature(order_id=order.id, signer_role=signer_role, signer_name=name, strokes=strokes,
                          image_png=image_png, content_hash=digest, paper_attachment_id=attachment_id))
    if signer_role == "customer":
        order.signed_hash = digest
        order.status = OrderStatus.SIGNED.value
        day = utcnow().astimezone().date()
        session.add(ReturnVisit(customer_id=order.customer_id, order_id=order.id, kind=VisitKind.AFTER_ORDER.value,
                                due_on=date.fromordinal(day.toordinal() + VISIT_AFTER_DAYS)))
    _event(session, actor, order, f"sign_{signer_role}", name,
           {"paper_attachment_id": attachment_id} if attachment_id else None)


def signer_label(role: str) -> str:
    return {"customer": translate("Signer", "customer"), "engineer": translate("Signer", "engineer")}.get(role, role)


def revise(db: Database, actor: Actor, *, order_id: int, reason: str) -> OrderRecord:
    """Correct a signed order: a new revision with the same number, waiting for new signatures; the signed
    one stays as it was."""
    require(actor, Permission.ORDER_WORK)
    if not reason.strip():
        raise ValidationError(translate("Errors", "Give the reason for the correction."), field="reason")
    with db.uow(actor) as uow:
        session = uow.session
        old = _get(session, order_id)
        if OrderStatus(old.status) != OrderStatus.SIGNED:
            raise ValidationError(translate("Errors", "Only a signed order needs a revision; edit this one."),
                                  field="status")
        latest = session.scalar(select(func.max(ServiceOrder.revision)).where(ServiceOrder.number == old.number))
        if latest != old.revision:
            raise ValidationError(translate("Errors", "Revision {n} of this order exists already.").format(n=latest))
        copied = {c.key: getattr(old, c.key) for c in ServiceOrder.__table__.columns
                  if c.key not in ("id", "revision", "previous_id", "status", "signed_hash", "version", "created_at",
                                   "updated_at", "updated_by")}
        new = ServiceOrder(**copied, revision=old.revision + 1, previous_id=old.id, status=OrderStatus.COMPLETED.value)
        session.add(new)
        session.flush()
        for part in session.scalars(select(OrderPart).where(OrderPart.order_id == old.id)):
            session.add(OrderPart(order_id=new.id, part_id=part.part_id, quantity=part.quantity,
                                  unit_price=part.unit_price, issue_number=part.issue_number, old_part=part.old_part))
        _event(session, actor, new, "revise", reason.strip())
        uow.commit()
        return _record(session, new)


def get_order(db: Database, actor: Actor, order_id: int) -> OrderRecord:
    require(actor, Permission.ORDER_READ)
    with db.session_factory() as session:
        return _record(session, _get(session, order_id))


# -- helpers ---------------------------------------------------------------------------------------------


def _entitlement(session: Session, product_id: int | None, today: date, **facts) -> Entitlement:
    product = session.get(Product, product_id) if product_id else None
    if product is None:
        return evaluate(SanbaoRules(household=False), UnitFacts(invoice_date=None, today=today))
    rules = sanbao_rules(session, product.category)
    return evaluate(rules, UnitFacts(invoice_date=product.invoice_date or product.purchase_date, today=today,
                                     contract_warranty_end=product.warranty_end, **facts))


_EDITABLE = {OrderStatus.REGISTERED, OrderStatus.DISPATCHED, OrderStatus.ON_SITE, OrderStatus.COMPLETED}


_ENGINEER_STEPS = {"arrive", "record_work", "parts", "complete"}


def may_work_on(actor: Actor, engineer_id: int | None) -> bool:
    """An engineer records work only on the orders dispatched to them; the after-sales administrator and
    the manager may record on an engineer's behalf (a phoned-in report)."""
    return actor.role != Role.ENGINEER or actor.is_system or engineer_id == actor.user_id


def _require_own_order(actor: Actor, order: ServiceOrder) -> None:
    if not may_work_on(actor, order.engineer_id):
        raise PermissionDenied(translate("Errors", "Order {number} is dispatched to another engineer.").format(
            number=order.number))


def _step(db, actor, order_id, version, states, action, note, change) -> OrderRecord:
    with db.uow(actor) as uow:
        session = uow.session
        order = _get(session, order_id)
        check_version(order, version)
        status = OrderStatus(order.status)
        if status == OrderStatus.SIGNED:
            raise ValidationError(translate("Errors", "Order {number} is signed and cannot change; make a revision.").format(
                number=order.number), field="status")
        if status not in states:
            raise ValidationError(translate("Errors", "Order {number} is {status}: that is not possible now.").format(
                number=order.number, status=order_status_label(status)), field="status")
        if action in _ENGINEER_STEPS:
            _require_own_order(actor, order)
        details = change(session, order)
        _event(session, actor, order, action, note.strip(), details)
        uow.commit()
        return _record(session, order)


def _issued(session: Session, order_number: str) -> dict[int, Decimal]:
    """Part id → quantity issued against the order (issue slips whose reference is its number), less what
    went back on return slips of those issues; a reversal of either counts the other way."""
    slips = select(StockDocument.number).where(StockDocument.reference == order_number,
                                               StockDocument.kind == MovementKind.ISSUE.value)
    returns = select(StockDocument.number).where(StockDocument.kind == MovementKind.RETURN.value,
                                                 StockDocument.reference.in_(slips))
    return dict(session.execute(
        select(StockMovement.part_id, -func.sum(StockMovement.quantity))
        .join(StockDocument, StockDocument.id == StockMovement.document_id)
        .where(((StockDocument.reference == order_number) & (StockDocument.kind == MovementKind.ISSUE.value))
               | ((StockDocument.kind == MovementKind.RETURN.value) & StockDocument.reference.in_(slips))
               | ((StockDocument.kind == MovementKind.REVERSAL.value)
                  & (StockDocument.reference.in_(slips) | StockDocument.reference.in_(returns))))
        .group_by(StockMovement.part_id)).all())


def _event(session, actor: Actor, order: ServiceOrder, action: str, note: str, details: dict | None = None) -> None:
    session.add(OrderEvent(order_id=order.id, at=utcnow(), username=actor.username, action=action, note=note,
                           details=details))


def _get(session, order_id: int) -> ServiceOrder:
    order = session.get(ServiceOrder, order_id)
    if order is None:
        raise NotFound(translate("Errors", "No service order with id {id}.").format(id=order_id))
    return order


def _record(session, o: ServiceOrder) -> OrderRecord:
    customer = session.get(Customer, o.customer_id)
    product = session.get(Product, o.product_id) if o.product_id else None
    engineer = session.get(User, o.engineer_id) if o.engineer_id else None
    parts = tuple(
        (code, name, q, price, old) for code, name, q, price, old in session.execute(
            select(Part.code, Part.name, OrderPart.quantity, OrderPart.unit_price, OrderPart.old_part)
            .join(Part, Part.id == OrderPart.part_id).where(OrderPart.order_id == o.id).order_by(OrderPart.id)))
    parts_total = sum((q * price for _, _, q, price, _ in parts), Decimal(0)).quantize(Decimal("0.01"))
    signatures = tuple(session.execute(select(Signature.signer_role, Signature.signer_name, Signature.signed_at)
                                       .where(Signature.order_id == o.id).order_by(Signature.id)).all())
    events = session.execute(select(OrderEvent.at, OrderEvent.username, OrderEvent.action, OrderEvent.note)
                             .where(OrderEvent.order_id == o.id).order_by(OrderEvent.id)).all()
    names = dict(session.execute(select(User.username, User.display_name)
                                 .where(User.username.in_({user for _, user, _, _ in events}))).all())
    events = tuple((at, names.get(user) or user, action, note) for at, user, action, note in events)
    decision_reason = next((note for _, _, action, note in events if action == "register"), "")
    appointments = []  # the dispatch's time, then each reschedule's new one (ISO text in the event's details)
    for at, user, note, details in session.execute(
            select(OrderEvent.at, OrderEvent.username, OrderEvent.note, OrderEvent.details)
            .where(OrderEvent.order_id == o.id, OrderEvent.action.in_(("dispatch", "reschedule")))
            .order_by(OrderEvent.id)):
        agreed = (details or {}).get("to") or (details or {}).get("appointment_at")
        if agreed:
            appointments.append((at, user, datetime.fromisoformat(agreed), note))
    paper = tuple(session.execute(
        select(Signature.signer_role, Attachment.id, Attachment.filename)
        .join(Attachment, Attachment.id == Signature.paper_attachment_id)
        .where(Signature.order_id == o.id).order_by(Signature.id)).all())
    latest = session.scalar(select(func.max(ServiceOrder.revision)).where(ServiceOrder.number == o.number))
    return OrderRecord(
        o.id, o.number, o.revision, OrderStatus(o.status), order_status_label(o.status), o.customer_id, customer.name,
        o.contact_name, o.contact_phone, product.model if product else "", product.serial_number if product else "",
        o.project, o.request, OrderCategory(o.category), Urgency(o.urgency), Coverage(o.coverage_proposed),
        o.coverage_rule, Coverage(o.coverage_decided), engineer.display_name if engineer else "", o.appointment_at,
        o.finish_by, o.arrived_at, o.finished_at, o.diagnosis, o.measures, o.labour_fee, o.other_fee, parts,
        parts_total, (o.labour_fee + o.other_fee + parts_total).quantize(Decimal("0.01")), o.remaining_issues,
        o.advice, o.self_check_done, tuple(tuple(s) for s in signatures), o.signed_hash, o.version,
        events, confirmed_need=o.confirmed_need, decision_reason=decision_reason, fees_agreed=o.fees_agreed,
        special_requests=o.special_requests, expected_by=o.expected_by, engineer_id=o.engineer_id,
        appointments=tuple(appointments), paper_scans=tuple(tuple(p) for p in paper), latest_revision=latest or o.revision,
    )


def print_slip(db: Database, actor: Actor, *, order_id: int, target, branch_name: str, blank: bool = False,
               font: str | None = None):
    """The service slip with the signatures as drawn, or (blank) the customer sign-off sheet to sign by hand."""
    from reports.service_slip import render_service_slip

    require(actor, Permission.ORDER_READ)
    with db.uow(actor) as uow:
        session = uow.session
        order = _get(session, order_id)
        record = _record(session, order)
        images = _signature_images(session, order.id)
        render_service_slip(record, branch_name=branch_name, target=target, signatures=images, blank=blank, font=font)
        uow.audit("print", "service_orders", order.id, summary=f"{'客户签收单' if blank else '售后服务单'} {order.number} → {target}")
        uow.commit()
    return target


def signature_images(db: Database, actor: Actor, order_id: int) -> dict[str, bytes]:
    """The drawn signatures as PNG by signer (customer, engineer); a paper sign-off has none."""
    require(actor, Permission.ORDER_READ)
    with db.session_factory() as session:
        return _signature_images(session, _get(session, order_id).id)


def _signature_images(session: Session, order_id: int) -> dict[str, bytes]:
    return dict(session.execute(select(Signature.signer_role, Signature.image_png)
                                .where(Signature.order_id == order_id, Signature.image_png.is_not(None))).all())


def find_order(db: Database, actor: Actor, number: str) -> OrderRecord:
    """The newest revision of the order with this number."""
    require(actor, Permission.ORDER_READ)
    with db.session_factory() as session:
        order = session.scalar(select(ServiceOrder).where(ServiceOrder.number == number.strip().upper())
                               .order_by(ServiceOrder.revision.desc()).limit(1))
        if order is None:
            raise NotFound(translate("Errors", "No service order numbered {number}.").format(number=number),
                           field="number")
        return _record(session, order)
