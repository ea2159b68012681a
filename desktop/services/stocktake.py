"""The monthly stocktake: plan, freeze and count, recount, approve, post the adjustments — and never twice.

Freezing: while a stocktake counts, `stock._move` refuses movements in its bins (the book quantities
would no longer match the snapshot). Posting turns the differences into 盘盈/盘亏 adjustment movements in
one transaction; a guarded state change makes a second Post (also from another PC) find nothing to do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from desktop.db.bulk import insert_many, update_many
from desktop.db.uow import Actor, Database, check_version
from desktop.domain.base import utcnow
from desktop.domain.errors import NotFound, ValidationError
from desktop.domain.records import BranchSetting
from desktop.domain.roles import Permission
from desktop.domain.stocktake import FREEZING, Stocktake, StocktakeLine, StocktakeState, state_label
from desktop.domain.warehouse import AbcClass, Bin, Lot, MovementKind, Part, StockBalance, StockMovement
from desktop.i18n import translate
from desktop.services.access import require
from desktop.services.stock import InsufficientStock, _document
from desktop.services.stocktake_variance import VarianceLine, tolerance_for, variance_lines

Progress = Callable[[int, int, str], bool]
STOCKTAKE_SETTING = "stocktake"


@dataclass(frozen=True)
class StocktakeRecord:
    id: int
    number: str
    state: StocktakeState
    state_label: str
    zones: tuple[str, ...]
    abc_class: AbcClass | None
    blind: bool
    created_by: str
    created_at: datetime
    started_at: datetime | None
    approved_by: str | None
    posted_at: datetime | None
    posted_document: str | None
    lines: int
    counted: int
    version: int


# -- the life of a stocktake -----------------------------------------------------------------------------


def plan_stocktake(db: Database, actor: Actor, *, branch_code: str, zones: list[str] | None = None,
                   abc_class: AbcClass | None = None, blind: bool = True, note: str = "") -> StocktakeRecord:
    require(actor, Permission.STOCK_MOVE)
    with db.uow(actor) as uow:
        session = uow.session
        zone_list = sorted({z.strip().upper() for z in zones or [] if z.strip()}) or None
        if zone_list:
            known = set(session.scalars(select(Bin.zone).distinct()))
            unknown = [z for z in zone_list if z not in known]
            if unknown:
                raise ValidationError(translate("Errors", "No bins in zone {zones}.").format(zones=", ".join(unknown)),
                                      field="zones")
        from desktop.db.counters import next_number

        moment = utcnow()
        sequence = next_number(session, f"stocktake:{branch_code}:{moment.astimezone():%Y%m}")
        setting = session.get(BranchSetting, STOCKTAKE_SETTING)
        stocktake = Stocktake(number=f"PD-{branch_code}-{moment.astimezone():%Y%m}-{sequence:04d}", zones=zone_list,
                              abc_class=AbcClass(abc_class).value if abc_class else None, blind=blind,
                              record_movements=bool(setting and setting.value.get("record_movements")),
                              note=note.strip(), created_by=actor.username)
        session.add(stocktake)
        uow.commit()
        return _record(session, stocktake)


def start_counting(db: Database, actor: Actor, *, stocktake_id: int, version: int) -> StocktakeRecord:
    """Freeze the chosen bins and take the book quantities as they are now: one line per part in a bin, and
    one line per empty bin (counted as empty, or a part found there)."""
    require(actor, Permission.STOCK_MOVE)
    with db.uow(actor) as uow:
        session = uow.session
        stocktake = _in_state(session, stocktake_id, version, {StocktakeState.PLANNED})
        bins = select(Bin.id).where(Bin.archived_at.is_(None))
        if stocktake.zones:
            bins = bins.where(Bin.zone.in_(stocktake.zones))
        if stocktake.abc_class:
            bins = bins.where(Bin.id.in_(select(StockBalance.bin_id).join(Part, Part.id == StockBalance.part_id)
                                         .where(Part.abc_class == stocktake.abc_class, StockBalance.quantity > 0)))
        busy = session.scalar(
            select(Stocktake.number).join(StocktakeLine, StocktakeLine.stocktake_id == Stocktake.id)
            .where(Stocktake.state.in_([s.value for s in FREEZING]), StocktakeLine.bin_id.in_(bins)).limit(1))
        if busy:
            raise ValidationError(translate("Errors", "Stocktake {number} is counting some of these bins already.").format(
                number=busy), field="zones")
        stock = session.execute(
            select(StockBalance.bin_id, StockBalance.part_id, func.sum(StockBalance.quantity), Part.unit_cost)
            .join(Part, Part.id == StockBalance.part_id)
            .where(StockBalance.bin_id.in_(bins), StockBalance.quantity > 0)
            .group_by(StockBalance.bin_id, StockBalance.part_id, Part.unit_cost)
        ).all()
        rows = [{"stocktake_id": stocktake.id, "bin_id": b, "part_id": p, "book": q, "unit_cost": c, "found": False}
                for b, p, q, c in stock]
        stocked = {b for b, *_ in stock}
        rows += [{"stocktake_id": stocktake.id, "bin_id": b, "part_id": None, "book": Decimal(0),
                  "unit_cost": Decimal(0), "found": False}
                 for b in session.scalars(bins) if b not in stocked and not stocktake.abc_class]
        if not rows:
            raise ValidationError(translate("Errors", "There is nothing to count in this scope."), field="zones")
        session.execute(StocktakeLine.__table__.insert(), rows)
        stocktake.state = StocktakeState.COUNTING.value
        stocktake.started_at = utcnow()
        uow.audit("start", "stocktakes", stocktake.id, summary=f"{stocktake.number}: {len(rows)} lines frozen")
        uow.commit()
        return _record(session, stocktake)


def record_count(db: Database, actor: Actor, *, stocktake_id: int, bin_code: str, part_code: str,
                 quantity: Decimal | str) -> VarianceLine:
    """One count, as a scanner gives it: bin, part, quantity. A part found where the book says nothing is
    added as a found line; counting the same bin and part again replaces the count (a correction). No part
    code counts an empty bin's line, as 0 — the screen's way of saying "nothing in this bin"."""
    require(actor, Permission.STOCK_MOVE)
    amount = _count_value(quantity)
    if not part_code.strip() and amount != 0:
        raise ValidationError(translate("Errors", "An empty bin counts 0; scan the part that is there."),
                              field="part_code")
    with db.uow(actor) as uow:
        session = uow.session
        stocktake = _in_state(session, stocktake_id, None, {StocktakeState.COUNTING})
        line = _line_for(session, stocktake, bin_code, part_code)
        line.counted, line.counted_by, line.counted_at = amount, actor.username, utcnow()
        uow.commit()
        return variance_lines(session, stocktake, [line])[0]


def finish_counting(db: Database, actor: Actor, *, stocktake_id: int, version: int) -> StocktakeRecord:
    require(actor, Permission.STOCK_MOVE)
    with db.uow(actor) as uow:
        session = uow.session
        stocktake = _in_state(session, stocktake_id, version, {StocktakeState.COUNTING})
        missing = session.scalar(select(func.count()).select_from(StocktakeLine).where(
            StocktakeLine.stocktake_id == stocktake.id, StocktakeLine.counted.is_(None)))
        if missing:
            raise ValidationError(translate("Errors", "{n} lines are not counted yet.").format(n=missing),
                                  field="counted")
        stocktake.state, stocktake.counted_at = StocktakeState.COUNTED.value, utcnow()
        uow.commit()
        return _record(session, stocktake)


def record_recount(db: Database, actor: Actor, *, stocktake_id: int, line_id: int,
                   quantity: Decimal | str) -> VarianceLine:
    """A line beyond tolerance is counted again, by somebody other than the first counter."""
    require(actor, Permission.STOCK_MOVE)
    amount = _count_value(quantity)
    with db.uow(actor) as uow:
        session = uow.session
        stocktake = _in_state(session, stocktake_id, None, {StocktakeState.COUNTED})
        line = session.get(StocktakeLine, line_id)
        if line is None or line.stocktake_id != stocktake.id:
            raise NotFound(translate("Errors", "No such line in stocktake {number}.").format(number=stocktake.number))
        if line.counted_by == actor.username:
            raise ValidationError(translate("Errors", "A recount must be done by someone other than {user}, who counted first.").format(
                user=line.counted_by), field="recounted")
        line.recounted, line.recounted_by, line.recounted_at = amount, actor.username, utcnow()
        uow.commit()
        return variance_lines(session, stocktake, [line])[0]


def approve(db: Database, actor: Actor, *, stocktake_id: int, version: int) -> StocktakeRecord:
    """The branch manager approves the differences; every line beyond tolerance must have been recounted."""
    require(actor, Permission.COST_APPROVE)
    with db.uow(actor) as uow:
        session = uow.session
        stocktake = _in_state(session, stocktake_id, version, {StocktakeState.COUNTED})
        waiting = [v for v in variance_lines(session, stocktake) if v.needs_recount]
        if waiting:
            raise ValidationError(translate("Errors", "{n} lines beyond tolerance still need a recount, e.g. {bin} {part}.").format(
                n=len(waiting), bin=waiting[0].bin_code, part=waiting[0].part_code), field="recounted")
        stocktake.state = StocktakeState.RECONCILED.value
        stocktake.approved_by, stocktake.approved_at = actor.username, utcnow()
        uow.commit()
        return _record(session, stocktake)


def post(db: Database, actor: Actor, *, branch_code: str, stocktake_id: int,
         progress: Progress | None = None) -> StocktakeRecord:
    """Write every 盘盈/盘亏 as an adjustment movement in one transaction and unfreeze the bins.

    Set-based: the adjustments are worked out in memory from one read of the lines and one of the lots,
    then the movements go in with one INSERT for many rows and the balances change with one guarded
    UPDATE for many rows (`quantity + change >= 0`, so a balance never goes below zero even if stock
    moved meanwhile: then nothing is posted). These core statements write no audit entry per row; the
    posting records one summary entry with the counts and totals (docs/architecture.md)."""
    require(actor, Permission.STOCK_MOVE)
    report = progress or (lambda done, total, what: True)
    with db.uow(actor) as uow:
        session = uow.session
        # The guard that makes posting happen once: only one UPDATE finds the stocktake reconciled.
        claimed = session.execute(update(Stocktake).where(Stocktake.id == stocktake_id,
                                                          Stocktake.state == StocktakeState.RECONCILED.value)
                                  .values(state=StocktakeState.POSTED.value, posted_at=utcnow(),
                                          version=Stocktake.version + 1)
                                  .execution_options(synchronize_session=False)).rowcount
        stocktake = session.get(Stocktake, stocktake_id)
        if stocktake is None:
            raise NotFound(translate("Errors", "No stocktake with id {id}.").format(id=stocktake_id))
        if claimed != 1:
            raise ValidationError(translate("Errors", "Stocktake {number} is {state}: it can only be posted once, after approval.").format(
                number=stocktake.number, state=state_label(stocktake.state)), field="state")
        session.refresh(stocktake)
        lines = [v for v in variance_lines(session, stocktake) if v.delta]
        document = _document(session, actor, branch_code, MovementKind.ADJUSTMENT, purpose="internal",
                             reference=stocktake.number, reason=translate("Stock", "Stocktake adjustment"))
        what = translate("Stock", "Posting adjustments")
        plan = _plan_adjustments(session, stocktake.id, lines)
        if plan.new_lots:
            _insert_new_lots(session, plan.new_lots)
        conn = session.connection()
        for start in range(0, len(plan.per_line), _POST_CHUNK):
            chunk = plan.per_line[start:start + _POST_CHUNK]
            movements = [(lot.part_id, lot.bin_id, lot.id, change, lot.unit_cost)
                         for changes in chunk for lot, change in changes]
            insert_many(conn, StockMovement.__table__, _MOVEMENT_COLUMNS, movements,
                        same={"document_id": document.id, "kind": MovementKind.ADJUSTMENT.value, "at": document.at})
            _change_balances(conn, [(lot, change) for changes in chunk for lot, change in changes])
            done = start + len(chunk)
            if done < len(plan.per_line) and not report(done, len(lines), what):
                raise ValidationError(translate("Errors", "Posting was cancelled; nothing was changed."))
        stocktake.posted_document = document.number
        gains = [v for v in lines if v.delta > 0]
        losses = [v for v in lines if v.delta < 0]
        uow.audit("post", "stocktakes", stocktake.id,
                  summary=f"{stocktake.number}: {len(lines)} adjustments in {document.number}",
                  document=document.number, adjustments=len(lines), movements=plan.movements,
                  new_lots=len(plan.new_lots), gain_lines=len(gains),
                  gain_quantity=sum((v.delta for v in gains), Decimal(0)),
                  gain_value=sum((v.value for v in gains), Decimal(0)), loss_lines=len(losses),
                  loss_quantity=sum((-v.delta for v in losses), Decimal(0)),
                  loss_value=sum((-v.value for v in losses), Decimal(0)))
        uow.commit()
        report(len(lines), len(lines), what)
        return _record(session, stocktake)


def close(db: Database, actor: Actor, *, stocktake_id: int, version: int) -> StocktakeRecord:
    """After posting, the signed variance report is filed and the stocktake closed for good."""
    return _simple_transition(db, actor, stocktake_id, version, {StocktakeState.POSTED}, StocktakeState.CLOSED)


def cancel(db: Database, actor: Actor, *, stocktake_id: int, version: int) -> StocktakeRecord:
    """Give up before posting: nothing is adjusted and the bins are free again."""
    return _simple_transition(db, actor, stocktake_id, version,
                              {StocktakeState.PLANNED, *FREEZING}, StocktakeState.CANCELLED)


# -- reading ---------------------------------------------------------------------------------------------


def get_stocktake(db: Database, actor: Actor, stocktake_id: int) -> StocktakeRecord:
    require(actor, Permission.STOCK_READ)
    with db.session_factory() as session:
        return _record(session, _get(session, stocktake_id))


def find_stocktake(db: Database, actor: Actor, number: str) -> StocktakeRecord:
    require(actor, Permission.STOCK_READ)
    with db.session_factory() as session:
        found = session.scalar(select(Stocktake).where(Stocktake.number == number.strip().upper()))
        if found is None:
            raise NotFound(translate("Errors", "No stocktake numbered {number}.").format(number=number), field="number")
        return _record(session, found)


def variance(db: Database, actor: Actor, stocktake_id: int) -> list[VarianceLine]:
    """Every line in walking order with book, count, difference, value and the tolerance verdict."""
    require(actor, Permission.STOCK_READ)
    with db.read_session_factory() as session:
        return variance_lines(session, _get(session, stocktake_id))


@dataclass(frozen=True)
class HistoryRow:
    number: str
    state: StocktakeState
    created_at: datetime
    posted_at: datetime | None
    lines: int
    accuracy: Decimal | None  # share of lines whose first count was within tolerance, percent
    gain_value: Decimal  # 盘盈
    loss_value: Decimal  # 盘亏


def history(db: Database, actor: Actor) -> list[HistoryRow]:
    require(actor, Permission.STOCK_READ)
    rows = []
    with db.read_session_factory() as session:
        for stocktake in session.scalars(select(Stocktake).order_by(Stocktake.id.desc())):
            lines = variance_lines(session, stocktake)
            first = [v for v in lines if v.counted is not None]
            within = [v for v in first if tolerance_for(v.abc_class).accepts(v.book + v.moved, v.counted)]
            rows.append(HistoryRow(
                stocktake.number, StocktakeState(stocktake.state), stocktake.created_at, stocktake.posted_at, len(lines),
                (Decimal(len(within) * 100) / len(first)).quantize(Decimal("0.1")) if first else None,
                sum((v.value for v in lines if v.value and v.value > 0), Decimal(0)),
                sum((-v.value for v in lines if v.value and v.value < 0), Decimal(0)),
            ))
    return rows


def frozen_by(session: Session, bin_id: int) -> str | None:
    """The number of the stocktake that freezes this bin now, if any (stock._move refuses then). A stocktake
    planned while the branch lets movements go on freezes nothing."""
    return session.scalar(
        select(Stocktake.number).join(StocktakeLine, StocktakeLine.stocktake_id == Stocktake.id)
        .where(StocktakeLine.bin_id == bin_id, Stocktake.state.in_([s.value for s in FREEZING]),
               Stocktake.record_movements.is_(False)).limit(1))


def set_record_movements(db: Database, actor: Actor, *, record: bool) -> None:
    """The branch's choice for stocktakes planned from now on: refuse movements in counted bins (default), or
    let them go on and reconcile each count against the snapshot plus what moved before it."""
    require(actor, Permission.SETTINGS)
    with db.uow(actor) as uow:
        stored = uow.session.get(BranchSetting, STOCKTAKE_SETTING)
        if stored is None:
            uow.session.add(BranchSetting(key=STOCKTAKE_SETTING, value={"record_movements": record}))
        else:
            stored.value = {**stored.value, "record_movements": record}
        uow.commit()


# -- helpers ---------------------------------------------------------------------------------------------


class _LotRef(NamedTuple):
    """What an adjustment needs of a lot, without loading the entity (a tuple: 50,000 are made at once)."""

    id: int
    part_id: int
    bin_id: int
    unit_cost: Decimal


def _lots_by_bin_and_part(session: Session, stocktake_id: int) -> dict[tuple[str, str], list[tuple[_LotRef, Decimal]]]:
    """Every lot in the stocktake's bins with its balance, oldest first: read once, not once per line."""
    in_scope = select(StocktakeLine.bin_id).where(StocktakeLine.stocktake_id == stocktake_id)
    rows = session.connection().execute(  # Core rows: no ORM loading machinery per row
        select(Lot.id, Lot.part_id, Lot.bin_id, Lot.unit_cost, StockBalance.quantity, Bin.code, Part.code)
        .join(StockBalance, StockBalance.lot_id == Lot.id).join(Part, Part.id == Lot.part_id)
        .join(Bin, Bin.id == Lot.bin_id).where(Lot.bin_id.in_(in_scope)).order_by(Lot.received_on, Lot.id))
    lots: dict[tuple[str, str], list[tuple[_LotRef, Decimal]]] = {}
    for lot_id, part_id, bin_id, cost, quantity, bin_code, part_code in rows:
        lots.setdefault((bin_code, part_code), []).append((_LotRef(lot_id, part_id, bin_id, cost), quantity))
    return lots


