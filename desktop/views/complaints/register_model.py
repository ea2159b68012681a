"""The register's rows with overdue complaints standing out (domain.md §3: "overdue items stand out").

A QIdentityProxyModel over the page-cached LazyTableModel: rows, columns, paging and sorting are the lazy
model's; the proxy only answers the foreground and background roles, from the "time left" column that the
service already computed ("-1d 3h" when overdue). It also passes on the lazy model's own API, so
LazyListView (which speaks that API) can show it as if it were the lazy model itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QIdentityProxyModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from desktop.models.lazy_table_model import LazyTableModel
from desktop.services.paging import ListColumn, ListSource, Sort

OVERDUE_TEXT = QBrush(QColor("#b3261e"))
OVERDUE_BACKGROUND = QBrush(QColor("#fde4e1"))
TIME_LEFT_KEY = "time_left"

_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ROOT = QModelIndex()  # the invisible parent of every row (a shared default argument; never changed)


class OverdueProxy(QIdentityProxyModel):
    sig_count_changed = Signal(int)
    sig_highlight_changed = Signal(str)

    def __init__(self, lazy: LazyTableModel, parent: QObject | None = None):
        super().__init__(parent)
        self._lazy = lazy
        self._time_left_column = -1
        # Connected before setSourceModel, so they run before the proxy passes the reset on to the views.
        lazy.modelAboutToBeReset.connect(self._forget_column)
        lazy.modelReset.connect(self._find_column)
        self.setSourceModel(lazy)
        lazy.sig_count_changed.connect(self.sig_count_changed)
        lazy.sig_highlight_changed.connect(self.sig_highlight_changed)
        self._find_column()

    # --- what makes this proxy -----------------------------------------------------------------------------

    def is_overdue(self, row: int) -> bool:
        if self._time_left_column < 0 or not 0 <= row < self._lazy.rowCount():
            return False
        text = self._lazy.index(row, self._time_left_column).data(_DISPLAY)
        return bool(text) and text.startswith("-")

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY):
        role = int(role)
        if role in (_FOREGROUND, _BACKGROUND):
            if not index.isValid() or not self.is_overdue(index.row()):
                return None
            return OVERDUE_TEXT if role == _FOREGROUND else OVERDUE_BACKGROUND
        return super().data(index, role)

    # Qt's declarations want the parent; the lazy model's callers (LazyListView) leave it out.
    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> bool:
        return super().canFetchMore(parent)

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> None:
        super().fetchMore(parent)

    # --- the lazy model's API, passed on -------------------------------------------------------------------

    @property
    def lazy(self) -> LazyTableModel:
        return self._lazy

    @property
    def source(self) -> ListSource | None:
        return self._lazy.source

    @property
    def columns(self) -> Sequence[ListColumn]:
        return self._lazy.columns

    def set_source(self, source: ListSource | None, *, sort: Sort | None = None) -> None:
        self._lazy.set_source(source, sort=sort)

    def reload(self) -> None:
        self._lazy.reload()

    def sort_key(self) -> Sort | None:
        return self._lazy.sort_key()

    def sort_section(self) -> int:
        return self._lazy.sort_section()

    def sort_order(self) -> Qt.SortOrder:
        return self._lazy.sort_order()

    def is_sortable(self, column: int) -> bool:
        return self._lazy.is_sortable(column)

    def row_id(self, row: int) -> int:
        return self._lazy.row_id(row)

    def row_of_id(self, row_id: int) -> int:
        return self._lazy.row_of_id(row_id)

    def row_values(self, row: int) -> tuple:
        return self._lazy.row_values(row)

    def total_count(self) -> int | None:
        return self._lazy.total_count()

    def request_count(self) -> None:
        self._lazy.request_count()

    def fetch_pages(self, pages: int) -> int:
        return self._lazy.fetch_pages(pages)

    def set_highlight(self, text: str) -> None:
        self._lazy.set_highlight(text)

    def highlight(self) -> str:
        return self._lazy.highlight()

    # --- helpers -------------------------------------------------------------------------------------------

    def _forget_column(self) -> None:
        self._time_left_column = -1

    def _find_column(self) -> None:
        keys = [column.key for column in self._lazy.columns]
        self._time_left_column = keys.index(TIME_LEFT_KEY) if TIME_LEFT_KEY in keys else -1
