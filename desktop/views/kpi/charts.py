"""The dashboard's charts, drawn with Qt Charts from the service's results (nothing is computed here):

- trends: the main ratios per month over the last twelve months as lines (left axis, %), the complaints
  received as bars (right axis). A month without a value (nothing to divide by) leaves a gap in its line,
  never a fall to 0 %.
- a breakdown as horizontal bars (fault types: orders by category, complaints by class or by model) or as a
  pie (costs by allocation department or by bearer). Clicking a bar or a slice opens the records behind it.

Each chart sits in a ChartPanel: a heading, an optional choice of what to plot, and a sentence instead of
an empty drawing when the period has nothing to show.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QPieSeries,
    QPieSlice,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QFont, QPainter, QPen
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QStackedWidget, QToolTip, QVBoxLayout, QWidget

from desktop.domain.kpi import Breakdown, BreakdownRow, KpiTrends, format_value

# Distinguishable for most kinds of colour blindness (Okabe–Ito), and each trend line has its own dashes too.
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#f0e442", "#999999")
DASHES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine, Qt.PenStyle.DashDotLine)
COUNT_BAR_COLOUR = "#d0d7de"
RATIO_TRENDS = ("satisfaction_rate", "repair_timeliness_rate", "first_time_fix_rate", "resolution_rate")
COUNT_TREND = "complaints_received"
MAX_BARS = 10
LABEL_CHARACTERS = 20  # a bar's label is cut after this many characters (the table has the whole text)


def _chart() -> QChart:
    chart = QChart()
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(2, 2, 2, 2))
    chart.layout().setContentsMargins(0, 0, 0, 0)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    font = QFont(chart.legend().font())
    font.setPointSizeF(max(font.pointSizeF() - 1, 7))
    chart.legend().setFont(font)
    return chart


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARACTERS else text[: LABEL_CHARACTERS - 1] + "…"


def trend_chart(trends: KpiTrends) -> QChart:
    chart = _chart()
    labels = [f"{p.start:%y-%m}" for p in trends.months]
    axis_x = QBarCategoryAxis()
    axis_x.append(labels)
    axis_percent = QValueAxis()
    axis_percent.setRange(0, 105)  # room for the markers of 100 %
    axis_percent.setTickType(QValueAxis.TickType.TicksDynamic)
    axis_percent.setTickAnchor(0)
    axis_percent.setTickInterval(20)
    axis_percent.setLabelFormat("%d%%")
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(axis_percent, Qt.AlignmentFlag.AlignLeft)
    keys = {s.key for s in trends.series}
    if COUNT_TREND in keys:
        counts = trends.get(COUNT_TREND)
        bars = QBarSeries()
        bar_set = QBarSet(counts.title)
        bar_set.setColor(QColor(COUNT_BAR_COLOUR))
        bar_set.setBorderColor(QColor(COUNT_BAR_COLOUR))
        bar_set.append([float(v or 0) for v in counts.values])
        bars.append(bar_set)
        bars.setBarWidth(0.5)
        chart.addSeries(bars)
        axis_count = QValueAxis()
        _nice_axis(axis_count, max([float(v or 0) for v in counts.values] + [1.0]) * 1.1, whole=True)
        axis_count.setGridLineVisible(False)
        chart.addAxis(axis_count, Qt.AlignmentFlag.AlignRight)
        bars.attachAxis(axis_x)
        bars.attachAxis(axis_count)
        bar_set.hovered.connect(lambda state, index, s=counts: state and QToolTip.showText(
            _cursor(), f"{s.title} {trends.months[index].label()}: {format_value(s.values[index], s.unit)}"))
    for number, key in enumerate(k for k in RATIO_TRENDS if k in keys):
        series = trends.get(key)
        colour = QColor(PALETTE[number % len(PALETTE)])
        for first, segment in enumerate(_segments(series.values)):
            line = QLineSeries()
            line.setName(series.title)
            line.setPen(QPen(colour, 2, DASHES[number % len(DASHES)]))
            line.setPointsVisible(True)
            line.setMarkerSize(7)
            for index, value in segment:
                line.append(QPointF(index, float(value)))
            chart.addSeries(line)
            line.attachAxis(axis_x)
            line.attachAxis(axis_percent)
            if first:  # one legend entry per measure, however many pieces its line has
                chart.legend().markers(line)[0].setVisible(False)
            line.hovered.connect(lambda point, state, s=series: state and QToolTip.showText(
                _cursor(), _point_text(s, trends, round(point.x()))))
    return chart


def _nice_axis(axis: QValueAxis, top: float, *, whole: bool) -> None:
    """From 0 to a little above `top` in steps of 1, 2 or 5 × 10ⁿ (four or five of them): labels a reader
    can add up, never 0, 0, 1, 2 for a count up to 3."""
    step = 10 ** math.floor(math.log10(top / 4)) if top > 0 else 1
    for factor in (1, 2, 5, 10):
        if top / (step * factor) <= 5:
            step *= factor
            break
    if whole:
        step = max(step, 1)
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)
    axis.setRange(0, step * math.ceil(top / step))
    axis.setLabelFormat("%d" if step >= 1 else "%.1f")


def _segments(values) -> list[list[tuple[int, Decimal]]]:
    """Runs of months with a value: a line is drawn within a run, a month without one breaks it."""
    runs: list[list[tuple[int, Decimal]]] = []
    current: list[tuple[int, Decimal]] = []
    for index, value in enumerate(values):
        if value is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append((index, value))
    if current:
        runs.append(current)
    return runs or [[]]


def _point_text(series, trends: KpiTrends, index: int) -> str:
    if not 0 <= index < len(trends.months):
        return ""
    text = f"{series.title} {trends.months[index].label()}: {format_value(series.values[index], series.unit)}"
    numerator, denominator = series.numerators[index], series.denominators[index]
    if numerator is not None and denominator is not None:
        text += f" ({format_value(numerator, 'count')} / {format_value(denominator, 'count')})"
    return text


def _cursor():
    return QCursor.pos()  # where a hovered point's tooltip shows


def bar_chart(breakdown: Breakdown, on_row: Callable[[BreakdownRow], None]) -> QChart | None:
    """The breakdown's chart column as horizontal bars, the largest on top; None when it has no rows."""
    column = breakdown.chart_column or 0
    rows = [r for r in breakdown.rows if (r.values[column] or 0) > 0][:MAX_BARS]
    if not rows:
        return None
    unit = breakdown.columns[column].unit
    rows.reverse()  # a horizontal bar chart draws its first category at the bottom
    chart = _chart()
    chart.legend().hide()
    bar_set = QBarSet(breakdown.columns[column].title)
    bar_set.setColor(QColor(PALETTE[0]))
    bar_set.setBorderColor(QColor(PALETTE[0]))
    bar_set.append([float(r.values[column]) for r in rows])
    series = QHorizontalBarSeries()
    series.append(bar_set)
    series.setBarWidth(0.7)
    series.setLabelsVisible(True)
    series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
    series.setLabelsFormat("@value")
    bar_set.setLabelColor(QColor("#202124"))
    chart.addSeries(series)
    axis_y = QBarCategoryAxis()
    axis_y.append([_short(r.label) for r in rows])
    axis_x = QValueAxis()
    _nice_axis(axis_x, max(float(r.values[column]) for r in rows) * 1.2, whole=unit == "count")
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis_y)
    series.attachAxis(axis_x)
    bar_set.clicked.connect(lambda index: on_row(rows[index]))
    bar_set.hovered.connect(lambda state, index: state and QToolTip.showText(
        _cursor(), f"{rows[index].label}: {format_value(rows[index].values[column], unit)}"))
    return chart


