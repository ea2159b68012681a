"""Complaints (客户投诉, domain.md §3): entities and the closed-loop workflow of ISO 10002.

registered → acknowledged → assessed → (manager accepts) investigating → decided → communicated →
customer accepts → executing → closed as resolved; customer rejects → rejected → escalated back to
investigating, or closed as unresolved once the recourse routes were told. Side exits: not accepted,
withdrawn, duplicate. A closed complaint is reopened when a return visit finds the customer dissatisfied.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.domain.base import Base, UTCDateTime, utcnow
from desktop.domain.roles import Permission
from desktop.i18n import translate


class Channel(StrEnum):
    HOTLINE = "hotline"
    VISIT = "visit"
    LETTER = "letter"
    EMAIL = "email"
    ONLINE = "online"


class ComplaintClass(StrEnum):
    QUALITY = "quality"  # 产品质量问题
    NON_QUALITY = "non_quality"  # 非质量原因: misuse, installation, transport, attitude …
    CONSULTATION = "consultation"


class Status(StrEnum):
    REGISTERED = "registered"  # 已登记
    ACKNOWLEDGED = "acknowledged"  # 已确认
    ASSESSED = "assessed"  # 已评估
    INVESTIGATING = "investigating"  # 调查中
    DECIDED = "decided"  # 方案已定 (manager)
    COMMUNICATED = "communicated"  # 方案已告知
    REJECTED = "rejected"  # 客户不接受
    EXECUTING = "executing"  # 执行中
    CLOSED_RESOLVED = "closed_resolved"
    CLOSED_UNRESOLVED = "closed_unresolved"
    NOT_ACCEPTED = "not_accepted"  # 不受理
    WITHDRAWN = "withdrawn"  # 撤诉
    DUPLICATE = "duplicate"

    @property
    def is_open(self) -> bool:
        return self not in CLOSED


CLOSED = frozenset(
    {Status.CLOSED_RESOLVED, Status.CLOSED_UNRESOLVED, Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.DUPLICATE}
)


class ResponseType(StrEnum):
    REPAIR = "repair"
    REPLACE_PART = "replace_part"
    EXCHANGE = "exchange"
    REFUND = "refund"
    COMPENSATION = "compensation"
    TECHNICAL_SUPPORT = "technical_support"
    EXPLANATION = "explanation"
    TRAINING = "training"
    APOLOGY = "apology"


class RecourseRoute(StrEnum):
    NEGOTIATION = "negotiation"  # 协商
    CONSUMER_ASSOCIATION = "consumer_association"  # 消协调解
    ADMINISTRATIVE = "administrative"  # 行政投诉
    ARBITRATION = "arbitration"  # 仲裁
    LITIGATION = "litigation"  # 诉讼


class CostKind(StrEnum):
    TRAVEL = "travel"
    LODGING = "lodging"
    ALLOWANCE = "allowance"
    REPAIR = "repair"
    PARTS = "parts"
    TRANSPORT = "transport"
    PACKAGING = "packaging"
    COMPENSATION = "compensation"


class Bearer(StrEnum):
    BRANCH = "branch"  # 销售分公司
    COMPANY = "company"  # 公司
    MANUFACTURING = "manufacturing"  # 计入制造成本
    CUSTOMER = "customer"  # non-quality damage, recovered from the customer


class CostState(StrEnum):
    APPROVED = "approved"
    PENDING = "pending"  # above the entering user's limit: waits for the branch manager
    REJECTED = "rejected"


class Action(StrEnum):
    REGISTER = "register"
    ACKNOWLEDGE = "acknowledge"
    ASSESS = "assess"
    ACCEPT = "accept"
    REFUSE = "refuse"
    RECORD_INVESTIGATION = "record_investigation"
    DECIDE = "decide"
    COMMUNICATE = "communicate"
    CUSTOMER_ACCEPTS = "customer_accepts"
    CUSTOMER_REJECTS = "customer_rejects"
    ESCALATE = "escalate"
    CLOSE_RESOLVED = "close_resolved"
    CLOSE_UNRESOLVED = "close_unresolved"
    WITHDRAW = "withdraw"
    MARK_DUPLICATE = "mark_duplicate"
    REOPEN = "reopen"
    HAND_OVER = "hand_over"
    NOTE = "note"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[Status]
    target: Status | None  # None: the state stays (a record or a hand-over)
    permission: Permission


_OPEN = frozenset(s for s in Status if s not in CLOSED)
_WORKING = frozenset({Status.REGISTERED, Status.ACKNOWLEDGED, Status.ASSESSED, Status.INVESTIGATING})
WORKFLOW: dict[Action, Transition] = {
    Action.ACKNOWLEDGE: Transition(frozenset({Status.REGISTERED}), Status.ACKNOWLEDGED, Permission.COMPLAINT_HANDLE),
    Action.ASSESS: Transition(frozenset({Status.ACKNOWLEDGED}), Status.ASSESSED, Permission.COMPLAINT_HANDLE),
    Action.ACCEPT: Transition(frozenset({Status.ASSESSED}), Status.INVESTIGATING, Permission.COMPLAINT_DECIDE),
    Action.REFUSE: Transition(frozenset({Status.ASSESSED}), Status.NOT_ACCEPTED, Permission.COMPLAINT_DECIDE),
    Action.RECORD_INVESTIGATION: Transition(frozenset({Status.INVESTIGATING}), None, Permission.COMPLAINT_INVESTIGATE),
    Action.DECIDE: Transition(frozenset({Status.INVESTIGATING}), Status.DECIDED, Permission.COMPLAINT_DECIDE),
    Action.COMMUNICATE: Transition(frozenset({Status.DECIDED}), Status.COMMUNICATED, Permission.COMPLAINT_HANDLE),
    Action.CUSTOMER_ACCEPTS: Transition(frozenset({Status.COMMUNICATED}), Status.EXECUTING, Permission.COMPLAINT_HANDLE),
    Action.CUSTOMER_REJECTS: Transition(frozenset({Status.COMMUNICATED}), Status.REJECTED, Permission.COMPLAINT_HANDLE),
    Action.ESCALATE: Transition(frozenset({Status.REJECTED}), Status.INVESTIGATING, Permission.COMPLAINT_CLOSE),
    Action.CLOSE_RESOLVED: Transition(frozenset({Status.EXECUTING}), Status.CLOSED_RESOLVED, Permission.COMPLAINT_CLOSE),
    Action.CLOSE_UNRESOLVED: Transition(frozenset({Status.REJECTED}), Status.CLOSED_UNRESOLVED, Permission.COMPLAINT_CLOSE),
    Action.WITHDRAW: Transition(_OPEN, Status.WITHDRAWN, Permission.COMPLAINT_HANDLE),
    Action.MARK_DUPLICATE: Transition(_WORKING, Status.DUPLICATE, Permission.COMPLAINT_CLOSE),
    Action.REOPEN: Transition(
        frozenset({Status.CLOSED_RESOLVED, Status.CLOSED_UNRESOLVED}), Status.INVESTIGATING, Permission.COMPLAINT_CLOSE
    ),
    Action.HAND_OVER: Transition(_OPEN, None, Permission.COMPLAINT_HANDLE),
    Action.NOTE: Transition(frozenset(Status), None, Permission.COMPLAINT_HANDLE),
}


def allowed_actions(status: Status) -> list[Action]:
    return [action for action, rule in WORKFLOW.items() if status in rule.sources]


@dataclass(frozen=True)
class TimeLimits:
    """Defaults of domain.md §3; settings can change them."""

    first_reply: timedelta = timedelta(hours=24)
    assessment: timedelta = timedelta(hours=48)
    resolution: timedelta = timedelta(hours=48)  # from acceptance, for ordinary cases
    safety_first_reply: timedelta = timedelta(hours=2)  # a safety hazard is handled at once


def due_at(
    status: Status, *, received_at: datetime, accepted_at: datetime | None, safety_hazard: bool, limits: TimeLimits
) -> datetime | None:
    """The deadline the complaint works against now: the first reply (sooner for a safety hazard), then the
    initial assessment (both from receipt), then the final resolution (from acceptance); none once closed.
    The manager's acceptance counts against the assessment deadline too."""
    if status == Status.REGISTERED:
        return received_at + (limits.safety_first_reply if safety_hazard else limits.first_reply)
    if status in {Status.ACKNOWLEDGED, Status.ASSESSED}:
        return received_at + limits.assessment
    if status in CLOSED:
        return None
    return (accepted_at or received_at) + limits.resolution


