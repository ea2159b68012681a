"""Recording one return visit (回访, domain.md §5): whom to call and about what at the top, then channel,
satisfaction 1–5, comments and whether it needs following up.

A score of 2 or less opens a complaint about the order in the same transaction (services/return_visits.py);
the form says so before saving, asks for what the customer is dissatisfied with, and after saving shows
the complaint's number in the dialog itself, with a button to open it. "Follow-up needed" at a better score
opens one too: the complaint is where that work is tracked, with an owner and a deadline.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.db.uow import Actor, Database
from desktop.domain.errors import ConcurrentEdit, DomainError
from desktop.domain.service_orders import VisitChannel
from desktop.services import return_visits
from desktop.services.return_visits import DISSATISFIED
from desktop.services.visit_list import VisitDetail, due_text, local_today, visit_kind_label
from desktop.views.common import ERROR_STYLE, HINT_STYLE

WARNING_STYLE = "color: #8a5300; font-weight: bold;"  # what will happen on saving
DONE_STYLE = "background: #fff4e5; border: 1px solid #e0a040; border-radius: 4px; padding: 10px;"


def score_label(score: int) -> str:
    return {
        1: QCoreApplication.translate("VisitDialog", "Very dissatisfied"),
        2: QCoreApplication.translate("VisitDialog", "Dissatisfied"),
        3: QCoreApplication.translate("VisitDialog", "Neutral"),
        4: QCoreApplication.translate("VisitDialog", "Satisfied"),
        5: QCoreApplication.translate("VisitDialog", "Very satisfied"),
    }[score]


def channel_label(channel: VisitChannel) -> str:
    return {
        VisitChannel.PHONE: QCoreApplication.translate("VisitDialog", "Phone"),
        VisitChannel.LETTER: QCoreApplication.translate("VisitDialog", "Letter"),
        VisitChannel.EMAIL: QCoreApplication.translate("VisitDialog", "Email"),
        VisitChannel.ON_SITE: QCoreApplication.translate("VisitDialog", "On site"),
    }[VisitChannel(channel)]


class VisitDialog(QDialog):
    """`complaint_number` holds the complaint the visit opened (else ""); `recorded` says the visit was saved.
    `sig_complaint_requested(number)`: the user wants to see that complaint."""

    sig_complaint_requested = Signal(str)

    def __init__(self, db: Database, actor: Actor, detail: VisitDetail, *, branch_code: str,
                 today: date | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.detail = detail
        self._branch_code = branch_code
        self.recorded = False
        self.conflict = False  # somebody else recorded or changed the visit meanwhile: the list reads again
        self.complaint_number = ""
        self._follow_up_chosen = False
        today = today or local_today()
        self.setWindowTitle(self.tr("Return visit — {customer}").format(customer=detail.customer_name))

        # --- whom to call, about what ---
        overdue = detail.due_on < today
        self.due_label = QLabel(self.tr("{kind} · due {date} ({when})").format(
            kind=visit_kind_label(detail.kind), date=detail.due_on.isoformat(), when=due_text(detail.due_on, today)),
            self)
        self.due_label.setStyleSheet(ERROR_STYLE if overdue else HINT_STYLE)
        about = QFormLayout()
        about.addRow(self.tr("Customer:"), QLabel(detail.customer_name, self))
        contact = " · ".join(p for p in (detail.contact_name, "  /  ".join(detail.phones)) if p)
        self.contact_label = QLabel(contact or self.tr("no phone number on file"), self)
        self.contact_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        about.addRow(self.tr("Call:"), self.contact_label)
        if detail.order_number:
            self.order_label = QLabel(f"{detail.order_number} · {detail.order_summary}", self, wordWrap=True)
            about.addRow(self.tr("Order:"), self.order_label)
        if detail.complaint_number:
            about.addRow(self.tr("Complaint:"), QLabel(detail.complaint_number, self))
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)

        # --- the answer ---
        self.channel_combo = QComboBox(self)
        for channel in VisitChannel:
            self.channel_combo.addItem(channel_label(channel), channel.value)
        self.score_group = QButtonGroup(self)
        scores = QHBoxLayout()
        for score in range(1, 6):
            # &1 … &5: Alt+digit chooses a score from anywhere in the form.
            button = QRadioButton(f"&{score} {score_label(score)}", self)
            self.score_group.addButton(button, score)
            scores.addWidget(button)
        scores.addStretch(1)
        self.comments_edit = QPlainTextEdit(self)
        self.comments_edit.setTabChangesFocus(True)
        self.comments_edit.setPlaceholderText(self.tr("What the customer said"))
        self.comments_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self.follow_up_check = QCheckBox(self.tr("&Follow-up needed"), self)
        self.follow_up_check.setToolTip(self.tr("Opens a complaint about this visit so that somebody owns the "
                                                "follow-up and works against a deadline."))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        channel_caption = QLabel(self.tr("C&hannel:"), self)
        channel_caption.setBuddy(self.channel_combo)
        form.addRow(channel_caption, self.channel_combo)
        form.addRow(self.tr("Satisfaction:"), scores)
        comments_caption = QLabel(self.tr("Co&mments:"), self)
        comments_caption.setBuddy(self.comments_edit)
        form.addRow(comments_caption, self.comments_edit)
        form.addRow("", self.follow_up_check)
        self.warning_label = QLabel(self, wordWrap=True)
        self.warning_label.setStyleSheet(WARNING_STYLE)
        self.hint_label = QLabel(self, wordWrap=True)
        self.hint_label.setStyleSheet(HINT_STYLE)
        self.error_label = QLabel(self, wordWrap=True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()

        # --- after saving, when a complaint was opened ---
        self.done_label = QLabel(self, wordWrap=True)
        self.done_label.setStyleSheet(DONE_STYLE)
        self.done_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.done_label.hide()
        self.open_complaint_button = QPushButton(self.tr("&Open the complaint"), self)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.save_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("&Save visit"))
        self.save_button.setToolTip(self.tr("Enter; Ctrl+Enter in the comments"))
        self.save_button.setDefault(True)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.hide()
        self.buttons.addButton(self.open_complaint_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_complaint_button.hide()  # after addButton, which shows what it adds

        layout = QVBoxLayout(self)
        layout.addWidget(self.due_label)
        layout.addLayout(about)
        layout.addWidget(line)
        layout.addLayout(form)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.done_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        for keys in (Qt.Modifier.CTRL | Qt.Key.Key_Return, Qt.Modifier.CTRL | Qt.Key.Key_Enter):
            QShortcut(QKeySequence(keys), self, self.on_save_button_clicked)
        self.save_button.clicked.connect(self.on_save_button_clicked)
        self.close_button.clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.open_complaint_button.clicked.connect(self.on_open_complaint_button_clicked)
        self.score_group.idToggled.connect(self.on_score_group_id_toggled)
        self.comments_edit.textChanged.connect(self.update_state)
        self.follow_up_check.toggled.connect(self.update_state)
        self.follow_up_check.clicked.connect(self.on_follow_up_check_clicked)
        self.update_state()
        self.channel_combo.setFocus()
        self.resize(720, self.sizeHint().height())

    # --- our API -------------------------------------------------------------------------------------------

    def score(self) -> int:
        return max(self.score_group.checkedId(), 0)

    def set_score(self, score: int) -> None:
        self.score_group.button(score).setChecked(True)

    def opens_complaint(self) -> bool:
        score = self.score()
        return bool(score) and (score <= DISSATISFIED or self.follow_up_check.isChecked())

    def problem(self) -> str:
        """What keeps the visit from being saved, as typed so far; "" when it may be saved."""
        if not self.score():
            return self.tr("Choose how satisfied the customer is (Alt+1 … Alt+5).")
        if self.opens_complaint() and not self.comments_edit.toPlainText().strip():
            if self.score() <= DISSATISFIED:
                return self.tr("Write down what the customer is dissatisfied with.")
            return self.tr("Write down what needs following up.")
        return ""

    def update_state(self, *_args) -> None:
        dissatisfied = 0 < self.score() <= DISSATISFIED
        if dissatisfied and not self.follow_up_check.isChecked():
            self.follow_up_check.setChecked(True)  # toggles back into this method
            return
        # A dissatisfied answer always needs following up; the box only shows that.
        self.follow_up_check.setEnabled(not dissatisfied)
        if self.opens_complaint():
            about = (self.tr("order {number}").format(number=self.detail.order_number) if self.detail.order_number
                     else self.tr("this customer"))
            self.warning_label.setText(self.tr("Saving opens a complaint about {about}, owned by you.").format(
                about=about))
        self.warning_label.setVisible(self.opens_complaint())
        problem = self.problem()
        self.hint_label.setText(problem)
        self.hint_label.setVisible(bool(problem))
        self.save_button.setEnabled(not problem)
        self._fit_height()

    # --- slots ---------------------------------------------------------------------------------------------

    def on_score_group_id_toggled(self, score: int, checked: bool) -> None:
        if not checked:
            return
        if score > DISSATISFIED and not self.follow_up_check.isEnabled():
            # Leaving a dissatisfied score: the box was ticked by the rule; back to what the user had chosen.
            self.follow_up_check.setChecked(self._follow_up_chosen)
        self.update_state()

    def on_follow_up_check_clicked(self, checked: bool) -> None:
        self._follow_up_chosen = checked  # clicked: only the user's own ticks, never the rule's setChecked

    def on_save_button_clicked(self) -> None:
        if self.recorded or self.problem():
            return
        try:
            number = return_visits.record_visit(
                self._db, self._actor, visit_id=self.detail.id, version=self.detail.version,
                channel=VisitChannel(self.channel_combo.currentData()), score=self.score(),
                comments=self.comments_edit.toPlainText(), follow_up=self.follow_up_check.isChecked(),
                branch_code=self._branch_code)
        except ConcurrentEdit as exc:
            self.conflict = True
            self._show_error(exc.message)
            self.save_button.setEnabled(False)
            return
        except DomainError as exc:
            self._show_error(exc.message)
            return
        self.recorded = True
        self.complaint_number = number or ""
        if not number:
            self.accept()
            return
        self._show_complaint(number)

    def on_open_complaint_button_clicked(self) -> None:
        self.sig_complaint_requested.emit(self.complaint_number)
        self.accept()

    # --- helpers -------------------------------------------------------------------------------------------

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def _show_complaint(self, number: str) -> None:
        """The visit is saved and opened a complaint: say which, in the dialog, before it closes."""
        for widget in (self.channel_combo, self.comments_edit, self.follow_up_check, *self.score_group.buttons()):
            widget.setEnabled(False)
        self.warning_label.hide()
        self.hint_label.hide()
        self.error_label.hide()
        self.done_label.setText(self.tr("Visit saved. Complaint {number} was opened, with you as its owner.")
                                .format(number=number))
        self.done_label.show()
        self.save_button.hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).hide()
        self.close_button.show()
        self.close_button.setDefault(True)
        self.open_complaint_button.show()
        self.close_button.setFocus()
        self._fit_height()

    def _fit_height(self) -> None:
        # Messages come and go under the fields: grow rather than squeeze the fields together.
        self.layout().activate()
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))
