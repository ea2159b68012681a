"""Printing an issue slip (配件出库单): A5 or A4, written to a PDF off the GUI thread, then opened in the
system's viewer, from which it is printed (one print path for every printer the PC knows)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.config import Settings
from desktop.db.uow import Actor, Database
from desktop.services.stock_printing import print_issue_slip
from desktop.views.common import HINT_STYLE
from desktop.views.tasks import BackgroundTask
from desktop.views.warehouse import widgets
from desktop.views.warehouse.widgets import documents_dir, run_in_background


class SlipPrintDialog(QDialog):
    def __init__(self, db: Database, actor: Actor, settings: Settings, number: str, parent: QWidget | None = None,
                 *, just_issued: bool = False):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._settings = settings
        self.number = number
        self.printed: Path | None = None
        self.task: BackgroundTask | None = None
        self.setWindowTitle(self.tr("Print issue slip {number}").format(number=number))
        self.resize(560, 0)

        intro = (self.tr("Issue slip {number} is saved. Print it for the picker: the bins are listed in "
                         "walking order.") if just_issued else self.tr("Print issue slip {number}."))
        self.intro_label = QLabel(intro.format(number=number), self, wordWrap=True)
        self.a5_radio = QRadioButton(self.tr("A&5"), self)
        self.a4_radio = QRadioButton(self.tr("A&4"), self)
        self.a5_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.a5_radio)
        group.addButton(self.a4_radio)
        pages = QHBoxLayout()
        pages.addWidget(self.a5_radio)
        pages.addWidget(self.a4_radio)
        pages.addStretch(1)
        self.path_edit = QLineEdit(str(documents_dir() / f"{number}.pdf"), self)
        self.browse_button = QPushButton(self.tr("&Browse…"), self)
        target = QHBoxLayout()
        target.addWidget(self.path_edit, 1)
        target.addWidget(self.browse_button)
        self.open_check = QCheckBox(self.tr("&Open the PDF when it is ready, to print it"), self)
        self.open_check.setChecked(True)
        self.status_label = QLabel(self, wordWrap=True)
        self.status_label.setStyleSheet(HINT_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.print_button = self.buttons.addButton(self.tr("&Print"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.print_button.setDefault(True)

        form = QFormLayout()
        form.addRow(self.tr("Paper:"), pages)
        form.addRow(self.tr("PDF &file:"), target)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addLayout(form)
        layout.addWidget(self.open_check)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)
        self.browse_button.clicked.connect(self.on_browse_button_clicked)
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def page(self) -> str:
        return "A4" if self.a4_radio.isChecked() else "A5"

    def start(self) -> BackgroundTask:
        target = Path(self.path_edit.text().strip()).expanduser()
        db, actor, number, page = self._db, self._actor, self.number, self.page()
        branch, font = self._settings.branch_name, self._settings.pdf_font or None
        self.print_button.setEnabled(False)
        self.status_label.setText(self.tr("Writing {file}…").format(file=target.name))
        self.task = run_in_background(
            self, self.tr("Printing issue slip {number}").format(number=number),
            lambda _progress: print_issue_slip(db, actor, number=number, target=target, branch_name=branch,
                                               page=page, font=font),
            self._on_printed, cancellable=False, on_failed=self._on_failed)
        return self.task

    def on_buttons_accepted(self) -> None:
        self.start()

    def on_browse_button_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the issue slip as"), self.path_edit.text(),
                                              self.tr("PDF files (*.pdf)"))
        if path:
            self.path_edit.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    def _on_printed(self, path: Path) -> None:
        self.printed = path
        if self.open_check.isChecked() and not widgets.open_file(path):
            self.status_label.setText(self.tr("Saved to {path}; no PDF viewer could open it.").format(path=path))
            self.print_button.setEnabled(True)
            return
        self.accept()

    def _on_failed(self) -> None:
        self.status_label.setText(self.tr("Not printed."))
        self.print_button.setEnabled(True)
