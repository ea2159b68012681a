"""Locking after inactivity: the lock dialog comes, only the user's password ends it, nothing typed is
lost."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout, QWidget

from desktop.domain.roles import Role
from desktop.views.idle_lock import IdleLock
from tests.conftest import PASSWORD

TIMEOUT_MS = 150


@pytest.fixture
def operator(sqlite_db, make_user):
    return make_user(sqlite_db, Role.OPERATOR, "li.na").actor()


@pytest.fixture
def window(qtbot):
    """A stand-in for the main window with a half-filled form in it."""
    widget = QWidget()
    widget.edit = QLineEdit(widget)
    QVBoxLayout(widget).addWidget(widget.edit)
    widget.resize(600, 400)
    qtbot.addWidget(widget)
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()
    widget.edit.insert("客户说空调不制冷")  # as an input method enters it (QTest types ASCII only)
    qtbot.keyClicks(widget.edit, " 2026")
    return widget


@pytest.fixture
def lock(sqlite_db, operator, window):
    idle = IdleLock(sqlite_db, operator, window, timeout_ms=TIMEOUT_MS, parent=window)
    yield idle
    idle.stop()


def unlock_with(qtbot, lock: IdleLock, password: str) -> None:
    dialog = lock.dialog
    qtbot.keyClicks(dialog.password_edit, password)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)


def test_after_the_timeout_the_lock_dialog_appears_over_a_covered_window(qtbot, lock, window):
    with qtbot.waitSignal(lock.sig_locked, timeout=3000):
        pass
    assert lock.is_locked()
    assert lock.dialog.isVisible() and lock.dialog.isModal()
    assert lock.dialog.parent() is window
    covers = [
        c
        for c in window.findChildren(QWidget)
        if c.isVisible() and not c.isWindow() and c is not window.edit and c.parent() is window
    ]
    assert [c.geometry() for c in covers] == [window.rect()]
    cover = covers[0]
    assert cover.geometry() == window.rect()  # the form is hidden, not closed
    assert window.edit.text() == "客户说空调不制冷 2026"


def test_a_wrong_password_keeps_it_locked_and_the_right_one_unlocks(qtbot, lock, window):
    with qtbot.waitSignal(lock.sig_locked, timeout=3000):
        pass
    dialog = lock.dialog
    unlock_with(qtbot, lock, "Wrong9999")
    assert lock.is_locked() and dialog.isVisible()
    assert dialog.error_label.isVisible() and dialog.error_label.text().startswith("Wrong password.")
    assert dialog.password_edit.text() == ""
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Escape)  # Esc does not unlock
    assert lock.is_locked() and dialog.isVisible()
    with qtbot.waitSignal(lock.sig_unlocked, timeout=3000):
        unlock_with(qtbot, lock, PASSWORD)
    assert not lock.is_locked()
    assert not dialog.isVisible()
    assert window.edit.text() == "客户说空调不制冷 2026"  # nothing typed was lost
    assert all(not child.isVisible() for child in window.findChildren(QWidget) if child is not window.edit)


def test_input_keeps_the_session_unlocked(qtbot, lock, window):
    # Through the window, as a keyboard and a mouse deliver it (qtbot's widget events skip the window).
    for number in range(8):  # typing for longer than the timeout, never pausing as long as it
        qtbot.wait(TIMEOUT_MS // 3)
        if number % 2:
            QTest.keyClick(window.windowHandle(), Qt.Key.Key_A)
        else:
            QTest.mouseMove(window.windowHandle(), QPoint(10 + number, 10))
    assert not lock.is_locked()
    assert window.edit.text().endswith("2026aaaa")  # the keys reached the form
    with qtbot.waitSignal(lock.sig_locked, timeout=3000):  # then a pause locks it
        pass


def test_input_to_a_dialog_keeps_the_session_unlocked(qtbot, lock, window):
    dialog = QDialog(window)
    QVBoxLayout(dialog).addWidget(QLineEdit(dialog))
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    for _ in range(8):
        qtbot.wait(TIMEOUT_MS // 3)
        QTest.keyClick(dialog.windowHandle(), Qt.Key.Key_B)
    assert not lock.is_locked()
    dialog.close()


def test_it_locks_again_after_the_next_pause(qtbot, lock):
    with qtbot.waitSignal(lock.sig_locked, timeout=3000):
        pass
    with qtbot.waitSignal(lock.sig_unlocked, timeout=3000):
        unlock_with(qtbot, lock, PASSWORD)
    with qtbot.waitSignal(lock.sig_locked, timeout=3000):
        pass


def test_log_out_from_the_lock_dialog(qtbot, lock):
    with qtbot.waitSignal(lock.sig_locked, timeout=3000):
        pass
    dialog = lock.dialog
    with qtbot.waitSignal(lock.sig_logout_requested, timeout=3000):
        qtbot.mouseClick(dialog.logout_button, Qt.MouseButton.LeftButton)
    assert not lock.is_locked()


def test_zero_never_locks_by_itself_but_lock_now_does(qtbot, sqlite_db, operator, window):
    idle = IdleLock(sqlite_db, operator, window, timeout_ms=0, parent=window)
    qtbot.wait(3 * TIMEOUT_MS)
    assert not idle.is_locked()
    idle.lock()
    assert idle.is_locked()
    with qtbot.waitSignal(idle.sig_unlocked, timeout=3000):
        unlock_with(qtbot, idle, PASSWORD)
    idle.stop()


def test_ctrl_l_in_the_main_window_locks(qtbot, sqlite_db, operator):
    from desktop.config import Settings
    from desktop.views.main_window import MainWindow

    main = MainWindow(sqlite_db, operator, Settings(), idle_timeout_ms=0)
    qtbot.addWidget(main)
    with qtbot.waitActive(main):
        main.show()
        main.activateWindow()
    with qtbot.waitSignal(main.idle_lock.sig_locked, timeout=3000):
        qtbot.keyClick(main, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(main.idle_lock.sig_unlocked, timeout=3000):
        unlock_with(qtbot, main.idle_lock, PASSWORD)
    main.idle_lock.stop()
