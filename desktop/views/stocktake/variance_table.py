"""The lines of one stocktake as a table model: what was counted while counting (the book only when the count
is not blind), and book, count, recount, difference, value and tolerance once counting is finished.

A model rather than a table widget: a whole-warehouse stocktake has thousands of lines, and every scan
updates one of them in place."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.services.stocktake import VarianceLine
from desktop.views.warehouse.widgets import quantity_text

BEYOND_COLOUR = QColor("#fde2e1")  # a line beyond tolerance: needs a recount or the manager's eye
FOUND_COLOUR = QColor("#e3f1fd")  # a part found where the book had nothing

# Column keys; which of them show depends on the stage and on blind counting.
BIN, PART, NAME, UNIT, ABC, BOOK, COUNTED, COUNTED_BY, RECOUNTED, RECOUNTED_BY, DELTA, VALUE, TOLERANCE, NOTE = (
    "bin", "part", "name", "unit", "abc", "book", "counted", "counted_by", "recounted", "recounted_by", "delta",
    "value", "tolerance", "note")


def money_text(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def signed_text(value: Decimal | None) -> str:
    return "" if value is None else ("+" if value > 0 else "") + quantity_text(value)


class VarianceModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._lines: list[VarianceLine] = []
        self._rows: dict[int, int] = {}  # line id → row
        self._columns: list[str] = []
        self._titles = {
            BIN: self.tr("Bin"), PART: self.tr("Part code"), NAME: self.tr("Name"), UNIT: self.tr("Unit"),
            ABC: self.tr("ABC"), BOOK: self.tr("Book"), COUNTED: self.tr("Counted"),
            COUNTED_BY: self.tr("Counted by"), RECOUNTED: self.tr("Recounted"),
            RECOUNTED_BY: self.tr("Recounted by"), DELTA: self.tr("Difference"), VALUE: self.tr("Value"),
            TOLERANCE: self.tr("Tolerance"), NOTE: self.tr("Note"),
        }

    # --- our API -------------------------------------------------------------------------------------------

    def set_lines(self, lines: list[VarianceLine], *, show_book: bool, counted_stage: bool) -> None:
        """`show_book`: not a blind count (or counting is over); `counted_stage`: differences may be shown."""
        self.beginResetModel()
        self._lines = list(lines)
        self._rows = {line.line_id: row for row, line in enumerate(self._lines)}
        columns = [BIN, PART, NAME, UNIT, ABC]
        if counted_stage:
            columns += [BOOK, COUNTED, COUNTED_BY, RECOUNTED, RECOUNTED_BY, DELTA, VALUE, TOLERANCE, NOTE]
        else:
            columns += ([BOOK] if show_book else []) + [COUNTED, COUNTED_BY, NOTE]
        self._columns = columns
        self.endResetModel()

    def update_line(self, line: VarianceLine) -> bool:
        """Show a new count of a known line; False when the line is new (a found part: read all again)."""
        row = self._rows.get(line.line_id)
        if row is None:
            return False
        self._lines[row] = line
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._columns) - 1))
        return True

    def lines(self) -> list[VarianceLine]:
        return list(self._lines)

    def line_at(self, row: int) -> VarianceLine | None:
        return self._lines[row] if 0 <= row < len(self._lines) else None

    def row_of(self, line_id: int) -> int:
        return self._rows.get(line_id, -1)

    def column_keys(self) -> list[str]:
        return list(self._columns)

    def text(self, row: int, key: str) -> str:
        return self._text(self._lines[row], key)

    # --- Qt overrides --------------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self._columns)):
            return self._titles[self._columns[section]]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        line, key = self._lines[index.row()], self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, key)
        if role == Qt.ItemDataRole.TextAlignmentRole and key in (BOOK, COUNTED, RECOUNTED, DELTA, VALUE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if line.within_tolerance is False and TOLERANCE in self._columns:
                return QBrush(BEYOND_COLOUR)
            if line.found:
                return QBrush(FOUND_COLOUR)
        return None

    # --- helpers -------------------------------------------------------------------------------------------

    def _text(self, line: VarianceLine, key: str) -> str:
        if key == BIN:
            return line.bin_code
        if key == PART:
            return line.part_code or self.tr("(empty bin)")
        if key == NAME:
            return line.part_name
        if key == UNIT:
            return line.unit
        if key == ABC:
            return line.abc_class.value if line.part_code else ""
        if key == BOOK:
            return quantity_text(line.book)
        if key == COUNTED:
            return "" if line.counted is None else quantity_text(line.counted)
        if key == COUNTED_BY:
            return line.counted_by or ""
        if key == RECOUNTED:
            return "" if line.recounted is None else quantity_text(line.recounted)
        if key == RECOUNTED_BY:
            return line.recounted_by or ""
        if key == DELTA:
            return signed_text(line.delta)
        if key == VALUE:
            return money_text(line.value)
        if key == TOLERANCE:
            if line.within_tolerance is None:
                return ""
            if line.within_tolerance:
                return self.tr("Within")
            return self.tr("Beyond: recount") if line.needs_recount else self.tr("Beyond: recounted")
        if key == NOTE:
            return self.tr("found") if line.found else ""
        return ""


def totals(lines: list[VarianceLine]) -> dict[str, Decimal | int]:
    """盘盈 and 盘亏 apart: a gain never hides a loss of the same size."""
    gains = [line.value for line in lines if line.value and line.value > 0]
    losses = [-line.value for line in lines if line.value and line.value < 0]
    return {"gain": sum(gains, Decimal(0)), "gain_lines": len(gains),
            "loss": sum(losses, Decimal(0)), "loss_lines": len(losses)}
