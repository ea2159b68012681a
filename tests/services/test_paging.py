"""KeysetSource counts: capped for the row-count label, exact for exports, and stopped when nobody waits for
them any more — on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, insert, literal, select

from desktop.db.uow import SYSTEM
from desktop.domain.customers import Customer
from desktop.services.demo_data import DemoGenerator
from desktop.services.paging import CountCancel, CountCancelled, KeysetSource, ListColumn, count_for_label

COLUMNS = (ListColumn("name", "Name"),)


def customers_named(db, where=None, *, count_cap=None) -> KeysetSource:
    rows = select(Customer.id, Customer.name)
    if where is not None:
        rows = rows.where(where)
    return KeysetSource(db, columns=COLUMNS, id_column=Customer.id, select_rows=rows,
                        sort_columns={"name": Customer.name}, count_cap=count_cap)


def endless(db) -> KeysetSource:
    """A list of a billion numbers: counting it takes minutes unless it is stopped."""
    numbers = select(literal(1).label("n")).cte("numbers", recursive=True)
    numbers = numbers.union_all(select(numbers.c.n + 1).where(numbers.c.n < 1_000_000_000))
    return KeysetSource(db, columns=(ListColumn("n", "N"),), id_column=numbers.c.n,
                        select_rows=select(numbers.c.n, numbers.c.n), sort_columns={"n": numbers.c.n})


@pytest.fixture
def twelve(any_db):
    generator = DemoGenerator(seed=3)
    with any_db.uow(SYSTEM) as uow:
        start = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
        uow.session.execute(insert(Customer), [generator.customer(i, start) for i in range(1, 13)])
        uow.commit()
    return any_db


def test_a_capped_count_stops_one_past_the_cap_and_an_exact_count_does_not(twelve):
    capped = customers_named(twelve, count_cap=5)
    assert count_for_label(capped) == 6  # more than 5: the label reads "5+"
    assert capped.count() == 12  # exports and other callers still get every row counted
    assert count_for_label(customers_named(twelve, count_cap=12)) == 12  # not above the cap: exact
    assert count_for_label(customers_named(twelve)) == 12
    assert count_for_label(customers_named(twelve, Customer.id <= 3, count_cap=5)) == 3
    with pytest.raises(ValueError):
        customers_named(twelve, count_cap=0)


def test_a_count_cancelled_before_it_starts_never_reaches_the_database(sqlite_db):
    source = customers_named(sqlite_db)
    statements: list[str] = []
    event.listen(sqlite_db.read_engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_a: statements.append(statement))
    cancel = CountCancel()
    cancel.cancel()
    with pytest.raises(CountCancelled):
        source.count(cancel=cancel)
    assert not any("count(" in statement.lower() for statement in statements)


def test_a_running_count_stops_when_cancelled_and_the_connection_reads_on(any_db):
    source, cancel, outcome = endless(any_db), CountCancel(), {}

    def count() -> None:
        try:
            outcome["rows"] = source.count(cancel=cancel)
        except CountCancelled:
            outcome["cancelled"] = True

    worker = threading.Thread(target=count)
    worker.start()
    time.sleep(0.3)
    assert worker.is_alive()  # a billion rows: still counting
    started = time.monotonic()
    cancel.cancel()
    worker.join(timeout=10)

    assert not worker.is_alive() and outcome == {"cancelled": True}
    assert time.monotonic() - started < 5
    # The pool's connections are fine for the next reader (a cancelled count leaves nothing behind).
    for _ in range(3):
        assert customers_named(any_db).count() == 0
