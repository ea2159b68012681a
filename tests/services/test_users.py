"""Logging in, lockout after wrong passwords, and managing users — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from desktop.db.uow import SYSTEM
from desktop.domain.base import utcnow
from desktop.domain.errors import AccountLocked, AuthenticationError, ConcurrentEdit, ValidationError
from desktop.domain.roles import Role
from desktop.domain.users import AuditEntry, User
from desktop.services import users
from tests.conftest import PASSWORD


def test_right_password_logs_in_and_is_audited(any_db, make_user):
    made = make_user(any_db, Role.OPERATOR, "lina")
    row = users.login(any_db, username="lina", password=PASSWORD)
    assert row.id == made.id and row.role is Role.OPERATOR and row.last_login_at is not None
    with any_db.session_factory() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.username == "lina")).all()
    assert "login" in actions


def test_password_is_stored_as_an_argon2_hash(sqlite_db, make_user):
    make_user(sqlite_db, Role.ENGINEER, "zhang")
    with sqlite_db.session_factory() as session:
        stored = session.scalar(select(User.password_hash).where(User.username == "zhang"))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_wrong_password_and_unknown_user_get_the_same_message(sqlite_db, make_user):
    make_user(sqlite_db, Role.OPERATOR, "lina")
    with pytest.raises(AuthenticationError) as wrong_password:
        users.login(sqlite_db, username="lina", password="nope12345")
    with pytest.raises(AuthenticationError) as unknown_user:
        users.login(sqlite_db, username="nobody", password="nope12345")
    assert wrong_password.value.message == unknown_user.value.message


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(any_db, make_user):
    make_user(any_db, Role.OPERATOR, "lina")
    for _ in range(4):
        with pytest.raises(AuthenticationError) as refused:
            users.login(any_db, username="lina", password="wrong1234")
        assert not isinstance(refused.value, AccountLocked)
    with pytest.raises(AccountLocked) as locked:
        users.login(any_db, username="lina", password="wrong1234")
    assert locked.value.until > utcnow() + timedelta(minutes=14)
    with pytest.raises(AccountLocked):
        users.login(any_db, username="lina", password=PASSWORD)


def test_lock_expires_after_its_time(sqlite_db, make_user):
    make_user(sqlite_db, Role.OPERATOR, "lina")
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            users.login(sqlite_db, username="lina", password="wrong1234")
    with sqlite_db.uow(SYSTEM) as uow:  # as if the lockout time had passed
        uow.session.scalar(select(User).where(User.username == "lina")).locked_until = utcnow() - timedelta(seconds=1)
        uow.commit()
    assert users.login(sqlite_db, username="lina", password=PASSWORD).username == "lina"


def test_administrator_setting_a_password_lifts_the_lock(sqlite_db, make_user):
    admin = make_user(sqlite_db, Role.SYSADMIN, "root").actor()
    make_user(sqlite_db, Role.OPERATOR, "lina")
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            users.login(sqlite_db, username="lina", password="wrong1234")
    users.set_password(sqlite_db, admin, username="lina", password="NewPass99")
    assert users.login(sqlite_db, username="lina", password="NewPass99").username == "lina"


def test_disabled_account_cannot_log_in(sqlite_db, make_user):
    admin = make_user(sqlite_db, Role.SYSADMIN, "root").actor()
    make_user(sqlite_db, Role.OPERATOR, "lina")
    users.disable_user(sqlite_db, admin, username="lina")
    with pytest.raises(AuthenticationError, match="disabled"):
        users.login(sqlite_db, username="lina", password=PASSWORD)


@pytest.mark.parametrize(
    ("username", "password", "field"),
    [("a", "Good12345", "username"), ("有空格 的名字", "Good12345", "username"), ("lina", "short1", "password"),
     ("lina", "lettersonly", "password"), ("lina", "1234567890", "password")],
)
def test_bad_user_input_is_refused_with_the_field_and_nothing_saved(sqlite_db, username, password, field):
    with pytest.raises(ValidationError) as refused:
        users.add_user(sqlite_db, SYSTEM, username=username, display_name="李娜", role=Role.OPERATOR, password=password)
    assert refused.value.field == field
    with sqlite_db.session_factory() as session:
        assert session.scalars(select(User)).all() == []


def test_user_names_are_unique(sqlite_db, make_user):
    make_user(sqlite_db, Role.OPERATOR, "lina")
    with pytest.raises(ValidationError, match="taken"):
        make_user(sqlite_db, Role.ENGINEER, "lina")


def test_second_save_of_the_same_user_is_refused_with_who_and_when(any_db, make_user):
    first_admin = make_user(any_db, Role.SYSADMIN, "root").actor()
    second_admin = make_user(any_db, Role.SYSADMIN, "root2").actor()
    lina = make_user(any_db, Role.OPERATOR, "lina")  # both open the record at this version
    users.update_user(any_db, first_admin, user_id=lina.id, version=lina.version, display_name="李娜娜",
                      role=Role.OPERATOR, is_active=True)
    with pytest.raises(ConcurrentEdit) as conflict:
        users.update_user(any_db, second_admin, user_id=lina.id, version=lina.version, display_name="李小娜",
                          role=Role.ENGINEER, is_active=True)
    assert conflict.value.changed_by == "root"
    assert "root" in conflict.value.message
    by_name = {u.username: u for u in users.list_users(any_db, first_admin)}
    assert by_name["lina"].display_name == "李娜娜" and by_name["lina"].role is Role.OPERATOR


def test_an_administrator_cannot_lock_themselves_out(sqlite_db, make_user):
    admin = make_user(sqlite_db, Role.SYSADMIN, "root")
    with pytest.raises(ValidationError):
        users.update_user(sqlite_db, admin.actor(), user_id=admin.id, version=admin.version, display_name="x",
                          role=Role.OPERATOR, is_active=True)
    with pytest.raises(ValidationError):
        users.disable_user(sqlite_db, admin.actor(), username="root")
