"""Reading people's spreadsheets: the header row finds the columns (Chinese or English names), cells are
trimmed, full-width digits accepted, and every problem names the file, sheet, row and column."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from desktop.i18n import translate


@dataclass(frozen=True)
class Problem:
    file: str
    sheet: str
    row: int
    column: str  # letter and header, e.g. "E (单位)"
    message: str

    def __str__(self) -> str:
        return translate("Import", "{file}, sheet {sheet}, row {row}, column {column}: {message}").format(
            file=self.file, sheet=self.sheet, row=self.row, column=self.column, message=self.message)


class SheetError(Exception):
    """The file cannot be read at all (not a workbook, no header row)."""


def clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def number(value) -> Decimal | None:
    """A number typed as a number or as text, full-width digits and thousands separators allowed;
    None when it is not one."""
    if isinstance(value, int | float) and not isinstance(value, bool):  # a number cell: no text to clean
        return Decimal(str(value)) if value == value and abs(value) != float("inf") else None
    text = clean(value).replace(",", "").replace("，", "")
    if not text:
        return Decimal(0)
    try:
        result = Decimal(text)
    except InvalidOperation:
        return None
    return result if result.is_finite() else None


class SheetReader:
    def __init__(self, path: Path, headers: dict[str, tuple[str, ...]], required: tuple[str, ...]):
        """`headers` maps a field to the header texts that name it; `required` fields must have a column."""
        self.path = path
        try:
            self.workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any unreadable file gets one clear message
            raise SheetError(translate("Import", "{file} is not an Excel workbook ({error}).").format(
                file=path.name, error=exc)) from exc
        self.sheet = self.workbook.worksheets[0]
        rows = self.sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise SheetError(translate("Import", "{file}: the first sheet is empty.").format(file=path.name))
        wanted = {clean(text).lower(): field for field, texts in headers.items() for text in texts}
        self.columns: dict[str, int] = {}
        for index, text in enumerate(header):
            field = wanted.get(clean(text).lower())
            if field and field not in self.columns:
                self.columns[field] = index
        self.header = header
        missing = [headers[f][0] for f in required if f not in self.columns]
        if missing:
            raise SheetError(translate("Import", "{file}: no column {columns} in the first row.").format(
                file=path.name, columns="、".join(missing)))
        self._rows = rows

    def rows(self):
        """(row number, {field: raw value}) for every row that is not blank."""
        for number_, values in enumerate(self._rows, start=2):
            if values is None or all(clean(v) == "" for v in values):
                continue
            yield number_, {f: (values[i] if i < len(values) else None) for f, i in self.columns.items()}

    def problem(self, row: int, field: str, message: str) -> Problem:
        index = self.columns.get(field)
        column = "" if index is None else f"{get_column_letter(index + 1)} ({clean(self.header[index])})"
        return Problem(self.path.name, self.sheet.title, row, column, message)

    def close(self) -> None:
        self.workbook.close()