def pie_chart(breakdown: Breakdown, on_row: Callable[[BreakdownRow], None]) -> QChart | None:
    """The breakdown's chart column as a pie: each slice's share on it (where it fits), the legend naming
    it with its amount; None when there is nothing to share out."""
    column = breakdown.chart_column or 0
    rows = [r for r in breakdown.rows if (r.values[column] or 0) > 0]
    if not rows:
        return None
    unit = breakdown.columns[column].unit
    total = sum((r.values[column] for r in rows), Decimal(0))
    chart = _chart()
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    series = QPieSeries()
    series.setPieSize(0.8)
    pieces = []
    for number, row in enumerate(rows):
        share = row.values[column] * 100 / total
        piece = series.append(f"{share:.0f}%", float(row.values[column]))
        piece.setColor(QColor(PALETTE[number % len(PALETTE)]))
        piece.setBorderColor(QColor("#ffffff"))
        piece.setLabelVisible(share >= 8)  # the share on the slice where it fits
        piece.setLabelPosition(QPieSlice.LabelPosition.LabelInsideNormal)
        piece.setLabelColor(QColor("#ffffff"))
        piece.clicked.connect(lambda r=row: on_row(r))
        piece.hovered.connect(lambda state, p=piece: p.setExploded(state))
        pieces.append((piece, row))
    chart.addSeries(series)
    for marker, (_piece, row) in zip(chart.legend().markers(series), pieces, strict=True):
        marker.setLabel(f"{_short(row.label)}  {format_value(row.values[column], unit)}")
    return chart


class ChartPanel(QWidget):
    """A heading, an optional choice of what to draw, and the chart — or a sentence when there is nothing."""

    sig_choice_changed = Signal(str)

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.title_label = QLabel(title, self)
        self.title_label.setObjectName("chartHeading")
        self.choice_combo = QComboBox(self)
        self.choice_combo.hide()
        self.view = QChartView(self)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(230)
        self.empty_label = QLabel(self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setObjectName("chartEmpty")
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty_label)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.title_label, 1)
        top.addWidget(self.choice_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        self.choice_combo.currentIndexChanged.connect(
            lambda _i: self.sig_choice_changed.emit(self.choice_combo.currentData() or ""))

    def set_choices(self, choices: list[tuple[str, str]]) -> None:
        """(key, title) of what the panel can draw; the current choice is kept when it is still offered."""
        current = self.choice_combo.currentData()
        self.choice_combo.blockSignals(True)
        self.choice_combo.clear()
        for key, title in choices:
            self.choice_combo.addItem(title, key)
        index = self.choice_combo.findData(current)
        self.choice_combo.setCurrentIndex(max(index, 0))
        self.choice_combo.blockSignals(False)
        self.choice_combo.setVisible(len(choices) > 1)

    def choice(self) -> str:
        return self.choice_combo.currentData() or ""

    def set_chart(self, chart: QChart | None, empty_text: str) -> None:
        old = self.view.chart()
        if chart is None:
            self.empty_label.setText(empty_text)
            self.stack.setCurrentWidget(self.empty_label)
            chart = QChart()  # the view keeps a chart; the old one goes
        else:
            self.stack.setCurrentWidget(self.view)
        self.view.setChart(chart)
        if old is not None and old is not chart:
            old.deleteLater()

    def chart(self) -> QChart:
        return self.view.chart()
