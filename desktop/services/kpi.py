"""Monthly KPIs (考核指标, domain.md §9): the figures of a period for the branch or one engineer, and their
trends over the last months. Computed by SQL aggregates (desktop/services/kpi_queries.py) on the read-only
connections, each statement restricted to the period by an indexed timestamp, so a month never costs a scan
of years; the same statements run on SQLite and PostgreSQL.

API
---
    kpi_report(db, actor, *, period, engineer_id=None, now=None) -> KpiReport      (Permission.KPI_READ)
    kpi_trends(db, actor, *, end_month, months=12, engineer_id=None, now=None) -> KpiTrends  (KPI_READ)
        end_month: a Period (its start's month) or any date in the last month; TREND_KEYS are the series.
    kpi_dashboard(db, actor, *, period, engineer_id=None, months=12, now=None) -> (KpiReport, KpiTrends)
        both, read together (the dashboard's call)
    recompute_month(db, actor, *, period, engineer_id=None, now=None) -> KpiReport  (KPI_MANAGE)
    month(2026, 10) -> Period(date(2026, 10, 1), date(2026, 11, 1))                (desktop.domain.kpi)
    desktop.services.kpi_drill.drill_rows(db, actor, drill, *, limit=None, now=None) -> DrillTable
        the records behind a figure (KPI_READ and the list's read permission)
    desktop.services.kpi_settings.get_kpi_settings(db, actor) -> KpiSettings      (KPI_READ)
    desktop.services.kpi_settings.set_kpi_settings(db, actor, **changes) -> KpiSettings  (KPI_MANAGE)

Closed months: a calendar month closes KpiSettings.close_after_days (5) days after its end. The first read
of a closed month stores its facts (month_facts: the aggregates below and the settings that applied; see
desktop/domain/kpi_months.py); later reads, the trends of later months and the printed report assemble its
figures from them (KpiReport.frozen_at says when they were computed), so what an engineer was assessed by
does not move when work is recorded late, and a closed month costs one row instead of its statements.
Ranges of days and months not closed yet are computed on every read, at as_of = min(now, period end).
recompute_month replaces a closed month's stored facts with today's (the audit log keeps both).

The statements of a read run in one snapshot (kpi_queries.snapshot) and take a few tens of milliseconds
on a branch with years of history; a view still runs them in the background (desktop/views/tasks.py).

The figures are assembled from a month's facts (month_facts) by desktop/services/kpi_figures.py.
The result types (Period, Figure, Target, Drill, Breakdown, BreakdownRow, Column, KpiReport, KpiTrends,
TrendSeries, KpiSettings) and `format_value` (None → "—") are in desktop/domain/kpi.py.

The branch is the database's branch: every record in it is the branch's (the branch code and name for a
cover page come from the user's settings, desktop.config.Settings). The period is local calendar days,
start inclusive, end exclusive. `now` (default: the current time) fixes "as of": open and overdue items,
visits and orders due, and first replies are counted at as_of = min(now, period end): a past month's open
and overdue counts are those at its end. Work recorded late with past times still changes a past month
until it closes (below).

Per engineer (engineer_id = a user id): service orders dispatched to the engineer; return visits after
those orders; parts issued against those orders; and complaint figures over the complaints the engineer is
responsible for (owner, 首问负责制) — complaints carry no engineer of their own.

Figures (KpiReport.figures, in this order; unit; what the drill opens)
-----------------------------------------------------------------------
satisfaction_rate       %      visits scoring ≥ satisfied_min_score (4) ÷ return visits done in the period
average_score           score  Σ score ÷ return visits done in the period (1–5)
visit_response_rate     %      visits made before as_of ÷ visits due in the period before the as-of day
complaints_received     count  complaints received in the period (duplicates are counted once, under the
                               complaint they duplicate)
complaint_rate          %      complaints received ÷ customers served × 100 %; customers served per the
                               setting complaint_rate_base: customers with a service order created in the
                               period (default), or "active_customers": with an order or a complaint in the
                               12 months ending with the period
consultation_response_median, consultation_response_p90   h
                               median / 90th percentile of (first reply − receipt) of the complaints received
                               in the period and answered before as_of. First contact = received_at (when
                               the complaint reached the branch); first reply = first_reply_at, set once by
                               the "acknowledge" step (已确认: the first reply to the customer). Percentiles
                               interpolate linearly (percentile_cont); the durations are whole seconds
                               computed in SQL, only the period's rows are fetched and sorted in Python,
                               because SQLite has no percentile function. sample = how many.
repair_timeliness_rate  %      repair orders (emergency repair, troubleshooting, parts replacement) finished
                               in the period that arrived ≤ appointment and finished ≤ finish_by ÷ repair
                               orders finished in the period
resolution_rate         %      closed as resolved ÷ closed as resolved or unresolved, by closing time in the
                               period (not accepted, withdrawn and duplicates are no outcome of handling);
                               a reopened and closed again complaint counts in the month of its last closing
first_time_fix_rate     %      repair orders finished in the period without remaining issues ÷ repair orders
                               finished in the period
average_response_time   h      Σ (arrived − created) ÷ repair orders the engineer reached in the period;
                               target ≤ response_time_target_hours (2); numerator = hours, denominator = orders
fix_rate                %      orders finished before as_of ÷ orders due (committed completion finish_by in
                               the period and before as_of; cancelled orders are not due); target ≥
                               fix_rate_target_percent (95)
parts_quantity          count  Σ quantity issued − returned − reversed in the period (all units together)
parts_value             CNY    the same × the lot's unit cost
complaint_costs         CNY    approved complaint cost lines, by approval time in the period
open_complaints, overdue_complaints, open_orders, overdue_orders   count, at as_of
                               overdue complaint: past the deadline that applied at as_of (first reply,
                               assessment, resolution; desktop.domain.complaints.due_at with the current
                               time limits). Open order: its work not done (registered, dispatched, on
                               site); overdue order: past finish_by, or past the appointment before the
                               engineer arrived (the order list's overdue filter)

Speed: every statement ranges over one timestamp index for the period (EXPLAIN QUERY PLAN on SQLite and
EXPLAIN on PostgreSQL show index range scans only; tests/services/test_kpi.py checks SQLite's plans), and
the counts behind the figures and the twelve-month trends are read from covering indexes (migration 0009)
without visiting the rows. Open and overdue items are found by the status index (few rows) and, for a past
month, by the closing/finishing time after its end.

Each order counts once, as its first revision (the order as registered; a correction after signing is a
revision created later, with the same times of work). Ratios are None when the denominator is 0; percentages,
hours and averages are rounded half up to 0.01; numerator and denominator stay exact.

Breakdowns (KpiReport.breakdowns): order_categories, complaint_classes, complaint_models (top N),
top_parts (top N by value; columns quantity, value), costs_by_bearer, costs_by_department (columns amount,
share), complaint_ageing, order_ageing (AGEING_BUCKETS 0–2, 3–7, 8–30, >30 days; columns open, overdue).

Drill filters (Drill.filter; dates are local days, "_to" dates inclusive, datetimes aware)
-----------------------------------------------------------------------------------------
complaints: ComplaintFilter fields received_from, received_to, statuses (Status values), owner_id,
    classification; and, beyond ComplaintFilter: product_model, closed_from, closed_to, replied_before
    (first reply recorded before this instant), open_at (open at this instant: still open and received
    before it, or closed after it), overdue_at (open and overdue then), age_days ((first, last or None)
    whole days since receipt at open_at / overdue_at). open_at ≥ the moment a list opens is
    ComplaintFilter(open_only=True).
costs (cost lines; a page shows the complaints having them): approved_from, approved_to, bearer,
    allocation_department, owner_id. Only approved lines.
orders: created_from, created_to, finished_from, finished_to, arrived_from, arrived_to, due_from and
    due_before (finish_by ≥ that day's local midnight and < that instant; cancelled orders excluded),
    finished_before (finished before this instant), categories (OrderCategory values), engineer_id,
    on_time (True), first_time_fix (True), open_at, overdue_at, age_days (days since creation). Always
    the first revision of each number (desktop.services.order_list shows the newest one of the same number;
    the count is the same, the ids of corrected orders differ). open_at ≥ the moment a
    list opens is OrderFilter(statuses=(registered, dispatched, on_site)); overdue_at then is
    OrderFilter(overdue_only=True).
visits: done_from, done_to, scored (True), min_score, due_from, due_to, made_before, engineer_id (the
    visited order's engineer).
movements: at_from, at_to, consumption (True: issues, returns and reversals of those), part_id,
    engineer_id (movements of issue slips for the engineer's orders, their returns and reversals).
"""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.db.uow import Actor, Database
from desktop.domain.base import utcnow
from desktop.domain.complaints import Complaint
from desktop.domain.errors import NotFound, ValidationError
from desktop.domain.kpi import (
    KpiReport,
    KpiSettings,
    KpiTrends,
    Period,
    hours,
    is_closed,
    local_midnight,
    months_ending,
    percentile,
)
from desktop.domain.roles import Permission
from desktop.domain.users import User
from desktop.i18n import translate
from desktop.services import kpi_months
from desktop.services import kpi_queries as q
from desktop.services.access import require
from desktop.services.branch_settings import time_limits
from desktop.services.kpi_figures import REPORTED_STATUSES, assemble_report, assemble_trends
from desktop.services.kpi_settings import kpi_settings, settings_to_json

