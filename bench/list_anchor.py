"""The anchor for the list benchmarks: the least a keyset-paged customer table can do.

No sorting choice, no cache limit, no formatting, no count: a page of 200 raw rows at a time. The real
`LazyTableModel` is measured against this, so its extra work has a price tag.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QTableView
from sqlalchemy import Engine, text

ROOT = QModelIndex()
HEADERS = ("id", "name", "phone", "region", "importance", "created_at")
FIRST = text(f"SELECT {', '.join(HEADERS)} FROM customers ORDER BY name, id LIMIT :limit")
NEXT = text(
    f"SELECT {', '.join(HEADERS)} FROM customers WHERE (name, id) > (:name, :id) ORDER BY name, id LIMIT :limit"
)


class AnchorModel(QAbstractTableModel):
    def __init__(self, engine: Engine, page_size: int = 200):
        super().__init__()
        self._engine, self._page, self._done = engine, page_size, False
        self._rows = self._read(None)

    def _read(self, last: tuple | None) -> list[tuple]:
        with self._engine.connect() as conn:
            if last is None:
                rows = conn.execute(FIRST, {"limit": self._page}).all()
            else:
                rows = conn.execute(NEXT, {"name": last[1], "id": last[0], "limit": self._page}).all()
        self._done = len(rows) < self._page
        return [tuple(row) for row in rows]

    def rowCount(self, parent=ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=ROOT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and index.isValid():
            return str(self._rows[index.row()][index.column()])
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def canFetchMore(self, parent=ROOT) -> bool:
        return not parent.isValid() and not self._done

    def fetchMore(self, parent=ROOT) -> None:
        rows = self._read(self._rows[-1]) if self._rows else []
        if rows:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()


def anchor_view(engine: Engine) -> QTableView:
    """A bare table over the anchor model, as the benchmark shows it."""
    view = QTableView()
    model = AnchorModel(engine)
    model.setParent(view)  # the view keeps its model alive
    view.setModel(model)
    return view
