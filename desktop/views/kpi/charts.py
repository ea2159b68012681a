"""The dashboard's charts, drawn with Qt Charts from the service's results (nothing is computed here):

- trends: the main ratios per month over the last twelve months as lines (left axis, %), the complaints
  received as bars (right axis). A month without a value (nothing to divide by) leaves a gap in its line,
  never a fall to 0 %.
- a breakdown as horizontal bars (fault types: orders by category, complaints by class or by model) or as a
  pie (costs by allocation department or by bearer). Clicking a bar or a slice opens the records behind it.

Each chart sits in a ChartPanel: a heading, an optional choice of what to plot, and a sentence instead of
an empty drawing when the period has nothing to show. A panel keeps one chart, with its axes and series, and
each report's numbers go into them, changing only what changed (any setter lays the chart out again, even
with the value it has): building three charts anew for every report was one of the costliest parts of it.
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
    QLegend,
    QLineSeries,
    QPieSeries,
    QPieSlice,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QFont, QGuiApplication, QImage, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QStackedWidget, QToolTip, QVBoxLayout, QWidget

from desktop.domain.kpi import Breakdown, BreakdownRow, KpiTrends, format_value
from desktop.views.kpi.looks import EDGE_COLOUR, HEADING_COLOUR, MUTED_COLOUR, paint_box, recolour, styled

# Distinguishable for most kinds of colour blindness (Okabe–Ito); each trend line has its own marker shape too.
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#f0e442", "#999999")
MARKER_SHAPES = ("circle", "square", "triangle", "diamond")
MARKER_SIZE = 10  # pixels
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


def _set_bars(bar_set: QBarSet, values: list[float]) -> None:
    """The bar set's values, all replaced at once when any changed (each replace() lays out all the bars)."""
    if [bar_set.at(index) for index in range(bar_set.count())] != values:
        bar_set.remove(0, bar_set.count())
        bar_set.append(values)


def _set_label(bar_set: QBarSet, label: str) -> None:
    if bar_set.label() != label:  # setting it, even unchanged, lays the chart out again
        bar_set.setLabel(label)


def _set_categories(axis: QBarCategoryAxis, labels: list[str]) -> None:
    if axis.categories() != labels:
        axis.setCategories(labels)


class TrendChart:
    """The twelve-month trends; `draw` puts new months and values into the same series."""

    def __init__(self):
        self.chart = _chart()
        self.trends: KpiTrends | None = None
        self._keys: tuple[str, ...] | None = None  # the measures the series were made for
        self._lines: dict[str, list[QLineSeries]] = {}  # a measure's line: one series per run of months
        self._bar_set: QBarSet | None = None
        self.axis_x = QBarCategoryAxis()
        self.axis_percent = QValueAxis()
        self.axis_percent.setRange(0, 105)  # room for the markers of 100 %
        self.axis_percent.setTickType(QValueAxis.TickType.TicksDynamic)
        self.axis_percent.setTickAnchor(0)
        self.axis_percent.setTickInterval(20)
        self.axis_percent.setLabelFormat("%d%%")
        self.axis_count = QValueAxis()
        self.axis_count.setGridLineVisible(False)

    def draw(self, trends: KpiTrends) -> None:
        self.trends = trends
        keys = tuple(s.key for s in trends.series)
        if keys != self._keys:
            self._make_series(keys)
        _set_categories(self.axis_x, [f"{p.start:%y-%m}" for p in trends.months])
        if self._bar_set is not None:
            _set_label(self._bar_set, trends.get(COUNT_TREND).title)
            counts = [float(v or 0) for v in trends.get(COUNT_TREND).values]
            _set_bars(self._bar_set, counts)
            _nice_axis(self.axis_count, max(counts + [1.0]) * 1.1, whole=True)
        for number, (key, lines) in enumerate(self._lines.items()):
            series = trends.get(key)
            segments = _segments(series.values)
            while len(lines) > len(segments):
                line = lines.pop()
                self.chart.removeSeries(line)
                line.deleteLater()
            while len(lines) < len(segments):
                lines.append(self._add_line(key, number, first=not lines))
            for line, segment in zip(lines, segments, strict=True):
                if line.name() != series.title:
                    line.setName(series.title)
                points = [QPointF(index, float(value)) for index, value in segment]
                if line.points() != points:
                    line.replace(points)

    def _make_series(self, keys: tuple[str, ...]) -> None:
        self.chart.removeAllSeries()
        if self.axis_count in self.chart.axes():
            self.chart.removeAxis(self.axis_count)
        if not self.chart.axes():  # the first trends: until they come, the chart is a blank sheet
            self.chart.addAxis(self.axis_x, Qt.AlignmentFlag.AlignBottom)
            self.chart.addAxis(self.axis_percent, Qt.AlignmentFlag.AlignLeft)
        self._keys, self._lines, self._bar_set = keys, {}, None
        if COUNT_TREND in keys:
            bars = QBarSeries()
            self._bar_set = QBarSet(self.trends.get(COUNT_TREND).title)
            self._bar_set.setColor(QColor(COUNT_BAR_COLOUR))
            self._bar_set.setBorderColor(QColor(COUNT_BAR_COLOUR))
            bars.append(self._bar_set)
            bars.setBarWidth(0.5)
            self.chart.addSeries(bars)
            self.chart.addAxis(self.axis_count, Qt.AlignmentFlag.AlignRight)
            bars.attachAxis(self.axis_x)
            bars.attachAxis(self.axis_count)
            self._bar_set.hovered.connect(self._on_bar_hovered)
        for key in RATIO_TRENDS:
            if key in keys:
                self._lines[key] = []

    def _add_line(self, key: str, number: int, *, first: bool) -> QLineSeries:
        line = QLineSeries()
        colour = PALETTE[number % len(PALETTE)]
        line.setPen(QPen(QColor(colour), 2))
        line.setPointsVisible(True)
        self.chart.addSeries(line)
        line.setLightMarker(marker_image(MARKER_SHAPES[number % len(MARKER_SHAPES)], colour))
        line.setMarkerSize(MARKER_SIZE)  # after the others: the legend's marker then shows the shape too
        line.attachAxis(self.axis_x)
        line.attachAxis(self.axis_percent)
        [marker] = self.chart.legend().markers(line)
        marker.setShape(QLegend.MarkerShape.MarkerShapeFromSeries)  # the line with its shape, not a square
        if not first:  # one legend entry per measure, however many pieces its line has
            marker.setVisible(False)
        line.hovered.connect(lambda point, state, k=key: state and QToolTip.showText(
            _cursor(), _point_text(self.trends.get(k), self.trends, round(point.x()))))
        return line

    def _on_bar_hovered(self, state: bool, index: int) -> None:
        counts = self.trends.get(COUNT_TREND)
        if state and 0 <= index < len(self.trends.months):
            QToolTip.showText(_cursor(), f"{counts.title} {self.trends.months[index].label()}: "
                                         f"{format_value(counts.values[index], counts.unit)}")


