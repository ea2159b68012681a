"""The service order register as the desk uses it: intake from F2 to the order current on the list, the
filters and counts, overdue rows in red, search as you type, the pane beside the list and what happens after
a step in it, an engineer's own orders, the export, and the entry in the navigation."""

from __future__ import annotations

from datetime import timedelta

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from desktop.config import Settings
from desktop.domain.base import utcnow
from desktop.domain.roles import Role
from desktop.domain.service_orders import OrderCategory, OrderStatus, order_status_label
from desktop.services import service_orders as orders
from desktop.services.order_list import EXPORT_COLUMNS, ORDER_COLUMNS
from desktop.views.complaints.register_model import OVERDUE_BACKGROUND, OVERDUE_TEXT
from desktop.views.main_window import MainWindow
from desktop.views.orders.intake_dialog import IntakeDialog
from desktop.views.orders.orders_page import COLUMN_TITLES, OrdersPage
from tests.views.orders.conftest import SETTINGS

KEYS = [column.key for column in ORDER_COLUMNS]
NUMBER, STATUS, CATEGORY, TIME_LEFT = (KEYS.index(k) for k in ("number", "status", "category", "time_left"))


@pytest.fixture
def make_page(qtbot):
    def make(db, actor) -> OrdersPage:
        page = OrdersPage(db, actor, SETTINGS)
        qtbot.addWidget(page)
        page.resize(1340, 700)
        page.show()
        page.activateWindow()
        qtbot.waitUntil(page.isActiveWindow)  # shortcuts reach only the active window
        return page

    return make


def column(page: OrdersPage, section: int) -> list[str]:
    model = page.model
    while model.canFetchMore():
        model.fetchMore()
    return [model.index(row, section).data() for row in range(model.rowCount())]


def shown_id(page: OrdersPage) -> int | None:
    record = page.order_view.record
    return record.id if record is not None else None


