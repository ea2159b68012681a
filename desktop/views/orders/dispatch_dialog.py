"""Dispatch (派工) and reschedule: who goes, and when, as agreed with the customer.

Dispatch lists the active engineers ranked by the service (skill for the order's category, the customer's
area, orders already booked that day) with the score and the reasons, for the day of the appointment being
typed: a new day ranks again. The finish-by time is the completion committed to the customer; it keeps its
distance from the appointment while the appointment moves, until the user sets it.

Reschedule keeps the engineer, asks for the reason, and lists every appointment agreed before (from the
order's history), so the customer is not given a time that failed already.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime, QRect, QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateTimeEdit,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop.db.uow import Actor, Database
from desktop.domain.base import utcnow
from desktop.domain.errors import DomainError
from desktop.domain.service_orders import OrderStatus, category_label, urgency_label
from desktop.services import service_orders
from desktop.services.service_orders import EngineerChoice, OrderRecord
from desktop.views.common import HINT_STYLE
from desktop.views.complaints.widgets import moment_text, text_box
from desktop.views.orders.step_dialog import OrderStepDialog

DEFAULT_WORK_HOURS = 2  # the committed finish, after the appointment, until the user says otherwise


def to_qt(moment: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))


def from_qt(value: QDateTime) -> datetime:
    """The local time typed, as an aware datetime (the services store UTC)."""
    return datetime.fromtimestamp(value.toSecsSinceEpoch()).astimezone()


def moment_edit(parent: QWidget, moment: datetime) -> QDateTimeEdit:
    edit = QDateTimeEdit(to_qt(moment), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    return edit


class DispatchDialog(OrderStepDialog):
    """Dispatch a registered order, or reschedule a dispatched one (the order's state decides)."""

    def __init__(self, db: Database, actor: Actor, record: OrderRecord, parent: QWidget | None = None):
        self.rescheduling = record.status == OrderStatus.DISPATCHED
        title = self.tr("Reschedule") if self.rescheduling else self.tr("Dispatch")
        super().__init__(db, actor, record, title=title, ok_text=title, parent=parent)
        self.choices: list[EngineerChoice] = []
        self._ranked_day = None
        self._finish_touched = False

        facts = QLabel(" · ".join(filter(None, (
            category_label(record.category), urgency_label(record.urgency),
            self.tr("wanted by {time}").format(time=moment_text(record.expected_by)) if record.expected_by else "",
        ))), self)
        request = QLabel(record.request, self, wordWrap=True)
        request.setStyleSheet(HINT_STYLE)
        self.form.addRow(self.tr("Order:"), facts)
        self.form.addRow(self.tr("Request:"), request)

        if self.rescheduling:
            start = record.appointment_at or self._next_hour()
            finish = record.finish_by or start + timedelta(hours=DEFAULT_WORK_HOURS)
        else:
            start = self._next_hour()
            finish = start + timedelta(hours=DEFAULT_WORK_HOURS)
        self.appointment_edit = moment_edit(self, start)
        self.finish_edit = moment_edit(self, finish)
        self._gap = finish - start
        self._agreed_now = (self.appointment_edit.dateTime(), self.finish_edit.dateTime())

        if self.rescheduling:
            self.form.addRow(self.tr("Engineer:"), QLabel(record.engineer, self))
            self.history_table = self._table([self.tr("Appointment"), self.tr("Agreed"), self.tr("By"),
                                              self.tr("Reason")])
            self._show_history()
            self.form.addRow(self.tr("Appointments so far:"), self.history_table)
        else:
            self.engineers_table = self._table([self.tr("Engineer"), self.tr("Score"), self.tr("Booked that day"),
                                                self.tr("Why")])
            self.engineers_table.itemSelectionChanged.connect(self.revalidate)
            self.engineers_table.doubleClicked.connect(self.on_ok_button_clicked)
            self.form.addRow(self.tr("Engineers, best first:"), self.engineers_table)
            self.fields["engineer"] = self.engineers_table

        self.form.addRow(self.tr("Appointment agreed with the customer:"), self.appointment_edit)
        self.form.addRow(self.tr("Committed finish by:"), self.finish_edit)
        self.fields["appointment_at"] = self.appointment_edit
        self.fields["finish_by"] = self.finish_edit
        if self.rescheduling:
            self.reason_edit = text_box(self, lines=2, placeholder=self.tr("Why the time changes, e.g. the customer "
                                                                           "is away until Friday"))
            self.form.addRow(self.tr("Reason:"), self.reason_edit)
            self.fields["reason"] = self.reason_edit
            self.reason_edit.textChanged.connect(self.revalidate)
        else:
            self.note_edit = QLineEdit(self, placeholderText=self.tr("Optional: what the engineer should know"))
            self.form.addRow(self.tr("Note:"), self.note_edit)

        self.appointment_edit.dateTimeChanged.connect(self.on_appointment_changed)
        self.finish_edit.dateTimeChanged.connect(self.on_finish_changed)
        if not self.rescheduling:
            self.rank()
        self.revalidate()
        self.resize(720, self.sizeHint().height())
        self.appointment_edit.setFocus()

    # --- our API -------------------------------------------------------------------------------------------

    def appointment(self) -> datetime:
        return from_qt(self.appointment_edit.dateTime())

    def finish_by(self) -> datetime:
        return from_qt(self.finish_edit.dateTime())

    def chosen_engineer(self) -> EngineerChoice | None:
        row = self.engineers_table.currentRow() if not self.rescheduling else -1
        return self.choices[row] if 0 <= row < len(self.choices) else None

    def rank(self) -> None:
        """Rank the engineers for the appointment's day, keeping the one chosen."""
        day = self.appointment().date()
        if day == self._ranked_day:
            return
        chosen = self.chosen_engineer()
        try:
            self.choices = service_orders.rank_engineers(self._db, self._actor, order_id=self.record.id, day=day)
        except DomainError as exc:
            self.choices = []
            self.error_label.setText(exc.message)
            self.error_label.show()
        self._ranked_day = day
        table = self.engineers_table
        with QSignalBlocker(table):
            table.setRowCount(len(self.choices))
            for row, choice in enumerate(self.choices):
                cells = (choice.name, str(choice.score), str(choice.open_today), "\n".join(choice.reasons))
                for column, text in enumerate(cells):
                    table.setItem(row, column, QTableWidgetItem(text))
                # One reason a line; measured with the text itself, whose Chinese may come from a taller font.
                table.setRowHeight(row, table.fontMetrics().boundingRect(
                    QRect(0, 0, 10_000, 0), Qt.AlignmentFlag.AlignLeft, cells[-1]).height() + 8)
            ids = [c.user_id for c in self.choices]
            keep = ids.index(chosen.user_id) if chosen and chosen.user_id in ids else 0
            if self.choices:
                table.selectRow(keep)
        self.revalidate()

    # --- the step ------------------------------------------------------------------------------------------

    def problems(self) -> list[str]:
        found = []
        if not self.rescheduling and self.chosen_engineer() is None:
            found.append(self.tr("Choose the engineer.") if self.choices
                         else self.tr("No active service engineer to dispatch to."))
        if self.finish_by() <= self.appointment():
            found.append(self.tr("The committed finish must come after the appointment."))
        if self.rescheduling:
            if (self.appointment_edit.dateTime(), self.finish_edit.dateTime()) == self._agreed_now:
                found.append(self.tr("Choose a time other than the one agreed now."))
            if not self.reason_edit.toPlainText().strip():
                found.append(self.tr("Give the reason for the new time."))
        return found

    def perform(self) -> OrderRecord:
        key = {"order_id": self.record.id, "version": self.record.version}
        if self.rescheduling:
            return service_orders.reschedule(self._db, self._actor, **key, appointment_at=self.appointment(),
                                             finish_by=self.finish_by(), reason=self.reason_edit.toPlainText())
        return service_orders.dispatch(self._db, self._actor, **key, engineer_id=self.chosen_engineer().user_id,
                                       appointment_at=self.appointment(), finish_by=self.finish_by(),
                                       note=self.note_edit.text())

    # --- slots ---------------------------------------------------------------------------------------------

    def on_appointment_changed(self, _value: QDateTime) -> None:
        if not self._finish_touched:
            with QSignalBlocker(self.finish_edit):
                self.finish_edit.setDateTime(to_qt(self.appointment() + self._gap))
        if not self.rescheduling:
            self.rank()
        self.revalidate()

    def on_finish_changed(self, _value: QDateTime) -> None:
        self._finish_touched = True
        self.revalidate()

    # --- helpers -------------------------------------------------------------------------------------------

    @staticmethod
    def _next_hour() -> datetime:
        """The next full hour but one: time to call the customer and for the engineer to get there."""
        now = utcnow().astimezone()
        return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=2)

    def _show_history(self) -> None:
        table = self.history_table
        rows = self.record.appointments
        table.setRowCount(len(rows))
        for row, (agreed_at, by, appointment, reason) in enumerate(rows):
            shown = moment_text(appointment)
            if row == len(rows) - 1:
                shown = self.tr("{time} (now)").format(time=shown)
            for column, text in enumerate((shown, moment_text(agreed_at), by, reason)):
                table.setItem(row, column, QTableWidgetItem(text))

    def _table(self, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers), self)
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setTabKeyNavigation(False)
        table.setWordWrap(True)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
        table.setMinimumHeight(table.fontMetrics().lineSpacing() * 7)
        table.setMaximumHeight(table.fontMetrics().lineSpacing() * 12)
        return table
