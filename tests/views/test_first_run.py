"""First start on an empty database: the administrator account, or demo data loaded off the GUI thread."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.config import Settings
from desktop.db.uow import SYSTEM
from desktop.domain.roles import Role
from desktop.services import audit, users
from desktop.services.audit import AuditFilter
from desktop.views.first_run import FirstRunDialog
from tests.conftest import PASSWORD


@pytest.fixture
def dialog(sqlite_db, qtbot):
    widget = FirstRunDialog(sqlite_db, Settings())
    qtbot.addWidget(widget)
    with qtbot.waitActive(widget):
        widget.show()
    return widget


def fill_admin(qtbot, dialog: FirstRunDialog, *, repeat: str = PASSWORD) -> None:
    qtbot.keyClicks(dialog.name_edit, "Wang Fang")
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    qtbot.keyClicks(dialog.repeat_edit, repeat)


def test_creating_the_administrator(qtbot, dialog, sqlite_db):
    assert dialog.username_edit.text() == "admin"
    fill_admin(qtbot, dialog)
    assert dialog.create_button.isEnabled()
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.username == "admin" and "admin" in dialog.notice
    (row,) = users.list_users(sqlite_db, SYSTEM)
    assert (row.username, row.display_name, row.role) == ("admin", "Wang Fang", Role.SYSADMIN)
    assert users.login(sqlite_db, username="admin", password=PASSWORD).role == Role.SYSADMIN
    created = audit.read_audit_log(sqlite_db, SYSTEM, where=AuditFilter(entity="users", action="create"))
    assert [entry.username for entry in created] == ["first-run"]


def test_passwords_that_differ_cannot_be_submitted(qtbot, dialog, sqlite_db):
    fill_admin(qtbot, dialog, repeat=PASSWORD + "x")
    assert not dialog.create_button.isEnabled()
    assert dialog.hint_label.text() == "The two passwords differ."
    qtbot.keyClick(dialog.repeat_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and not users.has_users(sqlite_db)


def test_a_weak_password_is_explained(qtbot, dialog):
    qtbot.keyClicks(dialog.password_edit, "short")
    assert "at least 8 characters" in dialog.hint_label.text()
    assert not dialog.create_button.isEnabled()


def test_demo_data_loads_in_the_background(qtbot, dialog, sqlite_db):
    with qtbot.waitSignal(dialog.accepted, timeout=120_000):
        qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
        assert dialog.is_busy() and not dialog.demo_button.isEnabled()  # the GUI thread was not blocked
    assert dialog.summary.customers == 300
    assert dialog.username == "admin" and "Demo1234" in dialog.notice
    assert users.login(sqlite_db, username="operator", password="Demo1234").role == Role.OPERATOR


def test_esc_while_loading_cancels_and_nothing_is_saved(qtbot, dialog, sqlite_db):
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # asks the load to stop; the dialog stays
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=60_000)
    assert dialog.isVisible()
    assert dialog.status_label.text() == "Loading demo data was cancelled; nothing was saved."
    assert not users.has_users(sqlite_db)
    assert dialog.demo_button.isEnabled()
