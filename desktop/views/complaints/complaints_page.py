"""The complaint register and tracking table (客户投诉登记追踪表): every complaint on one lazy list, overdue
ones in red, filtered and searched in SQL; F2 registers a new one, Enter opens one, and the table goes to
Excel with the filter on screen.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import QDate, QStandardPaths, Qt, QTimer, Signal
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
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desktop.config import Settings
from desktop.db.uow import Actor, Database
from desktop.domain.complaints import ComplaintClass, Status, class_label, status_label
from desktop.domain.errors import DomainError
from desktop.domain.roles import Permission
from desktop.models.lazy_table_model import LazyTableModel
from desktop.services import complaint_list, complaints
from desktop.services.access import allowed
from desktop.services.complaint_list import ComplaintFilter
from desktop.services.exports import ExportResult
from desktop.services.paging import Sort
from desktop.views.common import ERROR_STYLE, HINT_STYLE, show_error
from desktop.views.complaints.complaint_view import ComplaintDialog
from desktop.views.complaints.register_dialog import RegisterDialog
from desktop.views.complaints.register_model import OverdueProxy
from desktop.views.kpi.records_banner import RecordsBanner
from desktop.views.lazy_list_view import LazyListView
from desktop.views.tasks import BackgroundTask, show_progress

TYPING_DELAY_MS = 300  # the search applies after a pause, not on every key
COUNTS_EVERY_MS = 60_000  # deadlines pass while the page is open
DEFAULT_SORT = Sort("received_at", descending=True)  # the register's order: the newest first
OPEN = "open"
MINE = -1


class ComplaintsPage(QWidget):
    sig_counts_changed = Signal(str)  # counts_text(), for the navigation's badge

    def __init__(self, db: Database, actor: Actor, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._settings = settings
        self._counts_text = ""
        self._dialogs: dict[int, ComplaintDialog] = {}
        self.export_task: BackgroundTask | None = None
        self.last_export: ExportResult | None = None

        self.new_button = QPushButton(self.tr("&New complaint…"), self)
        self.new_button.setToolTip(self.tr("F2"))
        self.new_button.setVisible(allowed(actor, Permission.COMPLAINT_REGISTER))
        self.open_button = QPushButton(self.tr("&Open…"), self)
        self.open_button.setToolTip(self.tr("Enter or double-click"))
        self.export_button = QPushButton(self.tr("E&xport to Excel…"), self)
        self.export_button.setVisible(allowed(actor, Permission.DATA_EXPORT))
        self.refresh_button = QPushButton(self.tr("&Refresh"), self)
        self.refresh_button.setToolTip(self.tr("F5"))
        self.counts_label = QLabel(self)

        self.search_edit = QLineEdit(self, clearButtonEnabled=True)
        self.search_edit.setPlaceholderText(self.tr("Number, customer, phone or serial number"))
        self.status_combo = QComboBox(self)
        self.status_combo.addItem(self.tr("All states"), None)
        self.status_combo.addItem(self.tr("Open"), OPEN)
        for status in Status:
            self.status_combo.addItem(status_label(status), status)
        self.status_combo.setCurrentIndex(1)  # the desk works on what is open
        self.class_combo = QComboBox(self)
        self.class_combo.addItem(self.tr("All classes"), None)
        for value in ComplaintClass:
            self.class_combo.addItem(class_label(value), value)
        self.owner_combo = QComboBox(self)
        self.overdue_check = QCheckBox(self.tr("O&verdue only"), self)
        self.dates_check = QCheckBox(self.tr("Receive&d"), self)
        today = QDate.currentDate()
        self.from_edit = QDateEdit(today.addDays(-30), self, calendarPopup=True)
        self.to_edit = QDateEdit(today, self, calendarPopup=True)
        for edit in (self.from_edit, self.to_edit):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)

        self.lazy_model = LazyTableModel(None, sort=DEFAULT_SORT, parent=self)
        self.model = OverdueProxy(self.lazy_model, self)
        self.list_view = LazyListView(self.model, list_name="complaints", user=actor.username, parent=self)
        self.status_label = QLabel(self, wordWrap=True)
        # The records behind a KPI figure (show_records): (ids, caption) while the banner is up.
        self._records: tuple[tuple[int, ...], str] | None = None
        self.records_banner = RecordsBanner(self)
        self.records_banner.sig_closed.connect(self.clear_records)

        self._lay_out()
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence(Qt.Key.Key_F2), self, self.on_new_button_clicked, context=context)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh, context=context)
        self._search_timer = QTimer(self, singleShot=True, interval=TYPING_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self._counts_timer = QTimer(self, interval=COUNTS_EVERY_MS)
        self._counts_timer.timeout.connect(self.update_counts)
        self._counts_timer.start()

        self.new_button.clicked.connect(self.on_new_button_clicked)
        self.open_button.clicked.connect(self.on_open_button_clicked)
        self.export_button.clicked.connect(self.on_export_button_clicked)
        self.refresh_button.clicked.connect(self.refresh)
        self.search_edit.textChanged.connect(self._search_timer.start)
        for combo in (self.status_combo, self.class_combo, self.owner_combo):
            combo.currentIndexChanged.connect(self.apply_filter)
        for check in (self.overdue_check, self.dates_check):
            check.toggled.connect(self.apply_filter)
        self.dates_check.toggled.connect(self.from_edit.setEnabled)
        self.dates_check.toggled.connect(self.to_edit.setEnabled)
        self.from_edit.dateChanged.connect(self.apply_filter)
        self.to_edit.dateChanged.connect(self.apply_filter)
        self.list_view.sig_activated.connect(self.open_complaint)
        self.list_view.sig_current_changed.connect(self.on_list_view_current_changed)

        self._fill_owners()
        self.apply_filter()
        self.on_list_view_current_changed(self.list_view.current_id())

    # --- our API -------------------------------------------------------------------------------------------

    def counts_text(self) -> str:
        """Open and overdue complaints, e.g. "26 open, 9 overdue", for the navigation."""
        return self._counts_text

    def current_filter(self) -> ComplaintFilter:
        status = self.status_combo.currentData()  # None, OPEN or a Status value (Qt keeps enums as str)
        owner = self.owner_combo.currentData()
        dated = self.dates_check.isChecked()
        return ComplaintFilter(
            search=self.search_edit.text().strip(),
            statuses=(Status(status),) if status not in (None, OPEN) else (),
            open_only=status == OPEN,
            overdue_only=self.overdue_check.isChecked(),
            classification=ComplaintClass(self.class_combo.currentData()) if self.class_combo.currentData() else None,
            owner_id=self._actor.user_id if owner == MINE else owner,
            received_from=self._date(self.from_edit) if dated else None,
            received_to=self._date(self.to_edit) if dated else None,
            ids=self._records[0] if self._records else None,
            caption=self._records[1] if self._records else "",
        )

    def apply_filter(self, *_args) -> None:
        """Show the rows of the filter on screen (a new source: the list reads its first page again)."""
        self._search_timer.stop()
        where = self.current_filter()
        try:
            self.model.set_source(complaint_list.complaint_register(self._db, self._actor, where=where))
        except DomainError as exc:
            self._say(exc.message, error=True)
            return
        self.lazy_model.set_highlight(where.search)
        self.update_counts()

    def refresh(self) -> None:
        """Read the list and the counts again (F5), keeping the same complaint current."""
        self.apply_filter()

    def show_records(self, ids, caption: str) -> None:
        """List exactly these complaints (the records behind a KPI figure) under a banner naming them; the
        other filters are cleared so that none hides one of them, and may narrow the list again afterwards."""
        quiet = (self.search_edit, self.status_combo, self.class_combo, self.owner_combo, self.overdue_check,
                 self.dates_check)
        for widget in quiet:
            widget.blockSignals(True)
        self.search_edit.clear()
        self.status_combo.setCurrentIndex(0)  # all states
        self.class_combo.setCurrentIndex(0)
        self.owner_combo.setCurrentIndex(0)
        self.overdue_check.setChecked(False)
        self.dates_check.setChecked(False)
        self.from_edit.setEnabled(False)
        self.to_edit.setEnabled(False)
        for widget in quiet:
            widget.blockSignals(False)
        self._records = (tuple(ids), caption)
        self.records_banner.show_records(caption, len(self._records[0]))
        self.apply_filter()
        self.list_view.table.setFocus()

    def clear_records(self) -> None:
        """The banner's ✕: the whole register again, with the filters as they are."""
        self._records = None
        self.records_banner.hide()
        self.apply_filter()

    def update_counts(self) -> None:
        try:
            counts = complaint_list.complaint_counts(self._db, self._actor)
        except DomainError as exc:
            self._say(exc.message, error=True)
            return
        self._counts_text = self.tr("{open} open, {overdue} overdue").format(open=counts.open,
                                                                             overdue=counts.overdue)
        self.counts_label.setText(self._counts_text)
        self.counts_label.setStyleSheet(ERROR_STYLE if counts.overdue else "")
        self.sig_counts_changed.emit(self._counts_text)

    def open_complaint(self, complaint_id: int) -> ComplaintDialog:
        """The complaint's own window; one per complaint (opening it again brings it to the front)."""
        dialog = self._dialogs.get(complaint_id)
        if dialog is None or not isValid(dialog):
            dialog = ComplaintDialog(self._db, self._actor, self._settings, complaint_id, self)
            dialog.sig_changed.connect(self.on_complaint_changed)
            dialog.finished.connect(lambda _result, key=complaint_id: self._dialogs.pop(key, None))
            self._dialogs[complaint_id] = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def select_complaint(self, complaint_id: int) -> bool:
        row = self.model.row_of_id(complaint_id)
        if row >= 0:
            index = self.model.index(row, 0)
            self.list_view.table.setCurrentIndex(index)
            self.list_view.table.scrollTo(index)
        return row >= 0

    def export_to(self, target: Path) -> BackgroundTask:
        """Write the tracking table with the filter and order on screen, off the GUI thread."""
        where, sort = self.current_filter(), self.lazy_model.sort_key() or DEFAULT_SORT
        db, actor = self._db, self._actor
        task = BackgroundTask(
            lambda progress: complaint_list.export_tracking_table(db, actor, where=where, sort=sort, target=target,
                                                                  progress=progress),
            owner=self,
        )
        task.sig_finished.connect(self.on_export_task_finished)
        task.sig_failed.connect(self.on_export_task_failed)
        task.sig_cancelled.connect(lambda: self._say(self.tr("Export cancelled; nothing was written.")))
        show_progress(task, self, self.tr("Exporting the complaint register"))
        self.export_button.setEnabled(False)
        self.export_task = task
        task.start()
        return task

    # --- slots ---------------------------------------------------------------------------------------------

    def on_new_button_clicked(self) -> None:
        if not self.new_button.isVisible():
            return
        dialog = RegisterDialog(self._db, self._actor, self._settings, self)
        if dialog.exec() != RegisterDialog.DialogCode.Accepted or dialog.saved is None:
            return
        record = dialog.saved
        self.refresh()
        if not self.select_complaint(record.id):
            self._records = None  # filtered out: show it by its number, also when records of a KPI were shown
            self.records_banner.hide()
            self.search_edit.setText(record.number)
            self.apply_filter()
            self.select_complaint(record.id)
        self._say(self.tr("Complaint {number} registered; owner {owner}. Tell the customer the number.").format(
            number=record.number, owner=record.owner))

    def on_open_button_clicked(self) -> None:
        if self.list_view.current_id() != -1:
            self.open_complaint(self.list_view.current_id())

    def on_list_view_current_changed(self, complaint_id: int) -> None:
        self.open_button.setEnabled(complaint_id != -1)

    def on_complaint_changed(self, _complaint_id: int) -> None:
        self.refresh()

    def on_export_button_clicked(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        file_title = self.tr("Complaint register")
        suggested = Path(folder) / f"{file_title}-{date.today():%Y%m%d}.xlsx"
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export the complaint register"), str(suggested),
                                              self.tr("Excel workbook (*.xlsx)"))
        if name:
            self.export_to(Path(name) if name.lower().endswith(".xlsx") else Path(name + ".xlsx"))

    def on_export_task_finished(self, result: ExportResult) -> None:
        self.export_button.setEnabled(True)
        self.last_export = result
        if result.path is None:
            self._say(self.tr("Export cancelled; nothing was written."))
        else:
            self._say(self.tr("Exported %n complaint(s) to {path}.", "", result.rows).format(path=result.path))

    def on_export_task_failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        show_error(self, exc, title=self.tr("Export"))

    # --- helpers -------------------------------------------------------------------------------------------

    def _fill_owners(self) -> None:
        self.owner_combo.blockSignals(True)
        self.owner_combo.addItem(self.tr("Any owner"), None)
        self.owner_combo.addItem(self.tr("Mine"), MINE)
        try:
            handlers = complaints.list_handlers(self._db, self._actor)
        except DomainError:
            handlers = []
        for user_id, name in handlers:
            if user_id != self._actor.user_id:
                self.owner_combo.addItem(name, user_id)
        self.owner_combo.blockSignals(False)

    @staticmethod
    def _date(edit: QDateEdit) -> date:
        return edit.date().toPython()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(ERROR_STYLE if error else HINT_STYLE)

    def _lay_out(self) -> None:
        actions = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.export_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.counts_label)
        actions.addWidget(self.refresh_button)

        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 2)
        for label, widget in ((self.tr("&Status:"), self.status_combo), (self.tr("C&lass:"), self.class_combo),
                              (self.tr("O&wner:"), self.owner_combo)):
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget)
        filters.addWidget(self.overdue_check)
        filters.addWidget(self.dates_check)
        filters.addWidget(self.from_edit)
        filters.addWidget(QLabel("–", self))
        filters.addWidget(self.to_edit)

        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addLayout(filters)
        layout.addWidget(self.records_banner)
        layout.addWidget(self.list_view, 1)
        layout.addWidget(self.status_label)
        chain = [self.search_edit, self.status_combo, self.class_combo, self.owner_combo, self.overdue_check,
                 self.dates_check, self.from_edit, self.to_edit, self.list_view.table, self.new_button,
                 self.open_button, self.export_button, self.refresh_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
