"""Count sheets out and back in: export and print the count sheet, import the filled-in workbook, print
the variance report. Imports check every row first and save all of it or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from python_calamine import CalamineWorkbook
from sqlalchemy import func, literal, select, update

from desktop.db.bulk import update_many
from desktop.db.uow import Actor, Database
from desktop.domain.base import utcnow
from desktop.domain.errors import ValidationError
from desktop.domain.roles import Permission
from desktop.domain.stocktake import Stocktake, StocktakeLine, StocktakeState
from desktop.domain.warehouse import Bin, Part
from desktop.i18n import translate
from desktop.services.access import require
from desktop.services.sheet_reading import Problem, clean, number
from desktop.services.stocktake import _get, get_stocktake, variance
from reports.stocktake_sheets import (
    HEADER_ROW,
    SHEET_NUMBER_LABEL,
    CountRow,
    render_count_sheet,
    render_variance_report,
    write_count_workbook,
    write_variance_workbook,
)

Progress = Callable[[int, int, str], bool]
HEADER_ROW_INDEX = HEADER_ROW - 1  # rows as a list count from 0


@dataclass
class CountImportReport:
    rows: int = 0
    counted: int = 0
    found: int = 0  # parts counted where the book had none
    blank: int = 0  # rows left empty: not counted
    added_up: list[str] = field(default_factory=list)  # "A-01-1-01 CAP-1: rows 5 and 9 added up"
    problems: list[Problem] = field(default_factory=list)
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and not self.cancelled


def export_count_sheet(db: Database, actor: Actor, *, stocktake_id: int, target: Path, blind: bool | None = None,
                       progress: Progress | None = None) -> bool:
    require(actor, Permission.STOCK_READ)
    stocktake = get_stocktake(db, actor, stocktake_id)
    blind = stocktake.blind if blind is None else blind
    lines = _count_sheet_rows(db, stocktake_id, with_book=not blind)
    report = progress or (lambda done, total, what: True)
    what = translate("Stock", "Writing the count sheet")
    done = write_count_workbook(stocktake, lines, target, blind=blind, on_row=lambda n: report(n, len(lines), what))
    if done:
        _audit(db, actor, "export", stocktake.id, f"盘点表 {stocktake.number} → {target} ({len(lines)} lines)")
    return done


def print_count_sheet(db: Database, actor: Actor, *, stocktake_id: int, target: Path, branch_name: str,
                      blind: bool | None = None, font: str | None = None) -> Path:
    require(actor, Permission.STOCK_READ)
    stocktake = get_stocktake(db, actor, stocktake_id)
    render_count_sheet(stocktake, variance(db, actor, stocktake_id), branch_name=branch_name,
                       blind=stocktake.blind if blind is None else blind, target=target, font=font)
    _audit(db, actor, "print", stocktake.id, f"盘点表 {stocktake.number} → {target}")
    return target


def print_variance_report(db: Database, actor: Actor, *, stocktake_id: int, target: Path, branch_name: str,
                          font: str | None = None) -> Path:
    require(actor, Permission.STOCK_READ)
    stocktake = get_stocktake(db, actor, stocktake_id)
    lines = variance(db, actor, stocktake_id)
    if target.suffix.lower() == ".xlsx":
        write_variance_workbook(stocktake, lines, target)
    else:
        render_variance_report(stocktake, lines, branch_name=branch_name, target=target, font=font)
    _audit(db, actor, "print", stocktake.id, f"盘点差异表 {stocktake.number} → {target}")
    return target


def import_counts(db: Database, actor: Actor, *, stocktake_id: int, path: Path,
                  progress: Progress | None = None) -> CountImportReport:
    """Read the filled-in count sheet (as Excel or LibreOffice saved it), check every row, then record all
    counts in one transaction — or none."""
    require(actor, Permission.STOCK_MOVE)
    result = CountImportReport()
    report = progress or (lambda done, total, what: True)
    try:
        sheet = CalamineWorkbook.from_path(str(path))
        name = sheet.sheet_names[0]
        rows = sheet.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # noqa: BLE001 - whatever the reader says, the user gets one clear message
        result.problems.append(Problem(path.name, "", 0, "", translate("Import", "not a readable workbook ({error})").format(error=exc)))
        return result
    problem = lambda row, column, message: Problem(path.name, name, row, column, message)  # noqa: E731
    with db.read_session_factory() as session:
        stocktake = _get(session, stocktake_id)
        _still_counting(stocktake)
        sheet_number = clean(rows[0][1]) if rows and len(rows[0]) > 1 else ""
        if clean(rows[0][0] if rows and rows[0] else "") != SHEET_NUMBER_LABEL or sheet_number.upper() != stocktake.number:
            result.problems.append(problem(1, "B", translate("Import", "this is the sheet of {other}, not of stocktake {number}").format(
                other=sheet_number or "?", number=stocktake.number)))
            return result
        header = [clean(c) for c in rows[HEADER_ROW_INDEX]] if len(rows) > HEADER_ROW_INDEX else []
        try:
            columns = {title: header.index(title) for title in ("库位", "配件编码", "实盘数量")}
        except ValueError:
            result.problems.append(problem(HEADER_ROW_INDEX + 1, "", translate("Import", "the header row must have 库位, 配件编码 and 实盘数量")))
            return result
        # One read of the stocktake's lines by their codes, as plain rows; parts outside it are looked up at
        # the end.
        line = StocktakeLine.__table__.c
        lines: dict[tuple[int, int | None], int] = {}  # (bin id, part id) → line id
        bins: dict[str, int] = {}
        parts: dict[str, int] = {}
        # Row by row: each row is dropped at once (a list of 50,000 would outlive the young garbage
        # collections and make the full ones walk it, which costs more than the driver's fetches).
        for line_id, bin_id, bin_code, part_id, part_code in session.connection().execute(
                select(line.id, line.bin_id, Bin.code, line.part_id, Part.code)
                .join(Bin, Bin.id == line.bin_id).outerjoin(Part, Part.id == line.part_id)
                .where(line.stocktake_id == stocktake_id)):
            lines[(bin_id, part_id)] = line_id
            bins[bin_code] = bin_id
            if part_code:
                parts[part_code] = part_id
    letters = {key: chr(ord("A") + index) + f" ({key})" for key, index in columns.items()}
    bin_column, part_column, count_column = columns["库位"], columns["配件编码"], columns["实盘数量"]
    width = max(columns.values()) + 1
    counts: dict[tuple[int, int | None], tuple[Decimal, int]] = {}
    unknown_parts: dict[str, list[tuple[int, int, str, Decimal]]] = {}  # code → [(row, bin id, bin code, count)]
    total = len(rows) - HEADER_ROW_INDEX - 1
    what = translate("Import", "Checking rows")
    for offset, values in enumerate(rows[HEADER_ROW_INDEX + 1:], start=HEADER_ROW_INDEX + 2):
        if len(values) < width:
            values = [*values, *[None] * (width - len(values))]
        bin_code, part_code, raw = values[bin_column], values[part_column], values[count_column]
        # Plain ASCII text, nearly every cell, needs no Unicode folding (inlined: this runs 50,000 times).
        bin_code = bin_code.strip().upper() if type(bin_code) is str and bin_code.isascii() else _code(bin_code)
        part_code = part_code.strip().upper() if type(part_code) is str and part_code.isascii() else _code(part_code)
        blank = _blank(raw)
        if blank and not bin_code and not part_code:
            continue  # a blank row
        result.rows += 1
        if (offset - HEADER_ROW_INDEX) % 1000 == 0 and not report(offset - HEADER_ROW_INDEX, total, what):
            result.cancelled = True
            return result
        if blank:
            result.blank += 1
            continue
        value = _count(raw)
        if value is None:
            result.problems.append(problem(offset, letters["实盘数量"], translate("Import", "{value} is not a number").format(value=clean(raw))))
            continue
        if value < 0 or value != value.quantize(_HUNDREDTH):
            result.problems.append(problem(offset, letters["实盘数量"], translate("Import", "a count is zero or more, with at most two decimals")))
            continue
        bin_id = bins.get(bin_code)
        if bin_id is None:
            result.problems.append(problem(offset, letters["库位"], translate("Import", "bin {code} is not in this stocktake").format(code=bin_code or "?")))
            continue
        if not part_code and value == 0:  # an empty bin confirmed empty
            counts[(bin_id, None)] = (value, offset)
            continue
        part_id = parts.get(part_code)
        if part_id is None:
            unknown_parts.setdefault(part_code, []).append((offset, bin_id, bin_code, value))
        elif (bin_id, part_id) in counts:
            _add_count(counts, result, bin_id, part_id, value, offset, bin_code, part_code)
        else:
            counts[(bin_id, part_id)] = (value, offset)
    if unknown_parts:
        with db.read_session_factory() as session:
            found_ids = dict(session.execute(select(Part.code, Part.id).where(Part.code.in_(list(unknown_parts)))).all())
        for code, places in unknown_parts.items():
            for offset, bin_id, bin_code, value in places:
                if code in found_ids:
                    _add_count(counts, result, bin_id, found_ids[code], value, offset, bin_code, code)
                else:
                    result.problems.append(problem(offset, letters["配件编码"], translate("Import", "no part with code {code}").format(code=code or "?")))
        result.problems.sort(key=lambda p: p.row)
    if not result.ok:
        return result
    _save_counts(db, actor, stocktake_id, counts, lines, result)
    return result


_HUNDREDTH = Decimal("0.01")


def _code(value) -> str:
    """A bin or part code as typed: trimmed, full-width folded, upper case."""
    return "" if value is None or value == "" else clean(value).upper()


def _blank(value) -> bool:
    return value is None or value == "" or (type(value) is str and clean(value) == "")


def _count(value) -> Decimal | None:
    if type(value) is float and value.is_integer():  # a count typed as a number: the usual cell
        return Decimal(int(value))
    return number(value)


def _still_counting(stocktake: Stocktake) -> None:
    if StocktakeState(stocktake.state) != StocktakeState.COUNTING:
        raise ValidationError(translate("Errors", "Stocktake {number} is not counting; counts cannot be imported now.").format(
            number=stocktake.number), field="state")


def _add_count(counts, result: CountImportReport, bin_id, part_id, value, row, bin_code, part_code) -> None:
    if (bin_id, part_id) in counts:
        previous, first_row = counts[(bin_id, part_id)]
        counts[(bin_id, part_id)] = (previous + value, first_row)
        result.added_up.append(translate("Import", "{bin} {part}: rows {first} and {row} added up").format(
            bin=bin_code, part=part_code, first=first_row, row=row))
    else:
        counts[(bin_id, part_id)] = (value, row)




def _save_counts(db, actor, stocktake_id, counts, lines, result: CountImportReport) -> None:
    """All counts in one transaction: one UPDATE for many rows (desktop/db/bulk.py), the found parts
    inserted, and one audit entry for the import (core statements write none per row)."""
    # An empty bin's line takes the first part found there, unless the sheet confirms the bin empty too.
    empty_line = {b: i for (b, p), i in lines.items() if p is None and (b, None) not in counts}
    now = utcnow()
    updates, found_updates, inserts = [], [], []
    for (bin_id, part_id), (value, _row) in counts.items():
        known = lines.get((bin_id, part_id))
        if known is not None:
            updates.append((known, value))
        elif bin_id in empty_line:
            found_updates.append((empty_line.pop(bin_id), value, part_id))
            result.found += 1
        else:
            inserts.append({"stocktake_id": stocktake_id, "bin_id": bin_id, "part_id": part_id, "book": Decimal(0),
                            "unit_cost": Decimal(0), "counted": value, "counted_by": actor.username,
                            "counted_at": now, "found": True})
            result.found += 1
    with db.uow(actor) as uow:
        session = uow.session
        # Checked again inside the transaction that writes: counting may have been finished meanwhile.
        _still_counting(session.scalars(select(Stocktake).where(Stocktake.id == stocktake_id).with_for_update()).one())
        conn = session.connection()
        table = StocktakeLine.__table__
        # Only an empty bin's line changes its part: leaving part_id out of the many spares SQLite rewriting
        # the (stocktake, bin, part) index entry of every line.
        who_when = {"counted_by": actor.username, "counted_at": now}
        update_many(conn, table, "id", ("counted",), updates, same=who_when)
        update_many(conn, table, "id", ("counted", "part_id"), found_updates, same={**who_when, "found": True})
        if inserts:
            conn.execute(table.insert(), inserts)
        if result.found:  # found parts (also on an empty bin's line) are valued at their own unit cost
            conn.execute(update(table).where(table.c.stocktake_id == stocktake_id, table.c.found.is_(True))
                         .values(unit_cost=select(Part.unit_cost).where(Part.id == table.c.part_id).scalar_subquery()))
        uow.audit("import", "stocktakes", stocktake_id, summary=f"{len(counts)} counts imported",
                  rows=result.rows, found=result.found, added_up=len(result.added_up))
        uow.commit()
    result.counted = len(counts)


def _count_sheet_rows(db: Database, stocktake_id: int, *, with_book: bool) -> list[CountRow]:
    """The count sheet's lines in walking order as plain rows: bin, part, name, unit and (unless blind) the
    book quantity — none of the variance report's judging, which a sheet to fill in does not need."""
    line = StocktakeLine.__table__.c
    book = StocktakeLine.book if with_book else literal(None)
    with db.read_session_factory() as session:
        return session.connection().execute(
            select(Bin.code, func.coalesce(Part.code, ""), func.coalesce(Part.name, ""), func.coalesce(Part.unit, ""), book)
            .select_from(StocktakeLine.__table__).join(Bin, Bin.id == line.bin_id)
            .outerjoin(Part, Part.id == line.part_id).where(line.stocktake_id == stocktake_id)
            .order_by(Bin.zone, Bin.shelf, Bin.layer, Bin.position, Part.code)).all()


def _audit(db: Database, actor: Actor, action: str, stocktake_id: int, summary: str) -> None:
    with db.uow(actor) as uow:
        uow.audit(action, "stocktakes", stocktake_id, summary=summary)
        uow.commit()