def marker_image(shape: str, colour: str) -> QImage:
    """A trend line's point: a white-edged shape in the line's colour, sharp on a high-DPI screen. Lines are
    told apart by shape as well as colour (the legend shows the shapes); dashed lines did the same, but
    stroking them with antialiasing took 5 of the trend chart's 7 ms of painting."""
    ratio = QGuiApplication.instance().devicePixelRatio() if QGuiApplication.instance() else 1.0
    side = round(MARKER_SIZE * ratio)
    image = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    image.setDevicePixelRatio(ratio)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#ffffff"), 1))
    painter.setBrush(QColor(colour))
    low, high, middle = 1.0, MARKER_SIZE - 1.0, MARKER_SIZE / 2
    if shape == "square":
        painter.drawRect(QRectF(1.5, 1.5, MARKER_SIZE - 3, MARKER_SIZE - 3))
    elif shape == "triangle":
        painter.drawPolygon(QPolygonF([QPointF(middle, low), QPointF(high, high), QPointF(low, high)]))
    elif shape == "diamond":
        painter.drawPolygon(QPolygonF([QPointF(middle, low), QPointF(high, middle), QPointF(middle, high),
                                       QPointF(low, middle)]))
    else:
        painter.drawEllipse(QRectF(low, low, high - low, high - low))
    painter.end()
    return image


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
    label_format = "%d" if step >= 1 else "%.1f"
    if axis.labelFormat() != label_format:  # setting it, even unchanged, lays the chart out again
        axis.setLabelFormat(label_format)


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


class BreakdownChart:
    """A breakdown's chart column: `draw` puts a breakdown's rows into the chart and says whether it had any
    to draw; a click on a bar or a slice calls on_row(breakdown, row)."""

    def __init__(self, on_row: Callable[[Breakdown, BreakdownRow], None]):
        self.chart = _chart()
        self.breakdown: Breakdown | None = None
        self.rows: list[BreakdownRow] = []  # in the order of the bars or slices
        self._on_row = on_row

    def _value(self, row: BreakdownRow) -> Decimal:
        return row.values[self.breakdown.chart_column or 0]

    def _unit(self) -> str:
        return self.breakdown.columns[self.breakdown.chart_column or 0].unit

    def _clicked(self, index: int) -> None:
        if 0 <= index < len(self.rows):
            self._on_row(self.breakdown, self.rows[index])


