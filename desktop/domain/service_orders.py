"""Service requests and service orders (售后服务单, domain.md §4) and return visits (回访, §5).

registered → dispatched (engineer and appointment agreed) → on site (arrived) → completed (work recorded,
self-check done) → signed (customer accepted; the content at signing is fixed by a hash) → visited.
A signed order is never edited: a correction is a new revision that keeps the old one and its signatures.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, LargeBinary, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop.domain.base import Base, Quantity, UTCDateTime, utcnow
from desktop.i18n import translate


class OrderCategory(StrEnum):
    EMERGENCY_REPAIR = "emergency_repair"  # 紧急故障维修
    TROUBLESHOOTING = "troubleshooting"  # 一般故障排查
    PREVENTIVE = "preventive"  # 定期预防性维护
    CONSULTATION = "consultation"  # 技术咨询
    PARTS_REPLACEMENT = "parts_replacement"  # 备件更换
    INSTALLATION = "installation"  # 安装


class Urgency(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"
    EMERGENCY = "emergency"


class OrderStatus(StrEnum):
    REGISTERED = "registered"
    DISPATCHED = "dispatched"
    ON_SITE = "on_site"
    COMPLETED = "completed"
    SIGNED = "signed"
    CANCELLED = "cancelled"


class VisitKind(StrEnum):
    AFTER_ORDER = "after_order"
    AFTER_COMPLAINT = "after_complaint"
    PERIODIC = "periodic"


VISIT_AFTER_DAYS = 7  # a return visit is due this many days after a signed order or a closed complaint


class VisitChannel(StrEnum):
    PHONE = "phone"
    LETTER = "letter"
    EMAIL = "email"
    ON_SITE = "on_site"


class EngineerProfile(Base):
    """What dispatch ranks engineers by: the order categories they are skilled in and the area they cover."""

    __tablename__ = "engineer_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    skills: Mapped[list] = mapped_column(JSON)  # OrderCategory values
    area: Mapped[str] = mapped_column(String(60), default="")  # 省市区 prefix, e.g. 广东省广州市


class ServiceOrder(Base):
    __tablename__ = "service_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30))  # FW-<branch>-<yyyymm>-<seq>, the same for every revision
    revision: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("service_orders.id"))  # the revision it corrects
    branch_code: Mapped[str] = mapped_column(String(10))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    contact_name: Mapped[str] = mapped_column(String(60), default="")
    contact_phone: Mapped[str] = mapped_column(String(30), default="")
    project: Mapped[str] = mapped_column(String(100), default="")  # project name or contract number
    request: Mapped[str] = mapped_column(Text)  # fault symptom, maintenance need, question
    special_requests: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(20))
    urgency: Mapped[str] = mapped_column(String(10), default=Urgency.NORMAL)
    expected_by: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(12), default=OrderStatus.REGISTERED)
    coverage_proposed: Mapped[str] = mapped_column(String(20))  # desktop.domain.sanbao.Coverage
    coverage_rule: Mapped[str] = mapped_column(Text)  # the rule and dates shown at intake
    coverage_decided: Mapped[str] = mapped_column(String(20))  # what the person chose
    coverage_decided_by: Mapped[str] = mapped_column(String(40))
    engineer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    appointment_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # agreed arrival: timeliness is a KPI
    finish_by: Mapped[datetime | None] = mapped_column(UTCDateTime())  # committed completion
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_need: Mapped[str] = mapped_column(Text, default="")
    diagnosis: Mapped[str] = mapped_column(Text, default="")
    measures: Mapped[str] = mapped_column(Text, default="")
    labour_fee: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal(0))
    other_fee: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal(0))
    fees_agreed: Mapped[bool] = mapped_column(Boolean, default=False)  # agreed with the customer before major work
    remaining_issues: Mapped[str] = mapped_column(Text, default="")
    advice: Mapped[str] = mapped_column(Text, default="")
    self_check_done: Mapped[bool] = mapped_column(Boolean, default=False)
    first_time_fix: Mapped[bool | None] = mapped_column(Boolean)
    signed_hash: Mapped[str | None] = mapped_column(String(64))  # SHA-256 of the slip's content at signing
    created_by: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("number", "revision", name="uq_service_orders_number_revision"),
        *(Index(f"ix_service_orders_{c}_id", c, "id") for c in ("created_at", "status", "category", "appointment_at")),
        Index("ix_service_orders_engineer_id_status", "engineer_id", "status"),
        Index("ix_service_orders_customer_id", "customer_id"),
        # Migration 0008: the order list's sort by number and search by contact phone.
        Index("ix_service_orders_number_id", "number", "id"),
        Index("ix_service_orders_contact_phone", "contact_phone"),
        # Migration 0009: the KPIs count the orders created, finished, reached and due in a month from these
        # alone (covering indexes: services/kpi_queries.py).
        Index("ix_service_orders_created_at_kpi", "created_at", "revision", "engineer_id", "category", "customer_id"),
        Index("ix_service_orders_finished_at", "finished_at", "category", "revision", "engineer_id", "first_time_fix",
              "arrived_at", "appointment_at", "finish_by"),
        Index("ix_service_orders_arrived_at", "arrived_at", "category", "revision", "engineer_id", "created_at"),
        Index("ix_service_orders_finish_by", "finish_by", "status", "revision", "engineer_id", "finished_at"),
        # Migration 0012: the open and overdue orders beside the navigation, counted from it alone.
        Index("ix_service_orders_status_deadlines", "status", "finish_by", "appointment_at", "arrived_at"),
    )


class OrderEvent(Base):
    """The order's history: dispatch, every reschedule (old and new time), arrival, completion, signing."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("service_orders.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    username: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict | None] = mapped_column(JSON)

    __table_args__ = (Index("ix_order_events_order_id_id", "order_id", "id"),)


