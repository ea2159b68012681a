"""Signing on screen: the slip's content the signer accepts — work done, parts, fees, the total in figures and
in capital numerals (大写) — the signer's name, and the pad. The service stores the strokes, the image and a
hash of exactly that content; the customer's signature makes the order signed, so nothing on it changes
afterwards (a correction is a new revision that is signed again).

The name starts as the order's contact (customer) or its engineer; the Sign button waits for a name and
some ink.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QLineEdit, QPushButton, QTextBrowser, QWidget

from desktop.db.uow import Actor, Database
from desktop.domain.amounts import amount_in_words, format_yuan
from desktop.domain.service_orders import coverage_label, old_part_label
from desktop.services import service_orders
from desktop.services.service_orders import OrderRecord
from desktop.views.complaints.widgets import moment_text
from desktop.views.orders.parts_dialog import quantity_text
from desktop.views.orders.step_dialog import OrderStepDialog, revision_text
from desktop.views.widgets.signature_pad import SignaturePad

SIGNER_ROLES = ("customer", "engineer")


class SignDialog(OrderStepDialog):
    def __init__(self, db: Database, actor: Actor, record: OrderRecord, signer_role: str,
                 parent: QWidget | None = None):
        if signer_role not in SIGNER_ROLES:
            raise ValueError(f"unknown signer {signer_role!r}")
        self.signer_role = signer_role
        title = self.tr("Customer signs") if signer_role == "customer" else self.tr("Engineer signs")
        super().__init__(db, actor, record, title=title, ok_text=self.tr("&Sign"), parent=parent)
        self.summary = QTextBrowser(self)
        self.summary.setOpenLinks(False)
        self.summary.setHtml(self.summary_html())
        self.summary.setMinimumHeight(self.fontMetrics().lineSpacing() * 8)
        self.form.addRow(self.summary)
        # The total and what signing means stay in sight, however long the work done is.
        self.total_label = QLabel(self.tr("Total: {figures}   {words}").format(
            figures=format_yuan(record.total), words=amount_in_words(record.total)), self)
        total_font = QFont(self.font())
        total_font.setPointSizeF(total_font.pointSizeF() * 1.25)
        total_font.setBold(True)
        self.total_label.setFont(total_font)
        self.total_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.addRow(self.total_label)
        self.statement_label = QLabel(self.statement(), self, wordWrap=True)
        self.form.addRow(self.statement_label)
        self.name_edit = QLineEdit(record.contact_name if signer_role == "customer" else record.engineer, self)
        self.form.addRow(self.tr("Signer's name:"), self.name_edit)
        self.pad = SignaturePad(self)
        self.pad.setMinimumHeight(190)
        self.pad.setMaximumHeight(260)
        self.form.addRow(self.pad)
        self.clear_button = QPushButton(self.tr("C&lear"), self, autoDefault=False)
        self.clear_button.setShortcut(QKeySequence.StandardKey.Delete)
        self.clear_button.setToolTip(self.tr("Clear the pad (Del)"))
        self.buttons.addButton(self.clear_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.fields.update({"signer_name": self.name_edit, "signature": self.pad})

        self.clear_button.clicked.connect(self.pad.clear)
        self.pad.sig_changed.connect(self.revalidate)
        self.name_edit.textChanged.connect(self.revalidate)
        self.revalidate()
        self.resize(760, 660)
        self.pad.setFocus()

    # --- our API -------------------------------------------------------------------------------------------

    def summary_html(self) -> str:
        """What is signed, as the slip says it: the same content the service hashes (the total apart)."""
        r = self.record
        rows = [
            (self.tr("Order"), f"{revision_text(r)} · {r.status_label}"),
            (self.tr("Customer"), r.customer_name),
            (self.tr("Unit"), " ".join(filter(None, (r.product_model, r.serial_number)))),
            (self.tr("Coverage"), coverage_label(r.coverage_decided)),
            (self.tr("Engineer"), f"{r.engineer} · {moment_text(r.arrived_at)} – {moment_text(r.finished_at)}"),
            (self.tr("Diagnosis"), r.diagnosis),
            (self.tr("Work done"), r.measures),
        ]
        rows += [(self.tr("Part"), f"{code} {name} × {quantity_text(q)} @ {format_yuan(price)} · {old_part_label(old)}")
                 for code, name, q, price, old in r.parts]
        rows += [
            (self.tr("Fees"), self.tr("labour {labour} · parts {parts} · other {other}").format(
                labour=format_yuan(r.labour_fee), parts=format_yuan(r.parts_total), other=format_yuan(r.other_fee))),
            (self.tr("Remaining issues"), r.remaining_issues or self.tr("none")),
            (self.tr("Advice"), r.advice),
        ]
        table = "".join(f"<tr><td style='color:gray; padding-right:8px' valign='top'>{escape(label)}</td>"
                        f"<td>{escape(value or '—')}</td></tr>" for label, value in rows)
        # Fees and parts amounts are in the rows; the total is in its own label below.
        return f"<table cellspacing='0'>{table}</table>"

    def statement(self) -> str:
        if self.signer_role == "customer":
            return self.tr("I confirm that the service above was done, the unit was checked and runs normally, and I "
                           "accept the work and the fees.")
        return self.tr("I confirm that I did the work above and checked the unit.")

    # --- the step ------------------------------------------------------------------------------------------

    def problems(self) -> list[str]:
        found = []
        if not self.name_edit.text().strip():
            found.append(self.tr("Enter the signer's name."))
        if self.pad.is_empty():
            found.append(self.tr("Sign on the pad with the mouse, a pen or a finger."))
        return found

    def perform(self) -> OrderRecord:
        return service_orders.sign(self._db, self._actor, order_id=self.record.id, signer_role=self.signer_role,
                                   signer_name=self.name_edit.text(), strokes=self.pad.strokes(),
                                   image_png=self.pad.to_png())
