"""One small form per step of the complaint workflow, with the fields that step needs.

The service decides: the form calls the step's function and, when the rules refuse (no cause before a
decision, a number that is no complaint …), shows the refusal under the fields and keeps what was typed.
When somebody else changed the complaint meanwhile, it says who and when and closes; the complaint's
window then reads the complaint again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.db.uow import Actor, Database
from desktop.domain.complaints import (
    Action,
    ComplaintClass,
    RecourseRoute,
    ResponseType,
    action_label,
    class_label,
    recourse_label,
    response_label,
)
from desktop.domain.errors import ConcurrentEdit, DomainError
from desktop.services import complaints
from desktop.services.attachments import check_file
from desktop.services.complaints import ComplaintRecord
from desktop.views.common import ERROR_STYLE, HINT_STYLE
from desktop.views.complaints.widgets import (
    attachment_filter,
    fill_combo,
    select_data,
    severity_label,
    text_box,
)


class StepDialog(QDialog):
    """The form of one workflow step for one complaint; `result` holds the complaint after the step."""

    def __init__(self, db: Database, actor: Actor, record: ComplaintRecord, action: Action,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.record = record
        self.action = action
        self.result: ComplaintRecord | None = None
        self.conflict = False  # the complaint changed meanwhile: the caller reads it again
        self.fields: dict[str, QWidget] = {}
        self.attachments: list[Path] = []
        self.setWindowTitle(self.tr("{action} — {number}").format(action=action_label(action), number=record.number))

        # The window title can be cut short: the complaint this step is for stays in sight.
        self.context_label = QLabel(f"{record.number} · {record.status_label} · {record.customer_name}", self)
        self.context_label.setStyleSheet(HINT_STYLE)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.error_label = QLabel(self, wordWrap=True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(action_label(action))
        self.ok_button.setToolTip(self.tr("Ctrl+Enter"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.context_label)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self._build()
        for keys in (Qt.Modifier.CTRL | Qt.Key.Key_Return, Qt.Modifier.CTRL | Qt.Key.Key_Enter):
            QShortcut(QKeySequence(keys), self, self.on_ok_button_clicked)
        self.buttons.accepted.connect(self.on_ok_button_clicked)
        self.buttons.rejected.connect(self.reject)
        self.resize(560, self.sizeHint().height())

    # --- our API -------------------------------------------------------------------------------------------

    def text(self, key: str) -> str:
        widget = self.fields[key]
        return widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()

    def routes_ticked(self) -> list[RecourseRoute]:
        return [route for route in RecourseRoute if self.fields[f"route:{route.value}"].isChecked()]

    def add_attachments(self, paths: list[Path]) -> None:
        for path in paths:
            try:
                check_file(path)
            except DomainError as exc:
                self._show_error(exc.message)
                continue
            if path not in self.attachments:
                self.attachments.append(path)
                self.fields["files"].addItem(path.name)

    # --- slots ---------------------------------------------------------------------------------------------

    def on_ok_button_clicked(self) -> None:
        try:
            self.result = self._perform()
        except ConcurrentEdit as exc:
            self.conflict = True
            QMessageBox.warning(self, self.tr("Changed meanwhile"), exc.message)
            self.reject()
        except DomainError as exc:
            self._show_error(exc.message)
            widget = self.fields.get(exc.field or "")
            (widget or next(iter(self.fields.values()), self.ok_button)).setFocus()
        else:
            self.accept()

    def on_add_files_button_clicked(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("Attach files"), "", attachment_filter())
        self.add_attachments([Path(name) for name in names])

    # --- the fields of each step ---------------------------------------------------------------------------

    def _build(self) -> None:
        r, a = self.record, self.action
        if a == Action.ACKNOWLEDGE:
            self._text("reply", self.tr("Reply:"), self.tr("What the customer was told, and when"))
        elif a == Action.ASSESS:
            self._text("assessment", self.tr("Assessment:"), self.tr("Initial assessment of the complaint"))
            self._combo("classification", self.tr("Class:"), ComplaintClass, class_label, r.classification)
            self._combo("severity", self.tr("Severity:"), (1, 2, 3, 4), severity_label, r.severity)
            self._check("safety_hazard", self.tr("Safety hazard"), r.safety_hazard)
        elif a == Action.REFUSE:
            self._text("reason", self.tr("Reason:"), self.tr("Why the complaint is not accepted (不受理)"))
        elif a == Action.RECORD_INVESTIGATION:
            self._text("cause", self.tr("Cause:"), self.tr("The cause that was found"), r.cause)
            self._line("responsible_department", self.tr("Department responsible:"), r.responsible_department)
            self._line("responsible_person", self.tr("Person responsible:"), r.responsible_person)
            self._text("contract_clause", self.tr("Contract clause:"), self.tr("For quality disputes"),
                       r.contract_clause, lines=2)
            self._text("inspection_verdict", self.tr("Inspection verdict:"),
                       self.tr("The inspection agency's verdict, if any"), r.inspection_verdict, lines=2)
        elif a == Action.DECIDE:
            self._combo("response_type", self.tr("Response:"), ResponseType, response_label, r.response_type)
            self._text("decision", self.tr("Decision:"), self.tr("How the complaint is handled"), r.decision)
        elif a == Action.CLOSE_UNRESOLVED:
            box = QWidget(self)
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            for route in RecourseRoute:
                check = QCheckBox(recourse_label(route), box)
                check.setChecked(route in r.recourse_told)
                column.addWidget(check)
                self.fields[f"route:{route.value}"] = check
            self.form.addRow(self.tr("Routes of recourse the customer was told:"), box)
            self.fields["routes_told"] = box
            self._text("note", self.tr("Note:"), "", lines=2)
        elif a == Action.MARK_DUPLICATE:
            self._line("duplicate_of", self.tr("Duplicate of complaint no.:"), "", placeholder="TS-…")
            self._text("note", self.tr("Note:"), "", lines=2)
        elif a == Action.REOPEN:
            self._text("reason", self.tr("Reason:"), self.tr("e.g. the return visit found the customer dissatisfied"))
        elif a == Action.HAND_OVER:
            self._handlers()
            self._text("note", self.tr("Note:"), self.tr("What the new owner needs to know"), lines=2)
        elif a == Action.NOTE:
            self._text("note", self.tr("Note:"), "")
            self._files()
        else:
            hints = {
                Action.COMMUNICATE: self.tr("How and when the customer was told the decision"),
                Action.ESCALATE: self.tr("Why, and to whom, the complaint is escalated"),
                Action.WITHDRAW: self.tr("How the customer withdrew the complaint"),
            }
            self._text("note", self.tr("Note:"), hints.get(a, self.tr("Optional")))

    def _perform(self) -> ComplaintRecord:
        key = {"complaint_id": self.record.id, "version": self.record.version}
        db, actor, a = self._db, self._actor, self.action
        calls: dict[Action, Callable[[], ComplaintRecord]] = {
            Action.ACKNOWLEDGE: lambda: complaints.acknowledge(db, actor, **key, reply=self.text("reply")),
            Action.ASSESS: lambda: complaints.assess(
                db, actor, **key, assessment=self.text("assessment"),
                classification=self.fields["classification"].currentData(),
                severity=self.fields["severity"].currentData(),
                safety_hazard=self.fields["safety_hazard"].isChecked()),
            Action.ACCEPT: lambda: complaints.accept(db, actor, **key, note=self.text("note")),
            Action.REFUSE: lambda: complaints.refuse(db, actor, **key, reason=self.text("reason")),
            Action.RECORD_INVESTIGATION: lambda: complaints.record_investigation(
                db, actor, **key, cause=self.text("cause"),
                responsible_department=self.text("responsible_department"),
                responsible_person=self.text("responsible_person"), contract_clause=self.text("contract_clause"),
                inspection_verdict=self.text("inspection_verdict")),
            Action.DECIDE: lambda: complaints.decide(
                db, actor, **key, response_type=self.fields["response_type"].currentData(),
                decision=self.text("decision")),
            Action.COMMUNICATE: lambda: complaints.communicate(db, actor, **key, note=self.text("note")),
            Action.CUSTOMER_ACCEPTS: lambda: complaints.record_customer_answer(
                db, actor, **key, accepted=True, note=self.text("note")),
            Action.CUSTOMER_REJECTS: lambda: complaints.record_customer_answer(
                db, actor, **key, accepted=False, note=self.text("note")),
            Action.ESCALATE: lambda: complaints.escalate(db, actor, **key, note=self.text("note")),
            Action.CLOSE_RESOLVED: lambda: complaints.close_resolved(db, actor, **key, note=self.text("note")),
            Action.CLOSE_UNRESOLVED: lambda: complaints.close_unresolved(
                db, actor, **key, routes_told=self.routes_ticked(), note=self.text("note")),
            Action.WITHDRAW: lambda: complaints.withdraw(db, actor, **key, note=self.text("note")),
            Action.MARK_DUPLICATE: lambda: complaints.mark_duplicate(
                db, actor, **key, duplicate_of=self.text("duplicate_of"), note=self.text("note")),
            Action.REOPEN: lambda: complaints.reopen(db, actor, **key, reason=self.text("reason")),
            Action.HAND_OVER: lambda: complaints.hand_over(
                db, actor, **key, to_user_id=self.fields["owner"].currentData() or 0, note=self.text("note")),
            Action.NOTE: lambda: complaints.add_note(
                db, actor, **key, note=self.text("note"), attachments=tuple(self.attachments)),
        }
        return calls[a]()

    # --- helpers -------------------------------------------------------------------------------------------

    def _text(self, key: str, label: str, placeholder: str, value: str = "", *, lines: int = 4) -> None:
        edit = text_box(self, lines=lines, placeholder=placeholder)
        edit.setPlainText(value)
        self._add(key, label, edit)

    def _line(self, key: str, label: str, value: str, *, placeholder: str = "") -> None:
        self._add(key, label, QLineEdit(value, self, placeholderText=placeholder))

    def _combo(self, key: str, label: str, items, label_of, value) -> None:
        combo = QComboBox(self)
        fill_combo(combo, items, label_of)
        if value is not None:
            select_data(combo, value)
        self._add(key, label, combo)

    def _check(self, key: str, label: str, value: bool) -> None:
        check = QCheckBox(label, self)
        check.setChecked(value)
        self._add(key, "", check)

    def _handlers(self) -> None:
        combo = QComboBox(self)
        try:
            handlers = complaints.list_handlers(self._db, self._actor)
        except DomainError as exc:
            handlers = []
            self._show_error(exc.message)
        for user_id, name in handlers:
            if user_id != self.record.owner_id:
                combo.addItem(name, user_id)
        self._add("owner", self.tr("Hand over to:"), combo)

    def _files(self) -> None:
        files = QListWidget(self)
        files.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 8)
        button = QPushButton(self.tr("Add &files…"), self, autoDefault=False)
        button.clicked.connect(self.on_add_files_button_clicked)
        row = QHBoxLayout()
        row.addWidget(files, 1)
        row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self.form.addRow(self.tr("Attachments:"), row)
        self.fields["files"] = files
        self.fields["attachments"] = button

    def _add(self, key: str, label: str, widget: QWidget) -> None:
        self.form.addRow(label, widget)
        self.fields[key] = widget

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
