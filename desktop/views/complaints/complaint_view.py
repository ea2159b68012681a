"""One complaint in full: where it stands and how much time is left, everything recorded about it, its whole
history, its attachments and costs, the steps this user may take now, and the printed form.

The buttons are exactly the actions the service offers this user in this state (ComplaintRecord.actions);
each opens the small form of that step (step_dialogs.py).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.config import Settings
from desktop.db.uow import Actor, Database
from desktop.domain.base import utcnow
from desktop.domain.complaints import (
    Action,
    action_label,
    channel_label,
    class_label,
    recourse_label,
    response_label,
    status_label,
)
from desktop.domain.errors import DomainError
from desktop.services import complaints
from desktop.services.complaint_list import time_left_text
from desktop.services.complaints import ComplaintRecord
from desktop.views.common import ERROR_STYLE, HINT_STYLE, show_error
from desktop.views.complaints.costs_panel import CostsPanel
from desktop.views.complaints.printing import FormPrinter, open_file, temp_folder
from desktop.views.complaints.step_dialogs import StepDialog
from desktop.views.complaints.widgets import moment_text, severity_label, yes_no

EMPTY = "—"


class ComplaintDialog(QDialog):
    sig_changed = Signal(int)  # the complaint's id, after a step or a cost changed it

    def __init__(self, db: Database, actor: Actor, settings: Settings, complaint_id: int,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._complaint_id = complaint_id
        self.record: ComplaintRecord | None = None
        self.action_buttons: dict[Action, QPushButton] = {}
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        self.number_label = QLabel(self, textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.number_label.setFont(font)
        self.status_label = QLabel(self)
        self.status_label.setStyleSheet("padding: 2px 10px; border-radius: 9px; background: palette(midlight);"
                                        " font-weight: bold;")
        self.time_left_label = QLabel(self)
        self.owner_label = QLabel(self)
        self.actions_row = QHBoxLayout()

        self.tabs = QTabWidget(self)
        self.details_area = QScrollArea(self, widgetResizable=True)
        self.history_table = self._table([self.tr("Time"), self.tr("By"), self.tr("Step"), self.tr("Status"),
                                          self.tr("Note")])
        self.attachments_table = self._table([self.tr("File"), self.tr("Size"), self.tr("Added by"),
                                              self.tr("Added")])
        self.open_attachment_button = QPushButton(self.tr("&Open file"), self, autoDefault=False)
        self.add_files_button = QPushButton(self.tr("Add &files…"), self, autoDefault=False)
        self.costs_panel = CostsPanel(db, actor, complaint_id, self)
        attachments = QWidget(self)
        files_layout = QVBoxLayout(attachments)
        files_layout.addWidget(self.attachments_table, 1)
        files_buttons = QHBoxLayout()
        files_buttons.addWidget(self.open_attachment_button)
        files_buttons.addWidget(self.add_files_button)
        files_buttons.addStretch(1)
        files_layout.addLayout(files_buttons)
        self.tabs.addTab(self.details_area, self.tr("&Details"))
        self.tabs.addTab(self.history_table, self.tr("&History"))
        self.tabs.addTab(attachments, self.tr("A&ttachments"))
        self.tabs.addTab(self.costs_panel, self.tr("&Costs"))

        self.message_label = QLabel(self, wordWrap=True)
        self.preview_button = QPushButton(self.tr("Pre&view form"), self, autoDefault=False)
        self.print_button = QPushButton(self.tr("&Print form…"), self, autoDefault=False)
        self.save_pdf_button = QPushButton(self.tr("&Save form as PDF…"), self, autoDefault=False)
        self.close_button = QPushButton(self.tr("Close"), self, autoDefault=False)
        self.printer = FormPrinter(db, actor, settings, self)

        header = QHBoxLayout()
        header.addWidget(self.number_label)
        header.addWidget(self.status_label)
        header.addStretch(1)
        header.addWidget(self.time_left_label)
        header.addSpacing(16)
        header.addWidget(self.owner_label)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message_label, 1)
        for button in (self.preview_button, self.print_button, self.save_pdf_button, self.close_button):
            bottom.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(self.actions_row)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

        self.open_attachment_button.clicked.connect(self.on_open_attachment_button_clicked)
        self.attachments_table.doubleClicked.connect(self.on_open_attachment_button_clicked)
        self.add_files_button.clicked.connect(lambda: self.run_action(Action.NOTE))
        self.costs_panel.sig_changed.connect(lambda: self.sig_changed.emit(self._complaint_id))
        self.preview_button.clicked.connect(self.on_preview_button_clicked)
        self.print_button.clicked.connect(self.on_print_button_clicked)
        self.save_pdf_button.clicked.connect(self.on_save_pdf_button_clicked)
        self.close_button.clicked.connect(self.close)
        self.resize(1100, 680)
        self.load()

    # --- our API -------------------------------------------------------------------------------------------

    def load(self) -> None:
        """Read the complaint again (after somebody else changed it, say)."""
        try:
            record = complaints.get_complaint(self._db, self._actor, self._complaint_id)
        except DomainError as exc:
            self._say(exc.message, error=True)
            return
        self.show_record(record)
        self.costs_panel.load()

    def show_record(self, record: ComplaintRecord) -> None:
        self.record = record
        self.setWindowTitle(self.tr("Complaint {number}").format(number=record.number))
        self.number_label.setText(record.number)
        self.status_label.setText(record.status_label)
        self.owner_label.setText(self.tr("Owner: {name}").format(name=record.owner))
        left = time_left_text(record.due_at, utcnow())
        if not left:
            closed = moment_text(record.closed_at)
            self.time_left_label.setText(self.tr("Closed {time}").format(time=closed) if closed else "")
            self.time_left_label.setStyleSheet("")
        elif left.startswith("-"):
            self.time_left_label.setText(self.tr("Overdue by {time} (due {due})").format(
                time=left[1:], due=moment_text(record.due_at)))
            self.time_left_label.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
        else:
            self.time_left_label.setText(self.tr("Time left: {time} (due {due})").format(
                time=left, due=moment_text(record.due_at)))
            self.time_left_label.setStyleSheet("")
        self._show_actions(record)
        self._show_details(record)
        self._show_history(record)
        self._show_attachments(record)

    def run_action(self, action: Action) -> StepDialog | None:
        """Open the form of one step; after it the complaint shows as the service left it."""
        if self.record is None or action not in self.record.actions:
            return None
        dialog = StepDialog(self._db, self._actor, self.record, action, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        if accepted and dialog.result is not None:
            self.show_record(dialog.result)
            self._say(self.tr("{step}: done. Now {status}.").format(step=action_label(action),
                                                                   status=status_label(dialog.result.status)))
            self.sig_changed.emit(self._complaint_id)
        elif dialog.conflict:
            self.load()
            self.sig_changed.emit(self._complaint_id)
        return dialog

    # --- slots ---------------------------------------------------------------------------------------------

    def on_open_attachment_button_clicked(self, *_args) -> None:
        row = self.attachments_table.currentRow()
        if self.record is None or not 0 <= row < len(self.record.attachments):
            return
        info = self.record.attachments[row]
        try:
            info, data = complaints.complaint_attachment(self._db, self._actor, complaint_id=self._complaint_id,
                                                          attachment_id=info.id)
        except DomainError as exc:
            show_error(self, exc)
            return
        target = temp_folder() / f"{info.id}-{info.filename}"
        target.write_bytes(data)
        if not open_file(target):
            QMessageBox.information(self, self.tr("Open file"),
                                    self.tr("No program opens this kind of file here. It was saved to:\n{path}")
                                    .format(path=target))

    def on_preview_button_clicked(self) -> None:
        if self.record:
            self.printer.start_preview(self.record.id, self.record.number)

    def on_print_button_clicked(self) -> None:
        if self.record:
            self.printer.start_print(self.record.id, self.record.number)

    def on_save_pdf_button_clicked(self) -> None:
        if self.record:
            self.printer.ask_and_save(self.record.id, self.record.number)

    # --- helpers -------------------------------------------------------------------------------------------

    def _show_actions(self, record: ComplaintRecord) -> None:
        while self.actions_row.count():
            item = self.actions_row.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.action_buttons = {}
        for action in record.actions:
            button = QPushButton(action_label(action), self, autoDefault=False)
            button.clicked.connect(lambda _checked=False, a=action: self.run_action(a))
            self.actions_row.addWidget(button)
            self.action_buttons[action] = button
        self.actions_row.addStretch(1)
        self.add_files_button.setVisible(Action.NOTE in record.actions)
        if not record.actions:
            hint = QLabel(self.tr("Nothing you can do in this state."), self)
            hint.setStyleSheet(HINT_STYLE)
            self.actions_row.insertWidget(0, hint)

    def _show_details(self, r: ComplaintRecord) -> None:
        page = QWidget()
        column = QVBoxLayout(page)
        recourse = "、".join(recourse_label(route) for route in r.recourse_told)
        groups = (
            (self.tr("Receipt"), [
                (self.tr("Received"), moment_text(r.received_at)), (self.tr("Received by"), r.received_by),
                (self.tr("Channel"), channel_label(r.channel)), (self.tr("Customer"), r.customer_name),
            ], []),
            (self.tr("Unit"), [
                (self.tr("Model"), r.product_model), (self.tr("Serial no."), r.serial_number),
                (self.tr("Purchased"), moment_text(r.purchase_date)), (self.tr("Invoice no."), r.invoice_number),
            ], []),
            (self.tr("Complaint"), [
                (self.tr("Class"), class_label(r.classification)), (self.tr("Severity"), severity_label(r.severity)),
                (self.tr("Safety hazard"), yes_no(r.safety_hazard)), (self.tr("Due"), moment_text(r.due_at)),
            ], [(self.tr("In the customer's words"), r.description),
                (self.tr("Customer asks for"), r.customer_request)]),
            (self.tr("Handling"), [
                (self.tr("First reply"), moment_text(r.first_reply_at)),
                (self.tr("Accepted"), moment_text(r.accepted_at)),
                (self.tr("Department responsible"), r.responsible_department),
                (self.tr("Person responsible"), r.responsible_person),
                (self.tr("Response"), response_label(r.response_type) if r.response_type else ""),
                (self.tr("Decided by"), r.decided_by),
                (self.tr("Customer accepted"), yes_no(r.customer_accepted)),
                (self.tr("Escalated"), yes_no(r.escalated)),
                (self.tr("Recourse told"), recourse), (self.tr("Duplicate of"), r.duplicate_of),
                (self.tr("Closed"), moment_text(r.closed_at)),
            ], [(self.tr("Assessment"), r.assessment), (self.tr("Cause"), r.cause),
                (self.tr("Contract clause"), r.contract_clause), (self.tr("Inspection verdict"), r.inspection_verdict),
                (self.tr("Decision"), r.decision)]),
        )
        for title, pairs, texts in groups:
            box = QGroupBox(title, page)
            grid = QGridLayout(box)
            grid.setColumnStretch(1, 1)
            grid.setColumnStretch(3, 1)
            for n, (label, value) in enumerate(pairs):
                self._add_value(grid, n // 2, (n % 2) * 2, label, value, span=1)
            row = (len(pairs) + 1) // 2
            for label, value in texts:
                self._add_value(grid, row, 0, label, value, span=3)
                row += 1
            column.addWidget(box)
        column.addStretch(1)
        self.details_area.setWidget(page)

    def _add_value(self, grid: QGridLayout, row: int, column: int, label: str, value: str, *, span: int) -> None:
        caption = QLabel(label + self.tr(":"), grid.parentWidget())
        caption.setStyleSheet(HINT_STYLE)
        caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        shown = QLabel(value or EMPTY, grid.parentWidget(), wordWrap=True)
        shown.setTextFormat(Qt.TextFormat.PlainText)
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(caption, row, column)
        grid.addWidget(shown, row, column + 1, 1, span)

    def _show_history(self, record: ComplaintRecord) -> None:
        table = self.history_table
        table.setRowCount(len(record.events))
        for row, event in enumerate(record.events):
            change = status_label(event.to_status)
            if event.from_status is not None and event.from_status != event.to_status:
                change = f"{status_label(event.from_status)} → {change}"
            cells = (moment_text(event.at), event.username, action_label(event.action), change, event.note)
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))
        self.tabs.setTabText(1, self.tr("&History ({count})").format(count=len(record.events)))

    def _show_attachments(self, record: ComplaintRecord) -> None:
        table = self.attachments_table
        table.setRowCount(len(record.attachments))
        for row, info in enumerate(record.attachments):
            size = self.tr("{kb} KB").format(kb=max(1, round(info.size / 1024)))
            for column, text in enumerate((info.filename, size, info.added_by, moment_text(info.added_at))):
                table.setItem(row, column, QTableWidgetItem(text))
        if record.attachments and table.currentRow() < 0:
            table.selectRow(0)
        self.open_attachment_button.setEnabled(bool(record.attachments))
        self.tabs.setTabText(2, self.tr("A&ttachments ({count})").format(count=len(record.attachments)))

    def _table(self, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers), self)
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setTabKeyNavigation(False)
        table.setWordWrap(True)
        table.verticalHeader().hide()
        # Rows as tall as their wrapped notes: a complaint has a few dozen steps and files at most.
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
        return table

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(ERROR_STYLE if error else HINT_STYLE)
