"""Consistent online backups of a SQLite database, and restoring them.

SQLite's backup API copies a consistent snapshot while the application keeps running (other connections
may read and write meanwhile). Every backup is verified with `PRAGMA integrity_check`; restore refuses a
file that fails it or that is not a BranchDesk database.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from desktop.i18n import translate


class BackupError(Exception):
    pass


def backup_sqlite(source: Path, target: Path) -> Path:
    if not source.exists():
        raise BackupError(translate("Backup", "Database file {path} does not exist").format(path=source))
    target = target.resolve()
    if target == source.resolve():
        raise BackupError(translate("Backup", "The backup cannot overwrite the database itself"))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst, pages=1024)  # in steps, so writers of the running app are not held up for long
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        dst.close()
        src.close()
    problem = check_database_file(partial)
    if problem:
        partial.unlink(missing_ok=True)
        raise BackupError(translate("Backup", "The backup failed its integrity check: {problem}").format(problem=problem))
    partial.replace(target)
    return target


def check_database_file(path: Path) -> str | None:
    """What is wrong with `path` as a BranchDesk database, or None when it is sound."""
    if not path.is_file():
        return translate("Backup", "{path} is not a file").format(path=path)
    try:
        conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
        try:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                return "; ".join(result[:5])
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return translate("Backup", "{path} is not a SQLite database ({error})").format(path=path, error=exc)
    if "alembic_version" not in tables or "users" not in tables:
        return translate("Backup", "{path} is not a BranchDesk database").format(path=path)
    return None


def restore_sqlite(backup: Path, target: Path, *, safety_dir: Path) -> Path | None:
    """Replace `target` with `backup`. The current database is backed up to `safety_dir` first, so a restore
    can itself be undone. Returns that safety copy (None when there was no database yet)."""
    problem = check_database_file(backup)
    if problem:
        raise BackupError(translate("Backup", "Restore refused: {problem}").format(problem=problem))
    safety = None
    if target.exists():
        safety = backup_sqlite(target, safety_dir / dated_name(target.stem, "before-restore"))
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{backup.as_posix()}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=30)
    try:
        # Through the backup API rather than a file copy: the -wal beside the target stays consistent.
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    problem = check_database_file(target)
    if problem:  # pragma: no cover - the source passed the same check a moment ago
        if safety:
            shutil.copyfile(safety, target)
        raise BackupError(translate("Backup", "Restore failed and was undone: {problem}").format(problem=problem))
    return safety


def dated_name(stem: str, label: str) -> str:
    return f"{stem}-{label}-{datetime.now().strftime('%Y%m%d-%H%M%S')}.sqlite3"
