"""Cost lines of a complaint. A line within the entering user's approval limit counts at once; a line
above it waits for the branch manager (domain.md §3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from desktop.db.uow import Actor, Database, check_version
from desktop.domain.base import utcnow
from desktop.domain.complaints import Bearer, Complaint, ComplaintCost, CostKind, CostState
from desktop.domain.errors import NotFound, ValidationError
from desktop.domain.roles import Permission, Role
from desktop.domain.users import User
from desktop.i18n import translate
from desktop.services.access import allowed, require

# When a user has no limit of their own. The manager approves anything; others enter small costs alone.
DEFAULT_LIMITS = {
    Role.OPERATOR: Decimal("0"),
    Role.ENGINEER: Decimal("500"),
    Role.WAREHOUSE: Decimal("0"),
    Role.AFTER_SALES_ADMIN: Decimal("2000"),
    Role.SYSADMIN: Decimal("0"),
}


@dataclass(frozen=True)
class CostLine:
    id: int
    kind: CostKind
    amount: Decimal
    bearer: Bearer
    allocation_department: str
    note: str
    state: CostState
    entered_by: str
    entered_at: datetime
    approved_by: str
    version: int


@dataclass(frozen=True)
class CostSummary:
    lines: tuple[CostLine, ...]
    approved_total: Decimal
    pending_total: Decimal
    by_bearer: dict[Bearer, Decimal]


def approval_limit(user: User) -> Decimal | None:
    """None: no limit (the branch manager)."""
    if user.role_enum == Role.MANAGER:
        return None
    return user.approval_limit if user.approval_limit is not None else DEFAULT_LIMITS[user.role_enum]


def parse_amount(text: str | Decimal) -> Decimal:
    try:
        amount = Decimal(str(text).replace(",", "").replace("，", "").replace("￥", "").strip())
    except InvalidOperation:
        raise ValidationError(translate("Errors", "Amount {text}: enter a number such as 1280.50.").format(text=text),
                              field="amount", value=text) from None
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")) or amount >= Decimal("1e10"):
        raise ValidationError(translate("Errors", "Amount {text}: more than 0, at most two decimals.").format(text=text),
                              field="amount", value=text)
    return amount


def add_cost(db: Database, actor: Actor, *, complaint_id: int, kind: CostKind, amount: Decimal | str, bearer: Bearer,
             allocation_department: str = "", note: str = "") -> CostSummary:
    require(actor, Permission.COST_ENTER)
    value = parse_amount(amount)
    with db.uow(actor) as uow:
        session = uow.session
        complaint = session.get(Complaint, complaint_id)
        if complaint is None:
            raise NotFound(translate("Errors", "No complaint with id {id}.").format(id=complaint_id))
        user = session.get(User, actor.user_id)
        limit = approval_limit(user)
        within = limit is None or value <= limit
        session.add(ComplaintCost(
            complaint_id=complaint.id, kind=CostKind(kind).value, amount=value, bearer=Bearer(bearer).value,
            allocation_department=allocation_department.strip(), note=note.strip(),
            state=(CostState.APPROVED if within else CostState.PENDING).value, entered_by_id=user.id,
            approved_by_id=user.id if within else None, approved_at=utcnow() if within else None,
        ))
        uow.commit()
        return _summary(session, complaint.id)


def decide_cost(db: Database, actor: Actor, *, cost_id: int, version: int, approve: bool) -> CostSummary:
    require(actor, Permission.COST_APPROVE)
    with db.uow(actor) as uow:
        cost = uow.session.get(ComplaintCost, cost_id)
        if cost is None:
            raise NotFound(translate("Errors", "No cost line with id {id}.").format(id=cost_id))
        check_version(cost, version)
        if cost.state != CostState.PENDING:
            raise ValidationError(translate("Errors", "This cost line was already decided."), field="state")
        cost.state = (CostState.APPROVED if approve else CostState.REJECTED).value
        cost.approved_by_id, cost.approved_at = actor.user_id, utcnow()
        uow.commit()
        return _summary(uow.session, cost.complaint_id)


def complaint_costs(db: Database, actor: Actor, complaint_id: int) -> CostSummary:
    require(actor, Permission.COMPLAINT_READ)
    with db.session_factory() as session:
        return _summary(session, complaint_id)


def _summary(session, complaint_id: int) -> CostSummary:
    rows = session.scalars(select(ComplaintCost).where(ComplaintCost.complaint_id == complaint_id).order_by(ComplaintCost.id))
    names = dict(session.execute(select(User.id, User.display_name)).all())
    lines = tuple(
        CostLine(c.id, CostKind(c.kind), c.amount, Bearer(c.bearer), c.allocation_department, c.note, CostState(c.state),
                 names.get(c.entered_by_id, ""), c.entered_at, names.get(c.approved_by_id, ""), c.version)
        for c in rows
    )
    by_bearer: dict[Bearer, Decimal] = {}
    for line in lines:
        if line.state == CostState.APPROVED:
            by_bearer[line.bearer] = by_bearer.get(line.bearer, Decimal(0)) + line.amount
    return CostSummary(
        lines=lines,
        approved_total=sum((line.amount for line in lines if line.state == CostState.APPROVED), Decimal(0)),
        pending_total=sum((line.amount for line in lines if line.state == CostState.PENDING), Decimal(0)),
        by_bearer=by_bearer,
    )


def can_approve(actor: Actor) -> bool:
    return allowed(actor, Permission.COST_APPROVE)
