"""What an import of parts did: the counts when the whole sheet was good, otherwise every problem with its
file, sheet, row and column, so the sheet can be corrected in one go (nothing was saved)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.part_import import ImportReport
from desktop.views.problems_table import ProblemsTable


class ImportReportDialog(QDialog):
    def __init__(self, report: ImportReport, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(self.tr("Import of {file}").format(file=path.name))
        self.resize(860, 420 if report.problems else 160)

        if report.cancelled:
            text = self.tr("The import was cancelled; nothing was saved.")
        elif report.ok:
            text = self.tr("{rows} rows imported: {created} new parts, {updated} parts updated.").format(
                rows=report.rows, created=report.created, updated=report.updated)
        else:
            text = self.tr("Nothing was imported: {count} problems in {rows} rows. Correct the sheet and import "
                           "it again; the whole sheet is saved only when every row is right.").format(
                count=len(report.problems), rows=report.rows)
        self.summary_label = QLabel(text, self, wordWrap=True)

        self.table = ProblemsTable(report.problems, self)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton(self.tr("&Copy problems"), self)
        self.copy_button.setVisible(bool(report.problems))
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.on_copy_button_clicked)

    def problem_rows(self) -> list[tuple[str, ...]]:
        return self.table.rows()

    def on_copy_button_clicked(self) -> None:
        self.table.copy_to_clipboard()
