"""Long work off the GUI thread (architecture.md convention 4).

The work is a plain function `fn(progress)`; `progress(done, total, what)` returns False once the user
pressed Cancel, and the function then stops by raising (so a unit of work rolls back). Tests call such
functions directly, without a GUI.

    task = BackgroundTask(lambda progress: load_demo(db, progress=progress), owner=self)
    task.sig_finished.connect(self.on_task_finished)
    show_progress(task, self, self.tr("Loading demo data"))
    task.start()
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import isValid

SHOW_PROGRESS_AFTER_MS = 500

Progress = Callable[[int, int, str], bool]


# Tasks that run, kept alive here until their worker has let go of them: a task is never deleted while its
# worker thread emits its signals, whatever happens to the window that started it.
_RUNNING: set[BackgroundTask] = set()


class _Runnable(QRunnable):
    def __init__(self, task: BackgroundTask):
        super().__init__()
        self._task: BackgroundTask | None = task

    def run(self) -> None:
        task, self._task = self._task, None
        released = task._released
        try:
            task._run_in_worker()
        finally:
            del task  # the worker's last reference, dropped before the GUI thread may let the task go
            released.set()


class BackgroundTask(QObject):
    """Runs `fn(progress)` once on the global thread pool; the signals arrive on the GUI thread.

    Exactly one of sig_finished(result), sig_failed(exception) or sig_cancelled() follows start().
    An exception raised after cancel() counts as the cancellation (the function's way of stopping).
    `owner` (a dialog, a page) going away cancels the work.
    """

    sig_progress = Signal(int, int, str)
    sig_finished = Signal(object)
    sig_failed = Signal(object)
    sig_cancelled = Signal()

    def __init__(self, fn: Callable[[Progress], object], owner: QObject | None = None):
        super().__init__()  # no Qt parent: the owner's deletion must not delete a task that still runs
        self._fn = fn
        self._cancel = threading.Event()
        self._released = threading.Event()
        self._running = False
        if owner is not None:
            cancel = self._cancel  # the lambda must not keep the task (or the owner) alive
            owner.destroyed.connect(lambda *_: cancel.set())
        for signal in (self.sig_finished, self.sig_failed, self.sig_cancelled):
            signal.connect(self._on_ended)

    def start(self, pool: QThreadPool | None = None) -> None:
        if self._running:
            raise RuntimeError("this task is running already")
        self._running = True
        self._cancel.clear()
        self._released.clear()
        _RUNNING.add(self)
        (pool or QThreadPool.globalInstance()).start(_Runnable(self))

    def cancel(self) -> None:
        self._cancel.set()

    def is_running(self) -> bool:
        return self._running

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int, what: str) -> bool:
        self.sig_progress.emit(done, total, what)
        return not self._cancel.is_set()

    def _run_in_worker(self) -> None:
        # Runs on a pool thread: only emits (queued to the GUI thread) and touches thread-safe state.
        try:
            result = self._fn(self._progress)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, which shows or logs it
            if self._cancel.is_set():
                self.sig_cancelled.emit()
            else:
                self.sig_failed.emit(exc)
        else:
            self.sig_finished.emit(result)

    def _on_ended(self, *_args) -> None:
        # On the GUI thread, before the other slots of the same signal (connected first): the task counts
        # as running until its end arrives here. It is let go once the worker has dropped its reference
        # (microseconds after its last emit).
        self._running = False
        QTimer.singleShot(0, self._release)

    def _release(self) -> None:
        self._released.wait(5)
        _RUNNING.discard(self)


def show_progress(
    task: BackgroundTask, parent: QWidget | None, title: str, *, cancellable: bool = True
) -> QProgressDialog:
    """A progress dialog for `task` that appears only if the work lasts longer than about half a second,
    with a Cancel button (Esc) that asks the task to stop; it goes away when the task ends."""
    dialog = QProgressDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_PROGRESS_AFTER_MS)
    dialog.setAutoReset(False)  # reaching 100 % of one phase is not the end of the task
    dialog.setAutoClose(False)
    dialog.setRange(0, 0)  # a busy bar until the first figures arrive
    dialog.setValue(0)  # starts the timer that shows the dialog after SHOW_PROGRESS_AFTER_MS
    if not cancellable:
        dialog.setCancelButton(None)
    ended = False

    def on_progress(done: int, total: int, what: str) -> None:
        if ended or not isValid(dialog) or dialog.wasCanceled():
            return
        if what:
            dialog.setLabelText(what)
        # Figures only once the dialog is up: QProgressDialog.setValue() would otherwise show it as soon as
        # it guesses the work will last longer than the delay, and quick work would flash a dialog.
        if dialog.isVisible():
            dialog.setRange(0, max(total, 0))
            dialog.setValue(min(done, total) if total > 0 else 0)

    def on_end(*_args) -> None:
        nonlocal ended
        ended = True
        if not isValid(dialog):  # its parent was closed meanwhile
            return
        dialog.reset()
        dialog.hide()
        dialog.deleteLater()

    task.sig_progress.connect(on_progress)
    dialog.canceled.connect(task.cancel)
    for signal in (task.sig_finished, task.sig_failed, task.sig_cancelled):
        signal.connect(on_end)
    return dialog