class OrderPart(Base):
    """A part used on the order, taken from the warehouse by an issue slip; what happened to the old one."""

    __tablename__ = "order_parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("service_orders.id"))
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal(0))  # charged to the customer
    issue_number: Mapped[str] = mapped_column(String(30))
    old_part: Mapped[str] = mapped_column(String(12), default="returned")  # returned / scrapped / kept

    __table_args__ = (Index("ix_order_parts_order_id", "order_id"),)


class Signature(Base):
    """A signature as drawn (strokes) and as an image, bound to the content it signed. Never changed."""

    __tablename__ = "signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("service_orders.id"))
    signer_role: Mapped[str] = mapped_column(String(10))  # customer / engineer
    signer_name: Mapped[str] = mapped_column(String(60))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    strokes: Mapped[list | None] = mapped_column(JSON)  # [[x, y, t], …] per stroke; None for a scanned paper
    image_png: Mapped[bytes | None] = mapped_column(LargeBinary)
    content_hash: Mapped[str] = mapped_column(String(64))
    paper_attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))

    __table_args__ = (Index("ix_signatures_order_id", "order_id"),)


class ReturnVisit(Base):
    __tablename__ = "return_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("service_orders.id"))
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
    kind: Mapped[str] = mapped_column(String(16))
    due_on: Mapped[date] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by: Mapped[str | None] = mapped_column(String(40))
    channel: Mapped[str | None] = mapped_column(String(10))
    score: Mapped[int | None] = mapped_column(Integer)  # 1 (very dissatisfied) … 5 (very satisfied)
    comments: Mapped[str] = mapped_column(Text, default="")
    follow_up_complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # migration 0013: also the visits due in a month and those made (KPIs, covering)
        Index("ix_return_visits_due_on_id", "due_on", "id", "done_at", "order_id"),
        Index("ix_return_visits_customer_id", "customer_id"),
        # migration 0009: the visits made in a month (KPIs, covering), and those not yet made in due order
        Index("ix_return_visits_done_at", "done_at", "due_on", "id", "score", "order_id"),
    )


def category_label(value: OrderCategory | str) -> str:
    return {
        OrderCategory.EMERGENCY_REPAIR: translate("OrderCategory", "Emergency repair"),
        OrderCategory.TROUBLESHOOTING: translate("OrderCategory", "General troubleshooting"),
        OrderCategory.PREVENTIVE: translate("OrderCategory", "Preventive maintenance"),
        OrderCategory.CONSULTATION: translate("OrderCategory", "Technical consultation"),
        OrderCategory.PARTS_REPLACEMENT: translate("OrderCategory", "Parts replacement"),
        OrderCategory.INSTALLATION: translate("OrderCategory", "Installation"),
    }[OrderCategory(value)]


def order_status_label(value: OrderStatus | str) -> str:
    return {
        OrderStatus.REGISTERED: translate("OrderStatus", "Registered"),
        OrderStatus.DISPATCHED: translate("OrderStatus", "Dispatched"),
        OrderStatus.ON_SITE: translate("OrderStatus", "On site"),
        OrderStatus.COMPLETED: translate("OrderStatus", "Work done"),
        OrderStatus.SIGNED: translate("OrderStatus", "Signed"),
        OrderStatus.CANCELLED: translate("OrderStatus", "Cancelled"),
    }[OrderStatus(value)]


def urgency_label(value: Urgency | str) -> str:
    return {
        Urgency.NORMAL: translate("Urgency", "Normal"),
        Urgency.URGENT: translate("Urgency", "Urgent"),
        Urgency.EMERGENCY: translate("Urgency", "Emergency"),
    }[Urgency(value)]


def coverage_label(value: str) -> str:
    """desktop.domain.sanbao.Coverage as people say it (the printed slip has its own Chinese wording)."""
    return {
        "sanbao_return": translate("Coverage", "三包: return, exchange or repair (7 days)"),
        "sanbao_exchange": translate("Coverage", "三包: exchange or repair (15 days)"),
        "repeated_repair": translate("Coverage", "三包: exchange or refund after repeated repairs"),
        "parts_unavailable": translate("Coverage", "三包: exchange, parts unavailable"),
        "warranty": translate("Coverage", "In warranty: free repair"),
        "main_part_warranty": translate("Coverage", "Main part warranty: free repair"),
        "contract": translate("Coverage", "Under service contract"),
        "excluded": translate("Coverage", "Excluded from 三包: chargeable"),
        "chargeable": translate("Coverage", "Chargeable"),
    }.get(str(value), str(value))


OLD_PART_FATES = ("returned", "scrapped", "kept")  # OrderPart.old_part


def old_part_label(value: str) -> str:
    return {
        "returned": translate("OldPart", "Returned to the warehouse"),
        "scrapped": translate("OldPart", "Scrapped"),
        "kept": translate("OldPart", "Left with the customer"),
    }.get(value, value)


def order_event_label(action: str) -> str:
    """OrderEvent.action as the order's history shows it."""
    return {
        "register": translate("OrderEvent", "Registered"),
        "dispatch": translate("OrderEvent", "Dispatched"),
        "reschedule": translate("OrderEvent", "Rescheduled"),
        "arrive": translate("OrderEvent", "Arrived"),
        "record_work": translate("OrderEvent", "Work recorded"),
        "parts": translate("OrderEvent", "Parts used recorded"),
        "complete": translate("OrderEvent", "Completed"),
        "sign_customer": translate("OrderEvent", "Signed by the customer"),
        "sign_engineer": translate("OrderEvent", "Signed by the engineer"),
        "revise": translate("OrderEvent", "Revision made"),
    }.get(action, action)
