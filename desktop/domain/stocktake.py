"""The monthly stocktake (月度盘点, domain.md §8).

planned → counting (book quantities of the chosen bins frozen as a snapshot; movements in those bins are
refused while it runs) → counted → reconciled (every line beyond tolerance recounted by another person,
and the branch manager's approval) → posted (盘盈/盘亏 adjustments written in one transaction) → closed;
or cancelled before posting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop.domain.base import Base, Quantity, UTCDateTime, utcnow
from desktop.domain.warehouse import AbcClass
from desktop.i18n import translate


class StocktakeState(StrEnum):
    PLANNED = "planned"
    COUNTING = "counting"
    COUNTED = "counted"
    RECONCILED = "reconciled"
    POSTED = "posted"
    CLOSED = "closed"
    CANCELLED = "cancelled"


FREEZING = frozenset({StocktakeState.COUNTING, StocktakeState.COUNTED, StocktakeState.RECONCILED})


@dataclass(frozen=True)
class Tolerance:
    """How far a count may differ from the book, in percent of the book quantity, before a recount."""

    over: Decimal  # 盘盈 side
    under: Decimal  # 盘亏 side

    def accepts(self, book: Decimal, counted: Decimal) -> bool:
        delta = counted - book
        if book == 0:
            return delta == 0
        limit = self.over if delta > 0 else self.under
        return abs(delta) * 100 <= limit * book


# Defaults; a branch setting may change them. A parts are counted tightest: they carry the value.
DEFAULT_TOLERANCES = {
    AbcClass.A: Tolerance(Decimal(0), Decimal(0)),
    AbcClass.B: Tolerance(Decimal(2), Decimal(2)),
    AbcClass.C: Tolerance(Decimal(5), Decimal(5)),
}


class Stocktake(Base):
    __tablename__ = "stocktakes"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)  # PD-<branch>-<yyyymm>-<seq>
    state: Mapped[str] = mapped_column(String(12), default=StocktakeState.PLANNED)
    zones: Mapped[list | None] = mapped_column(JSON)  # None: the whole warehouse
    abc_class: Mapped[str | None] = mapped_column(String(1))  # cycle count of one class
    blind: Mapped[bool] = mapped_column(Boolean, default=True)  # count sheets hide the book quantity
    # False: movements in the counted bins are refused. True (a branch setting): they go on, and each count
    # is reconciled against the snapshot plus what moved in that bin before the count.
    record_movements: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    counted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by: Mapped[str | None] = mapped_column(String(40))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    posted_document: Mapped[str | None] = mapped_column(String(30))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class StocktakeLine(Base):
    """One part in one bin: the book quantity at the start, the count, and a recount when needed."""

    __tablename__ = "stocktake_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    stocktake_id: Mapped[int] = mapped_column(ForeignKey("stocktakes.id"))
    bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))
    part_id: Mapped[int | None] = mapped_column(ForeignKey("parts.id"))  # None: an empty bin, counted as empty
    book: Mapped[Decimal] = mapped_column(Quantity())
    unit_cost: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    counted: Mapped[Decimal | None] = mapped_column(Quantity())
    counted_by: Mapped[str | None] = mapped_column(String(40))
    counted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recounted: Mapped[Decimal | None] = mapped_column(Quantity())
    recounted_by: Mapped[str | None] = mapped_column(String(40))
    recounted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    found: Mapped[bool] = mapped_column(Boolean, default=False)  # a part where the book said nothing

    __table_args__ = (
        UniqueConstraint("stocktake_id", "bin_id", "part_id", name="uq_stocktake_lines_bin_part"),
        Index("ix_stocktake_lines_bin_id", "bin_id"),
    )

    @property
    def final(self) -> Decimal | None:
        return self.recounted if self.recounted is not None else self.counted


def state_label(state: StocktakeState | str) -> str:
    return {
        StocktakeState.PLANNED: translate("StocktakeState", "Planned"),
        StocktakeState.COUNTING: translate("StocktakeState", "Counting"),
        StocktakeState.COUNTED: translate("StocktakeState", "Counted"),
        StocktakeState.RECONCILED: translate("StocktakeState", "Reconciled"),
        StocktakeState.POSTED: translate("StocktakeState", "Posted"),
        StocktakeState.CLOSED: translate("StocktakeState", "Closed"),
        StocktakeState.CANCELLED: translate("StocktakeState", "Cancelled"),
    }[StocktakeState(state)]
