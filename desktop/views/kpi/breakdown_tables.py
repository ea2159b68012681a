"""The breakdown tables behind the charts — top parts, costs by bearer and by department, open complaints and
orders by age, orders by category, complaints by class and by model — one tab each, with a total row.
Choosing a row explains it; double-click or Enter opens the records behind the row (the total row: behind
the whole table).

The tabs share one table, which shows the chosen tab's breakdown: a table per tab cost as much to build and
lay out as the rest of the page (and its numbers were filled only when its tab was chosen anyway). Ctrl+Tab
and Ctrl+Shift+Tab step through the tabs from the table, as in a QTabWidget."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTabBar, QVBoxLayout, QWidget

from desktop.domain.kpi import Breakdown
from desktop.models.breakdown_model import BreakdownModel, breakdown_texts

# The order of the tabs: what a manager asks about first. Tables the service adds later come last.
TAB_ORDER = ("top_parts", "costs_by_department", "costs_by_bearer", "complaint_ageing", "order_ageing",
             "order_categories", "complaint_classes", "complaint_models")


class BreakdownTable(QTableView):
    sig_selected = Signal(object, object)  # Breakdown, BreakdownRow or None (the total)
    sig_activated = Signal(object, object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.breakdown_model = BreakdownModel(self)
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
        self.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.doubleClicked.connect(lambda index: self._activate(index.row()))

    @property
    def breakdown(self) -> Breakdown | None:
        return self.breakdown_model.breakdown

    def show_breakdown(self, breakdown: Breakdown) -> None:
        if breakdown.formula != self.toolTip():
            self.setToolTip(breakdown.formula)
        self.breakdown_model.set_breakdown(breakdown, self.total_label())

    def total_label(self) -> str:
        return self.tr("Total")

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


class BreakdownTabs(QWidget):
    """A tab per breakdown above the one table that shows the chosen one."""

    sig_selected = Signal(object, object)  # Breakdown, BreakdownRow or None
    sig_activated = Signal(object, object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.breakdowns: dict[str, Breakdown] = {}  # in the order of the tabs
        self.tab_bar = QTabBar(self)
        self.tab_bar.setExpanding(False)
        self.tab_bar.setUsesScrollButtons(True)
        self.table = BreakdownTable(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.tab_bar)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.table)
        self.table.sig_selected.connect(self.sig_selected)
        self.table.sig_activated.connect(self.sig_activated)
        self.tab_bar.currentChanged.connect(self.on_tab_bar_current_changed)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, step in (("Ctrl+Tab", 1), ("Ctrl+PgDown", 1), ("Ctrl+Shift+Tab", -1), ("Ctrl+PgUp", -1)):
            QShortcut(QKeySequence(keys), self, lambda step=step: self.step_tab(step), context=context)

    def set_breakdowns(self, breakdowns: tuple[Breakdown, ...]) -> None:
        def place(breakdown: Breakdown) -> int:
            return TAB_ORDER.index(breakdown.key) if breakdown.key in TAB_ORDER else len(TAB_ORDER)

        ordered = sorted(breakdowns, key=place)
        shown = self.current_key()
        self.breakdowns = {b.key: b for b in ordered}
        self.tab_bar.blockSignals(True)
        while self.tab_bar.count() > len(ordered):
            self.tab_bar.removeTab(self.tab_bar.count() - 1)
        for index, breakdown in enumerate(ordered):
            if index == self.tab_bar.count():
                self.tab_bar.addTab(breakdown.title)
            elif self.tab_bar.tabText(index) != breakdown.title:  # setTabText lays the tab bar out again
                self.tab_bar.setTabText(index, breakdown.title)
            self.tab_bar.setTabData(index, breakdown.key)
        keys = list(self.breakdowns)
        self.tab_bar.setCurrentIndex(keys.index(shown) if shown in keys else 0)
        self.tab_bar.blockSignals(False)
        self._show_current()

    def current_key(self) -> str | None:
        return self.tab_bar.tabData(self.tab_bar.currentIndex()) if self.tab_bar.count() else None

    def show_tab(self, key: str) -> None:
        """Choose the tab of breakdown `key`."""
        self.tab_bar.setCurrentIndex(list(self.breakdowns).index(key))

    def step_tab(self, step: int) -> None:
        """The next (1) or the previous (-1) tab, round the end."""
        if self.tab_bar.count():
            self.tab_bar.setCurrentIndex((self.tab_bar.currentIndex() + step) % self.tab_bar.count())

    def row_texts(self, key: str) -> list[tuple[str, ...]]:
        """The texts breakdown `key`'s table shows, with its total row (whichever tab is chosen)."""
        return list(breakdown_texts(self.breakdowns[key], self.table.total_label())[1])

    def on_tab_bar_current_changed(self, _index: int) -> None:
        """The chosen table, its first row current: the side panel explains it, and Enter opens its records
        (a new table keeps no row of the one before)."""
        self._show_current()
        model = self.table.model()
        if model.rowCount():
            self.table.setCurrentIndex(model.index(0, 0))

    def _show_current(self) -> None:
        key = self.current_key()
        if key is not None:
            self.table.show_breakdown(self.breakdowns[key])
