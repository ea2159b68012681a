"""The audit log page: filters, the lazy table, and the before/after of a selected entry."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QAbstractItemView

from desktop.db.uow import SYSTEM
from desktop.domain.roles import Role
from desktop.models.audit_model import ACTION, PAGE_SIZE, RECORD_TYPE, SUMMARY, USER
from desktop.services import users
from desktop.views.admin.audit_page import AuditLogPage


@pytest.fixture
def history(sqlite_db, make_user):
    """root creates lina and changes her name and role; clerk prints a few slips."""
    admin = make_user(sqlite_db, Role.SYSADMIN, "root").actor()
    lina = users.add_user(
        sqlite_db, admin, username="lina", display_name="李娜", role=Role.OPERATOR, password="Secret123"
    )
    users.update_user(
        sqlite_db,
        admin,
        user_id=lina.id,
        version=lina.version,
        display_name="李娜娜",
        role=Role.AFTER_SALES_ADMIN,
        is_active=True,
    )
    clerk = make_user(sqlite_db, Role.OPERATOR, "clerk").actor()
    with sqlite_db.uow(clerk) as uow:
        for n in range(3):
            uow.audit("print", "complaints", 100 + n, summary=f"slip TS-{n}")
        uow.commit()
    return admin, lina


@pytest.fixture
def page(sqlite_db, history, qtbot):
    widget = AuditLogPage(sqlite_db, history[0])
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown(page: AuditLogPage, column: int) -> list[str]:
    return [page.model.index(row, column).data() for row in range(page.model.rowCount())]


def test_filter_by_action_and_user(page, qtbot):
    assert page.model.rowCount() == 7  # root, lina and clerk made, lina changed, 3 slips printed
    assert page.from_edit.date() == QDate.currentDate().addDays(-30)
    assert page.to_edit.date() == QDate.currentDate()

    page.action_combo.setCurrentIndex(page.action_combo.findText("Changed"))
    assert shown(page, ACTION) == ["Changed"]
    assert shown(page, SUMMARY) == ["display_name, role"]

    page.action_combo.setCurrentIndex(0)  # all actions
    qtbot.keyClicks(page.user_edit, "clerk")
    qtbot.keyClick(page.user_edit, Qt.Key.Key_Return)
    assert shown(page, USER) == ["clerk"] * 3
    assert shown(page, SUMMARY) == ["slip TS-2", "slip TS-1", "slip TS-0"]
    assert page.count_label.text() == "Entries: 3"

    page.type_combo.setCurrentIndex(page.type_combo.findText("User"))
    assert page.model.rowCount() == 0


def test_typed_filters_apply_after_a_pause(page, qtbot):
    qtbot.keyClicks(page.text_edit, "TS-1")
    assert page.model.rowCount() == 7  # not yet: typing is not held up by a query per key
    qtbot.waitUntil(lambda: shown(page, SUMMARY) == ["slip TS-1"], timeout=2000)


def test_a_period_without_entries_shows_none(page):
    page.to_edit.setDate(QDate.currentDate().addDays(-2))
    page.from_edit.setDate(QDate.currentDate().addDays(-9))
    assert page.model.rowCount() == 0
    page.from_edit.setDate(QDate.currentDate())  # after the end date: the end date follows
    assert page.to_edit.date() == QDate.currentDate()
    assert page.model.rowCount() == 7
    page.user_edit.setText("nobody")
    page.reset_button.click()
    assert page.user_edit.text() == "" and page.model.rowCount() == 7


def test_selecting_an_update_shows_before_and_after_side_by_side(page, history):
    _admin, lina = history
    page.action_combo.setCurrentIndex(page.action_combo.findText("Changed"))
    page.table.selectRow(0)

    detail = page.detail_table
    header = [detail.horizontalHeaderItem(c).text() for c in range(3)]
    rows = [[detail.item(r, c).text() for c in range(3)] for r in range(detail.rowCount())]
    assert header == ["Field", "Before", "After"]
    assert rows == [
        ["display_name", "李娜", "李娜娜"],
        ["role", "Front-desk operator", "After-sales administrator"],
    ]
    assert page.detail_label.text().startswith(f"Changed · User {lina.id} · by root at ")

    page.action_combo.setCurrentIndex(page.action_combo.findText("Printed"))
    assert detail.rowCount() == 0  # the selected entry is no longer listed
    assert page.detail_label.text() == "Select an entry to see the values before and after."
    page.table.selectRow(0)
    assert "slip TS-2" in page.detail_label.text()


def test_nothing_can_be_edited(page):
    assert page.table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert page.detail_table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    index = page.model.index(0, RECORD_TYPE)
    assert not page.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not page.model.setData(index, "forged")


def test_scrolling_down_loads_older_entries(sqlite_db, history, qtbot):
    with sqlite_db.uow(SYSTEM) as uow:
        for n in range(PAGE_SIZE + 50):
            uow.audit("export", "customers", None, summary=f"export {n}")
        uow.commit()
    page = AuditLogPage(sqlite_db, history[0])
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    assert page.model.rowCount() == PAGE_SIZE
    assert page.count_label.text() == "Entries shown: 200, newest first; scroll down for older ones."

    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == PAGE_SIZE + 50 + 7, timeout=3000)
    assert shown(page, SUMMARY)[-1] == "root, 测试sysadmin, sysadmin"  # the oldest: root's account being made
    assert page.count_label.text() == "Entries: 257"


def test_f5_shows_what_happened_since_and_keeps_the_selected_entry(page, qtbot, sqlite_db):
    page.table.selectRow(2)
    selected = page.current_entry()
    with sqlite_db.uow(SYSTEM) as uow:
        uow.audit("export", "customers", None, summary="late.xlsx")
        uow.commit()
    assert "late.xlsx" not in shown(page, SUMMARY)

    qtbot.keyClick(page.table, Qt.Key.Key_F5)

    assert shown(page, SUMMARY)[0] == "late.xlsx"
    assert page.current_entry() == selected
