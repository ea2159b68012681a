"""LazyListView as a user meets it: sorting by header clicks, the row count, keys, and a column layout that
each user gets back the next time."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QEvent, QLocale, QModelIndex, QObject, QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView
from sqlalchemy import event, insert, select

from desktop.config import config_dir
from desktop.db.uow import SYSTEM
from desktop.domain.customers import Customer
from desktop.models.lazy_table_model import LazyTableModel, count_pool
from desktop.services.demo_data import DemoGenerator
from desktop.services.paging import KeysetSource, ListColumn, Sort
from desktop.views.lazy_list_view import HIGHLIGHT_BACKGROUND, LazyListView

N = 450
COLUMNS = (
    ListColumn("name", "Name", width=16),
    ListColumn("phone", "Phone", width=13),
    ListColumn("region", "Region", width=24),
    ListColumn("importance", "Importance", sortable=False, width=10),
    ListColumn("created_at", "Registered", width=16),
)
NAME, PHONE, REGION, IMPORTANCE, CREATED = range(5)


def customer_source(db, *, where=None, count_cap=None) -> KeysetSource:
    rows = select(
        Customer.id, Customer.name, Customer.phone, Customer.region, Customer.importance, Customer.created_at
    )
    if where is not None:
        rows = rows.where(where)
    sortable = {
        "name": Customer.name,
        "phone": Customer.phone,
        "region": Customer.region,
        "created_at": Customer.created_at,
        "id": Customer.id,
    }
    return KeysetSource(db, columns=COLUMNS, id_column=Customer.id, select_rows=rows, sort_columns=sortable,
                        count_cap=count_cap)


@pytest.fixture(autouse=True)
def counts_finish(sqlite_db, qtbot):
    """A count still running when the test's database goes away would wait for it and fail later."""
    yield
    qtbot.waitUntil(lambda: count_pool().waitForDone(0), timeout=10_000)


@pytest.fixture
def customers(sqlite_db) -> list[dict]:
    generator = DemoGenerator(seed=11)
    start = datetime(2024, 6, 1, tzinfo=UTC)
    rows = [generator.customer(i, start + timedelta(minutes=i)) for i in range(1, N + 1)]
    with sqlite_db.uow(SYSTEM) as uow:
        uow.session.execute(insert(Customer), rows)
        uow.commit()
    return rows


@pytest.fixture
def make_view(sqlite_db, customers, qtbot):
    def make(user: str = "alice", *, model: LazyTableModel | None = None, show: bool = True) -> LazyListView:
        view = LazyListView(
            model or LazyTableModel(customer_source(sqlite_db)), list_name="customers", user=user
        )
        qtbot.addWidget(view)
        view.resize(900, 500)
        if show:
            view.show()
            qtbot.waitExposed(view)
        return view

    return make


def click_header(qtbot, view: LazyListView, section: int) -> None:
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def shown_ids(view: LazyListView) -> list[int]:
    model = view.model
    return [model.row_id(row) for row in range(model.rowCount())]


def test_opens_on_the_first_page_and_shows_the_count(make_view, qtbot):
    view = make_view()

    assert view.model.rowCount() == 200
    expected = f"{QLocale().toString(N)} rows"
    qtbot.waitUntil(lambda: view.count_label.text() == expected, timeout=5000)


def test_clicking_headers_sorts_in_sql_and_a_column_sql_cannot_sort_keeps_the_order(
    make_view, customers, qtbot
):
    view = make_view()
    header = view.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (NAME, Qt.SortOrder.AscendingOrder)

    click_header(qtbot, view, REGION)
    view.model.fetchMore(QModelIndex())
    view.model.fetchMore(QModelIndex())
    order = Qt.SortOrder.DescendingOrder if view.model.sort_key().descending else Qt.SortOrder.AscendingOrder
    by_region = sorted(
        customers, key=lambda r: (r["region"], r["id"]), reverse=order == Qt.SortOrder.DescendingOrder
    )
    assert view.model.sort_key().key == "region"
    assert shown_ids(view) == [row["id"] for row in by_region]
    click_header(qtbot, view, REGION)
    assert view.model.sort_key() == Sort("region", order == Qt.SortOrder.AscendingOrder)  # flipped

    before = shown_ids(view)
    click_header(qtbot, view, IMPORTANCE)
    assert shown_ids(view) == before
    assert header.sortIndicatorSection() == REGION  # the arrow stays where the rows are sorted


def test_column_widths_come_from_the_columns_not_from_the_rows(sqlite_db, make_view):
    full = make_view()
    empty = make_view("carol", model=LazyTableModel(customer_source(sqlite_db, where=Customer.id < 0)))
    header = full.table.horizontalHeader()

    widths = [header.sectionSize(section) for section in range(len(COLUMNS))]
    assert widths == [empty.table.horizontalHeader().sectionSize(s) for s in range(len(COLUMNS))]
    assert widths[REGION] > widths[NAME] > widths[IMPORTANCE]
    assert all(header.sectionResizeMode(s) == QHeaderView.ResizeMode.Interactive for s in range(len(COLUMNS)))
    assert header.sectionsMovable()


