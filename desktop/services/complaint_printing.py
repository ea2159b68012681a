"""Printing the customer opinion handling form (客户意见处理表); every print is audited."""

from __future__ import annotations

from pathlib import Path

from desktop.db.uow import Actor, Database
from desktop.domain.customers import Customer
from desktop.domain.roles import Permission
from desktop.services import complaint_costs, complaints
from desktop.services.access import require
from reports.complaint_form import render_complaint_form


def print_complaint_form(db: Database, actor: Actor, *, complaint_id: int, target: Path, branch_name: str,
                         font: str | None = None) -> Path:
    require(actor, Permission.COMPLAINT_READ)
    record = complaints.get_complaint(db, actor, complaint_id)
    costs = complaint_costs.complaint_costs(db, actor, complaint_id)
    with db.uow(actor) as uow:
        phone = uow.session.get(Customer, record.customer_id).phone  # printed masked (domain.md §10)
        target.parent.mkdir(parents=True, exist_ok=True)
        render_complaint_form(record, costs, branch_name=branch_name, customer_phone=phone, target=target, font=font)
        uow.audit("print", "complaints", record.id, summary=f"客户意见处理表 {record.number} → {target}")
        uow.commit()
    return target
