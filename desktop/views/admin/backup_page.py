"""Backup and restore of the branch database (domain.md §10: consistent backups while the app runs, kept
with dates; restore checked).

Both run on a worker thread: a backup of a large file takes seconds and the window must keep painting.
A restore replaces the database under the running application, which then quits so it starts afresh.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.config import Settings, data_dir
from desktop.db.backup import BackupError
from desktop.db.uow import Actor, Database
from desktop.domain.errors import DomainError
from desktop.i18n import translate
from desktop.services import maintenance
from desktop.views.tasks import BackgroundTask, show_progress

log = logging.getLogger(__name__)

FILE, MADE, SIZE = range(3)
_PATH_ROLE = Qt.ItemDataRole.UserRole


def backup_folder() -> Path:
    return data_dir() / "backups"


def default_backup_name(now: datetime | None = None) -> str:
    return f"branchdesk-{(now or datetime.now()).strftime('%Y%m%d-%H%M')}.sqlite3"


def list_backups(folder: Path) -> list[tuple[Path, datetime, int]]:
    """The backup files in `folder`, newest first: (path, when written, size in bytes)."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.sqlite3"):
        stat = path.stat()
        found.append((path, datetime.fromtimestamp(stat.st_mtime), stat.st_size))
    return sorted(found, key=lambda item: item[1], reverse=True)