def test_f2_takes_a_request_and_the_new_order_is_current_and_shown(sqlite_db, desk, make_page, qtbot, in_dialog):
    page = make_page(sqlite_db, desk.operator)
    assert column(page, NUMBER) == [] and page.counts_text() == "0 open, 0 overdue"

    def take(dialog: IntakeDialog) -> None:
        assert isinstance(dialog, IntakeDialog)
        qtbot.waitUntil(dialog.isActiveWindow)
        qtbot.keyClicks(dialog.picker.search_edit, "13912345678")
        qtbot.keyClick(dialog.picker.search_edit, Qt.Key.Key_Return)
        assert "In warranty" in dialog.proposal_label.text()
        qtbot.keyClicks(dialog.request_edit, "Water drips from the indoor unit")
        qtbot.keyClick(dialog.request_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert "Water drips from the indoor unit" in dialog.summary.toPlainText()
        qtbot.keyClick(dialog.save_button, Qt.Key.Key_Return)
        assert not dialog.isVisible()

    dialog = in_dialog(lambda: qtbot.keyClick(page.list_view.table, Qt.Key.Key_F2), take)

    record = dialog.saved
    assert column(page, NUMBER) == [record.number]
    assert column(page, STATUS) == [order_status_label(OrderStatus.REGISTERED)]
    assert page.list_view.current_id() == record.id and shown_id(page) == record.id
    assert record.number in page.status_label.text() and page.counts_text() == "1 open, 0 overdue"


def test_filters_counts_and_overdue_rows(sqlite_db, desk, make_page, make_order, qtbot, qtmodeltester):
    waiting = make_order(OrderStatus.REGISTERED, category=OrderCategory.INSTALLATION)
    late = make_order(OrderStatus.DISPATCHED, appointment_in=-1, finish_in=3)  # the engineer is not there
    working = make_order(OrderStatus.ON_SITE, appointment_in=-1, finish_in=3)
    done = make_order(OrderStatus.COMPLETED)
    signed = make_order(OrderStatus.SIGNED)
    page = make_page(sqlite_db, desk.admin)
    qtmodeltester.check(page.model)

    open_orders = [done.number, working.number, late.number, waiting.number]  # the newest first
    assert column(page, NUMBER) == open_orders and page.counts_text() == "4 open, 1 overdue"
    for row, number in enumerate(open_orders):
        cell = page.model.index(row, NUMBER)
        red = number == late.number
        assert (cell.data(Qt.ItemDataRole.BackgroundRole) == OVERDUE_BACKGROUND) is red
        assert (cell.data(Qt.ItemDataRole.ForegroundRole) == OVERDUE_TEXT) is red
    assert column(page, TIME_LEFT)[open_orders.index(late.number)].startswith("-")

    page.overdue_check.setChecked(True)
    assert column(page, NUMBER) == [late.number]
    page.overdue_check.setChecked(False)
    page.status_combo.setCurrentIndex(page.status_combo.findData(None))  # every state
    assert column(page, NUMBER) == [signed.number, *open_orders]
    page.status_combo.setCurrentIndex(page.status_combo.findData(OrderStatus.SIGNED))
    assert column(page, NUMBER) == [signed.number]
    page.status_combo.setCurrentIndex(page.status_combo.findData(None))
    page.category_combo.setCurrentIndex(page.category_combo.findData(OrderCategory.INSTALLATION))
    assert column(page, NUMBER) == [waiting.number] and column(page, CATEGORY) == ["Installation"]
    page.category_combo.setCurrentIndex(0)
    page.engineer_combo.setCurrentIndex(page.engineer_combo.findData(desk.engineer2_id))
    assert column(page, NUMBER) == []  # every dispatched order went to the first engineer
    page.engineer_combo.setCurrentIndex(page.engineer_combo.findData(desk.engineer_id))
    assert len(column(page, NUMBER)) == 4
    page.engineer_combo.setCurrentIndex(0)
    page.dates_check.setChecked(True)
    page.to_edit.setDate(page.to_edit.date().addDays(-1))
    assert column(page, NUMBER) == []  # nothing was registered before today
    page.dates_check.setChecked(False)
    assert len(column(page, NUMBER)) == 5


def test_search_as_you_type_after_a_pause(sqlite_db, desk, make_page, make_order, qtbot):
    first = make_order(request="空调不制冷")
    second = make_order(request="遥控器失灵", contact_phone="13600001111")
    page = make_page(sqlite_db, desk.operator)
    qtbot.keyClicks(page.search_edit, second.number)
    assert len(column(page, NUMBER)) == 2, "the list waits for a pause in the typing"
    qtbot.waitUntil(lambda: column(page, NUMBER) == [second.number], timeout=2_000)
    page.search_edit.clear()
    qtbot.keyClicks(page.search_edit, "136000")  # the caller's own phone
    qtbot.waitUntil(lambda: column(page, NUMBER) == [second.number], timeout=2_000)
    page.search_edit.clear()
    qtbot.keyClicks(page.search_edit, "kfr3525")  # the unit's serial number
    qtbot.waitUntil(lambda: column(page, NUMBER) == [second.number, first.number], timeout=2_000)
    page.list_view.table.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search_edit.hasFocus()


def test_f5_reads_what_other_pcs_changed_and_keeps_the_current_order(sqlite_db, desk, make_page, make_order,
                                                                     qtbot):
    first = make_order()
    page = make_page(sqlite_db, desk.operator)
    page.select_order(first.id)
    qtbot.waitUntil(lambda: shown_id(page) == first.id, timeout=2_000)
    when = utcnow() + timedelta(hours=1)
    orders.dispatch(sqlite_db, desk.admin, order_id=first.id, version=first.version, engineer_id=desk.engineer_id,
                    appointment_at=when, finish_by=when + timedelta(hours=2))  # on another PC
    second = make_order()
    qtbot.keyClick(page.list_view.table, Qt.Key.Key_F5)
    assert column(page, NUMBER) == [second.number, first.number]
    assert column(page, STATUS)[1] == order_status_label(OrderStatus.DISPATCHED)
    assert page.list_view.current_id() == first.id
    assert page.order_view.record.status == OrderStatus.DISPATCHED  # the pane read it again too


def test_the_pane_shows_the_current_order_and_enter_moves_to_it(sqlite_db, desk, make_page, make_order, qtbot):
    older, newer = make_order(), make_order()
    page = make_page(sqlite_db, desk.operator)
    page.list_view.table.setFocus()
    page.list_view.table.setCurrentIndex(page.model.index(1, NUMBER))
    qtbot.waitUntil(lambda: shown_id(page) == older.id, timeout=2_000)
    qtbot.keyClick(page.list_view.table, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: shown_id(page) == newer.id, timeout=2_000)
    qtbot.keyClick(page.list_view.table, Qt.Key.Key_Return)
    assert not page.list_view.table.hasFocus() and page.order_view.isAncestorOf(page.focusWidget())


def test_open_order_finds_an_order_the_filter_hides(sqlite_db, desk, make_page, make_order):
    signed = make_order(OrderStatus.SIGNED)
    make_order()
    page = make_page(sqlite_db, desk.operator)
    page.category_combo.setCurrentIndex(page.category_combo.findData(OrderCategory.INSTALLATION))
    assert signed.number not in column(page, NUMBER)
    page.open_order(signed.id)  # as another page would, e.g. from a customer's file
    assert page.list_view.current_id() == signed.id and shown_id(page) == signed.id
    assert page.search_edit.text() == signed.number and page.status_combo.currentData() is None


def test_after_a_step_in_the_pane_the_list_follows_and_keeps_the_order(sqlite_db, desk, make_page, make_order, qtbot):
    order = make_order()
    make_order()
    page = make_page(sqlite_db, desk.operator)
    page.open_order(order.id)
    when = utcnow() + timedelta(hours=2)
    orders.dispatch(sqlite_db, desk.operator, order_id=order.id, version=order.version,
                    engineer_id=desk.engineer_id, appointment_at=when, finish_by=when + timedelta(hours=3))
    page.order_view.sig_changed.emit(order.id)  # what the pane says after its dispatch step
    row = page.model.row_of_id(order.id)
    assert page.model.index(row, STATUS).data() == order_status_label(OrderStatus.DISPATCHED)
    assert page.list_view.current_id() == order.id

    signed = make_order(OrderStatus.SIGNED)
    page.open_order(signed.id)
    revision = orders.revise(sqlite_db, desk.engineer, order_id=signed.id, reason="费用写错")
    page.order_view.sig_changed.emit(revision.id)  # a revision: the pane names the new one
    assert page.list_view.current_id() == revision.id and signed.id not in _ids(page)
    assert page.model.index(page.model.row_of_id(revision.id), NUMBER).data() == f"{signed.number} rev. 2"


def test_an_engineer_sees_only_own_orders_and_takes_no_requests(sqlite_db, desk, make_page, make_order):
    mine = make_order(OrderStatus.DISPATCHED)
    make_order()
    page = make_page(sqlite_db, desk.engineer)
    assert column(page, NUMBER) == [mine.number] and page.counts_text() == "1 open, 0 overdue"
    assert not page.new_button.isVisible() and not page.engineer_combo.isVisible()
    assert not page.export_button.isVisible()
    assert column(page, KEYS.index("customer")) == ["张**"]  # no right to personal data


def test_the_export_holds_the_rows_of_the_filter(sqlite_db, desk, make_page, make_order, qtbot, tmp_path,
                                                  monkeypatch):
    make_order(OrderStatus.SIGNED)
    shown = [make_order().number, make_order(contact_phone="13600001111").number][::-1]
    page = make_page(sqlite_db, desk.admin)
    assert column(page, NUMBER) == shown
    target = tmp_path / "orders.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.last_export is not None, timeout=10_000)
    assert page.last_export.rows == 2 and str(target) in page.status_label.text()
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][0] == "Order No." and len(rows[0]) == len(EXPORT_COLUMNS)
    assert [row[0] for row in rows[1:]] == shown  # the order on screen too
    assert rows[1][rows[0].index("Phone")] == "13600001111"  # the administrator may see personal data


