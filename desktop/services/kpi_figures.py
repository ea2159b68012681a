"""Assembling the KPI results from a month's facts (desktop.services.kpi.month_facts, stored or fresh): the
figures with their formulas, targets and drills, the breakdowns, and the trend series. Pure Python over the
facts' plain values — no SQL — so a stored month and a live one give the same report. What every figure
means is documented in desktop/services/kpi.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from desktop.domain.complaints import Bearer, ComplaintClass, Status, bearer_label, class_label
from desktop.domain.kpi import (
    AGEING_BUCKETS,
    REPAIR_CATEGORIES,
    Breakdown,
    BreakdownRow,
    Column,
    Drill,
    Figure,
    KpiReport,
    KpiSettings,
    KpiTrends,
    Period,
    Target,
    TrendSeries,
    ageing_bucket_key,
    ageing_bucket_label,
    average,
    hours,
    percent,
    rounded,
)
from desktop.domain.service_orders import category_label
from desktop.i18n import translate
from desktop.services.kpi_settings import settings_from_json

# Complaints counted as received: all but duplicates (drill filter "statuses").
REPORTED_STATUSES = tuple(s.value for s in Status if s != Status.DUPLICATE)


def assemble_trends(months: tuple[Period, ...], engineer_id: int | None, rows: list[dict]) -> KpiTrends:
    def ratio_series(key, title, source, numerator):
        counts = [r[source] for r in rows]
        return TrendSeries(key, title, "%", tuple(percent(c[numerator], c["count"]) for c in counts),
                           tuple(Decimal(c[numerator]) for c in counts), tuple(Decimal(c["count"]) for c in counts))

    series = (
        ratio_series("satisfaction_rate", translate("Kpi", "Customer satisfaction"), "visits_done", "satisfied"),
        TrendSeries("complaints_received", translate("Kpi", "Complaints received"), "count",
                    tuple(Decimal(r["received"]) for r in rows), (None,) * len(rows), (None,) * len(rows)),
        ratio_series("repair_timeliness_rate", translate("Kpi", "Repair timeliness rate"), "repairs", "on_time"),
        ratio_series("first_time_fix_rate", translate("Kpi", "First-time fix rate"), "repairs", "first_time_fix"),
        ratio_series("resolution_rate", translate("Kpi", "Resolution rate"), "concluded", "resolved"),
    )
    return KpiTrends(months=months, engineer_id=engineer_id, series=series)


def assemble_report(period: Period, engineer_id: int | None, engineer_name: str, facts: dict, now: datetime,
            frozen_at: datetime | None) -> KpiReport:
    settings = settings_from_json(facts["settings"])
    ctx = _Context(period, engineer_id, datetime.fromisoformat(facts["as_of"]), settings)
    parts, part_tables = _parts_and_costs(ctx, facts)
    open_items, ageing = _open_items(ctx, facts)
    figures = [*_satisfaction(ctx, facts), *_complaint_figures(ctx, facts), *_order_figures(ctx, facts), *parts,
               *open_items]
    breakdowns = [_order_categories(ctx, facts), _complaint_classes(ctx, facts), _complaint_models(ctx, facts),
                  *part_tables, *ageing]
    return KpiReport(period=period, engineer_id=engineer_id, engineer_name=engineer_name, as_of=ctx.as_of,
                     computed_at=now if frozen_at is None else frozen_at, settings=settings,
                     figures=tuple(figures), breakdowns=tuple(breakdowns), frozen_at=frozen_at)


# -- assembling -------------------------------------------------------------------------------------------


class _Context:
    def __init__(self, period: Period, engineer_id: int | None, as_of: datetime, settings: KpiSettings):
        self.period, self.engineer_id, self.as_of, self.settings = period, engineer_id, as_of, settings
        self.start, self.end = period.start_at, period.end_at

    def orders(self, **fields) -> Drill:
        return Drill("orders", {**fields, **self._engineer("engineer_id")})

    def visits(self, **fields) -> Drill:
        return Drill("visits", {**fields, **self._engineer("engineer_id")})

    def complaints(self, **fields) -> Drill:
        return Drill("complaints", {**fields, **self._engineer("owner_id")})

    def costs(self, **fields) -> Drill:
        return Drill("costs", {"approved_from": self.period.start, "approved_to": self.period.last_day, **fields,
                               **self._engineer("owner_id")})

    def movements(self, **fields) -> Drill:
        return Drill("movements", {"at_from": self.period.start, "at_to": self.period.last_day, "consumption": True,
                                   **fields, **self._engineer("engineer_id")})

    def received(self, **fields) -> Drill:
        return self.complaints(received_from=self.period.start, received_to=self.period.last_day,
                               statuses=REPORTED_STATUSES, **fields)

    def _engineer(self, key: str) -> dict:
        return {} if self.engineer_id is None else {key: self.engineer_id}


def _ratio(key, title, formula, numerator, denominator, drill, numerator_drill, target: Target | None = None):
    value = percent(numerator, denominator)
    return Figure(key, title, value, "%", formula, Decimal(numerator), Decimal(denominator), denominator, target,
                  target.met(value) if target else None, drill, numerator_drill)


def _count(key, title, formula, count, drill, unit="count"):
    return Figure(key, title, Decimal(count), unit, formula, drill=drill)


def _satisfaction(ctx: _Context, facts: dict) -> list[Figure]:
    minimum = ctx.settings.satisfied_min_score
    done = facts["visits_done"]
    visits = ctx.visits(done_from=ctx.period.start, done_to=ctx.period.last_day, scored=True)
    # Visits are due on a day: those due before the as-of day had their chance to be made.
    last_due = min(ctx.period.end, ctx.as_of.astimezone().date())
    due = facts["visits_due"]
    due_drill = ctx.visits(due_from=ctx.period.start, due_to=last_due - timedelta(days=1))
    return [
        _ratio("satisfaction_rate", translate("Kpi", "Customer satisfaction"),
               translate("Kpi", "return visits scoring {n} or better ÷ return visits done in the period × 100%").format(n=minimum),
               done["satisfied"], done["count"], visits, ctx.visits(**visits.filter, min_score=minimum)),
        Figure("average_score", translate("Kpi", "Average satisfaction score"), average(done["score_sum"], done["count"]), "score",
               translate("Kpi", "sum of scores (1–5) ÷ return visits done in the period"), Decimal(done["score_sum"]),
               Decimal(done["count"]), done["count"], drill=visits),
        _ratio("visit_response_rate", translate("Kpi", "Return visit response rate"),
               translate("Kpi", "visits made ÷ visits due in the period before {day} × 100%").format(day=f"{last_due:%Y-%m-%d}"),
               due["made"], due["count"], due_drill, ctx.visits(**due_drill.filter, made_before=ctx.as_of)),
    ]


def _complaint_figures(ctx: _Context, facts: dict) -> list[Figure]:
    received, served = facts["received"], facts["served"]
    received_drill = ctx.received()
    if ctx.settings.complaint_rate_base == "active_customers":
        base = translate("Kpi", "customers with a service order or complaint in the 12 months to the period end")
    else:
        base = translate("Kpi", "customers with a service order created in the period")
    rate = _ratio("complaint_rate", translate("Kpi", "Complaint rate"),
                  translate("Kpi", "complaints received ÷ {base} × 100%").format(base=base), received, served,
                  received_drill, received_drill)
    first_reply = facts["first_reply"]
    replied = ctx.received(replied_before=ctx.as_of)
    concluded = facts["concluded"]
    closed = ctx.complaints(closed_from=ctx.period.start, closed_to=ctx.period.last_day,
                            statuses=(Status.CLOSED_RESOLVED.value, Status.CLOSED_UNRESOLVED.value))
    return [
        _count("complaints_received", translate("Kpi", "Complaints received"),
               translate("Kpi", "complaints received in the period (a duplicate counts under its original)"), received,
               received_drill),
        rate,
        Figure("consultation_response_median", translate("Kpi", "Consultation response time (median)"),
               _decimal(first_reply["median"]), "h",
               translate("Kpi", "median of (first reply − receipt) over the complaints received in the period and answered"),
               sample=first_reply["sample"], drill=replied),
        Figure("consultation_response_p90", translate("Kpi", "Consultation response time (90th percentile)"),
               _decimal(first_reply["p90"]), "h",
               translate("Kpi", "90th percentile of (first reply − receipt) over the complaints received in the period and "
                  "answered"),
               sample=first_reply["sample"], drill=replied),
        _ratio("resolution_rate", translate("Kpi", "Resolution rate"),
               translate("Kpi", "complaints closed as resolved ÷ complaints closed as resolved or unresolved in the period × 100%"),
               concluded["resolved"], concluded["count"], closed,
               ctx.complaints(**{**closed.filter, "statuses": (Status.CLOSED_RESOLVED.value,)})),
    ]


def _order_figures(ctx: _Context, facts: dict) -> list[Figure]:
    settings = ctx.settings
    repairs = facts["repairs"]
    finished = ctx.orders(finished_from=ctx.period.start, finished_to=ctx.period.last_day, categories=REPAIR_CATEGORIES)
    arrived = facts["arrived"]
    response = hours(Decimal(arrived["seconds"]) / arrived["count"]) if arrived["count"] else None
    response_target = Target(settings.response_time_target_hours, at_most=True)
    due = facts["due"]
    due_drill = ctx.orders(due_from=ctx.period.start, due_before=ctx.as_of)
    return [
        _ratio("repair_timeliness_rate", translate("Kpi", "Repair timeliness rate"),
               translate("Kpi", "repair orders reached by the appointment and finished by the committed time ÷ repair orders "
                  "finished in the period × 100%"),
               repairs["on_time"], repairs["count"], finished, ctx.orders(**finished.filter, on_time=True)),
        _ratio("first_time_fix_rate", translate("Kpi", "First-time fix rate"),
               translate("Kpi", "repair orders finished without remaining issues ÷ repair orders finished in the period × 100%"),
               repairs["first_time_fix"], repairs["count"], finished,
               ctx.orders(**finished.filter, first_time_fix=True)),
        Figure("average_response_time", translate("Kpi", "Average response time"), response, "h",
               translate("Kpi", "Σ (engineer arrived − order created) ÷ repair orders reached in the period"),
               hours(arrived["seconds"]), Decimal(arrived["count"]), arrived["count"], response_target,
               response_target.met(response),
               ctx.orders(arrived_from=ctx.period.start, arrived_to=ctx.period.last_day, categories=REPAIR_CATEGORIES)),
        _ratio("fix_rate", translate("Kpi", "Fix rate"),
               translate("Kpi", "orders finished ÷ orders due (committed completion in the period, up to {as_of}) × 100%").format(
                   as_of=f"{ctx.as_of.astimezone():%Y-%m-%d %H:%M}"),
               due["finished"], due["count"], due_drill, ctx.orders(**due_drill.filter, finished_before=ctx.as_of),
               Target(settings.fix_rate_target_percent, at_most=False)),
    ]


def _parts_and_costs(ctx: _Context, facts: dict) -> tuple[list[Figure], list[Breakdown]]:
    quantity = _hundredths(facts["parts_quantity"])
    value = rounded(Decimal(facts["parts_value"]) / 10000)
    top = facts["top_parts"]
    movements = ctx.movements()
    top_parts = Breakdown(
        "top_parts", translate("Kpi", "Top parts by value"),
        (Column("quantity", translate("Kpi", "Quantity"), "count"), Column("value", translate("Kpi", "Value"), "CNY")),
        tuple(BreakdownRow(code, f"{code} {name} ({unit})", (_hundredths(qty), rounded(Decimal(val) / 10000)),
                           ctx.movements(part_id=pid)) for pid, code, name, unit, qty, val in top),
        translate("Kpi", "the {n} parts of highest value consumed in the period: quantity issued − returned − reversed, × the "
           "lot's unit cost").format(n=ctx.settings.top_n),
        chart_column=1, drill=movements)
    cost_rows = facts["costs"]
    total_cents = sum(c for _, _, c in cost_rows)
    by_bearer: dict[str, int] = {}
    by_department: dict[str, int] = {}
    for bearer, department, cents in cost_rows:
        by_bearer[bearer] = by_bearer.get(bearer, 0) + cents
        by_department[department] = by_department.get(department, 0) + cents
    money_columns = (Column("amount", translate("Kpi", "Amount"), "CNY"), Column("share", translate("Kpi", "Share"), "%"))

    def money_row(key, label, cents, drill):
        return BreakdownRow(key, label, (_hundredths(cents), percent(cents, total_cents)), drill)

    bearers = [b.value for b in Bearer]
    tables = [
        top_parts,
        Breakdown("costs_by_bearer", translate("Kpi", "Complaint costs by bearer"), money_columns,
                  tuple(money_row(b, bearer_label(b) if b in bearers else b, by_bearer[b], ctx.costs(bearer=b))
                        for b in sorted(by_bearer, key=lambda b: (-by_bearer[b], b))),
                  translate("Kpi", "approved cost lines by approval time in the period, summed per bearer"), drill=ctx.costs()),
        Breakdown("costs_by_department", translate("Kpi", "Complaint costs by allocation department"), money_columns,
                  tuple(money_row(d, d or translate("Kpi", "(not allocated)"), by_department[d], ctx.costs(allocation_department=d))
                        for d in sorted(by_department, key=lambda d: (-by_department[d], d))),
                  translate("Kpi", "approved cost lines by approval time in the period, summed per allocation department"),
                  drill=ctx.costs()),
    ]
    return [
        Figure("parts_quantity", translate("Kpi", "Parts consumed (quantity)"), quantity, "count",
               translate("Kpi", "Σ quantity issued − returned − reversed in the period (all units added together)"), drill=movements),
        Figure("parts_value", translate("Kpi", "Parts consumed (value)"), value, "CNY",
               translate("Kpi", "Σ quantity × the lot's unit cost, issued − returned − reversed in the period"), drill=movements),
        Figure("complaint_costs", translate("Kpi", "Complaint costs"), _hundredths(total_cents), "CNY",
               translate("Kpi", "Σ approved complaint cost lines, by approval time in the period"), drill=ctx.costs()),
    ], tables


def _open_items(ctx: _Context, facts: dict) -> tuple[list[Figure], list[Breakdown]]:
    when = f"{ctx.as_of.astimezone():%Y-%m-%d %H:%M}"
    complaints, orders = facts["open_complaints"], facts["open_orders"]
    columns = (Column("open", translate("Kpi", "Open"), "count"), Column("overdue", translate("Kpi", "Overdue"), "count"))

    def ageing(key, title, formula, rows, drill_of):
        return Breakdown(key, title, columns, tuple(
            BreakdownRow(ageing_bucket_key(bucket), ageing_bucket_label(bucket),
                         (Decimal(row["open"]), Decimal(row["overdue"])), drill_of(open_at=ctx.as_of, age_days=bucket))
            for bucket, row in zip(AGEING_BUCKETS, rows, strict=True)), formula, drill=drill_of(open_at=ctx.as_of))

    tables = [
        ageing("complaint_ageing", translate("Kpi", "Open complaints by age"),
               translate("Kpi", "complaints open at {when} by whole days since receipt").format(when=when), complaints,
               ctx.complaints),
        ageing("order_ageing", translate("Kpi", "Open service orders by age"),
               translate("Kpi", "service orders open at {when} by whole days since creation").format(when=when), orders, ctx.orders),
    ]
    return [
        _count("open_complaints", translate("Kpi", "Open complaints"), translate("Kpi", "complaints open at {when}").format(when=when),
               sum(r["open"] for r in complaints), ctx.complaints(open_at=ctx.as_of)),
        _count("overdue_complaints", translate("Kpi", "Overdue complaints"),
               translate("Kpi", "open complaints past their deadline (first reply, assessment or resolution) at {when}").format(
                   when=when), sum(r["overdue"] for r in complaints), ctx.complaints(overdue_at=ctx.as_of)),
        _count("open_orders", translate("Kpi", "Open service orders"),
               translate("Kpi", "service orders whose work was not done at {when}").format(when=when),
               sum(r["open"] for r in orders), ctx.orders(open_at=ctx.as_of)),
        _count("overdue_orders", translate("Kpi", "Overdue service orders"),
               translate("Kpi", "open service orders past the committed completion, or past the appointment before the engineer "
                  "arrived, at {when}").format(when=when), sum(r["overdue"] for r in orders),
               ctx.orders(overdue_at=ctx.as_of)),
    ], tables


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _hundredths(whole: int) -> Decimal:
    """Cents or hundredths of a unit, as the amount: exact, with two decimals."""
    return (Decimal(whole) / 100).quantize(Decimal("0.01"))


def _share_rows(rows: list[tuple[str, int]], label, drill_of) -> tuple[BreakdownRow, ...]:
    total = sum(n for _, n in rows)
    return tuple(BreakdownRow(key, label(key), (Decimal(n), percent(n, total)), drill_of(key)) for key, n in rows)


def _count_columns() -> tuple[Column, Column]:
    return Column("count", translate("Kpi", "Count"), "count"), Column("share", translate("Kpi", "Share"), "%")


def _order_categories(ctx: _Context, facts: dict) -> Breakdown:
    rows = facts["order_categories"]
    created = dict(created_from=ctx.period.start, created_to=ctx.period.last_day)
    return Breakdown("order_categories", translate("Kpi", "Service orders by category"), _count_columns(),
                     _share_rows(rows, category_label, lambda c: ctx.orders(**created, categories=(c,))),
                     translate("Kpi", "service orders created in the period per category"), drill=ctx.orders(**created))


def _complaint_classes(ctx: _Context, facts: dict) -> Breakdown:
    rows = facts["complaint_classes"]
    known = {c.value for c in ComplaintClass}
    return Breakdown("complaint_classes", translate("Kpi", "Complaints by class"), _count_columns(),
                     _share_rows(rows, lambda c: class_label(c) if c in known else c,
                                 lambda c: ctx.received(classification=c)),
                     translate("Kpi", "complaints received in the period per class (quality, non-quality, consultation)"),
                     drill=ctx.received())


def _complaint_models(ctx: _Context, facts: dict) -> Breakdown:
    top, total = facts["complaint_models"], facts["complaint_models_total"]
    rows = tuple(BreakdownRow(model, model or translate("Kpi", "(no model)"), (Decimal(n), percent(n, total)),
                              ctx.received(product_model=model)) for model, n in top)
    return Breakdown("complaint_models", translate("Kpi", "Most complained-about models"), _count_columns(), rows,
                     translate("Kpi", "the {n} product models with the most complaints received in the period; share of all "
                        "complaints").format(n=ctx.settings.top_n), drill=ctx.received())
