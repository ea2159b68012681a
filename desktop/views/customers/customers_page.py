"""The customer list: one search box for name, phone, unit name, serial or contract number, and from any
customer one click to their whole file (customer_view.py).

The list is lazy (LazyTableModel over the service's keyset source): searching and sorting happen in SQL, so
the page stays as quick with 300,000 customers as with 300. Lists show personal data masked; the open
record shows it to roles that may see it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.config import Settings
from desktop.db.uow import Actor, Database
from desktop.domain.errors import ConcurrentEdit, DomainError, NotFound
from desktop.domain.roles import Permission
from desktop.models.lazy_table_model import LazyTableModel
from desktop.services import customers
from desktop.services.access import allowed
from desktop.services.customers import CustomerRecord, ProductRecord
from desktop.services.paging import Sort
from desktop.views.common import HINT_STYLE, show_error
from desktop.views.customers.customer_dialog import CustomerDialog
from desktop.views.customers.customer_view import CustomerView
from desktop.views.customers.merge_dialog import MergeDialog
from desktop.views.lazy_list_view import LazyListView
from desktop.views.tasks import BackgroundTask, show_progress

# The list's column titles (services/customers.py), marked so lupdate extracts them into the context
# "Columns" that the model translates them in; a test checks that none is missing.
COLUMN_TITLES = (
    QT_TRANSLATE_NOOP("Columns", "No."), QT_TRANSLATE_NOOP("Columns", "Customer"),
    QT_TRANSLATE_NOOP("Columns", "Type"), QT_TRANSLATE_NOOP("Columns", "Contact"),
    QT_TRANSLATE_NOOP("Columns", "Phone"), QT_TRANSLATE_NOOP("Columns", "Region"),
    QT_TRANSLATE_NOOP("Columns", "Importance"), QT_TRANSLATE_NOOP("Columns", "Registered"),
)
SEARCH_DELAY_MS = 250  # the list follows the typing after a short pause, not on every key
DEFAULT_SORT = Sort("created_at", descending=True)  # the newest customers first: the ones a desk works on


class CustomersPage(QWidget):
    sig_complaint_activated = Signal(int)  # a complaint's id, chosen in a customer's file

    def __init__(self, db: Database, actor: Actor, settings: Settings, parent: QWidget | None = None, *,
                 search_count_cap: int = customers.SEARCH_COUNT_CAP):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._settings = settings
        self._search_count_cap = search_count_cap  # a search's row count stops at "N+" (services/customers.py)
        self._views: dict[int, CustomerView] = {}  # open files by customer id: opening one again raises it
        self._unit: ProductRecord | None = None  # the unit whose serial number is in the search box
        self._export_task: BackgroundTask | None = None
        self._hint_shown = False  # the status line says how short searches work
        may_edit = allowed(actor, Permission.CUSTOMER_EDIT)

        self.search_edit = QLineEdit(self, clearButtonEnabled=True)
        self.search_edit.setPlaceholderText(self.tr("Name, phone, unit name, serial or contract number"))
        self.search_edit.setToolTip(self.tr("Ctrl+F; Esc clears. One or two characters find names that begin "
                                            "with them, three or more any part."))
        self.archived_check = QCheckBox(self.tr("Show arc&hived"), self)
        self.unit_button = QPushButton(self, visible=False)
        self.unit_button.setStyleSheet("text-align: left; padding: 3px 8px;")

        self.new_button = QPushButton(self.tr("&New customer…"), self, visible=may_edit)
        self.new_button.setToolTip(self.tr("Ctrl+N"))
        self.open_button = QPushButton(self.tr("&Open"), self)
        self.open_button.setToolTip(self.tr("Enter or double-click"))
        self.merge_button = QPushButton(self.tr("&Merge duplicate…"), self, visible=may_edit)
        self.archive_button = QPushButton(self.tr("&Archive…"), self, visible=may_edit)
        self.export_button = QPushButton(self.tr("E&xport…"), self,
                                         visible=allowed(actor, Permission.DATA_EXPORT))
        self.export_button.setToolTip(self.tr("Ctrl+E: the list as filtered, to Excel"))

        self.model = LazyTableModel(sort=DEFAULT_SORT, parent=self)
        self.list_view = LazyListView(self.model, list_name="customers", user=actor.username, parent=self)
        self.list_view.table.setTabKeyNavigation(False)  # Tab leaves the list for the buttons
        self.status_label = QLabel(self, wordWrap=True)
        self.status_label.setStyleSheet(HINT_STYLE)

        search_row = QHBoxLayout()
        search_label = QLabel(self.tr("&Find:"), self)
        search_label.setBuddy(self.search_edit)
        search_row.addWidget(search_label)
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.archived_check)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.merge_button, self.archive_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(search_row)
        layout.addWidget(self.unit_button)
        layout.addLayout(buttons)
        layout.addWidget(self.list_view, 1)
        layout.addWidget(self.status_label)
        order = (self.search_edit, self.archived_check, self.list_view.table, self.new_button)
        for first, second in zip(order, order[1:]):
            QWidget.setTabOrder(first, second)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.focus_search, context=context)
        if may_edit:
            QShortcut(QKeySequence(QKeySequence.StandardKey.New), self, self.on_new_button_clicked,
                      context=context)
        if self.export_button.isVisibleTo(self):
            QShortcut(QKeySequence("Ctrl+E"), self, self.on_export_button_clicked, context=context)

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.search_edit.returnPressed.connect(self.on_search_edit_return_pressed)
        self.search_edit.installEventFilter(self)
        self.archived_check.toggled.connect(self.apply_search)
        self.unit_button.clicked.connect(self.on_unit_button_clicked)
        self.new_button.clicked.connect(self.on_new_button_clicked)
        self.open_button.clicked.connect(self.on_open_button_clicked)
        self.merge_button.clicked.connect(self.on_merge_button_clicked)
        self.archive_button.clicked.connect(self.on_archive_button_clicked)
        self.export_button.clicked.connect(self.on_export_button_clicked)
        self.list_view.sig_activated.connect(self.open_customer)
        self.list_view.sig_current_changed.connect(self.on_list_view_current_changed)
        self.apply_search()
        self.on_list_view_current_changed(-1)

    # --- our API -------------------------------------------------------------------------------------------

    def search_text(self) -> str:
        return self.search_edit.text().strip()

    def apply_search(self) -> None:
        """Show the customers the search box and the archive box ask for, with the match marked."""
        self._search_timer.stop()
        text = self.search_text()
        try:
            self.model.set_source(customers.customer_list(
                self._db, self._actor, search=text, include_archived=self.archived_check.isChecked(),
                count_cap=self._search_count_cap))
        except DomainError as exc:
            self.status_label.setText(exc.message)
            return
        self.model.set_highlight(text)
        self._show_unit(self._find_unit(text))
        # The service matches one or two characters only at the start of a name: say so rather than "none".
        short_miss = 0 < len(text) < 3 and not self.model.rowCount()
        if short_miss:
            hint = self.tr("No name begins with {text}. Type a third character to search any part of names, "
                           "phones and numbers.")
            self.status_label.setText(hint.format(text=text))
        elif self._hint_shown:
            self.status_label.setText("")
        self._hint_shown = short_miss

    def refresh(self) -> None:
        """Read the list again (F5), keeping the same customer current."""
        self.apply_search()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def open_customer(self, customer_id: int, product_id: int | None = None) -> CustomerView | None:
        """The customer's file in its own window (the one already open, if it is)."""
        view = self._views.get(customer_id)
        if view is None:
            try:
                record = customers.get_customer(self._db, self._actor, customer_id)
            except DomainError as exc:
                show_error(self, exc)
                return None
            view = CustomerView(self._db, self._actor, record, product_id=product_id, parent=self)
            view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self._views[customer_id] = view
            view.finished.connect(self.on_view_finished)
            view.sig_changed.connect(self.on_view_changed)
            view.sig_complaint_activated.connect(self.sig_complaint_activated)
        elif product_id is not None:
            view.show_product(product_id)
        view.show()
        view.raise_()
        view.activateWindow()
        return view

    def open_serial(self, serial_number: str) -> CustomerView | None:
        """Everything about one unit: its customer's file, opened at the unit."""
        try:
            unit = customers.find_by_serial(self._db, self._actor, serial_number)
        except DomainError as exc:
            show_error(self, exc)
            return None
        return self.open_customer(unit.customer_id, unit.id)

    def select_customer(self, customer_id: int) -> bool:
        row = self.model.row_of_id(customer_id)
        if row >= 0:
            index = self.model.index(row, 0)
            self.list_view.table.setCurrentIndex(index)
            self.list_view.table.scrollTo(index)
        return row >= 0

    # --- Qt overrides --------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.search_edit and event.type() == QEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_Escape and self.search_edit.text()):
            self.search_edit.clear()
            self.apply_search()
            return True
        if (watched is self.search_edit and event.type() == QEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_Down and self.model.rowCount()):
            self._go_to_list()  # from the search box straight down into the results
            return True
        return super().eventFilter(watched, event)

    # --- slots ---------------------------------------------------------------------------------------------

    def on_search_edit_return_pressed(self) -> None:
        self.apply_search()
        if self._unit is not None:
            self.open_customer(self._unit.customer_id, self._unit.id)
        elif self.model.rowCount() == 1 and not self.model.canFetchMore():
            self.open_customer(self.model.row_id(0))
        elif self.model.rowCount():
            self._go_to_list()

    def on_unit_button_clicked(self) -> None:
        if self._unit is not None:
            self.open_customer(self._unit.customer_id, self._unit.id)

    def on_list_view_current_changed(self, row_id: int) -> None:
        for button in (self.open_button, self.merge_button, self.archive_button):
            button.setEnabled(row_id != -1)

    def on_open_button_clicked(self) -> None:
        if self.list_view.current_id() != -1:
            self.open_customer(self.list_view.current_id())

    def on_new_button_clicked(self) -> None:
        dialog = CustomerDialog(self._db, self._actor, None, self)
        text = self.search_text()
        # What the user searched for and did not find is usually what they are about to type again.
        if text and not self.model.rowCount():
            phone_like = text.replace(" ", "").replace("-", "").isdigit()
            target = dialog.phone_edit if phone_like else dialog.name_edit
            target.setText(text)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self.on_customer_dialog_accepted)
        dialog.open()

    def on_merge_button_clicked(self) -> None:
        keep = self._current_record()
        if keep is None:
            return
        dialog = MergeDialog(self._db, self._actor, keep, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self.on_merge_dialog_accepted)
        dialog.open()

    def on_merge_dialog_accepted(self) -> None:
        kept, duplicate = self.sender().saved, self.sender().duplicate
        if kept is None or duplicate is None:
            return
        self.status_label.setText(self.tr("No. {old} merged into {name} (No. {id}).").format(
            old=duplicate.id, name=kept.name, id=kept.id))
        self._close_view(duplicate.id)
        self.refresh()
        self.select_customer(kept.id)
        if kept.id in self._views:
            self._views[kept.id].reload()

    def on_archive_button_clicked(self) -> None:
        record = self._current_record()
        if record is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Archive customer"),
            self.tr("Archive {name} (No. {id})? The customer leaves the list but stays on file with their "
                    "units and complaints; tick Show archived to find them.").format(name=record.name,
                                                                                     id=record.id),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            customers.archive_customer(self._db, self._actor, customer_id=record.id, version=record.version)
        except ConcurrentEdit as exc:
            QMessageBox.warning(self, self.tr("Changed meanwhile"), exc.message)
            self.refresh()
            return
        except DomainError as exc:
            show_error(self, exc)
            return
        done = self.tr("{name} (No. {id}) archived.")
        self.status_label.setText(done.format(name=record.name, id=record.id))
        self._close_view(record.id)
        self.refresh()

    def on_export_button_clicked(self) -> None:
        if not self.export_button.isVisibleTo(self) or (self._export_task and self._export_task.is_running()):
            return
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        folder = Path(documents) if documents else Path.home()
        name = self.tr("Customer list")  # 客户清单 in Chinese
        default = folder / f"{name}-{date.today():%Y%m%d}.xlsx"
        chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Export customers"), str(default),
                                                self.tr("Excel workbook (*.xlsx)"))
        if not chosen:
            return
        target = Path(chosen) if chosen.lower().endswith(".xlsx") else Path(chosen + ".xlsx")
        search, archived, sort = self.search_text(), self.archived_check.isChecked(), self.model.sort_key()
        db, actor = self._db, self._actor
        task = BackgroundTask(lambda progress: customers.export_customers(
            db, actor, search=search, include_archived=archived, sort=sort or DEFAULT_SORT, target=target,
            progress=progress), owner=self)
        task.sig_finished.connect(self.on_export_task_finished)
        task.sig_failed.connect(self.on_export_task_failed)
        task.sig_cancelled.connect(self.on_export_task_cancelled)
        show_progress(task, self, self.tr("Exporting customers"))
        self._export_task = task
        self.status_label.setText(self.tr("Exporting…"))
        task.start()

    def on_export_task_finished(self, result) -> None:
        if result.path is None:
            self.on_export_task_cancelled()
            return
        done = self.tr("{n} customers exported to {path}.")
        self.status_label.setText(done.format(n=result.rows, path=result.path))

    def on_export_task_failed(self, exc: BaseException) -> None:
        self.status_label.setText("")
        show_error(self, exc)

    def on_export_task_cancelled(self) -> None:
        self.status_label.setText(self.tr("Export cancelled."))

    def on_view_finished(self, _result: int) -> None:
        view = self.sender()
        self._views = {key: open_view for key, open_view in self._views.items() if open_view is not view}

    def on_view_changed(self, customer_id: int) -> None:
        self.model.reload()  # keeps the same row current
        self.select_customer(customer_id)

    def on_customer_dialog_accepted(self) -> None:
        record = self.sender().saved
        if record is None:
            return
        done = self.tr("Customer {name} created (No. {id}).")
        self.status_label.setText(done.format(name=record.name, id=record.id))
        # Show the new customer whatever the search said before: searched by name, it is near the top.
        self.search_edit.blockSignals(True)
        self.search_edit.setText(record.name)
        self.search_edit.blockSignals(False)
        self.apply_search()
        self.select_customer(record.id)

    # --- helpers -------------------------------------------------------------------------------------------

    def _current_record(self) -> CustomerRecord | None:
        customer_id = self.list_view.current_id()
        if customer_id == -1:
            return None
        try:
            return customers.get_customer(self._db, self._actor, customer_id)
        except DomainError as exc:
            show_error(self, exc)
            return None

    def _find_unit(self, text: str) -> ProductRecord | None:
        if len(text) < 3:
            return None
        try:
            return customers.find_by_serial(self._db, self._actor, text)
        except NotFound:
            return None

    def _show_unit(self, unit: ProductRecord | None) -> None:
        self._unit = unit
        if unit is not None:
            self.unit_button.setText(self.tr("Unit {serial} · {model}: open its file (Enter)").format(
                serial=unit.serial_number, model=unit.model))
        self.unit_button.setVisible(unit is not None)

    def _go_to_list(self) -> None:
        table = self.list_view.table
        table.setFocus()
        if not table.currentIndex().isValid():
            table.setCurrentIndex(self.model.index(0, 0))

    def _close_view(self, customer_id: int) -> None:
        view = self._views.pop(customer_id, None)
        if view is not None:
            view.close()
