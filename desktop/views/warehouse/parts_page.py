"""The part master as the warehouse keeper works with it: the lazy list with on-hand, reorder point, ABC,
last issue and the slow-moving mark (yellow after a month without an issue, red after three), a search box,
the part dialog, importing from Excel, recomputing ABC, new bins and bin labels, and receive/issue.

What a role may not do is shown disabled: an engineer reads the master and opens a part read-only."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop.config import Settings
from desktop.db.uow import Actor, Database
from desktop.domain.errors import DomainError
from desktop.domain.roles import Permission
from desktop.domain.warehouse import AbcClass, SlowMark
from desktop.services import parts
from desktop.services.access import allowed
from desktop.services.paging import Sort
from desktop.services.part_import import ImportReport, import_parts
from desktop.views.common import show_error
from desktop.views.lazy_list_view import LazyListView
from desktop.views.tasks import BackgroundTask
from desktop.views.warehouse.bins_dialog import BinsDialog
from desktop.views.warehouse.import_report_dialog import ImportReportDialog
from desktop.views.warehouse.issue_dialog import IssueDialog
from desktop.views.warehouse.labels_dialog import LabelsDialog
from desktop.views.warehouse.part_dialog import PartDialog
from desktop.views.warehouse.receive_dialog import ReceiveDialog
from desktop.views.warehouse.slip_print_dialog import SlipPrintDialog
from desktop.views.warehouse.widgets import StockListModel, run_in_background

TYPING_DELAY_MS = 300
SLOW_COLUMN = [column.key for column in parts.PART_COLUMNS].index("slow")
SLOW_COLOURS = {SlowMark.YELLOW: QColor("#ffe66d"), SlowMark.RED: QColor("#f4978e")}
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)


class PartsModel(StockListModel):
    """The part list with its slow-moving mark coloured as on the shelf map."""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        role = int(role)
        if role in (_BACKGROUND, _FOREGROUND):
            if not index.isValid() or index.column() != SLOW_COLUMN:
                return None
            mark = self.slow_mark(index.row())
            if mark == SlowMark.NONE:
                return None
            return SLOW_COLOURS[mark] if role == _BACKGROUND else QColor("#1f1f1f")
        return super().data(index, role)

    def slow_mark(self, row: int) -> SlowMark:
        label = self.row_values(row)[SLOW_COLUMN]
        return next((mark for mark in (SlowMark.YELLOW, SlowMark.RED) if label == parts.slow_label(mark)),
                    SlowMark.NONE)


class PartsPage(QWidget):
    def __init__(self, db: Database, actor: Actor, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._settings = settings
        self.report_dialog: ImportReportDialog | None = None
        self.task: BackgroundTask | None = None
        self._shown_before = False
        may_edit = allowed(actor, Permission.STOCK_EDIT)
        may_move = allowed(actor, Permission.STOCK_MOVE)

        self.search_edit = QLineEdit(self, clearButtonEnabled=True,
                                     placeholderText=self.tr("Search code, name or model"))
        self.new_button = QPushButton(self.tr("&New part…"), self)
        self.open_button = QPushButton(self.tr("&Open…") if not may_edit else self.tr("&Edit…"), self)
        self.import_button = QPushButton(self.tr("&Import from Excel…"), self)
        self.abc_button = QPushButton(self.tr("Recompute &ABC"), self)
        self.bins_button = QPushButton(self.tr("New &bins…"), self)
        self.labels_button = QPushButton(self.tr("Bin &labels…"), self)
        self.receive_button = QPushButton(self.tr("&Receive…"), self)
        self.issue_button = QPushButton(self.tr("I&ssue…"), self)
        for button in (self.new_button, self.import_button, self.abc_button, self.bins_button):
            button.setEnabled(may_edit)
        for button in (self.receive_button, self.issue_button):
            button.setEnabled(may_move)
        if not may_move:
            tip = self.tr("Only the warehouse keeper moves stock.")
            self.receive_button.setToolTip(tip)
            self.issue_button.setToolTip(tip)

        self.model = PartsModel(self._source(""), sort=Sort("code"), parent=self)
        self.list_view = LazyListView(self.model, list_name="warehouse_parts", user=actor.username, parent=self)
        # The mark reads "黄色：1 个月未动用": wider than its width in average (Latin) characters. A saved layout
        # still wins when the list is shown.
        self.list_view.table.horizontalHeader().resizeSection(SLOW_COLUMN, self.fontMetrics().averageCharWidth() * 22)
        self.status_label = QLabel(self, wordWrap=True)

        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        for button in (self.new_button, self.open_button, self.import_button, self.abc_button):
            top.addWidget(button)
        second = QHBoxLayout()
        for button in (self.receive_button, self.issue_button):
            second.addWidget(button)
        second.addStretch(1)
        second.addWidget(self.bins_button)
        second.addWidget(self.labels_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(second)
        layout.addWidget(self.list_view, 1)
        layout.addWidget(self.status_label)

        self._typing_timer = QTimer(self, singleShot=True, interval=TYPING_DELAY_MS)
        self._typing_timer.timeout.connect(self.apply_search)
        self.search_edit.textChanged.connect(self._typing_timer.start)
        self.search_edit.returnPressed.connect(self.apply_search)
        self.new_button.clicked.connect(self.on_new_button_clicked)
        self.open_button.clicked.connect(self.on_open_button_clicked)
        self.import_button.clicked.connect(self.on_import_button_clicked)
        self.abc_button.clicked.connect(self.on_abc_button_clicked)
        self.bins_button.clicked.connect(self.on_bins_button_clicked)
        self.labels_button.clicked.connect(self.on_labels_button_clicked)
        self.receive_button.clicked.connect(self.on_receive_button_clicked)
        self.issue_button.clicked.connect(self.on_issue_button_clicked)
        self.list_view.sig_activated.connect(self.on_list_view_activated)
        self.list_view.sig_current_changed.connect(self._update_buttons)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.search_edit.setFocus, context=context)
        if may_edit:
            QShortcut(QKeySequence(QKeySequence.StandardKey.New), self, self.on_new_button_clicked, context=context)
        self._update_buttons()

    # --- our API -------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the list again (F5), keeping the search."""
        self.apply_search()

    def apply_search(self) -> None:
        self._typing_timer.stop()
        text = self.search_edit.text().strip()
        try:
            self.model.set_source(self._source(text))
        except DomainError as exc:
            self.status_label.setText(exc.message)
            return
        self.model.set_highlight(text)
        self._update_buttons()

    def current_part_code(self) -> str:
        row = self.model.row_of_id(self.list_view.current_id())
        return self.model.row_values(row)[0] if row >= 0 else ""

    def open_part(self, part_id: int) -> PartDialog | None:
        try:
            record = parts.get_part(self._db, self._actor, part_id)
        except DomainError as exc:
            show_error(self, exc)
            return None
        dialog = PartDialog(self._db, self._actor, record, self)
        dialog.finished.connect(lambda *_: self._after_part_dialog(dialog))
        dialog.open()
        return dialog

    def start_import(self, path: Path) -> BackgroundTask:
        db, actor = self._db, self._actor
        self.import_button.setEnabled(False)
        self.task = run_in_background(
            self, self.tr("Importing parts from {file}").format(file=path.name),
            lambda progress: import_parts(db, actor, path=path, progress=progress),
            lambda report: self._show_report(report, path),
            on_cancelled=lambda: self._show_report(ImportReport(cancelled=True), path),
            on_failed=lambda: self.import_button.setEnabled(True))
        return self.task

    def start_recompute_abc(self) -> BackgroundTask:
        db, actor = self._db, self._actor
        self.abc_button.setEnabled(False)
        self.task = run_in_background(self, self.tr("Recomputing ABC classes"),
                                      lambda _progress: parts.recompute_abc(db, actor), self._on_abc_done,
                                      cancellable=False, on_failed=lambda: self.abc_button.setEnabled(True))
        return self.task

    # --- Qt overrides --------------------------------------------------------------------------------------

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # Shown again after another page may have moved stock: on-hand and marks are read again.
        if self._shown_before and not event.spontaneous():
            self.model.reload()
        self._shown_before = True

    # --- slots ---------------------------------------------------------------------------------------------

    def on_new_button_clicked(self) -> None:
        if not self.new_button.isEnabled():
            return
        dialog = PartDialog(self._db, self._actor, None, self)
        dialog.finished.connect(lambda *_: self._after_part_dialog(dialog))
        dialog.open()

    def on_open_button_clicked(self) -> None:
        if self.list_view.current_id() >= 0:
            self.open_part(self.list_view.current_id())

    def on_list_view_activated(self, part_id: int) -> None:
        self.open_part(part_id)

    def on_import_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import parts from Excel"), "",
                                              self.tr("Excel workbooks (*.xlsx *.xlsm)"))
        if path:
            self.start_import(Path(path))

    def on_abc_button_clicked(self) -> None:
        self.start_recompute_abc()

    def on_bins_button_clicked(self) -> None:
        dialog = BinsDialog(self._db, self._actor, self)
        if dialog.exec() == BinsDialog.DialogCode.Accepted:
            self.status_label.setText(self.tr("Bins created: {count}.").format(count=dialog.created))

    def on_labels_button_clicked(self) -> None:
        dialog = LabelsDialog(self._db, self._actor, self._settings, self)
        if dialog.exec() == LabelsDialog.DialogCode.Accepted:
            self.status_label.setText(self.tr("Bin labels printed: {count}.").format(count=dialog.count))

    def on_receive_button_clicked(self) -> None:
        dialog = ReceiveDialog(self._db, self._actor, self._settings.branch_code, self,
                               part_code=self.current_part_code())
        if dialog.exec() == ReceiveDialog.DialogCode.Accepted and dialog.document:
            self.status_label.setText(self.tr("Receipt {number} saved.").format(number=dialog.document.number))
            self.model.reload()

    def on_issue_button_clicked(self) -> None:
        dialog = IssueDialog(self._db, self._actor, self._settings.branch_code, self,
                             part_code=self.current_part_code())
        if dialog.exec() == IssueDialog.DialogCode.Accepted and dialog.document:
            self.status_label.setText(self.tr("Issue slip {number} saved.").format(number=dialog.document.number))
            self.model.reload()
            SlipPrintDialog(self._db, self._actor, self._settings, dialog.document.number, self,
                            just_issued=True).exec()

    # --- helpers -------------------------------------------------------------------------------------------

    def _source(self, text: str):
        return parts.part_list(self._db, self._actor, search=text)

    def _after_part_dialog(self, dialog: PartDialog) -> None:
        if dialog.saved is not None:
            self.status_label.setText(self.tr("Part {code} saved.").format(code=dialog.saved.code))
            self.model.reload()

    def _show_report(self, report: ImportReport, path: Path) -> None:
        self.import_button.setEnabled(allowed(self._actor, Permission.STOCK_EDIT))
        self.report_dialog = ImportReportDialog(report, path, self)
        self.report_dialog.open()
        if report.ok:
            self.model.reload()

    def _on_abc_done(self, counts: dict) -> None:
        self.abc_button.setEnabled(True)
        self.status_label.setText(self.tr("ABC classes recomputed: A {a}, B {b}, C {c}.").format(
            a=counts.get(AbcClass.A, 0), b=counts.get(AbcClass.B, 0), c=counts.get(AbcClass.C, 0)))
        self.model.reload()

    def _update_buttons(self, *_args) -> None:
        self.open_button.setEnabled(self.list_view.current_id() >= 0)
