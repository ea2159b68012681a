"""Backups while the app runs, and restores that refuse a bad file."""

from __future__ import annotations

import pytest

from desktop.db.backup import BackupError, check_database_file
from desktop.domain.roles import Role
from desktop.services import maintenance, users
from tests.conftest import PASSWORD


def test_backup_while_the_app_writes_then_restore_brings_the_data_back(sqlite_db, make_user, tmp_path):
    admin = make_user(sqlite_db, Role.SYSADMIN, "root").actor()
    make_user(sqlite_db, Role.OPERATOR, "before_backup")
    target = maintenance.backup_database(sqlite_db, admin, target=tmp_path / "b" / "backup.sqlite3")
    assert check_database_file(target) is None
    make_user(sqlite_db, Role.OPERATOR, "after_backup")

    safety = maintenance.restore_database(sqlite_db, admin, source=target, safety_dir=tmp_path / "safety")
    names = [u.username for u in users.list_users(sqlite_db, admin)]
    assert "before_backup" in names and "after_backup" not in names
    assert safety is not None and check_database_file(safety) is None  # the restore itself can be undone
    assert users.login(sqlite_db, username="before_backup", password=PASSWORD)


def test_restore_refuses_a_damaged_or_foreign_file_and_changes_nothing(sqlite_db, make_user, tmp_path):
    admin = make_user(sqlite_db, Role.SYSADMIN, "root").actor()
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    with pytest.raises(BackupError, match="refused"):
        maintenance.restore_database(sqlite_db, admin, source=junk, safety_dir=tmp_path)
    import sqlite3

    foreign = tmp_path / "other.sqlite3"
    sqlite3.connect(foreign).execute("CREATE TABLE t(x)").connection.close()
    with pytest.raises(BackupError, match="not a BranchDesk database"):
        maintenance.restore_database(sqlite_db, admin, source=foreign, safety_dir=tmp_path)
    assert [u.username for u in users.list_users(sqlite_db, admin)] == ["root"]


def test_postgresql_backups_are_left_to_the_server(pg_db, make_user, tmp_path):
    admin = make_user(pg_db, Role.SYSADMIN, "root").actor()
    with pytest.raises(BackupError, match="pg_dump"):
        maintenance.backup_database(pg_db, admin, target=tmp_path / "x.sqlite3")
