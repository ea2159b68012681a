"""Printing warehouse documents; every print is audited."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from desktop.db.uow import Actor, Database
from desktop.domain.errors import ValidationError
from desktop.domain.roles import Permission
from desktop.domain.warehouse import Bin, MovementKind
from desktop.i18n import translate
from desktop.services.access import require
from desktop.services.stock import get_document
from reports.stock_documents import render_bin_labels, render_issue_slip


def print_issue_slip(db: Database, actor: Actor, *, number: str, target: Path, branch_name: str, page: str = "A5",
                     font: str | None = None) -> Path:
    slip = get_document(db, actor, number)
    if slip.kind != MovementKind.ISSUE:
        raise ValidationError(translate("Errors", "{number} is not an issue slip.").format(number=slip.number),
                              field="number")
    target.parent.mkdir(parents=True, exist_ok=True)
    render_issue_slip(slip, branch_name=branch_name, target=target, page=page, font=font)
    with db.uow(actor) as uow:
        uow.audit("print", "stock_documents", slip.id, summary=f"配件出库单 {slip.number} → {target}")
        uow.commit()
    return target


def print_bin_labels(db: Database, actor: Actor, *, target: Path, zone: str = "", first: str = "", last: str = "",
                     font: str | None = None) -> int:
    """Labels for a zone, or for the bins from `first` to `last` in walking order; returns how many."""
    require(actor, Permission.STOCK_READ)
    query = select(Bin.code).where(Bin.archived_at.is_(None)).order_by(Bin.zone, Bin.shelf, Bin.layer, Bin.position)
    if zone:
        query = query.where(Bin.zone == zone.strip().upper())
    with db.session_factory() as session:
        codes = list(session.scalars(query))
    if first or last:
        codes = [c for c in codes if (not first or c >= first.strip().upper()) and (not last or c <= last.strip().upper())]
    if not codes:
        raise ValidationError(translate("Errors", "No bins match; nothing to print."), field="zone")
    target.parent.mkdir(parents=True, exist_ok=True)
    render_bin_labels(codes, target=target, font=font)
    with db.uow(actor) as uow:
        uow.audit("print", "bins", None, summary=f"{len(codes)} bin labels → {target}")
        uow.commit()
    return len(codes)
