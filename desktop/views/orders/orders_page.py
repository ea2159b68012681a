"""The service order register (售后服务单): every order on one lazy list, overdue ones in red, filtered and
searched in SQL, with the chosen order in full in the pane on the right (desktop/views/orders/order_view.py,
where every step after intake is taken). F2 takes a new request (intake with the read-back), F5 reads the
list again, Enter moves to the order's pane; the list goes to Excel with the filter on screen.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.config import Settings
from desktop.db.uow import Actor, Database
from desktop.domain.errors import DomainError
from desktop.domain.roles import Permission
from desktop.domain.service_orders import OrderCategory, OrderStatus, category_label, order_status_label
from desktop.models.lazy_table_model import LazyTableModel
from desktop.services import order_list, service_orders
from desktop.services.access import allowed
from desktop.services.exports import ExportResult
from desktop.services.order_list import OrderFilter
from desktop.services.paging import Sort
from desktop.views.common import ERROR_STYLE, HINT_STYLE, show_error
from desktop.views.complaints.register_model import OverdueProxy
from desktop.views.kpi.records_banner import RecordsBanner
from desktop.views.lazy_list_view import LazyListView
from desktop.views.orders.intake_dialog import IntakeDialog
from desktop.views.orders.order_view import OrderView
from desktop.views.tasks import BackgroundTask, show_progress

TYPING_DELAY_MS = 300  # the search applies after a pause, not on every key
SHOW_DELAY_MS = 120  # arrowing through the list does not read every order it passes in full
COUNTS_EVERY_MS = 60_000  # appointments and finish times pass while the page is open
DEFAULT_SORT = Sort("created_at", descending=True)  # the newest first
OPEN = "open"

# lupdate extracts only what is marked: the column titles of services/order_list.py, which the list model
# and the Excel export translate in the context "Columns". tests/views/orders/test_orders_page.py checks
# none is missing.
COLUMN_TITLES = (
    QT_TRANSLATE_NOOP("Columns", "Order No."),
    QT_TRANSLATE_NOOP("Columns", "Status"),
    QT_TRANSLATE_NOOP("Columns", "Category"),
    QT_TRANSLATE_NOOP("Columns", "Urgency"),
    QT_TRANSLATE_NOOP("Columns", "Customer"),
    QT_TRANSLATE_NOOP("Columns", "Product"),
    QT_TRANSLATE_NOOP("Columns", "Engineer"),
    QT_TRANSLATE_NOOP("Columns", "Appointment"),
    QT_TRANSLATE_NOOP("Columns", "Finish by"),
    QT_TRANSLATE_NOOP("Columns", "Time left"),
    QT_TRANSLATE_NOOP("Columns", "Created"),
    QT_TRANSLATE_NOOP("Columns", "Contact"),
    QT_TRANSLATE_NOOP("Columns", "Phone"),
    QT_TRANSLATE_NOOP("Columns", "Project / contract"),
    QT_TRANSLATE_NOOP("Columns", "Request"),
    QT_TRANSLATE_NOOP("Columns", "Coverage"),
    QT_TRANSLATE_NOOP("Columns", "Arrived"),
    QT_TRANSLATE_NOOP("Columns", "Finished"),
)


class OrdersPage(QWidget):
    sig_counts_changed = Signal(str)  # counts_text(), for the navigation's badge

    def __init__(self, db: Database, actor: Actor, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._settings = settings
        self._counts_text = ""
        self._shown_id = -1
        self.export_task: BackgroundTask | None = None
        self.last_export: ExportResult | None = None
        dispatcher = allowed(actor, Permission.ORDER_DISPATCH)  # who does not dispatch sees only own orders

        self.new_button = QPushButton(self.tr("&New request…"), self)
        self.new_button.setToolTip(self.tr("F2"))
        self.new_button.setVisible(allowed(actor, Permission.ORDER_REGISTER))
        self.open_button = QPushButton(self.tr("&Open"), self)
        self.open_button.setToolTip(self.tr("Enter or double-click: the order's pane, where its steps are"))
        self.export_button = QPushButton(self.tr("E&xport to Excel…"), self)
        self.export_button.setVisible(allowed(actor, Permission.DATA_EXPORT))
        self.refresh_button = QPushButton(self.tr("&Refresh"), self)
        self.refresh_button.setToolTip(self.tr("F5"))
        self.counts_label = QLabel(self)

        self.search_edit = QLineEdit(self, clearButtonEnabled=True)
        self.search_edit.setPlaceholderText(self.tr("Order number, customer, phone or serial number"))
        self.status_combo = QComboBox(self)
        self.status_combo.addItem(self.tr("All states"), None)
        self.status_combo.addItem(self.tr("Open"), OPEN)
        for status in OrderStatus:
            self.status_combo.addItem(order_status_label(status), status)
        self.status_combo.setCurrentIndex(1)  # the desk works on what is open
        self.category_combo = QComboBox(self)
        self.category_combo.addItem(self.tr("All categories"), None)
        for category in OrderCategory:
            self.category_combo.addItem(category_label(category), category)
        self.engineer_combo = QComboBox(self)
        self.engineer_combo.setVisible(dispatcher)
        self.overdue_check = QCheckBox(self.tr("O&verdue only"), self)
        self.dates_check = QCheckBox(self.tr("Create&d"), self)
        today = QDate.currentDate()
        self.from_edit = QDateEdit(today.addDays(-30), self, calendarPopup=True)
        self.to_edit = QDateEdit(today, self, calendarPopup=True)
        for edit in (self.from_edit, self.to_edit):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.revisions_check = QCheckBox(self.tr("Earlier re&visions"), self)
        self.revisions_check.setToolTip(self.tr("Also the signed orders a correction replaced"))

        self.lazy_model = LazyTableModel(None, sort=DEFAULT_SORT, parent=self)
        self.model = OverdueProxy(self.lazy_model, self)
        self.list_view = LazyListView(self.model, list_name="service_orders", user=actor.username, parent=self)
        self.order_view = OrderView(db, actor, settings, self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.status_label = QLabel(self, wordWrap=True)
        # The records behind a KPI figure (show_records): (ids, caption) while the banner is up.
        self._records: tuple[tuple[int, ...], str] | None = None
        self.records_banner = RecordsBanner(self)
        self.records_banner.sig_closed.connect(self.clear_records)

        self._lay_out()
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence(Qt.Key.Key_F2), self, self.on_new_button_clicked, context=context)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh, context=context)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.search_edit.setFocus, context=context)
        self._search_timer = QTimer(self, singleShot=True, interval=TYPING_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self._show_timer = QTimer(self, singleShot=True, interval=SHOW_DELAY_MS)
        self._show_timer.timeout.connect(self.show_current)
        self._counts_timer = QTimer(self, interval=COUNTS_EVERY_MS)
        self._counts_timer.timeout.connect(self.update_counts)
        self._counts_timer.start()

        self.new_button.clicked.connect(self.on_new_button_clicked)
        self.open_button.clicked.connect(self.on_open_button_clicked)
        self.export_button.clicked.connect(self.on_export_button_clicked)
        self.refresh_button.clicked.connect(self.refresh)
        self.search_edit.textChanged.connect(self._search_timer.start)
        for combo in (self.status_combo, self.category_combo, self.engineer_combo):
            combo.currentIndexChanged.connect(self.apply_filter)
        for check in (self.overdue_check, self.dates_check, self.revisions_check):
            check.toggled.connect(self.apply_filter)
        self.dates_check.toggled.connect(self.from_edit.setEnabled)
        self.dates_check.toggled.connect(self.to_edit.setEnabled)
        self.from_edit.dateChanged.connect(self.apply_filter)
        self.to_edit.dateChanged.connect(self.apply_filter)
        self.list_view.sig_activated.connect(self.open_order)
        self.list_view.sig_current_changed.connect(self.on_list_view_current_changed)
        self.order_view.sig_changed.connect(self.on_order_view_changed)

        self._fill_engineers(dispatcher)
        self.apply_filter()
        self.on_list_view_current_changed(self.list_view.current_id())

    # --- our API -------------------------------------------------------------------------------------------

    def counts_text(self) -> str:
        """Open and overdue orders, e.g. "12 open, 3 overdue", for the navigation."""
        return self._counts_text

    def current_filter(self) -> OrderFilter:
        status = self.status_combo.currentData()  # None, OPEN or an OrderStatus value (Qt keeps enums as str)
        engineer = self.engineer_combo.currentData() if self.engineer_combo.isVisibleTo(self) else None
        dated = self.dates_check.isChecked()
        return OrderFilter(
            search=self.search_edit.text().strip(),
            statuses=(OrderStatus(status),) if status not in (None, OPEN) else (),
            open_only=status == OPEN,
            overdue_only=self.overdue_check.isChecked(),
            category=OrderCategory(self.category_combo.currentData()) if self.category_combo.currentData() else None,
            engineer_id=engineer,
            created_from=self.from_edit.date().toPython() if dated else None,
            created_to=self.to_edit.date().toPython() if dated else None,
            all_revisions=self.revisions_check.isChecked(),
            ids=self._records[0] if self._records else None,
            caption=self._records[1] if self._records else "",
        )

    def apply_filter(self, *_args) -> None:
        """Show the rows of the filter on screen (a new source: the list reads its first page again)."""
        self._search_timer.stop()
        where = self.current_filter()
        try:
            self.model.set_source(order_list.order_register(self._db, self._actor, where=where))
        except DomainError as exc:
            self._say(exc.message, error=True)
            return
        self.lazy_model.set_highlight(where.search)
        self.update_counts()

    def refresh(self) -> None:
        """Read the list, the counts and the order shown again (F5), keeping the same order current."""
        self.apply_filter()
        if self._shown_id != -1:
            self.order_view.show_order(self._shown_id)

    def show_records(self, ids, caption: str) -> None:
        """List exactly these orders (the records behind a KPI figure, each as its newest revision) under a
        banner naming them; the other filters are cleared so that none hides one of them."""
        quiet = (self.search_edit, self.status_combo, self.category_combo, self.engineer_combo,
                 self.overdue_check, self.dates_check, self.revisions_check)
        for widget in quiet:
            widget.blockSignals(True)
        self.search_edit.clear()
        self.status_combo.setCurrentIndex(0)  # all states
        self.category_combo.setCurrentIndex(0)
        self.engineer_combo.setCurrentIndex(0)
        self.overdue_check.setChecked(False)
        self.dates_check.setChecked(False)
        self.from_edit.setEnabled(False)
        self.to_edit.setEnabled(False)
        self.revisions_check.setChecked(False)
        for widget in quiet:
            widget.blockSignals(False)
        self._records = (tuple(ids), caption)
        self.records_banner.show_records(caption, len(self._records[0]))
        self.apply_filter()
        self.list_view.table.setFocus()

    def clear_records(self) -> None:
        """The banner's ✕: every order again, with the filters as they are."""
        self._records = None
        self.records_banner.hide()
        self.apply_filter()

    def update_counts(self) -> None:
        try:
            counts = order_list.order_counts(self._db, self._actor)
        except DomainError as exc:
            self._say(exc.message, error=True)
            return
        text = self.tr("{open} open, {overdue} overdue").format(open=counts.open, overdue=counts.overdue)
        self.counts_label.setText(text)
        self.counts_label.setStyleSheet(ERROR_STYLE if counts.overdue else "")
        if text != self._counts_text:  # the navigation's badge follows; a search does not change the counts
            self._counts_text = text
            self.sig_counts_changed.emit(text)

    def open_order(self, order_id: int) -> None:
        """Show the order in the pane and make it current in the list; an order the filter hides is looked
        up by its number (every state, every date) so that it is on the list too. Other pages call this."""
        self._show(order_id)
        if not self.select_order(order_id):
            try:
                number = service_orders.get_order(self._db, self._actor, order_id).number
            except DomainError as exc:
                self._say(exc.message, error=True)
                return
            self._show_everything(number)
            self.select_order(order_id)
        # The pane's scrolling part takes the keys (the steps' F-keys work from the list as well).
        getattr(self.order_view, "scroll_area", self.order_view).setFocus()

    def select_order(self, order_id: int) -> bool:
        row = self.model.row_of_id(order_id)
        if row >= 0:
            index = self.model.index(row, 0)
            self.list_view.table.setCurrentIndex(index)
            self.list_view.table.scrollTo(index)
        return row >= 0

    def show_current(self) -> None:
        self._show_timer.stop()
        current = self.list_view.current_id()
        if current != -1 and current != self._shown_id:
            self._show(current)

    def export_to(self, target: Path) -> BackgroundTask:
        """Write the list with the filter and order on screen, off the GUI thread."""
        where, sort = self.current_filter(), self.lazy_model.sort_key() or DEFAULT_SORT
        db, actor = self._db, self._actor
        task = BackgroundTask(
            lambda progress: order_list.export_orders(db, actor, where=where, sort=sort, target=target,
                                                      progress=progress),
            owner=self,
        )
        task.sig_finished.connect(self.on_export_task_finished)
        task.sig_failed.connect(self.on_export_task_failed)
        task.sig_cancelled.connect(lambda: self._say(self.tr("Export cancelled; nothing was written.")))
        show_progress(task, self, self.tr("Exporting the service orders"))
        self.export_button.setEnabled(False)
        self.export_task = task
        task.start()
        return task

    # --- slots ---------------------------------------------------------------------------------------------

    def on_new_button_clicked(self) -> None:
        if not self.new_button.isVisible():
            return
        dialog = IntakeDialog(self._db, self._actor, self._settings, self)
        if dialog.exec() != IntakeDialog.DialogCode.Accepted or dialog.saved is None:
            return
        record = dialog.saved
        self.apply_filter()
        self.open_order(record.id)
        self._say(self.tr("Order {number} registered. Tell the customer the number.").format(number=record.number))

    def on_open_button_clicked(self) -> None:
        if self.list_view.current_id() != -1:
            self.open_order(self.list_view.current_id())

    def on_list_view_current_changed(self, order_id: int) -> None:
        self.open_button.setEnabled(order_id != -1)
        if order_id != -1:
            self._show_timer.start()

    def on_order_view_changed(self, order_id: int) -> None:
        # After a step: the list shows the new state; after a revision, the new revision is the current row.
        self._shown_id = order_id
        self.apply_filter()
        if not self.select_order(order_id):
            self.open_order(order_id)

    def on_export_button_clicked(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        file_title = self.tr("Service orders")
        suggested = Path(folder) / f"{file_title}-{date.today():%Y%m%d}.xlsx"
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export the service orders"), str(suggested),
                                              self.tr("Excel workbook (*.xlsx)"))
        if name:
            self.export_to(Path(name) if name.lower().endswith(".xlsx") else Path(name + ".xlsx"))

    def on_export_task_finished(self, result: ExportResult) -> None:
        self.export_button.setEnabled(True)
        self.last_export = result
        if result.path is None:
            self._say(self.tr("Export cancelled; nothing was written."))
        else:
            self._say(self.tr("Exported %n order(s) to {path}.", "", result.rows).format(path=result.path))

    def on_export_task_failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        show_error(self, exc, title=self.tr("Export"))

    # --- helpers -------------------------------------------------------------------------------------------

    def _show(self, order_id: int) -> None:
        self._show_timer.stop()
        self._shown_id = order_id
        self.order_view.show_order(order_id)

    def _show_everything(self, number: str) -> None:
        """Clear the filters that could hide an order and search for its number."""
        for widget in (self.status_combo, self.category_combo, self.engineer_combo, self.overdue_check,
                       self.dates_check, self.search_edit):
            widget.blockSignals(True)
        self.status_combo.setCurrentIndex(0)
        self.category_combo.setCurrentIndex(0)
        self.engineer_combo.setCurrentIndex(0)
        self.overdue_check.setChecked(False)
        self.dates_check.setChecked(False)
        self.from_edit.setEnabled(False)
        self.to_edit.setEnabled(False)
        self.search_edit.setText(number)
        for widget in (self.status_combo, self.category_combo, self.engineer_combo, self.overdue_check,
                       self.dates_check, self.search_edit):
            widget.blockSignals(False)
        self._records = None  # the records of a KPI figure may not hold it either
        self.records_banner.hide()
        self.apply_filter()

    def _fill_engineers(self, dispatcher: bool) -> None:
        self.engineer_combo.blockSignals(True)
        self.engineer_combo.addItem(self.tr("Any engineer"), None)
        if dispatcher:
            try:
                engineers = order_list.list_engineers(self._db, self._actor)
            except DomainError:
                engineers = []
            for user_id, name in engineers:
                self.engineer_combo.addItem(name, user_id)
        self.engineer_combo.blockSignals(False)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(ERROR_STYLE if error else HINT_STYLE)

    def _lay_out(self) -> None:
        actions = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.export_button):
            actions.addWidget(button)
        actions.addWidget(self.search_edit, 1)
        actions.addWidget(self.counts_label)
        actions.addWidget(self.refresh_button)

        filters = QHBoxLayout()
        for label, widget in ((self.tr("&Status:"), self.status_combo), (self.tr("C&ategory:"), self.category_combo)):
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget)
        filters.addWidget(self.engineer_combo)
        filters.addWidget(self.overdue_check)
        filters.addWidget(self.dates_check)
        filters.addWidget(self.from_edit)
        filters.addWidget(QLabel("–", self))
        filters.addWidget(self.to_edit)
        filters.addWidget(self.revisions_check)
        filters.addStretch(1)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list_view, 1)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.order_view)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([560, 600])  # the pane reads well from about 600 pixels

        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addLayout(filters)
        layout.addWidget(self.records_banner)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status_label)
        chain = [self.search_edit, self.status_combo, self.category_combo, self.engineer_combo, self.overdue_check,
                 self.dates_check, self.from_edit, self.to_edit, self.revisions_check, self.list_view.table,
                 self.order_view, self.new_button, self.open_button, self.export_button, self.refresh_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
