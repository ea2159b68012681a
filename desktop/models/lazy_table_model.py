"""The table model behind every big list (architecture.md convention 3).

Rows arrive a page at a time from a `ListSource` (keyset paging, never OFFSET): the view asks for the next
page when it scrolls near the end (`canFetchMore`/`fetchMore`). Sorting asks the source for a new first
page. The model keeps every fetched row's id (8 bytes each) plus the cursor at the end of each page, and the
values of at most `max_cached_pages` pages; a page whose values were dropped is read again in `data()` with
one keyset query starting after the previous page's last row. Memory follows what the user scrolled
through, not the size of the table.

The row count can take longer than a page, so it is only computed when a view asks (`request_count`, which
LazyListView does once the rows are painted), on a worker thread at low priority, and delivered by
`sig_count_changed`. A source with a `count_cap` (a search over a million rows) counts at most cap + 1 rows:
a count above the cap means "more than cap". Showing another list cancels the count of the one before.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from array import array
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    Qt,
    QThread,
    QThreadPool,
    Signal,
)

from desktop.i18n import translate
from desktop.services.paging import CountCancel, CountCancelled, ListColumn, ListSource, Sort, count_for_label

log = logging.getLogger(__name__)

PAGE_SIZE = 200
MAX_CACHED_PAGES = 50
COUNT_NICENESS = 10  # Linux: how much lower than the GUI a counting thread runs (QThread priorities do nothing there)

IdRole = Qt.ItemDataRole.UserRole  # the row's id
MatchRole = Qt.ItemDataRole.UserRole + 1  # [(start, length), ...] of the highlighted text in the display text

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_ID = int(IdRole)
_MATCH = int(MatchRole)
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter
_ROLES = frozenset((_DISPLAY, _ALIGN, _MATCH, _ID))
_ROOT = QModelIndex()  # the invisible parent of every row (a shared default argument; never changed)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


def display_text(value: object) -> str:
    """How a value reads in a list cell (and in an export of what the user sees)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, datetime):
        # Stored in UTC; people read their own clock. A naive value is already local.
        local = value.astimezone() if value.tzinfo is not None else value
        return local.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, Decimal | float):
        return f"{value:,.2f}"
    return str(value)


def _alignment(value: object):
    if isinstance(value, bool):
        return _CENTER
    if isinstance(value, int | float | Decimal):
        return _RIGHT
    return _LEFT


def match_spans(text: str, needle: str) -> list[tuple[int, int]]:
    """Where `needle` (already lower case) occurs in `text`, ignoring case: [(start, length), ...]."""
    if not needle or not text:
        return []
    haystack = text.lower()
    if len(haystack) != len(text):  # a few letters change length in lower case; positions would lie
        return []
    spans, start = [], haystack.find(needle)
    while start >= 0:
        spans.append((start, len(needle)))
        start = haystack.find(needle, start + len(needle))
    return spans


_count_pool: QThreadPool | None = None


def count_pool() -> QThreadPool:
    """The threads that count rows. Their own pool: counts that wait for a busy database must not hold up
    other background work (imports, exports) in the global pool."""
    global _count_pool
    if _count_pool is None:
        _count_pool = QThreadPool()
        _count_pool.setMaxThreadCount(2)
    return _count_pool


class _CountSignals(QObject):
    sig_done = Signal(int, int)  # generation, count
    sig_failed = Signal(int)  # generation


def _lower_priority() -> None:
    """A count is background work: the GUI thread painting the rows comes first on a busy CPU."""
    QThread.currentThread().setPriority(QThread.Priority.LowestPriority)  # Windows, macOS
    if sys.platform.startswith("linux"):
        try:  # Linux: a thread's nice value is its own (setpriority with the thread id; the main thread's is the pid)
            wanted = min(os.getpriority(os.PRIO_PROCESS, os.getpid()) + COUNT_NICENESS, 19)
            thread = threading.get_native_id()
            if os.getpriority(os.PRIO_PROCESS, thread) < wanted:  # only ever lower, and once per pool thread
                os.setpriority(os.PRIO_PROCESS, thread, wanted)
        except OSError:
            pass


class _CountJob(QRunnable):
    def __init__(self, source: ListSource, generation: int, signals: _CountSignals, cancel: CountCancel):
        super().__init__()
        self._source = source
        self._generation = generation
        self._signals = signals
        self._cancel = cancel

    def run(self) -> None:
        if self._cancel.cancelled:
            return  # the list changed while this count waited for a thread: nobody wants it
        _lower_priority()
        try:
            count = count_for_label(self._source, self._cancel)
        except CountCancelled:
            return
        except Exception:
            if self._cancel.cancelled:
                return
            log.exception("counting the rows of a list failed")
            self._emit(self._signals.sig_failed, self._generation)
        else:
            self._emit(self._signals.sig_done, self._generation, int(count))

    @staticmethod
    def _emit(signal, *args) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:
            pass  # the application is shutting down and took the signal object with it: nobody is waiting


