"""The spare-parts warehouse (备件库, domain.md §7): parts, bins, FIFO lots and the append-only ledger.

Every quantity lives in a bin and a lot (one receipt of one part into one bin on one day). The ledger
(`stock_movements`) is never edited; a mistake is corrected by a reversal. `stock_balances` holds the
on-hand per lot, kept in the same transaction as the movement and guarded by a CHECK (quantity >= 0), so
stock never goes negative even when two PCs issue the last unit at the same moment.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.domain.base import Base, Quantity, UTCDateTime, utcnow
from desktop.i18n import translate

BIN_CODE = re.compile(r"^([A-Z]{1,2})-(\d{2})-(\d)-(\d{2})$")  # zone-shelf-layer-position, e.g. A-03-2-05
UNITS = ("个", "件", "只", "套", "台", "根", "米", "卷", "瓶", "块", "片", "组", "副", "桶", "千克", "升")


class MovementKind(StrEnum):
    RECEIPT = "receipt"  # 入库
    ISSUE = "issue"  # 出库 to a service order, a complaint or internal use
    TRANSFER_OUT = "transfer_out"  # 移库 (from)
    TRANSFER_IN = "transfer_in"  # 移库 (to)
    RETURN = "return"  # 退库
    SCRAP = "scrap"  # 报废
    ADJUSTMENT = "adjustment"  # 盘盈 / 盘亏
    REVERSAL = "reversal"  # 冲销 of an earlier movement


class AbcClass(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class SlowMark(StrEnum):
    NONE = ""
    YELLOW = "yellow"  # not issued for a month
    RED = "red"  # not issued for three months (滞用配件)


def bin_code(zone: str, shelf: int, layer: int, position: int) -> str:
    return f"{zone.upper()}-{shelf:02d}-{layer}-{position:02d}"


def parse_bin_code(code: str) -> tuple[str, int, int, int] | None:
    match = BIN_CODE.match(code.strip().upper())
    if not match:
        return None
    zone, shelf, layer, position = match.groups()
    return zone, int(shelf), int(layer), int(position)


def slow_mark(last_issue: date | None, first_receipt: date | None, today: date) -> SlowMark:
    """Yellow after a month without an issue, red after three (counted from the receipt when never issued)."""
    since = last_issue or first_receipt
    if since is None:
        return SlowMark.NONE
    days = (today - since).days
    return SlowMark.RED if days >= 90 else SlowMark.YELLOW if days >= 30 else SlowMark.NONE


class Part(Base):
    __tablename__ = "parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # 编码
    name: Mapped[str] = mapped_column(String(100))
    model: Mapped[str] = mapped_column(String(60), default="")  # 型号
    specification: Mapped[str] = mapped_column(String(100), default="")  # 规格
    unit: Mapped[str] = mapped_column(String(8))
    usage: Mapped[str] = mapped_column(Text, default="")  # 用途
    reorder_point: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal(0))
    safety_stock: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal(0))
    unit_cost: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal(0))
    abc_class: Mapped[str] = mapped_column(String(1), default=AbcClass.C)  # computed from consumption value
    abc_override: Mapped[str | None] = mapped_column(String(1))  # a person's choice wins over the computation
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_parts_name_id", "name", "id"),)


class PartSubstitute(Base):
    """`substitute_id` may be used for `part_id` (可代用型号). Shown from both sides."""

    __tablename__ = "part_substitutes"

    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), primary_key=True)
    substitute_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), primary_key=True)


class Bin(Base):
    __tablename__ = "bins"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    zone: Mapped[str] = mapped_column(String(2))  # 区
    shelf: Mapped[int] = mapped_column(Integer)  # 架
    layer: Mapped[int] = mapped_column(Integer)  # 层
    position: Mapped[int] = mapped_column(Integer)  # 位
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_bins_walk", "zone", "shelf", "layer", "position"),)


class Lot(Base):
    """One receipt of one part into one bin: the unit of first-in first-out."""

    __tablename__ = "lots"

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))
    received_on: Mapped[date] = mapped_column(Date)
    unit_cost: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    supplier_document: Mapped[str] = mapped_column(String(60), default="")

    __table_args__ = (Index("ix_lots_part_id_received_on", "part_id", "received_on", "id"),)


class StockBalance(Base):
    __tablename__ = "stock_balances"

    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity())

    __table_args__ = (
        CheckConstraint("quantity >= 0", name="not_negative"),
        Index("ix_stock_balances_part_id", "part_id"),
        Index("ix_stock_balances_bin_id", "bin_id"),
    )


class StockDocument(Base):
    """A document that moves stock: a receipt note, an issue slip (配件出库单), a transfer, a scrap note."""

    __tablename__ = "stock_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)  # RK-/CK-/YK-/BF-/TK-/CX-<branch>-<yyyymm>-<seq>
    kind: Mapped[str] = mapped_column(String(14))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    username: Mapped[str] = mapped_column(String(40))
    purpose: Mapped[str] = mapped_column(String(20), default="")  # service_order / complaint / internal / supplier
    reference: Mapped[str] = mapped_column(String(60), default="")  # order or complaint number, supplier document
    receiver: Mapped[str] = mapped_column(String(60), default="")  # who took the parts
    reason: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_stock_documents_at_id", "at", "id"),)


class StockMovement(Base):
    __tablename__ = "stock_movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("stock_documents.id"))
    kind: Mapped[str] = mapped_column(String(14))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity())  # + into the bin, - out of it
    unit_cost: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("stock_movements.id"), unique=True)

    __table_args__ = (
        Index("ix_stock_movements_part_id_at", "part_id", "at"),
        Index("ix_stock_movements_bin_id_at", "bin_id", "at"),
        Index("ix_stock_movements_at_id", "at", "id"),
        Index("ix_stock_movements_document_id", "document_id"),
        Index("ix_stock_movements_kind_at", "kind", "at"),
    )


def kind_label(kind: MovementKind | str) -> str:
    return {
        MovementKind.RECEIPT: translate("Movement", "Receipt"),
        MovementKind.ISSUE: translate("Movement", "Issue"),
        MovementKind.TRANSFER_OUT: translate("Movement", "Transfer out"),
        MovementKind.TRANSFER_IN: translate("Movement", "Transfer in"),
        MovementKind.RETURN: translate("Movement", "Return to stock"),
        MovementKind.SCRAP: translate("Movement", "Scrap"),
        MovementKind.ADJUSTMENT: translate("Movement", "Stocktake adjustment"),
        MovementKind.REVERSAL: translate("Movement", "Reversal"),
    }[MovementKind(kind)]
