"""What every view shares: turning errors into messages, and the one dialog for unexpected errors."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop.config import data_dir
from desktop.domain.errors import DomainError

log = logging.getLogger(__name__)

HINT_STYLE = "color: palette(placeholder-text);"  # secondary text: database URL, hints
ERROR_STYLE = "color: #b3261e;"  # a problem the user can fix right now


def show_error(parent: QWidget | None, exc: BaseException, *, title: str = "") -> None:
    """A refusal of the rules (DomainError) as a warning with its message; anything else is unexpected:
    logged with its traceback and reported by the error dialog."""
    if isinstance(exc, DomainError):
        QMessageBox.warning(parent, title or QCoreApplication.translate("Common", "BranchDesk"), exc.message)
    else:
        ErrorReporter.instance().report(type(exc), exc, exc.__traceback__)


def log_file() -> Path:
    """The rotating log file that setup_logging() opened, or where it would be."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            return Path(handler.baseFilename)
    return data_dir() / "logs" / "branchdesk.log"


class ErrorReporter(QObject):
    """The exception hook: every unexpected exception is logged with its traceback; a dialog says so, once.

    One dialog at a time, and each distinct error (type and place) is shown only once per session: an error
    in a paint or timer handler repeats many times a second and must not bury the user in dialogs. Open
    windows and dialogs stay as they are, so nothing typed is lost.
    """

    sig_reported = Signal(str)  # the error's one-line summary, after it was logged
    _sig_from_thread = Signal(object, object, object)
    _instance: ErrorReporter | None = None

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._seen: set[tuple[str, str]] = set()
        self.dialog: QMessageBox | None = None
        self.suppressed = 0  # errors logged while the dialog was open or already shown before
        self._previous_hooks = None
        self._sig_from_thread.connect(self._report_on_gui_thread, Qt.ConnectionType.QueuedConnection)

    @classmethod
    def instance(cls) -> ErrorReporter:
        if cls._instance is None:
            cls._instance = ErrorReporter(QApplication.instance())
        return cls._instance

    def install(self) -> None:
        ErrorReporter._instance = self
        self._previous_hooks = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.report
        threading.excepthook = lambda args: self.report(args.exc_type, args.exc_value, args.exc_traceback)

    def uninstall(self) -> None:
        if self._previous_hooks is not None:
            sys.excepthook, threading.excepthook = self._previous_hooks
            self._previous_hooks = None
        if ErrorReporter._instance is self:
            ErrorReporter._instance = None

    def report(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        log.error("unexpected error", exc_info=(exc_type, exc, tb))
        if threading.current_thread() is not threading.main_thread():
            self._sig_from_thread.emit(exc_type, exc, tb)  # widgets only on the GUI thread
        else:
            self._show(exc_type, exc, tb)

    def _report_on_gui_thread(self, exc_type, exc, tb) -> None:
        self._show(exc_type, exc, tb)

    def _show(self, exc_type, exc, tb) -> None:
        frames = traceback.extract_tb(tb) if tb is not None else []
        where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else ""
        key = (exc_type.__name__, where)
        summary = f"{exc_type.__name__}: {exc}"
        if self.dialog is not None or key in self._seen:
            self.suppressed += 1
            self.sig_reported.emit(summary)
            return
        self._seen.add(key)
        box = QMessageBox(QApplication.activeWindow())
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(QCoreApplication.translate("Common", "Unexpected error"))
        box.setText(
            QCoreApplication.translate("Common", "Something went wrong that BranchDesk did not expect.")
        )
        box.setInformativeText(
            QCoreApplication.translate(
                "Common",
                "Your open windows and what you typed in them are still there: check that your last step was "
                "saved, then carry on, or restart BranchDesk if the problem repeats.\n\n"
                "The details were written to the log file:\n{path}",
            ).format(path=log_file())
        )
        box.setDetailedText("".join(traceback.format_exception(exc_type, exc, tb)))
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.ApplicationModal)
        box.finished.connect(self._on_dialog_finished)
        self.dialog = box
        # Shown without a nested event loop: the hook may run inside a Qt handler that must return first.
        QTimer.singleShot(0, box.show)
        self.sig_reported.emit(summary)

    def _on_dialog_finished(self, _result: int) -> None:
        self.dialog = None
