"""What an import of parts did: the counts when the whole sheet was good, otherwise every problem with its
file, sheet, row and column, so the sheet can be corrected in one go (nothing was saved)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.services.part_import import ImportReport


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

        self.table = QTableWidget(len(report.problems), 5, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("File"), self.tr("Sheet"), self.tr("Row"), self.tr("Column"), self.tr("Problem")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column, width in enumerate((150, 80, 50, 120)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for row, problem in enumerate(report.problems):
            cells = (problem.file, problem.sheet, str(problem.row or ""), problem.column, problem.message)
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(row, column, item)
        self.table.setVisible(bool(report.problems))

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
        return [tuple(self.table.item(row, column).text() for column in range(5))
                for row in range(self.table.rowCount())]

    def on_copy_button_clicked(self) -> None:
        # Tab-separated: pastes into Excel as columns, next to the sheet being corrected.
        lines = ["\t".join(row) for row in self.problem_rows()]
        QApplication.clipboard().setText("\n".join(lines))