_POST_CHUNK = 5000  # lines written per round of statements; progress and Cancel between rounds
_MOVEMENT_COLUMNS = ("part_id", "bin_id", "lot_id", "quantity", "unit_cost")


@dataclass
class _NewLot:
    """A lot made for a part found where the book has none; its id comes from the INSERT."""

    part_id: int
    bin_id: int
    unit_cost: Decimal
    id: int | None = None


@dataclass
class _PostingPlan:
    per_line: list[list[tuple[_LotRef | _NewLot, Decimal]]]  # each line's (lot, change), in walking order
    new_lots: list[_NewLot]
    movements: int


def _plan_adjustments(session: Session, stocktake_id: int, lines: list[VarianceLine]) -> _PostingPlan:
    """Which lot each difference goes to or comes from: 盘盈 into the newest lot of that part in that bin
    (a new lot when there is none), 盘亏 out of the oldest lots first, as issues would."""
    lots = _lots_by_bin_and_part(session, stocktake_id)
    homeless = [line for line in lines if line.delta > 0 and not lots.get((line.bin_code, line.part_code))]
    places = _line_places(session, stocktake_id) if homeless else {}
    new_lots: dict[int, _NewLot] = {}
    for line in homeless:
        part_id, bin_id, part_cost = places[line.line_id]
        new_lots[line.line_id] = _NewLot(part_id, bin_id, part_cost)
    per_line, movements = [], 0
    for line in lines:
        in_place = lots.get((line.bin_code, line.part_code), [])
        if line.delta > 0:
            changes = [(in_place[-1][0] if in_place else new_lots[line.line_id], line.delta)]
        else:
            changes, missing = [], -line.delta
            for lot, on_hand in in_place:
                take = min(on_hand, missing)
                if take:
                    changes.append((lot, -take))
                    missing -= take
                if not missing:
                    break
        per_line.append(changes)
        movements += len(changes)
    return _PostingPlan(per_line, list(new_lots.values()), movements)


