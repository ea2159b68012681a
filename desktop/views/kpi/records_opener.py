"""The records behind a KPI figure or table row, opened where a user works with them.

Complaints and service orders open on their list pages, filtered to exactly those records under a removable
banner; return visits, stock movements and cost lines, which no list page can filter to, open in a dialog
listing them (at most DIALOG_ROWS, and it says how many there are), whose rows open their complaint, order
or stock document. The records are read by desktop.services.kpi_drill off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from desktop.db.uow import Actor, Database
from desktop.domain.errors import DomainError
from desktop.domain.kpi import Drill
from desktop.services import complaints, kpi_drill, service_orders
from desktop.views.common import show_error
from desktop.views.kpi.drill_dialog import DrillDialog
from desktop.views.tasks import BackgroundTask, show_progress

DIALOG_ROWS = 2000  # a drill dialog lists at most this many rows (and says how many there are)
# Drill lists shown on a list page of the main window, filtered to their ids: drill list → page key.
LIST_PAGES = {"complaints": "complaints", "orders": "orders"}


class RecordsOpener(QObject):
    """Opens the records of a Drill for the page it belongs to (its parent widget)."""

    sig_failed = Signal(object)  # the exception a reading ended with

    def __init__(self, db: Database, actor: Actor, page: QWidget):
        super().__init__(page)
        self._db = db
        self._actor = actor
        self._page = page
        # How to reach the main window's pages (navigation's PageContext.open_page); without it every list
        # opens in a dialog whose rows open nothing.
        self.open_page: Callable[[str], QWidget | None] | None = None
        self.task: BackgroundTask | None = None
        self.dialog: DrillDialog | None = None

    def open(self, drill: Drill, caption: str) -> BackgroundTask:
        """Read the records behind a figure or row (off the GUI thread), then show them."""
        db, actor = self._db, self._actor
        on_page = drill.list in LIST_PAGES and self.open_page is not None
        limit = None if on_page else DIALOG_ROWS
        task = BackgroundTask(lambda _progress: kpi_drill.drill_rows(db, actor, drill, limit=limit), owner=self._page)
        task.sig_finished.connect(lambda table: self._show(table, caption))
        task.sig_failed.connect(self.sig_failed)
        show_progress(task, self._page, self.tr("Reading the records"))
        self.task = task
        task.start()
        return task

    def open_record(self, kind: str, number: str) -> None:
        """A dialog's row: the complaint, the service order or the stock document on its page."""
        if self.open_page is None:
            return
        try:
            if kind == "complaint":
                record_id = complaints.find_complaint(self._db, self._actor, number).id
                page = self.open_page("complaints")
                if page is not None:
                    page.open_complaint(record_id)
            elif kind == "order":
                record_id = service_orders.find_order(self._db, self._actor, number).id
                page = self.open_page("orders")
                if page is not None:
                    page.open_order(record_id)
            elif kind == "document":
                page = self.open_page("movements")
                if page is not None:
                    page.tabs.setCurrentWidget(page.movements_tab)
                    page.movements_tab.show_filter(document=number)
        except DomainError as exc:
            show_error(self._page, exc)

    def _show(self, table: kpi_drill.DrillTable, caption: str) -> None:
        if table.list in LIST_PAGES and self.open_page is not None:
            page = self.open_page(LIST_PAGES[table.list])
            if page is not None and hasattr(page, "show_records"):
                page.show_records(table.ids, caption)
                return
        if self.dialog is not None:
            self.dialog.close()
        dialog = DrillDialog(table, caption, can_open=self.open_page is not None, parent=self._page)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_record_requested.connect(self.open_record)
        dialog.destroyed.connect(lambda *_: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.show()
