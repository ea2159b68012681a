"""The backup page: a checked backup off the GUI thread, listed with date and size; restore; PostgreSQL."""

from __future__ import annotations

import re
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog
from sqlalchemy import create_engine

from desktop.config import Settings, data_dir
from desktop.db.backup import check_database_file
from desktop.db.uow import Database
from desktop.domain.roles import Role
from desktop.services import audit, maintenance, users
from desktop.services.audit import AuditFilter
from desktop.views.admin import backup_page
from desktop.views.admin.backup_page import FILE, MADE, SIZE, BackupPage


@pytest.fixture
def admin(sqlite_db, make_user):
    return make_user(sqlite_db, Role.SYSADMIN, "root").actor()


@pytest.fixture
def page(sqlite_db, admin, qtbot):
    widget = BackupPage(sqlite_db, admin, Settings())
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.show()
    return widget


def listed(page: BackupPage) -> list[str]:
    return [page.table.item(row, FILE).text() for row in range(page.table.rowCount())]


def test_back_up_now_makes_a_checked_backup_off_the_gui_thread(page, qtbot, sqlite_db, admin, monkeypatch):
    offered: list[str] = []

    def save_as(_parent, _title, default, _filter):
        offered.append(default)
        return default, ""

    threads: list[threading.Thread] = []
    real_backup = maintenance.backup_database
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    monkeypatch.setattr(
        maintenance,
        "backup_database",
        lambda *a, **kw: (threads.append(threading.current_thread()), real_backup(*a, **kw))[1],
    )
    assert listed(page) == []

    with qtbot.waitSignal(page.sig_job_finished, timeout=10_000) as finished:
        qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
        assert not page.backup_button.isEnabled()  # no second backup while one runs
    assert finished.args == [True]

    target = data_dir() / "backups" / re.fullmatch(r".*[/\\](branchdesk-\d{8}-\d{4}\.sqlite3)", offered[0])[1]
    assert target.exists() and check_database_file(target) is None
    assert threads and threads[0] is not threading.main_thread()
    assert listed(page) == [target.name]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", page.table.item(0, MADE).text())
    assert re.fullmatch(r"\d+(\.\d)? (kB|MB|GB|bytes)", page.table.item(0, SIZE).text())
    assert page.status_label.text() == f"Backup saved and checked: {target}"
    assert page.backup_button.isEnabled()
    [entry] = audit.read_audit_log(sqlite_db, admin, where=AuditFilter(action="backup"))
    assert entry.username == "root" and entry.summary == str(target)


def test_a_slow_backup_shows_a_progress_dialog_after_half_a_second(page, qtbot, monkeypatch):
    release = threading.Event()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda _p, _t, default, _f: (default, ""))
    monkeypatch.setattr(
        maintenance, "backup_database", lambda *args, target, **kw: (release.wait(10), target)[1]
    )

    page.backup_button.click()
    qtbot.wait(200)
    assert not [d for d in page.findChildren(QProgressDialog) if d.isVisible()]  # quick work: no flicker
    qtbot.waitUntil(lambda: any(d.isVisible() for d in page.findChildren(QProgressDialog)), timeout=2000)
    [dialog] = [d for d in page.findChildren(QProgressDialog) if d.isVisible()]
    assert dialog.labelText() == "Backing up the database…"
    assert page.is_busy() and not page.restore_button.isEnabled()

    with qtbot.waitSignal(page.sig_job_finished, timeout=10_000):
        release.set()
    assert not any(d.isVisible() for d in page.findChildren(QProgressDialog))
    assert page.backup_button.isEnabled()


def test_a_failed_backup_says_why(page, qtbot, tmp_path, monkeypatch):
    database = tmp_path / "branch.sqlite3"  # the sqlite_db file: a backup onto it is refused
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(database), ""))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *rest: warnings.append(text))

    with qtbot.waitSignal(page.sig_job_finished, timeout=10_000) as finished:
        page.backup_button.click()
    assert finished.args == [False]
    assert warnings == ["The backup cannot overwrite the database itself"]
    assert page.status_label.text() == warnings[0]
    assert page.backup_button.isEnabled()


def test_restore_asks_replaces_the_database_and_quits(page, qtbot, sqlite_db, admin, make_user, monkeypatch):
    backup = maintenance.backup_database(
        sqlite_db, admin, target=backup_page.backup_folder() / "before.sqlite3"
    )
    make_user(sqlite_db, Role.OPERATOR, "later")  # not in the backup
    page.refresh()
    assert listed(page) == ["before.sqlite3"]

    asked: list[str] = []
    told: list[str] = []
    quits: list[bool] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda _p, _t, start, _f: (start, ""))
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(
        QMessageBox, "question", lambda _p, _t, text, *rest: (asked.append(text), answers.pop(0))[1]
    )
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *rest: told.append(text))
    monkeypatch.setattr(QApplication, "quit", lambda: quits.append(True))

    page.table.selectRow(0)
    page.restore_button.click()  # cancelled
    assert "later" in [u.username for u in users.list_users(sqlite_db, admin)]
    with qtbot.waitSignal(page.sig_job_finished, timeout=10_000):
        qtbot.keyClick(page.table, Qt.Key.Key_Return)  # Enter on a listed backup restores it

    assert "before.sqlite3" in asked[1] and "BranchDesk closes" in asked[1]
    assert quits == [True]
    assert told and "restored from before.sqlite3" in told[0] and "start it again" in told[0]
    assert "later" not in [u.username for u in users.list_users(sqlite_db, admin)]
    assert any("before-restore" in name for name in listed(page))  # the replaced database, kept
    assert backup.exists()


def test_on_postgresql_the_page_explains_pg_dump_and_offers_nothing(qtbot, admin):
    # An engine is not connected until used: the page must not touch the server at all.
    db = Database(create_engine("postgresql+psycopg://branch@db.invalid/branchdesk"))
    page = BackupPage(db, admin, Settings())
    qtbot.addWidget(page)
    assert "pg_dump" in page.info_label.text()
    assert not page.backup_button.isEnabled() and not page.restore_button.isEnabled()
    assert listed(page) == []
