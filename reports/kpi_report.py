"""月度考核指标报告 — the monthly KPI report as an A4 PDF, as a branch office files it: a cover (branch,
period, scope, who prepared it and when, signature lines), a summary table of every figure against its
target, the twelve-month trends as charts with their numbers, one section per KPI (value, target, formula,
numerator and denominator as numbers, and the "—" rule), and the breakdowns as tables with charts (fault
types, top parts, costs by bearer and department, ageing). Page header and "第 n 页 共 N 页" on every page.

KpiReport and KpiTrends in (desktop/domain/kpi.py), a file out; the words are Chinese whatever the screen
language (reports/kpi_labels.py). Charts are drawn with reportlab.graphics in the CJK font.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from desktop.domain.kpi import Breakdown, Figure, KpiReport, KpiTrends
from reports.kpi_labels import (
    BREAKDOWNS,
    COLUMNS,
    FIGURES,
    GROUPS,
    PARTS,
    breakdown_formula,
    cn_number,
    cn_period,
    cn_value,
    formula,
    met_text,
    row_label,
    target_text,
)
from reports.pdf_common import GRID, Styles, escape, form_table, signature_block

TITLE = "售后服务月度考核指标报告"
RANGE_TITLE = "售后服务考核指标报告"  # a range of days rather than a month
MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
PALETTE = [colors.HexColor(c) for c in ("#1F4E79", "#C0504D", "#4F8A3C", "#E08A1E", "#7B5AA6", "#2E8B9A",
                                        "#8C6D46", "#D16BA5", "#6B7B8C", "#B5A33A")]
MET_COLOUR = {True: colors.HexColor("#2E7D32"), False: colors.HexColor("#C62828")}
TREND_RATIOS = ("satisfaction_rate", "repair_timeliness_rate", "first_time_fix_rate", "resolution_rate")
CHINESE_NUMERALS = "一二三四五六七八九十"


def render_kpi_report(report: KpiReport, trends: KpiTrends, *, branch_code: str, branch_name: str,
                      prepared_by: str, target: Path | BinaryIO, font: str | None = None,
                      printed_at: datetime | None = None) -> int:
    """Write the report; returns the number of pages."""
    s = Styles(font)
    printed = (printed_at or datetime.now()).astimezone()
    period = cn_period(report.period)
    story = [*_cover(s, report, branch_code, branch_name, prepared_by, printed), PageBreak()]
    chapter = iter(CHINESE_NUMERALS)
    story += _summary(s, report, next(chapter))
    story += _trends(s, trends, next(chapter))
    story += _sections(s, report, next(chapter))
    story += _breakdowns(s, report, next(chapter))
    story += [Spacer(1, 6 * mm), s.text("注：比率或平均值的分母为0时显示为“—”，表示本期没有可计算的记录，不是0%。", 8)]
    header = f"{branch_name}（{branch_code}）"
    title = _title(report)
    right = f"{title} · {period}" + (f" · 工程师：{report.engineer_name}" if report.engineer_name else "")
    pages: list[int] = []
    document = SimpleDocTemplate(
        str(target) if isinstance(target, Path) else target, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=20 * mm, bottomMargin=16 * mm, title=f"{title} {period}", author=branch_name,
        subject=f"{branch_code} {report.period.label()}", creator="BranchDesk")
    document.build(story, canvasmaker=_numbered_canvas(s.font, header, right, pages))
    return pages[0]


# -- cover and summary --------------------------------------------------------------------------------------


def _frozen(report: KpiReport) -> str:
    if report.frozen_at is None:
        return "未锁定（打印时实时计算）"
    return f"{report.frozen_at.astimezone():%Y-%m-%d %H:%M} 月度结账锁定（此后补录不改变本期指标）"


def _cover(s: Styles, report: KpiReport, branch_code: str, branch_name: str, prepared_by: str,
           printed: datetime) -> list:
    first, last = report.period.start, report.period.last_day
    scope = f"工程师：{report.engineer_name}" if report.engineer_name else "全分公司"
    as_of = report.as_of.astimezone()
    rows = [
        [s.label("单位名称", 11), s.text(branch_name, 11)],
        [s.label("单位代码", 11), s.text(branch_code, 11)],
        [s.label("统计期间", 11), s.text(f"{first.year}年{first.month}月{first.day}日 至 "
                                      f"{last.year}年{last.month}月{last.day}日", 11)],
        [s.label("统计范围", 11), s.text(scope, 11)],
        [s.label("数据截至", 11), s.text(f"{as_of:%Y-%m-%d %H:%M}", 11)],
        [s.label("数据锁定", 11), s.text(_frozen(report), 11)],
        [s.label("编制人", 11), s.text(prepared_by, 11)],
        [s.label("生成时间", 11), s.text(f"{printed:%Y-%m-%d %H:%M}", 11)],
    ]
    info = form_table(rows, [32 * mm, 98 * mm])
    info.hAlign = "CENTER"
    info.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    centred = s.style(12, align=TA_CENTER, leading=18)
    return [
        Spacer(1, 30 * mm),
        s.title(branch_name, 20),
        Spacer(1, 6 * mm),
        s.title(_title(report), 24),
        Spacer(1, 4 * mm),
        s.title(cn_period(report.period), 18),
        Spacer(1, 4 * mm),
        Paragraph(escape(scope), centred),
        Spacer(1, 22 * mm),
        info,
        Spacer(1, 30 * mm),
        signature_block(s, ["编制", "审核", "分公司经理"], WIDTH),
        Spacer(1, 12 * mm),
        Paragraph(escape("本报告由售后服务台系统根据业务记录自动统计生成；每项指标的计算公式、分子和分母见正文。"),
                  s.style(8, align=TA_CENTER)),
    ]


def _title(report: KpiReport) -> str:
    return TITLE if report.period.is_month else RANGE_TITLE


def _heading(s: Styles, text: str, size: float = 14) -> Paragraph:
    style = s.style(size, leading=size * 1.6)
    style.spaceBefore, style.spaceAfter = size * 0.6, size * 0.3
    return Paragraph(escape(text), style)


def _summary(s: Styles, report: KpiReport, number: str) -> list:
    header = [s.label(t, 8.5) for t in ("指标", "本期", "目标", "达标情况", "分子 / 分母")]
    rows, spans, group_rows = [header], [], []
    for group, keys in GROUPS:
        group_rows.append(len(rows))
        spans.append(((0, len(rows)), (-1, len(rows))))
        rows.append([s.label(group, 8.5), "", "", "", ""])
        for key in keys:
            figure = _figure(report, key)
            if figure is None:
                continue
            parts = "" if figure.denominator is None else f"{cn_number(figure.numerator)} / {cn_number(figure.denominator)}"
            rows.append([s.text("　" + FIGURES.get(key, figure.title), 8.5), s.right(cn_value(figure.value, figure.unit), 8.5),
                         s.text(target_text(figure), 8.5), _met(s, figure, 8.5), s.right(parts, 8.5)])
    table = form_table(rows, [WIDTH * f for f in (0.34, 0.18, 0.16, 0.12, 0.20)], label_columns=(), header_row=True,
                       spans=spans)
    table.setStyle(TableStyle([("BACKGROUND", (0, r), (-1, r), colors.HexColor("#F5F5F5")) for r in group_rows]))
    table.repeatRows = 1
    return [_heading(s, f"{number}、指标汇总"), table]


def _met(s: Styles, figure: Figure, size: float = 9) -> Paragraph:
    return Paragraph(_met_markup(figure), s.style(size))


def _met_markup(figure: Figure) -> str:
    """达标 in green, 未达标 in red (Paragraph text ignores a table's TEXTCOLOR)."""
    text = escape(met_text(figure))
    if figure.met is not None:
        text = f'<font color="{MET_COLOUR[figure.met].hexval()}">{text}</font>'
    return text


def _figure(report: KpiReport, key: str) -> Figure | None:
    try:
        return report.figure(key)
    except KeyError:
        return None


# -- trends ---------------------------------------------------------------------------------------------------


def _trends(s: Styles, trends: KpiTrends, number: str) -> list:
    months = trends.months
    names = [f"{p.start.month}月" if p.start.month != 1 and i else f"{p.start.year}年{p.start.month}月"
             for i, p in enumerate(months)]
    ratios = [(FIGURES[key], [_float(v) for v in trends.get(key).values]) for key in TREND_RATIOS
              if key in {x.key for x in trends.series}]
    counts = [_float(v) or 0.0 for v in trends.get("complaints_received").values]
    story = [CondPageBreak(120 * mm), _heading(s, f"{number}、近{len(months)}个月趋势"),
             s.text(f"{cn_period(months[0])}至{cn_period(months[-1])}，每月数值与该月报告一致；"
                    "当月分母为0的比率不画点（表中为“—”）。", 8.5), Spacer(1, 2 * mm),
             _line_chart(s.font, names, ratios, WIDTH, 62 * mm), Spacer(1, 3 * mm),
             s.text("受理投诉数（件）", 9), _column_chart(s.font, names, counts, WIDTH, 42 * mm), Spacer(1, 3 * mm)]
    header = [s.label("指标", 7)] + [Paragraph(f"{p.start:%Y}<br/>{p.start:%m}月", s.style(6.5, align=TA_CENTER))
                                    for p in months]
    rows = [header]
    for key in (*TREND_RATIOS, "complaints_received"):
        series = trends.get(key)
        rows.append([s.text(FIGURES[key], 7)] + [Paragraph(cn_value(v, series.unit).replace("%", ""),
                                                           s.style(6.5, align=TA_CENTER)) for v in series.values])
    first = WIDTH * 0.16
    table = form_table(rows, [first] + [(WIDTH - first) / len(months)] * len(months), header_row=True)
    story += [table, s.text("比率单位为%。", 7)]
    return story


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _line_chart(font: str, names: list[str], series: list[tuple[str, list[float | None]]], width: float,
                height: float) -> Drawing:
    """Percent lines over the months, broken where a month has no value; a legend underneath."""
    drawing = Drawing(width, height)
    left, right, bottom, top = 34, 8, 40, 8
    plot_w, plot_h = width - left - right, height - bottom - top
    step = plot_w / max(len(names), 1)
    # The axis starts below the lowest value (in tens) so that a few points' change can be seen.
    lowest = min((v for _, values in series for v in values if v is not None), default=0.0)
    floor = 0 if lowest < 40 else int((lowest - 5) // 10 * 10)
    span = 100 - floor
    for value in range(floor, 101, 10 if span <= 50 else 20):
        y = bottom + plot_h * (value - floor) / span
        drawing.add(Line(left, y, left + plot_w, y, strokeColor=colors.HexColor("#DDDDDD"), strokeWidth=0.5))
        drawing.add(String(left - 4, y - 3, f"{value}%", fontName=font, fontSize=7, textAnchor="end"))
    drawing.add(Line(left, bottom, left + plot_w, bottom, strokeColor=GRID, strokeWidth=0.7))
    for index, name in enumerate(names):
        x = left + step * (index + 0.5)
        drawing.add(String(x, bottom - 11, name, fontName=font, fontSize=6.5, textAnchor="middle"))
    for number, (title, values) in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        run: list[float] = []
        points = [(left + step * (i + 0.5), None if v is None else bottom + plot_h * (min(max(v, floor), 100) - floor) / span)
                  for i, v in enumerate(values)]
        for x, y in [*points, (None, None)]:
            if y is None:
                if len(run) >= 4:
                    drawing.add(PolyLine(run, strokeColor=colour, strokeWidth=1.3))
                run = []
                continue
            run += [x, y]
            drawing.add(_point_mark(number, x, y, colour))
        legend_x = left + number * (plot_w / max(len(series), 1))
        drawing.add(Line(legend_x, 10, legend_x + 14, 10, strokeColor=colour, strokeWidth=1.5))
        drawing.add(_point_mark(number, legend_x + 7, 10, colour))
        drawing.add(String(legend_x + 18, 7, title, fontName=font, fontSize=7.5))
    return drawing


def _point_mark(number: int, x: float, y: float, colour, size: float = 2.2):
    """A line's point: circle, square, triangle or diamond by the line's place, so that the lines can be told
    apart on a black-and-white printout too (the screen's trend chart uses the same shapes)."""
    shape = number % 4
    if shape == 0:
        return Circle(x, y, size, fillColor=colour, strokeColor=colour)
    if shape == 1:
        return Rect(x - size, y - size, 2 * size, 2 * size, fillColor=colour, strokeColor=colour)
    points = ([x, y + size * 1.2, x + size * 1.1, y - size, x - size * 1.1, y - size] if shape == 2 else
              [x, y + size * 1.3, x + size * 1.3, y, x, y - size * 1.3, x - size * 1.3, y])
    return Polygon(points, fillColor=colour, strokeColor=colour)


def _column_chart(font: str, names: list[str], values: list[float], width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 34, 16, width - 42, height - 24
    chart.data = [values]
    chart.bars[0].fillColor = PALETTE[0]
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%.0f"
    chart.barLabels.fontName, chart.barLabels.fontSize, chart.barLabels.nudge = font, 6.5, 6
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = font, 6.5
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = font, 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(max(values, default=0) * 1.2, 5)
    chart.valueAxis.labelTextFormat = "%.0f"
    drawing.add(chart)
    return drawing


# -- one section per KPI ------------------------------------------------------------------------------------


def _sections(s: Styles, report: KpiReport, number: str) -> list:
    story = [PageBreak(), _heading(s, f"{number}、各项指标计算说明")]
    for index, (group, keys) in enumerate(GROUPS, start=1):
        story.append(_heading(s, f"（{CHINESE_NUMERALS[index - 1]}）{group}", 12))
        for key in keys:
            figure = _figure(report, key)
            if figure is not None:
                story.append(KeepTogether([_section(s, report, figure), Spacer(1, 3 * mm)]))
    return story


def _section(s: Styles, report: KpiReport, figure: Figure) -> Table:
    title = FIGURES.get(figure.key, figure.title)
    value = cn_value(figure.value, figure.unit)
    big = s.style(12, leading=15)
    rows = [[s.label(title, 10.5), "", "", ""],
            [s.label("本期数值"), Paragraph(escape(value), big), s.label("目标"),
             _met_paragraph(s, figure) if figure.target else s.text("—（不设目标）")]]
    spans = [((0, 0), (3, 0))]
    rows.append([s.label("计算公式"), s.text(formula(figure, report)), "", ""])
    spans.append(((1, 2), (3, 2)))
    if figure.denominator is not None:
        numerator_name, denominator_name = PARTS.get(figure.key, ("分子", "分母"))
        rows.append([s.label("分子"), s.text(f"{cn_number(figure.numerator)}（{numerator_name}）"),
                     s.label("分母"), s.text(f"{cn_number(figure.denominator)}（{denominator_name}）")])
        rows.append([s.label("计算"), s.text(_calculation(figure)), "", ""])
        spans.append(((1, len(rows) - 1), (3, len(rows) - 1)))
    elif figure.sample is not None:
        rows.append([s.label("样本"), s.text(f"{figure.sample:,} 件"), "", ""])
        spans.append(((1, len(rows) - 1), (3, len(rows) - 1)))
    if figure.value is None:
        rows.append([s.label("说明"), s.text("本期分母为0（没有可计算的记录），指标显示为“—”，不按0%计。"), "", ""])
        spans.append(((1, len(rows) - 1), (3, len(rows) - 1)))
    table = form_table(rows, [WIDTH * f for f in (0.14, 0.36, 0.12, 0.38)], label_columns=(0, 2), spans=spans)
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E3EAF2"))]))
    return table


def _met_paragraph(s: Styles, figure: Figure) -> Paragraph:
    return Paragraph(f"{escape(target_text(figure))}　{_met_markup(figure)}", s.style(9))


def _calculation(figure: Figure) -> str:
    numerator, denominator = cn_number(figure.numerator), cn_number(figure.denominator)
    if figure.value is None:
        return f"{numerator} ÷ {denominator}：分母为0，无法计算，记为“—”"
    if figure.unit == "%":
        return f"{numerator} ÷ {denominator} × 100% = {cn_value(figure.value, figure.unit)}"
    return f"{numerator} ÷ {denominator} = {cn_value(figure.value, figure.unit)}"


# -- breakdowns ---------------------------------------------------------------------------------------------


def _breakdowns(s: Styles, report: KpiReport, number: str) -> list:
    story = [PageBreak(), _heading(s, f"{number}、分类统计")]
    order = ("order_categories", "complaint_classes", "complaint_models", "top_parts", "costs_by_bearer",
             "costs_by_department", "complaint_ageing", "order_ageing")
    known = {b.key: b for b in report.breakdowns}
    keys = [k for k in order if k in known] + [b.key for b in report.breakdowns if b.key not in order]
    for index, key in enumerate(keys, start=1):
        breakdown = known[key]
        block = [_heading(s, f"（{CHINESE_NUMERALS[(index - 1) % 10]}）{BREAKDOWNS.get(key, breakdown.title)}", 12),
                 s.text(breakdown_formula(key, report) or breakdown.formula, 8.5), Spacer(1, 1.5 * mm),
                 _breakdown_table(s, breakdown)]
        chart = _breakdown_chart(s, breakdown)
        if chart is not None:
            block += [Spacer(1, 2 * mm), chart]
        story += [KeepTogether(block), Spacer(1, 4 * mm)]
    return story


def _breakdown_table(s: Styles, breakdown: Breakdown) -> Table:
    ranked = breakdown.key in ("top_parts", "complaint_models")
    header = ([s.label("序号", 8.5)] if ranked else []) + [s.label("项目", 8.5)] + [
        s.label(COLUMNS.get(c.key, c.title), 8.5) for c in breakdown.columns]
    rows = [header]
    for n, row in enumerate(breakdown.rows, start=1):
        cells = [s.text(str(n), 8.5)] if ranked else []
        cells.append(s.text(row_label(breakdown.key, row.key, row.label), 8.5))
        cells += [s.right(_cell_text(value, column.unit), 8.5) for value, column in zip(row.values, breakdown.columns,
                                                                                         strict=True)]
        rows.append(cells)
    if not breakdown.rows:
        rows.append(([""] if ranked else []) + [s.text("本期无数据", 8.5)] + [""] * len(breakdown.columns))
    elif breakdown.key in ("costs_by_bearer", "costs_by_department", "complaint_ageing", "order_ageing",
                           "order_categories", "complaint_classes"):
        totals = [s.right(_cell_text(breakdown.total(i), c.unit) if c.unit != "%" else "100.00%", 8.5)
                  for i, c in enumerate(breakdown.columns)]
        rows.append([s.label("合计", 8.5)] + totals)
    label_share = 0.5 if ranked else 0.46
    rest = (1 - label_share - (0.08 if ranked else 0)) / len(breakdown.columns)
    widths = ([0.08] if ranked else []) + [label_share] + [rest] * len(breakdown.columns)
    table = form_table(rows, [WIDTH * w for w in widths], label_columns=(), header_row=True)
    table.repeatRows = 1
    return table


def _cell_text(value: Decimal | None, unit: str) -> str:
    if unit == "CNY":
        return "—" if value is None else f"{value:,.2f}"
    if unit == "count" and value is not None and value != value.to_integral_value():
        return f"{value:,.2f}"
    return cn_value(value, unit)


def _breakdown_chart(s: Styles, breakdown: Breakdown) -> Drawing | None:
    if breakdown.chart_column is None or not breakdown.rows:
        return None
    labels = [row_label(breakdown.key, row.key, row.label) for row in breakdown.rows]
    values = [float(row.values[breakdown.chart_column] or 0) for row in breakdown.rows]
    if breakdown.key == "costs_by_department":
        return _pie_chart(s.font, labels, values, [row.values[1] for row in breakdown.rows])
    if breakdown.key in ("order_categories", "complaint_models", "top_parts", "complaint_classes", "costs_by_bearer"):
        money = breakdown.columns[breakdown.chart_column].unit == "CNY"
        return _bar_chart(s.font, labels, values, money)
    return None


def _bar_chart(font: str, labels: list[str], values: list[float], money: bool) -> Drawing:
    """Horizontal bars, the largest on top, the value at the end of each bar."""
    labels, values = labels[::-1], values[::-1]
    bar = 13
    height = 16 + bar * len(values)
    drawing = Drawing(WIDTH, height)
    chart = HorizontalBarChart()
    label_room = min(max(len(label) for label in labels) * 7.5 + 10, WIDTH * 0.45)
    chart.x, chart.y, chart.width, chart.height = label_room, 8, WIDTH - label_room - 60, bar * len(values)
    chart.data = [values]
    chart.bars[0].fillColor, chart.bars[0].strokeColor = PALETTE[0], None
    chart.barWidth = bar * 0.7
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = font, 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.visibleTicks = False
    chart.categoryAxis.strokeColor = GRID
    chart.valueAxis.visible = False
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(values, default=1) or 1
    chart.barLabelFormat = (lambda v: f"{v:,.2f}") if money else (lambda v: f"{v:,.0f}")
    chart.barLabels.fontName, chart.barLabels.fontSize = font, 7
    chart.barLabels.boxAnchor, chart.barLabels.dx = "w", 3
    drawing.add(chart)
    return drawing


def _pie_chart(font: str, labels: list[str], values: list[float], shares: list[Decimal | None]) -> Drawing:
    height = max(55 * mm, 14 * len(values) + 20)
    drawing = Drawing(WIDTH, height)
    pie = Pie()
    size = 48 * mm
    pie.x, pie.y, pie.width, pie.height = 20, (height - size) / 2, size, size
    pie.data = [v if v > 0 else 0.0001 for v in values]
    pie.slices.strokeColor, pie.slices.strokeWidth = colors.white, 0.5
    pie.sideLabels = False
    for index in range(len(values)):
        pie.slices[index].fillColor = PALETTE[index % len(PALETTE)]
    drawing.add(pie)
    x, top = 20 + size + 30, height - 14
    for index, (label, share) in enumerate(zip(labels, shares, strict=True)):
        y = top - 14 * index
        drawing.add(Rect(x, y, 8, 8, fillColor=PALETTE[index % len(PALETTE)], strokeColor=None))
        drawing.add(String(x + 13, y + 1, f"{label}  {cn_value(share, '%')}", fontName=font, fontSize=8))
    return drawing


# -- pages ----------------------------------------------------------------------------------------------------


def _numbered_canvas(font: str, header: str, right: str, pages: list[int]):
    """A canvas that knows the page count when it saves: 第 n 页 共 N 页 on every page, the header on all
    but the cover."""

    class NumberedCanvas(pdf_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._saved: list[dict] = []

        def showPage(self):  # noqa: N802 - ReportLab's name
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._saved)
            pages.append(total)
            for number, state in enumerate(self._saved, start=1):
                self.__dict__.update(state)
                self._decorate(number, total)
                super().showPage()
            super().save()

        def _decorate(self, number: int, total: int) -> None:
            width, height = A4
            self.saveState()
            self.setFont(font, 8)
            self.setFillColor(colors.HexColor("#555555"))
            if number > 1:
                self.drawString(MARGIN, height - 12 * mm, header)
                self.drawRightString(width - MARGIN, height - 12 * mm, right)
                self.setStrokeColor(GRID)
                self.setLineWidth(0.5)
                self.line(MARGIN, height - 13.5 * mm, width - MARGIN, height - 13.5 * mm)
            self.drawCentredString(width / 2, 9 * mm, f"第 {number} 页  共 {total} 页")
            self.restoreState()

    return NumberedCanvas

