"""Logging in and managing the people who may log in."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from desktop.db.uow import Actor, Database, check_version
from desktop.domain.base import utcnow
from desktop.domain.errors import AccountLocked, AuthenticationError, NotFound, ValidationError
from desktop.domain.roles import Permission, Role
from desktop.domain.users import User
from desktop.i18n import translate
from desktop.services.access import require

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 8
_USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{2,40}$")
# Argon2id with the library's recommended cost. The test suite, which creates hundreds of users, may ask
# for the cheapest Argon2id parameters instead (BRANCHDESK_TEST_CHEAP_HASH=1); the algorithm stays the same.
_hasher = (
    PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    if os.environ.get("BRANCHDESK_TEST_CHEAP_HASH") == "1"
    else PasswordHasher()
)


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: Role
    is_active: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    version: int

    def actor(self) -> Actor:
        return Actor(user_id=self.id, username=self.username, role=self.role, display_name=self.display_name)


def actor_of(user: User) -> Actor:
    return _row(user).actor()


def _row(user: User) -> UserRow:
    return UserRow(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role_enum,
        is_active=user.is_active,
        locked_until=user.locked_until,
        last_login_at=user.last_login_at,
        version=user.version,
    )


def validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH or not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        raise ValidationError(
            translate("Errors", "The password needs at least {n} characters with letters and digits.").format(
                n=MIN_PASSWORD_LENGTH
            ),
            field="password",
        )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def has_users(db: Database) -> bool:
    with db.session_factory() as session:
        return session.scalar(select(func.count()).select_from(User)) > 0


def login(db: Database, *, username: str, password: str) -> UserRow:
    """The user, if the password is right. Five wrong passwords in a row lock the account for a while;
    the message never says whether the name or the password was wrong."""
    wrong = AuthenticationError(translate("Errors", "Wrong user name or password."), field="password")
    with db.uow(_anonymous(username)) as uow:
        user = uow.session.scalar(select(User).where(User.username == username.strip()))
        if user is None:
            uow.audit("login_failed", "users", None, summary=username.strip()[:40])
            uow.commit()
            raise wrong
        actor = _row(user).actor()
        uow.session.info["actor"] = actor
        now = utcnow()
        if not user.is_active:
            raise AuthenticationError(translate("Errors", "This account is disabled. Ask the system administrator."))
        if user.locked_until and user.locked_until > now:
            raise AccountLocked(
                translate("Errors", "Too many wrong passwords: the account is locked until {time}.").format(
                    time=user.locked_until.astimezone().strftime("%H:%M")
                ),
                until=user.locked_until,
            )
        if not _verify(user.password_hash, password):
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILED_LOGINS:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
            uow.audit("login_failed", "users", user.id)
            uow.commit()
            if user.locked_until and user.locked_until > now:
                raise AccountLocked(
                    translate("Errors", "Too many wrong passwords: the account is locked until {time}.").format(
                        time=user.locked_until.astimezone().strftime("%H:%M")
                    ),
                    until=user.locked_until,
                )
            raise wrong
        user.failed_logins = 0
        user.locked_until = None
        user.last_login_at = now
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        uow.audit("login", "users", user.id)
        uow.commit()
        return _row(user)


def verify_password(db: Database, actor: Actor, password: str) -> bool:
    """Unlock an idle-locked session: the same user's password again (wrong answers count as failed logins)."""
    try:
        login(db, username=actor.username, password=password)
    except AuthenticationError:
        return False
    return True


def list_users(db: Database, actor: Actor) -> list[UserRow]:
    require(actor, Permission.USER_ADMIN)
    with db.uow(actor) as uow:
        return [_row(u) for u in uow.session.scalars(select(User).order_by(User.username))]


def add_user(
    db: Database, actor: Actor, *, username: str, display_name: str, role: Role, password: str
) -> UserRow:
    require(actor, Permission.USER_ADMIN)
    username = username.strip()
    if not _USERNAME.match(username):
        raise ValidationError(
            translate("Errors", "User name: 2 to 40 letters, digits, '.', '_' or '-'."), field="username", value=username
        )
    if not display_name.strip():
        raise ValidationError(translate("Errors", "Enter the person's name."), field="display_name")
    validate_password(password)
    with db.uow(actor) as uow:
        if uow.session.scalar(select(User.id).where(User.username == username)):
            raise ValidationError(
                translate("Errors", "User name {name} is taken.").format(name=username), field="username", value=username
            )
        user = User(
            username=username,
            display_name=display_name.strip(),
            role=Role(role).value,
            password_hash=_hasher.hash(password),
            is_active=True,
            failed_logins=0,
        )
        uow.session.add(user)
        uow.commit()
        return _row(user)


def update_user(
    db: Database, actor: Actor, *, user_id: int, version: int, display_name: str, role: Role, is_active: bool
) -> UserRow:
    require(actor, Permission.USER_ADMIN)
    if not display_name.strip():
        raise ValidationError(translate("Errors", "Enter the person's name."), field="display_name")
    with db.uow(actor) as uow:
        user = _get(uow.session, user_id)
        check_version(user, version)
        if user.id == actor.user_id and (not is_active or Role(role) != Role.SYSADMIN):
            raise ValidationError(
                translate("Errors", "You cannot disable yourself or take away your own administrator role."),
                field="role",
            )
        user.display_name = display_name.strip()
        user.role = Role(role).value
        user.is_active = is_active
        uow.commit()
        return _row(user)


def set_password(db: Database, actor: Actor, *, username: str, password: str) -> UserRow:
    """An administrator sets anybody's password; everybody may set their own. Also lifts a lockout."""
    if username != actor.username:
        require(actor, Permission.USER_ADMIN)
    validate_password(password)
    with db.uow(actor) as uow:
        user = _by_name(uow.session, username)
        user.password_hash = _hasher.hash(password)
        user.password_changed_at = utcnow()
        user.failed_logins = 0
        user.locked_until = None
        uow.commit()
        return _row(user)


def disable_user(db: Database, actor: Actor, *, username: str) -> UserRow:
    require(actor, Permission.USER_ADMIN)
    if username == actor.username:
        raise ValidationError(translate("Errors", "You cannot disable yourself."), field="username")
    with db.uow(actor) as uow:
        user = _by_name(uow.session, username)
        user.is_active = False
        uow.commit()
        return _row(user)


def _get(session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(translate("Errors", "No user with id {id}.").format(id=user_id))
    return user


def _by_name(session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(translate("Errors", "No user named {name}.").format(name=username), field="username")
    return user


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _anonymous(username: str) -> Actor:
    # Failed logins of unknown names are recorded under the name that was typed, not under a user.
    return Actor(user_id=None, username=(username.strip() or "?")[:40], role=Role.OPERATOR)
