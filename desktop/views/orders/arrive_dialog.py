"""The engineer's arrival on site (准时上门 is a KPI): now, or the time it happened when it is recorded later,
never in the future; the form says whether that is on time for the appointment."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from desktop.db.uow import Actor, Database
from desktop.domain.base import utcnow
from desktop.services import service_orders
from desktop.services.service_orders import OrderRecord
from desktop.views.common import HINT_STYLE
from desktop.views.complaints.widgets import moment_text
from desktop.views.orders.dispatch_dialog import from_qt, moment_edit, to_qt
from desktop.views.orders.step_dialog import OrderStepDialog


class ArriveDialog(OrderStepDialog):
    def __init__(self, db: Database, actor: Actor, record: OrderRecord, parent: QWidget | None = None):
        super().__init__(db, actor, record, title=self.tr("Arrived"), ok_text=self.tr("Record the arrival"),
                         parent=parent)
        self.form.addRow(self.tr("Engineer:"), QLabel(record.engineer, self))
        self.form.addRow(self.tr("Appointment:"), QLabel(moment_text(record.appointment_at), self))
        self.arrived_edit = moment_edit(self, utcnow())
        self.arrived_edit.setMaximumDateTime(to_qt(utcnow()).addSecs(60))
        self.form.addRow(self.tr("Arrived at:"), self.arrived_edit)
        self.timeliness_label = QLabel(self)
        self.form.addRow("", self.timeliness_label)
        self.fields["arrived_at"] = self.arrived_edit
        self.arrived_edit.dateTimeChanged.connect(self.revalidate)
        self.revalidate()
        self.resize(420, self.sizeHint().height())
        self.arrived_edit.setFocus()

    def problems(self) -> list[str]:
        at = from_qt(self.arrived_edit.dateTime())
        appointment = self.record.appointment_at
        if appointment is None or at <= appointment:
            self.timeliness_label.setText(self.tr("On time"))
            self.timeliness_label.setStyleSheet(HINT_STYLE)
        else:
            minutes = int((at - appointment).total_seconds() // 60)
            self.timeliness_label.setText(self.tr("Late by {minutes} min").format(minutes=minutes))
            self.timeliness_label.setStyleSheet("color: #b3261e;")
        return []

    def perform(self) -> OrderRecord:
        return service_orders.arrive(self._db, self._actor, order_id=self.record.id, version=self.record.version,
                                     at=from_qt(self.arrived_edit.dateTime()))
