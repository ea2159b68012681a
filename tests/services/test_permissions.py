"""Every service refuses a role that lacks its permission, and changes nothing when it does."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from desktop.domain.errors import PermissionDenied
from desktop.domain.roles import GRANTS, Permission, Role
from desktop.domain.users import AuditEntry, User
from desktop.services import audit, maintenance, users

SERVICE_CALLS = {
    "list users": (Permission.USER_ADMIN, lambda db, actor, tmp: users.list_users(db, actor)),
    "add user": (
        Permission.USER_ADMIN,
        lambda db, actor, tmp: users.add_user(
            db, actor, username="newbie", display_name="新人", role=Role.SYSADMIN, password="Newbie123"
        ),
    ),
    "update user": (
        Permission.USER_ADMIN,
        lambda db, actor, tmp: users.update_user(
            db, actor, user_id=1, version=1, display_name="x", role=Role.SYSADMIN, is_active=True
        ),
    ),
    "set another user's password": (
        Permission.USER_ADMIN,
        lambda db, actor, tmp: users.set_password(db, actor, username="victim", password="Hacked123"),
    ),
    "disable user": (Permission.USER_ADMIN, lambda db, actor, tmp: users.disable_user(db, actor, username="victim")),
    "read audit log": (Permission.AUDIT_READ, lambda db, actor, tmp: audit.read_audit_log(db, actor)),
    "back up": (Permission.BACKUP, lambda db, actor, tmp: maintenance.backup_database(db, actor, target=tmp / "b.db")),
    "restore": (
        Permission.BACKUP,
        lambda db, actor, tmp: maintenance.restore_database(db, actor, source=tmp / "b.db", safety_dir=tmp),
    ),
}

CASES = [
    pytest.param(name, role, id=f"{name}-as-{role.value}")
    for name, (permission, _) in SERVICE_CALLS.items()
    for role in Role
    if permission not in GRANTS[role]
]


def test_every_permission_is_missing_from_some_role():
    for name, (permission, _) in SERVICE_CALLS.items():
        assert any(permission not in GRANTS[role] for role in Role), name


@pytest.mark.parametrize(("call", "role"), CASES)
def test_a_role_without_the_permission_is_refused(sqlite_db, make_user, tmp_path, call, role):
    make_user(sqlite_db, Role.OPERATOR, "victim")
    actor = make_user(sqlite_db, role).actor()
    with sqlite_db.session_factory() as session:
        before = (session.scalar(select(func.count()).select_from(User)),
                  session.scalar(select(func.count()).select_from(AuditEntry)))
    permission, invoke = SERVICE_CALLS[call]
    with pytest.raises(PermissionDenied) as refused:
        invoke(sqlite_db, actor, tmp_path)
    assert permission.value in refused.value.message
    with sqlite_db.session_factory() as session:
        after = (session.scalar(select(func.count()).select_from(User)),
                 session.scalar(select(func.count()).select_from(AuditEntry)))
    assert after == before
    assert not (tmp_path / "b.db").exists()


def test_everybody_may_change_their_own_password(sqlite_db, make_user):
    for role in Role:
        me = make_user(sqlite_db, role)
        users.set_password(sqlite_db, me.actor(), username=me.username, password="Mine12345")
        assert users.login(sqlite_db, username=me.username, password="Mine12345").id == me.id
