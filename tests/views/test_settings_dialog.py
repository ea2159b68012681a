"""The settings dialog: validation as typed, saving to the settings file, Enter and Esc."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop.config import Settings, config_path, load_settings
from desktop.views.settings_dialog import SettingsDialog, db_url_problem


@pytest.fixture
def dialog(qtbot):
    widget = SettingsDialog(Settings())
    qtbot.addWidget(widget)
    with qtbot.waitActive(widget):
        widget.show()
    return widget


def retype(qtbot, edit, text: str) -> None:
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def test_a_branch_code_with_other_characters_is_refused_as_typed(qtbot, dialog):
    retype(qtbot, dialog.branch_code_edit, "sz-0#2")
    assert dialog.branch_code_edit.text() == "SZ02"  # '-' and '#' never got in; letters are upper case
    retype(qtbot, dialog.branch_code_edit, "ABCDEFGHIJKL")
    assert dialog.branch_code_edit.text() == "ABCDEFGHIJ"  # ten at most


def test_a_one_character_branch_code_cannot_be_saved(qtbot, dialog):
    retype(qtbot, dialog.branch_code_edit, "S")
    qtbot.keyClick(dialog.branch_code_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.error_label.isVisible() and "2 to 10 letters or digits" in dialog.error_label.text()
    assert not config_path().exists()


def test_enter_saves_the_settings_file(qtbot, dialog, home):
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    retype(qtbot, dialog.branch_code_edit, "sz02")
    retype(qtbot, dialog.branch_name_edit, "Shenzhen branch")
    retype(qtbot, dialog.db_url_edit, str(home / "branch.sqlite3"))
    dialog.idle_spin.setFocus()
    dialog.idle_spin.selectAll()
    qtbot.keyClicks(dialog.idle_spin, "30")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.keyClick(dialog.idle_spin, Qt.Key.Key_Return)
    saved = load_settings()
    assert saved == dialog.settings
    assert (saved.language, saved.branch_code, saved.branch_name) == ("en", "SZ02", "Shenzhen branch")
    assert saved.idle_lock_minutes == 30
    assert saved.db_url == f"sqlite:///{(home / 'branch.sqlite3').as_posix()}"
    assert json.loads(config_path().read_text(encoding="utf-8"))["branch_code"] == "SZ02"


def test_esc_cancels_without_writing(qtbot, dialog):
    retype(qtbot, dialog.branch_name_edit, "Changed")
    with qtbot.waitSignal(dialog.rejected, timeout=2000):
        qtbot.keyClick(dialog.branch_name_edit, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not config_path().exists()


def test_a_database_that_is_neither_sqlite_nor_postgresql_is_refused(qtbot, dialog):
    retype(qtbot, dialog.db_url_edit, "mysql://user@server/branch")
    qtbot.keyClick(dialog.db_url_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "not mysql" in dialog.error_label.text()
    assert dialog.db_url_edit.hasFocus()
    assert not config_path().exists()


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("", True),
        ("D:/BranchDesk/branch.sqlite3", True),
        ("sqlite:///C:/data/branch.sqlite3", True),
        ("postgresql://bd:secret@10.0.0.5/branchdesk", True),
        ("postgres://bd@server/branchdesk", True),
        ("postgresql://bd@server", False),
        ("sqlite://", False),
        ("sqlite:///:memory:", False),
        ("mssql+pyodbc://server/db", False),
        ("://nonsense", False),
    ],
)
def test_database_urls(url, ok):
    assert (db_url_problem(url) == "") is ok, db_url_problem(url)


def test_a_missing_font_file_is_refused(qtbot, dialog, tmp_path):
    retype(qtbot, dialog.pdf_font_edit, str(tmp_path / "nofont.ttf"))
    qtbot.keyClick(dialog.pdf_font_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and "nofont.ttf" in dialog.error_label.text()


def test_the_lock_time_is_0_to_240_minutes_and_0_reads_never(dialog):
    assert (dialog.idle_spin.minimum(), dialog.idle_spin.maximum()) == (0, 240)
    dialog.idle_spin.setValue(0)
    assert dialog.idle_spin.text() == "never"


def test_the_dialog_says_when_language_and_database_take_effect(dialog):
    from PySide6.QtWidgets import QLabel

    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert any("starts next time" in text for text in texts)
