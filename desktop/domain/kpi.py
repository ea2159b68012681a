"""KPI results (考核指标, domain.md §9) as plain data, and the pure rules behind them: the period, ratios,
percentiles, ageing buckets and how a value is shown. No Qt, no sessions: the services compute
(desktop/services/kpi.py), views, the PDF and the workbook only present these objects.

A value that cannot be computed (a ratio whose denominator is 0, an average of nothing) is None and is
shown as "—" (`format_value`), never as 0 % or an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from desktop.domain.service_orders import OrderCategory
from desktop.i18n import translate

CENT = Decimal("0.01")
HUNDRED = Decimal(100)

# Orders that fix a fault. Timeliness, first-time fix and response time are measured on these; preventive
# maintenance, installation and consultations are planned weeks ahead or fix nothing.
REPAIR_CATEGORIES: tuple[str, ...] = (
    OrderCategory.EMERGENCY_REPAIR.value,
    OrderCategory.TROUBLESHOOTING.value,
    OrderCategory.PARTS_REPLACEMENT.value,
)

# Ageing of open items in whole days since receipt (complaints) or creation (orders): (first day, last day),
# None = open-ended. A complaint 2 days 23 hours old is in "0–2 d".
AGEING_BUCKETS: tuple[tuple[int, int | None], ...] = ((0, 2), (3, 7), (8, 30), (31, None))

UNITS = ("%", "h", "min", "score", "count", "CNY")


# -- the period --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Local calendar days from `start` (inclusive) to `end` (exclusive). Instants are compared in UTC: the
    bounds are local midnights (the machine's time zone, as complaint numbers and list filters use)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"period end {self.end} must be after its start {self.start}")

    @property
    def start_at(self) -> datetime:
        return local_midnight(self.start)

    @property
    def end_at(self) -> datetime:
        return local_midnight(self.end)

    @property
    def last_day(self) -> date:
        """The last day inside the period (list filters take inclusive 'to' dates)."""
        return self.end - timedelta(days=1)

    @property
    def is_month(self) -> bool:
        return self.start.day == 1 and self.end == _next_month(self.start)

    def label(self) -> str:
        """'2026-10' for a calendar month, else '2026-10-01 – 2026-10-15' (last day shown inclusive)."""
        if self.is_month:
            return f"{self.start:%Y-%m}"
        return f"{self.start:%Y-%m-%d} – {self.last_day:%Y-%m-%d}"


def month(year: int, month_number: int) -> Period:
    start = date(year, month_number, 1)
    return Period(start, _next_month(start))


def month_of(day: date) -> Period:
    return month(day.year, day.month)


def months_ending(last: Period | date, count: int) -> tuple[Period, ...]:
    """`count` calendar months, oldest first, the last one containing `last` (a Period's start or a day)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    day = last.start if isinstance(last, Period) else last
    year, number = day.year, day.month
    result = []
    for _ in range(count):
        result.append(month(year, number))
        year, number = (year - 1, 12) if number == 1 else (year, number - 1)
    return tuple(reversed(result))


def closes_on(period: Period, close_after_days: int) -> date | None:
    """The day a calendar month's figures are closed (stored for good); None for a range of days."""
    return period.end + timedelta(days=close_after_days) if period.is_month else None


def is_closed(period: Period, now: datetime, close_after_days: int) -> bool:
    closing = closes_on(period, close_after_days)
    return closing is not None and now.astimezone().date() >= closing


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone()


def _next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


# -- results -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drill:
    """Which list opens the records behind a figure, and with which filter (plain values, no Qt).

    `list` is one of "complaints", "orders", "visits", "movements", "costs" (cost lines; a page shows them
    in the complaints list as the complaints that have them). The filter vocabulary is documented in
    desktop/services/kpi.py; `desktop.services.kpi_drill.drill_rows` is its reference implementation."""

    list: str
    filter: dict = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Target:
    """A figure's target: `value` and whether the figure must stay at or below it (`at_most`, e.g. the
    average response time ≤ 2 h) or reach at least it (e.g. the fix rate ≥ 95 %)."""

    value: Decimal
    at_most: bool

    @property
    def symbol(self) -> str:
        return "≤" if self.at_most else "≥"

    def met(self, value: Decimal | None) -> bool | None:
        if value is None:
            return None
        return value <= self.value if self.at_most else value >= self.value


@dataclass(frozen=True)
class Figure:
    """One KPI. `value` is None when it cannot be computed (nothing to divide by, nothing to average).

    numerator / denominator: the two counts (or sums) of a ratio or an average; None for a plain count,
    sum or percentile. sample: how many records the value was computed from (None for plain counts and
    sums). drill: the records behind the value (for a ratio: its denominator's records; for the complaint
    rate: the complaints). numerator_drill: the subset counted in the numerator, where there is one."""

    key: str
    title: str
    value: Decimal | None
    unit: str
    formula: str
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    sample: int | None = None
    target: Target | None = None
    met: bool | None = None
    drill: Drill | None = None
    numerator_drill: Drill | None = None

    @property
    def display(self) -> str:
        return format_value(self.value, self.unit)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    unit: str  # one of UNITS, or "text"


@dataclass(frozen=True)
class BreakdownRow:
    key: str  # a stable code: category value, part code, bearer value, bucket "3-7"
    label: str  # translated for display
    values: tuple[Decimal | None, ...]  # one per Breakdown.columns
    drill: Drill | None = None


@dataclass(frozen=True)
class Breakdown:
    """A table behind a chart: fault types, top parts, costs by bearer or department, ageing."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[BreakdownRow, ...]
    formula: str
    chart_column: int | None = 0  # the column a chart plots; None: a table only
    drill: Drill | None = None  # all records behind the table

    def total(self, column: int = 0) -> Decimal:
        return sum((row.values[column] or Decimal(0) for row in self.rows), Decimal(0))


@dataclass(frozen=True)
class KpiSettings:
    """Branch settings of the KPIs (stored in branch_settings under "kpi"; desktop/services/kpi_settings.py).

    complaint_rate_base: the complaint rate's denominator —
      "customers_with_orders": customers with a service order created in the period (default);
      "active_customers": customers with a service order or a complaint in the 12 months ending with the
      period (a base that moves slowly, for branches whose customers rarely need service).
    close_after_days: a calendar month closes this many days after its end; from then on its figures are
      the ones stored when it was first read (desktop/domain/kpi_months.py)."""

    response_time_target_hours: Decimal = Decimal(2)
    fix_rate_target_percent: Decimal = Decimal(95)
    complaint_rate_base: str = "customers_with_orders"
    satisfied_min_score: int = 4
    top_n: int = 10
    close_after_days: int = 5


COMPLAINT_RATE_BASES = ("customers_with_orders", "active_customers")


@dataclass(frozen=True)
class KpiReport:
    period: Period
    engineer_id: int | None
    engineer_name: str  # "" for the whole branch
    as_of: datetime  # open and overdue items are counted at this moment: min(now, period end)
    computed_at: datetime
    settings: KpiSettings
    figures: tuple[Figure, ...]
    breakdowns: tuple[Breakdown, ...]
    # A closed month's figures are those stored when it was first read after closing (kpi_months): when.
    frozen_at: datetime | None = None

    def figure(self, key: str) -> Figure:
        for item in self.figures:
            if item.key == key:
                return item
        raise KeyError(key)

    def breakdown(self, key: str) -> Breakdown:
        for item in self.breakdowns:
            if item.key == key:
                return item
        raise KeyError(key)


@dataclass(frozen=True)
class TrendSeries:
    key: str  # the same key as the report's figure
    title: str
    unit: str
    values: tuple[Decimal | None, ...]  # one per month, oldest first
    numerators: tuple[Decimal | None, ...]
    denominators: tuple[Decimal | None, ...]


@dataclass(frozen=True)
class KpiTrends:
    months: tuple[Period, ...]  # oldest first
    engineer_id: int | None
    series: tuple[TrendSeries, ...]

    def get(self, key: str) -> TrendSeries:
        for item in self.series:
            if item.key == key:
                return item
        raise KeyError(key)


# -- arithmetic ------------------------------------------------------------------------------------------


def rounded(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def percent(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    """numerator ÷ denominator × 100, to 0.01; None when the denominator is 0."""
    if not denominator:
        return None
    return rounded(Decimal(numerator) * HUNDRED / Decimal(denominator))


def average(total: int | Decimal, count: int) -> Decimal | None:
    if not count:
        return None
    return rounded(Decimal(total) / Decimal(count))


def percentile(values: Sequence[int | Decimal], fraction: Decimal | str) -> Decimal | None:
    """The percentile by linear interpolation between the closest ranks (PostgreSQL's percentile_cont,
    numpy's default): the median of 1, 2, 3, 4 is 2.5. None for no values. Exact in Decimal."""
    if not values:
        return None
    ordered = sorted(Decimal(v) for v in values)
    position = (len(ordered) - 1) * Decimal(fraction)
    low = int(position)  # floor: position is never negative
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def hours(seconds: int | Decimal | None) -> Decimal | None:
    return None if seconds is None else rounded(Decimal(seconds) / Decimal(3600))


def ageing_bucket_key(bucket: tuple[int, int | None]) -> str:
    low, high = bucket
    return f"{low}-{high}" if high is not None else f">{low - 1}"


def ageing_bucket_label(bucket: tuple[int, int | None]) -> str:
    low, high = bucket
    if high is None:
        return translate("Kpi", "> {n} days").format(n=low - 1)
    return translate("Kpi", "{low}–{high} days").format(low=low, high=high)


# -- display -------------------------------------------------------------------------------------------


def format_value(value: Decimal | None, unit: str) -> str:
    """How every screen and printout shows a figure: "—" when there is no value."""
    if value is None:
        return "—"
    if unit == "%":
        return f"{value:.2f}%"
    if unit == "h":
        return translate("Kpi", "{value} h").format(value=f"{value:.2f}")
    if unit == "min":
        return translate("Kpi", "{value} min").format(value=f"{value:.0f}")
    if unit == "CNY":
        return f"¥{value:,.2f}"
    if unit == "score":
        return f"{value:.2f}"
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value.normalize():,f}"
