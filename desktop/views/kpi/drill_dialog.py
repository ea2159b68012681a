"""The records behind a figure that no list page can filter to (return visits, stock movements, cost lines),
or any records when the dashboard stands alone: the DrillTable of desktop.services.kpi_drill with its total
and the sums of its amounts. Enter or double-click on a row opens the record's own page where there is one:
a visit's service order, a movement's document, a cost line's complaint."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.kpi import format_value
from desktop.services.kpi_drill import DrillTable
from desktop.views.common import HINT_STYLE

# Which column of a drill list names the record a row opens, and what kind of record that is.
RECORD_COLUMNS: dict[str, tuple[str, str]] = {
    "complaints": ("number", "complaint"),
    "orders": ("number", "order"),
    "costs": ("complaint", "complaint"),
    "visits": ("order", "order"),
    "movements": ("document", "document"),
}
SUMMED_UNITS = ("CNY",)
SUMMED_KEYS = ("quantity",)  # quantities of one unit each are not summed, except the movements' (the figure's)


def cell_text(value, unit: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, datetime):
        return f"{value.astimezone():%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, Decimal | int) and unit in ("CNY", "count", "score", "%", "h"):
        return format_value(Decimal(value), unit)
    return str(value)


class _Table(QTableWidget):
    sig_activated = Signal(int)  # row

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.sig_activated.emit(self.currentRow())
            event.accept()
            return
        super().keyPressEvent(event)


class DrillDialog(QDialog):
    sig_record_requested = Signal(str, str)  # kind ("complaint", "order", "document"), its number

    def __init__(self, table: DrillTable, caption: str, *, can_open: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.drill_table = table
        self._can_open = can_open
        self.setWindowTitle(self.tr("Records behind: {caption}").format(caption=caption))
        self.resize(1000, 560)
        self.caption_label = QLabel(self.tr("{caption} — {count} record(s)").format(
            caption=caption, count=f"{table.total:,}"), self)
        self.caption_label.setTextFormat(Qt.TextFormat.PlainText)
        self.caption_label.setStyleSheet("font-weight: bold;")
        self.table = _Table(len(table.rows), len(table.columns), self)
        self.table.setHorizontalHeaderLabels([c.title for c in table.columns])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        for r, row in enumerate(table.rows):
            for c, (value, column) in enumerate(zip(row, table.columns, strict=True)):
                item = QTableWidgetItem(cell_text(value, column.unit))
                if column.unit != "text":
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.total_label = QLabel(self._totals(), self, wordWrap=True)
        self.hint_label = QLabel(self, wordWrap=True)
        self.hint_label.setStyleSheet(HINT_STYLE)
        if can_open and table.list in RECORD_COLUMNS:
            self.hint_label.setText(self.tr("Enter or double-click opens the record."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total_label)
        layout.addWidget(self.hint_label)
        layout.addWidget(buttons)
        self.table.sig_activated.connect(self.open_row)
        self.table.cellDoubleClicked.connect(lambda row, _column: self.open_row(row))
        if table.rows:
            self.table.selectRow(0)
        self.table.setFocus()

    def record_of(self, row: int) -> tuple[str, str] | None:
        """(kind, number) of the record a row opens, or None (a visit without an order, say)."""
        table = self.drill_table
        if not self._can_open or table.list not in RECORD_COLUMNS or not 0 <= row < len(table.rows):
            return None
        key, kind = RECORD_COLUMNS[self.drill_table.list]
        keys = [c.key for c in self.drill_table.columns]
        number = self.drill_table.rows[row][keys.index(key)] if key in keys else ""
        return (kind, str(number)) if number else None

    def open_row(self, row: int) -> None:
        record = self.record_of(row)
        if record is None:
            if self._can_open:
                self.hint_label.setText(self.tr("This record has no page of its own to open."))
            return
        self.sig_record_requested.emit(*record)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter belongs to the table (it opens a row); the dialog has no default button to press.
        if event.matches(QKeySequence.StandardKey.Cancel):
            self.reject()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return
        super().keyPressEvent(event)

    def _totals(self) -> str:
        """The sums of the amounts (and of the quantities consumed), and whether every record is listed."""
        table = self.drill_table
        sums = []
        for index, column in enumerate(table.columns):
            if column.key != "unit_cost" and (column.unit in SUMMED_UNITS or
                                              (table.list == "movements" and column.key in SUMMED_KEYS)):
                total = sum((row[index] or Decimal(0) for row in table.rows), Decimal(0))
                sums.append(f"{column.title}: {format_value(total, column.unit)}")
        if len(table.rows) == table.total:
            return self.tr("Total: {sums}").format(sums=" · ".join(sums)) if sums else ""
        lines = [self.tr("The first {shown} of {total} records are listed.").format(
            shown=f"{len(table.rows):,}", total=f"{table.total:,}")]
        if sums:
            lines.append(self.tr("Total of the listed rows: {sums}").format(sums=" · ".join(sums)))
        return "\n".join(lines)