class BackupPage(QWidget):
    sig_job_finished = Signal(bool)  # a backup or restore ended; True when it succeeded

    def __init__(self, db: Database, actor: Actor, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        del settings  # part of the page signature the main window uses; the folder is data_dir()/backups
        self._task: BackgroundTask | None = None
        self._is_sqlite = db.engine.dialect.name == "sqlite"

        self.info_label = QLabel(self, wordWrap=True)
        self.backup_button = QPushButton(self.tr("&Back up now…"), self)
        self.restore_button = QPushButton(self.tr("&Restore…"), self)
        self.refresh_button = QPushButton(self.tr("Re&fresh list"), self)
        self.folder_label = QLabel(
            self, wordWrap=True, textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([self.tr("File"), self.tr("Made"), self.tr("Size")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(FILE, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(MADE, 170)
        header.resizeSection(SIZE, 110)
        self.status_label = QLabel(
            self, wordWrap=True, textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse
        )

        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info_label)
        layout.addLayout(buttons)
        layout.addWidget(self.folder_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        if not self._is_sqlite:
            layout.addStretch(1)  # no list to fill the page: keep the explanation and buttons at the top

        self.backup_button.clicked.connect(self.on_backup_button_clicked)
        self.restore_button.clicked.connect(self.on_restore_button_clicked)
        self.refresh_button.clicked.connect(self.refresh)
        self.table.itemActivated.connect(self.on_table_item_activated)

        if self._is_sqlite:
            self.info_label.setText(
                self.tr(
                    "A backup is a consistent copy of the database, made while everybody keeps working. "
                    "Keep copies on another disk as well. Database: {path}"
                ).format(path=db.url.removeprefix("sqlite:///"))
            )
        else:
            # The same text the service gives when asked to back up a PostgreSQL database.
            self.info_label.setText(
                translate(
                    "Backup",
                    "This is a PostgreSQL database: back it up on the server with pg_dump (see the README).",
                )
            )
        self.refresh()

    # --- our API -------------------------------------------------------------------------------------------

    def folder(self) -> Path:
        return backup_folder()

    def is_busy(self) -> bool:
        return self._task is not None

    def refresh(self) -> None:
        """List the backups in the folder again, and enable what can be done now."""
        backups = list_backups(self.folder()) if self._is_sqlite else []
        self.folder_label.setText(self.tr("Backups in {folder}:").format(folder=self.folder()))
        self.folder_label.setVisible(self._is_sqlite)
        self.table.setRowCount(len(backups))
        locale = QLocale()
        for row, (path, made, size) in enumerate(backups):
            cells = (
                path.name,
                made.strftime("%Y-%m-%d %H:%M:%S"),
                locale.formattedDataSize(size, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(_PATH_ROLE, str(path))
                if column == SIZE:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        if backups and self.table.currentRow() < 0:
            self.table.selectRow(0)
        enabled = self._is_sqlite and not self.is_busy()
        for button in (self.backup_button, self.restore_button, self.refresh_button):
            button.setEnabled(enabled)
        self.table.setVisible(self._is_sqlite)

    def selected_backup(self) -> Path | None:
        item = self.table.item(self.table.currentRow(), FILE) if self.table.currentRow() >= 0 else None
        return Path(item.data(_PATH_ROLE)) if item else None

    # --- slots ---------------------------------------------------------------------------------------------

    def on_backup_button_clicked(self) -> None:
        folder = self.folder()
        folder.mkdir(parents=True, exist_ok=True)
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Back up the database to"),
            str(folder / default_backup_name()),
            self.tr("SQLite database (*.sqlite3)"),
        )
        if not name:
            return
        target = Path(name)
        if target.suffix != ".sqlite3":
            target = target.with_name(target.name + ".sqlite3")
        db, actor = self._db, self._actor
        self._start(
            lambda: maintenance.backup_database(db, actor, target=target),
            self.tr("Backing up the database…"),
            self._on_backup_done,
        )

    def on_restore_button_clicked(self) -> None:
        preselected = self.selected_backup()
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Restore the database from"),
            str(preselected or self.folder()),
            self.tr("SQLite database (*.sqlite3)"),
        )
        if not name:
            return
        source = Path(name)
        answer = QMessageBox.question(
            self,
            self.tr("Restore the database"),
            self.tr(
                "Replace the database with the backup {file}?\n\n"
                "Everything entered since that backup is lost. Make sure nobody else is using BranchDesk. "
                "The current database is kept as a safety copy in {folder}.\n\n"
                "BranchDesk closes when the restore is done; start it again."
            ).format(file=source.name, folder=self.folder()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        db, actor, safety_dir = self._db, self._actor, self.folder()
        self._start(
            lambda: (source, maintenance.restore_database(db, actor, source=source, safety_dir=safety_dir)),
            self.tr("Restoring the database…"),
            self._on_restore_done,
        )

    def on_table_item_activated(self, _item: QTableWidgetItem) -> None:
        if self.restore_button.isEnabled():
            self.on_restore_button_clicked()

    # --- helpers -------------------------------------------------------------------------------------------

    def _start(self, work: Callable[[], object], what: str, on_done: Callable[[object], None]) -> None:
        self._task = BackgroundTask(lambda _progress: work(), self)
        self._task.sig_finished.connect(on_done)
        self._task.sig_failed.connect(self._on_task_failed)
        # Appears only if the work lasts; a backup or restore cannot stop halfway, so no Cancel button.
        dialog = show_progress(self._task, self, what, cancellable=False)
        dialog.setValue(0)  # starts the dialog's show-after-0.5 s timer; the work reports no progress itself
        self.status_label.setText(what)
        self._task.start()
        self.refresh()

    def _finish(self, ok: bool) -> None:
        if self._task is not None:
            self._task.deleteLater()
            self._task = None
        self.refresh()
        self.sig_job_finished.emit(ok)

    def _on_backup_done(self, target: Path) -> None:
        self.status_label.setText(self.tr("Backup saved and checked: {path}").format(path=target))
        self._finish(True)
        row = next(
            (
                r
                for r in range(self.table.rowCount())
                if self.table.item(r, FILE).data(_PATH_ROLE) == str(target)
            ),
            -1,
        )
        if row >= 0:
            self.table.selectRow(row)

    def _on_restore_done(self, result: tuple[Path, Path | None]) -> None:
        source, safety = result
        self._finish(True)
        text = self.tr("The database was restored from {file}.").format(file=source.name)
        if safety is not None:
            text += "\n" + self.tr("The database as it was before is kept as {path}.").format(path=safety)
        text += "\n\n" + self.tr("BranchDesk closes now; start it again to work with the restored data.")
        self.status_label.setText(text)
        QMessageBox.information(self, self.tr("Database restored"), text)
        QApplication.quit()

    def _on_task_failed(self, exc: Exception) -> None:
        if isinstance(exc, (BackupError, DomainError)):
            message = exc.message if isinstance(exc, DomainError) else str(exc)
        else:
            log.error("backup or restore failed", exc_info=exc)
            message = self.tr("It failed unexpectedly: {error}. The details are in the log file.").format(
                error=exc
            )
        self.status_label.setText(message)
        self._finish(False)
        QMessageBox.warning(self, self.tr("Backup and restore"), message)