class BarChart(BreakdownChart):
    """Horizontal bars, the largest on top (at most MAX_BARS), each labelled with its value."""

    def __init__(self, on_row: Callable[[Breakdown, BreakdownRow], None]):
        super().__init__(on_row)
        self.chart.legend().hide()
        self.bar_set = QBarSet("")
        self.bar_set.setColor(QColor(PALETTE[0]))
        self.bar_set.setBorderColor(QColor(PALETTE[0]))
        self.bar_set.setLabelColor(QColor("#202124"))
        series = QHorizontalBarSeries()
        series.append(self.bar_set)
        series.setBarWidth(0.7)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setLabelsFormat("@value")
        self.chart.addSeries(series)
        self.axis_y = QBarCategoryAxis()
        self.axis_x = QValueAxis()
        self.chart.addAxis(self.axis_y, Qt.AlignmentFlag.AlignLeft)
        self.chart.addAxis(self.axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(self.axis_y)
        series.attachAxis(self.axis_x)
        self.bar_set.clicked.connect(self._clicked)
        self.bar_set.hovered.connect(self._on_hovered)

    def draw(self, breakdown: Breakdown) -> bool:
        self.breakdown = breakdown
        rows = [r for r in breakdown.rows if (self._value(r) or 0) > 0][:MAX_BARS]
        rows.reverse()  # a horizontal bar chart draws its first category at the bottom
        self.rows = rows
        if not rows:
            return False
        _set_label(self.bar_set, breakdown.columns[breakdown.chart_column or 0].title)
        values = [float(self._value(r)) for r in rows]
        _set_bars(self.bar_set, values)
        _set_categories(self.axis_y, [_short(r.label) for r in rows])
        _nice_axis(self.axis_x, max(values) * 1.2, whole=self._unit() == "count")
        return True

    def _on_hovered(self, state: bool, index: int) -> None:
        if state and 0 <= index < len(self.rows):
            row = self.rows[index]
            QToolTip.showText(_cursor(), f"{row.label}: {format_value(self._value(row), self._unit())}")


class PieChart(BreakdownChart):
    """A pie: each slice's share on it (where it fits), the legend naming it with its amount."""

    def __init__(self, on_row: Callable[[Breakdown, BreakdownRow], None]):
        super().__init__(on_row)
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        self.series = QPieSeries()
        self.series.setPieSize(0.8)
        self.chart.addSeries(self.series)

    def draw(self, breakdown: Breakdown) -> bool:
        self.breakdown = breakdown
        self.rows = [r for r in breakdown.rows if (self._value(r) or 0) > 0]
        if not self.rows:
            return False
        unit = self._unit()
        total = sum((self._value(r) for r in self.rows), Decimal(0))
        pieces = self.series.slices()
        for piece in pieces[len(self.rows):]:
            self.series.remove(piece)
        for number, row in enumerate(self.rows):
            share = self._value(row) * 100 / total
            label, value = f"{share:.0f}%", float(self._value(row))
            if number >= len(pieces):
                piece = self._add_slice(number, label, value)
            else:  # each setter lays the chart out again, even with the value it has
                piece = pieces[number]
                if piece.label() != label:
                    piece.setLabel(label)
                if piece.value() != value:
                    piece.setValue(value)
            if piece.isLabelVisible() != (share >= 8):
                piece.setLabelVisible(share >= 8)  # the share on the slice where it fits
        for marker, row in zip(self.chart.legend().markers(self.series), self.rows, strict=True):
            label = f"{_short(row.label)}  {format_value(self._value(row), unit)}"
            if marker.label() != label:
                marker.setLabel(label)
        return True

    def _add_slice(self, number: int, label: str, value: float) -> QPieSlice:
        piece = self.series.append(label, value)
        piece.setColor(QColor(PALETTE[number % len(PALETTE)]))
        piece.setBorderColor(QColor("#ffffff"))
        piece.setLabelPosition(QPieSlice.LabelPosition.LabelInsideNormal)
        piece.setLabelColor(QColor("#ffffff"))
        piece.clicked.connect(lambda n=number: self._clicked(n))
        piece.hovered.connect(lambda state, p=piece: p.setExploded(state))
        return piece


class EmptyLabel(QLabel):
    """The sentence shown instead of an empty drawing, in a white box like the charts'."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setContentsMargins(1, 1, 1, 1)  # inside the edge
        recolour(self, MUTED_COLOUR)

    def paintEvent(self, event: QPaintEvent) -> None:
        paint_box(self, QColor("#ffffff"), QColor(EDGE_COLOUR), 5)
        super().paintEvent(event)


class ChartPanel(QWidget):
    """A heading, an optional choice of what to draw, and the chart — or a sentence when there is nothing."""

    sig_choice_changed = Signal(str)

    def __init__(self, title: str, chart: QChart, parent: QWidget | None = None):
        super().__init__(parent)
        self.title_label = styled(QLabel(title, self), pixels=13, bold=True, colour=HEADING_COLOUR)
        self.choice_combo = QComboBox(self)
        self.choice_combo.hide()
        self._choices: list[tuple[str, str]] = []
        self.view = QChartView(chart, self)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(230)
        self.empty_label = EmptyLabel(self)
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
        if choices == self._choices:
            return
        self._choices = choices
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

    def show_chart(self, drawn: bool, empty_text: str = "") -> None:
        """The chart when something was drawn in it, otherwise `empty_text`."""
        if not drawn:
            self.empty_label.setText(empty_text)
        self.stack.setCurrentWidget(self.view if drawn else self.empty_label)

    def chart(self) -> QChart:
        return self.view.chart()

    def lay_out_chart(self) -> None:
        """The axes, series and legend of the chart on screen placed now, not from posted layout requests."""
        if self.view.isVisible():
            self.chart().layout().activate()
            self.chart().legend().layout().activate()
