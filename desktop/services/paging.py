"""Keyset paging for big lists (architecture.md convention 3), with no Qt in it.

A `ListSource` answers "the next `limit` rows after this cursor, in this order" with one indexed query:
`WHERE (sort_column, id) > (:last_value, :last_id) ORDER BY sort_column, id LIMIT :limit`. A page deep in a
million rows costs what the first page costs, which OFFSET cannot do. Every sortable column is NOT NULL and
has an index on (column, id), or is named in `nullable_keys`: those sort their empty values last (first when
descending), the same on SQLite and PostgreSQL, at the price of not using the index.

The row count a list shows may be capped (`count_cap`): a search that matches most of a million rows would
otherwise count every match after each keystroke. Such a list counts at most cap + 1 rows and reads
"10,000+ rows"; exports still count exactly (`count()` without `at_most`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, text, tuple_

from desktop.db.uow import Database


@dataclass(frozen=True)
class ListColumn:
    key: str
    title: str  # English source text; views show translate("Columns", title)
    sortable: bool = True
    width: int = 12  # default width in average characters, so no view measures every row
    searched: bool = False  # the search box can match this column's text (views mark the match there)


@dataclass(frozen=True)
class Sort:
    key: str
    descending: bool = False


@dataclass(frozen=True)
class ListRow:
    id: int
    cursor: tuple  # where the next page starts; opaque to callers
    values: tuple  # one display value per column, personal data already masked when it must be


class ListSource(Protocol):
    """A source may also have `count_cap` (int or None) and then accept `count(at_most=n, cancel=...)`: the
    list's row-count label counts at most cap + 1 rows (see `count_for_label`)."""

    columns: Sequence[ListColumn]

    def fetch(self, *, sort: Sort, after: tuple | None, limit: int) -> list[ListRow]: ...

    def count(self) -> int: ...


