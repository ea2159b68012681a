"""Driving a modal dialog from a test: its exec() blocks, so the test's steps run from the event loop."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog


def in_dialog(trigger: Callable[[], object], handle: Callable[[QDialog], None]) -> QDialog:
    """Run `trigger`, which opens a modal dialog, and let `handle` work in it; returns the dialog. A dialog
    `handle` leaves open is rejected, so a failing test cannot hang."""
    seen: list[QDialog] = []
    errors: list[BaseException] = []

    def work(tries: int = 500) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None and tries:
            QTimer.singleShot(10, lambda: work(tries - 1))
            return
        seen.append(dialog)
        try:
            handle(dialog)
        except BaseException as exc:  # noqa: BLE001 - re-raised below, in the test
            errors.append(exc)
        finally:
            if dialog is not None and dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, work)
    trigger()
    if errors:
        raise errors[0]
    assert seen and seen[0] is not None, "no dialog opened"
    return seen[0]
