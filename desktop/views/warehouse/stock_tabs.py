"""The three lists of the stock movements page: the ledger with its filters, stock by bin, and the reorder
list with its export to Excel. The first two are lazy lists (a year of movements is tens of thousands of
rows); the reorder list is short by nature (parts at or below their reorder point)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.db.uow import Actor, Database
from desktop.domain.errors import DomainError
from desktop.domain.roles import Permission
from desktop.domain.warehouse import MovementKind, kind_label
from desktop.i18n import translate
from desktop.services.access import allowed
from desktop.services.paging import Sort
from desktop.services.parts import reorder_list
from desktop.services.stock_lists import MovementFilter, export_reorder_list, movements, stock_by_bin, zones
from desktop.views.lazy_list_view import LazyListView
from desktop.views.tasks import BackgroundTask
from desktop.views.warehouse.widgets import (
    StockListModel,
    documents_dir,
    fit_columns,
    quantity_text,
    run_in_background,
)

TYPING_DELAY_MS = 400
ANY_DATE = QDate(2000, 1, 1)  # the lowest date of the date boxes reads "any"


def _labelled(layout: QHBoxLayout, text: str, widget: QWidget, stretch: int = 0) -> None:
    label = QLabel(text, widget.parentWidget())
    label.setBuddy(widget)
    layout.addWidget(label)
    layout.addWidget(widget, stretch)


class MovementsTab(QWidget):
    sig_document_changed = Signal(str)  # the document number of the current row ("" for none)

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.part_edit = QLineEdit(self, clearButtonEnabled=True, placeholderText=self.tr("part code"))
        self.bin_edit = QLineEdit(self, clearButtonEnabled=True, placeholderText="A-03-2-05")
        self.kind_combo = QComboBox(self)
        self.kind_combo.addItem(self.tr("All kinds"), None)
        for kind in MovementKind:
            self.kind_combo.addItem(kind_label(kind), kind)
        self.from_edit, self.to_edit = self._date_edit(), self._date_edit()
        self.document_edit = QLineEdit(self, clearButtonEnabled=True,
                                       placeholderText=self.tr("document, order or complaint number"))
        self.reset_button = QPushButton(self.tr("Reset filt&ers"), self)
        self.model = StockListModel(None, sort=Sort("at", descending=True), parent=self)
        self.list_view = LazyListView(self.model, list_name="warehouse_movements", user=actor.username, parent=self)
        self.status_label = QLabel(self, wordWrap=True)

        first = QHBoxLayout()
        _labelled(first, self.tr("P&art:"), self.part_edit, 1)
        _labelled(first, self.tr("Bi&n:"), self.bin_edit, 1)
        _labelled(first, self.tr("&Kind:"), self.kind_combo)
        _labelled(first, self.tr("&From:"), self.from_edit)
        _labelled(first, self.tr("T&o:"), self.to_edit)
        second = QHBoxLayout()
        _labelled(second, self.tr("&Document:"), self.document_edit, 1)
        second.addWidget(self.reset_button)
        layout = QVBoxLayout(self)
        layout.addLayout(first)
        layout.addLayout(second)
        layout.addWidget(self.list_view, 1)
        layout.addWidget(self.status_label)

        self._typing_timer = QTimer(self, singleShot=True, interval=TYPING_DELAY_MS)
        self._typing_timer.timeout.connect(self.apply_filter)
        for edit in (self.part_edit, self.bin_edit, self.document_edit):
            edit.textChanged.connect(self._typing_timer.start)
            edit.returnPressed.connect(self.apply_filter)
        self.kind_combo.currentIndexChanged.connect(self.apply_filter)
        self.from_edit.dateChanged.connect(self.apply_filter)
        self.to_edit.dateChanged.connect(self.apply_filter)
        self.reset_button.clicked.connect(self.on_reset_button_clicked)
        self.list_view.sig_current_changed.connect(self.on_list_view_current_changed)
        self.apply_filter()
        fit_columns(self.list_view)

    def current_filter(self) -> MovementFilter:
        return MovementFilter(part_code=self.part_edit.text().strip(), bin_code=self.bin_edit.text().strip(),
                              kind=self.kind_combo.currentData(), since=self._date(self.from_edit),
                              until=self._date(self.to_edit), document=self.document_edit.text().strip())

    def apply_filter(self) -> None:
        self._typing_timer.stop()
        try:
            self.model.set_source(movements(self._db, self._actor, where=self.current_filter()))
        except DomainError as exc:
            self.status_label.setText(exc.message)
            return
        self.status_label.clear()
        self.on_list_view_current_changed(self.list_view.current_id())

    def show_filter(self, *, part_code: str = "", bin_code: str = "", document: str = "") -> None:
        """Show the movements of one part, bin or document (other filters cleared)."""
        self._set_quietly(part_code, bin_code, document)
        self.apply_filter()

    def current_document(self) -> str:
        row = self.model.row_of_id(self.list_view.current_id())
        return self.model.row_values(row)[1] if row >= 0 else ""

    def on_reset_button_clicked(self) -> None:
        self.show_filter()

    def on_list_view_current_changed(self, _row_id: int) -> None:
        self.sig_document_changed.emit(self.current_document())

    def _set_quietly(self, part_code: str, bin_code: str, document: str) -> None:
        widgets = (self.part_edit, self.bin_edit, self.document_edit, self.kind_combo, self.from_edit, self.to_edit)
        for widget in widgets:
            widget.blockSignals(True)
        self.part_edit.setText(part_code)
        self.bin_edit.setText(bin_code)
        self.document_edit.setText(document)
        self.kind_combo.setCurrentIndex(0)
        self.from_edit.setDate(ANY_DATE)
        self.to_edit.setDate(ANY_DATE)
        for widget in widgets:
            widget.blockSignals(False)

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit(ANY_DATE, self, calendarPopup=True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(ANY_DATE)
        edit.setSpecialValueText(self.tr("any"))
        return edit

    @staticmethod
    def _date(edit: QDateEdit) -> date | None:
        return None if edit.date() == ANY_DATE else edit.date().toPython()


class StockByBinTab(QWidget):
    sig_lot_changed = Signal(int, str)  # lot id and part code of the current row (-1, "" for none)

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.zone_combo = QComboBox(self)
        self.part_edit = QLineEdit(self, clearButtonEnabled=True, placeholderText=self.tr("part code"))
        self.model = StockListModel(None, sort=Sort("bin"), parent=self)
        self.list_view = LazyListView(self.model, list_name="warehouse_stock_by_bin", user=actor.username,
                                      parent=self)
        self.status_label = QLabel(self, wordWrap=True)
        row = QHBoxLayout()
        _labelled(row, self.tr("&Zone:"), self.zone_combo)
        _labelled(row, self.tr("P&art:"), self.part_edit, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.list_view, 1)
        layout.addWidget(self.status_label)
        self._typing_timer = QTimer(self, singleShot=True, interval=TYPING_DELAY_MS)
        self._typing_timer.timeout.connect(self.apply_filter)
        self.part_edit.textChanged.connect(self._typing_timer.start)
        self.part_edit.returnPressed.connect(self.apply_filter)
        self.zone_combo.currentIndexChanged.connect(self.apply_filter)
        self.list_view.sig_current_changed.connect(self.on_list_view_current_changed)
        self.refresh()
        fit_columns(self.list_view)

    def refresh(self) -> None:
        current = self.zone_combo.currentData() or ""
        self.zone_combo.blockSignals(True)
        self.zone_combo.clear()
        self.zone_combo.addItem(self.tr("All zones"), "")
        try:
            for zone in zones(self._db, self._actor):
                self.zone_combo.addItem(zone, zone)
        except DomainError:
            pass  # the list below says why
        self.zone_combo.setCurrentIndex(max(self.zone_combo.findData(current), 0))
        self.zone_combo.blockSignals(False)
        self.apply_filter()

    def apply_filter(self) -> None:
        self._typing_timer.stop()
        try:
            self.model.set_source(stock_by_bin(self._db, self._actor, zone=self.zone_combo.currentData() or "",
                                               part_code=self.part_edit.text().strip()))
        except DomainError as exc:
            self.status_label.setText(exc.message)
            return
        self.status_label.clear()
        self.on_list_view_current_changed(self.list_view.current_id())

    def current_lot(self) -> tuple[int, str]:
        row = self.model.row_of_id(self.list_view.current_id())
        return (self.model.row_id(row), self.model.row_values(row)[1]) if row >= 0 else (-1, "")

    def on_list_view_current_changed(self, _row_id: int) -> None:
        self.sig_lot_changed.emit(*self.current_lot())


class ReorderTab(QWidget):
    COLUMNS = ("Part code", "Name", "Unit", "On hand", "Reorder point", "Safety stock", "Monthly use",
               "Suggested order")

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.task: BackgroundTask | None = None
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setHorizontalHeaderLabels([translate("Columns", title) for title in self.COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 10)
        header = self.table.horizontalHeader()
        header.resizeSection(0, 130)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.refresh_button = QPushButton(self.tr("Refres&h"), self)
        self.export_button = QPushButton(self.tr("&Export to Excel…"), self)
        self.export_button.setEnabled(allowed(actor, Permission.DATA_EXPORT))
        self.status_label = QLabel(self, wordWrap=True)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(self.tr("Parts at or below their reorder point; the suggestion covers the reorder "
                                         "point plus a month's use, at least the safety stock."), self,
                                 wordWrap=True), 1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self.on_export_button_clicked)
        self.refresh()

    def refresh(self) -> None:
        try:
            lines = reorder_list(self._db, self._actor)
        except DomainError as exc:
            self.status_label.setText(exc.message)
            return
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            values = (line.code, line.name, line.unit, line.on_hand, line.reorder_point, line.safety_stock,
                      line.monthly_use, line.suggested)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value if isinstance(value, str) else quantity_text(value))
                if not isinstance(value, str):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.status_label.setText(self.tr("Parts to reorder: {count}").format(count=len(lines)))

    def start_export(self, target: Path) -> BackgroundTask:
        db, actor = self._db, self._actor
        self.export_button.setEnabled(False)
        self.task = run_in_background(self, self.tr("Exporting the reorder list"),
                                      lambda _progress: export_reorder_list(db, actor, target=target),
                                      self._on_exported, cancellable=False,
                                      on_failed=lambda: self.export_button.setEnabled(True))
        return self.task

    def on_export_button_clicked(self) -> None:
        suggested = documents_dir() / f"reorder-{date.today():%Y%m%d}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the reorder list"), str(suggested),
                                              self.tr("Excel workbooks (*.xlsx)"))
        if path:
            self.start_export(Path(path if path.lower().endswith(".xlsx") else path + ".xlsx"))

    def _on_exported(self, result) -> None:
        self.export_button.setEnabled(True)
        self.status_label.setText(self.tr("Exported {rows} rows to {path}.").format(rows=result.rows,
                                                                                   path=result.path))
