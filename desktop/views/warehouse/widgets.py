"""What the warehouse screens share: numbers typed as text, the part-code completer, finding a part by its
code, work off the GUI thread, and opening a finished PDF."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QStyle, QWidget
from shiboken6 import isValid

from desktop.config import data_dir
from desktop.db.uow import Actor, Database
from desktop.domain.errors import DomainError
from desktop.models.lazy_table_model import LazyTableModel
from desktop.services.paging import Sort
from desktop.services.parts import part_list
from desktop.views.common import show_error
from desktop.views.lazy_list_view import LazyListView
from desktop.views.tasks import BackgroundTask, show_progress

COMPLETER_ROWS = 20
COMPLETER_DELAY_MS = 200  # ask the database once the typing pauses, not on every key
CODE_ROLE = Qt.ItemDataRole.UserRole + 10

PURPOSES = ("service_order", "complaint", "internal")

# The headers of the warehouse lists (services' ListColumn titles), marked here so lupdate extracts them into
# the context "Columns"; tests/views/warehouse check that none is missing.
COLUMN_TITLES = (
    QT_TRANSLATE_NOOP("Columns", "Part code"), QT_TRANSLATE_NOOP("Columns", "Name"),
    QT_TRANSLATE_NOOP("Columns", "Model"), QT_TRANSLATE_NOOP("Columns", "Specification"),
    QT_TRANSLATE_NOOP("Columns", "Unit"), QT_TRANSLATE_NOOP("Columns", "On hand"),
    QT_TRANSLATE_NOOP("Columns", "Reorder point"), QT_TRANSLATE_NOOP("Columns", "ABC"),
    QT_TRANSLATE_NOOP("Columns", "Last issue"), QT_TRANSLATE_NOOP("Columns", "Slow-moving"),
    QT_TRANSLATE_NOOP("Columns", "Bin"), QT_TRANSLATE_NOOP("Columns", "Time"),
    QT_TRANSLATE_NOOP("Columns", "Document"), QT_TRANSLATE_NOOP("Columns", "Kind"),
    QT_TRANSLATE_NOOP("Columns", "Quantity"), QT_TRANSLATE_NOOP("Columns", "Reference"),
    QT_TRANSLATE_NOOP("Columns", "By"), QT_TRANSLATE_NOOP("Columns", "Safety stock"),
    QT_TRANSLATE_NOOP("Columns", "Monthly use"), QT_TRANSLATE_NOOP("Columns", "Suggested order"),
)
# "Received" is a complaint's receipt elsewhere; here it is the day a lot came in (入库日期).
OWN_HEADERS = {"received_on": QT_TRANSLATE_NOOP("Stock", "Receipt date")}


class StockListModel(LazyTableModel):
    """A lazy list of the warehouse: headers as the warehouse says them."""

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if (orientation == Qt.Orientation.Horizontal and int(role) == int(Qt.ItemDataRole.DisplayRole)
                and 0 <= section < len(self.columns) and self.columns[section].key in OWN_HEADERS):
            return QCoreApplication.translate("Stock", OWN_HEADERS[self.columns[section].key])
        return super().headerData(section, orientation, role)


def purpose_label(purpose: str) -> str:
    return {
        "service_order": QCoreApplication.translate("Stock", "Service order"),
        "complaint": QCoreApplication.translate("Stock", "Complaint"),
        "internal": QCoreApplication.translate("Stock", "Internal use"),
        "supplier": QCoreApplication.translate("Stock", "Supplier"),
    }.get(purpose, purpose)


def parse_decimal(text: str) -> Decimal | None:
    """A number as people type it: full-width digits and thousands separators allowed; None if it is not one."""
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace("，", "")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def quantity_text(value: Decimal) -> str:
    """12 rather than 12.00: quantities are mostly whole units."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def documents_dir() -> Path:
    """Where printed slips and labels go unless the user chooses otherwise."""
    return data_dir() / "documents"


