"""LazyTableModel over a real SQLite customer table: paging, SQL sorting, counting, the page cache."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester
from sqlalchemy import event, insert, select

from desktop import i18n
from desktop.db.uow import SYSTEM
from desktop.domain.customers import Customer
from desktop.models.lazy_table_model import IdRole, LazyTableModel, MatchRole, count_pool, display_text
from desktop.services.demo_data import DemoGenerator
from desktop.services.paging import KeysetSource, ListColumn, ListRow, Sort

N = 1_050
COLUMNS = (
    ListColumn("name", "Name", width=16),
    ListColumn("phone", "Phone", width=13),
    ListColumn("region", "Region", width=20),
    ListColumn("importance", "Importance", sortable=False, width=10),
    ListColumn("created_at", "Registered", width=16),
)
SECTION = {column.key: section for section, column in enumerate(COLUMNS)}
ACME = "ACME 空调 acme"  # sorts first (ASCII before CJK) and matches "Acme" twice


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
    generator = DemoGenerator(seed=7)
    start = datetime(2024, 3, 1, 8, 30, tzinfo=UTC)
    # Registration times repeat every 97 rows and regions are few, so ties must be broken by id.
    rows = [generator.customer(i, start + timedelta(hours=i % 97)) for i in range(1, N + 1)]
    rows[500]["name"] = ACME
    with sqlite_db.uow(SYSTEM) as uow:
        uow.session.execute(insert(Customer), rows)
        uow.commit()
    return rows


@pytest.fixture
def statements(sqlite_db) -> list[str]:
    """The SELECTs sent to the database, with the rows OFFSET skipped written in (SQLAlchemy's SQLite
    dialect always sends `LIMIT ? OFFSET ?`, with 0 for no offset)."""
    captured: list[str] = []

    def capture(_conn, _cursor, statement, parameters, _context, _executemany):
        if not statement.lstrip().upper().startswith("SELECT"):  # not the BEGIN each read starts with
            return
        if statement.rstrip().endswith("OFFSET ?"):
            statement = statement.rstrip()[: -len("OFFSET ?")] + f"OFFSET {parameters[-1]}"
            statement = statement.replace(" OFFSET 0", "")
        captured.append(statement)

    event.listen(sqlite_db.read_engine, "before_cursor_execute", capture)  # lists read here
    yield captured
    event.remove(sqlite_db.read_engine, "before_cursor_execute", capture)


def fetch_all(model: LazyTableModel) -> None:
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())


def ids_of(model: LazyTableModel) -> list[int]:
    return [model.row_id(row) for row in range(model.rowCount())]


def expected_ids(rows: list[dict], key: str, descending: bool) -> list[int]:
    return [row["id"] for row in sorted(rows, key=lambda row: (row[key], row["id"]), reverse=descending)]


def test_first_page_then_every_row_exactly_once(sqlite_db, customers):
    model = LazyTableModel(customer_source(sqlite_db))

    assert model.rowCount() == 200
    assert model.canFetchMore(QModelIndex())
    fetch_all(model)

    assert model.rowCount() == N
    assert ids_of(model) == expected_ids(customers, "name", False)
    assert not model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == N


@pytest.mark.parametrize(
    ("key", "descending"),
    [
        ("name", False),
        ("name", True),
        ("region", False),
        ("region", True),
        ("created_at", False),
        ("created_at", True),
        ("phone", True),
    ],
)
def test_sorting_in_sql_matches_sorting_the_same_rows_in_python(sqlite_db, customers, key, descending):
    model = LazyTableModel(customer_source(sqlite_db))
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder

    model.sort(SECTION[key], order)

    assert model.rowCount() == 200  # sorting starts again from the first page
    fetch_all(model)
    wanted = expected_ids(customers, key, descending)
    assert ids_of(model) == wanted
    assert len(set(wanted)) == N
    assert model.sort_key() == Sort(key, descending)
    assert (model.sort_section(), model.sort_order()) == (SECTION[key], order)
    first = next(row for row in customers if row["id"] == wanted[0])
    assert model.index(0, SECTION["region"]).data() == first["region"]


def test_a_column_sql_cannot_sort_by_is_left_alone(sqlite_db, customers, qtbot):
    model = LazyTableModel(customer_source(sqlite_db))
    before = ids_of(model)

    with qtbot.assertNotEmitted(model.modelReset):
        model.sort(SECTION["importance"], Qt.SortOrder.AscendingOrder)
        model.sort(SECTION["name"], Qt.SortOrder.AscendingOrder)  # already sorted so: nothing to read again

    assert ids_of(model) == before
    assert model.sort_key() == Sort("name")


def test_initial_sort_by_a_key_that_is_not_a_column(sqlite_db, customers):
    model = LazyTableModel(customer_source(sqlite_db), sort=Sort("id", descending=True))
    fetch_all(model)

    assert ids_of(model) == list(range(N, 0, -1))
    assert model.sort_section() == -1


def test_model_passes_the_model_testers(sqlite_db, customers, qtmodeltester, qtlog):
    model = LazyTableModel(customer_source(sqlite_db))
    cpp_tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
    qtmodeltester.check(model, force_py=True)  # asserts on every change from here on

    model.fetchMore(QModelIndex())
    model.sort(SECTION["region"], Qt.SortOrder.DescendingOrder)
    fetch_all(model)
    model.set_highlight("广州")
    model.set_source(customer_source(sqlite_db, where=Customer.region.like("广东省广州市%")))
    model.set_source(customer_source(sqlite_db, where=Customer.id < 0))  # an empty list
    model.set_source(None)

    failures = [record.message for record in qtlog.records if "FAIL" in record.message]
    assert failures == []
    del cpp_tester


class CountRecorder:
    """The customer source, noting which thread counted."""

    def __init__(self, source: KeysetSource):
        self.source, self.columns, self.count_threads = source, source.columns, []

    def fetch(self, **kwargs) -> list[ListRow]:
        return self.source.fetch(**kwargs)

    def count(self) -> int:
        self.count_threads.append(threading.get_ident())
        return self.source.count()


def test_count_is_computed_off_the_gui_thread_only_when_asked(sqlite_db, customers, statements, qtbot):
    source = CountRecorder(customer_source(sqlite_db))
    model = LazyTableModel(source)
    fetch_all(model)
    assert model.total_count() is None
    assert not any("count(" in statement.lower() for statement in statements)

    with qtbot.waitSignal(model.sig_count_changed, timeout=5000) as blocker:
        model.request_count()

    assert blocker.args == [N]
    assert model.total_count() == N
    assert source.count_threads and threading.get_ident() not in source.count_threads
    # Sorting shows the same rows: the count is kept and given again at once.
    model.sort(SECTION["phone"], Qt.SortOrder.AscendingOrder)
    with qtbot.waitSignal(model.sig_count_changed, timeout=1000, check_params_cb=lambda n: n == N):
        model.request_count()
    assert len(source.count_threads) == 1


def test_count_of_a_list_no_longer_shown_is_ignored(sqlite_db, customers, qtbot):
    model = LazyTableModel(customer_source(sqlite_db))
    emitted: list[int] = []
    model.request_count()  # counting all customers…
    guangzhou = customer_source(sqlite_db, where=Customer.region.like("广东省广州市%"))
    model.sig_count_changed.connect(emitted.append)
    model.set_source(guangzhou)  # …while the user already filtered
    model.request_count()

    qtbot.waitUntil(lambda: model.total_count() is not None, timeout=5000)
    qtbot.wait(100)  # room for the first count's result to arrive late

    in_guangzhou = sum(row["region"].startswith("广东省广州市") for row in customers)
    assert 0 < in_guangzhou < N
    assert emitted == [-1, in_guangzhou]
    assert model.total_count() == in_guangzhou
    fetch_all(model)
    assert model.rowCount() == in_guangzhou


def test_only_a_few_pages_of_values_are_kept_and_evicted_pages_read_again_identically(
    sqlite_db, customers, statements
):
    model = LazyTableModel(customer_source(sqlite_db), max_cached_pages=2)
    seen: dict[int, tuple] = {}
    while True:
        for row in range(len(seen), model.rowCount()):
            seen[row] = (model.row_values(row), [model.index(row, c).data() for c in range(len(COLUMNS))])
        if not model.canFetchMore(QModelIndex()):
            break
        model.fetchMore(QModelIndex())
    assert model.cached_pages() == 2

    statements.clear()
    for row in (0, 199, 200, 650, 1_049, 5):
        values, shown = seen[row]
        assert model.row_values(row) == values
        assert [model.index(row, c).data() for c in range(len(COLUMNS))] == shown
        assert model.cached_pages() <= 2
    # Pages 0, 1, 3 and 5 were evicted, then page 0 again after page 5 pushed it out: one query each.
    assert len(statements) == 5
    assert all("LIMIT" in statement and "OFFSET" not in statement for statement in statements)
    # Pages 1, 3 and 5 start after the previous page's last row, found through the index.
    assert sum("(customers.name, customers.id) >" in statement for statement in statements) == 3


def test_scrolling_sorting_and_rereading_never_use_offset(sqlite_db, customers, statements):
    model = LazyTableModel(customer_source(sqlite_db), max_cached_pages=2)
    fetch_all(model)
    model.row_values(10)
    model.sort(SECTION["created_at"], Qt.SortOrder.DescendingOrder)
    fetch_all(model)
    model.row_values(500)

    assert len(statements) >= 14
    assert not [statement for statement in statements if "OFFSET" in statement.upper()]


def test_highlight_marks_where_the_text_occurs_ignoring_case(sqlite_db, customers, qtbot):
    model = LazyTableModel(customer_source(sqlite_db))
    name = model.index(0, SECTION["name"])
    assert name.data() == ACME
    assert name.data(MatchRole) is None

    with qtbot.waitSignal(model.dataChanged) as blocker:
        model.set_highlight(" Acme ")

    assert blocker.args[2] == [MatchRole]
    assert name.data(MatchRole) == [(0, 4), (8, 4)]
    assert model.index(1, SECTION["name"]).data(MatchRole) is None
    model.set_highlight("")
    assert name.data(MatchRole) is None


def test_cells_read_as_people_expect(sqlite_db, customers):
    model = LazyTableModel(customer_source(sqlite_db))
    row = next(r for r in customers if r["id"] == model.row_id(0))

    registered = model.index(0, SECTION["created_at"]).data()
    assert registered == row["created_at"].astimezone().strftime("%Y-%m-%d %H:%M")
    assert model.index(0, 0).data(IdRole) == row["id"]
    assert display_text(Decimal("1234.5")) == "1,234.50"
    assert display_text(2.0) == "2.00"
    assert display_text(date(2025, 1, 9)) == "2025-01-09"
    assert display_text(None) == ""
    assert (display_text(True), display_text(False)) == ("✓", "")


class Amounts:
    """A small in-memory list, for the alignment of numbers."""

    columns = (ListColumn("what", "What"), ListColumn("amount", "Amount"), ListColumn("paid", "Paid"))

    def fetch(self, *, sort: Sort, after: tuple | None, limit: int) -> list[ListRow]:
        rows = [ListRow(1, ("a", 1), ("repair", Decimal("88.5"), True))]
        return rows if after is None else []

    def count(self) -> int:
        return 1


def test_numbers_are_right_aligned_and_text_left_aligned():
    model = LazyTableModel(Amounts())
    align = [model.index(0, column).data(Qt.ItemDataRole.TextAlignmentRole) for column in range(3)]

    assert align[0] & Qt.AlignmentFlag.AlignLeft
    assert align[1] & Qt.AlignmentFlag.AlignRight
    assert align[2] & Qt.AlignmentFlag.AlignHCenter
    assert model.index(0, 1).data() == "88.50"
    assert model.rowCount() == 1 and not model.canFetchMore(QModelIndex())


def test_headers_are_translated_in_the_columns_context(sqlite_db, customers):
    model = LazyTableModel(customer_source(sqlite_db))
    i18n.install_hook(lambda context, text: f"{context}:{text}")
    try:
        assert model.headerData(SECTION["region"], Qt.Orientation.Horizontal) == "Columns:Region"
    finally:
        i18n.install_hook(None)
    assert model.headerData(0, Qt.Orientation.Vertical) is None


def test_reload_shows_rows_added_since(sqlite_db, customers):
    model = LazyTableModel(customer_source(sqlite_db), sort=Sort("id"))
    fetch_all(model)
    extra = DemoGenerator(seed=8).customer(N + 1, datetime(2025, 1, 1, tzinfo=UTC))
    with sqlite_db.uow(SYSTEM) as uow:
        uow.session.execute(insert(Customer), [extra])
        uow.commit()
    assert model.rowCount() == N

    model.reload()
    fetch_all(model)

    assert model.rowCount() == N + 1
    assert model.row_id(N) == N + 1


def test_a_capped_count_says_more_than_the_cap_while_rows_still_come_page_by_page(
    sqlite_db, customers, qtbot, qtmodeltester
):
    model = LazyTableModel(customer_source(sqlite_db, count_cap=300))
    with qtbot.waitSignal(model.sig_count_changed, timeout=5000) as blocker:
        model.request_count()

    assert blocker.args == [301] and model.total_count() == 301  # "more than 300"
    assert model.rowCount() == 200  # the count does not change what is read: one page so far
    fetch_all(model)
    assert model.rowCount() == N
    qtmodeltester.check(model)


class Blocking:
    """A list whose count holds a counting thread until the test lets it go."""

    columns = COLUMNS

    def __init__(self, gate: threading.Event):
        self.gate = gate

    def fetch(self, *, sort: Sort, after: tuple | None, limit: int) -> list[ListRow]:
        return []

    def count(self) -> int:
        self.gate.wait(10)
        return 0


def test_a_count_still_waiting_for_a_thread_never_runs_once_the_list_is_replaced(sqlite_db, customers, qtbot):
    gate = threading.Event()
    busy = [LazyTableModel(Blocking(gate)) for _ in range(count_pool().maxThreadCount())]
    for other in busy:
        other.request_count()  # every counting thread is taken
    typed = CountRecorder(customer_source(sqlite_db, where=Customer.name.like("A%")))
    model = LazyTableModel(typed)
    emitted: list[int] = []
    model.sig_count_changed.connect(emitted.append)
    model.request_count()  # waits for a thread…
    model.set_source(customer_source(sqlite_db, where=Customer.name.like("AC%")))  # …while the user types on

    gate.set()
    qtbot.waitUntil(lambda: count_pool().waitForDone(0), timeout=10_000)
    qtbot.wait(50)

    assert typed.count_threads == []  # the first search was never counted
    assert emitted == [-1] and model.total_count() is None
