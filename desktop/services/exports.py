"""Exports of lists to Excel: every export is logged with user, time, filter, row count and file hash
(domain.md §10), and personal data stays masked unless the user may see it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from desktop.db.uow import Actor, Database
from desktop.domain.roles import Permission
from desktop.i18n import translate
from desktop.services.access import require
from desktop.services.paging import ListSource, Sort
from reports.xlsx_list import file_sha256, write_list

PAGE = 2_000

Progress = Callable[[int, int, str], bool]


@dataclass(frozen=True)
class ExportResult:
    path: Path | None  # None when cancelled
    rows: int
    sha256: str = ""


def export_list(
    db: Database,
    actor: Actor,
    *,
    source: ListSource,
    sort: Sort,
    entity: str,
    filter_text: str,
    sheet_title: str,
    target: Path,
    progress: Progress | None = None,
) -> ExportResult:
    require(actor, Permission.DATA_EXPORT)
    total = source.count()
    report = progress or (lambda done, total, what: True)
    what = translate("Export", "Exporting")

    def rows() -> Iterator[tuple]:
        after = None
        while page := source.fetch(sort=sort, after=after, limit=PAGE):
            yield from (row.values for row in page)
            after = page[-1].cursor

    written = write_list(
        target,
        sheet_title=sheet_title,
        headers=[translate("Columns", c.title) for c in source.columns],
        widths=[c.width for c in source.columns],
        rows=rows(),
        on_row=lambda n: n % 500 != 0 or report(n, total, what),
    )
    if written < 0:
        return ExportResult(None, 0)
    report(written, written, what)
    digest = file_sha256(target)
    with db.uow(actor) as uow:
        uow.audit("export", entity, None, summary=str(target), filter=filter_text, rows=written, sha256=digest)
        uow.commit()
    return ExportResult(target, written, digest)