def test_the_navigation_shows_open_and_overdue_orders(qtbot, sqlite_db, desk, make_order):
    make_order(OrderStatus.DISPATCHED, appointment_in=-2, finish_in=-1)
    make_order()
    window = MainWindow(sqlite_db, desk.operator, Settings(), idle_timeout_ms=0)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: "Service orders\n2 open, 1 overdue" in window.page_titles(), timeout=10_000)
    keys = window.page_keys()
    assert keys.index("orders") == keys.index("complaints") + 1
    page = window.open_page("orders")
    assert isinstance(page, OrdersPage) and len(column(page, NUMBER)) == 2
    keeper = MainWindow(sqlite_db, _keeper(sqlite_db), Settings(), idle_timeout_ms=0)
    qtbot.addWidget(keeper)
    assert "orders" not in keeper.page_keys()  # no ORDER_READ


def test_the_page_fits_a_small_screen(sqlite_db, desk, make_page, make_order):
    make_order(OrderStatus.DISPATCHED)
    page = make_page(sqlite_db, desk.manager)
    assert page.minimumSizeHint().width() <= 1366 - 220  # beside the navigation
    assert page.minimumSizeHint().height() <= 680


def test_every_column_title_is_marked_for_translation():
    assert {c.title for c in (*ORDER_COLUMNS, *EXPORT_COLUMNS)} <= set(COLUMN_TITLES)


def _ids(page: OrdersPage) -> list[int]:
    column(page, NUMBER)
    return [page.model.row_id(row) for row in range(page.model.rowCount())]


def _keeper(db):
    from desktop.db.uow import SYSTEM
    from desktop.services import users

    return users.add_user(db, SYSTEM, username="zhao", display_name="赵军", role=Role.WAREHOUSE,
                          password="Secret123").actor()
