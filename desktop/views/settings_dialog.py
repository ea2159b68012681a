"""The per-user settings of this PC (config.py): language, database, branch, PDF font, idle lock.

Language and database take effect at the next start (the running window is built in one language on one
database). Only a role with the settings permission changes the branch, database, font and lock time; any
user may change the language. When the database cannot be opened at start, the dialog is offered with full
access, because nobody can log in to fix it otherwise (and the person at the PC can edit the file anyway).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from desktop.config import Settings, default_db_url, save_settings
from desktop.db.engine import normalize_url
from desktop.views.common import ERROR_STYLE, HINT_STYLE

# Language names are shown in their own language, so a user who cannot read the current one finds theirs.
LANGUAGE_NAMES = (("zh_CN", "中文（简体）"), ("en", "English"))
MAX_IDLE_MINUTES = 240


def db_url_problem(text: str) -> str:
    """What is wrong with a database URL as typed; "" when it is usable (empty means the default file)."""
    text = text.strip()
    if not text:
        return ""
    try:
        url = make_url(normalize_url(text))
    except (ArgumentError, ValueError):
        return QCoreApplication.translate(
            "SettingsDialog",
            "This is not a database URL. Examples: D:/BranchDesk/branch.sqlite3 or "
            "postgresql://user:password@server/branchdesk",
        )
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        return QCoreApplication.translate(
            "SettingsDialog", "BranchDesk works with a SQLite file or a PostgreSQL server, not {backend}."
        ).format(backend=backend)
    if backend == "sqlite" and (not url.database or url.database == ":memory:"):
        return QCoreApplication.translate("SettingsDialog", "Give the path of the SQLite file.")
    if backend == "postgresql" and not url.database:
        return QCoreApplication.translate(
            "SettingsDialog", "Give the name of the database on the PostgreSQL server."
        )
    return ""


class BranchCodeValidator(QValidator):
    """2 to 10 letters or digits, upper case (the code is part of every complaint number)."""

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        text = text.upper()
        if not all(c.isascii() and c.isalnum() for c in text) or len(text) > 10:
            return QValidator.State.Invalid, text, pos
        if len(text) < 2:
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Acceptable, text, pos


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, *, full_access: bool = True, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings  # what was saved, after accept()
        self.setWindowTitle(self.tr("Settings"))

        self.language_combo = QComboBox(self)
        for code, name in LANGUAGE_NAMES:
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(settings.language)))
        self.db_url_edit = QLineEdit(settings.db_url, self)
        self.db_url_edit.setPlaceholderText(self.tr("empty: {url}").format(url=default_db_url()))
        self.db_url_edit.setClearButtonEnabled(True)
        self.branch_code_edit = QLineEdit(settings.branch_code, self)
        self.branch_code_edit.setValidator(BranchCodeValidator(self))
        self.branch_code_edit.setMaxLength(10)
        self.branch_name_edit = QLineEdit(settings.branch_name, self)
        self.branch_name_edit.setMaxLength(80)
        self.pdf_font_edit = QLineEdit(settings.pdf_font, self)
        self.pdf_font_edit.setPlaceholderText(self.tr("empty: a Chinese font installed on this PC"))
        self.pdf_font_edit.setClearButtonEnabled(True)
        self.browse_button = QPushButton(self.tr("&Browse…"), self)
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(self.on_browse_button_clicked)
        self.idle_spin = QSpinBox(self)
        self.idle_spin.setRange(0, MAX_IDLE_MINUTES)
        self.idle_spin.setSuffix(self.tr(" min"))
        self.idle_spin.setSpecialValueText(self.tr("never"))
        self.idle_spin.setValue(min(max(settings.idle_lock_minutes, 0), MAX_IDLE_MINUTES))

        note = QLabel(self.tr("Language and database take effect when BranchDesk starts next time."), self)
        note.setWordWrap(True)
        note.setStyleSheet(HINT_STYLE)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()

        font_row = QHBoxLayout()
        font_row.addWidget(self.pdf_font_edit, 1)
        font_row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(self.tr("&Language:"), self.language_combo)
        form.addRow(self.tr("&Database:"), self.db_url_edit)
        form.addRow(self.tr("Branch &code:"), self.branch_code_edit)
        form.addRow(self.tr("Branch &name:"), self.branch_name_edit)
        font_label = QLabel(self.tr("PDF &font:"), self)
        font_label.setBuddy(self.pdf_font_edit)  # a row holding a layout gets no buddy of its own
        form.addRow(font_label, font_row)
        form.addRow(self.tr("&Lock after idle:"), self.idle_spin)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)  # Enter saves from any field
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if not full_access:
            for widget in (
                self.db_url_edit,
                self.branch_code_edit,
                self.branch_name_edit,
                self.pdf_font_edit,
                self.browse_button,
                self.idle_spin,
            ):
                widget.setEnabled(False)
            restricted = QLabel(
                self.tr(
                    "Only the system administrator changes the database, branch, PDF font and lock time."
                ),
                self,
            )
            restricted.setWordWrap(True)
            restricted.setStyleSheet(HINT_STYLE)
            layout.addWidget(restricted)
        layout.addWidget(note)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def problem(self) -> tuple[str, QWidget | None]:
        """The first thing that keeps the settings from being saved, and the field to fix."""
        db_problem = db_url_problem(self.db_url_edit.text())
        if db_problem:
            return db_problem, self.db_url_edit
        if not self.branch_code_edit.hasAcceptableInput():
            return self.tr("The branch code is 2 to 10 letters or digits, e.g. GZ01."), self.branch_code_edit
        if not self.branch_name_edit.text().strip():
            return self.tr("Enter the branch name: it is printed on every form."), self.branch_name_edit
        font = self.pdf_font_edit.text().strip()
        if font and not Path(font).is_file():
            return self.tr("There is no font file {path}.").format(path=font), self.pdf_font_edit
        return "", None

    def on_buttons_accepted(self) -> None:
        message, widget = self.problem()
        if message:
            self.error_label.setText(message)
            self.error_label.show()
            if widget is not None:
                widget.setFocus()
            return
        url = self.db_url_edit.text().strip()
        new = replace(
            self.settings,
            language=self.language_combo.currentData(),
            db_url=normalize_url(url) if url else "",
            branch_code=self.branch_code_edit.text().upper(),
            branch_name=self.branch_name_edit.text().strip(),
            pdf_font=self.pdf_font_edit.text().strip(),
            idle_lock_minutes=self.idle_spin.value(),
        )
        try:
            save_settings(new)
        except OSError as exc:
            self.error_label.setText(self.tr("The settings could not be saved: {error}").format(error=exc))
            self.error_label.show()
            return
        self.settings = new
        self.accept()

    def on_browse_button_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("PDF font"), self.pdf_font_edit.text(), self.tr("Fonts (*.ttf *.ttc *.otf)")
        )
        if path:
            self.pdf_font_edit.setText(path)