__all__ = ["kpi_report", "kpi_trends", "kpi_dashboard", "recompute_month", "month_facts", "REPORTED_STATUSES",
           "TREND_KEYS"]

# Stored facts carry this; a stored month of another format is computed again at its next read (change it
# whenever month_facts changes what it returns).
FACTS_FORMAT = 1
TREND_KEYS = ("satisfaction_rate", "complaints_received", "repair_timeliness_rate", "first_time_fix_rate",
              "resolution_rate")


def kpi_report(db: Database, actor: Actor, *, period: Period, engineer_id: int | None = None,
               now: datetime | None = None) -> KpiReport:
    return _read(db, actor, engineer_id, now, period=period)[0]


def kpi_trends(db: Database, actor: Actor, *, end_month: Period | date, months: int = 12,
               engineer_id: int | None = None, now: datetime | None = None) -> KpiTrends:
    """The main ratios per calendar month, oldest first, the last month containing `end_month`; each month's
    values equal that month's report."""
    return _read(db, actor, engineer_id, now, trend_months=months_ending(end_month, months))[1]


def kpi_dashboard(db: Database, actor: Actor, *, period: Period, engineer_id: int | None = None, months: int = 12,
                  now: datetime | None = None) -> tuple[KpiReport, KpiTrends]:
    """kpi_report and the kpi_trends of the months up to the period's last, read together."""
    return _read(db, actor, engineer_id, now, period=period, trend_months=months_ending(period.last_day, months))


