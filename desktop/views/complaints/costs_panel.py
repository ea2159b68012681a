"""The cost lines of a complaint (domain.md §3): what was spent, who bears it, where finance books it.

A line within the entering user's approval limit counts at once; a larger one waits, and the branch
manager approves or rejects it here. Totals are shown in figures and in capital numerals (大写金额).
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.db.uow import Actor, Database
from desktop.domain.amounts import amount_in_words, format_yuan
from desktop.domain.complaints import Bearer, CostKind, CostState, bearer_label, cost_kind_label
from desktop.domain.errors import ConcurrentEdit, DomainError
from desktop.domain.roles import Permission
from desktop.services import complaint_costs
from desktop.services.access import allowed
from desktop.services.complaint_costs import CostLine, CostSummary
from desktop.views.common import ERROR_STYLE, HINT_STYLE
from desktop.views.complaints.widgets import fill_combo, moment_text

KIND, AMOUNT, BEARER, DEPARTMENT, NOTE, STATE, ENTERED, APPROVED = range(8)
PENDING_BRUSH = QBrush(QColor("#8a5a00"))


class CostsPanel(QWidget):
    sig_changed = Signal()  # a line was added, approved or rejected

    def __init__(self, db: Database, actor: Actor, complaint_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._complaint_id = complaint_id
        self.summary: CostSummary | None = None

        self.table = QTableWidget(0, 8, self)
        self.table.setHorizontalHeaderLabels([
            self.tr("Kind"), self.tr("Amount"), self.tr("Borne by"), self.tr("Allocated to"), self.tr("Note"),
            self.tr("State"), self.tr("Entered by"), self.tr("Approved by"),
        ])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # a handful of lines
        header.setSectionResizeMode(NOTE, QHeaderView.ResizeMode.Stretch)
        self.totals_label = QLabel(self, wordWrap=True)
        self.totals_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.approve_button = QPushButton(self.tr("Approv&e"), self, autoDefault=False)
        self.reject_button = QPushButton(self.tr("Re&ject"), self, autoDefault=False)
        approver = complaint_costs.can_approve(actor)
        self.approve_button.setVisible(approver)
        self.reject_button.setVisible(approver)
        self.message_label = QLabel(self, wordWrap=True)

        self.add_box = QGroupBox(self.tr("Add a cost"), self)
        self.kind_combo = QComboBox(self.add_box)
        fill_combo(self.kind_combo, CostKind, cost_kind_label)
        self.amount_edit = QLineEdit(self.add_box, placeholderText=self.tr("e.g. 1280.50"))
        self.bearer_combo = QComboBox(self.add_box)
        fill_combo(self.bearer_combo, Bearer, bearer_label)
        self.department_edit = QLineEdit(self.add_box, placeholderText=self.tr("Allocated to (摊销部门)"))
        self.note_edit = QLineEdit(self.add_box, placeholderText=self.tr("Note"))
        self.add_button = QPushButton(self.tr("&Add"), self.add_box, autoDefault=False)
        row = QHBoxLayout(self.add_box)
        for widget, stretch in ((self.kind_combo, 0), (self.amount_edit, 1), (self.bearer_combo, 0),
                                (self.department_edit, 1), (self.note_edit, 2), (self.add_button, 0)):
            row.addWidget(widget, stretch)
        self.add_box.setVisible(allowed(actor, Permission.COST_ENTER))

        decisions = QHBoxLayout()
        decisions.addWidget(self.totals_label, 1)
        decisions.addWidget(self.approve_button, 0, Qt.AlignmentFlag.AlignTop)
        decisions.addWidget(self.reject_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(decisions)
        layout.addWidget(self.message_label)
        layout.addWidget(self.add_box)

        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.approve_button.clicked.connect(self.on_approve_button_clicked)
        self.reject_button.clicked.connect(self.on_reject_button_clicked)
        self.add_button.clicked.connect(self.on_add_button_clicked)
        self.amount_edit.returnPressed.connect(self.on_add_button_clicked)
        self.load()

    # --- our API -------------------------------------------------------------------------------------------

    def load(self, summary: CostSummary | None = None) -> None:
        if summary is None:
            try:
                summary = complaint_costs.complaint_costs(self._db, self._actor, self._complaint_id)
            except DomainError as exc:
                self._say(exc.message, error=True)
                return
        selected = self.selected_line()
        self.summary = summary
        self.table.setRowCount(len(summary.lines))
        for row, line in enumerate(summary.lines):
            cells = (cost_kind_label(line.kind), format_yuan(line.amount), bearer_label(line.bearer),
                     line.allocation_department, line.note, self.state_label(line.state),
                     f"{line.entered_by} {moment_text(line.entered_at)}", line.approved_by)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == AMOUNT:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if line.state == CostState.PENDING:
                    item.setForeground(PENDING_BRUSH)
                self.table.setItem(row, column, item)
            if selected and line.id == selected.id:
                self.table.selectRow(row)
        self.totals_label.setText(self._totals_text(summary))
        self._update_buttons()

    def selected_line(self) -> CostLine | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or self.summary is None or rows[0].row() >= len(self.summary.lines):
            return None
        return self.summary.lines[rows[0].row()]

    def state_label(self, state: CostState) -> str:
        return {
            CostState.APPROVED: self.tr("Approved"),
            CostState.PENDING: self.tr("Waiting for approval"),
            CostState.REJECTED: self.tr("Rejected"),
        }[state]

    # --- slots ---------------------------------------------------------------------------------------------

    def on_add_button_clicked(self) -> None:
        try:
            summary = complaint_costs.add_cost(
                self._db, self._actor, complaint_id=self._complaint_id, kind=self.kind_combo.currentData(),
                amount=self.amount_edit.text(), bearer=self.bearer_combo.currentData(),
                allocation_department=self.department_edit.text(), note=self.note_edit.text())
        except DomainError as exc:
            self._say(exc.message, error=True)
            self.amount_edit.setFocus()
            return
        for edit in (self.amount_edit, self.note_edit):
            edit.clear()
        self.load(summary)
        added = summary.lines[-1]
        self._say(self.tr("Waits for the branch manager's approval: above your approval limit.")
                  if added.state == CostState.PENDING else self.tr("Cost added."))
        self.sig_changed.emit()

    def on_approve_button_clicked(self) -> None:
        self._decide(approve=True)

    def on_reject_button_clicked(self) -> None:
        self._decide(approve=False)

    # --- helpers -------------------------------------------------------------------------------------------

    def _decide(self, *, approve: bool) -> None:
        line = self.selected_line()
        if line is None or line.state != CostState.PENDING:
            return
        try:
            summary = complaint_costs.decide_cost(self._db, self._actor, cost_id=line.id, version=line.version,
                                                  approve=approve)
        except ConcurrentEdit as exc:
            QMessageBox.warning(self, self.tr("Changed meanwhile"), exc.message)
            self.load()
            return
        except DomainError as exc:
            self._say(exc.message, error=True)
            return
        self.load(summary)
        self._say(self.tr("Approved {amount}.") if approve else self.tr("Rejected {amount}."),
                  amount=format_yuan(line.amount))
        self.sig_changed.emit()

    def _totals_text(self, summary: CostSummary) -> str:
        lines = [self.tr("Approved: {figures}  {words}").format(figures=format_yuan(summary.approved_total),
                                                                words=amount_in_words(summary.approved_total))]
        if summary.pending_total > Decimal(0):
            lines.append(self.tr("Waiting for approval: {figures}").format(figures=format_yuan(summary.pending_total)))
        if summary.by_bearer:
            parts = "; ".join(f"{bearer_label(b)} {format_yuan(a)}" for b, a in summary.by_bearer.items())
            lines.append(self.tr("Borne by: {parts}").format(parts=parts))
        return "\n".join(lines)

    def _update_buttons(self) -> None:
        line = self.selected_line()
        pending = line is not None and line.state == CostState.PENDING
        self.approve_button.setEnabled(pending)
        self.reject_button.setEnabled(pending)

    def _say(self, text: str, *, error: bool = False, **values) -> None:
        self.message_label.setText(text.format(**values) if values else text)
        self.message_label.setStyleSheet(ERROR_STYLE if error else HINT_STYLE)
