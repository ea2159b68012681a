"""UsersModel: what the user list shows for each account."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from desktop import i18n
from desktop.db.uow import SYSTEM
from desktop.domain.base import utcnow
from desktop.domain.errors import AuthenticationError
from desktop.domain.roles import Role
from desktop.models.users_model import ACTIVE, LAST_LOGIN, LOCKED_UNTIL, NAME, ROLE, USERNAME, UsersModel
from desktop.services import users

PASSWORD = "Secret123"  # what the make_user fixture gives everybody


def texts(model: UsersModel, row: int) -> list[str]:
    return [model.index(row, column).data() for column in range(model.columnCount())]


def test_model_passes_the_model_tester(sqlite_db, make_user, qtmodeltester):
    for role in (Role.SYSADMIN, Role.OPERATOR, Role.ENGINEER):
        make_user(sqlite_db, role)
    model = UsersModel()
    qtmodeltester.check(model, force_py=True)  # checks every change from here on

    model.set_rows(users.list_users(sqlite_db, SYSTEM))
    assert model.rowCount() == 3
    model.set_rows(users.list_users(sqlite_db, SYSTEM)[:1])
    assert model.rowCount() == 1


def test_columns_show_what_an_administrator_reads(sqlite_db, make_user):
    make_user(sqlite_db, Role.SYSADMIN, "root")
    make_user(sqlite_db, Role.WAREHOUSE, "wang")
    users.login(sqlite_db, username="root", password=PASSWORD)
    users.disable_user(sqlite_db, SYSTEM, username="wang")
    for _ in range(users.MAX_FAILED_LOGINS):  # five wrong passwords lock root for a while
        with pytest.raises(AuthenticationError):
            users.login(sqlite_db, username="root", password="wrong-1234")
    model = UsersModel()
    model.set_rows(users.list_users(sqlite_db, SYSTEM))

    root, wang = texts(model, 0), texts(model, 1)
    assert [root[USERNAME], root[NAME], root[ROLE], root[ACTIVE]] == [
        "root",
        "测试sysadmin",
        "System administrator",
        "Yes",
    ]
    assert [wang[ROLE], wang[ACTIVE], wang[LAST_LOGIN]] == ["Warehouse keeper", "No (disabled)", ""]
    # Local time to the second, e.g. 2026-07-01 14:30:05
    row = model.user_at(0)
    assert root[LAST_LOGIN] == row.last_login_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    assert root[LOCKED_UNTIL] == row.locked_until.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    assert row.locked_until > utcnow() + timedelta(minutes=10)
    assert model.index(1, USERNAME).data(Qt.ItemDataRole.ForegroundRole) is not None  # disabled looks grey
    assert model.index(0, USERNAME).data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.headerData(ROLE, Qt.Orientation.Horizontal) == "Role"


def test_a_lockout_that_ran_out_is_not_shown(sqlite_db, make_user):
    user = make_user(sqlite_db, Role.OPERATOR, "lina")
    past = users.UserRow(**{**user.__dict__, "locked_until": utcnow() - timedelta(minutes=1)})
    model = UsersModel()
    model.set_rows([past])
    assert model.index(0, LOCKED_UNTIL).data() == ""


def test_role_names_are_translated(sqlite_db, make_user):
    make_user(sqlite_db, Role.ENGINEER, "zhang")
    i18n.install_hook(lambda context, text: {"Service engineer": "技术支持工程师"}.get(text, text))
    try:
        model = UsersModel()
        model.set_rows(users.list_users(sqlite_db, SYSTEM))
        assert model.index(0, ROLE).data() == "技术支持工程师"
    finally:
        i18n.install_hook(None)