def test_each_user_gets_back_their_own_column_layout(make_view, qtbot):
    alice = make_view("alice")
    header = alice.table.horizontalHeader()
    default_region_width = header.sectionSize(REGION)
    header.moveSection(header.visualIndex(REGION), 0)
    header.resizeSection(PHONE, 333)
    alice.close()  # saves on hide
    assert (config_dir() / "layouts.ini").exists()

    again = make_view("alice")
    assert again.table.horizontalHeader().visualIndex(REGION) == 0
    assert again.table.horizontalHeader().sectionSize(PHONE) == 333

    bob = make_view("bob")
    assert bob.table.horizontalHeader().visualIndex(REGION) == REGION
    assert bob.table.horizontalHeader().sectionSize(REGION) == default_region_width
    assert bob.table.horizontalHeader().sectionSize(PHONE) != 333


def test_layout_is_saved_shortly_after_a_change_without_closing(make_view, qtbot):
    alice = make_view("alice")
    alice.table.horizontalHeader().resizeSection(NAME, 250)

    def saved() -> bool:
        view = make_view("alice", show=False)
        view.restore_layout()
        return view.table.horizontalHeader().sectionSize(NAME) == 250

    qtbot.waitUntil(saved, timeout=3000)


def test_saved_sort_comes_back(make_view, qtbot):
    alice = make_view("alice")
    click_header(qtbot, alice, CREATED)
    alice.close()

    again = make_view("alice")
    assert again.model.sort_key().key == "created_at"


def test_enter_and_double_click_open_the_current_row_once(make_view, qtbot):
    view = make_view()
    activated: list[int] = []
    view.sig_activated.connect(activated.append)
    with qtbot.waitSignal(view.sig_current_changed) as current:
        view.table.setCurrentIndex(view.model.index(3, NAME))
    assert current.args == [view.model.row_id(3)]
    assert view.current_id() == view.model.row_id(3)

    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    center = view.table.visualRect(view.model.index(5, PHONE)).center()
    qtbot.mouseClick(
        view.table.viewport(), Qt.MouseButton.LeftButton, pos=center
    )  # a double click's first half
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=center)

    assert activated == [view.model.row_id(3), view.model.row_id(5)]


def test_home_end_and_page_keys_move_through_the_rows_read_so_far(make_view, qtbot):
    view = make_view()
    table = view.table
    table.setCurrentIndex(view.model.index(0, NAME))

    qtbot.keyClick(table, Qt.Key.Key_PageDown)
    assert table.currentIndex().row() > 5
    qtbot.keyClick(table, Qt.Key.Key_End)
    assert table.currentIndex().row() == 199  # the last row read; being at the bottom reads the next page
    qtbot.waitUntil(lambda: view.model.rowCount() == 400, timeout=2000)
    qtbot.keyClick(table, Qt.Key.Key_PageUp)
    assert 0 < table.currentIndex().row() < 199
    qtbot.keyClick(table, Qt.Key.Key_Home)
    assert table.currentIndex().row() == 0
    assert view.current_id() == view.model.row_id(0)


def test_ctrl_end_reads_every_page_and_goes_to_the_last_row(sqlite_db, make_view, qtbot):
    view = make_view(model=LazyTableModel(customer_source(sqlite_db), page_size=20))
    view.table.setFocus()

    qtbot.keyClick(view.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not view.is_fetching_all(), timeout=10_000)

    assert view.model.rowCount() == N
    assert view.table.currentIndex().row() == N - 1
    assert view.table.verticalScrollBar().value() == view.table.verticalScrollBar().maximum()


