"""The breakdown tables behind the charts — top parts, costs by bearer and by department, open complaints and
orders by age, orders by category, complaints by class and by model — one tab each, with a total row.
Choosing a row explains it; double-click or Enter opens the records behind the row (the total row: behind
the whole table)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QTabWidget, QWidget

from desktop.domain.kpi import Breakdown, BreakdownRow, format_value

# The order of the tabs: what a manager asks about first. Tables the service adds later come last.
TAB_ORDER = ("top_parts", "costs_by_department", "costs_by_bearer", "complaint_ageing", "order_ageing",
             "order_categories", "complaint_classes", "complaint_models")
_ROW = Qt.ItemDataRole.UserRole  # the row's index in breakdown.rows; -1 for the total row


class BreakdownTable(QTableWidget):
    sig_selected = Signal(object, object)  # Breakdown, BreakdownRow or None (the total)
    sig_activated = Signal(object, object)

    def __init__(self, breakdown: Breakdown, parent: QWidget | None = None):
        super().__init__(parent)
        self.breakdown = breakdown
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(22)
        self.setToolTip(breakdown.formula)
        self.fill(breakdown)
        self.itemSelectionChanged.connect(self._on_selection_changed)
        self.cellDoubleClicked.connect(lambda row, _column: self._activate(row))

    def fill(self, breakdown: Breakdown) -> None:
        self.breakdown = breakdown
        self.setToolTip(breakdown.formula)
        self.clear()
        self.setColumnCount(1 + len(breakdown.columns))
        self.setHorizontalHeaderLabels(["", *(c.title for c in breakdown.columns)])
        totals = any(c.unit != "%" for c in breakdown.columns) and breakdown.rows
        self.setRowCount(len(breakdown.rows) + (1 if totals else 0))
        for index, row in enumerate(breakdown.rows):
            self._put(index, index, row.label, [format_value(v, c.unit) for v, c in
                                                zip(row.values, breakdown.columns, strict=True)])
        if totals:
            bold = QFont(self.font())
            bold.setBold(True)
            values = [format_value(breakdown.total(i), c.unit) if c.unit != "%" else ""
                      for i, c in enumerate(breakdown.columns)]
            self._put(len(breakdown.rows), -1, self.tr("Total"), values, bold)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def row_texts(self) -> list[tuple[str, ...]]:
        return [tuple(self.item(r, c).text() for c in range(self.columnCount())) for r in range(self.rowCount())]

    def _put(self, table_row: int, index: int, label: str, values: list[str], font: QFont | None = None) -> None:
        for column, text in enumerate([label, *values]):
            item = QTableWidgetItem(text)
            item.setData(_ROW, index)
            if column:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            else:
                item.setToolTip(label)
            if font is not None:
                item.setFont(font)
            self.setItem(table_row, column, item)

    def _row_of(self, table_row: int) -> BreakdownRow | None:
        index = self.item(table_row, 0).data(_ROW)
        return self.breakdown.rows[index] if index >= 0 else None

    def _on_selection_changed(self) -> None:
        if self.currentRow() >= 0:
            self.sig_selected.emit(self.breakdown, self._row_of(self.currentRow()))

    def _activate(self, table_row: int) -> None:
        if table_row >= 0:
            self.sig_activated.emit(self.breakdown, self._row_of(table_row))

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        if self.currentRow() >= 0:
            self.sig_selected.emit(self.breakdown, self._row_of(self.currentRow()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._activate(self.currentRow())
            event.accept()
            return
        super().keyPressEvent(event)


class BreakdownTabs(QTabWidget):
    sig_selected = Signal(object, object)  # Breakdown, BreakdownRow or None
    sig_activated = Signal(object, object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.tables: dict[str, BreakdownTable] = {}

    def set_breakdowns(self, breakdowns: tuple[Breakdown, ...]) -> None:
        def place(breakdown: Breakdown) -> int:
            return TAB_ORDER.index(breakdown.key) if breakdown.key in TAB_ORDER else len(TAB_ORDER)

        ordered = sorted(breakdowns, key=place)
        if [b.key for b in ordered] != list(self.tables):
            current = self.currentIndex()
            self.clear()
            for table in self.tables.values():
                table.deleteLater()
            self.tables = {}
            for breakdown in ordered:
                table = BreakdownTable(breakdown, self)
                table.sig_selected.connect(self.sig_selected)
                table.sig_activated.connect(self.sig_activated)
                self.addTab(table, breakdown.title)
                self.tables[breakdown.key] = table
            self.setCurrentIndex(max(current, 0))
        else:
            for index, breakdown in enumerate(ordered):
                self.tables[breakdown.key].fill(breakdown)
                self.setTabText(index, breakdown.title)
