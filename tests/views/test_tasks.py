"""The background worker: a plain function with progress runs off the GUI thread and reports how it ended."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from desktop.views.tasks import SHOW_PROGRESS_AFTER_MS, BackgroundTask, show_progress


class Stop(Exception):
    pass


def counting(steps: int, delay: float = 0.0):
    def fn(progress):
        for done in range(1, steps + 1):
            time.sleep(delay)
            if not progress(done, steps, f"step {done}"):
                raise Stop
        return threading.current_thread().name

    return fn


def test_the_function_runs_on_another_thread_and_its_result_arrives(qtbot):
    task = BackgroundTask(counting(3))
    seen = []
    task.sig_progress.connect(lambda done, total, what: seen.append((done, total, what)))
    with qtbot.waitSignal(task.sig_finished, timeout=5000) as blocker:
        task.start()
    assert blocker.args[0] != threading.current_thread().name
    qtbot.waitUntil(lambda: len(seen) == 3)
    assert seen == [(1, 3, "step 1"), (2, 3, "step 2"), (3, 3, "step 3")]
    assert not task.is_running()


def test_an_exception_arrives_as_failed(qtbot):
    def broken(progress):
        raise ValueError("disk full")

    task = BackgroundTask(broken)
    with qtbot.waitSignal(task.sig_failed, timeout=5000) as blocker:
        task.start()
    assert isinstance(blocker.args[0], ValueError) and str(blocker.args[0]) == "disk full"


def test_cancel_makes_progress_return_false_and_ends_as_cancelled(qtbot):
    task = BackgroundTask(counting(1000, delay=0.005))
    task.sig_progress.connect(lambda done, total, what: task.cancel() if done == 5 else None)
    with qtbot.waitSignals([task.sig_cancelled], timeout=10000):
        task.start()
    assert task.is_cancelled()


def test_a_second_start_while_running_is_refused(qtbot):
    task = BackgroundTask(counting(20, delay=0.01))
    with qtbot.waitSignal(task.sig_finished, timeout=5000):
        task.start()
        with pytest.raises(RuntimeError):
            task.start()


def test_the_progress_dialog_appears_only_for_long_work_and_cancel_stops_it(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    quick = BackgroundTask(counting(2), parent)
    show_progress(quick, parent, "Quick")
    with qtbot.waitSignal(quick.sig_finished, timeout=5000):
        quick.start()
    assert not visible_progress_dialogs(parent)

    slow = BackgroundTask(counting(10_000, delay=0.002), parent)
    dialog = show_progress(slow, parent, "Slow")
    slow.start()
    assert not dialog.isVisible()
    qtbot.wait(SHOW_PROGRESS_AFTER_MS // 2)
    assert not dialog.isVisible()
    qtbot.waitUntil(dialog.isVisible, timeout=SHOW_PROGRESS_AFTER_MS + 3000)
    qtbot.waitUntil(lambda: dialog.maximum() == 10_000 and dialog.value() > 0)  # figures from the next call
    assert dialog.labelText().startswith("step ")
    (cancel_button,) = dialog.findChildren(QPushButton)
    with qtbot.waitSignal(slow.sig_cancelled, timeout=5000):
        qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)
    assert not visible_progress_dialogs(parent)


def test_closing_the_owner_stops_the_work(qtbot):
    owner = QWidget()
    started = threading.Event()
    stopped = threading.Event()

    def endless(progress):
        started.set()
        while progress(0, 0, ""):
            time.sleep(0.005)
        stopped.set()
        raise Stop

    task = BackgroundTask(endless, owner)
    task.start()
    assert started.wait(5)
    owner.deleteLater()  # the dialog that started it was closed
    qtbot.waitUntil(stopped.is_set, timeout=5000)


def visible_progress_dialogs(parent: QWidget) -> list[QProgressDialog]:
    return [d for d in parent.findChildren(QProgressDialog) if d.isVisible()]
