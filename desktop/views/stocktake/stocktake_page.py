"""The stocktake page (盘点): the history of stocktakes above, the chosen one below — its counting panel while
it counts, its lines, and the 盘盈/盘亏 totals once counted.

One button per step of the life of a stocktake, enabled only when its state and the user's role allow it;
the service still decides (another PC may have moved the stocktake on), and its refusal is shown as is.
Sheets, imports and posting run off the GUI thread with a progress dialog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desktop.config import Settings
from desktop.db.uow import Actor, Database
from desktop.domain.errors import DomainError
from desktop.domain.roles import Permission
from desktop.domain.stocktake import FREEZING, StocktakeState, state_label
from desktop.services import stocktake as stocktakes
from desktop.services import stocktake_sheets as sheets
from desktop.services.access import allowed
from desktop.services.stocktake import StocktakeRecord
from desktop.services.stocktake_sheets import CountImportReport
from desktop.views.common import HINT_STYLE, show_error
from desktop.views.stocktake.counting_panel import CountingPanel
from desktop.views.stocktake.import_report_dialog import CountImportReportDialog
from desktop.views.stocktake.new_stocktake_dialog import NewStocktakeDialog
from desktop.views.stocktake.variance_table import VarianceModel, money_text, totals
from desktop.views.tasks import BackgroundTask, show_progress
from desktop.views.warehouse import widgets
from desktop.views.warehouse.widgets import documents_dir

ID_ROLE = Qt.ItemDataRole.UserRole + 1
REPORTABLE = {StocktakeState.COUNTED, StocktakeState.RECONCILED, StocktakeState.POSTED, StocktakeState.CLOSED}


class StocktakePage(QWidget):
    def __init__(self, db: Database, actor: Actor, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._settings = settings
        self.record: StocktakeRecord | None = None
        self.task: BackgroundTask | None = None
        self.report_dialog: CountImportReportDialog | None = None
        self.may_move = allowed(actor, Permission.STOCK_MOVE)
        self.may_approve = allowed(actor, Permission.COST_APPROVE)

        self.new_button = QPushButton(self.tr("&New stocktake…"), self)
        self.start_button = QPushButton(self.tr("&Start counting"), self)
        self.finish_button = QPushButton(self.tr("&Finish counting"), self)
        self.recount_button = QPushButton(self.tr("&Recount…"), self)
        self.approve_button = QPushButton(self.tr("&Approve"), self)
        self.post_button = QPushButton(self.tr("&Post…"), self)
        self.close_button = QPushButton(self.tr("C&lose"), self)
        self.cancel_button = QPushButton(self.tr("Cance&l stocktake…"), self)
        self.sheet_button = QPushButton(self.tr("Count s&heet"), self)
        sheet_menu = QMenu(self.sheet_button)
        self.print_sheet_action = sheet_menu.addAction(self.tr("Print PDF…"))
        self.export_sheet_action = sheet_menu.addAction(self.tr("Export Excel…"))
        self.sheet_button.setMenu(sheet_menu)
        self.import_button = QPushButton(self.tr("&Import filled sheet…"), self)
        self.report_button = QPushButton(self.tr("&Variance report"), self)
        report_menu = QMenu(self.report_button)
        self.report_pdf_action = report_menu.addAction(self.tr("PDF…"))
        self.report_excel_action = report_menu.addAction(self.tr("Excel…"))
        self.report_button.setMenu(report_menu)
        if not self.may_approve:
            self.approve_button.setToolTip(self.tr("Only the branch manager approves a stocktake."))

        self.history = QTableWidget(0, 9, self)
        self.history.setHorizontalHeaderLabels([
            self.tr("Number"), self.tr("State"), self.tr("Scope"), self.tr("Created"), self.tr("Lines"),
            self.tr("Counted"), self.tr("Accuracy %"), self.tr("Gain (盘盈)"), self.tr("Loss (盘亏)")])
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.history.verticalHeader().hide()
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)  # scope: text

        self.detail_label = QLabel(self, wordWrap=True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.counting_panel = CountingPanel(db, actor, self)
        self.model = VarianceModel(self)
        self.lines_view = QTableView(self)
        self.lines_view.setModel(self.model)
        self.lines_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.lines_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.lines_view.verticalHeader().hide()
        self.lines_view.horizontalHeader().setStretchLastSection(True)
        row_height = self.fontMetrics().height() + 8  # compact rows: a stocktake has thousands of lines
        for view in (self.history, self.lines_view):
            view.verticalHeader().setDefaultSectionSize(row_height)
        self.totals_label = QLabel(self, wordWrap=True)
        self.status_label = QLabel(self, wordWrap=True)
        self.status_label.setStyleSheet(HINT_STYLE)

        steps = QHBoxLayout()
        for button in (self.new_button, self.start_button, self.finish_button, self.recount_button,
                       self.approve_button, self.post_button, self.close_button, self.cancel_button):
            steps.addWidget(button)
        steps.addStretch(1)
        documents = QHBoxLayout()
        for button in (self.sheet_button, self.import_button, self.report_button):
            documents.addWidget(button)
        documents.addStretch(1)
        detail = QWidget(self)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail_label)
        detail_layout.addLayout(documents)
        detail_layout.addWidget(self.counting_panel)
        detail_layout.addWidget(self.lines_view, 1)
        detail_layout.addWidget(self.totals_label)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.history)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(steps)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status_label)

        self.new_button.clicked.connect(self.on_new_button_clicked)
        self.start_button.clicked.connect(self.on_start_button_clicked)
        self.finish_button.clicked.connect(self.on_finish_button_clicked)
        self.recount_button.clicked.connect(self.on_recount_button_clicked)
        self.approve_button.clicked.connect(self.on_approve_button_clicked)
        self.post_button.clicked.connect(self.on_post_button_clicked)
        self.close_button.clicked.connect(self.on_close_button_clicked)
        self.cancel_button.clicked.connect(self.on_cancel_button_clicked)
        self.import_button.clicked.connect(self.on_import_button_clicked)
        self.print_sheet_action.triggered.connect(self.on_print_sheet_action_triggered)
        self.export_sheet_action.triggered.connect(self.on_export_sheet_action_triggered)
        self.report_pdf_action.triggered.connect(lambda: self.on_report_action_triggered("pdf"))
        self.report_excel_action.triggered.connect(lambda: self.on_report_action_triggered("xlsx"))
        self.history.itemSelectionChanged.connect(self.on_history_item_selection_changed)
        self.lines_view.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.counting_panel.sig_counted.connect(self.on_counting_panel_counted)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.refresh()

    # --- our API -------------------------------------------------------------------------------------------

    def refresh(self, select_id: int | None = None) -> None:
        """Read the history again (F5) and show `select_id`, or the stocktake shown before, or the newest."""
        wanted = select_id if select_id is not None else (self.record.id if self.record else None)
        try:
            rows = stocktakes.history(self._db, self._actor)
            records = [stocktakes.find_stocktake(self._db, self._actor, row.number) for row in rows]
        except DomainError as exc:
            show_error(self, exc)
            return
        self.history.blockSignals(True)
        self.history.setRowCount(len(rows))
        for index, (row, record) in enumerate(zip(rows, records, strict=True)):
            cells = (row.number, state_label(row.state), self.scope_text(record),
                     f"{row.created_at.astimezone():%Y-%m-%d %H:%M}", str(row.lines), str(record.counted),
                     "" if row.accuracy is None else f"{row.accuracy}", money_text(row.gain_value),
                     money_text(row.loss_value))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 4:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setData(ID_ROLE, record.id)
                self.history.setItem(index, column, item)
        self.history.blockSignals(False)
        ids = [record.id for record in records]
        row = ids.index(wanted) if wanted in ids else (0 if ids else -1)
        if row >= 0:
            self.history.selectRow(row)
        self.show_stocktake(ids[row] if row >= 0 else None)

    def show_stocktake(self, stocktake_id: int | None) -> None:
        try:
            self.record = None if stocktake_id is None else stocktakes.get_stocktake(self._db, self._actor, stocktake_id)
            lines = [] if stocktake_id is None else stocktakes.variance(self._db, self._actor, stocktake_id)
        except DomainError as exc:
            show_error(self, exc)
            return
        record = self.record
        counting = record is not None and record.state is StocktakeState.COUNTING
        counted_stage = record is not None and record.state not in (StocktakeState.PLANNED, StocktakeState.COUNTING)
        self.model.set_lines(lines, show_book=record is not None and not record.blind, counted_stage=counted_stage)
        self.lines_view.resizeColumnsToContents()
        self.counting_panel.setVisible(counting and self.may_move)
        self.counting_panel.set_stocktake(record.id if counting else None, lines)
        self.detail_label.setText(self.detail_text(record))
        self._show_totals()
        self._update_buttons()

    def scope_text(self, record: StocktakeRecord) -> str:
        if record.zones:
            scope = self.tr("Zones {zones}").format(zones=", ".join(record.zones))
        elif record.abc_class:
            scope = self.tr("Class {abc}").format(abc=record.abc_class.value)
        else:
            scope = self.tr("Whole warehouse")
        return scope + " · " + (self.tr("blind (盲盘)") if record.blind else self.tr("open (明盘)"))

    def detail_text(self, record: StocktakeRecord | None) -> str:
        if record is None:
            return self.tr("No stocktake yet. Plan one with New stocktake…") if self.may_move else ""
        parts = [f"<b>{record.number}</b>", state_label(record.state), self.scope_text(record),
                 self.tr("planned by {user} {time}").format(user=record.created_by,
                                                            time=f"{record.created_at.astimezone():%Y-%m-%d %H:%M}")]
        if record.approved_by:
            parts.append(self.tr("approved by {user}").format(user=record.approved_by))
        if record.posted_document:
            parts.append(self.tr("adjustments in {number}").format(number=record.posted_document))
        if record.state is StocktakeState.PLANNED:
            parts.append(self.tr("Start counting freezes the bins and takes the book quantities."))
        return " · ".join(parts)

    def selected_line(self):
        return self.model.line_at(self.lines_view.currentIndex().row())

    def recount(self, line_id: int, quantity: str) -> bool:
        try:
            line = stocktakes.record_recount(self._db, self._actor, stocktake_id=self.record.id, line_id=line_id,
                                             quantity=quantity)
        except DomainError as exc:
            show_error(self, exc)
            return False
        self.status_label.setText(self.tr("Recount of {bin} {part} recorded.").format(bin=line.bin_code,
                                                                                       part=line.part_code))
        self.refresh()
        return True

    def print_count_sheet(self, target: Path) -> BackgroundTask:
        db, actor, record = self._db, self._actor, self.record
        branch, font = self._settings.branch_name, self._settings.pdf_font or None
        return self._in_background(
            self.tr("Printing count sheet {number}").format(number=record.number),
            lambda _progress: sheets.print_count_sheet(db, actor, stocktake_id=record.id, target=target,
                                                       branch_name=branch, font=font),
            self._on_pdf_written, cancellable=False)

    def export_count_sheet(self, target: Path) -> BackgroundTask:
        db, actor, record = self._db, self._actor, self.record
        return self._in_background(
            self.tr("Writing count sheet {number}").format(number=record.number),
            lambda progress: sheets.export_count_sheet(db, actor, stocktake_id=record.id, target=target,
                                                       progress=progress),
            lambda done: self.status_label.setText(
                self.tr("Count sheet saved to {path}.").format(path=target) if done
                else self.tr("Export cancelled; no file was written.")))

    def import_sheet(self, path: Path) -> BackgroundTask:
        db, actor, record = self._db, self._actor, self.record
        return self._in_background(
            self.tr("Importing counts from {file}").format(file=path.name),
            lambda progress: sheets.import_counts(db, actor, stocktake_id=record.id, path=path, progress=progress),
            lambda report: self._show_import_report(report, path),
            on_cancelled=lambda: self._show_import_report(CountImportReport(cancelled=True), path))

    def write_variance_report(self, target: Path) -> BackgroundTask:
        db, actor, record = self._db, self._actor, self.record
        branch, font = self._settings.branch_name, self._settings.pdf_font or None
        return self._in_background(
            self.tr("Writing variance report {number}").format(number=record.number),
            lambda _progress: sheets.print_variance_report(db, actor, stocktake_id=record.id, target=target,
                                                           branch_name=branch, font=font),
            self._on_pdf_written, cancellable=False)

    def start_post(self) -> BackgroundTask:
        db, actor, record, branch = self._db, self._actor, self.record, self._settings.branch_code
        self.post_button.setEnabled(False)
        task = self._in_background(
            self.tr("Posting stocktake {number}").format(number=record.number),
            lambda progress: stocktakes.post(db, actor, branch_code=branch, stocktake_id=record.id,
                                             progress=progress),
            self._on_posted, on_cancelled=self.refresh, on_failed=self.refresh)
        return task

    # --- slots ---------------------------------------------------------------------------------------------

    def on_history_item_selection_changed(self) -> None:
        items = self.history.selectedItems()
        if items:
            self.show_stocktake(items[0].data(ID_ROLE))

    def on_new_button_clicked(self) -> None:
        dialog = NewStocktakeDialog(self._db, self._actor, self._settings.branch_code, self)
        if dialog.exec() == NewStocktakeDialog.DialogCode.Accepted and dialog.record:
            self.status_label.setText(self.tr("Stocktake {number} planned.").format(number=dialog.record.number))
            self.refresh(dialog.record.id)

    def on_start_button_clicked(self) -> None:
        self._transition(stocktakes.start_counting, self.tr("Counting started: {lines} lines, the bins are frozen."))
        if self.counting_panel.isVisible():
            self.counting_panel.bin_edit.setFocus()

    def on_finish_button_clicked(self) -> None:
        self._transition(stocktakes.finish_counting, self.tr("Counting finished: {lines} lines."))

    def on_approve_button_clicked(self) -> None:
        self._transition(stocktakes.approve, self.tr("Approved: the differences can be posted."))

    def on_close_button_clicked(self) -> None:
        self._transition(stocktakes.close, self.tr("Closed."))

    def on_cancel_button_clicked(self) -> None:
        answer = QMessageBox.question(self, self.tr("Cancel stocktake"), self.tr(
            "Cancel stocktake {number}? Nothing is adjusted and its bins are free again.").format(
            number=self.record.number))
        if answer == QMessageBox.StandardButton.Yes:
            self._transition(stocktakes.cancel, self.tr("Cancelled."))

    def on_post_button_clicked(self) -> None:
        text = self.totals_label.text()
        answer = QMessageBox.question(self, self.tr("Post stocktake"), self.tr(
            "Post the differences of stocktake {number} to stock as adjustments?\n{totals}\n"
            "This is done once and cannot be undone here.").format(number=self.record.number, totals=text))
        if answer == QMessageBox.StandardButton.Yes:
            self.start_post()

    def on_recount_button_clicked(self) -> None:
        line = self.selected_line()
        if line is None:
            return
        quantity, ok = QInputDialog.getText(self, self.tr("Recount"), self.tr(
            "Recount of {bin} {part} {name} (first count {counted} by {user}):").format(
            bin=line.bin_code, part=line.part_code, name=line.part_name, counted=self.model.text(
                self.model.row_of(line.line_id), "counted"), user=line.counted_by or ""))
        if ok and quantity.strip():
            self.recount(line.line_id, quantity.strip())

    def on_print_sheet_action_triggered(self) -> None:
        path = self._ask_target(self.tr("Save the count sheet as"), f"{self.record.number}.pdf", "pdf")
        if path:
            self.print_count_sheet(path)

    def on_export_sheet_action_triggered(self) -> None:
        path = self._ask_target(self.tr("Export the count sheet as"), f"{self.record.number}.xlsx", "xlsx")
        if path:
            self.export_count_sheet(path)

    def on_report_action_triggered(self, suffix: str) -> None:
        path = self._ask_target(self.tr("Save the variance report as"), f"{self.record.number}-variance.{suffix}",
                                suffix)
        if path:
            self.write_variance_report(path)

    def on_import_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import a filled-in count sheet"),
                                              str(documents_dir()), self.tr("Excel workbooks (*.xlsx *.xlsm)"))
        if path:
            self.import_sheet(Path(path))

    def on_counting_panel_counted(self, line) -> None:
        if not self.model.update_line(line):  # a found part: a new line
            self.show_stocktake(self.record.id)
            return
        self.counting_panel.show_progress(self.model.lines())
        row = self.model.row_of(line.line_id)
        self.lines_view.scrollTo(self.model.index(row, 0))

    # --- helpers -------------------------------------------------------------------------------------------

    def _transition(self, action: Callable[..., StocktakeRecord], done: str) -> None:
        try:
            record = action(self._db, self._actor, stocktake_id=self.record.id, version=self.record.version)
        except DomainError as exc:
            show_error(self, exc)
            self.refresh()
            return
        self.status_label.setText(f"{record.number}: " + done.format(lines=record.lines))
        self.refresh(record.id)

    def _in_background(self, title: str, work, on_finished, *, cancellable: bool = True,
                       on_cancelled=None, on_failed=None) -> BackgroundTask:
        # Every slot is connected before the task starts: a signal emitted by the worker reaches only the
        # slots connected by then, and quick work may end before start() returns.
        task = BackgroundTask(work, owner=self)

        def finished(result: object) -> None:
            if isValid(self):
                on_finished(result)

        def failed(exc: BaseException) -> None:
            show_error(self if isValid(self) else None, exc)
            if on_failed is not None and isValid(self):
                on_failed()

        def cancelled() -> None:
            if on_cancelled is not None and isValid(self):
                on_cancelled()

        task.sig_finished.connect(finished)
        task.sig_failed.connect(failed)
        task.sig_cancelled.connect(cancelled)
        show_progress(task, self, title, cancellable=cancellable)
        task.start()
        self.task = task
        return task

    def _ask_target(self, title: str, name: str, suffix: str) -> Path | None:
        filters = {"pdf": self.tr("PDF files (*.pdf)"), "xlsx": self.tr("Excel workbooks (*.xlsx)")}
        path, _ = QFileDialog.getSaveFileName(self, title, str(documents_dir() / name), filters[suffix])
        if not path:
            return None
        target = Path(path if path.lower().endswith("." + suffix) else f"{path}.{suffix}")
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def _on_pdf_written(self, path: Path) -> None:
        self.status_label.setText(self.tr("Saved to {path}.").format(path=path))
        if path.suffix.lower() == ".pdf":
            widgets.open_file(path)

    def _on_posted(self, record: StocktakeRecord) -> None:
        self.status_label.setText(self.tr("{number} posted: adjustments in {document}.").format(
            number=record.number, document=record.posted_document))
        self.refresh(record.id)

    def _show_import_report(self, report: CountImportReport, path: Path) -> None:
        self.report_dialog = CountImportReportDialog(report, path, self)
        self.report_dialog.open()
        if report.ok:
            self.show_stocktake(self.record.id)

    def _show_totals(self) -> None:
        record = self.record
        if record is None or record.state in (StocktakeState.PLANNED, StocktakeState.COUNTING):
            self.totals_label.clear()
            return
        lines = self.model.lines()
        sums = totals(lines)
        waiting = sum(1 for line in lines if line.needs_recount)
        text = self.tr("Gain (盘盈) +{gain} in {gain_lines} lines · Loss (盘亏) −{loss} in {loss_lines} lines · "
                       "net {net}").format(gain=money_text(sums["gain"]), gain_lines=sums["gain_lines"],
                                          loss=money_text(sums["loss"]), loss_lines=sums["loss_lines"],
                                          net=money_text(sums["gain"] - sums["loss"]))
        if waiting and record.state is StocktakeState.COUNTED:
            text += " · " + self.tr("{n} lines beyond tolerance need a recount by someone else.").format(n=waiting)
        self.totals_label.setText(text)

    def _update_buttons(self, *_args) -> None:
        state = self.record.state if self.record else None
        line = self.selected_line()
        move = self.may_move
        self.new_button.setEnabled(move)
        self.start_button.setEnabled(move and state is StocktakeState.PLANNED)
        self.finish_button.setEnabled(move and state is StocktakeState.COUNTING)
        self.recount_button.setEnabled(move and state is StocktakeState.COUNTED and line is not None
                                       and line.within_tolerance is False)
        self.approve_button.setEnabled(self.may_approve and state is StocktakeState.COUNTED)
        self.post_button.setEnabled(move and state is StocktakeState.RECONCILED)
        self.close_button.setEnabled(move and state is StocktakeState.POSTED)
        self.cancel_button.setEnabled(move and (state is StocktakeState.PLANNED or state in FREEZING))
        self.sheet_button.setEnabled(state in (StocktakeState.COUNTING, StocktakeState.COUNTED))
        self.import_button.setEnabled(move and state is StocktakeState.COUNTING)
        self.report_button.setEnabled(state in REPORTABLE)
