"""Keyset paging for big lists (architecture.md convention 3), with no Qt in it.

A `ListSource` answers "the next `limit` rows after this cursor, in this order" with one indexed query:
`WHERE (sort_column, id) > (:last_value, :last_id) ORDER BY sort_column, id LIMIT :limit`. A page deep in a
million rows costs what the first page costs, which OFFSET cannot do. Every sortable column is NOT NULL and
has an index on (column, id), or is named in `nullable_keys`: those sort their empty values last (first when
descending), the same on SQLite and PostgreSQL, at the price of not using the index.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, tuple_

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
    columns: Sequence[ListColumn]

    def fetch(self, *, sort: Sort, after: tuple | None, limit: int) -> list[ListRow]: ...

    def count(self) -> int: ...


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
    ):
        self.db = db
        self.columns = columns
        self._id = id_column
        self._select = select_rows
        self._sort = sort_columns
        self._count = count_query
        self._present = present
        self._nullable = nullable_keys

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
        with self.db.read_session_factory() as session:
            result = session.execute(query).all()
        return [
            ListRow(id=row[0], cursor=(row[-1], row[0]), values=self._present(tuple(row[1:-1]))) for row in result
        ]

    def count(self) -> int:
        query = self._count if self._count is not None else select(func.count()).select_from(self._select.subquery())
        with self.db.read_session_factory() as session:
            return session.scalar(query)


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
