"""Registering a complaint at the front desk, in under a minute (domain.md §3).

Left: who complains (find or create the customer) and about which unit. Right: what they say and ask for,
how it is classified, and the photos or letters they brought. Ctrl+Enter saves, Esc cancels; the form says
what is still missing while the user types, and a refusal of the service keeps everything typed.
The complaint gets its number and belongs to whoever registered it (首问负责制).
"""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.config import Settings
from desktop.db.uow import Actor, Database
from desktop.domain.complaints import Channel, ComplaintClass, channel_label, class_label
from desktop.domain.errors import DomainError
from desktop.services import complaints
from desktop.services.attachments import check_file
from desktop.services.complaints import ComplaintInput, ComplaintRecord
from desktop.services.customers import CustomerRecord
from desktop.views.common import ERROR_STYLE, HINT_STYLE
from desktop.views.complaints.customer_picker import CustomerPicker
from desktop.views.complaints.widgets import (
    attachment_filter,
    date_of,
    fill_combo,
    optional_date_edit,
    set_date,
    severity_label,
    text_box,
)

DEFAULT_SEVERITY = 2


class RegisterDialog(QDialog):
    def __init__(self, db: Database, actor: Actor, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._settings = settings
        self.saved: ComplaintRecord | None = None
        self.attachments: list[Path] = []
        self.setWindowTitle(self.tr("Register a complaint"))

        self.picker = CustomerPicker(db, actor, self)
        self.product_combo = QComboBox(self)
        self.model_edit = QLineEdit(self)
        self.serial_edit = QLineEdit(self)
        self.purchase_edit = optional_date_edit(self)
        self.invoice_edit = QLineEdit(self)

        self.channel_combo = QComboBox(self)
        fill_combo(self.channel_combo, Channel, channel_label)
        # Now, unless a letter or an e-mail came in earlier; only a changed time is passed to the service.
        self._opened_at = QDateTime.currentDateTime()
        self.received_edit = QDateTimeEdit(self._opened_at, self, calendarPopup=True)
        self.received_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.received_edit.setMaximumDateTime(self._opened_at.addSecs(300))
        self.description_edit = text_box(self, lines=5, placeholder=self.tr("What the customer says, in their words"),
                                         grow=True)
        self.request_edit = text_box(self, lines=3, placeholder=self.tr("What the customer asks for (客户诉求)"))
        self.class_combo = QComboBox(self)
        fill_combo(self.class_combo, ComplaintClass, class_label)
        self.severity_combo = QComboBox(self)
        fill_combo(self.severity_combo, (1, 2, 3, 4), severity_label)
        self.severity_combo.setCurrentIndex(DEFAULT_SEVERITY - 1)
        self.safety_check = QCheckBox(self.tr("&Safety hazard (handled at once)"), self)
        self.attachment_list = QListWidget(self)
        self.attachment_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 8)
        self.add_files_button = QPushButton(self.tr("Add &files…"), self, autoDefault=False)
        self.remove_file_button = QPushButton(self.tr("Remove file"), self, autoDefault=False)

        self.message_label = QLabel(self, wordWrap=True)
        self.save_button = QPushButton(self.tr("&Register"), self, autoDefault=False)
        self.save_button.setToolTip(self.tr("Ctrl+Enter"))
        self.cancel_button = QPushButton(self.tr("Cancel"), self, autoDefault=False)
        self.cancel_button.setToolTip(self.tr("Esc"))

        self._lay_out()
        self._set_tab_order()
        for keys in (Qt.Modifier.CTRL | Qt.Key.Key_Return, Qt.Modifier.CTRL | Qt.Key.Key_Enter):
            QShortcut(QKeySequence(keys), self, self.on_save_button_clicked)

        self.picker.sig_customer_chosen.connect(self.on_picker_customer_chosen)
        self.picker.sig_problem.connect(self.show_error_message)
        self.product_combo.currentIndexChanged.connect(self.on_product_combo_current_index_changed)
        self.description_edit.textChanged.connect(self.update_state)
        self.add_files_button.clicked.connect(self.on_add_files_button_clicked)
        self.remove_file_button.clicked.connect(self.on_remove_file_button_clicked)
        self.save_button.clicked.connect(self.on_save_button_clicked)
        self.cancel_button.clicked.connect(self.reject)
        self._fill_products(None)
        self.update_state()
        self.resize(1040, 640)
        self.picker.search_edit.setFocus()

    # --- our API -------------------------------------------------------------------------------------------

    def problems(self) -> list[tuple[QWidget, str]]:
        """What must still be filled in before saving, with the field to go to."""
        found = []
        if self.picker.customer is None:
            found.append((self.picker.search_edit, self.tr("Find the customer (phone, name or serial number) or "
                                                           "create a new one.")))
        if not self.description_edit.toPlainText().strip():
            found.append((self.description_edit, self.tr("Write the complaint in the customer's words.")))
        return found

    def update_state(self) -> None:
        problems = self.problems()
        self.save_button.setEnabled(not problems)
        if problems:
            self.message_label.setText(problems[0][1])
            self.message_label.setStyleSheet(HINT_STYLE)
        else:
            self.message_label.setText(self.tr("Ready: Ctrl+Enter registers the complaint."))
            self.message_label.setStyleSheet(HINT_STYLE)

    def show_error_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(ERROR_STYLE)

    def add_attachments(self, paths: list[Path]) -> None:
        """Add files the service will accept; say which it would refuse and why."""
        refused = []
        for path in paths:
            try:
                check_file(path)
            except DomainError as exc:
                refused.append(exc.message)
                continue
            if path not in self.attachments:
                self.attachments.append(path)
                item = QListWidgetItem(path.name, self.attachment_list)
                item.setToolTip(str(path))
        if refused:
            self.show_error_message("\n".join(refused))
        self.remove_file_button.setEnabled(bool(self.attachments))

    def complaint_input(self) -> ComplaintInput:
        customer = self.picker.customer
        return ComplaintInput(
            customer_id=customer.id if customer else 0,
            channel=self.channel_combo.currentData(),
            description=self.description_edit.toPlainText(),
            classification=self.class_combo.currentData(),
            severity=self.severity_combo.currentData(),
            customer_request=self.request_edit.toPlainText(),
            safety_hazard=self.safety_check.isChecked(),
            product_id=self.product_combo.currentData(),
            product_model=self.model_edit.text(),
            serial_number=self.serial_edit.text(),
            purchase_date=date_of(self.purchase_edit),
            invoice_number=self.invoice_edit.text().strip(),
            attachments=tuple(self.attachments),
            received_at=self._received_at(),
        )

    # --- slots ---------------------------------------------------------------------------------------------

    def on_picker_customer_chosen(self, record: CustomerRecord | None) -> None:
        self._fill_products(record)
        self.update_state()
        (self.product_combo if self.product_combo.count() > 1 else self.channel_combo).setFocus()

    def on_product_combo_current_index_changed(self, _index: int) -> None:
        product_id = self.product_combo.currentData()
        customer = self.picker.customer
        product = next((p for p in customer.products if p.id == product_id), None) if customer else None
        # A unit on file brings its model and serial (the service copies them from the file); a unit that is
        # not on file is typed in.
        for edit in (self.model_edit, self.serial_edit):
            edit.setReadOnly(product is not None)
        self.model_edit.setText(product.model if product else "")
        self.serial_edit.setText(product.serial_number if product else "")
        set_date(self.purchase_edit, product.purchase_date if product else None)
        self.invoice_edit.setText(product.invoice_number if product else "")

    def on_add_files_button_clicked(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("Attach photos, scans or letters"), "",
                                                attachment_filter())
        if names:
            self.add_attachments([Path(name) for name in names])

    def on_remove_file_button_clicked(self) -> None:
        row = self.attachment_list.currentRow()
        if row < 0 and self.attachments:
            row = len(self.attachments) - 1
        if row >= 0:
            self.attachment_list.takeItem(row)
            del self.attachments[row]
        self.remove_file_button.setEnabled(bool(self.attachments))

    def on_save_button_clicked(self) -> None:
        problems = self.problems()
        if problems:
            widget, text = problems[0]
            self.show_error_message(text)
            widget.setFocus()
            return
        try:
            self.saved = complaints.register_complaint(self._db, self._actor, branch_code=self._settings.branch_code,
                                                       data=self.complaint_input())
        except DomainError as exc:
            self.show_error_message(exc.message)
            self._field_widget(exc.field).setFocus()
            return
        self.accept()

    # --- helpers -------------------------------------------------------------------------------------------

    def _fill_products(self, record: CustomerRecord | None) -> None:
        self.product_combo.blockSignals(True)
        self.product_combo.clear()
        serial = self.picker.searched_serial()
        chosen = 0
        for product in record.products if record else ():
            if product.archived:
                continue
            bought = f" ({product.purchase_date:%Y-%m-%d})" if product.purchase_date else ""
            self.product_combo.addItem(f"{product.model} · {product.serial_number}{bought}", product.id)
            if serial and product.serial_number == serial:
                chosen = self.product_combo.count() - 1
        self.product_combo.addItem(self.tr("Not on file: type model and serial number"), None)
        self.product_combo.setCurrentIndex(chosen)
        self.product_combo.blockSignals(False)
        self.on_product_combo_current_index_changed(chosen)

    def _received_at(self) -> datetime | None:
        chosen = self.received_edit.dateTime()
        if abs(chosen.secsTo(self._opened_at)) < 60:  # left as it was: the service takes the moment of saving
            return None
        return chosen.toPython().astimezone()  # the local time typed, as an aware moment

    def _field_widget(self, field: str | None) -> QWidget:
        return {
            "customer": self.picker.search_edit,
            "product": self.product_combo,
            "description": self.description_edit,
            "severity": self.severity_combo,
            "attachments": self.add_files_button,
            "received_at": self.received_edit,
        }.get(field or "", self.description_edit)

    def _lay_out(self) -> None:
        who = QGroupBox(self.tr("Customer"), self)
        who_layout = QVBoxLayout(who)
        who_layout.addWidget(self.picker)
        unit = QGroupBox(self.tr("Unit"), self)
        unit_form = QFormLayout(unit)
        unit_form.addRow(self.tr("&Unit:"), self.product_combo)
        unit_form.addRow(self.tr("&Model:"), self.model_edit)
        unit_form.addRow(self.tr("Serial n&o.:"), self.serial_edit)
        unit_form.addRow(self.tr("&Purchased:"), self.purchase_edit)
        unit_form.addRow(self.tr("&Invoice no.:"), self.invoice_edit)
        left = QVBoxLayout()
        left.addWidget(who, 1)
        left.addWidget(unit)

        what = QGroupBox(self.tr("Complaint"), self)
        form = QFormLayout(what)
        form.addRow(self.tr("C&hannel:"), self.channel_combo)
        form.addRow(self.tr("Recei&ved at:"), self.received_edit)
        form.addRow(self.tr("&Description:"), self.description_edit)
        form.addRow(self.tr("Customer &asks for:"), self.request_edit)
        form.addRow(self.tr("C&lass:"), self.class_combo)
        form.addRow(self.tr("S&everity:"), self.severity_combo)
        form.addRow("", self.safety_check)
        files = QHBoxLayout()
        files.addWidget(self.add_files_button)
        files.addWidget(self.remove_file_button)
        files.addStretch(1)
        form.addRow(self.tr("Attachments:"), files)
        form.addRow("", self.attachment_list)
        self.remove_file_button.setEnabled(False)

        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addWidget(what, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message_label, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addLayout(buttons)

    def _set_tab_order(self) -> None:
        chain = [
            *self.picker.tab_chain(), self.product_combo, self.model_edit, self.serial_edit, self.purchase_edit,
            self.invoice_edit, self.channel_combo, self.received_edit, self.description_edit, self.request_edit, self.class_combo,
            self.severity_combo, self.safety_check, self.add_files_button, self.remove_file_button,
            self.attachment_list, self.save_button, self.cancel_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
