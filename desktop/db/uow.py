"""Unit of work: one session, one transaction, one user action.

    with uow_factory(actor) as uow:
        ...change entities...
        uow.commit()          # anything else rolls back

Every insert, update and delete flushed through a unit of work writes an audit entry in the same
transaction (who, when, which record, before/after), so no service can forget one. Audit entries
themselves can only be added.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Engine, LargeBinary, event, inspect
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from desktop.db.engine import make_read_engine
from desktop.domain.base import utcnow
from desktop.domain.errors import ConcurrentEdit
from desktop.domain.roles import Role
from desktop.domain.users import AuditEntry
from desktop.i18n import translate

# Columns whose values never go into the audit log (hashes are secrets) or are noise there.
_NOT_AUDITED = {"password_hash", "version", "updated_at", "updated_by", "created_at"}


@dataclass(frozen=True)
class Actor:
    """Who is acting: the logged-in user, or the system (the CLI, demo data), which may do everything:
    whoever runs the CLI on the machine or server that holds the database can read it anyway."""

    user_id: int | None
    username: str
    role: Role
    display_name: str = ""
    is_system: bool = False


SYSTEM = Actor(user_id=None, username="system", role=Role.SYSADMIN, display_name="system", is_system=True)


class UnitOfWork:
    def __init__(self, session_factory: sessionmaker, actor: Actor):
        self._session_factory = session_factory
        self.actor = actor
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        self.session.info["actor"] = self.actor
        return self

    def __exit__(self, *exc) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        versioned = [o for o in self.session.dirty | self.session.deleted if hasattr(o, "version")]
        try:
            self.session.commit()
        except StaleDataError as exc:
            # Another PC saved between our read and our write (version_id_col caught it).
            self.session.rollback()
            current = [self.session.get(type(o), inspect(o).identity, populate_existing=True) for o in versioned]
            raise concurrent_edit(next((c for c in current if c is not None), None)) from exc

    def audit(self, action: str, entity: str, entity_id: object = None, summary: str = "", **after) -> None:
        """Record an event that changes no row: a print, an export, a login, a view of personal data."""
        self.session.add(
            AuditEntry(
                at=utcnow(),
                user_id=self.actor.user_id,
                username=self.actor.username,
                action=action,
                entity=entity,
                entity_id=None if entity_id is None else str(entity_id),
                summary=summary,
                after=_jsonable(after) if after else None,
            )
        )


def check_version(entity, expected_version: int | None) -> None:
    """Refuse to save over a record that changed since the user opened it (views hold DTOs, not rows)."""
    if expected_version is not None and entity.version != expected_version:
        raise concurrent_edit(entity)


def concurrent_edit(entity) -> ConcurrentEdit:
    by = getattr(entity, "updated_by", None)
    at = getattr(entity, "updated_at", None)
    if by and at:
        text = translate("Errors", "Changed by {user} at {time} after you opened it. Reload and try again.")
        message = text.format(user=by, time=at.astimezone().strftime("%Y-%m-%d %H:%M:%S"))
    else:
        message = translate("Errors", "Somebody else changed this record after you opened it. Reload it.")
    return ConcurrentEdit(message, changed_by=by, changed_at=at)


class Database:
    """The engine and what opens units of work on it; one per process."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.read_engine = make_read_engine(engine)
        self.session_factory = sessionmaker(engine, expire_on_commit=False)
        # Lists and counts read here: on SQLite separate read-only connections (db/engine.py).
        self.read_session_factory = sessionmaker(self.read_engine)
        event.listen(self.session_factory, "before_flush", _before_flush)
        event.listen(self.session_factory, "after_flush", _after_flush)
        event.listen(self.session_factory, "after_flush_postexec", _after_flush_postexec)

    def uow(self, actor: Actor) -> UnitOfWork:
        return UnitOfWork(self.session_factory, actor)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()


def _before_flush(session: Session, _flush_context, _instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry):
            raise PermissionError("the audit log is append-only")
    changed = [o for o in session.new if not isinstance(o, AuditEntry)] + [
        o for o in session.dirty if session.is_modified(o, include_collections=False)
    ]
    if not changed and not session.deleted:
        return
    actor: Actor | None = session.info.get("actor")
    if actor is None:
        raise RuntimeError("changes outside a unit of work: open one with Database.uow(actor)")
    for obj in changed:
        if hasattr(obj, "updated_by"):
            obj.updated_by = actor.username


def _after_flush(session: Session, _flush_context) -> None:
    # Here new rows have their ids and attribute history is still there; the entries are added after
    # the flush (below) and written by the next flush of the same commit.
    actor: Actor | None = session.info.get("actor")
    changes = (
        [("create", o) for o in session.new if not isinstance(o, AuditEntry)]
        + [("update", o) for o in session.dirty if session.is_modified(o, include_collections=False)]
        + [("delete", o) for o in session.deleted]
    )
    pending = session.info.setdefault("audit_pending", [])
    for action, obj in changes:
        before, after = _diff(obj, action)
        if action == "update" and not after:
            continue
        pending.append(
            AuditEntry(
                at=utcnow(),
                user_id=actor.user_id,
                username=actor.username,
                action=action,
                entity=obj.__tablename__,
                entity_id=_identity(obj),
                summary="",
                before=before,
                after=after,
            )
        )


def _after_flush_postexec(session: Session, _flush_context) -> None:
    pending = session.info.pop("audit_pending", None)
    if pending:
        session.add_all(pending)


def _diff(obj, action: str) -> tuple[dict | None, dict | None]:
    state = inspect(obj)
    before: dict = {}
    after: dict = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in _NOT_AUDITED or isinstance(attr.columns[0].type, LargeBinary):
            continue  # secrets, noise, and file contents (the attachment row records name, size and hash)
        history = state.attrs[key].history
        if action == "create":
            after[key] = getattr(obj, key)
        elif action == "delete":
            before[key] = getattr(obj, key)
        elif history.has_changes():
            before[key] = history.deleted[0] if history.deleted else None
            after[key] = history.added[0] if history.added else None
    return (_jsonable(before) or None, _jsonable(after) or None)


def _identity(obj) -> str | None:
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    return None if None in key else "/".join(str(part) for part in key)


def _jsonable(values: dict) -> dict:
    def convert(value):
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, (str, int, float, bool)) or value is None:
            return value
        return json.loads(json.dumps(value, default=str))

    return {key: convert(value) for key, value in values.items()}
