"""A breakdown table (desktop.domain.kpi.Breakdown) as a Qt table model: its rows, then a total row when it
has columns to add up. The texts are formatted once per report; a report with the same texts changes nothing
(the view keeps its selection and does not lay itself out again)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from desktop.domain.kpi import Breakdown, BreakdownRow, format_value

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_BOLD = QFont()
_BOLD.setBold(True)  # only the weight: the view's font gives the rest


def breakdown_texts(breakdown: Breakdown,
                    total: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...], bool]:
    """(column headings, row texts with the total row, labelled `total`, last if there is one, whether there
    is one)."""
    headings = ("", *(c.title for c in breakdown.columns))
    rows = [(row.label, *(format_value(value, column.unit)
                          for value, column in zip(row.values, breakdown.columns, strict=True)))
            for row in breakdown.rows]
    totals = bool(breakdown.rows) and any(c.unit != "%" for c in breakdown.columns)
    if totals:
        rows.append((total,
                     *(format_value(breakdown.total(i), c.unit) if c.unit != "%" else ""
                       for i, c in enumerate(breakdown.columns))))
    return headings, tuple(rows), totals


class BreakdownModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.breakdown: Breakdown | None = None
        self._headings: tuple[str, ...] = ()
        self._rows: tuple[tuple[str, ...], ...] = ()
        self._totals = False

    def set_breakdown(self, breakdown: Breakdown, total: str) -> None:
        texts = breakdown_texts(breakdown, total)
        self.breakdown = breakdown
        if texts == (self._headings, self._rows, self._totals):
            return
        self.beginResetModel()
        self._headings, self._rows, self._totals = texts
        self.endResetModel()

    def row_of(self, table_row: int) -> BreakdownRow | None:
        """The breakdown's row shown in `table_row`; None for the total row."""
        if self.breakdown is None or not 0 <= table_row < len(self.breakdown.rows):
            return None
        return self.breakdown.rows[table_row]

    def row_texts(self) -> list[tuple[str, ...]]:
        return list(self._rows)

    # --- Qt overrides --------------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headings)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY):
        row, column = index.row(), index.column()
        if not index.isValid() or row >= len(self._rows):
            return None
        role = int(role)
        if role == _DISPLAY:
            return self._rows[row][column]
        if role == _ALIGNMENT:
            return _RIGHT if column else None
        total = self._totals and row == len(self._rows) - 1
        if role == _FONT:
            return _BOLD if total else None
        if role == _TOOLTIP:
            return self._rows[row][0] if column == 0 and not total else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and int(role) == _DISPLAY and 0 <= section < len(self._headings):
            return self._headings[section]
        return None
