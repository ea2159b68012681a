"""What an import of a filled-in count sheet did: how many counts, found parts and blank rows, the rows that
were added up, or — when refused — every problem with its file, sheet, row and column (nothing was saved)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.stocktake_sheets import CountImportReport
from desktop.views.problems_table import ProblemsTable


class CountImportReportDialog(QDialog):
    def __init__(self, report: CountImportReport, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(self.tr("Import of {file}").format(file=path.name))
        self.resize(860, 440 if report.problems or report.added_up else 180)

        if report.cancelled:
            text = self.tr("The import was cancelled; nothing was saved.")
        elif report.ok:
            text = self.tr("{rows} rows read: {counted} counts recorded, {found} of them parts found where the "
                           "book had none; {blank} rows left blank (not counted).").format(
                rows=report.rows, counted=report.counted, found=report.found, blank=report.blank)
        else:
            text = self.tr("Nothing was saved: {count} problems in {rows} rows. Correct the sheet and import it "
                           "again; the counts are saved only when every row is right.").format(
                count=len(report.problems), rows=report.rows)
        self.summary_label = QLabel(text, self, wordWrap=True)

        self.added_label = QLabel(self.tr("Rows for the same bin and part were added up:"), self)
        self.added_text = QPlainTextEdit("\n".join(report.added_up), self, readOnly=True)
        self.added_text.setMaximumHeight(90)
        for widget in (self.added_label, self.added_text):
            widget.setVisible(report.ok and bool(report.added_up))

        self.table = ProblemsTable(report.problems, self)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton(self.tr("&Copy problems"), self)
        self.copy_button.setVisible(bool(report.problems))
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.added_label)
        layout.addWidget(self.added_text)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.on_copy_button_clicked)

    def problem_rows(self) -> list[tuple[str, ...]]:
        return self.table.rows()

    def on_copy_button_clicked(self) -> None:
        self.table.copy_to_clipboard()
