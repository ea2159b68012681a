"""The monthly KPI report as an Excel workbook: a summary sheet (every figure with its value, unit, numerator,
denominator, formula and target, then the breakdown tables), and one sheet per figure and per breakdown with
the records behind it — the rows the dashboard's drill opens (desktop/services/kpi_drill.py), so whoever
checks a figure can filter and count them. A ratio's sheet lists its denominator's records with a column
saying which are counted in the numerator; a breakdown's sheet lists each row's records after its label.

The words follow the interface language, as every export does (the PDF is the printout, in Chinese).
Written with openpyxl's write-only mode; text a spreadsheet would run as a formula (= + - @ tab CR) is
written as text (reports/xlsx_list.safe_cell). Personal data arrives masked unless the user may see it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from desktop.domain.kpi import Column, Figure, KpiReport
from desktop.i18n import translate
from reports.xlsx_list import safe_cell

SHEET_NAME_LIMIT = 31
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
HEADER_FILL = PatternFill("solid", fgColor="EEEEEE")


@dataclass(frozen=True)
class RecordSheet:
    """One sheet of records: the figure's or breakdown's key and title, lines above the table (label,
    value), and the table itself. `counted` marks, per row, whether it is in a ratio's numerator (None: no
    such column); `group` gives, per row, the breakdown row it belongs to (None: no such column)."""

    key: str
    title: str
    lines: tuple[tuple[str, object], ...]
    columns: tuple[Column, ...]
    rows: Sequence[tuple]
    counted: Sequence[bool] | None = None
    group: Sequence[str] | None = None


def unit_name(unit: str) -> str:
    return {"%": "%", "h": translate("KpiWorkbook", "hours"), "min": translate("KpiWorkbook", "minutes"), "score": translate("KpiWorkbook", "score (1–5)"), "count": translate("KpiWorkbook", "count"),
            "CNY": translate("KpiWorkbook", "CNY")}.get(unit, unit)


def sheet_names(titles: Sequence[str], reserved: Sequence[str] = ()) -> list[str]:
    """Excel's rules: at most 31 characters, none of [ ] : * ? / \\, unique regardless of case."""
    taken = {name.lower() for name in reserved}
    names = []
    for title in titles:
        base = _NOT_IN_SHEET_NAMES.sub("_", title).strip().strip("'") or "Sheet"
        name, n = base[:SHEET_NAME_LIMIT], 1
        while name.lower() in taken:
            n += 1
            suffix = f" ({n})"
            name = base[:SHEET_NAME_LIMIT - len(suffix)] + suffix
        taken.add(name.lower())
        names.append(name)
    return names


def write_kpi_workbook(report: KpiReport, sheets: Sequence[RecordSheet], *, target: Path, branch_code: str,
                       branch_name: str, prepared_by: str, printed_at: datetime | None = None,
                       on_row: Callable[[int], bool] = lambda n: True) -> int:
    """Write the workbook; returns the record rows written, -1 when `on_row(n)` asked to stop (no file
    is left then)."""
    book = Workbook(write_only=True)
    summary_name = translate("KpiWorkbook", "Summary")
    names = sheet_names([sheet.title for sheet in sheets], reserved=[summary_name])
    _summary(book.create_sheet(summary_name), report, branch_code, branch_name, prepared_by,
             printed_at or datetime.now().astimezone(), dict(zip([s.key for s in sheets], names, strict=True)))
    written = 0
    partial = target.with_name(target.name + ".partial")
    for sheet, name in zip(sheets, names, strict=True):
        written = _records(book.create_sheet(name), sheet, written, on_row)
        if written < 0:
            book.close()
            partial.unlink(missing_ok=True)
            return -1
    book.save(partial)
    partial.replace(target)
    return written


def _bold(sheet, value, font: Font = BOLD, fill: PatternFill | None = None):
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    if fill is not None:
        cell.fill = fill
    return cell


def _number(sheet, value: Decimal | None, unit: str):
    if value is None:
        return "—"  # nothing to divide by: never 0 %
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "#,##0.00" if unit in ("%", "h", "score", "CNY") or value != int(value) else "#,##0"
    return cell