class Complaint(Base):
    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)  # TS-<branch>-<yyyymm>-<seq>
    branch_code: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(12))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))  # 首问负责制 until handed over
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    product_model: Mapped[str] = mapped_column(String(60), default="")
    serial_number: Mapped[str] = mapped_column(String(60), default="")
    purchase_date: Mapped[date | None] = mapped_column(Date)
    invoice_number: Mapped[str] = mapped_column(String(40), default="")
    description: Mapped[str] = mapped_column(Text)  # in the customer's words
    customer_request: Mapped[str] = mapped_column(Text, default="")  # 客户诉求
    classification: Mapped[str] = mapped_column(String(14))
    severity: Mapped[int] = mapped_column(Integer)  # 1 (minor) … 4 (critical)
    safety_hazard: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default=Status.REGISTERED)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    assessed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    assessment: Mapped[str] = mapped_column(Text, default="")
    cause: Mapped[str] = mapped_column(Text, default="")
    responsible_department: Mapped[str] = mapped_column(String(60), default="")
    responsible_person: Mapped[str] = mapped_column(String(60), default="")
    response_type: Mapped[str] = mapped_column(String(20), default="")
    decision: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    customer_accepted: Mapped[bool | None] = mapped_column(Boolean)
    recourse_told: Mapped[list | None] = mapped_column(JSON)  # RecourseRoute values told before closing unresolved
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
    contract_clause: Mapped[str] = mapped_column(Text, default="")  # quality disputes
    inspection_verdict: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    # (column, id) for every column the register sorts by (keyset paging), plus the filters' columns.
    __table_args__ = (
        *(
            Index(f"ix_complaints_{column}_id", column, "id")
            for column in ("received_at", "due_at", "status", "severity", "classification", "product_model")
        ),
        Index("ix_complaints_status_due_at", "status", "due_at"),
        Index("ix_complaints_owner_id_status", "owner_id", "status"),
        Index("ix_complaints_customer_id", "customer_id"),
        Index("ix_complaints_serial_number", "serial_number"),
        # Migration 0009: the KPIs count the complaints received and closed in a month from these alone
        # (covering indexes: services/kpi_queries.py).
        Index("ix_complaints_received_at_status", "received_at", "status", "owner_id", "classification",
              "product_model", "first_reply_at"),
        Index("ix_complaints_closed_at", "closed_at", "status", "owner_id"),
    )


