"""Where closed months' KPI facts are kept (desktop/domain/kpi_months.py says why): read them, store those
read for the first time, replace one when a manager recomputes it. desktop/services/kpi.py decides which
months are closed and computes the facts; nothing here knows what they mean.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop.db.uow import Actor, Database
from desktop.domain.base import utcnow
from desktop.domain.kpi_months import WHOLE_BRANCH, KpiMonth


@dataclass(frozen=True)
class StoredMonth:
    facts: dict
    computed_at: datetime


def _scope(engineer_id: int | None) -> int:
    return WHOLE_BRANCH if engineer_id is None else engineer_id


def stored_months(session: Session, months: Iterable[date], engineer_id: int | None) -> dict[date, StoredMonth]:
    """The stored facts of those of `months` (first days) that have them."""
    wanted = list(months)
    if not wanted:
        return {}
    rows = session.execute(select(KpiMonth.month, KpiMonth.facts, KpiMonth.computed_at)
                           .where(KpiMonth.engineer_id == _scope(engineer_id), KpiMonth.month.in_(wanted)))
    return {month: StoredMonth(facts, at) for month, facts, at in rows}


def store_months(db: Database, actor: Actor, facts: dict[date, dict],
                 engineer_id: int | None) -> dict[date, StoredMonth]:
    """Keep the facts of months read for the first time since they closed, in one transaction. Another PC
    may have stored some of them meanwhile: then theirs are kept (and returned) and the others stored."""
    kept: dict[date, StoredMonth] = {}
    pending = dict(facts)
    while pending:
        now = utcnow()
        try:
            with db.uow(actor) as uow:
                uow.session.add_all(KpiMonth(month=month, engineer_id=_scope(engineer_id), facts=month_facts,
                                             computed_at=now, computed_by=actor.username)
                                    for month, month_facts in pending.items())
                uow.commit()
        except IntegrityError:
            with db.read_session_factory() as session:
                theirs = stored_months(session, pending, engineer_id)
            if not theirs:
                raise
            kept.update(theirs)
            pending = {month: f for month, f in pending.items() if month not in theirs}
            continue
        kept.update({month: StoredMonth(month_facts, now) for month, month_facts in pending.items()})
        break
    return kept


def replace_month(db: Database, actor: Actor, month: date, engineer_id: int | None, facts: dict) -> StoredMonth:
    """A recomputed month's facts in place of the stored ones (the audit log keeps both)."""
    now = utcnow()
    with db.uow(actor) as uow:
        row = uow.session.scalar(select(KpiMonth).where(KpiMonth.month == month,
                                                        KpiMonth.engineer_id == _scope(engineer_id)))
        if row is None:
            uow.session.add(KpiMonth(month=month, engineer_id=_scope(engineer_id), facts=facts, computed_at=now,
                                     computed_by=actor.username))
        else:
            row.facts, row.computed_at, row.computed_by = facts, now, actor.username
        uow.commit()
    return StoredMonth(facts, now)
