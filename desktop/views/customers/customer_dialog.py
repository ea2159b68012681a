"""The form that creates or changes a customer (客户档案).

The dialog calls the service itself on OK (or Enter) and stays open with the service's message beside the
field at fault, so nothing typed is lost. ID card numbers and unified social credit codes are checked digit
by digit as they are typed; OK stays disabled while the number cannot be right.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.db.uow import Actor, Database
from desktop.domain.customers import CustomerKind, Importance
from desktop.domain.errors import ConcurrentEdit, DomainError
from desktop.domain.identity import credit_code_problem, id_card_problem
from desktop.services import customers
from desktop.services.customers import CustomerInput, CustomerRecord
from desktop.views.common import ERROR_STYLE

# The problems domain/identity.py describes in English; listed here so that lupdate extracts them and both
# this dialog and the service's message can show them translated.
IDENTITY_PROBLEMS = (
    QT_TRANSLATE_NOOP("Identity", "must be 17 digits followed by a digit or X"),
    QT_TRANSLATE_NOOP("Identity", "the birth date in it does not exist"),
    QT_TRANSLATE_NOOP("Identity", "the check digit does not match"),
    QT_TRANSLATE_NOOP("Identity",
                      "must be 18 characters of 0123456789ABCDEFGHJKLMNPQRTUWXY (no I, O, S, V, Z)"),
    QT_TRANSLATE_NOOP("Identity", "the check character does not match"),
)


def kind_label(kind: CustomerKind) -> str:
    if kind == CustomerKind.COMPANY:
        return QCoreApplication.translate("CustomerDialog", "Company (unit)")
    return QCoreApplication.translate("CustomerDialog", "Individual")


def identity_problem(kind: CustomerKind, number: str) -> str:
    """What is wrong with an ID number as typed, translated; "" when it is right or empty."""
    number = number.strip()
    if not number:
        return ""
    company = kind == CustomerKind.COMPANY
    problem = (credit_code_problem if company else id_card_problem)(number)
    if problem is None:
        return ""
    text = QCoreApplication.translate("Identity", problem)
    if company:
        message = QCoreApplication.translate("CustomerDialog", "Unified social credit code: {problem}.")
    else:
        message = QCoreApplication.translate("CustomerDialog", "ID card number: {problem}.")
    return message.format(problem=text)


class FormDialog(QDialog):
    """What the customer and product forms share: a form, the service's message with the field at fault
    focused, OK (Enter) and Cancel (Esc), and a Reload button after somebody else saved the record."""

    def __init__(self, parent: QWidget | None):
        super().__init__(parent)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.error_label = QLabel(self, wordWrap=True, visible=False)
        self.error_label.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setDefault(True)  # Enter saves from any one-line field
        self.reload_button = self.buttons.addButton(
            self.tr("&Reload"), QDialogButtonBox.ButtonRole.ResetRole
        )
        self.reload_button.setVisible(False)
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.reload_button.clicked.connect(self.on_reload_button_clicked)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def show_problem(self, message: str, field: QWidget | None = None) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(True)
        if field is not None:
            field.setFocus()
            if isinstance(field, QLineEdit):
                field.selectAll()

    def update_state(self) -> None:
        self.ok_button.setEnabled(self.is_complete())

    def on_buttons_accepted(self) -> None:
        if not self.is_complete():  # Enter while OK is disabled
            return
        try:
            self.save()
        except ConcurrentEdit as exc:
            # Who changed it and when; Reload shows what is saved now, the user repeats the change on top.
            self.show_problem(exc.message)
            self.reload_button.setVisible(True)
            return
        except DomainError as exc:
            self.show_problem(exc.message, self.error_fields().get(exc.field or ""))
            return
        self.accept()

    def on_reload_button_clicked(self) -> None:
        try:
            self.reload()
        except DomainError as exc:
            self.show_problem(exc.message)
            return
        self.reload_button.setVisible(False)
        self.show_problem(self.tr("The form shows the saved values now; make your change again."))

    # Each form says what it needs, how it saves and reloads, and which widget holds which field.
    def is_complete(self) -> bool:
        raise NotImplementedError

    def save(self) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        raise NotImplementedError

    def error_fields(self) -> dict[str, QWidget]:
        raise NotImplementedError


class CustomerDialog(FormDialog):
    """A new customer (`record` None) or a change to one opened in full (never a masked record: saving
    it would write the stars over the real phone numbers)."""

    def __init__(self, db: Database, actor: Actor, record: CustomerRecord | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        if record is not None and record.masked:
            raise ValueError("a masked customer record cannot be edited")
        self._db = db
        self._actor = actor
        self._record = record
        self.saved: CustomerRecord | None = None

        self.kind_combo = QComboBox(self)
        for kind in (CustomerKind.INDIVIDUAL, CustomerKind.COMPANY):
            self.kind_combo.addItem(kind_label(kind), kind.value)
        self.name_edit = QLineEdit(self, maxLength=100)
        self.contact_edit = QLineEdit(self, maxLength=60)
        self.phone_edit = QLineEdit(self, maxLength=30)
        self.phone_edit.setPlaceholderText(self.tr("e.g. 13812345678 or 020-87654321"))
        self.phone2_edit = QLineEdit(self, maxLength=30)
        self.region_edit = QLineEdit(self, maxLength=60, placeholderText=self.tr("province, city, district"))
        self.address_edit = QLineEdit(self, maxLength=200, placeholderText=self.tr("street, building, room"))
        self.id_edit = QLineEdit(self, maxLength=18)
        self.id_hint = QLabel(self, wordWrap=True)
        self.id_hint.setStyleSheet(ERROR_STYLE)
        # Room for two lines from the start, so the form does not jump while the number is typed.
        self.id_hint.setMinimumHeight(2 * self.fontMetrics().lineSpacing())
        self.importance_combo = QComboBox(self)
        for importance in Importance:
            self.importance_combo.addItem(importance.label, importance.value)
        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
        self.notes_edit.setFixedHeight(4 * self.fontMetrics().lineSpacing() + 12)

        self.form.addRow(self.tr("&Type:"), self.kind_combo)
        self.form.addRow(self.tr("&Name:"), self.name_edit)
        self.form.addRow(self.tr("&Contact person:"), self.contact_edit)
        self.form.addRow(self.tr("&Phone:"), self.phone_edit)
        self.form.addRow(self.tr("Phone &2:"), self.phone2_edit)
        self.form.addRow(self.tr("&Region:"), self.region_edit)
        self.form.addRow(self.tr("&Address:"), self.address_edit)
        self.form.addRow(self.tr("&ID card No.:"), self.id_edit)
        self.form.addRow("", self.id_hint)
        self.form.addRow(self.tr("I&mportance:"), self.importance_combo)
        self.form.addRow(self.tr("N&otes:"), self.notes_edit)
        order = (self.kind_combo, self.name_edit, self.contact_edit, self.phone_edit, self.phone2_edit,
                 self.region_edit, self.address_edit, self.id_edit, self.importance_combo, self.notes_edit,
                 self.buttons)
        for first, second in zip(order, order[1:]):
            QWidget.setTabOrder(first, second)
        self.setMinimumWidth(520)

        if record is None:
            self.setWindowTitle(self.tr("New customer"))
            self.ok_button.setText(self.tr("Create customer"))
            self.importance_combo.setCurrentIndex(self.importance_combo.findData(Importance.ORDINARY.value))
        else:
            self.setWindowTitle(self.tr("Edit customer {name}").format(name=record.name))
            self.ok_button.setText(self.tr("Save"))
            self.load(record)

        self.kind_combo.currentIndexChanged.connect(self.on_kind_combo_current_index_changed)
        self.name_edit.textChanged.connect(self.update_state)
        self.id_edit.textChanged.connect(self.update_state)
        self.on_kind_combo_current_index_changed()
        self.name_edit.setFocus()

    # --- our API -------------------------------------------------------------------------------------------

    def kind(self) -> CustomerKind:
        return CustomerKind(self.kind_combo.currentData())

    def load(self, record: CustomerRecord) -> None:
        self._record = record
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(record.kind.value))
        self.name_edit.setText(record.name)
        self.contact_edit.setText(record.contact_person)
        self.phone_edit.setText(record.phone)
        self.phone2_edit.setText(record.phone2)
        self.region_edit.setText(record.region)
        self.address_edit.setText(record.address_detail)
        self.id_edit.setText(record.id_number)
        self.importance_combo.setCurrentIndex(self.importance_combo.findData(record.importance.value))
        self.notes_edit.setPlainText(record.notes)

    def data(self) -> CustomerInput:
        return CustomerInput(
            kind=self.kind(),
            name=self.name_edit.text(),
            contact_person=self.contact_edit.text(),
            phone=self.phone_edit.text(),
            phone2=self.phone2_edit.text(),
            region=self.region_edit.text(),
            address_detail=self.address_edit.text(),
            id_number=self.id_edit.text(),
            importance=Importance(self.importance_combo.currentData()),
            notes=self.notes_edit.toPlainText(),
        )

    # --- FormDialog ----------------------------------------------------------------------------------------

    def is_complete(self) -> bool:
        problem = identity_problem(self.kind(), self.id_edit.text())
        self.id_hint.setText(problem)
        return bool(self.name_edit.text().strip()) and not problem

    def save(self) -> None:
        if self._record is None:
            self.saved = customers.create_customer(self._db, self._actor, data=self.data())
        else:
            self.saved = customers.update_customer(
                self._db, self._actor, customer_id=self._record.id, version=self._record.version,
                data=self.data())

    def reload(self) -> None:
        if self._record is not None:
            self.load(customers.get_customer(self._db, self._actor, self._record.id))

    def error_fields(self) -> dict[str, QWidget]:
        return {"name": self.name_edit, "phone": self.phone_edit, "phone2": self.phone2_edit,
                "id_number": self.id_edit}

    # --- slots ---------------------------------------------------------------------------------------------

    def on_kind_combo_current_index_changed(self, *_args) -> None:
        # A company is known by its unit name and its credit code, a person by name and ID card.
        company = self.kind() == CustomerKind.COMPANY
        name_label = self.form.labelForField(self.name_edit)
        id_label = self.form.labelForField(self.id_edit)
        name_label.setText(self.tr("&Unit name:") if company else self.tr("&Name:"))
        id_label.setText(self.tr("Credit &code:") if company else self.tr("&ID card No.:"))
        self.id_edit.setPlaceholderText(
            self.tr("18 characters, unified social credit code") if company
            else self.tr("18 digits, the last may be X")
        )
        self.update_state()
