"""The login dialog as a user meets it: typing, Enter, the service's messages, the lockout."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop.domain.roles import Role
from desktop.services import users
from desktop.views.login import LoginDialog
from tests.conftest import PASSWORD


@pytest.fixture
def operator(sqlite_db, make_user):
    return make_user(sqlite_db, Role.OPERATOR, "li.na")


@pytest.fixture
def dialog(sqlite_db, qtbot):
    widget = LoginDialog(sqlite_db, branch_name="广州销售分公司")
    qtbot.addWidget(widget)
    with qtbot.waitActive(widget):
        widget.show()
    return widget


def log_in(qtbot, dialog: LoginDialog, username: str, password: str) -> None:
    dialog.username_edit.clear()
    qtbot.keyClicks(dialog.username_edit, username)
    dialog.password_edit.clear()
    qtbot.keyClicks(dialog.password_edit, password)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)


def test_the_right_password_logs_in_and_yields_the_user(qtbot, dialog, operator):
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        log_in(qtbot, dialog, "li.na", PASSWORD)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.user is not None
    assert (dialog.user.username, dialog.user.role) == ("li.na", Role.OPERATOR)
    assert dialog.user.actor().user_id == operator.id


def test_a_wrong_password_shows_the_message_and_the_dialog_stays_open(qtbot, dialog, operator):
    log_in(qtbot, dialog, "li.na", "wrong-one-1")
    assert dialog.isVisible()
    assert dialog.user is None
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text() == "Wrong user name or password."
    assert dialog.password_edit.text() == ""  # typed again from scratch
    assert dialog.password_edit.hasFocus()
    # Typing again clears the old message; the right password then works in the same dialog.
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    assert not dialog.error_label.isVisible()
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Enter)
    assert dialog.user.username == "li.na"


def test_an_unknown_user_gets_the_same_message_as_a_wrong_password(qtbot, dialog, operator):
    log_in(qtbot, dialog, "nobody", PASSWORD)
    assert dialog.isVisible()
    assert dialog.error_label.text() == "Wrong user name or password."


def test_five_wrong_passwords_lock_the_account_and_say_until_when(qtbot, dialog, sqlite_db, operator):
    for _ in range(users.MAX_FAILED_LOGINS):
        log_in(qtbot, dialog, "li.na", "wrong-one-1")
    assert dialog.isVisible()
    assert dialog.error_label.text().startswith("Too many wrong passwords: the account is locked until ")
    # Even the right password is refused now, with the lock message, and the dialog stays.
    log_in(qtbot, dialog, "li.na", PASSWORD)
    assert dialog.isVisible() and dialog.user is None
    assert "locked until" in dialog.error_label.text()


def test_a_disabled_account_is_told_so(qtbot, dialog, sqlite_db, operator):
    from desktop.db.uow import SYSTEM

    users.disable_user(sqlite_db, SYSTEM, username="li.na")
    log_in(qtbot, dialog, "li.na", PASSWORD)
    assert dialog.isVisible()
    assert dialog.error_label.text() == "This account is disabled. Ask the system administrator."


def test_esc_cancels(qtbot, dialog):
    with qtbot.waitSignal(dialog.rejected, timeout=2000):
        qtbot.keyClick(dialog.username_edit, Qt.Key.Key_Escape)
    assert dialog.user is None


def test_an_empty_user_name_is_asked_for_without_asking_the_database(qtbot, dialog):
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.error_label.text() == "Enter your user name."
    assert dialog.username_edit.hasFocus()


def test_a_given_user_name_is_filled_in_and_the_password_has_the_focus(qtbot, sqlite_db, operator):
    widget = LoginDialog(sqlite_db, username="li.na", notice="The administrator account li.na was created.")
    qtbot.addWidget(widget)
    with qtbot.waitExposed(widget):
        widget.show()
    assert widget.username_edit.text() == "li.na"
    assert widget.focusWidget() is widget.password_edit
    assert widget.notice_label.isVisible()
