"""The user list of the administration screen: a few dozen rows, so they are all held at once."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.domain.base import utcnow
from desktop.services.users import UserRow

USERNAME, NAME, ROLE, ACTIVE, LOCKED_UNTIL, LAST_LOGIN = range(6)
UserRowRole = Qt.ItemDataRole.UserRole  # the UserRow of the row

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ROOT = QModelIndex()  # the invisible root: a table's rows have no other parent
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_USER_ROW = int(UserRowRole)
_GREY = QBrush(QColor(128, 128, 128))


def local_time(value: datetime | None) -> str:
    """A stored UTC moment on the reader's own clock, to the second: 2026-07-01 14:30:05."""
    return "" if value is None else value.astimezone().strftime("%Y-%m-%d %H:%M:%S")


class UsersModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[UserRow] = []
        self._titles = (
            self.tr("User name"),
            self.tr("Name"),
            self.tr("Role"),
            self.tr("Active"),
            self.tr("Locked until"),
            self.tr("Last login"),
        )

    # --- our API -------------------------------------------------------------------------------------------

    def set_rows(self, rows: list[UserRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def user_at(self, row: int) -> UserRow:
        return self._rows[row]

    def row_of_user(self, user_id: int) -> int:
        return next((n for n, user in enumerate(self._rows) if user.id == user_id), -1)

    # --- Qt overrides --------------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._titles)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY):
        if not index.isValid():
            return None
        user = self._rows[index.row()]
        role = int(role)
        if role == _DISPLAY:
            return self._text(user, index.column())
        if role == _FOREGROUND and not user.is_active:
            return _GREY  # disabled accounts stay listed (records are never deleted) but recede
        if role == _USER_ROW:
            return user
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if (
            orientation == Qt.Orientation.Horizontal
            and int(role) == _DISPLAY
            and 0 <= section < len(self._titles)
        ):
            return self._titles[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    # --- helpers -------------------------------------------------------------------------------------------

    def _text(self, user: UserRow, column: int) -> str:
        if column == USERNAME:
            return user.username
        if column == NAME:
            return user.display_name
        if column == ROLE:
            return user.role.label
        if column == ACTIVE:
            return self.tr("Yes") if user.is_active else self.tr("No (disabled)")
        if column == LOCKED_UNTIL:
            # A lockout that has run out means nothing to the reader any more.
            locked = user.locked_until is not None and user.locked_until > utcnow()
            return local_time(user.locked_until) if locked else ""
        return local_time(user.last_login_at)
