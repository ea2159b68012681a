"""Bin labels (库位标签) with a barcode each, for a whole zone or for the bins from one code to another in
walking order, written to a PDF chosen by the user (off the GUI thread) and opened for printing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
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
from desktop.domain.errors import DomainError
from desktop.domain.warehouse import parse_bin_code
from desktop.services.stock_lists import zones
from desktop.services.stock_printing import print_bin_labels
from desktop.views.common import ERROR_STYLE
from desktop.views.tasks import BackgroundTask
from desktop.views.warehouse import widgets
from desktop.views.warehouse.widgets import documents_dir, run_in_background


class LabelsDialog(QDialog):
    def __init__(self, db: Database, actor: Actor, settings: Settings, parent: QWidget | None = None, *,
                 zone: str = ""):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._settings = settings
        self.count = 0
        self.task: BackgroundTask | None = None
        self.setWindowTitle(self.tr("Print bin labels"))
        self.resize(560, 0)

        self.zone_radio = QRadioButton(self.tr("A whole &zone:"), self)
        self.range_radio = QRadioButton(self.tr("&Bins from:"), self)
        group = QButtonGroup(self)
        group.addButton(self.zone_radio)
        group.addButton(self.range_radio)
        self.zone_combo = QComboBox(self)
        try:
            self.zone_combo.addItems(zones(db, actor))
        except DomainError:
            pass  # no permission: the print refuses with the service's message
        if zone:
            self.zone_combo.setCurrentIndex(max(self.zone_combo.findText(zone), 0))
        self.first_edit = QLineEdit(self, placeholderText="A-01-1-01", maxLength=12)
        self.last_edit = QLineEdit(self, placeholderText="A-03-5-08", maxLength=12)
        self.zone_radio.setChecked(True)
        self.path_edit = QLineEdit(str(documents_dir() / "bin-labels.pdf"), self)
        self.browse_button = QPushButton(self.tr("B&rowse…"), self)
        self.open_check = QCheckBox(self.tr("&Open the PDF when it is ready, to print it"), self)
        self.open_check.setChecked(True)
        self.message_label = QLabel(self, wordWrap=True)
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.print_button = self.buttons.addButton(self.tr("&Print"), QDialogButtonBox.ButtonRole.AcceptRole)

        zone_row = QHBoxLayout()
        zone_row.addWidget(self.zone_radio)
        zone_row.addWidget(self.zone_combo)
        zone_row.addStretch(1)
        range_row = QHBoxLayout()
        range_row.addWidget(self.range_radio)
        range_row.addWidget(self.first_edit)
        range_row.addWidget(QLabel(self.tr("to"), self))
        range_row.addWidget(self.last_edit)
        target = QHBoxLayout()
        target.addWidget(self.path_edit, 1)
        target.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(self.tr("PDF &file:"), target)
        layout = QVBoxLayout(self)
        layout.addLayout(zone_row)
        layout.addLayout(range_row)
        layout.addLayout(form)
        layout.addWidget(self.open_check)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)

        for edit in (self.first_edit, self.last_edit):
            edit.textEdited.connect(self.on_range_edited)
        self.zone_combo.activated.connect(lambda *_: self.zone_radio.setChecked(True))
        self.browse_button.clicked.connect(self.on_browse_button_clicked)
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def start(self) -> BackgroundTask | None:
        first, last = self.first_edit.text().strip().upper(), self.last_edit.text().strip().upper()
        by_zone = self.zone_radio.isChecked()
        if not by_zone:
            wrong = [code for code in (first, last) if code and parse_bin_code(code) is None]
            if wrong or not (first or last):
                self.message_label.setText(self.tr("Type the first and last bin codes, e.g. A-01-1-01 to A-03-5-08."))
                return None
        zone = self.zone_combo.currentText() if by_zone else ""
        first, last = ("", "") if by_zone else (first, last)
        target = Path(self.path_edit.text().strip()).expanduser()
        db, actor, font = self._db, self._actor, self._settings.pdf_font or None
        self.message_label.clear()
        self.print_button.setEnabled(False)
        self.task = run_in_background(
            self, self.tr("Printing bin labels"),
            lambda _progress: print_bin_labels(db, actor, target=target, zone=zone, first=first, last=last, font=font),
            lambda count: self._on_printed(count, target), cancellable=False,
            on_failed=lambda: self.print_button.setEnabled(True))
        return self.task

    def on_range_edited(self, _text: str) -> None:
        self.range_radio.setChecked(True)

    def on_buttons_accepted(self) -> None:
        self.start()

    def on_browse_button_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the labels as"), self.path_edit.text(),
                                              self.tr("PDF files (*.pdf)"))
        if path:
            self.path_edit.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    def _on_printed(self, count: int, target: Path) -> None:
        self.count = count
        if self.open_check.isChecked():
            widgets.open_file(target)
        self.accept()
