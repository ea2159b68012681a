"""Locking the session after inactivity (domain.md §10), or at once with Ctrl+L.

An event filter on each window that has had the keyboard focus (the main window, dialogs) restarts a timer
on every key press, click, wheel turn or mouse move there. Input reaches a window before the widget under it,
so the filter sees it without being asked about every paint, layout and polish event of every widget, as an
application-wide filter was: that Python call for each of thousands of events added ~50 ms to opening the KPI
dashboard. Not counted: the mouse inside a popup (a menu, a drop-down list), which does not take the focus on
Windows — keys typed there still pass through the window that has it, and a popup lasts seconds, the
timeout minutes.
When the timer runs out, an opaque cover hides the main window's content (personal data stays off the
screen of an empty desk) and a modal dialog asks the same user's password. Nothing is closed: windows,
dialogs and what was typed in them are there again after unlocking. Log out gives the desk to somebody
else, and what was not saved is then lost.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QWindow
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desktop.db.uow import Actor, Database
from desktop.services import users
from desktop.views.common import ERROR_STYLE

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


class LockDialog(QDialog):
    """Asks the locked-out user's password; cannot be closed any other way than unlocking or logging out."""

    sig_unlocked = Signal()
    sig_logout_requested = Signal()

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.setWindowTitle(self.tr("BranchDesk is locked"))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)

        text = QLabel(
            self.tr("Locked for {name} ({user}). Enter your password to carry on where you left off.").format(
                name=actor.display_name or actor.username, user=actor.username
            ),
            self,
        )
        text.setWordWrap(True)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.textEdited.connect(self.on_password_edit_text_edited)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(self)
        self.unlock_button = self.buttons.addButton(
            self.tr("&Unlock"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.unlock_button.setDefault(True)
        self.logout_button: QPushButton = self.buttons.addButton(
            self.tr("&Log out"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.logout_button.setAutoDefault(False)
        self.logout_button.setToolTip(self.tr("Another user can log in; what was not saved is lost."))
        self.unlock_button.clicked.connect(self.on_unlock_button_clicked)
        self.logout_button.clicked.connect(self.on_logout_button_clicked)

        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.password_edit)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(400)
        self.password_edit.setFocus()

    def on_password_edit_text_edited(self, _text: str) -> None:
        self.error_label.hide()

    def on_unlock_button_clicked(self) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            ok = users.verify_password(self._db, self._actor, self.password_edit.text())
        finally:
            QGuiApplication.restoreOverrideCursor()
        if not ok:
            self.password_edit.clear()
            self.error_label.setText(
                self.tr("Wrong password. After five wrong passwords the account is locked for a while.")
            )
            self.error_label.show()
            self.password_edit.setFocus()
            return
        self.done(QDialog.DialogCode.Accepted)
        self.sig_unlocked.emit()

    def on_logout_button_clicked(self) -> None:
        self.done(QDialog.DialogCode.Rejected)
        self.sig_logout_requested.emit()

    def reject(self) -> None:
        # Esc must not unlock: only the password or logging out ends the lock.
        self.password_edit.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()


class IdleLock(QObject):
    """Locks `window` after `timeout_ms` without input (0: never on its own; lock() still works)."""

    sig_locked = Signal()
    sig_unlocked = Signal()
    sig_logout_requested = Signal()

    def __init__(
        self, db: Database, actor: Actor, window: QWidget, *, timeout_ms: int, parent: QObject | None = None
    ):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._window = window
        self.dialog: LockDialog | None = None
        self._cover = QLabel(self.tr("BranchDesk is locked"), window)
        self._cover.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self._cover.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        self._cover.setFont(font)
        self._cover.setAutoFillBackground(True)  # opaque: the content underneath is not readable
        self._cover.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.lock)
        self.set_timeout_ms(timeout_ms)
        self._watched: list[QWindow] = []
        window.installEventFilter(self)  # its resizing, for the cover
        QGuiApplication.instance().focusWindowChanged.connect(self._watch)
        self._watching = True
        self._watch(QGuiApplication.focusWindow())

    def set_timeout_ms(self, timeout_ms: int) -> None:
        self._timer.stop()
        self._timeout_ms = max(0, timeout_ms)
        if self._timeout_ms and not self.is_locked():
            self._timer.start(self._timeout_ms)

    def is_locked(self) -> bool:
        return self.dialog is not None

    def lock(self) -> None:
        if self.is_locked():
            return
        self._timer.stop()
        self._cover.setGeometry(self._window.rect())
        self._cover.raise_()
        self._cover.show()
        self.dialog = LockDialog(self._db, self._actor, self._window)
        self.dialog.sig_unlocked.connect(self.on_dialog_sig_unlocked)
        self.dialog.sig_logout_requested.connect(self.on_dialog_sig_logout_requested)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        self.sig_locked.emit()

    def stop(self) -> None:
        """No more locking (the user logs out or the window closes)."""
        if self._watching:
            self._watching = False
            QGuiApplication.instance().focusWindowChanged.disconnect(self._watch)
        for watched in self._watched:
            if isValid(watched):
                watched.removeEventFilter(self)
        self._watched.clear()
        self._window.removeEventFilter(self)
        self._timer.stop()
        self._timeout_ms = 0
        self._end_lock()

    def on_dialog_sig_unlocked(self) -> None:
        self._end_lock()
        if self._timeout_ms:
            self._timer.start(self._timeout_ms)
        self.sig_unlocked.emit()

    def on_dialog_sig_logout_requested(self) -> None:
        self._end_lock()
        self.sig_logout_requested.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _INPUT_EVENTS:
            if self._timeout_ms and not self.is_locked():
                self._timer.start(self._timeout_ms)
        elif kind == QEvent.Type.Resize and watched is self._window and self._cover.isVisible():
            self._cover.setGeometry(self._window.rect())
        return False

    def _watch(self, window: QWindow | None) -> None:
        """Input to `window` counts as activity (installing the filter again changes nothing)."""
        if window is not None:
            window.installEventFilter(self)
            self._watched = [w for w in self._watched if isValid(w) and w is not window] + [window]

    def _end_lock(self) -> None:
        self._cover.hide()
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None
