"""Engineers (for the after-sales administrator and the branch manager): each service engineer with the
kinds of work they are skilled in — one tick column per order category — and the area they cover, which
is what dispatch ranks engineers by. Enter, F2 or a double-click edits the current engineer
(engineer_dialog.py); each save is one audited change.

Engineers are users with the engineer role: they are added and disabled on the Users page.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.db.uow import Actor, Database
from desktop.domain.errors import DomainError
from desktop.domain.service_orders import OrderCategory, category_label
from desktop.services import engineers
from desktop.services.engineers import EngineerRow
from desktop.views.admin.engineer_dialog import EngineerDialog
from desktop.views.common import ERROR_STYLE, HINT_STYLE

NAME, USERNAME = 0, 1
FIRST_SKILL = 2
AREA = FIRST_SKILL + len(OrderCategory)
_CATEGORIES = tuple(OrderCategory)
DISABLED_TEXT = QBrush(QColor("#8a8a8a"))
_ROOT = QModelIndex()


class EngineersModel(QAbstractTableModel):
    """The engineers as a table; skills as check marks (read-only: the dialog changes them)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.rows: list[EngineerRow] = []

    def set_rows(self, rows: list[EngineerRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_of(self, user_id: int) -> int:
        return next((i for i, row in enumerate(self.rows) if row.user_id == user_id), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else AREA + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == NAME:
            return self.tr("Name")
        if section == USERNAME:
            return self.tr("User")
        if section == AREA:
            return self.tr("Area")
        return category_label(_CATEGORIES[section - FIRST_SKILL])

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if FIRST_SKILL <= column < AREA:
            category = _CATEGORIES[column - FIRST_SKILL]
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if row.skilled_in(category) else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.ToolTipRole:
                return category_label(category)
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if column == NAME:
                return row.name if row.is_active else self.tr("{name} (disabled)").format(name=row.name)
            if column == USERNAME:
                return row.username
            return row.area or self.tr("—")
        if role == Qt.ItemDataRole.ToolTipRole and column == AREA:
            return self.tr("Customers whose address starts with this are in this engineer's area.")
        if role == Qt.ItemDataRole.ForegroundRole and not row.is_active:
            return DISABLED_TEXT  # a disabled user is never dispatched; the row stays for their profile
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable if index.isValid() else Qt.ItemFlag.NoItemFlags


class EngineersPage(QWidget):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.model = EngineersModel(self)

        self.explain_label = QLabel(self.tr(
            "Dispatch ranks the engineers for an order by these: skilled in its kind of work +3, the customer's "
            "address in their area +2, and −1 for each order already booked that day. Engineers are added and "
            "disabled on the Users page."), self, wordWrap=True)
        self.explain_label.setStyleSheet(HINT_STYLE)
        self.edit_button = QPushButton(self.tr("&Edit…"), self)
        self.edit_button.setToolTip(self.tr("Enter, F2 or double-click"))
        self.inactive_check = QCheckBox(self.tr("Show &disabled engineers"), self)
        self.refresh_button = QPushButton(self.tr("Re&fresh"), self)
        self.refresh_button.setToolTip(self.tr("F5"))

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        char = self.fontMetrics().averageCharWidth()
        header.resizeSection(NAME, 14 * char)
        header.resizeSection(USERNAME, 12 * char)
        for column in range(FIRST_SKILL, AREA):
            header.resizeSection(column, max(self.fontMetrics().horizontalAdvance(
                self.model.headerData(column, Qt.Orientation.Horizontal)) + 4 * char, 10 * char))
        self.status_label = QLabel(self, wordWrap=True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.inactive_check)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain_label)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        for first, second in ((self.table, self.edit_button), (self.edit_button, self.inactive_check),
                              (self.inactive_check, self.refresh_button)):
            QWidget.setTabOrder(first, second)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence(Qt.Key.Key_F2), self, self.edit_current, context=context)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh, context=context)
        self.edit_button.clicked.connect(self.edit_current)
        self.refresh_button.clicked.connect(self.refresh)
        self.inactive_check.toggled.connect(self.refresh)
        self.table.doubleClicked.connect(self.on_table_double_clicked)
        self.table.installEventFilter(self)
        self.refresh()

    # --- our API -------------------------------------------------------------------------------------------

    def refresh(self, *_args) -> None:
        """Read the engineers again (F5), keeping the same one current."""
        current = self.current_engineer()
        try:
            rows = engineers.list_engineers(self._db, self._actor, include_inactive=self.inactive_check.isChecked())
        except DomainError as exc:
            self._say(exc.message, error=True)
            return
        self.model.set_rows(rows)
        row = self.model.row_of(current.user_id) if current else -1
        if self.model.rowCount():
            self.table.selectRow(max(row, 0))
        self.edit_button.setEnabled(bool(self.model.rowCount()))
        if not rows:
            self._say(self.tr("There are no service engineers yet: add users with the engineer role on the Users "
                              "page."))

    def current_engineer(self) -> EngineerRow | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() and index.row() < len(self.model.rows) else None

    def select_engineer(self, user_id: int) -> bool:
        row = self.model.row_of(user_id)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def edit_current(self) -> EngineerDialog | None:
        engineer = self.current_engineer()
        if engineer is None:
            return None
        dialog = EngineerDialog(self._db, self._actor, engineer, self)
        result = dialog.exec()
        if result == QDialog.DialogCode.Accepted and dialog.saved is not None:
            self._say(self.tr("{name}: saved.").format(name=dialog.saved.name))
        if dialog.saved is not None or dialog.conflict:
            self.refresh()
        self.table.setFocus()
        return dialog

    # --- Qt overrides --------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.edit_current()
            return True
        return super().eventFilter(watched, event)

    # --- slots ---------------------------------------------------------------------------------------------

    def on_table_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.edit_current()

    # --- helpers -------------------------------------------------------------------------------------------

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(ERROR_STYLE if error else HINT_STYLE)
