"""GUI start-up: QApplication, translator, logging, exception hook, database, first run, login, main window.

`run_gui(settings, self_test=True)` opens the database and the main window for the built-in system actor
without a login, shows every page once and exits 0: the check that a PyInstaller build can start.
"""

from __future__ import annotations

import logging
import os
import sys

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from desktop import APP_NAME, __version__
from desktop.bootstrap import open_database, setup_logging
from desktop.config import Settings
from desktop.db.uow import SYSTEM, Actor, Database
from desktop.services import users
from desktop.translations import install_translate_hook, install_translators
from desktop.views.common import ErrorReporter, log_file

log = logging.getLogger(__name__)


def run_gui(settings: Settings, *, self_test: bool = False) -> int:
    if self_test and not _has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    setup_logging()
    install_translators(app, settings.language)
    install_translate_hook()
    reporter = ErrorReporter(app)
    reporter.install()
    try:
        try:
            db = open_database(settings)
        except Exception as exc:  # a bad URL, a server that is down, a schema newer than this program
            log.exception("cannot open the database")
            if not self_test:
                _explain_database_failure(settings, exc)
            return 1
        try:
            if self_test:
                return _self_test(app, db, settings)
            app.setQuitOnLastWindowClosed(False)  # between logout and the next login no window is open
            session = _Session(app, db, settings)
            if not session.start():
                return 0
            return app.exec()
        finally:
            db.dispose()
    finally:
        reporter.uninstall()


def _has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True  # Windows and macOS always have a desktop


def _self_test(app: QApplication, db: Database, settings: Settings) -> int:
    from desktop.views.main_window import MainWindow

    window = MainWindow(db, SYSTEM, settings, idle_timeout_ms=0)
    window.show()
    for index in range(
        len(window.page_rows())
    ):  # build every page: a module missing from a bundle fails here
        window.show_page(index)
        app.processEvents()
    window.close()
    app.processEvents()
    log.info("self-test passed: %s pages on %s", len(window.page_rows()), db.url)
    print(f"BranchDesk {__version__} self-test passed ({db.url})")
    return 0


def _explain_database_failure(settings: Settings, exc: Exception) -> None:
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(APP_NAME)
    box.setText(QCoreApplication.translate("App", "BranchDesk cannot open its database."))
    message = getattr(exc, "message", None) or str(exc)
    box.setInformativeText(
        QCoreApplication.translate(
            "App",
            "{error}\n\nCheck the database in the settings, or ask whoever looks after the branch's server. "
            "The details are in the log file:\n{path}",
        ).format(error=message, path=log_file())
    )
    settings_text = QCoreApplication.translate("App", "&Settings…")
    settings_button = box.addButton(settings_text, QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    if box.clickedButton() is settings_button:
        from desktop.views.settings_dialog import SettingsDialog

        dialog = SettingsDialog(settings, full_access=True)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            again = QCoreApplication.translate("App", "Start BranchDesk again to use the new settings.")
            QMessageBox.information(None, APP_NAME, again)


class _Session(QObject):
    """Who is at the desk: first run, login, the main window, and logging out to the next login."""

    def __init__(self, app: QApplication, db: Database, settings: Settings):
        super().__init__(app)
        self._app = app
        self._db = db
        self._settings = settings
        self._last_username = ""
        self.window = None

    def start(self) -> bool:
        """True once a main window is open; False when the user gave up (Cancel/Close)."""
        username, notice = "", ""
        if not users.has_users(self._db):
            from desktop.views.first_run import FirstRunDialog

            first = FirstRunDialog(self._db, self._settings)
            if first.exec() != QDialog.DialogCode.Accepted:
                return False
            username, notice = first.username, first.notice
        return self._login(username, notice)

    def _login(self, username: str, notice: str = "") -> bool:
        from desktop.views.login import LoginDialog

        dialog = LoginDialog(
            self._db, username=username, branch_name=self._settings.branch_name, notice=notice
        )
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.user is None:
            return False
        self._last_username = dialog.user.username
        self._open_window(dialog.user.actor())
        return True

    def _open_window(self, actor: Actor) -> None:
        from desktop.views.main_window import PREPARE_PAGES_AFTER_MS, MainWindow

        self.window = MainWindow(self._db, actor, self._settings, prepare_pages_after_ms=PREPARE_PAGES_AFTER_MS)
        self.window.sig_logout_requested.connect(self.on_window_sig_logout_requested)
        self.window.sig_closed.connect(self._app.quit)
        screen = self.window.screen().availableGeometry()
        if screen.width() < 1366 or screen.height() < 800:
            self.window.showMaximized()  # 1366×768 and smaller: every pixel counts
        else:
            self.window.show()

    def on_window_sig_logout_requested(self) -> None:
        window, self.window = self.window, None
        window.idle_lock.stop()
        self._settings = window.settings  # changed in the settings dialog, perhaps
        # Dialogs of the user who leaves end (rejected: nothing half-typed is saved), then the window goes.
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        window.hide()
        window.deleteLater()
        QTimer.singleShot(0, self._login_after_logout)

    def _login_after_logout(self) -> None:
        if not self._login(self._last_username):
            self._app.quit()
