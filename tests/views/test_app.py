"""Start-up as the build check runs it, a database that cannot be opened, and the unexpected-error dialog."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

from desktop import i18n
from desktop.domain.errors import ValidationError
from desktop.views.common import ErrorReporter, log_file, show_error

ROOT = Path(__file__).resolve().parents[2]


def branchdesk(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, BRANCHDESK_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_self_test_opens_every_page_and_exits_0(home):
    result = branchdesk(home, "--self-test")
    assert result.returncode == 0, result.stderr
    assert "self-test passed" in result.stdout
    assert (home / "branchdesk.sqlite3").is_file()  # the database was made and migrated
    from desktop.views.navigation import PAGES

    log_text = (home / "logs" / "branchdesk.log").read_text(encoding="utf-8")
    assert f"self-test passed: {len(PAGES)} pages" in log_text  # the system actor builds every page


def test_the_self_test_fails_on_a_database_it_cannot_open(home):
    result = branchdesk(home, "--db", "mysql://nobody@nowhere/db", "--self-test")
    assert result.returncode == 1
    assert "cannot open the database" in (home / "logs" / "branchdesk.log").read_text(encoding="utf-8")


@pytest.fixture
def reporter(qapp):
    hook = ErrorReporter(qapp)
    hook.install()
    yield hook
    if hook.dialog is not None:
        hook.dialog.close()
    hook.uninstall()


def raise_and_report(message: str, kind: type[Exception] = RuntimeError) -> None:
    try:
        raise kind(message)  # the same place every time, like a broken paint handler
    except Exception as exc:  # noqa: BLE001
        sys.excepthook(type(exc), exc, exc.__traceback__)


def visible_message_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def test_an_unexpected_error_is_logged_and_shown_once(qtbot, reporter, caplog):
    form = QLineEdit()
    qtbot.addWidget(form)
    form.show()
    form.setText("half-typed note")
    with caplog.at_level(logging.ERROR):
        for n in range(5):
            raise_and_report(f"boom {n}")
        raise_and_report("another kind", KeyError)  # while the dialog is open: logged only
    assert [r.exc_info[0] for r in caplog.records if r.exc_info] == [RuntimeError] * 5 + [KeyError]
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    assert visible_message_boxes() == [reporter.dialog]  # one dialog, not six
    assert str(log_file()) in reporter.dialog.informativeText()
    assert "boom 0" in reporter.dialog.detailedText()
    assert reporter.suppressed == 5
    assert form.isVisible() and form.text() == "half-typed note"  # the user's form is untouched

    reporter.dialog.close()
    qtbot.waitUntil(lambda: reporter.dialog is None)
    raise_and_report("boom again")  # the same error as before: logged, not shown again
    assert reporter.dialog is None
    raise_and_report("new trouble", ValueError)  # a different one is shown
    assert reporter.dialog is not None and "new trouble" in reporter.dialog.detailedText()


def test_a_refusal_of_the_rules_is_a_plain_warning_with_its_message(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append(text))
    show_error(None, ValidationError("Enter the person's name.", field="display_name"))
    assert shown == ["Enter the person's name."]


@pytest.fixture
def in_process(qapp):
    """run_gui() in this process: undo what it leaves behind (the translate hook, the log file handler of
    this test's home folder, quitting on the last window)."""
    handlers = list(logging.getLogger().handlers)
    yield
    qapp.setQuitOnLastWindowClosed(True)
    i18n.install_hook(None)
    for handler in set(logging.getLogger().handlers) - set(handlers):
        logging.getLogger().removeHandler(handler)
        handler.close()


def test_a_whole_session_first_run_login_logout_login_quit(in_process, qtbot):
    """run_gui as a user meets it: create the administrator, log in, log out, log in again, quit."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QDialog

    from desktop.app import run_gui
    from desktop.config import Settings
    from desktop.views.first_run import FirstRunDialog
    from desktop.views.login import LoginDialog
    from desktop.views.main_window import MainWindow
    from tests.conftest import PASSWORD

    seen: list[str] = []

    def step() -> None:
        modal = QApplication.activeModalWidget()
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if isinstance(modal, FirstRunDialog):
            seen.append("first run")
            qtbot.keyClicks(modal.name_edit, "Wang Fang")
            qtbot.keyClicks(modal.password_edit, PASSWORD)
            qtbot.keyClicks(modal.repeat_edit, PASSWORD)
            qtbot.mouseClick(modal.create_button, Qt.MouseButton.LeftButton)
        elif isinstance(modal, LoginDialog):
            seen.append(f"login {modal.username_edit.text()}")
            qtbot.keyClicks(modal.password_edit, PASSWORD)
            qtbot.keyClick(modal.password_edit, Qt.Key.Key_Return)
        elif windows and modal is None:
            seen.append(f"window {windows[0].actor.username}")
            if seen.count(seen[-1]) == 1:
                windows[0].logout_action.trigger()
            else:
                windows[0].quit_action.trigger()
                return
        elif isinstance(modal, QDialog):
            seen.append(f"unexpected {type(modal).__name__}")
            modal.reject()
        if len(seen) < 20:
            QTimer.singleShot(50, step)

    QTimer.singleShot(50, step)
    assert run_gui(Settings(language="en")) == 0
    assert seen == ["first run", "login admin", "window admin", "login admin", "window admin"]


def test_a_database_that_cannot_be_opened_is_explained_and_the_program_ends(in_process):
    from PySide6.QtCore import QTimer

    from desktop.app import run_gui
    from desktop.config import Settings

    shown: list[str] = []

    def close_the_message(tries: int = 100) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            if tries:
                QTimer.singleShot(20, lambda: close_the_message(tries - 1))
            return
        shown.append(box.text() + "\n" + box.informativeText())
        box.button(QMessageBox.StandardButton.Close).click()

    QTimer.singleShot(0, close_the_message)
    assert run_gui(Settings(db_url="mysql://nobody@nowhere/branch", language="en")) == 1
    (text,) = shown
    assert text.startswith("BranchDesk cannot open its database.")
    assert "mysql" in text
    assert str(log_file()) in text  # where the traceback went
