"""The engineers page as the after-sales administrator uses it: skills as ticks per kind of work, the area
with its customer count as typed, saving from the keyboard, and dispatch ranking by what was saved."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop.config import Settings
from desktop.domain.customers import CustomerKind
from desktop.domain.roles import Role
from desktop.domain.sanbao import Coverage
from desktop.domain.service_orders import OrderCategory
from desktop.services import customers, engineers, service_orders
from desktop.services.customers import CustomerInput
from desktop.services.service_orders import OrderInput
from desktop.views.admin.engineer_dialog import EngineerDialog
from desktop.views.admin.engineers_page import AREA, FIRST_SKILL, EngineersPage
from desktop.views.main_window import MainWindow
from tests.views.dialogs import in_dialog

INSTALLATION = FIRST_SKILL + list(OrderCategory).index(OrderCategory.INSTALLATION)


@pytest.fixture
def people(sqlite_db, make_user):
    return {name: make_user(sqlite_db, role, name) for name, role in (
        ("asadmin", Role.AFTER_SALES_ADMIN), ("lina", Role.OPERATOR), ("zhang", Role.ENGINEER),
        ("liu", Role.ENGINEER))}


@pytest.fixture
def order(sqlite_db, people):
    """An installation for a customer in Foshan, waiting for dispatch."""
    op = people["lina"].actor()
    customer = customers.create_customer(sqlite_db, op, data=CustomerInput(
        kind=CustomerKind.COMPANY, name="佛山鑫达机电", phone="13800000000", region="广东省佛山市顺德区"))
    return service_orders.register_order(sqlite_db, op, branch_code="GZ01", coverage=Coverage.CHARGEABLE,
                                         data=OrderInput(customer_id=customer.id, request="新购空调三台，预约安装",
                                                         category=OrderCategory.INSTALLATION))


@pytest.fixture
def page(sqlite_db, people, qtbot) -> EngineersPage:
    widget = EngineersPage(sqlite_db, people["asadmin"].actor())
    qtbot.addWidget(widget)
    widget.resize(1100, 500)
    widget.show()
    widget.activateWindow()
    qtbot.waitActive(widget)
    widget.table.setFocus()
    return widget


def row_of(page: EngineersPage, username: str) -> int:
    return next(r for r in range(page.model.rowCount()) if page.model.index(r, 1).data() == username)


def test_ticking_a_skill_and_an_area_changes_how_dispatch_ranks(page, sqlite_db, people, order, qtbot):
    op = people["lina"].actor()
    before = service_orders.rank_engineers(sqlite_db, op, order_id=order.id)
    assert all(choice.score == 0 for choice in before)
    page.table.selectRow(row_of(page, "zhang"))

    def edit(dialog: EngineerDialog) -> None:
        qtbot.waitUntil(dialog.isActiveWindow)
        check = dialog.skill_checks[OrderCategory.INSTALLATION]
        check.setFocus()
        qtbot.keyClick(check, Qt.Key.Key_Space)  # Space ticks the focused kind of work
        assert dialog.skills() == [OrderCategory.INSTALLATION]
        dialog.area_edit.setFocus()
        qtbot.keyClicks(dialog.area_edit, "  ")
        dialog.area_edit.insert("广东省佛山市")  # as an input method types it
        qtbot.waitUntil(lambda: dialog.area_hint.text() == "Customers whose address starts with 广东省佛山市: 1")
        qtbot.keyClick(dialog.area_edit, Qt.Key.Key_Return)  # Enter saves

    dialog = in_dialog(lambda: qtbot.keyClick(page.table, Qt.Key.Key_Return), edit)
    assert dialog.result() == QDialog.DialogCode.Accepted
    row = row_of(page, "zhang")
    assert page.model.index(row, INSTALLATION).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert page.model.index(row, AREA).data() == "广东省佛山市"  # stored without the spaces typed
    assert "saved" in page.status_label.text()
    [best, other] = service_orders.rank_engineers(sqlite_db, op, order_id=order.id)
    assert best.user_id == people["zhang"].id and best.score == 5 and other.score == 0
    assert "skilled in this kind of work" in best.reasons and "covers 广东省佛山市" in best.reasons


def test_an_area_nobody_lives_in_is_pointed_out_as_typed(page, people, order, qtbot):
    page.table.selectRow(row_of(page, "liu"))

    def edit(dialog: EngineerDialog) -> None:
        dialog.area_edit.insert("佛山市")
        qtbot.waitUntil(lambda: "No customer's address starts with 佛山市" in dialog.area_hint.text())
        dialog.area_edit.clear()
        qtbot.waitUntil(lambda: "No area" in dialog.area_hint.text())

    in_dialog(lambda: qtbot.keyClick(page.table, Qt.Key.Key_F2), edit)


def test_a_profile_changed_meanwhile_is_not_overwritten(page, sqlite_db, people, qtbot, make_user):
    manager = make_user(sqlite_db, Role.MANAGER, "wang").actor()
    page.table.selectRow(row_of(page, "liu"))

    def edit(dialog: EngineerDialog) -> None:
        engineers.set_engineer_profile(sqlite_db, manager, user_id=people["liu"].id, skills=["consultation"], area="")
        dialog.skill_checks[OrderCategory.PREVENTIVE].setChecked(True)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and "wang" in dialog.error_label.text()
        assert not dialog.save_button.isEnabled()

    dialog = in_dialog(page.edit_current, edit)
    assert dialog.conflict
    consultation = FIRST_SKILL + list(OrderCategory).index(OrderCategory.CONSULTATION)
    row = row_of(page, "liu")  # the page read the engineers again and shows the manager's change
    assert page.model.index(row, consultation).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked


def test_only_roles_that_may_edit_profiles_see_the_page(sqlite_db, people, qtbot, make_user):
    for role, expected in ((Role.AFTER_SALES_ADMIN, True), (Role.MANAGER, True), (Role.OPERATOR, False),
                           (Role.ENGINEER, False), (Role.SYSADMIN, False)):
        actor = make_user(sqlite_db, role).actor()
        window = MainWindow(sqlite_db, actor, Settings(branch_code="GZ01"), idle_timeout_ms=0)
        qtbot.addWidget(window)
        assert ("engineers" in window.page_keys()) is expected, role
