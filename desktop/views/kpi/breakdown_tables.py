"""The breakdown tables behind the charts — top parts, costs by bearer and by department, open complaints and
orders by age, orders by category, complaints by class and by model — one tab each, with a total row.
Choosing a row explains it; double-click or Enter opens the records behind the row (the total row: behind
the whole table). A table shows its numbers when it is shown: the tabs behind the current one fill when
they are chosen (laying out a hidden table cost as much as laying out the shown one)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTabWidget, QWidget

from desktop.domain.kpi import Breakdown
from desktop.models.breakdown_model import BreakdownModel

# The order of the tabs: what a manager asks about first. Tables the service adds later come last.
TAB_ORDER = ("top_parts", "costs_by_department", "costs_by_bearer", "complaint_ageing", "order_ageing",
             "order_categories", "complaint_classes", "complaint_models")


class BreakdownTable(QTableView):
    sig_selected = Signal(object, object)  # Breakdown, BreakdownRow or None (the total)
    sig_activated = Signal(object, object)

    def __init__(self, breakdown: Breakdown, parent: QWidget | None = None):
        super().__init__(parent)
        self.breakdown_model = BreakdownModel(self)
        self._pending: Breakdown | None = None  # the numbers to show when the table is shown
        self.setModel(self.breakdown_model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(22)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.breakdown_model.modelReset.connect(self._stretch_labels)
        self.fill(breakdown)
        self.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.doubleClicked.connect(lambda index: self._activate(index.row()))

    @property
    def breakdown(self) -> Breakdown | None:
        """The breakdown on screen: the newest one once the table has been shown since it came."""
        return self.breakdown_model.breakdown

    def fill(self, breakdown: Breakdown) -> None:
        self._pending = breakdown
        if self.isVisible():
            self._show_pending()

    def row_texts(self) -> list[tuple[str, ...]]:
        self._show_pending()
        return self.breakdown_model.row_texts()

    def _show_pending(self) -> None:
        if self._pending is None:
            return
        breakdown, self._pending = self._pending, None
        if breakdown.formula != self.toolTip():
            self.setToolTip(breakdown.formula)
        self.breakdown_model.set_breakdown(breakdown, self.tr("Total"))

    def current_row(self) -> int:
        return self.currentIndex().row()

    def _stretch_labels(self) -> None:
        """The labels' column takes the room the numbers leave (a reset forgets the sections' modes)."""
        if self.breakdown_model.columnCount():
            self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self.current_row() >= 0:
            self.sig_selected.emit(self.breakdown, self.breakdown_model.row_of(self.current_row()))

    def _activate(self, table_row: int) -> None:
        if table_row >= 0:
            self.sig_activated.emit(self.breakdown, self.breakdown_model.row_of(table_row))

    # --- Qt overrides --------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        self._show_pending()
        super().showEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if self.current_row() >= 0:
            self.sig_selected.emit(self.breakdown, self.breakdown_model.row_of(self.current_row()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._activate(self.current_row())
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
                if self.tabText(index) != breakdown.title:  # setTabText lays the tab bar out again
                    self.setTabText(index, breakdown.title)
