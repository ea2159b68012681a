"""The demo database is what a branch office would recognise: every role, complaints in every state with
some overdue, a warehouse with a consistent ledger and slow-moving stock."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from desktop.db.uow import SYSTEM
from desktop.domain.complaints import Complaint, Status
from desktop.domain.roles import Role
from desktop.domain.warehouse import SlowMark
from desktop.services import complaint_list, parts, stock, stock_lists
from desktop.services.demo import DEMO_USERS, load_demo


def test_demo_small(any_db):
    steps = []
    summary = load_demo(any_db, size="small", progress=lambda done, total, what: steps.append(what) or True)
    assert summary.customers == 300 and summary.parts == 2400 and summary.movements > 5000
    assert {role for _, _, role in DEMO_USERS} == set(Role)
    with any_db.session_factory() as session:
        states = Counter(session.scalars(select(Complaint.status)))
        assert session.scalar(select(func.count()).select_from(Complaint)) == summary.complaints
    assert set(states) == {s.value for s in Status}
    assert complaint_list.complaint_counts(any_db, SYSTEM).overdue > 0
    assert stock.ledger_differences(any_db) == []
    marks = Counter(cell.mark for shelf in stock_lists.shelf_map(any_db, SYSTEM, zone="A") for cell in shelf.cells)
    assert marks[SlowMark.YELLOW] > 0 and marks[SlowMark.RED] > 0
    assert parts.reorder_list(any_db, SYSTEM)
    assert "Complaints" in steps and "Warehouse" in steps
