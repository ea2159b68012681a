"""The list of problems of a refused import — file, sheet, row, column, what is wrong — shared by every
import report, with a copy to the clipboard that pastes into Excel as columns beside the sheet being fixed."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from desktop.services.sheet_reading import Problem


class ProblemsTable(QTableWidget):
    def __init__(self, problems: Sequence[Problem], parent: QWidget | None = None):
        super().__init__(len(problems), 5, parent)
        self.setHorizontalHeaderLabels([self.tr("File"), self.tr("Sheet"), self.tr("Row"), self.tr("Column"),
                                        self.tr("Problem")])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        for column, width in enumerate((150, 80, 50, 120)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for row, problem in enumerate(problems):
            cells = (problem.file, problem.sheet, str(problem.row or ""), problem.column, problem.message)
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.setItem(row, column, item)
        self.setVisible(bool(problems))

    def rows(self) -> list[tuple[str, ...]]:
        return [tuple(self.item(row, column).text() for column in range(5)) for row in range(self.rowCount())]

    def copy_to_clipboard(self) -> None:
        QApplication.clipboard().setText("\n".join("\t".join(row) for row in self.rows()))