class CountCancel:
    """Stops a count that nobody waits for any more (the user typed on): one that has not started never
    starts, and a running one is interrupted (SQLite) or cancelled on the server (PostgreSQL), so it stops
    taking a CPU from the list being painted. Thread-safe: the GUI thread cancels, a worker thread counts."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._connection = None  # the DB-API connection counting now, if any

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            connection = self._connection
            if connection is None:
                return
            if hasattr(connection, "interrupt"):
                connection.interrupt()  # sqlite3: meant to be called from another thread; the count raises
                return
        # psycopg sends the cancel request over a new connection to the server: not on the GUI thread.
        threading.Thread(target=self._cancel_on_server, args=(connection,), daemon=True).start()

    def _cancel_on_server(self, connection) -> None:
        with self._lock:  # done() waits for this, so the connection is not reused before the request lands
            if self._connection is not connection:
                return  # the count finished meanwhile: a late request could cancel someone else's query
            try:
                getattr(connection, "cancel_safe", connection.cancel)()
            except Exception:  # noqa: BLE001 - the count then just runs to its end, which is harmless
                pass

    def running_on(self, dbapi_connection) -> bool:
        """Register the connection that is about to count; False if the count was cancelled already."""
        with self._lock:
            if self._cancelled:
                return False
            self._connection = dbapi_connection
            return True

    def done(self) -> None:
        with self._lock:
            self._connection = None


class CountCancelled(Exception):
    """The count was cancelled before it had an answer."""


def count_cap(source: ListSource | None) -> int | None:
    """How far the row-count label of this list counts: None for an exact count."""
    return getattr(source, "count_cap", None)


def count_for_label(source: ListSource, cancel: CountCancel | None = None) -> int:
    """The number a list's row-count label shows: the exact count, or at most cap + 1 when the source caps
    it (more than cap shows as "cap+")."""
    cap = count_cap(source)
    at_most = None if cap is None else cap + 1
    if isinstance(source, KeysetSource):
        return source.count(at_most=at_most, cancel=cancel)
    return source.count() if at_most is None else source.count(at_most=at_most)


class KeysetSource:
    """A ListSource over one SELECT. `select_rows` selects the id first, then one expression per column;
    `sort_columns` maps a column key to the indexed expression it sorts by."""

    def __init__(
        self,
        db: Database,
        *,
        columns: Sequence[ListColumn],
        id_column: ColumnElement,
        select_rows: Select,
        sort_columns: dict[str, ColumnElement],
        count_query: Select | None = None,
        present: Callable[[tuple], tuple] = lambda values: values,
        nullable_keys: frozenset[str] = frozenset(),
        count_cap: int | None = None,
    ):
        self.db = db
        self.columns = columns
        self._id = id_column
        self._select = select_rows
        self._sort = sort_columns
        self._count = count_query
        self._present = present
        self._nullable = nullable_keys
        if count_cap is not None and count_cap < 1:
            raise ValueError("count_cap must be at least 1")
        self.count_cap = count_cap  # the row-count label stops at "count_cap+" (see count_for_label)

    def fetch(self, *, sort: Sort, after: tuple | None, limit: int) -> list[ListRow]:
        key = self._sort.get(sort.key)
        if key is None:
            raise ValueError(f"the list cannot be sorted by {sort.key!r}")
        query = self._select.add_columns(key.label("_sort_value"))
        if sort.key in self._nullable:
            query = _after_nullable(query, key, self._id, after, sort.descending)
        else:
            if after is not None:
                position = tuple_(key, self._id)
                query = query.where(position < tuple_(*after) if sort.descending else position > tuple_(*after))
            order = (key.desc(), self._id.desc()) if sort.descending else (key.asc(), self._id.asc())
            query = query.order_by(*order)
        query = query.limit(limit)
        # A plain connection, not an ORM session: a page is what a user waits for after each keystroke.
        with self.db.read_engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                # One statement needs no transaction around it: without BEGIN and ROLLBACK a page costs two
                # round trips to the server fewer.
                connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            result = connection.execute(query).all()
        return [
            ListRow(id=row[0], cursor=(row[-1], row[0]), values=self._present(tuple(row[1:-1]))) for row in result
        ]

    def count(self, *, at_most: int | None = None, cancel: CountCancel | None = None) -> int:
        """The number of rows, or of at most `at_most` rows: the database stops reading once it has that
        many (a search found in most of a million rows costs a few thousand rows, not a million)."""
        if at_most is None:
            query = self._count if self._count is not None else select(func.count()).select_from(self._select.subquery())
        else:
            # Only the id: the rows' other columns are not needed to count them (and an index may do). A
            # `count_query` given for exact counts does not apply here.
            ids = self._select.with_only_columns(self._id, maintain_column_froms=True).order_by(None)
            query = select(func.count()).select_from(ids.limit(at_most).subquery())
        with self.db.read_session_factory() as session:
            connection = session.connection()
            if connection.dialect.name == "postgresql":
                # A count is background work: no parallel workers taking every core of the server from the
                # pages that people are waiting for.
                connection.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
            if cancel is not None and not cancel.running_on(connection.connection.dbapi_connection):
                raise CountCancelled()
            try:
                return session.scalar(query)
            except Exception:
                if cancel is not None and cancel.cancelled:
                    raise CountCancelled() from None
                raise
            finally:
                if cancel is not None:
                    cancel.done()


def _after_nullable(query: Select, key: ColumnElement, row_id: ColumnElement, after: tuple | None, descending: bool):
    """Keyset over a column with empty values: the order is (key IS NULL, key, id), reversed when descending."""
    empty, present = key.is_(None), key.is_not(None)
    if after is not None:
        value, last_id = after
        if not descending:
            query = query.where(
                and_(empty, row_id > last_id) if value is None else or_(and_(present, tuple_(key, row_id) > tuple_(value, last_id)), empty)
            )
        else:
            query = query.where(
                or_(and_(empty, row_id < last_id), present) if value is None else and_(present, tuple_(key, row_id) < tuple_(value, last_id))
            )
    nulls_last = case((empty, 1), else_=0)
    if descending:
        return query.order_by(nulls_last.desc(), key.desc(), row_id.desc())
    return query.order_by(nulls_last.asc(), key.asc(), row_id.asc())


def values_by_key(columns: Sequence[ListColumn], values: Sequence[Any]) -> dict[str, Any]:
    return {column.key: value for column, value in zip(columns, values, strict=True)}
