"""The main window for different roles: what the navigation offers, the welcome panel, status bar, keys."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel

from desktop.config import Settings
from desktop.db.uow import SYSTEM
from desktop.domain.roles import Role
from desktop.services import users
from desktop.views.main_window import MINIMUM_SIZE, MainWindow
from desktop.views.settings_dialog import SettingsDialog
from desktop.views.welcome import WelcomePanel
from tests.conftest import PASSWORD
from tests.views.dialogs import in_dialog

ADMIN_KEYS = ["users", "audit", "backup"]
ADMIN_TITLES = ["Users", "Audit log", "Backup and restore"]
SETTINGS = Settings(branch_code="SZ02", branch_name="深圳销售分公司")


@pytest.fixture
def open_window(sqlite_db, make_user, qtbot) -> Callable[[Role], MainWindow]:
    def open_for(role: Role) -> MainWindow:
        actor = make_user(sqlite_db, role, f"{role.value}1").actor()
        window = MainWindow(sqlite_db, actor, SETTINGS, idle_timeout_ms=0)
        qtbot.addWidget(window)
        with qtbot.waitActive(window):  # shortcuts work in the active window only
            window.show()
            window.activateWindow()
        return window

    return open_for


def status_texts(window: MainWindow) -> list[str]:
    return [label.text() for label in window.statusBar().findChildren(QLabel) if label.isVisible()]


def test_a_system_administrator_gets_the_administration_pages(open_window):
    window = open_window(Role.SYSADMIN)
    assert window.page_keys() == ADMIN_KEYS
    assert window.page_titles() == ADMIN_TITLES
    heading = window.navigation.item(window.page_rows()[0] - 1)
    assert heading.text() == "Administration"  # a heading above the pages, not a page itself
    assert not heading.flags() & Qt.ItemFlag.ItemIsSelectable
    assert window.welcome is None
    assert type(window.current_page()).__name__ == "UsersPage"  # the first page is open


def test_an_operator_gets_no_administration_page(open_window):
    window = open_window(Role.OPERATOR)
    assert not set(window.page_keys()) & set(ADMIN_KEYS)
    texts = [window.navigation.item(row).text() for row in range(window.navigation.count())]
    assert "Administration" not in texts


def test_a_role_without_pages_gets_the_welcome_panel(monkeypatch, open_window):
    # Only the administration pages exist here, so an operator has none to open.
    from desktop.views import main_window

    monkeypatch.setattr(main_window, "PAGES", [p for p in main_window.PAGES if p.key in ADMIN_KEYS])
    window = open_window(Role.OPERATOR)
    assert window.page_titles() == []
    assert not window.navigation.isVisible()
    assert isinstance(window.current_page(), WelcomePanel)
    panel = window.welcome
    assert panel.title_label.text() == "Welcome, 测试operator"
    assert "Front-desk operator" in panel.role_label.text() and "深圳销售分公司" in panel.role_label.text()
    text = panel.permissions_label.text()
    assert "register complaints" in text and "look up customers" in text
    assert "manage user accounts" not in text and "back up" not in text


def test_a_branch_manager_may_read_the_audit_log_of_the_administration_pages(open_window):
    window = open_window(Role.MANAGER)
    assert [key for key in window.page_keys() if key in ADMIN_KEYS] == ["audit"]
    assert type(window.open_page("audit")).__name__ == "AuditLogPage"
    assert window.open_page("users") is None  # not for this role


def test_the_status_bar_names_user_role_database_and_branch(open_window, sqlite_db):
    window = open_window(Role.OPERATOR)
    texts = status_texts(window)
    assert "测试operator" in texts
    assert "Front-desk operator" in texts
    assert "SZ02 深圳销售分公司" in texts
    assert any(sqlite_db.url in text for text in texts)


def test_the_database_password_is_not_shown(qtbot, sqlite_db):
    window = MainWindow(sqlite_db, SYSTEM, SETTINGS, idle_timeout_ms=0)
    qtbot.addWidget(window)
    sqlite_db.engine.url = sqlite_db.engine.url.set(password="s3cret")  # as with a PostgreSQL URL
    assert "s3cret" not in sqlite_db.url
    window.close()


def test_ctrl_number_switches_pages_and_builds_them_on_first_use(open_window, qtbot):
    window = open_window(Role.SYSADMIN)
    assert window.stack.count() == 1  # only the open page was built
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert type(window.current_page()).__name__ == "BackupPage"
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert type(window.current_page()).__name__ == "AuditLogPage"
    assert window.navigation.currentItem().text() == "Audit log"  # the navigation follows
    # There is no ninth page: nothing happens.
    qtbot.keyClick(window, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)
    assert type(window.current_page()).__name__ == "AuditLogPage"
    assert window.stack.count() == 3


def test_f5_refreshes_the_current_page(open_window, qtbot, sqlite_db):
    window = open_window(Role.SYSADMIN)
    page = window.current_page()
    before = page.model.rowCount()
    users.add_user(
        sqlite_db, SYSTEM, username="zhou.min", display_name="周敏", role=Role.OPERATOR, password=PASSWORD
    )  # e.g. added on another PC
    window.navigation.setFocus()
    qtbot.keyClick(window.navigation, Qt.Key.Key_F5)
    assert page.model.rowCount() == before + 1
    users.add_user(
        sqlite_db, SYSTEM, username="wu.lei", display_name="吴磊", role=Role.OPERATOR, password=PASSWORD
    )
    page.table.setFocus()  # the page's own F5 and the window's must not cancel each other out
    qtbot.keyClick(page.table, Qt.Key.Key_F5)
    assert page.model.rowCount() == before + 2


def test_ctrl_q_closes_the_window_and_says_so(open_window, qtbot):
    window = open_window(Role.OPERATOR)
    with qtbot.waitSignal(window.sig_closed, timeout=2000):
        qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()


def test_log_out_asks_the_application_for_the_next_login(open_window, qtbot):
    window = open_window(Role.OPERATOR)
    with qtbot.waitSignal(window.sig_logout_requested, timeout=2000):
        window.logout_action.trigger()


def test_an_operator_may_change_the_language_only(open_window):
    window = open_window(Role.OPERATOR)

    def check(dialog: QDialog) -> None:
        assert isinstance(dialog, SettingsDialog)
        assert dialog.language_combo.isEnabled()
        assert not dialog.db_url_edit.isEnabled() and not dialog.idle_spin.isEnabled()

    in_dialog(window.settings_action.trigger, check)


def test_the_about_box_names_version_and_database(open_window, sqlite_db):
    window = open_window(Role.SYSADMIN)

    def check(dialog: QDialog) -> None:
        assert "0.1.0" in dialog.text() or "Version" in dialog.text()
        assert sqlite_db.url in dialog.text()

    in_dialog(window.about_action.trigger, check)


def test_the_window_fits_a_1366_by_768_screen(open_window):
    window = open_window(Role.SYSADMIN)
    assert MINIMUM_SIZE.width() <= 1024 and MINIMUM_SIZE.height() <= 640
    assert window.minimumSizeHint().width() <= 1366 and window.minimumSizeHint().height() <= 728
    for index in range(len(window.page_rows())):  # every page fits too
        window.show_page(index)
        assert window.minimumSizeHint().height() <= 728, window.page_titles()[index]


def test_the_navigation_shows_open_and_overdue_complaints(qtbot, sqlite_db, make_user):
    from datetime import timedelta

    from desktop.domain.base import utcnow
    from desktop.domain.complaints import Channel, ComplaintClass
    from desktop.domain.customers import CustomerKind
    from desktop.services import complaints, customers
    from desktop.services.complaints import ComplaintInput
    from desktop.services.customers import CustomerInput

    operator = make_user(sqlite_db, Role.OPERATOR, "lina").actor()
    customer = customers.create_customer(sqlite_db, operator, data=CustomerInput(kind=CustomerKind.INDIVIDUAL,
                                                                                 name="张三"))
    for hours_ago in (30, 1):  # the first is past its 24-hour first reply
        complaints.register_complaint(sqlite_db, operator, branch_code="GZ01", data=ComplaintInput(
            customer_id=customer.id, channel=Channel.HOTLINE, description="噪音", classification=ComplaintClass.QUALITY,
            severity=1, received_at=utcnow() - timedelta(hours=hours_ago)))
    window = MainWindow(sqlite_db, operator, Settings(), idle_timeout_ms=0)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: "Complaints\n2 open, 1 overdue" in window.page_titles(), timeout=10_000)
