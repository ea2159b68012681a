"""A correction of a signed order: a new revision with the same number, the work and parts copied, waiting to
be signed again; the signed revision stays exactly as it was signed. The reason is kept in the history."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from desktop.db.uow import Actor, Database
from desktop.services import service_orders
from desktop.services.service_orders import OrderRecord
from desktop.views.common import HINT_STYLE
from desktop.views.complaints.widgets import text_box
from desktop.views.orders.step_dialog import OrderStepDialog


class ReviseDialog(OrderStepDialog):
    def __init__(self, db: Database, actor: Actor, record: OrderRecord, parent: QWidget | None = None):
        super().__init__(db, actor, record, title=self.tr("Revise"), ok_text=self.tr("Make revision {n}").format(
            n=record.revision + 1), parent=parent)
        note = QLabel(self.tr("Revision {old} stays as it was signed. Revision {new} copies its work, parts and fees "
                              "so you can correct them; the customer signs it again.").format(
            old=record.revision, new=record.revision + 1), self, wordWrap=True)
        note.setStyleSheet(HINT_STYLE)
        self.form.addRow(note)
        self.reason_edit = text_box(self, lines=3, placeholder=self.tr("What is wrong on the signed slip"))
        self.form.addRow(self.tr("Reason:"), self.reason_edit)
        self.fields["reason"] = self.reason_edit
        self.reason_edit.textChanged.connect(self.revalidate)
        self.revalidate()
        self.resize(520, self.sizeHint().height())
        self.reason_edit.setFocus()

    def problems(self) -> list[str]:
        return [] if self.reason_edit.toPlainText().strip() else [self.tr("Give the reason for the correction.")]

    def perform(self) -> OrderRecord:
        return service_orders.revise(self._db, self._actor, order_id=self.record.id,
                                     reason=self.reason_edit.toPlainText())
