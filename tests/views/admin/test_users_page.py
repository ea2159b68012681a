"""The user administration page as an administrator uses it: dialogs, keys, the table, the audit trail."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from desktop.db.uow import SYSTEM
from desktop.domain.roles import Role
from desktop.models.users_model import ACTIVE, NAME, ROLE, USERNAME
from desktop.services import audit, users
from desktop.services.audit import AuditFilter
from desktop.views.admin.user_dialog import PasswordDialog, UserDialog
from desktop.views.admin.users_page import UsersPage
from tests.views.dialogs import in_dialog

STRONG = "Service2026"


@pytest.fixture
def admin(sqlite_db, make_user):
    return make_user(sqlite_db, Role.SYSADMIN, "root").actor()


@pytest.fixture
def page(sqlite_db, admin, qtbot):
    widget = UsersPage(sqlite_db, admin)
    qtbot.addWidget(widget)
    widget.resize(1000, 500)
    widget.show()
    widget.activateWindow()
    qtbot.waitActive(widget)  # shortcuts reach only the active window
    return widget


def table_texts(page: UsersPage, column: int) -> list[str]:
    return [page.model.index(row, column).data() for row in range(page.model.rowCount())]


def test_a_user_made_in_the_dialog_is_listed_and_in_the_audit_log(page, qtbot, sqlite_db, admin):
    def fill(dialog: UserDialog) -> None:
        assert dialog.windowTitle() == "New user"
        assert not dialog.ok_button.isEnabled()
        qtbot.keyClicks(dialog.username_edit, "lina.wu")
        dialog.name_edit.insert("吴丽娜")  # QTest types ASCII only
        dialog.role_combo.setCurrentIndex(dialog.role_combo.findText("Service engineer"))
        qtbot.keyClicks(dialog.password_edit, STRONG)
        qtbot.keyClicks(dialog.repeat_edit, STRONG)
        assert dialog.ok_button.isEnabled()
        qtbot.keyClick(dialog.repeat_edit, Qt.Key.Key_Return)  # Enter saves
        assert not dialog.isVisible()

    in_dialog(lambda: qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier), fill)

    assert table_texts(page, USERNAME) == ["lina.wu", "root"]
    assert page.current_user().username == "lina.wu"
    row = page.table.currentIndex().row()
    assert [page.model.index(row, c).data() for c in (NAME, ROLE, ACTIVE)] == [
        "吴丽娜",
        "Service engineer",
        "Yes",
    ]
    assert "lina.wu" in page.status_label.text()
    [entry] = audit.read_audit_log(
        sqlite_db,
        admin,
        where=AuditFilter(action="create", username="root", entity="users", text=str(page.current_user().id)),
    )
    assert entry.after["username"] == "lina.wu" and entry.after["role"] == "engineer"
    assert users.login(sqlite_db, username="lina.wu", password=STRONG).display_name == "吴丽娜"


def test_insert_also_opens_a_new_user_and_esc_cancels(page, qtbot):
    dialog = in_dialog(
        lambda: qtbot.keyClick(page.table, Qt.Key.Key_Insert),
        lambda d: (qtbot.keyClicks(d.username_edit, "temp"), qtbot.keyClick(d, Qt.Key.Key_Escape)),
    )
    assert isinstance(dialog, UserDialog)
    assert table_texts(page, USERNAME) == ["root"]


def test_a_weak_or_differing_password_keeps_ok_disabled_and_says_why(qtbot, sqlite_db, admin):
    dialog = UserDialog(sqlite_db, admin)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username_edit, "wang")
    dialog.name_edit.insert("王强")

    qtbot.keyClicks(dialog.password_edit, "short1")
    qtbot.keyClicks(dialog.repeat_edit, "short1")
    assert not dialog.ok_button.isEnabled()
    assert "at least 8 characters" in dialog.hint_label.text()
    qtbot.keyClick(dialog.repeat_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and [u.username for u in users.list_users(sqlite_db, admin)] == ["root"]

    dialog.password_edit.setText("longbutnodigits")
    dialog.repeat_edit.setText("longbutnodigits")
    assert not dialog.ok_button.isEnabled()

    dialog.password_edit.setText(STRONG)
    dialog.repeat_edit.setText(STRONG + "x")
    assert not dialog.ok_button.isEnabled()
    assert dialog.hint_label.text() == "The two passwords differ."

    qtbot.keyClick(dialog.repeat_edit, Qt.Key.Key_Backspace)
    assert dialog.ok_button.isEnabled()
    assert dialog.hint_label.text() == ""
    qtbot.keyClick(dialog.repeat_edit, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert [u.username for u in users.list_users(sqlite_db, admin)] == ["root", "wang"]


def test_the_user_name_takes_only_allowed_characters(qtbot, sqlite_db, admin):
    dialog = UserDialog(sqlite_db, admin)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.username_edit, "li na!/")
    dialog.username_edit.insert("张")  # QTest types ASCII only; insert() passes the validator too
    assert dialog.username_edit.text() == "lina"
    dialog.username_edit.setText("")
    qtbot.keyClicks(dialog.username_edit, "x")
    qtbot.keyClicks(dialog.name_edit, "X")
    dialog.password_edit.setText(STRONG)
    dialog.repeat_edit.setText(STRONG)
    assert not dialog.ok_button.isEnabled()  # one character is too short


def test_a_refused_save_keeps_the_dialog_open_with_everything_typed(qtbot, sqlite_db, admin, make_user):
    make_user(sqlite_db, Role.OPERATOR, "lina")
    dialog = UserDialog(sqlite_db, admin)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username_edit, "lina")
    dialog.name_edit.insert("另一个李娜")
    qtbot.keyClicks(dialog.password_edit, STRONG)
    qtbot.keyClicks(dialog.repeat_edit, STRONG)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.text() == "User name lina is taken."
    assert dialog.error_label.isVisible()
    assert (dialog.name_edit.text(), dialog.password_edit.text()) == ("另一个李娜", STRONG)
    assert dialog.focusWidget() is dialog.username_edit  # where the problem is


def test_enter_edits_and_a_change_by_somebody_else_is_shown_and_reloaded(
    page, qtbot, sqlite_db, admin, make_user
):
    lina = make_user(sqlite_db, Role.OPERATOR, "lina")
    page.refresh()
    page.select_user("lina")
    other = make_user(sqlite_db, Role.SYSADMIN, "chen").actor()

    def edit(dialog: UserDialog) -> None:
        assert dialog.windowTitle() == "Edit user lina"
        assert dialog.username_edit.isReadOnly()
        # Meanwhile another administrator renames her.
        users.update_user(
            sqlite_db,
            other,
            user_id=lina.id,
            version=lina.version,
            display_name="李娜(改)",
            role=Role.OPERATOR,
            is_active=True,
        )
        dialog.name_edit.setText("李娜")
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
        assert dialog.isVisible()
        assert "Changed by chen at" in dialog.error_label.text()
        assert dialog.name_edit.text() == "李娜(改)"  # the saved values, to change again on top of
        dialog.role_combo.setCurrentIndex(dialog.role_combo.findText("After-sales administrator"))
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
        assert not dialog.isVisible()

    in_dialog(lambda: qtbot.keyClick(page.table, Qt.Key.Key_Return), edit)

    row = page.table.currentIndex().row()
    assert [page.model.index(row, c).data() for c in (USERNAME, NAME, ROLE)] == [
        "lina",
        "李娜(改)",
        "After-sales administrator",
    ]
    updates = audit.read_audit_log(sqlite_db, admin, where=AuditFilter(action="update", text=str(lina.id)))
    assert [e.after for e in updates] == [{"role": "after_sales_admin"}, {"display_name": "李娜(改)"}]


def test_disable_asks_first_and_enable_brings_the_user_back(page, qtbot, sqlite_db, make_user, monkeypatch):
    make_user(sqlite_db, Role.OPERATOR, "lina")
    page.refresh()
    page.select_user("lina")
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *args: answers.pop(0))
    assert page.active_button.text() == "&Disable"

    qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)  # answered No
    assert page.model.index(page.table.currentIndex().row(), ACTIVE).data() == "Yes"
    qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)  # answered Yes
    assert page.model.index(page.table.currentIndex().row(), ACTIVE).data() == "No (disabled)"
    assert page.active_button.text() == "Ena&ble"
    with pytest.raises(users.AuthenticationError, match="disabled"):
        users.login(sqlite_db, username="lina", password="Secret123")

    qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)
    assert page.model.index(page.table.currentIndex().row(), ACTIVE).data() == "Yes"
    assert users.login(sqlite_db, username="lina", password="Secret123").username == "lina"


def test_disabling_yourself_is_refused_with_the_reason(page, qtbot, monkeypatch):
    page.select_user("root")
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: shown.append(text))
    qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)
    assert shown == ["You cannot disable yourself."]
    assert page.model.index(page.table.currentIndex().row(), ACTIVE).data() == "Yes"


def test_set_password_lets_the_user_log_in_with_it(page, qtbot, sqlite_db, make_user):
    make_user(sqlite_db, Role.ENGINEER, "zhang")
    page.refresh()
    page.select_user("zhang")

    def set_it(dialog: PasswordDialog) -> None:
        assert "(zhang)" in dialog.intro_label.text()
        qtbot.keyClicks(dialog.password_edit, STRONG)
        assert not dialog.ok_button.isEnabled()
        qtbot.keyClicks(dialog.repeat_edit, STRONG)
        qtbot.keyClick(dialog.repeat_edit, Qt.Key.Key_Return)

    dialog = in_dialog(lambda: qtbot.mouseClick(page.password_button, Qt.MouseButton.LeftButton), set_it)
    assert isinstance(dialog, PasswordDialog)
    assert users.login(sqlite_db, username="zhang", password=STRONG).username == "zhang"
    assert page.status_label.text() == "New password set for zhang."


def test_buttons_need_a_selected_user(sqlite_db, qtbot):
    page = UsersPage(sqlite_db, SYSTEM)  # no users yet
    qtbot.addWidget(page)
    assert page.model.rowCount() == 0
    assert page.new_button.isEnabled()
    assert not any(b.isEnabled() for b in (page.edit_button, page.password_button, page.active_button))
