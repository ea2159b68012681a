"""Customers and their installed products — the service file (客户档案 / 售后服务档案, domain.md §2)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.domain.base import Base, UTCDateTime, utcnow
from desktop.i18n import translate


class CustomerKind(StrEnum):
    INDIVIDUAL = "individual"
    COMPANY = "company"  # 客户单位


class Importance(StrEnum):
    IMPORTANT = "important"  # 重要客户: return visit every 6 months
    LONG_TERM = "long_term"  # 长期客户: yearly
    ORDINARY = "ordinary"  # 普通客户

    @property
    def label(self) -> str:
        return {
            Importance.IMPORTANT: translate("Importance", "Important customer"),
            Importance.LONG_TERM: translate("Importance", "Long-term customer"),
            Importance.ORDINARY: translate("Importance", "Ordinary customer"),
        }[self]


SORTABLE_CUSTOMER_COLUMNS = ("name", "kind", "contact_person", "phone", "region", "importance", "created_at")


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), default=CustomerKind.INDIVIDUAL)
    name: Mapped[str] = mapped_column(String(100))  # the person, or the unit's name for a company
    contact_person: Mapped[str] = mapped_column(String(60), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    phone2: Mapped[str] = mapped_column(String(30), default="")
    # The address in two parts so lists can show it "to district level" without the street (domain.md §10).
    region: Mapped[str] = mapped_column(String(60), default="")  # 省市区, e.g. 广东省广州市天河区
    address_detail: Mapped[str] = mapped_column(String(200), default="")
    id_number: Mapped[str] = mapped_column(String(18), default="")  # 身份证号 or 统一社会信用代码
    importance: Mapped[str] = mapped_column(String(12), default=Importance.ORDINARY)
    notes: Mapped[str] = mapped_column(Text, default="")
    # What the search box matches: names, phones, and the serial and contract numbers of the customer's
    # products, normalised (privacy.search_text). A trigram index makes substring search fast (migration 0003).
    search_text: Mapped[str] = mapped_column(Text, default="")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    # Every column the list sorts by has an index on (column, id), for keyset paging (services/paging.py).
    __table_args__ = tuple(
        Index(f"ix_customers_{column}_id", column, "id")
        for column in SORTABLE_CUSTOMER_COLUMNS
    )


class Product(Base):
    """An installed unit: every product sold gets a service file."""

    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    category: Mapped[str] = mapped_column(String(30))  # product category: the 三包 rules are set per category
    model: Mapped[str] = mapped_column(String(60))  # 型号
    serial_number: Mapped[str] = mapped_column(String(60), unique=True)  # 序列号
    grade: Mapped[str] = mapped_column(String(20), default="")  # 商品等级
    purchase_date: Mapped[date | None] = mapped_column(Date)
    invoice_date: Mapped[date | None] = mapped_column(Date)
    invoice_number: Mapped[str] = mapped_column(String(40), default="")
    install_date: Mapped[date | None] = mapped_column(Date)
    contract_number: Mapped[str] = mapped_column(String(60), default="")  # contract or project number
    warranty_end: Mapped[date | None] = mapped_column(Date)
    site_address: Mapped[str] = mapped_column(String(200), default="")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_products_customer_id", "customer_id"),
        Index("ix_products_contract_number", "contract_number"),
    )