def _line_places(session: Session, stocktake_id: int) -> dict[int, tuple[int, int, Decimal]]:
    """line id → (part id, bin id, the part's unit cost): what a new lot needs."""
    line = StocktakeLine.__table__.c
    return {line_id: (part_id, bin_id, cost) for line_id, part_id, bin_id, cost in session.connection().execute(
        select(line.id, line.part_id, line.bin_id, Part.unit_cost).join(Part, Part.id == line.part_id)
        .where(line.stocktake_id == stocktake_id))}


def _insert_new_lots(session: Session, new_lots: list[_NewLot]) -> None:
    received_on = utcnow().astimezone().date()
    table = Lot.__table__
    ids = session.connection().execute(
        table.insert().returning(table.c.id, sort_by_parameter_order=True),
        [{"part_id": lot.part_id, "bin_id": lot.bin_id, "received_on": received_on, "unit_cost": lot.unit_cost,
          "supplier_document": ""} for lot in new_lots]).scalars().all()
    for lot, lot_id in zip(new_lots, ids, strict=True):
        lot.id = lot_id
    insert_many(session.connection(), StockBalance.__table__, ("lot_id", "part_id", "bin_id"),
                [(lot.id, lot.part_id, lot.bin_id) for lot in new_lots], same={"quantity": Decimal(0)})