class ComplaintEvent(Base):
    """One step of a complaint's history: who, when, what, from which state to which, and a note."""

    __tablename__ = "complaint_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(24))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict | None] = mapped_column(JSON)

    __table_args__ = (Index("ix_complaint_events_complaint_id_id", "complaint_id", "id"),)


class ComplaintCost(Base):
    __tablename__ = "complaint_costs"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"))
    kind: Mapped[str] = mapped_column(String(14))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    bearer: Mapped[str] = mapped_column(String(14))
    allocation_department: Mapped[str] = mapped_column(String(60), default="")  # 摊销部门, fixed by finance
    note: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(10))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_complaint_costs_complaint_id", "complaint_id"),
        # migrations 0009 and 0013: a month's approved costs by bearer and department (KPIs, covering)
        Index("ix_complaint_costs_approved_at", "approved_at", "state", "bearer", "allocation_department", "amount",
              "complaint_id"),
    )


def status_label(status: Status | str) -> str:
    return {
        Status.REGISTERED: translate("ComplaintStatus", "Registered"),
        Status.ACKNOWLEDGED: translate("ComplaintStatus", "Acknowledged"),
        Status.ASSESSED: translate("ComplaintStatus", "Assessed"),
        Status.INVESTIGATING: translate("ComplaintStatus", "Investigating"),
        Status.DECIDED: translate("ComplaintStatus", "Decision made"),
        Status.COMMUNICATED: translate("ComplaintStatus", "Decision communicated"),
        Status.REJECTED: translate("ComplaintStatus", "Rejected by customer"),
        Status.EXECUTING: translate("ComplaintStatus", "Being carried out"),
        Status.CLOSED_RESOLVED: translate("ComplaintStatus", "Closed, resolved"),
        Status.CLOSED_UNRESOLVED: translate("ComplaintStatus", "Closed, unresolved"),
        Status.NOT_ACCEPTED: translate("ComplaintStatus", "Not accepted"),
        Status.WITHDRAWN: translate("ComplaintStatus", "Withdrawn"),
        Status.DUPLICATE: translate("ComplaintStatus", "Duplicate"),
    }[Status(status)]


def class_label(value: ComplaintClass | str) -> str:
    return {
        ComplaintClass.QUALITY: translate("ComplaintClass", "Quality"),
        ComplaintClass.NON_QUALITY: translate("ComplaintClass", "Non-quality"),
        ComplaintClass.CONSULTATION: translate("ComplaintClass", "Consultation"),
    }[ComplaintClass(value)]


