"""Backup and restore of the branch database, from the administration screen or the CLI."""

from __future__ import annotations

from pathlib import Path

from desktop.db.backup import BackupError, backup_sqlite, restore_sqlite
from desktop.db.engine import sqlite_path
from desktop.db.uow import Actor, Database
from desktop.domain.roles import Permission
from desktop.i18n import translate
from desktop.services.access import require


def _sqlite_file(db: Database) -> Path:
    path = sqlite_path(str(db.engine.url))
    if path is None:
        raise BackupError(
            translate(
                "Backup",
                "This is a PostgreSQL database: back it up on the server with pg_dump (see the README).",
            )
        )
    return path


def backup_database(db: Database, actor: Actor, *, target: Path) -> Path:
    require(actor, Permission.BACKUP)
    result = backup_sqlite(_sqlite_file(db), target)
    with db.uow(actor) as uow:
        uow.audit("backup", "database", None, summary=str(result))
        uow.commit()
    return result


def restore_database(db: Database, actor: Actor, *, source: Path, safety_dir: Path) -> Path | None:
    """Replace the database with a backup. The running application must reconnect afterwards."""
    require(actor, Permission.BACKUP)
    path = _sqlite_file(db)
    db.dispose()  # our own pooled connection must not keep the old file's pages
    safety = restore_sqlite(source, path, safety_dir=safety_dir)
    with db.uow(actor) as uow:
        uow.audit("restore", "database", None, summary=f"{source} (previous database kept as {safety})")
        uow.commit()
    return safety