def _change_balances(conn, changes: list[tuple[_LotRef | _NewLot, Decimal]]) -> None:
    """One guarded UPDATE for many lots; a lot appears once per posting (a lot is one part in one bin,
    a line is one part in one bin). If any balance would go below zero, stock moved after the lines were
    read: refuse, and the whole posting rolls back."""
    changed = update_many(conn, StockBalance.__table__, "lot_id", ("quantity",),
                          [(lot.id, change) for lot, change in changes], add=True, at_least=0)
    if changed != len(changes):
        raise InsufficientStock(translate("Errors", "Stock in the counted bins changed while posting; nothing "
                                          "was posted. Check the stocktake and post again."), field="quantity")


def _line_for(session: Session, stocktake: Stocktake, bin_code: str, part_code: str) -> StocktakeLine:
    bin_ = session.scalar(select(Bin).where(Bin.code == bin_code.strip().upper()))
    if bin_ is None:
        raise ValidationError(translate("Errors", "No bin {code}.").format(code=bin_code), field="bin_code")
    if not part_code.strip():
        empty = session.scalar(select(StocktakeLine).where(StocktakeLine.stocktake_id == stocktake.id,
                                                           StocktakeLine.bin_id == bin_.id,
                                                           StocktakeLine.part_id.is_(None)))
        if empty is None:
            raise ValidationError(translate("Errors", "Bin {code} is not empty by the book: count each part in it, "
                                            "0 for a part that is not there.").format(code=bin_.code),
                                  field="part_code")
        return empty
    part = session.scalar(select(Part).where(Part.code == part_code.strip().upper()))
    if part is None:
        raise ValidationError(translate("Errors", "No part with code {code}.").format(code=part_code), field="part_code")
    lines = session.scalars(select(StocktakeLine).where(StocktakeLine.stocktake_id == stocktake.id,
                                                        StocktakeLine.bin_id == bin_.id)).all()
    if not lines:
        raise ValidationError(translate("Errors", "Bin {code} is not part of stocktake {number}.").format(
            code=bin_.code, number=stocktake.number), field="bin_code")
    for line in lines:
        if line.part_id == part.id:
            return line
    empty = next((line for line in lines if line.part_id is None), None)
    if empty is not None:  # the empty bin's line becomes the found part's line
        empty.part_id, empty.unit_cost, empty.found = part.id, part.unit_cost, True
        return empty
    line = StocktakeLine(stocktake_id=stocktake.id, bin_id=bin_.id, part_id=part.id, book=Decimal(0),
                         unit_cost=part.unit_cost, found=True)
    session.add(line)
    session.flush()
    return line


