"""The monthly KPI report as a file: the PDF to file (月度考核指标报告) and the Excel workbook with the records
behind every figure. Used by the CLI (`branchdesk report kpi`) and the dashboard's buttons.

    kpi_report_file(db, actor, *, period, target, ...)   .pdf → print_kpi_report, .xlsx → export_kpi_workbook

A print is audited like every print; the workbook is an export of records (customers' names among them):
it needs data.export besides kpi.read and is logged with its filter, row count and file hash, as the list
exports are (desktop/services/exports.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from desktop.db.uow import Actor, Database
from desktop.domain.errors import ValidationError
from desktop.domain.kpi import Breakdown, Drill, Figure, KpiReport, Period, month_of
from desktop.domain.roles import Permission
from desktop.i18n import translate
from desktop.services.access import require
from desktop.services.exports import ExportResult
from desktop.services.kpi import kpi_report, kpi_trends
from desktop.services.kpi_drill import DrillTable, drill_rows
from reports.kpi_report import render_kpi_report
from reports.kpi_workbook import RecordSheet, write_kpi_workbook
from reports.xlsx_list import file_sha256

Progress = Callable[[int, int, str], bool]
SUFFIXES = (".pdf", ".xlsx")


def kpi_report_file(db: Database, actor: Actor, *, period: Period, target: Path, branch_code: str, branch_name: str,
                    engineer_id: int | None = None, font: str | None = None, now: datetime | None = None,
                    progress: Progress | None = None) -> ExportResult:
    """The report as the file's suffix says: a PDF or a workbook. `path` is None when cancelled."""
    suffix = target.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationError(translate("Errors", "Save the report as .pdf or .xlsx, not “{suffix}”.").format(
            suffix=target.suffix or target.name), field="target")
    if suffix == ".pdf":
        path = print_kpi_report(db, actor, period=period, target=target, branch_code=branch_code,
                                branch_name=branch_name, engineer_id=engineer_id, font=font, now=now)
        return ExportResult(path, 0, file_sha256(path))
    return export_kpi_workbook(db, actor, period=period, target=target, branch_code=branch_code,
                               branch_name=branch_name, engineer_id=engineer_id, now=now, progress=progress)


def print_kpi_report(db: Database, actor: Actor, *, period: Period, target: Path, branch_code: str, branch_name: str,
                     engineer_id: int | None = None, font: str | None = None, now: datetime | None = None) -> Path:
    require(actor, Permission.KPI_READ)
    report = kpi_report(db, actor, period=period, engineer_id=engineer_id, now=now)
    # The twelve months ending with the period's last day, as the dashboard shows them.
    trends = kpi_trends(db, actor, end_month=month_of(period.last_day), engineer_id=engineer_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    pages = render_kpi_report(report, trends, branch_code=branch_code, branch_name=branch_name,
                              prepared_by=prepared_by(actor), target=target, font=font)
    with db.uow(actor) as uow:
        uow.audit("print", "kpi", None, summary=f"月度考核指标报告 {_scope(report)} → {target} ({pages} pages)")
        uow.commit()
    return target


def export_kpi_workbook(db: Database, actor: Actor, *, period: Period, target: Path, branch_code: str,
                        branch_name: str, engineer_id: int | None = None, now: datetime | None = None,
                        progress: Progress | None = None) -> ExportResult:
    require(actor, Permission.KPI_READ)
    require(actor, Permission.DATA_EXPORT)
    report = kpi_report(db, actor, period=period, engineer_id=engineer_id, now=now)
    report_progress = progress or (lambda done, total, what: True)
    sheets = _record_sheets(db, actor, report, now or report.computed_at, report_progress)
    if sheets is None:
        return ExportResult(None, 0)
    total = sum(len(sheet.rows) for sheet in sheets)
    what = translate("Export", "Exporting")
    target.parent.mkdir(parents=True, exist_ok=True)
    written = write_kpi_workbook(report, sheets, target=target, branch_code=branch_code, branch_name=branch_name,
                                 prepared_by=prepared_by(actor),
                                 on_row=lambda n: report_progress(n, total, what))
    if written < 0:
        return ExportResult(None, 0)
    report_progress(total, total, what)
    digest = file_sha256(target)
    with db.uow(actor) as uow:
        uow.audit("export", "kpi", None, summary=str(target), filter=_scope(report), rows=written, sha256=digest)
        uow.commit()
    return ExportResult(target, written, digest)


def prepared_by(actor: Actor) -> str:
    if actor.display_name and actor.display_name != actor.username:
        return f"{actor.display_name}（{actor.username}）"
    return actor.username


def _scope(report: KpiReport) -> str:
    scope = f"period={report.period.label()}"
    return scope + (f"; engineer={report.engineer_name} (id {report.engineer_id})" if report.engineer_id else "")


# -- the records behind each figure -------------------------------------------------------------------------


def _record_sheets(db: Database, actor: Actor, report: KpiReport, now: datetime,
                   progress: Progress) -> list[RecordSheet] | None:
    """One sheet per figure (its drill's records; a ratio's numerator marked) and per breakdown (each row's
    records under its label). Drills repeat between figures (the repairs finished are behind three): each
    is read once."""
    cache: dict[tuple, DrillTable] = {}
    what = translate("Kpi", "Reading the records behind the figures")
    jobs = [f for f in report.figures if f.drill] + [b for b in report.breakdowns if b.drill or b.rows]

    def rows_of(drill: Drill) -> DrillTable:
        key = (drill.list, tuple(sorted((k, repr(v)) for k, v in drill.filter.items())))
        if key not in cache:
            cache[key] = drill_rows(db, actor, drill, now=now)
        return cache[key]

    sheets = []
    for done, item in enumerate(jobs):
        if not progress(done, len(jobs), what):
            return None
        sheets.append(_figure_sheet(item, rows_of) if isinstance(item, Figure) else _breakdown_sheet(item, rows_of))
    return sheets


def _figure_sheet(figure: Figure, rows_of) -> RecordSheet:
    table = rows_of(figure.drill)
    lines = [(translate("KpiWorkbook", "Value"), figure.display), (translate("KpiWorkbook", "Formula"), figure.formula)]
    counted = None
    if figure.denominator is not None:
        lines += [(translate("KpiWorkbook", "Numerator"), figure.numerator),
                  (translate("KpiWorkbook", "Denominator"), figure.denominator)]
    if figure.numerator_drill is not None and figure.numerator_drill != figure.drill:
        numerator_ids = set(rows_of(figure.numerator_drill).ids)
        counted = [record_id in numerator_ids for record_id in table.ids]
    lines.append((translate("KpiWorkbook", "Records"), table.total))
    return RecordSheet(figure.key, figure.title, tuple(lines), table.columns, table.rows, counted=counted)


def _breakdown_sheet(breakdown: Breakdown, rows_of) -> RecordSheet:
    columns, rows, groups = None, [], []
    for row in breakdown.rows:
        if row.drill is None:
            continue
        table = rows_of(row.drill)
        columns = columns or table.columns
        rows += table.rows
        groups += [row.label] * len(table.rows)
    if columns is None:  # no rows in the period: the table's own drill gives the columns
        columns = rows_of(breakdown.drill).columns if breakdown.drill else ()
    lines = ((translate("KpiWorkbook", "Formula"), breakdown.formula), (translate("KpiWorkbook", "Records"), len(rows)))
    return RecordSheet(breakdown.key, breakdown.title, lines, columns, rows, group=groups)