class LazyTableModel(QAbstractTableModel):
    sig_count_changed = Signal(int)  # the number of rows of the whole list; -1 while not known
    sig_highlight_changed = Signal(str)  # what set_highlight marks now ("" for nothing)

    def __init__(
        self,
        source: ListSource | None = None,
        *,
        sort: Sort | None = None,
        page_size: int = PAGE_SIZE,
        max_cached_pages: int = MAX_CACHED_PAGES,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        if page_size < 1 or max_cached_pages < 2:
            raise ValueError("page_size must be at least 1 and max_cached_pages at least 2")
        self._page_size = page_size
        self._max_pages = max_cached_pages
        self._source: ListSource | None = None
        self._columns: Sequence[ListColumn] = ()
        self._sort: Sort | None = sort
        self._generation = 0  # changes with the source; older counts are ignored
        self._count: int | None = None
        self._counting = False
        self._count_cancel: CountCancel | None = None  # stops the count running for the list shown now
        self._highlight = ""
        self._busy = False  # inside a reset or an insert
        self._clear()
        self.set_source(source, sort=sort)

    # --- our API -------------------------------------------------------------------------------------------

    @property
    def source(self) -> ListSource | None:
        return self._source

    @property
    def columns(self) -> Sequence[ListColumn]:
        return self._columns

    @property
    def page_size(self) -> int:
        return self._page_size

    def set_source(self, source: ListSource | None, *, sort: Sort | None = None) -> None:
        """Show another list (a new filter or search is a new source); forgets rows and count."""
        self._generation += 1
        self._count = None
        self._counting = False
        self.cancel_count()
        try:
            self._reset(source, sort or self._sort)
        finally:
            self.sig_count_changed.emit(-1)

    def reload(self) -> None:
        """Read the list again from the database (rows were added or changed elsewhere)."""
        self.set_source(self._source, sort=self._sort)

    def sort_key(self) -> Sort | None:
        return self._sort

    def sort_section(self) -> int:
        """The column the list is sorted by, or -1 when it is sorted by something not shown (e.g. the id)."""
        keys = [column.key for column in self._columns]
        return keys.index(self._sort.key) if self._sort and self._sort.key in keys else -1

    def sort_order(self) -> Qt.SortOrder:
        descending = self._sort is not None and self._sort.descending
        return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder

    def is_sortable(self, column: int) -> bool:
        return 0 <= column < len(self._columns) and self._columns[column].sortable

    def row_id(self, row: int) -> int:
        return self._ids[row]

    def row_of_id(self, row_id: int) -> int:
        """The row showing this id among the rows fetched so far, or -1."""
        try:
            return self._ids.index(row_id)
        except ValueError:
            return -1

    def row_values(self, row: int) -> tuple:
        if not 0 <= row < len(self._ids):
            raise IndexError(row)
        return self._page_values(row // self._page_size)[row % self._page_size]

    def cached_pages(self) -> int:
        """How many pages of values are held now (at most `max_cached_pages`)."""
        return len(self._pages)

    def total_count(self) -> int | None:
        """The number of rows of the whole list if known; see `request_count`. For a source with a
        `count_cap`, a number above the cap means "more rows than the cap" (it is cap + 1)."""
        return self._count

    def cancel_count(self) -> None:
        """Stop counting (the list goes away, or another list replaces it); a later `request_count` starts
        again."""
        if self._count_cancel is not None:
            self._count_cancel.cancel()
            self._count_cancel = None
        self._counting = False

    def request_count(self) -> None:
        """Count the rows on a worker thread and emit `sig_count_changed`; at once if known already."""
        if self._count is not None:
            self.sig_count_changed.emit(self._count)
            return
        if self._counting or self._source is None:
            return
        self._counting = True
        # One signal object per job, owned by the job only: if this model goes away first, Qt drops the
        # connections and the result goes nowhere, instead of reaching a deleted object.
        signals = _CountSignals()
        signals.sig_done.connect(self._on_count_done)
        signals.sig_failed.connect(self._on_count_failed)
        self._count_cancel = CountCancel()
        count_pool().start(_CountJob(self._source, self._generation, signals, self._count_cancel))

    def set_highlight(self, text: str) -> None:
        """Mark where `text` occurs in the cells (MatchRole), e.g. what the user searched for."""
        needle = text.strip().lower()
        if needle == self._highlight:
            return
        self._highlight = needle
        if self._ids and self._columns:
            last = self.index(len(self._ids) - 1, len(self._columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last, [MatchRole])
        self.sig_highlight_changed.emit(needle)

    def highlight(self) -> str:
        return self._highlight

    # --- Qt overrides --------------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY):
        role = int(role)
        # Checked first and cheaply: the delegate asks for a dozen roles per cell and paint is hot.
        if role not in _ROLES or not index.isValid() or (role == _MATCH and not self._highlight):
            return None
        row = index.row()
        if role == _ID:
            return self._ids[row]
        page = row // self._page_size
        values = self._pages.get(page) if page == self._last_page else None
        if values is None:
            values = self._page_values(page)
        value = values[row - page * self._page_size][index.column()]
        if role == _DISPLAY:
            return display_text(value)
        if role == _ALIGN:
            return _alignment(value)
        return match_spans(display_text(value), self._highlight) or None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        if int(role) == _DISPLAY:
            return translate("Columns", self._columns[section].title)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> bool:
        # Not while a page is being added: a slot that asks for more in between would read it twice.
        return not parent.isValid() and self._source is not None and not self._at_end and not self._busy

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> None:
        if self.canFetchMore(parent):
            self._fetch_pages()

    def fetch_pages(self, pages: int) -> int:
        """Like `fetchMore`, `pages` pages at once (one query, one insert): reading to the end is faster.
        Returns how many rows came."""
        return self._fetch_pages(pages) if self.canFetchMore() else 0

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not self.is_sortable(column):
            return  # the header may offer it; SQL sorts only by the columns the source has indexes for
        wanted = Sort(self._columns[column].key, order == Qt.SortOrder.DescendingOrder)
        if wanted != self._sort:  # a view re-applies the current sort when it is attached: nothing to read
            self._reset(self._source, wanted)

    # --- paging --------------------------------------------------------------------------------------------

    def _clear(self) -> None:
        self._ids = array("q")
        self._page_ends: list[tuple] = []  # the cursor of each page's last row: where the next page starts
        # Page number -> its rows' values, the least recently read first.
        self._pages: OrderedDict[int, list[tuple]] = OrderedDict()
        self._last_page = -1  # the page data() read last; skips the LRU bookkeeping while painting one page
        self._at_end = self._source is None

    def _valid_sort(self, sort: Sort | None) -> Sort | None:
        # A key that is not a column (the id, say) is the caller's choice and the source refuses it if it
        # cannot sort by it; a column that cannot be sorted falls back to the first one that can.
        if sort is not None and all(c.key != sort.key or c.sortable for c in self._columns):
            return sort
        return next((Sort(c.key) for c in self._columns if c.sortable), None)

    def _reset(self, source: ListSource | None, sort: Sort | None) -> None:
        self._busy = True
        self.beginResetModel()
        try:
            self._source = source
            self._columns = tuple(source.columns) if source is not None else ()
            self._sort = self._valid_sort(sort)
            self._clear()
            self._fetch_pages(inserting=False)
        except Exception:
            self._at_end = True  # an empty list rather than a view that retries the failing query forever
            raise
        finally:
            self.endResetModel()
            self._busy = False

    def _fetch_pages(self, pages: int = 1, *, inserting: bool = True) -> int:
        """Append the next `pages` pages with one query; only ever called while the last page is full, so
        page boundaries stay where they were first drawn. Returns how many rows came."""
        if self._source is None or self._sort is None:
            self._at_end = True
            return 0
        size = self._page_size
        after = self._page_ends[-1] if self._page_ends else None
        rows = self._source.fetch(sort=self._sort, after=after, limit=pages * size)
        if len(rows) < pages * size:
            self._at_end = True
        if not rows:
            return 0
        first = len(self._ids)
        busy, self._busy = self._busy, True
        try:
            if inserting:
                self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._ids.extend(row.id for row in rows)
            keep_from = max(len(rows) - self._max_pages * size, 0)  # older pages would be evicted at once
            for start in range(0, len(rows), size):
                chunk = rows[start : start + size]
                self._page_ends.append(chunk[-1].cursor)
                if start >= keep_from:
                    self._remember(len(self._page_ends) - 1, [row.values for row in chunk])
            if inserting:
                self.endInsertRows()
        finally:
            self._busy = busy
        return len(rows)

    def _page_values(self, page: int) -> list[tuple]:
        values = self._pages.get(page)
        if values is not None:
            self._pages.move_to_end(page)
        else:
            values = self._reload_page(page)
            self._remember(page, values)
        self._last_page = page
        return values

    def _reload_page(self, page: int) -> list[tuple]:
        start = page * self._page_size
        ids = self._ids[start : start + self._page_size]
        after = self._page_ends[page - 1] if page > 0 else None
        rows = self._source.fetch(sort=self._sort, after=after, limit=len(ids))
        if [row.id for row in rows] == list(ids):
            return [row.values for row in rows]
        # Rows were added or deleted since the page was first read: keep every row where it is and show
        # a row that is gone (or pushed past this page) empty until the list is reloaded.
        by_id = {row.id: row.values for row in rows}
        empty = (None,) * len(self._columns)
        return [by_id.get(row_id, empty) for row_id in ids]

    def _remember(self, page: int, values: list[tuple]) -> None:
        self._pages[page] = values
        self._pages.move_to_end(page)
        while len(self._pages) > self._max_pages:
            evicted, _ = self._pages.popitem(last=False)
            if evicted == self._last_page:
                self._last_page = -1

    # --- count ---------------------------------------------------------------------------------------------

    def _on_count_done(self, generation: int, count: int) -> None:
        if generation != self._generation:
            return  # the count of a list that is no longer shown
        self._counting = False
        self._count_cancel = None
        self._count = count
        self.sig_count_changed.emit(count)

    def _on_count_failed(self, generation: int) -> None:
        if generation == self._generation:
            self._counting = False
            self._count_cancel = None
