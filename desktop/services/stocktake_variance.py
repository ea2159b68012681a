"""A stocktake's lines as they are judged: book quantity, what moved before each count, the count and the
recount, the difference and its value, and whether it is within the tolerance of the part's ABC class."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from desktop.domain.base import Quantity
from desktop.domain.stocktake import DEFAULT_TOLERANCES, Stocktake, StocktakeLine, Tolerance
from desktop.domain.warehouse import AbcClass, Bin, Part, StockMovement


@dataclass(frozen=True)
class VarianceLine:
    line_id: int
    bin_code: str
    walk_key: tuple
    part_code: str
    part_name: str
    unit: str
    abc_class: AbcClass
    book: Decimal  # the snapshot at the start
    moved: Decimal  # what moved in this bin after the snapshot and before the count (when movements go on)
    counted: Decimal | None
    counted_by: str | None
    recounted: Decimal | None
    recounted_by: str | None
    final: Decimal | None
    delta: Decimal | None
    value: Decimal | None  # delta × unit cost
    within_tolerance: bool | None
    needs_recount: bool
    found: bool


def tolerance_for(abc: AbcClass) -> Tolerance:
    return DEFAULT_TOLERANCES[abc]


def variance_lines(session: Session, stocktake: Stocktake, only: list[StocktakeLine] | None = None) -> list[VarianceLine]:
    # Plain rows, not entities: a 50,000-line stocktake would otherwise fill the session with objects that
    # every later flush has to look through.
    line = StocktakeLine.__table__.c
    moved = literal(0, Quantity())
    if stocktake.record_movements:  # what moved after the snapshot and before this line was (re)counted
        moved = (select(func.coalesce(func.sum(StockMovement.quantity), 0))
                 .where(StockMovement.bin_id == line.bin_id, StockMovement.part_id == line.part_id,
                        StockMovement.at > stocktake.started_at,
                        StockMovement.at <= func.coalesce(StocktakeLine.recounted_at, StocktakeLine.counted_at))
                 .scalar_subquery())
    query = (select(line.id, Bin.code, Bin.zone, Bin.shelf, Bin.layer, Bin.position, Part.code, Part.name, Part.unit,
                    Part.abc_class, StocktakeLine.book, moved, StocktakeLine.counted, line.counted_by,
                    StocktakeLine.recounted, line.recounted_by, line.unit_cost, line.found)
             .join(Bin, Bin.id == line.bin_id).outerjoin(Part, Part.id == line.part_id)
             .where(line.stocktake_id == stocktake.id)
             .order_by(Bin.zone, Bin.shelf, Bin.layer, Bin.position, Part.code))
    if only is not None:
        query = query.where(line.id.in_([item.id for item in only]))
    result = []
    for (line_id, bin_code, zone, shelf, layer, position, part_code, name, unit, abc_text, book, moved_qty, counted,
         counted_by, recounted, recounted_by, unit_cost, found) in session.execute(query):
        abc = AbcClass(abc_text) if abc_text else AbcClass.C
        moved_qty = moved_qty or Decimal(0)
        expected = book + moved_qty
        final = recounted if recounted is not None else counted
        delta = None if final is None else final - expected
        within = None if counted is None else tolerance_for(abc).accepts(expected, counted)
        result.append(VarianceLine(
            line_id, bin_code, (zone, shelf, layer, position), part_code or "", name or "", unit or "", abc, book,
            moved_qty, counted, counted_by, recounted, recounted_by, final, delta,
            None if delta is None else (delta * unit_cost).quantize(Decimal("0.01")), within,
            within is False and recounted is None, found))
    return result
