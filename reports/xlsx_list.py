"""Write a list (what a filter shows) to an Excel workbook with openpyxl's write-only mode.

Text that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) is written as a
text cell, so an exported customer called "=HYPERLINK(...)" stays a name (CSV/formula injection).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_list(
    target: Path,
    *,
    sheet_title: str,
    headers: Sequence[str],
    widths: Sequence[int],
    rows: Iterable[Sequence],
    on_row: Callable[[int], bool] = lambda n: True,
) -> int:
    """Write the rows and return how many; `on_row(n)` returning False stops (cancel) and removes the file."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width + 2
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title in headers:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    partial = target.with_name(target.name + ".partial")
    for count, row in enumerate(rows, start=1):
        sheet.append([_cell(sheet, value) for value in row])
        if not on_row(count):
            workbook.close()
            partial.unlink(missing_ok=True)
            return -1
    workbook.save(partial)
    partial.replace(target)
    return count


def safe_cell(sheet, value):
    """What `write_list` writes for a value, for other write-only workbooks: formula-like text as a text
    cell, moments as local time, dates formatted."""
    return _cell(sheet, value)


def _cell(sheet, value):
    if isinstance(value, datetime):
        value = value.astimezone().replace(tzinfo=None)  # Excel has no time zones: local time, as on screen
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # a string cell, never a formula
        cell.quotePrefix = True
        return cell
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return value


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