def channel_label(value: Channel | str) -> str:
    return {
        Channel.HOTLINE: translate("Channel", "Hotline"),
        Channel.VISIT: translate("Channel", "Visit"),
        Channel.LETTER: translate("Channel", "Letter"),
        Channel.EMAIL: translate("Channel", "Email"),
        Channel.ONLINE: translate("Channel", "Online"),
    }[Channel(value)]


def response_label(value: ResponseType | str) -> str:
    return {
        ResponseType.REPAIR: translate("ResponseType", "Repair"),
        ResponseType.REPLACE_PART: translate("ResponseType", "Replace part"),
        ResponseType.EXCHANGE: translate("ResponseType", "Exchange"),
        ResponseType.REFUND: translate("ResponseType", "Return and refund"),
        ResponseType.COMPENSATION: translate("ResponseType", "Compensation"),
        ResponseType.TECHNICAL_SUPPORT: translate("ResponseType", "Technical support"),
        ResponseType.EXPLANATION: translate("ResponseType", "Information and explanation"),
        ResponseType.TRAINING: translate("ResponseType", "Training"),
        ResponseType.APOLOGY: translate("ResponseType", "Apology"),
    }[ResponseType(value)]


def recourse_label(value: RecourseRoute | str) -> str:
    return {
        RecourseRoute.NEGOTIATION: translate("Recourse", "Negotiation"),
        RecourseRoute.CONSUMER_ASSOCIATION: translate("Recourse", "Consumer association mediation"),
        RecourseRoute.ADMINISTRATIVE: translate("Recourse", "Complaint to the authorities"),
        RecourseRoute.ARBITRATION: translate("Recourse", "Arbitration"),
        RecourseRoute.LITIGATION: translate("Recourse", "Lawsuit"),
    }[RecourseRoute(value)]


def cost_kind_label(value: CostKind | str) -> str:
    return {
        CostKind.TRAVEL: translate("CostKind", "Travel"),
        CostKind.LODGING: translate("CostKind", "Lodging"),
        CostKind.ALLOWANCE: translate("CostKind", "Allowance"),
        CostKind.REPAIR: translate("CostKind", "Repair"),
        CostKind.PARTS: translate("CostKind", "Parts"),
        CostKind.TRANSPORT: translate("CostKind", "Transport"),
        CostKind.PACKAGING: translate("CostKind", "Packaging"),
        CostKind.COMPENSATION: translate("CostKind", "Compensation"),
    }[CostKind(value)]


def bearer_label(value: Bearer | str) -> str:
    return {
        Bearer.BRANCH: translate("Bearer", "Branch office"),
        Bearer.COMPANY: translate("Bearer", "Company"),
        Bearer.MANUFACTURING: translate("Bearer", "Manufacturing cost"),
        Bearer.CUSTOMER: translate("Bearer", "Customer"),
    }[Bearer(value)]


def action_label(action: Action) -> str:
    return {
        Action.REGISTER: translate("ComplaintAction", "Register"),
        Action.ACKNOWLEDGE: translate("ComplaintAction", "Acknowledge (first reply)"),
        Action.ASSESS: translate("ComplaintAction", "Initial assessment"),
        Action.ACCEPT: translate("ComplaintAction", "Accept for handling"),
        Action.REFUSE: translate("ComplaintAction", "Do not accept"),
        Action.RECORD_INVESTIGATION: translate("ComplaintAction", "Record investigation"),
        Action.DECIDE: translate("ComplaintAction", "Decide"),
        Action.COMMUNICATE: translate("ComplaintAction", "Decision told to customer"),
        Action.CUSTOMER_ACCEPTS: translate("ComplaintAction", "Customer accepts"),
        Action.CUSTOMER_REJECTS: translate("ComplaintAction", "Customer rejects"),
        Action.ESCALATE: translate("ComplaintAction", "Escalate"),
        Action.CLOSE_RESOLVED: translate("ComplaintAction", "Close as resolved"),
        Action.CLOSE_UNRESOLVED: translate("ComplaintAction", "Close as unresolved"),
        Action.WITHDRAW: translate("ComplaintAction", "Withdrawn by customer"),
        Action.MARK_DUPLICATE: translate("ComplaintAction", "Mark as duplicate"),
        Action.REOPEN: translate("ComplaintAction", "Reopen"),
        Action.HAND_OVER: translate("ComplaintAction", "Hand over"),
        Action.NOTE: translate("ComplaintAction", "Add note"),
    }[action]
