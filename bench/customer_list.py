"""Customer list speed on a large database, beside a bare keyset anchor (issue: lists that stay instant at
a million rows). Prints its figures; run it, don't test it.

    BRANCHDESK_HOME=/tmp/big python -m desktop demo --size large        # once: 1,000,000 customers
    QT_QPA_PLATFORM=offscreen python bench/customer_list.py --db /tmp/big/branchdesk.sqlite3
    QT_QPA_PLATFORM=offscreen python bench/customer_list.py --db postgresql+psycopg://postgres@127.0.0.1/branchdesk_bench

Each figure is the median of --repeat runs (first runs warm the caches, as a working PC has them).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bench.list_anchor import anchor_view  # noqa: E402
from desktop.db.engine import make_engine  # noqa: E402
from desktop.db.uow import Actor, Database  # noqa: E402
from desktop.domain.roles import Role  # noqa: E402
from desktop.models.lazy_table_model import LazyTableModel  # noqa: E402
from desktop.services.customers import customer_list  # noqa: E402
from desktop.services.paging import Sort  # noqa: E402
from desktop.views.lazy_list_view import LazyListView  # noqa: E402

OPERATOR = Actor(user_id=None, username="bench", role=Role.OPERATOR)


class PaintWatch(QObject):
    def __init__(self, widget):
        super().__init__()
        self.painted = False
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def until_painted(viewport, start: float) -> float:
    watch = PaintWatch(viewport)
    app = QApplication.instance()
    while not watch.painted:
        app.processEvents()
    viewport.removeEventFilter(watch)
    return time.perf_counter() - start


def first_paint_anchor(db: Database) -> float:
    start = time.perf_counter()
    view = anchor_view(db.engine)
    view.resize(1280, 700)
    view.show()
    took = until_painted(view.viewport(), start)
    view.close()
    view.deleteLater()
    return took


def first_paint_list(db: Database, search: str = "") -> tuple[float, LazyListView]:
    start = time.perf_counter()
    model = LazyTableModel(customer_list(db, OPERATOR, search=search), sort=Sort("name"))
    view = LazyListView(model, list_name="bench-customers", user="bench")
    model.setParent(view)
    view.resize(1280, 700)
    view.show()
    return until_painted(view.table.viewport(), start), view


def repaint_after(view: LazyListView, change) -> float:
    start = time.perf_counter()
    change()
    return until_painted(view.table.viewport(), start)


def cursor_at(db: Database, row: int) -> tuple:
    """Where row `row` of the name order starts (OFFSET here only to find the spot; the list never uses it)."""
    with db.engine.connect() as conn:
        name, row_id = conn.execute(text("SELECT name, id FROM customers WHERE archived_at IS NULL "
                                         "ORDER BY name, id LIMIT 1 OFFSET :n"), {"n": row - 1}).one()
    return (name, row_id)


def page_after(db: Database, cursor: tuple | None) -> float:
    source = customer_list(db, OPERATOR)
    start = time.perf_counter()
    rows = source.fetch(sort=Sort("name"), after=cursor, limit=200)
    took = time.perf_counter() - start
    assert len(rows) == 200
    return took


def median(samples) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--scroll", action="store_true", help="also scroll to the end and report peak memory")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    db = Database(make_engine(args.db))
    with db.engine.connect() as conn:
        total = conn.execute(text("SELECT count(*) FROM customers")).scalar_one()
    print(f"database: {db.url} — {total:,} customers; Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    r = range(args.repeat)

    anchor = median(first_paint_anchor(db) for _ in r)
    first = []
    for _ in r:
        took, view = first_paint_list(db)
        first.append(took)
        view.close()
        view.deleteLater()
    first_ms = median(first)
    print(f"first paint: anchor {anchor:.1f} ms, customer list {first_ms:.1f} ms = {first_ms / anchor:.2f}× (goal ≤ 1.6×)")

    deep = {n: cursor_at(db, n) for n in (500_000, 990_000) if n < total}
    samples: dict = {None: [], **{n: [] for n in deep}}
    for _ in range(3 * args.repeat):  # interleaved, so a busy moment of the machine hits all alike
        for n in samples:
            samples[n].append(page_after(db, deep.get(n)))
    page1 = median(samples[None])
    for n in deep:
        ms = median(samples[n])
        print(f"page after row {n:,}: {ms:.2f} ms vs first page {page1:.2f} ms = {ms / page1:.2f}× (goal ≤ 1.5×)")

    _, view = first_paint_list(db)
    model = view.model
    sorts = []
    for i in r:
        column = 4 if i % 2 == 0 else 1  # phone, then back to name
        sorts.append(repaint_after(view, lambda c=column: model.sort(c)))
    sort_ms = median(sorts)
    print(f"sort by another column until painted: {sort_ms:.1f} ms = {sort_ms / anchor:.2f}× anchor (goal ≤ 2×)")

    for query, goal in (("张伟", 5), ("王", 5), ("1381234", 2), ("鑫达机电", 2), ("kfr2", 2)):
        keystrokes = [repaint_after(view, lambda q=query: (model.set_source(customer_list(db, OPERATOR, search=q)),
                                                           model.set_highlight(q))) for _ in r]
        ms = median(keystrokes)
        print(f"search {query!r} ({len(query)} chars) until painted: {ms:.1f} ms = {ms / anchor:.2f}× anchor "
              f"(goal ≤ {goal}×), {model.rowCount()} rows on the first page")

    if args.scroll:
        model.set_source(customer_list(db, OPERATOR), sort=Sort("name"))
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start = time.perf_counter()
        while model.canFetchMore():
            model.fetchMore()
        view.table.scrollToBottom()
        app.processEvents()
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"scrolled to the end: {model.rowCount():,} rows in {time.perf_counter() - start:.1f} s; "
              f"peak RSS {before:.0f} MB before, {after:.0f} MB after; pages with values kept: {model.cached_pages()}")
    view.close()
    db.dispose()


if __name__ == "__main__":
    main()
