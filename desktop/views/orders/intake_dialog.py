"""Intake of a service request at the front desk (domain.md §4), with the 三包 proposal (§6) and the
read-back before saving.

Step 1, the form. Left: who calls (find or create the customer) and which of their units; as soon as the
unit is chosen, the coverage its service file gives (the rule and the dates that decided it) and the
decision, which starts as the proposal: a different decision needs a reason, and the proposal, the rule, the
decision and the reason are all kept. Right: contact and phone (the customer's, unless someone else called),
project or contract, what is asked, category, urgency, when the customer expects it done, special requests.
The form says what is still missing while the user types; Ctrl+Enter (or Enter outside a text box) goes on.

Step 2, the read-back: exactly what will be saved, to read to the customer. Enter saves, Esc goes back to
the form (Esc on the form cancels). A refusal of the service goes back to the form with everything typed.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from itertools import pairwise

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.config import Settings
from desktop.db.uow import Actor, Database
from desktop.domain.errors import DomainError
from desktop.domain.sanbao import Coverage, Entitlement
from desktop.domain.service_orders import OrderCategory, Urgency, category_label, coverage_label, urgency_label
from desktop.services import service_orders
from desktop.services.customers import CustomerRecord, ProductRecord
from desktop.services.service_orders import OrderInput, OrderRecord
from desktop.views.common import ERROR_STYLE, HINT_STYLE
from desktop.views.complaints.customer_picker import CustomerPicker
from desktop.views.complaints.widgets import fill_combo, moment_text, select_data, text_box

FORM, READ_BACK = 0, 1
REQUIRED = " *"  # marks a field that must be filled in
DIFFERENT_STYLE = "color: #8a5a00; font-weight: bold;"  # a decision other than the proposal stands out


class IntakeDialog(QDialog):
    def __init__(self, db: Database, actor: Actor, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._settings = settings
        self.saved: OrderRecord | None = None
        self.proposal: Entitlement | None = None
        self.setWindowTitle(self.tr("New service request"))

        # --- the form ---
        self.picker = CustomerPicker(db, actor, self)
        self.product_combo = QComboBox(self)
        self.unit_label = QLabel(self, wordWrap=True)
        self.unit_label.setStyleSheet(HINT_STYLE)

        self.proposal_label = QLabel(self, wordWrap=True)
        self.proposal_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.decision_combo = QComboBox(self)
        fill_combo(self.decision_combo, Coverage, coverage_label)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setPlaceholderText(self.tr("Why the decision differs from the proposal"))
        self.decision_hint = QLabel(self, wordWrap=True)

        self.contact_edit = QLineEdit(self)
        self.phone_edit = QLineEdit(self)
        self.project_edit = QLineEdit(self)
        self.project_edit.setPlaceholderText(self.tr("Project name or contract number"))
        self.request_edit = text_box(self, lines=6,
                                     placeholder=self.tr("Fault symptom, maintenance need or question, in the "
                                                         "customer's words"))
        self.category_combo = QComboBox(self)
        fill_combo(self.category_combo, OrderCategory, category_label)
        select_data(self.category_combo, OrderCategory.TROUBLESHOOTING)
        self.urgency_combo = QComboBox(self)
        fill_combo(self.urgency_combo, Urgency, urgency_label)
        self.expected_check = QCheckBox(self.tr("Customer e&xpects it by:"), self)
        self.expected_edit = QDateTimeEdit(QDateTime.currentDateTime().addDays(1), self, calendarPopup=True)
        self.expected_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.expected_edit.setEnabled(False)
        self.special_edit = text_box(self, lines=3, placeholder=self.tr("Access, working hours, safety rules …"))

        self.message_label = QLabel(self, wordWrap=True)
        self.read_back_button = QPushButton(self.tr("&Read back…"), self)
        self.read_back_button.setToolTip(self.tr("Ctrl+Enter"))
        self.cancel_button = QPushButton(self.tr("Cancel"), self, autoDefault=False)
        self.cancel_button.setToolTip(self.tr("Esc"))

        # --- the read-back ---
        self.summary = QTextBrowser(self)
        self.summary.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Enter belongs to Save
        self.summary.setOpenLinks(False)
        larger = self.summary.font()
        larger.setPointSizeF(larger.pointSizeF() * 1.2)  # read aloud, maybe with the phone at the ear
        self.summary.setFont(larger)
        self.back_button = QPushButton(self.tr("&Back"), self, autoDefault=False)
        self.back_button.setToolTip(self.tr("Esc"))
        self.save_button = QPushButton(self.tr("&Save"), self)
        self.save_button.setToolTip(self.tr("Enter"))
        self.read_back_hint = QLabel(self.tr("Read this to the customer. Enter saves it and gives the order its "
                                             "number; Esc goes back to change it."), self, wordWrap=True)
        self.read_back_hint.setStyleSheet(HINT_STYLE)

        self.stack = QStackedWidget(self)
        self._lay_out()
        self._set_tab_order()
        for keys in (Qt.Modifier.CTRL | Qt.Key.Key_Return, Qt.Modifier.CTRL | Qt.Key.Key_Enter):
            QShortcut(QKeySequence(keys), self, self.on_ctrl_enter)

        self.picker.sig_customer_chosen.connect(self.on_picker_customer_chosen)
        self.picker.sig_problem.connect(self.show_error_message)
        self.product_combo.currentIndexChanged.connect(self.on_product_combo_current_index_changed)
        self.decision_combo.currentIndexChanged.connect(self.update_state)
        self.category_combo.currentIndexChanged.connect(self.on_category_combo_current_index_changed)
        self.expected_check.toggled.connect(self.expected_edit.setEnabled)
        for signal in (self.reason_edit.textChanged, self.phone_edit.textChanged, self.request_edit.textChanged,
                       self.expected_check.toggled, self.expected_edit.dateTimeChanged):
            signal.connect(self.update_state)
        self.read_back_button.clicked.connect(self.on_read_back_button_clicked)
        self.cancel_button.clicked.connect(self.reject)
        self.back_button.clicked.connect(self.on_back_button_clicked)
        self.save_button.clicked.connect(self.on_save_button_clicked)

        self._fill_products(None)
        self.update_state()
        self.resize(1180, 690)
        self.picker.search_edit.setFocus()

    # --- our API -------------------------------------------------------------------------------------------

    def customer(self) -> CustomerRecord | None:
        return self.picker.customer

    def product(self) -> ProductRecord | None:
        customer, product_id = self.picker.customer, self.product_combo.currentData()
        return next((p for p in customer.products if p.id == product_id), None) if customer else None

    def decision(self) -> Coverage:
        return Coverage(self.decision_combo.currentData())

    def differs(self) -> bool:
        return self.proposal is not None and self.decision() != self.proposal.coverage

    def problems(self) -> list[tuple[QWidget, str]]:
        """What must still be filled in before the read-back, with the field to go to."""
        found = []
        customer = self.picker.customer
        if customer is None:
            found.append((self.picker.search_edit, self.tr("Find the customer (phone, name or serial number) or "
                                                           "create a new one.")))
        if not self.request_edit.toPlainText().strip():
            found.append((self.request_edit, self.tr("Write what the customer asks for.")))
        if customer is not None and not self.phone_edit.text().strip() and not customer.phone:
            found.append((self.phone_edit, self.tr("Enter a phone number to reach the contact: the customer has "
                                                   "none on file.")))
        if self.differs() and not self.reason_edit.text().strip():
            found.append((self.reason_edit, self.tr("Say why the decision differs from the proposal.")))
        if self.expected_check.isChecked() and self.expected_edit.dateTime() <= QDateTime.currentDateTime():
            found.append((self.expected_edit, self.tr("The time the customer expects it by has passed.")))
        return found

    def order_input(self) -> OrderInput:
        customer = self.picker.customer
        return OrderInput(
            customer_id=customer.id if customer else 0,
            request=self.request_edit.toPlainText(),
            category=OrderCategory(self.category_combo.currentData()),
            urgency=Urgency(self.urgency_combo.currentData()),
            product_id=self.product_combo.currentData(),
            contact_name=self.contact_edit.text().strip(),
            contact_phone=self.phone_edit.text().strip(),
            project=self.project_edit.text().strip(),
            special_requests=self.special_edit.toPlainText(),
            expected_by=self._expected_by(),
        )

    def read_back_html(self) -> str:
        """What will be saved, as read to the customer: the values the service will store."""
        data, customer, product = self.order_input(), self.picker.customer, self.product()
        e = escape
        rows = [
            (self.tr("Customer"), customer.name if customer else ""),
            (self.tr("Contact"), data.contact_name or (customer.contact_person or customer.name if customer else "")),
            (self.tr("Phone"), data.contact_phone or (customer.phone if customer else "")),
            (self.tr("Project / contract"), data.project or "—"),
            (self.tr("Unit"), f"{product.model} · {product.serial_number}" if product else self.tr("none on file")),
            (self.tr("Category"), category_label(data.category)),
            (self.tr("Urgency"), urgency_label(data.urgency)),
            (self.tr("Expected by"), moment_text(data.expected_by) if data.expected_by else "—"),
        ]
        table = "".join(f"<tr><td style='padding-right:16px;color:gray'>{e(k)}</td><td><b>{e(v)}</b></td></tr>"
                        for k, v in rows)
        title = {"coverage": self.tr("Coverage"), "proposed": self.tr("Proposed"),
                 "reason": self.tr("Reason for the decision"), "request": self.tr("Service request"),
                 "asked": self.tr("What is asked"), "special": self.tr("Special requests")}
        colon = self.tr("{label}:")  # Chinese puts a full-width colon after a label
        coverage = (f"<p><b>{e(colon.format(label=title['coverage']))}</b> {e(coverage_label(self.decision()))}"
                    + (f"<br><span style='color:gray'>{e(colon.format(label=title['proposed']))} "
                       f"{e(coverage_label(self.proposal.coverage))} — {e(self.proposal.rule)}</span>"
                       if self.proposal else "")
                    + (f"<br>{e(colon.format(label=title['reason']))} {e(self.reason_edit.text().strip())}"
                       if self.differs() else "") + "</p>")
        special = data.special_requests.strip()
        return (f"<h3>{e(title['request'])}</h3><table>{table}</table>"
                f"<p><b>{e(colon.format(label=title['asked']))}</b><br>{e(data.request.strip()).replace(chr(10), '<br>')}</p>"
                + (f"<p><b>{e(colon.format(label=title['special']))}</b><br>{e(special).replace(chr(10), '<br>')}</p>"
                   if special else "")
                + coverage)

    def update_state(self, *_args) -> None:
        different = self.differs()
        self.reason_edit.setEnabled(different)
        if different:
            self.decision_hint.setText(self.tr("Differs from the proposal: both are recorded, with your reason."))
            self.decision_hint.setStyleSheet(DIFFERENT_STYLE)
        else:
            self.decision_hint.setText(self.tr("The proposal is the decision unless you choose otherwise."))
            self.decision_hint.setStyleSheet(HINT_STYLE)
        problems = self.problems()
        self.read_back_button.setEnabled(not problems)
        self.message_label.setStyleSheet(HINT_STYLE)
        self.message_label.setText(problems[0][1] if problems else
                                   self.tr("Ready: Ctrl+Enter shows the read-back for the customer."))

    def show_error_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(ERROR_STYLE)

    def show_read_back(self) -> bool:
        """Go to the read-back, or to the first thing missing."""
        problems = self.problems()
        if problems:
            widget, text = problems[0]
            self.show_error_message(text)
            widget.setFocus()
            return False
        self.summary.setHtml(self.read_back_html())
        self.stack.setCurrentIndex(READ_BACK)
        self.save_button.setDefault(True)
        self.save_button.setFocus()
        return True

    def show_form(self) -> None:
        self.stack.setCurrentIndex(FORM)
        self.read_back_button.setDefault(True)
        self.read_back_button.setFocus()

    # --- Qt overrides --------------------------------------------------------------------------------------

    def reject(self) -> None:
        """Esc, Cancel or the window's close: a request half taken during a call is not thrown away unasked."""
        started = self.picker.customer is not None or self.request_edit.toPlainText().strip()
        if started and self.saved is None and QMessageBox.question(
                self, self.windowTitle(), self.tr("Discard this service request? What was entered is lost."),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel) != QMessageBox.StandardButton.Discard:
            return
        super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.stack.currentIndex() == READ_BACK:
            self.show_form()  # Esc on the read-back: back to the form, nothing lost
            return
        super().keyPressEvent(event)

    # --- slots ---------------------------------------------------------------------------------------------

    def on_ctrl_enter(self) -> None:
        if self.stack.currentIndex() == FORM:
            self.show_read_back()
        else:
            self.on_save_button_clicked()

    def on_read_back_button_clicked(self) -> None:
        self.show_read_back()

    def on_back_button_clicked(self) -> None:
        self.show_form()

    def on_save_button_clicked(self) -> None:
        if self.stack.currentIndex() != READ_BACK:
            return
        try:
            self.saved = service_orders.register_order(
                self._db, self._actor, branch_code=self._settings.branch_code, data=self.order_input(),
                coverage=self.decision(), decision_note=self.reason_edit.text().strip() if self.differs() else "")
        except DomainError as exc:
            self.show_form()
            self.show_error_message(exc.message)
            self._field_widget(exc.field).setFocus()
            return
        self.accept()

    def on_picker_customer_chosen(self, record: CustomerRecord | None) -> None:
        # The customer's own contact and phone unless the operator typed someone else's; a masked record
        # (no right to see them) leaves them to the service, which takes them from the file.
        full = record is not None and not record.masked
        self.contact_edit.setText((record.contact_person or record.name) if full else "")
        self.phone_edit.setText(record.phone if full else "")
        placeholder = self.tr("As on file") if record is not None and record.masked else ""
        self.contact_edit.setPlaceholderText(placeholder)
        self.phone_edit.setPlaceholderText(placeholder)
        self._fill_products(record)
        self.update_state()
        (self.product_combo if self.product_combo.count() > 1 else self.request_edit).setFocus()

    def on_product_combo_current_index_changed(self, _index: int) -> None:
        product = self.product()
        if product is None:
            self.unit_label.setText(self.tr("No unit: a question, or a unit not on file yet."))
        else:
            facts = [(self.tr("invoice"), product.invoice_date or product.purchase_date),
                     (self.tr("installed"), product.install_date), (self.tr("warranty end"), product.warranty_end)]
            known = [f"{label} {moment_text(day)}" for label, day in facts if day]
            if product.contract_number:
                known.append(self.tr("contract {number}").format(number=product.contract_number))
            self.unit_label.setText(" · ".join(known) or self.tr("No dates on file for this unit."))
            if product.contract_number and not self.project_edit.text().strip():
                self.project_edit.setText(product.contract_number)
        self._propose(product)
        self.update_state()

    def on_category_combo_current_index_changed(self, _index: int) -> None:
        # An emergency repair is urgent by its nature; the operator may still lower it.
        if self.category_combo.currentData() == OrderCategory.EMERGENCY_REPAIR:
            select_data(self.urgency_combo, Urgency.EMERGENCY)

    # --- helpers -------------------------------------------------------------------------------------------

    def _propose(self, product: ProductRecord | None) -> None:
        """Ask the 三包 rules about the unit; the decision starts as the proposal (again, for a new unit)."""
        self.proposal = None
        if self.picker.customer is None:
            self.proposal_label.setText(self.tr("Choose the customer and the unit: the coverage their service file "
                                                "gives is shown here."))
            self.proposal_label.setStyleSheet(HINT_STYLE)
            return
        try:
            self.proposal = service_orders.propose_coverage(self._db, self._actor,
                                                            product_id=product.id if product else None)
        except DomainError as exc:
            self.proposal_label.setText(exc.message)
            self.proposal_label.setStyleSheet(ERROR_STYLE)
            return
        p = self.proposal
        until = (self.tr("<br>Period ends {day}.").format(day=moment_text(p.period_end)) if p.period_end else "")
        self.proposal_label.setText(f"<b>{escape(coverage_label(p.coverage))}</b><br>{escape(p.rule)}{until}")
        self.proposal_label.setStyleSheet("")
        self.decision_combo.blockSignals(True)
        select_data(self.decision_combo, p.coverage)
        self.decision_combo.blockSignals(False)
        self.reason_edit.clear()

    def _fill_products(self, record: CustomerRecord | None) -> None:
        self.product_combo.blockSignals(True)
        self.product_combo.clear()
        serial = self.picker.searched_serial()
        chosen = 0
        for product in record.products if record else ():
            if product.archived:
                continue
            self.product_combo.addItem(f"{product.model} · {product.serial_number}", product.id)
            if serial and product.serial_number == serial:
                chosen = self.product_combo.count() - 1
        self.product_combo.addItem(self.tr("No unit (a question, or not on file)"), None)
        self.product_combo.setCurrentIndex(chosen)
        self.product_combo.blockSignals(False)
        self.on_product_combo_current_index_changed(chosen)

    def _expected_by(self) -> datetime | None:
        if not self.expected_check.isChecked():
            return None
        return self.expected_edit.dateTime().toPython().astimezone()  # the local time typed, as a moment

    def _field_widget(self, field: str | None) -> QWidget:
        return {
            "customer": self.picker.search_edit,
            "product": self.product_combo,
            "request": self.request_edit,
            "contact_phone": self.phone_edit,
        }.get(field or "", self.request_edit)

    def _lay_out(self) -> None:
        who = QGroupBox(self.tr("Customer") + REQUIRED, self)
        QVBoxLayout(who).addWidget(self.picker)
        unit = QGroupBox(self.tr("Unit"), self)
        unit_form = QFormLayout(unit)
        unit_form.addRow(self.tr("&Unit:"), self.product_combo)
        unit_form.addRow("", self.unit_label)
        cover = QGroupBox(self.tr("Coverage (三包)"), self)
        cover_form = QFormLayout(cover)
        cover_form.addRow(self.tr("Proposal:"), self.proposal_label)
        cover_form.addRow(self.tr("&Decision:") + REQUIRED, self.decision_combo)
        cover_form.addRow(self.tr("Rea&son:"), self.reason_edit)
        cover_form.addRow("", self.decision_hint)
        left = QVBoxLayout()
        left.addWidget(who, 1)
        left.addWidget(unit)
        left.addWidget(cover)

        what = QGroupBox(self.tr("Request"), self)
        form = QFormLayout(what)
        form.addRow(self.tr("C&ontact:"), self.contact_edit)
        form.addRow(self.tr("&Phone:"), self.phone_edit)
        form.addRow(self.tr("Pro&ject / contract:"), self.project_edit)
        form.addRow(self.tr("&What is asked:") + REQUIRED, self.request_edit)
        form.addRow(self.tr("Ca&tegory:") + REQUIRED, self.category_combo)
        form.addRow(self.tr("Ur&gency:") + REQUIRED, self.urgency_combo)
        form.addRow(self.expected_check, self.expected_edit)
        form.addRow(self.tr("Spe&cial requests:"), self.special_edit)
        right = QVBoxLayout()
        right.addWidget(what)
        right.addStretch(1)

        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message_label, 1)
        buttons.addWidget(self.read_back_button)
        buttons.addWidget(self.cancel_button)
        form_page = QWidget(self)
        form_layout = QVBoxLayout(form_page)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addLayout(columns, 1)
        form_layout.addLayout(buttons)

        back_page = QWidget(self)
        back_layout = QVBoxLayout(back_page)
        back_layout.setContentsMargins(0, 0, 0, 0)
        back_layout.addWidget(self.read_back_hint)
        back_layout.addWidget(self.summary, 1)
        back_buttons = QHBoxLayout()
        back_buttons.addStretch(1)
        back_buttons.addWidget(self.back_button)
        back_buttons.addWidget(self.save_button)
        back_layout.addLayout(back_buttons)

        self.stack.addWidget(form_page)
        self.stack.addWidget(back_page)
        self.read_back_button.setDefault(True)  # Enter outside a text box goes on to the read-back
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)

    def _set_tab_order(self) -> None:
        chain = [
            *self.picker.tab_chain(), self.product_combo, self.decision_combo, self.reason_edit,
            self.contact_edit, self.phone_edit, self.project_edit, self.request_edit, self.category_combo,
            self.urgency_combo, self.expected_check, self.expected_edit, self.special_edit,
            self.read_back_button, self.cancel_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
