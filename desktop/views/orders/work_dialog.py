"""The engineer's on-site record: the need confirmed with the customer, diagnosis, measures, labour and other
fees, remaining issues, advice, and the self-check. A fee may only be charged when it was agreed with the
customer before the work: while an amount is typed and the box is not ticked, the form says so and waits.
The parts used are recorded in their own form (parts_dialog.py); their amount shows here for the total.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QWidget

from desktop.db.uow import Actor, Database
from desktop.domain.amounts import amount_in_words, format_yuan
from desktop.services import service_orders
from desktop.services.service_orders import OrderRecord
from desktop.views.common import HINT_STYLE
from desktop.views.complaints.widgets import text_box
from desktop.views.orders.step_dialog import OrderStepDialog, decimal_of, money_box


class WorkDialog(OrderStepDialog):
    def __init__(self, db: Database, actor: Actor, record: OrderRecord, parent: QWidget | None = None):
        super().__init__(db, actor, record, title=self.tr("Record work"), ok_text=self.tr("Save the record"),
                         parent=parent)
        r = record
        self.confirmed_need_edit = self._text("confirmed_need", self.tr("Confirmed need:"),
                                              r.confirmed_need or r.request, self.tr("What the customer needs, as "
                                                                                     "confirmed on site"))
        self.diagnosis_edit = self._text("diagnosis", self.tr("Diagnosis:"), r.diagnosis,
                                         self.tr("The fault found and its cause"))
        self.measures_edit = self._text("measures", self.tr("Measures taken:"), r.measures,
                                        self.tr("What was done; needed before completing"))
        self.labour_edit = money_box(self, r.labour_fee)
        self.other_edit = money_box(self, r.other_fee)
        self.total_label = QLabel(self)
        self.total_label.setStyleSheet(HINT_STYLE)
        fees = QHBoxLayout()
        fees.addWidget(QLabel(self.tr("Labour:"), self))
        fees.addWidget(self.labour_edit, 1)
        fees.addSpacing(12)
        fees.addWidget(QLabel(self.tr("Other:"), self))
        fees.addWidget(self.other_edit, 1)
        self.form.addRow(self.tr("Fees:"), fees)
        self.form.addRow("", self.total_label)
        self.fees_agreed_check = QCheckBox(self.tr("Fees agreed with the customer before the work"), self)
        self.fees_agreed_check.setChecked(r.fees_agreed)
        self.form.addRow("", self.fees_agreed_check)
        self.remaining_edit = self._text("remaining_issues", self.tr("Remaining issues:"), r.remaining_issues,
                                         self.tr("Empty when the fault is fixed for good (first-time fix)"), lines=2)
        self.advice_edit = self._text("advice", self.tr("Advice:"), r.advice,
                                      self.tr("Advice to the customer on use and care"), lines=2)
        self.self_check_check = QCheckBox(self.tr("Self-check done: the unit was tested and runs normally"), self)
        self.self_check_check.setChecked(r.self_check_done)
        self.form.addRow("", self.self_check_check)
        self.fields.update({"labour_fee": self.labour_edit, "other_fee": self.other_edit,
                            "fees_agreed": self.fees_agreed_check, "self_check_done": self.self_check_check})

        for box in (self.labour_edit, self.other_edit):
            box.valueChanged.connect(self.revalidate)
        self.fees_agreed_check.toggled.connect(self.revalidate)
        self.revalidate()
        self.resize(640, self.sizeHint().height())
        self.confirmed_need_edit.setFocus()

    # --- the step ------------------------------------------------------------------------------------------

    def charged(self) -> bool:
        return bool(decimal_of(self.labour_edit) or decimal_of(self.other_edit))

    def problems(self) -> list[str]:
        total = decimal_of(self.labour_edit) + decimal_of(self.other_edit) + self.record.parts_total
        self.total_label.setText(self.tr("Parts {parts} · total {total} ({words})").format(
            parts=format_yuan(self.record.parts_total), total=format_yuan(total), words=amount_in_words(total)))
        if self.charged() and not self.fees_agreed_check.isChecked():
            return [self.tr("A fee is charged: tick that it was agreed with the customer before the work.")]
        return []

    def perform(self) -> OrderRecord:
        return service_orders.record_work(
            self._db, self._actor, order_id=self.record.id, version=self.record.version,
            confirmed_need=self.confirmed_need_edit.toPlainText(), diagnosis=self.diagnosis_edit.toPlainText(),
            measures=self.measures_edit.toPlainText(), labour_fee=decimal_of(self.labour_edit),
            other_fee=decimal_of(self.other_edit), fees_agreed=self.fees_agreed_check.isChecked(),
            remaining_issues=self.remaining_edit.toPlainText(), advice=self.advice_edit.toPlainText(),
            self_check_done=self.self_check_check.isChecked())

    # --- helpers -------------------------------------------------------------------------------------------

    def _text(self, key: str, label: str, value: str, placeholder: str, *, lines: int = 3):
        edit = text_box(self, lines=lines, placeholder=placeholder)
        edit.setPlainText(value)
        self.form.addRow(label, edit)
        self.fields[key] = edit
        return edit