def open_file(path: Path) -> bool:
    """Open a finished PDF in the system's viewer (which also prints it). Tests replace this."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


@dataclass(frozen=True)
class PartFound:
    id: int
    code: str
    name: str
    model: str
    unit: str
    on_hand: Decimal


def find_parts(db: Database, actor: Actor, text: str, limit: int = COMPLETER_ROWS) -> list[PartFound]:
    """Parts whose code, name or model contains `text`, by code."""
    rows = part_list(db, actor, search=text).fetch(sort=Sort("code"), after=None, limit=limit)
    return [PartFound(row.id, row.values[0], row.values[1], row.values[2], row.values[4], Decimal(row.values[5]))
            for row in rows]


def find_part(db: Database, actor: Actor, code: str) -> PartFound | None:
    """The part with exactly this code (case and width ignored), or None."""
    wanted = unicodedata.normalize("NFKC", code).strip().upper()
    if not wanted:
        return None
    return next((p for p in find_parts(db, actor, wanted, limit=50) if p.code == wanted), None)


class PartCodeCompleter(QCompleter):
    """Completes a part code from the part master: the list shows code, name and model, choosing one puts
    in the code. The database answers the search (code, name or model), at most COMPLETER_ROWS rows."""

    def __init__(self, db: Database, actor: Actor, edit: QLineEdit):
        super().__init__(edit)
        self._db = db
        self._actor = actor
        self._edit = edit
        self._items = QStandardItemModel(self)
        self.setModel(self._items)
        self.setCompletionRole(CODE_ROLE)
        # The rows were chosen by the database (a name matches too), so the completer must not filter again.
        self.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._timer = QTimer(self, singleShot=True, interval=COMPLETER_DELAY_MS)
        self._timer.timeout.connect(self.on_timer_timeout)
        edit.setCompleter(self)
        edit.textEdited.connect(self.on_edit_text_edited)

    def on_edit_text_edited(self, _text: str) -> None:
        self._timer.start()

    def on_timer_timeout(self) -> None:
        if not isValid(self._edit):
            return
        text = self._edit.text().strip()
        self.fill(text)
        if self._items.rowCount() and not (self._items.rowCount() == 1 and
                                           self._items.item(0).data(CODE_ROLE) == text.upper()):
            self.complete()

    def fill(self, text: str) -> None:
        """Offer the parts matching `text` (the popup is opened by the caller)."""
        self._items.clear()
        if not text:
            return
        try:
            found = find_parts(self._db, self._actor, text)
        except DomainError:
            return  # no permission to read parts: simply no suggestions
        for part in found:
            item = QStandardItem(f"{part.code}    {part.name}  {part.model}")
            item.setData(part.code, CODE_ROLE)
            self._items.appendRow(item)

    def codes(self) -> list[str]:
        return [self._items.item(row).data(CODE_ROLE) for row in range(self._items.rowCount())]


# Sample texts of the columns whose values are longer than their width in average characters (digits and
# capitals are wider than the average letter): a date and time, a document number.
WIDE_SAMPLES = {"at": "2026-11-22 09:30", "document": "CK-GZ01-202611-0001", "reference": "FW-GZ01-202611-0001",
                "bin": "A-03-2-05", "code": "AC-CAP-35UF-B"}


def fit_columns(view: LazyListView) -> None:
    """Widen the columns named in WIDE_SAMPLES to their sample text (a layout the user saved still wins)."""
    header = view.table.horizontalHeader()
    metrics = view.table.fontMetrics()
    padding = 2 * view.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin) + 12
    for section, column in enumerate(view.model.columns):
        sample = WIDE_SAMPLES.get(column.key)
        if sample:
            header.resizeSection(section, max(header.sectionSize(section), metrics.horizontalAdvance(sample) + padding))


def run_in_background(parent: QWidget, title: str, work: Callable[[Callable], object],
                      on_finished: Callable[[object], None], *, cancellable: bool = True,
                      on_cancelled: Callable[[], None] | None = None,
                      on_failed: Callable[[], None] | None = None) -> BackgroundTask:
    """Run `work(progress)` on a worker thread with the progress dialog (after half a second, Cancel);
    `on_finished(result)` runs on the GUI thread; a failure is shown like any refusal, then `on_failed()`.
    Every handler is connected before the work starts: a quick failure must not find nobody listening."""
    task = BackgroundTask(work, owner=parent)

    def finished(result: object) -> None:
        if isValid(parent):
            on_finished(result)

    def failed(exc: BaseException) -> None:
        show_error(parent if isValid(parent) else None, exc)
        if on_failed is not None and isValid(parent):
            on_failed()

    def cancelled() -> None:
        if on_cancelled is not None and isValid(parent):
            on_cancelled()

    task.sig_finished.connect(finished)
    task.sig_failed.connect(failed)
    task.sig_cancelled.connect(cancelled)
    show_progress(task, parent, title, cancellable=cancellable)
    task.start()
    return task
