"""Closed months: a month's KPI figures are stored when it is first read after closing (5 days after its
end by default) and stay what they were, however late work is recorded, until a manager recomputes them.
Built on the hand-made branch of test_kpi.py, where every October figure is known."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from desktop.db.uow import SYSTEM
from desktop.domain.complaints import Complaint
from desktop.domain.errors import PermissionDenied, ValidationError
from desktop.domain.kpi import Period, month
from desktop.domain.kpi_months import KpiMonth
from desktop.domain.roles import Role
from desktop.domain.service_orders import ReturnVisit
from desktop.domain.users import AuditEntry
from desktop.services import kpi_months
from desktop.services.kpi import kpi_dashboard, kpi_report, kpi_trends, recompute_month
from desktop.services.kpi_settings import set_kpi_settings
from tests.services.test_kpi import AFTER_OCTOBER, OCTOBER, OCTOBER_FIGURES, at, build_branch, figures

CLOSED = datetime(2026, 11, 6, 8, 0).astimezone()  # October closes on 6 November (5 days after its end)
LATER = datetime(2026, 12, 20, 9, 0).astimezone()


@pytest.fixture
def any_branch(any_db, make_user):
    return any_db, build_branch(any_db, make_user)


def late_visit(db, score: int) -> None:
    """An October return visit recorded in December (its done_at is in October)."""
    with db.uow(SYSTEM) as uow:
        customer_id = uow.session.scalar(select(Complaint.customer_id).limit(1))
        uow.session.add(ReturnVisit(customer_id=customer_id, kind="periodic", due_on=date(2026, 10, 30),
                                    done_at=at(10, 30, 15), score=score, done_by="x", channel="phone"))
        uow.commit()


def stored_rows(db) -> int:
    with db.read_session_factory() as session:
        return session.scalar(select(func.count()).select_from(KpiMonth))


def test_a_closed_month_keeps_the_figures_it_was_first_read_with(any_branch, make_user):
    db, ids = any_branch
    admin = ids.users.admin.actor()
    running = kpi_report(db, admin, period=OCTOBER, now=AFTER_OCTOBER)  # 5 November: not closed yet
    assert running.frozen_at is None and stored_rows(db) == 0

    closed = kpi_report(db, admin, period=OCTOBER, now=CLOSED)
    assert closed.frozen_at is not None
    assert figures(closed) == figures(running)
    assert [b.rows for b in closed.breakdowns] == [b.rows for b in running.breakdowns]
    assert closed.as_of == running.as_of == OCTOBER.end_at

    late_visit(db, score=1)
    set_kpi_settings(db, make_user(db, Role.MANAGER).actor(), satisfied_min_score=5)
    again = kpi_report(db, admin, period=OCTOBER, now=LATER)
    assert figures(again)["satisfaction_rate"] == figures(closed)["satisfaction_rate"]  # 3 of 5, as assessed
    assert again.settings.satisfied_min_score == 4
    assert "4 or better" in again.figure("satisfaction_rate").formula
    assert again.frozen_at == closed.frozen_at
    trends = kpi_trends(db, admin, end_month=OCTOBER, now=LATER)
    assert trends.get("satisfaction_rate").values[-1] == closed.figure("satisfaction_rate").value

    manager = make_user(db, Role.MANAGER).actor()
    recomputed = recompute_month(db, manager, period=OCTOBER, now=LATER)
    # The late visit scored 1, and satisfied now means 5: 1 of 6 visits (the one scoring 5).
    assert figures(recomputed)["satisfaction_rate"][1:] == (1, 6)
    assert recomputed.frozen_at > closed.frozen_at
    assert figures(kpi_report(db, admin, period=OCTOBER, now=LATER)) == figures(recomputed)
    with db.read_session_factory() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "kpi_months",
                                                         AuditEntry.action == "update")).one()
    assert entry.username == manager.username
    assert entry.before["facts"]["visits_done"] == {"count": 5, "satisfied": 3, "score_sum": 18}
    assert entry.after["facts"]["visits_done"] == {"count": 6, "satisfied": 1, "score_sum": 19}


def test_each_engineer_and_the_branch_keep_their_own_closed_months(any_branch):
    db, ids = any_branch
    admin = ids.users.admin.actor()
    e1 = kpi_report(db, admin, period=OCTOBER, engineer_id=ids.users.e1.id, now=CLOSED)
    branch = kpi_report(db, admin, period=OCTOBER, now=CLOSED)
    assert figures(e1) == figures(kpi_report(db, admin, period=OCTOBER, engineer_id=ids.users.e1.id, now=AFTER_OCTOBER))
    assert figures(e1)["repair_timeliness_rate"] != figures(branch)["repair_timeliness_rate"]
    assert e1.engineer_name == ids.users.e1.display_name
    assert stored_rows(db) == 2


def test_the_trends_store_the_closed_months_and_count_the_running_ones(any_branch):
    db, ids = any_branch
    admin = ids.users.admin.actor()
    live = kpi_trends(db, admin, end_month=month(2026, 11), now=AFTER_OCTOBER)  # Dec 2025 – Oct 2026 closed
    assert stored_rows(db) == 10  # December 2025 to September 2026: October closes on 6 November
    late_visit(db, score=1)
    report, trends = kpi_dashboard(db, admin, period=month(2026, 11), now=CLOSED)
    assert stored_rows(db) == 11  # and now October
    assert trends.months == live.months and trends.months[-1] == month(2026, 11)
    october = trends.months.index(OCTOBER)
    assert trends.get("satisfaction_rate").denominators[october] == 6  # stored after the late visit
    assert trends.get("complaints_received").values[october] == OCTOBER_FIGURES["complaints_received"][0]
    assert report.frozen_at is None  # November is running
    # The running month's trend values come from its report's facts: the same as the trends counted alone.
    alone = kpi_trends(db, admin, end_month=month(2026, 11), now=CLOSED)
    assert [s.values for s in trends.series] == [s.values for s in alone.series]
    assert trends.get("repair_timeliness_rate").values[-1] == report.figure("repair_timeliness_rate").value


def test_only_a_manager_recomputes_and_only_a_closed_month(any_branch, make_user):
    db, ids = any_branch
    manager = make_user(db, Role.MANAGER).actor()
    with pytest.raises(PermissionDenied):
        recompute_month(db, ids.users.admin.actor(), period=OCTOBER, now=CLOSED)
    with pytest.raises(ValidationError, match="2026-10 is not closed"):
        recompute_month(db, manager, period=OCTOBER, now=AFTER_OCTOBER)
    assert stored_rows(db) == 0
    set_kpi_settings(db, manager, close_after_days=0)
    assert recompute_month(db, manager, period=OCTOBER, now=at(11, 1, 0, 1)).frozen_at is not None
    with pytest.raises(ValidationError, match="0 to 60 days"):
        set_kpi_settings(db, manager, close_after_days=61)


def test_a_month_stored_by_another_pc_meanwhile_is_kept(any_branch):
    db, ids = any_branch
    admin = ids.users.admin.actor()
    first = kpi_months.store_months(db, admin, {OCTOBER.start: {"n": 1}}, None)
    second = kpi_months.store_months(db, admin, {OCTOBER.start: {"n": 2}}, None)
    assert second[OCTOBER.start].facts == {"n": 1}
    assert second[OCTOBER.start].computed_at == first[OCTOBER.start].computed_at
    assert stored_rows(db) == 1


def test_a_range_of_days_from_the_first_of_a_closed_month_is_not_that_month(any_branch):
    db, ids = any_branch
    admin = ids.users.admin.actor()
    first_ten = Period(date(2026, 10, 1), date(2026, 10, 11))
    report, trends = kpi_dashboard(db, admin, period=first_ten, now=CLOSED)  # stores October for the trends
    assert report.frozen_at is None and trends.months[-1] == OCTOBER
    assert figures(report)["complaints_received"][0] == 2  # K1 and K2; October had 7
    assert figures(report) == figures(kpi_report(db, admin, period=first_ten, now=AFTER_OCTOBER))


def test_months_stored_meanwhile_by_another_pc_are_kept_and_the_others_stored(any_branch):
    db, ids = any_branch
    admin = ids.users.admin.actor()
    september, november = month(2026, 9).start, month(2026, 11).start
    kpi_months.store_months(db, admin, {OCTOBER.start: {"n": 1}}, None)  # the other PC
    kept = kpi_months.store_months(db, admin, {september: {"n": 9}, OCTOBER.start: {"n": 2}, november: {"n": 11}},
                                   None)
    assert {month: stored.facts for month, stored in kept.items()} == {
        september: {"n": 9}, OCTOBER.start: {"n": 1}, november: {"n": 11}}
    assert stored_rows(db) == 3


def test_a_stored_month_stays_closed_when_the_closing_day_moves_later(any_branch, make_user):
    db, ids = any_branch
    admin = ids.users.admin.actor()
    locked = kpi_report(db, admin, period=OCTOBER, now=CLOSED)
    set_kpi_settings(db, make_user(db, Role.MANAGER).actor(), close_after_days=30)
    late_visit(db, score=1)
    again = kpi_report(db, admin, period=OCTOBER, now=CLOSED)  # 6 November: before the new closing day
    assert again.frozen_at == locked.frozen_at and figures(again) == figures(locked)
    assert kpi_trends(db, admin, end_month=OCTOBER, now=CLOSED).get("satisfaction_rate").denominators[-1] == 5


def test_facts_of_an_older_format_are_computed_again(any_branch):
    db, ids = any_branch
    admin = ids.users.admin.actor()
    first = kpi_report(db, admin, period=OCTOBER, now=CLOSED)
    with db.uow(SYSTEM) as uow:
        row = uow.session.scalar(select(KpiMonth).where(KpiMonth.month == OCTOBER.start))
        row.facts = {"settings": {}, "from": "an older version"}
        uow.commit()
    again = kpi_report(db, admin, period=OCTOBER, now=CLOSED)
    assert figures(again) == figures(first) and again.frozen_at > first.frozen_at
