"""The warehouse's lists: stock by bin, the movement ledger with filters, the shelf map and the reorder
list export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from desktop.db.uow import Actor, Database
from desktop.domain.base import utcnow
from desktop.domain.roles import Permission
from desktop.domain.warehouse import Bin, Lot, MovementKind, Part, SlowMark, StockBalance, StockDocument, StockMovement, kind_label, slow_mark
from desktop.i18n import translate
from desktop.services.access import require
from desktop.services.exports import ExportResult, export_list
from desktop.services.paging import KeysetSource, ListColumn, ListRow, Sort
from desktop.services.parts import reorder_list

BIN_STOCK_COLUMNS = (
    ListColumn("bin", "Bin", width=11),
    ListColumn("code", "Part code", width=14),
    ListColumn("name", "Name", sortable=False, width=20),
    ListColumn("received_on", "Received", sortable=False, width=11),
    ListColumn("quantity", "On hand", sortable=False, width=8),
    ListColumn("unit", "Unit", sortable=False, width=5),
)

MOVEMENT_COLUMNS = (
    ListColumn("at", "Time", width=16),
    ListColumn("document", "Document", sortable=False, width=20),
    ListColumn("kind", "Kind", sortable=False, width=10),
    ListColumn("bin", "Bin", sortable=False, width=11),
    ListColumn("code", "Part code", sortable=False, width=14),
    ListColumn("name", "Name", sortable=False, width=18),
    ListColumn("quantity", "Quantity", sortable=False, width=8),
    ListColumn("reference", "Reference", sortable=False, width=20),
    ListColumn("user", "By", sortable=False, width=10),
)


@dataclass(frozen=True)
class MovementFilter:
    part_code: str = ""
    bin_code: str = ""
    kind: MovementKind | None = None
    since: date | None = None
    until: date | None = None  # inclusive
    document: str = ""  # document number or its reference (order, complaint, supplier document)


def stock_by_bin(db: Database, actor: Actor, *, zone: str = "", part_code: str = "") -> KeysetSource:
    require(actor, Permission.STOCK_READ)
    rows = (select(StockBalance.lot_id, Bin.code, Part.code, Part.name, Lot.received_on, StockBalance.quantity, Part.unit)
            .join(Bin, Bin.id == StockBalance.bin_id).join(Part, Part.id == StockBalance.part_id)
            .join(Lot, Lot.id == StockBalance.lot_id).where(StockBalance.quantity > 0))
    if zone:
        rows = rows.where(Bin.zone == zone.strip().upper())
    if part_code:
        rows = rows.where(Part.code == part_code.strip().upper())
    return KeysetSource(db, columns=BIN_STOCK_COLUMNS, id_column=StockBalance.lot_id, select_rows=rows,
                        sort_columns={"bin": Bin.code, "code": Part.code})


def movements(db: Database, actor: Actor, *, where: MovementFilter = MovementFilter()) -> KeysetSource:
    require(actor, Permission.STOCK_READ)
    rows = (select(StockMovement.id, StockMovement.at, StockDocument.number, StockMovement.kind, Bin.code, Part.code,
                   Part.name, StockMovement.quantity, StockDocument.reference, StockDocument.username)
            .join(StockDocument, StockDocument.id == StockMovement.document_id)
            .join(Bin, Bin.id == StockMovement.bin_id).join(Part, Part.id == StockMovement.part_id))
    if where.part_code:
        rows = rows.where(Part.code == where.part_code.strip().upper())
    if where.bin_code:
        rows = rows.where(Bin.code == where.bin_code.strip().upper())
    if where.kind:
        rows = rows.where(StockMovement.kind == MovementKind(where.kind).value)
    if where.since:
        rows = rows.where(StockMovement.at >= datetime.combine(where.since, time.min).astimezone())
    if where.until:
        rows = rows.where(StockMovement.at < datetime.combine(where.until + timedelta(days=1), time.min).astimezone())
    if where.document:
        text = where.document.strip().upper()
        rows = rows.where((StockDocument.number == text) | (func.upper(StockDocument.reference) == text))

    def present(values: tuple) -> tuple:
        at, number, kind, bin_code, code, name, quantity, reference, user = values
        return (at, number, kind_label(kind), bin_code, code, name, quantity, reference, user)

    return KeysetSource(db, columns=MOVEMENT_COLUMNS, id_column=StockMovement.id, select_rows=rows,
                        sort_columns={"at": StockMovement.at}, present=present)


def zones(db: Database, actor: Actor) -> list[str]:
    """The zones that have bins, in order: what a user chooses from for the shelf map and labels."""
    require(actor, Permission.STOCK_READ)
    with db.session_factory() as session:
        return list(session.scalars(select(Bin.zone).where(Bin.archived_at.is_(None)).distinct().order_by(Bin.zone)))


@dataclass(frozen=True)
class BinCell:
    code: str
    layer: int
    position: int
    part_code: str  # "" when empty; the first part when a bin holds lots of one part
    quantity: Decimal
    mark: SlowMark
    empty: bool


@dataclass(frozen=True)
class ShelfMap:
    zone: str
    shelf: int
    layers: int
    positions: int
    cells: tuple[BinCell, ...]


def shelf_map(db: Database, actor: Actor, *, zone: str, today: date | None = None) -> list[ShelfMap]:
    """Every shelf of a zone as a grid of layers × positions, each bin with its part, quantity and mark."""
    require(actor, Permission.STOCK_READ)
    today = today or utcnow().astimezone().date()
    zone = zone.strip().upper()
    last_issue = (select(StockMovement.part_id, func.max(StockMovement.at).label("at"))
                  .where(StockMovement.kind == MovementKind.ISSUE.value).group_by(StockMovement.part_id).subquery())
    stock = (select(StockBalance.bin_id, Part.code, func.sum(StockBalance.quantity).label("qty"),
                    func.min(Lot.received_on).label("received"), func.max(last_issue.c.at).label("issued"))
             .join(Part, Part.id == StockBalance.part_id).join(Lot, Lot.id == StockBalance.lot_id)
             .outerjoin(last_issue, last_issue.c.part_id == StockBalance.part_id)
             .where(StockBalance.quantity > 0).group_by(StockBalance.bin_id, Part.code).subquery())
    query = (select(Bin, stock.c.code, stock.c.qty, stock.c.received, stock.c.issued)
             .outerjoin(stock, stock.c.bin_id == Bin.id)
             .where(Bin.zone == zone, Bin.archived_at.is_(None)).order_by(Bin.shelf, Bin.layer, Bin.position))
    shelves: dict[int, list[BinCell]] = {}
    with db.session_factory() as session:
        for bin_, code, quantity, received, issued in session.execute(query):
            issued_on = issued.astimezone().date() if isinstance(issued, datetime) else None
            shelves.setdefault(bin_.shelf, []).append(BinCell(
                bin_.code, bin_.layer, bin_.position, code or "", quantity or Decimal(0),
                slow_mark(issued_on, received, today) if code else SlowMark.NONE, code is None))
    return [ShelfMap(zone, shelf, max(c.layer for c in cells), max(c.position for c in cells), tuple(cells))
            for shelf, cells in sorted(shelves.items())]


class _ReorderSource:
    """The reorder list as a ListSource, so it exports like every other list."""

    columns = (
        ListColumn("code", "Part code", width=14), ListColumn("name", "Name", width=20),
        ListColumn("unit", "Unit", width=5), ListColumn("on_hand", "On hand", width=8),
        ListColumn("reorder_point", "Reorder point", width=8), ListColumn("safety_stock", "Safety stock", width=8),
        ListColumn("monthly_use", "Monthly use", width=8), ListColumn("suggested", "Suggested order", width=10),
    )

    def __init__(self, lines):
        self.lines = lines

    def fetch(self, *, sort: Sort, after: tuple | None, limit: int) -> list[ListRow]:
        start = 0 if after is None else after[1] + 1
        return [ListRow(line.part_id, (line.code, start + i), (line.code, line.name, line.unit, line.on_hand,
                                                               line.reorder_point, line.safety_stock, line.monthly_use,
                                                               line.suggested))
                for i, line in enumerate(self.lines[start:start + limit])]

    def count(self) -> int:
        return len(self.lines)


def export_reorder_list(db: Database, actor: Actor, *, target: Path) -> ExportResult:
    source = _ReorderSource(reorder_list(db, actor))
    return export_list(db, actor, source=source, sort=Sort("code"), entity="parts", filter_text="reorder list",
                       sheet_title=translate("Stock", "Reorder list"), target=target)