def recompute_month(db: Database, actor: Actor, *, period: Period, engineer_id: int | None = None,
                    now: datetime | None = None) -> KpiReport:
    """A closed month's figures computed again from today's records and settings, in place of the stored
    ones (Permission.KPI_MANAGE; the audit log keeps the facts before and after)."""
    require(actor, Permission.KPI_MANAGE)
    now = now or utcnow()
    with q.snapshot(db) as session:
        settings = kpi_settings(session)
        was_stored = period.is_month and bool(kpi_months.stored_months(session, [period.start], engineer_id))
        if not was_stored and not is_closed(period, now, settings.close_after_days):
            raise ValidationError(translate("Errors", "{period} is not closed: its figures are computed afresh "
                                                      "every time.").format(period=period.label()), field="period")
        engineer_name = _engineer_name(session, engineer_id)
        facts = month_facts(session, period, engineer_id, period.end_at, settings)
    stored = kpi_months.replace_month(db, actor, period.start, engineer_id, facts)
    return assemble_report(period, engineer_id, engineer_name, stored.facts, now, stored.computed_at)


def month_facts(session: Session, period: Period, engineer_id: int | None, as_of: datetime,
                settings: KpiSettings) -> dict:
    """Every aggregate a report of `period` is assembled from, and the settings they were computed under,
    as JSON (what desktop/domain/kpi_months.py stores for a closed month)."""
    start, end = period.start_at, period.end_at
    last_due = min(period.end, as_of.astimezone().date())
    if settings.complaint_rate_base == "active_customers":
        year_before = local_midnight(date(period.end.year - 1, period.end.month, 1))
        served = q.active_customers(session, year_before, end, engineer_id)
    else:
        served = q.customers_served(session, start, end, engineer_id)
    facts = {
        "format": FACTS_FORMAT,
        "as_of": as_of.isoformat(),
        "settings": settings_to_json(settings),
        "visits_done": q.visits_done(session, [start, end], engineer_id, settings.satisfied_min_score)[0],
        "visits_due": q.visits_due(session, period.start, last_due, as_of, engineer_id),
        "received": q.complaints_received(session, [start, end], engineer_id)[0]["count"],
        "served": served,
        "first_reply": _first_reply(q.first_reply_seconds(session, start, end, as_of, engineer_id)),
        "concluded": q.complaints_concluded(session, [start, end], engineer_id)[0],
        "repairs": q.repairs_finished(session, [start, end], engineer_id)[0],
        "arrived": q.repairs_arrived(session, start, end, engineer_id),
        "due": q.orders_due(session, start, end, as_of, engineer_id),
        **_parts(q.parts_consumption(session, start, end, engineer_id), settings.top_n),
        "costs": q.costs(session, start, end, engineer_id),
        "open_complaints": q.open_complaints(session, as_of, time_limits(session), engineer_id),
        "open_orders": q.open_orders(session, as_of, engineer_id),
        "order_categories": q.orders_by_category(session, start, end, engineer_id),
        "complaint_classes": q.complaints_by(session, Complaint.classification, start, end, engineer_id),
        **_models(q.complaints_by(session, Complaint.product_model, start, end, engineer_id), settings.top_n),
    }
    # Through JSON even when not stored: a report assembled from fresh facts is the one stored facts give.
    return json.loads(json.dumps(facts))


