"""The return visits due (回访, domain.md §5): the front desk's list of customers to call, overdue first (in
red), then today's, then the coming days' as far as the "Show" selector says.

Enter, F2 or a double-click records the visit of the current row (visit_dialog.py); the row then leaves
the list and the next one is current, so the desk can work down the list from the keyboard. F9 plans the
periodic visits (important customers every 6 months, long-term ones yearly) now, in the background, and
says how many it added. Ctrl+O opens the customer's file on the customers page.

The list is lazy (keyset pages, services/visit_list.py): planning for a large customer base adds hundreds
of thousands of visits due the same day, and the page must not read them all.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.config import Settings
from desktop.db.uow import Actor, Database
from desktop.domain.errors import DomainError
from desktop.domain.roles import Permission
from desktop.models.lazy_table_model import LazyTableModel
from desktop.services import complaints, return_visits, visit_list
from desktop.services.access import allowed
from desktop.services.paging import Sort
from desktop.services.visit_list import OVERDUE_ONLY
from desktop.views.common import ERROR_STYLE, HINT_STYLE, show_error
from desktop.views.complaints.register_model import OverdueProxy
from desktop.views.lazy_list_view import LazyListView
from desktop.views.tasks import BackgroundTask, show_progress
from desktop.views.visits.visit_dialog import WARNING_STYLE, VisitDialog

# The list's column titles (services/visit_list.py), marked for lupdate in the context the model uses.
COLUMN_TITLES = (
    QT_TRANSLATE_NOOP("Columns", "Due"), QT_TRANSLATE_NOOP("Columns", "Overdue / due in"),
    QT_TRANSLATE_NOOP("Columns", "Kind"), QT_TRANSLATE_NOOP("Columns", "Customer"),
    QT_TRANSLATE_NOOP("Columns", "Phone"), QT_TRANSLATE_NOOP("Columns", "Order / complaint No."),
)
COUNTS_EVERY_MS = 60_000  # the day turns and colleagues record visits while the page is open
DEFAULT_SORT = Sort("due_on")  # oldest first: overdue, then today, then the coming days


class DueVisitsProxy(OverdueProxy):
    """Rows whose due day has passed stand out, as overdue complaints do."""

    def __init__(self, lazy: LazyTableModel, parent=None):
        self.today = date.today()  # the page sets it with each list it shows
        self._due_column = -1
        super().__init__(lazy, parent)

    def is_overdue(self, row: int) -> bool:
        if self._due_column < 0 or not 0 <= row < self.lazy.rowCount():
            return False
        return self.lazy.row_values(row)[self._due_column] < self.today

    # The base class calls these around every reset of the list, before the views hear of it.
    def _forget_column(self) -> None:
        super()._forget_column()
        self._due_column = -1

    def _find_column(self) -> None:
        super()._find_column()
        keys = [column.key for column in self.lazy.columns]
        self._due_column = keys.index("due_on") if "due_on" in keys else -1


class VisitsPage(QWidget):
    sig_customer_activated = Signal(int)  # open this customer's file (the customers page does)
    sig_complaint_activated = Signal(int)  # open this complaint (the complaints page does)
    sig_counts_changed = Signal()  # the figures beside the navigation entry are out of date

    def __init__(self, db: Database, actor: Actor, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._settings = settings
        self.plan_task: BackgroundTask | None = None
        self.last_dialog: VisitDialog | None = None

        self.window_combo = QComboBox(self)
        self.window_combo.addItem(self.tr("Overdue only"), OVERDUE_ONLY)
        self.window_combo.addItem(self.tr("Overdue and due today"), 0)
        for days in (3, 7, 14, 30):
            self.window_combo.addItem(self.tr("Due within {n} days").format(n=days), days)
        self.window_combo.setCurrentIndex(1)  # the navigation's figure: what should be done by tonight
        self.counts_label = QLabel(self)

        self.record_button = QPushButton(self.tr("&Record visit…"), self)
        self.record_button.setToolTip(self.tr("Enter, F2 or double-click"))
        self.customer_button = QPushButton(self.tr("Open &customer"), self)
        self.customer_button.setToolTip(self.tr("Ctrl+O: the customer's whole file"))
        self.customer_button.setVisible(allowed(actor, Permission.CUSTOMER_READ))
        self.plan_button = QPushButton(self.tr("&Plan periodic visits"), self)
        self.plan_button.setToolTip(self.tr("F9: a visit due today for every important customer not visited for "
                                            "6 months and every long-term customer not visited for a year"))
        self.refresh_button = QPushButton(self.tr("Re&fresh"), self)
        self.refresh_button.setToolTip(self.tr("F5"))

        self.lazy_model = LazyTableModel(None, sort=DEFAULT_SORT, parent=self)
        self.model = DueVisitsProxy(self.lazy_model, self)
        self.list_view = LazyListView(self.model, list_name="visits", user=actor.username, parent=self)
        self.list_view.table.setTabKeyNavigation(False)  # Tab leaves the list for the buttons
        self.list_view.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.status_label = QLabel(self, wordWrap=True)

        top = QHBoxLayout()
        show_label = QLabel(self.tr("&Show:"), self)
        show_label.setBuddy(self.window_combo)
        top.addWidget(show_label)
        top.addWidget(self.window_combo)
        top.addSpacing(16)
        top.addWidget(self.counts_label, 1)
        buttons = QHBoxLayout()
        for button in (self.record_button, self.customer_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.plan_button)
        buttons.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.list_view, 1)
        layout.addWidget(self.status_label)
        order = (self.window_combo, self.list_view.table, self.record_button, self.customer_button, self.plan_button,
                 self.refresh_button)
        for first, second in zip(order, order[1:]):
            QWidget.setTabOrder(first, second)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence(Qt.Key.Key_F2), self, self.on_record_button_clicked, context=context)
        QShortcut(QKeySequence(Qt.Key.Key_F9), self, self.on_plan_button_clicked, context=context)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh, context=context)
        if self.customer_button.isVisibleTo(self):
            QShortcut(QKeySequence("Ctrl+O"), self, self.on_customer_button_clicked, context=context)
        self._counts_timer = QTimer(self, interval=COUNTS_EVERY_MS)
        self._counts_timer.timeout.connect(self.update_counts)
        self._counts_timer.start()

        self.window_combo.currentIndexChanged.connect(self.apply_filter)
        self.record_button.clicked.connect(self.on_record_button_clicked)
        self.customer_button.clicked.connect(self.on_customer_button_clicked)
        self.plan_button.clicked.connect(self.on_plan_button_clicked)
        self.refresh_button.clicked.connect(self.refresh)
        self.list_view.sig_activated.connect(self.record_visit)
        self.list_view.sig_current_changed.connect(self.on_list_view_current_changed)
        self.apply_filter()
        self.on_list_view_current_changed(self.list_view.current_id())

    # --- our API -------------------------------------------------------------------------------------------

    def within_days(self) -> int:
        return int(self.window_combo.currentData())

    def apply_filter(self, *_args) -> None:
        """Read the list of the chosen window again; "today" is taken now (the page may stay open overnight)."""
        today = visit_list.local_today()
        self.model.today = today
        try:
            self.model.set_source(visit_list.due_list(self._db, self._actor, within_days=self.within_days(),
                                                      today=today))
        except DomainError as exc:
            self._say(exc.message, error=True)
            return
        if self.list_view.current_id() == -1:
            self.select_row(0)  # Enter records the first visit at once: the desk works down the list
        self.update_counts()

    def refresh(self) -> None:
        """F5: the list and the figures again, keeping the same visit current if it is still due."""
        self.apply_filter()

    def update_counts(self) -> None:
        try:
            counts = visit_list.visit_counts(self._db, self._actor)
        except DomainError as exc:
            self._say(exc.message, error=True)
            return
        self.counts_label.setText(self.tr("{overdue} overdue, {today} due today").format(
            overdue=counts.overdue, today=counts.today))
        self.counts_label.setStyleSheet(ERROR_STYLE if counts.overdue else "")

    def select_row(self, row: int) -> None:
        if self.model.rowCount():
            row = max(0, min(row, self.model.rowCount() - 1))
            index = self.model.index(row, 0)
            self.list_view.table.setCurrentIndex(index)
            self.list_view.table.scrollTo(index)

    def record_visit(self, visit_id: int) -> VisitDialog | None:
        """The visit's dialog; after saving, the list is read again and the next visit is current."""
        try:
            detail = visit_list.visit_detail(self._db, self._actor, visit_id)
        except DomainError as exc:
            show_error(self, exc)
            return None
        if detail.done:
            self._say(self.tr("This visit was recorded already (by a colleague?). The list is read again."))
            self.refresh()
            return None
        row = self.model.row_of_id(visit_id)
        dialog = VisitDialog(self._db, self._actor, detail, branch_code=self._settings.branch_code,
                             today=self.model.today, parent=self)
        self.last_dialog = dialog
        dialog.sig_complaint_requested.connect(self.open_complaint)
        dialog.exec()
        if dialog.recorded:
            if dialog.complaint_number:
                self._say(self.tr("Visit to {customer} saved; complaint {number} opened.").format(
                    customer=detail.customer_name, number=dialog.complaint_number), style=WARNING_STYLE)
            else:
                self._say(self.tr("Visit to {customer} saved.").format(customer=detail.customer_name))
        if dialog.recorded or dialog.conflict:
            self.refresh()
            self.select_row(row)
            self.sig_counts_changed.emit()
        self.list_view.table.setFocus()
        return dialog

    def open_complaint(self, number: str) -> None:
        try:
            record = complaints.find_complaint(self._db, self._actor, number)
        except DomainError as exc:
            show_error(self, exc)
            return
        self.sig_complaint_activated.emit(record.id)

    # --- slots ---------------------------------------------------------------------------------------------

    def on_list_view_current_changed(self, visit_id: int) -> None:
        self.record_button.setEnabled(visit_id != -1)
        self.customer_button.setEnabled(visit_id != -1)

    def on_record_button_clicked(self) -> None:
        visit_id = self.list_view.current_id()
        if visit_id != -1:
            self.record_visit(visit_id)

    def on_customer_button_clicked(self) -> None:
        visit_id = self.list_view.current_id()
        if visit_id == -1:
            return
        try:
            customer_id = visit_list.customer_of_visit(self._db, self._actor, visit_id)
        except DomainError as exc:
            show_error(self, exc)
            return
        self.sig_customer_activated.emit(customer_id)

    def on_plan_button_clicked(self) -> None:
        if self.plan_task is not None and self.plan_task.is_running():
            return
        db, actor = self._db, self._actor
        self.plan_task = BackgroundTask(lambda _progress: return_visits.plan_periodic_visits(db, actor), owner=self)
        self.plan_task.sig_finished.connect(self.on_plan_task_finished)
        self.plan_task.sig_failed.connect(self.on_plan_task_failed)
        self.plan_button.setEnabled(False)
        self._say(self.tr("Planning periodic visits…"))
        # One transaction that cannot stop halfway: no Cancel.
        show_progress(self.plan_task, self, self.tr("Planning periodic visits"), cancellable=False)
        self.plan_task.start()

    def on_plan_task_finished(self, added: int) -> None:
        self.plan_button.setEnabled(True)
        if added:
            self._say(self.tr("Periodic visits planned: {n}, due today.").format(n=added))
        else:
            self._say(self.tr("No periodic visit was due: every important and long-term customer has one planned "
                              "or made within their period."))
        self.refresh()
        self.sig_counts_changed.emit()

    def on_plan_task_failed(self, exc: BaseException) -> None:
        self.plan_button.setEnabled(True)
        self._say("")
        show_error(self, exc)

    # --- helpers -------------------------------------------------------------------------------------------

    def _say(self, text: str, *, error: bool = False, style: str = "") -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(style or (ERROR_STYLE if error else HINT_STYLE))
