"""Small pieces the complaint screens share: labels for values the domain has no label for, combo boxes
filled from the domain's enums, and the register's column titles for the translation tools."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QPlainTextEdit, QWidget

from desktop.domain.records import ATTACHMENT_TYPES
from desktop.models.lazy_table_model import display_text

# lupdate extracts only what is marked: the column titles of the complaint lists (services/complaint_list.py
# and the customer search in the register dialog), which the list model and the Excel export translate in
# the context "Columns". tests/views/complaints/test_complaints_page.py checks none is missing.
COLUMN_TITLES = (
    QT_TRANSLATE_NOOP("Columns", "Complaint No."),
    QT_TRANSLATE_NOOP("Columns", "Received at"),
    QT_TRANSLATE_NOOP("Columns", "Customer"),
    QT_TRANSLATE_NOOP("Columns", "Product"),
    QT_TRANSLATE_NOOP("Columns", "Class"),
    QT_TRANSLATE_NOOP("Columns", "Severity"),
    QT_TRANSLATE_NOOP("Columns", "Status"),
    QT_TRANSLATE_NOOP("Columns", "Owner"),
    QT_TRANSLATE_NOOP("Columns", "Due"),
    QT_TRANSLATE_NOOP("Columns", "Time left"),
    QT_TRANSLATE_NOOP("Columns", "Phone"),
    QT_TRANSLATE_NOOP("Columns", "Channel"),
    QT_TRANSLATE_NOOP("Columns", "Serial No."),
    QT_TRANSLATE_NOOP("Columns", "Safety hazard"),
    QT_TRANSLATE_NOOP("Columns", "Description"),
    QT_TRANSLATE_NOOP("Columns", "Customer request"),
    QT_TRANSLATE_NOOP("Columns", "First reply"),
    QT_TRANSLATE_NOOP("Columns", "Cause"),
    QT_TRANSLATE_NOOP("Columns", "Responsible department"),
    QT_TRANSLATE_NOOP("Columns", "Decision"),
    QT_TRANSLATE_NOOP("Columns", "Closed"),
    QT_TRANSLATE_NOOP("Columns", "Approved costs"),
    QT_TRANSLATE_NOOP("Columns", "Type"),
    QT_TRANSLATE_NOOP("Columns", "Region"),
)

NO_DATE = QDate(1990, 1, 1)  # the minimum of an optional date edit, shown as its special text ("unknown")


def severity_label(severity: int) -> str:
    return {
        1: QCoreApplication.translate("ComplaintViews", "1 – minor"),
        2: QCoreApplication.translate("ComplaintViews", "2 – moderate"),
        3: QCoreApplication.translate("ComplaintViews", "3 – serious"),
        4: QCoreApplication.translate("ComplaintViews", "4 – critical"),
    }[severity]


def attachment_filter() -> str:
    patterns = " ".join(f"*{suffix}" for suffix in sorted(ATTACHMENT_TYPES))
    return QCoreApplication.translate("ComplaintViews", "Photos, scans and documents ({patterns})").format(
        patterns=patterns)


def yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    if value:
        return QCoreApplication.translate("ComplaintViews", "Yes")
    return QCoreApplication.translate("ComplaintViews", "No")


def moment_text(value: datetime | date | None) -> str:
    """A time as people read it here: local, to the minute (ISO 8601 like the exports)."""
    return display_text(value)


def fill_combo(combo: QComboBox, items: Iterable, label: Callable[[object], str]) -> None:
    combo.clear()
    for item in items:
        combo.addItem(label(item), item)


def select_data(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


def optional_date_edit(parent: QWidget) -> QDateEdit:
    """A date that may be unknown: its minimum shows as "unknown" and reads as None (see `date_of`)."""
    edit = QDateEdit(parent, calendarPopup=True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(NO_DATE)
    edit.setMaximumDate(QDate.currentDate())
    edit.setSpecialValueText(QCoreApplication.translate("ComplaintViews", "unknown"))
    edit.setDate(NO_DATE)
    return edit


def date_of(edit: QDateEdit) -> date | None:
    return None if edit.date() == edit.minimumDate() else edit.date().toPython()


def set_date(edit: QDateEdit, value: date | None) -> None:
    edit.setDate(QDate(value) if value else edit.minimumDate())


def text_box(parent: QWidget, *, lines: int = 3, placeholder: str = "", grow: bool = False) -> QPlainTextEdit:
    """A multi-line text of `lines` lines (taller only if `grow`) where Tab moves on: a tab character is
    never what a form wants."""
    edit = QPlainTextEdit(parent)
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(placeholder)
    height = edit.fontMetrics().lineSpacing() * lines + 2 * edit.frameWidth() + 8
    if grow:
        edit.setMinimumHeight(height)
    else:
        edit.setFixedHeight(height)
    return edit