def test_esc_stops_reading_to_the_end(sqlite_db, make_view, qtbot):
    view = make_view(model=LazyTableModel(customer_source(sqlite_db), page_size=20))
    qtbot.keyClick(view.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert view.is_fetching_all()
    assert "Esc" in view.count_label.text()

    qtbot.keyClick(view.table, Qt.Key.Key_Escape)
    qtbot.wait(50)

    assert not view.is_fetching_all()
    assert view.model.rowCount() < N
    assert "Esc" not in view.count_label.text()


def test_sorting_keeps_the_current_customer_current(sqlite_db, make_view, qtbot):
    small = LazyTableModel(customer_source(sqlite_db, where=Customer.id <= 60))
    view = make_view(model=small)
    view.table.setCurrentIndex(small.index(10, NAME))
    chosen = view.current_id()

    click_header(qtbot, view, PHONE)

    assert view.current_id() == chosen
    assert small.row_id(view.table.currentIndex().row()) == chosen


def test_a_new_filter_without_the_current_customer_clears_the_current_row(sqlite_db, make_view, qtbot):
    view = make_view()
    view.table.setCurrentIndex(view.model.index(0, NAME))
    chosen = view.current_id()

    with qtbot.waitSignal(view.sig_current_changed, check_params_cb=lambda row_id: row_id == -1):
        view.model.set_source(customer_source(sqlite_db, where=Customer.id != chosen))
    qtbot.waitUntil(lambda: view.count_label.text() == f"{QLocale().toString(N - 1)} rows", timeout=5000)


def test_highlighted_text_is_painted_on_yellow(make_view, qtbot):
    view = make_view()
    cell = view.model.index(0, REGION)
    city = view.model.data(cell)[3:6]  # e.g. 广州市 in 广东省广州市天河区
    rect = view.table.visualRect(cell)

    def yellow_pixels() -> int:
        image = view.table.viewport().grab().toImage()
        wanted = HIGHLIGHT_BACKGROUND.rgb()
        return sum(
            image.pixel(x, y) == wanted
            for x in range(rect.left(), rect.right())
            for y in range(rect.top(), rect.bottom())
        )

    assert yellow_pixels() == 0
    view.model.set_highlight(city)
    qtbot.waitUntil(lambda: yellow_pixels() > 20, timeout=2000)
    assert QColor(HIGHLIGHT_BACKGROUND).isValid()


def test_scrolling_to_the_bottom_reads_more_without_offset(sqlite_db, make_view, qtbot):
    statements: list[tuple[str, tuple]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _executemany):
        if "customers" in statement and "LIMIT" in statement:
            statements.append((statement, parameters))

    event.listen(sqlite_db.read_engine, "before_cursor_execute", capture)  # lists read here
    try:
        view = make_view()
        for _ in range(3):
            view.table.scrollToBottom()
            qtbot.wait(20)
    finally:
        event.remove(sqlite_db.read_engine, "before_cursor_execute", capture)

    assert view.model.rowCount() == N
    assert len(statements) >= 3
    # SQLAlchemy's SQLite dialect always appends OFFSET ?; the database must never be asked to skip rows.
    assert all(parameters[-1] == 0 for statement, parameters in statements if "OFFSET" in statement)


class PaintSeen(QObject):
    """Notes the first paint of the rows, for a count that must not start before it."""

    def __init__(self, widget):
        super().__init__(widget)
        self.painted = threading.Event()
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            self.painted.set()
        return False


class CountAfterPaint:
    """The customer list, noting for each count whether the rows were on the screen when it started."""

    def __init__(self, source: KeysetSource, seen: PaintSeen | None = None):
        self.source, self.columns, self.seen, self.painted_when_counted = source, source.columns, seen, []

    def fetch(self, **kwargs):
        return self.source.fetch(**kwargs)

    def count(self) -> int:
        self.painted_when_counted.append(self.seen.painted.is_set())
        return self.source.count()


def test_the_count_starts_only_once_the_rows_are_painted(sqlite_db, make_view, qtbot):
    source = CountAfterPaint(customer_source(sqlite_db))
    view = make_view(model=LazyTableModel(source), show=False)
    source.seen = PaintSeen(view.table.viewport())
    view.show()
    qtbot.waitUntil(lambda: view.count_label.text() == f"{QLocale().toString(N)} rows", timeout=5000)
    assert source.painted_when_counted == [True]

    # A new filter: its count also waits for its rows to be painted.
    filtered = CountAfterPaint(customer_source(sqlite_db, where=Customer.id <= 100), PaintSeen(view.table.viewport()))
    view.model.set_source(filtered)
    assert view.count_label.text() == "Counting rows…"
    qtbot.waitUntil(lambda: view.count_label.text() == "100 rows", timeout=5000)
    assert filtered.painted_when_counted == [True]


def test_a_capped_count_reads_n_plus_until_every_row_is_read(sqlite_db, make_view, qtbot):
    view = make_view(model=LazyTableModel(customer_source(sqlite_db, count_cap=300), page_size=50))
    qtbot.waitUntil(lambda: view.count_label.text() == f"{QLocale().toString(300)}+ rows", timeout=5000)
    assert view.model.rowCount() == 50  # the rows still come page by page

    click_header(qtbot, view, PHONE)  # another order, the same rows: the count stays "300+"
    assert view.count_label.text() == f"{QLocale().toString(300)}+ rows"
    qtbot.keyClick(view.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not view.is_fetching_all(), timeout=10_000)

    assert view.model.rowCount() == N
    assert view.count_label.text() == f"{QLocale().toString(N)} rows"  # every row read: now it is exact

    small = customer_source(sqlite_db, where=Customer.id <= 120, count_cap=300)
    view.model.set_source(small)  # fewer than the cap: counted exactly
    qtbot.waitUntil(lambda: view.count_label.text() == "120 rows", timeout=5000)
