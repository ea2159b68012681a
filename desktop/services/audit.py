"""Reading the audit log. There is deliberately no function that changes or deletes an entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from desktop.db.uow import Actor, Database
from desktop.domain.roles import Permission
from desktop.domain.users import AuditEntry
from desktop.services.access import require

ACTIONS = ("create", "update", "delete", "login", "login_failed", "print", "export", "view_pii", "backup", "restore")


@dataclass(frozen=True)
class AuditFilter:
    since: datetime | None = None
    until: datetime | None = None  # exclusive
    username: str = ""
    action: str = ""
    entity: str = ""
    text: str = ""  # in the record id or summary


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    username: str
    action: str
    entity: str
    entity_id: str | None
    summary: str
    before: dict | None
    after: dict | None


def read_audit_log(
    db: Database, actor: Actor, *, where: AuditFilter = AuditFilter(), before_id: int | None = None, limit: int = 200
) -> list[AuditRow]:
    """Newest first, `limit` rows at a time; pass the last row's id as `before_id` for the next page
    (keyset paging: a page deep in a large log costs the same as the first)."""
    require(actor, Permission.AUDIT_READ)
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    if where.since:
        query = query.where(AuditEntry.at >= where.since)
    if where.until:
        query = query.where(AuditEntry.at < where.until)
    if where.username:
        query = query.where(AuditEntry.username == where.username)
    if where.action:
        query = query.where(AuditEntry.action == where.action)
    if where.entity:
        query = query.where(AuditEntry.entity == where.entity)
    if where.text:
        pattern = f"%{where.text}%"
        query = query.where(AuditEntry.entity_id.like(pattern) | AuditEntry.summary.like(pattern))
    with db.session_factory() as session:
        return [
            AuditRow(e.id, e.at, e.username, e.action, e.entity, e.entity_id, e.summary, e.before, e.after)
            for e in session.scalars(query)
        ]