def _count_value(quantity) -> Decimal:
    try:
        value = Decimal(str(quantity).strip())
    except Exception:  # noqa: BLE001 - every unreadable count gets the same message
        raise ValidationError(translate("Errors", "Count {value} is not a number.").format(value=quantity),
                              field="counted") from None
    if value < 0 or value != value.quantize(Decimal("0.01")):
        raise ValidationError(translate("Errors", "Count {value}: zero or more, at most two decimals.").format(
            value=quantity), field="counted")
    return value


def _simple_transition(db, actor, stocktake_id, version, sources, target) -> StocktakeRecord:
    require(actor, Permission.STOCK_MOVE)
    with db.uow(actor) as uow:
        stocktake = _in_state(uow.session, stocktake_id, version, sources)
        stocktake.state = target.value
        uow.commit()
        return _record(uow.session, stocktake)


def _in_state(session: Session, stocktake_id: int, version: int | None, states) -> Stocktake:
    stocktake = _get(session, stocktake_id)
    if version is not None:
        check_version(stocktake, version)
    if StocktakeState(stocktake.state) not in states:
        raise ValidationError(translate("Errors", "Stocktake {number} is {state}: that is not possible now.").format(
            number=stocktake.number, state=state_label(stocktake.state)), field="state")
    return stocktake


def _get(session: Session, stocktake_id: int) -> Stocktake:
    stocktake = session.get(Stocktake, stocktake_id)
    if stocktake is None:
        raise NotFound(translate("Errors", "No stocktake with id {id}.").format(id=stocktake_id))
    return stocktake


def _record(session: Session, s: Stocktake) -> StocktakeRecord:
    lines, counted = session.execute(
        select(func.count(), func.count(StocktakeLine.counted)).where(StocktakeLine.stocktake_id == s.id)).one()
    return StocktakeRecord(s.id, s.number, StocktakeState(s.state), state_label(s.state), tuple(s.zones or ()),
                           AbcClass(s.abc_class) if s.abc_class else None, s.blind, s.created_by, s.created_at,
                           s.started_at, s.approved_by, s.posted_at, s.posted_document, lines, counted, s.version)
