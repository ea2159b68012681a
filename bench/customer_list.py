"""Customer list speed on a large database, beside a bare keyset anchor (issue: lists that stay instant at
a million rows). Prints its figures; run it, don't test it.

    BRANCHDESK_HOME=/tmp/big python -m desktop demo --size large        # once: 1,000,000 customers
    QT_QPA_PLATFORM=offscreen python bench/customer_list.py --db /tmp/big/branchdesk.sqlite3
    QT_QPA_PLATFORM=offscreen python bench/customer_list.py --db postgresql+psycopg://postgres@127.0.0.1/branchdesk_bench

Each figure is the median of --repeat runs (first runs warm the caches, as a working PC has them). Each
sample of the list is taken right after a sample of the anchor and each ratio is against those anchor
samples, so other work on the machine weighs on both sides alike. Before each anchor sample the list is let
finish its background work (its row count), which would otherwise slow the anchor down: a keystroke is
measured as the user makes it after the search box's pause (250 ms), by when a capped count is done — but
an uncapped count of a frequent text was not, and competed with the next keystroke too. "back to back" is
the same keystroke repeated without any pause (the way this benchmark measured before 2026-11-23): whatever
one leaves running competes with the next.

"count shown" is the time from a keystroke until the row-count label shows the number, measured apart from
the paint figures (the count of a search starts once its rows are painted).
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

from PySide6.QtCore import QCoreApplication, QEvent, QObject  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bench.list_anchor import anchor_view  # noqa: E402
from desktop.db.engine import make_engine  # noqa: E402
from desktop.db.uow import Actor, Database  # noqa: E402
from desktop.domain.roles import Role  # noqa: E402
from desktop.models.lazy_table_model import LazyTableModel, count_pool  # noqa: E402
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
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # gone before the next sample
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


def count_shown_after(view: LazyListView, change) -> float:
    """From the change until the row-count label shows a number (the count runs after the paint)."""
    app = QApplication.instance()
    start = time.perf_counter()
    change()
    waiting = view.count_label.text()  # "Counting rows…" in the user's language
    while view.count_label.text() == waiting:
        app.processEvents()
        time.sleep(0.0005)
    return time.perf_counter() - start


def settle(view: LazyListView | None = None) -> None:
    """Let the list finish what it does in the background (counting rows), so it weighs on no anchor sample."""
    app = QApplication.instance()
    counting = QCoreApplication.translate("LazyListView", "Counting rows…")
    deadline = time.perf_counter() + 60
    while time.perf_counter() < deadline and (
        not count_pool().waitForDone(0) or (view is not None and view.count_label.text() == counting)
    ):
        app.processEvents()
        time.sleep(0.001)
    app.processEvents()


def beside_anchor(db: Database, repeat: int, sample, view: LazyListView | None = None) -> tuple[float, float]:
    """`repeat` times: an anchor first paint with the list idle, then `sample(i)`: (median ms, median anchor
    ms)."""
    anchors, samples = [], []
    for i in range(repeat):
        settle(view)
        anchors.append(first_paint_anchor(db))
        samples.append(sample(i))
    return median(samples), median(anchors)


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

    for _ in range(2):  # warm-up: the first windows of a process pay for fonts and styles, the first reads for caches
        first_paint_anchor(db)
        first_paint_list(db)[1].close()

    anchors, first = [], []
    for _ in range(args.repeat):  # alternating: nothing of a list is left running once its window closes
        anchors.append(first_paint_anchor(db))
        took, view = first_paint_list(db)
        first.append(took)
        view.close()
        view.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        settle()
    first_ms, anchor = median(first), median(anchors)
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
    sort_repeat = args.repeat | 1  # odd: phone, name, …, phone — the searches below run in phone order
    sort_ms, anchor = beside_anchor(
        db, sort_repeat, lambda i: repaint_after(view, lambda: model.sort(4 if i % 2 == 0 else 1)), view)
    print(f"sort by another column until painted: {sort_ms:.1f} ms = {sort_ms / anchor:.2f}× anchor "
          f"({anchor:.1f} ms) (goal ≤ 2×)")

    def keystroke(query: str):
        return lambda: (model.set_source(customer_list(db, OPERATOR, search=query)), model.set_highlight(query))

    for query, goal in (("张伟", 5), ("王", 5), ("1381234", 2), ("鑫达机电", 2), ("kfr2", 2)):
        ms, anchor = beside_anchor(db, args.repeat, lambda _i, q=query: repaint_after(view, keystroke(q)), view)
        fast = median(repaint_after(view, keystroke(query)) for _ in r)
        settle(view)
        counted = median(count_shown_after(view, keystroke(query)) for _ in range(3))
        print(f"search {query!r} ({len(query)} chars) until painted: {ms:.1f} ms = {ms / anchor:.2f}× anchor "
              f"({anchor:.1f} ms) (goal ≤ {goal}×), {model.rowCount()} rows on the first page; "
              f"back to back {fast:.1f} ms = {fast / anchor:.2f}×; "
              f"count shown after {counted:.0f} ms: {view.count_label.text()}")

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