# Of long lists only what a report shows is kept (a month of a large branch consumes hundreds of parts).


def _first_reply(seconds: list[int]) -> dict:
    def hours_of(fraction):
        return None if not seconds else str(hours(percentile(seconds, fraction)))

    return {"sample": len(seconds), "median": hours_of("0.5"), "p90": hours_of("0.9")}


def _parts(parts: list[tuple], top_n: int) -> dict:
    top = sorted(parts, key=lambda p: (-p[5], -p[4], p[1]))[:top_n]
    return {"parts_quantity": sum(p[4] for p in parts), "parts_value": sum(p[5] for p in parts), "top_parts": top}


def _models(models: list[tuple[str, int]], top_n: int) -> dict:
    return {"complaint_models": models[:top_n], "complaint_models_total": sum(n for _, n in models)}


# -- reading: stored facts for closed months, SQL for the others ---------------------------------------------


def _read(db: Database, actor: Actor, engineer_id: int | None, now: datetime | None, *, period: Period | None = None,
          trend_months: tuple[Period, ...] = ()) -> tuple[KpiReport | None, KpiTrends | None]:
    require(actor, Permission.KPI_READ)
    now = now or utcnow()
    with q.snapshot(db) as session:
        settings = kpi_settings(session)
        engineer_name = _engineer_name(session, engineer_id)
        # Only calendar months are stored (a range of days may start on the 1st, like its month).
        months = {p.start: p for p in (period, *trend_months) if p is not None and p.is_month}
        stored = kpi_months.stored_months(session, months, engineer_id)
        # A month stored once stays closed, also when the closing day is moved later afterwards.
        closed = {start: p for start, p in months.items()
                  if start in stored or is_closed(p, now, settings.close_after_days)}
        outdated = {start for start, kept in stored.items() if kept.facts.get("format") != FACTS_FORMAT}
        fresh = {start: month_facts(session, p, engineer_id, p.end_at, settings)
                 for start, p in closed.items() if start not in stored or start in outdated}
        period_closed = period is not None and period.start in closed and period.is_month
        live = None
        if period is not None and not period_closed:
            live = month_facts(session, period, engineer_id, min(now, period.end_at), settings)
        running_rows = {period.start: _trend_row(live)} if live is not None and period.is_month else {}
        running = [p for p in trend_months if p.start not in closed and p.start not in running_rows]
        if running:  # the running month on screen is counted once, in its report's facts
            running_rows.update(_trend_rows(session, running, engineer_id, settings))
    for start in outdated:  # facts written by an older version of this module: computed again, in place
        stored[start] = kpi_months.replace_month(db, actor, start, engineer_id, fresh.pop(start))
    if fresh:
        stored.update(kpi_months.store_months(db, actor, fresh, engineer_id))
    report = None
    if period is not None:
        if period_closed:
            kept = stored[period.start]
            report = assemble_report(period, engineer_id, engineer_name, kept.facts, now, kept.computed_at)
        else:
            report = assemble_report(period, engineer_id, engineer_name, live, now, None)
    trends = None
    if trend_months:
        rows = [_trend_row(stored[p.start].facts) if p.start in closed else running_rows[p.start]
                for p in trend_months]
        trends = assemble_trends(trend_months, engineer_id, rows)
    return report, trends


def _trend_row(facts: dict) -> dict:
    return {key: facts[key] for key in ("visits_done", "received", "repairs", "concluded")}


def _trend_rows(session: Session, months: list[Period], engineer_id: int | None,
                settings: KpiSettings) -> dict[date, dict]:
    """The trend counts of months not closed (by first day), one grouped statement per source table over the
    months from the first of them to the last."""
    span = months_ending(months[-1], (months[-1].start.year - months[0].start.year) * 12
                         + months[-1].start.month - months[0].start.month + 1)
    bounds = [p.start_at for p in span] + [span[-1].end_at]
    visits = q.visits_done(session, bounds, engineer_id, settings.satisfied_min_score)
    received = q.complaints_received(session, bounds, engineer_id)
    repairs = q.repairs_finished(session, bounds, engineer_id)
    concluded = q.complaints_concluded(session, bounds, engineer_id)
    return {p.start: {"visits_done": v, "received": r["count"], "repairs": f, "concluded": c}
            for p, v, r, f, c in zip(span, visits, received, repairs, concluded, strict=True)}


def _engineer_name(session: Session, engineer_id: int | None) -> str:
    if engineer_id is None:
        return ""
    name = session.scalar(select(User.display_name).where(User.id == engineer_id))
    if name is None:
        raise NotFound(translate("Errors", "No user with id {id}.").format(id=engineer_id), field="engineer")
    return name
