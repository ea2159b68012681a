"""Bring a database to the newest schema with Alembic, backing up an existing SQLite file first."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from desktop.db.backup import backup_sqlite, dated_name
from desktop.db.engine import sqlite_path
from desktop.i18n import translate

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")


class MigrationError(Exception):
    pass


@dataclass(frozen=True)
class UpgradeResult:
    from_revision: str | None
    to_revision: str
    backup: Path | None


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, *, backup_dir: Path | None = None, revision: str = "head") -> UpgradeResult:
    script = ScriptDirectory.from_config(alembic_config())
    current = current_revision(engine)
    target = script.get_current_head() if revision == "head" else revision
    if current is not None and current not in {s.revision for s in script.walk_revisions()}:
        raise MigrationError(
            translate(
                "Migrations",
                "The database is at schema version {current}, which this BranchDesk does not know: "
                "it was made by a newer version. Install that version or restore an older backup.",
            ).format(current=current)
        )
    backup = None
    if current == target:
        return UpgradeResult(current, target, None)
    path = sqlite_path(str(engine.url))
    if current is not None and path is not None and backup_dir is not None:
        backup = backup_sqlite(path, backup_dir / dated_name(path.stem, f"before-upgrade-{current}"))
        log.info("backed up %s to %s before upgrading", path, backup)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    log.info("database upgraded from %s to %s", current, target)
    return UpgradeResult(current, target, backup)