def _wrapped(sheet, value: str):
    cell = safe_cell(sheet, value)
    if not isinstance(cell, str):  # formula-like text: already a text cell
        return cell
    cell = WriteOnlyCell(sheet, value=value)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _summary(sheet, report: KpiReport, branch_code: str, branch_name: str, prepared_by: str, printed: datetime,
             sheet_of: dict[str, str]) -> None:
    widths = (34, 14, 12, 14, 14, 16, 12, 70, 28)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    period = report.period
    scope = report.engineer_name or translate("KpiWorkbook", "whole branch")
    sheet.append([_bold(sheet, translate("KpiWorkbook", "Monthly KPI report"), TITLE)])
    lines = (
        (translate("KpiWorkbook", "Branch"), f"{branch_name} ({branch_code})"),
        (translate("KpiWorkbook", "Period"), period.label()),
        (translate("KpiWorkbook", "Scope"), scope),
        (translate("KpiWorkbook", "As of"), report.as_of),
        (translate("KpiWorkbook", "Figures stored"),
         report.frozen_at or translate("KpiWorkbook", "no: computed when exported (the month is not closed)")),
        (translate("KpiWorkbook", "Prepared by"), prepared_by),
        (translate("KpiWorkbook", "Generated at"), printed),
    )
    for label, value in lines:
        sheet.append([_bold(sheet, label), safe_cell(sheet, value)])
    sheet.append([])
    header = (translate("KpiWorkbook", "Figure"), translate("KpiWorkbook", "Value"), translate("KpiWorkbook", "Unit"),
              translate("KpiWorkbook", "Numerator"), translate("KpiWorkbook", "Denominator"),
              translate("KpiWorkbook", "Target"), translate("KpiWorkbook", "Met"), translate("KpiWorkbook", "Formula"),
              translate("KpiWorkbook", "Records (sheet)"))
    sheet.append([_bold(sheet, h, fill=HEADER_FILL) for h in header])
    for figure in report.figures:
        sheet.append([safe_cell(sheet, figure.title), _number(sheet, figure.value, figure.unit), unit_name(figure.unit),
                      _number(sheet, figure.numerator, "count") if figure.numerator is not None else None,
                      _number(sheet, figure.denominator, "count") if figure.denominator is not None else None,
                      _target(figure), _met(figure), _wrapped(sheet, figure.formula), sheet_of.get(figure.key)])
    for breakdown in report.breakdowns:
        sheet.append([])
        sheet.append([_bold(sheet, breakdown.title), None, None, None, None, None, None,
                      safe_cell(sheet, breakdown.formula), sheet_of.get(breakdown.key)])
        sheet.append([_bold(sheet, translate("KpiWorkbook", "Item"), fill=HEADER_FILL)]
                     + [_bold(sheet, f"{c.title} ({unit_name(c.unit)})", fill=HEADER_FILL) for c in breakdown.columns])
        for row in breakdown.rows:
            sheet.append([safe_cell(sheet, row.label)]
                         + [_number(sheet, value, column.unit) for value, column in zip(row.values, breakdown.columns,
                                                                                          strict=True)])
        if not breakdown.rows:
            sheet.append([translate("KpiWorkbook", "(none in the period)")])


def _target(figure: Figure) -> str | None:
    if figure.target is None:
        return None
    return f"{figure.target.symbol} {figure.target.value} {unit_name(figure.unit)}"


def _met(figure: Figure) -> str | None:
    if figure.target is None:
        return None
    return {True: translate("KpiWorkbook", "met"), False: translate("KpiWorkbook", "not met"), None: "—"}[figure.met]


def _records(sheet, data: RecordSheet, written: int, on_row: Callable[[int], bool]) -> int:
    extra = (([translate("KpiWorkbook", "Group")] if data.group is not None else [])
             + ([translate("KpiWorkbook", "In numerator")] if data.counted is not None else []))
    widths = [24] * len(extra) + [_width(c) for c in data.columns]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([_bold(sheet, data.title, TITLE)])
    for label, value in data.lines:
        sheet.append([_bold(sheet, label), safe_cell(sheet, value)])
    sheet.append([])
    sheet.append([_bold(sheet, title, fill=HEADER_FILL) for title in (*extra, *(c.title for c in data.columns))])
    sheet.freeze_panes = f"A{len(data.lines) + 4}"
    yes, no = translate("KpiWorkbook", "yes"), translate("KpiWorkbook", "no")
    for index, row in enumerate(data.rows):
        cells = []
        if data.group is not None:
            cells.append(safe_cell(sheet, data.group[index]))
        if data.counted is not None:
            cells.append(yes if data.counted[index] else no)
        cells += [_value(sheet, value, column) for value, column in zip(row, data.columns, strict=True)]
        sheet.append(cells)
        written += 1
        if written % 500 == 0 and not on_row(written):
            return -1
    if not data.rows:
        sheet.append([translate("KpiWorkbook", "(no records)")])
    return written


def _value(sheet, value, column: Column):
    if isinstance(value, Decimal) and column.unit in ("CNY", "%", "h", "score", "count"):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "#,##0.00" if column.unit != "count" or value != int(value) else "#,##0"
        return cell
    return safe_cell(sheet, value)


def _width(column: Column) -> int:
    if column.key in ("number", "complaint", "order", "document"):
        return 22
    if column.key.endswith("_at") or column.key in ("at", "finish_by", "due_on"):
        return 17
    if column.key in ("comments", "part", "customer", "product_model", "allocation_department"):
        return 26
    return 14
