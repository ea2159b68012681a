"""The Chinese words of the monthly KPI report (考核指标): what each figure and table is called on paper and
how it is computed, in the words the branch files. Printouts speak Chinese whatever the screen language,
so the report does not use the service's (translated) titles and formulas; the keys are the service's
(desktop/services/kpi.py documents each figure)."""

from __future__ import annotations

from decimal import Decimal

from desktop.domain.amounts import format_yuan
from desktop.domain.complaints import Bearer, ComplaintClass
from desktop.domain.kpi import Figure, KpiReport, Period
from desktop.domain.service_orders import OrderCategory
from reports.labels import BEARER, CLASS

# key → the figure's name on paper
FIGURES: dict[str, str] = {
    "satisfaction_rate": "客户满意率",
    "average_score": "平均满意度评分",
    "visit_response_rate": "回访响应率",
    "complaints_received": "受理投诉数",
    "complaint_rate": "投诉率",
    "consultation_response_median": "咨询响应时间（中位数）",
    "consultation_response_p90": "咨询响应时间（90分位数）",
    "resolution_rate": "投诉解决率",
    "repair_timeliness_rate": "维修及时率",
    "first_time_fix_rate": "一次修复率",
    "average_response_time": "平均响应时间",
    "fix_rate": "修复率",
    "parts_quantity": "备件消耗数量",
    "parts_value": "备件消耗金额",
    "complaint_costs": "投诉处理费用",
    "open_complaints": "未结投诉",
    "overdue_complaints": "超期未结投诉",
    "open_orders": "未完工服务单",
    "overdue_orders": "超期未完工服务单",
}

# The report's chapters: which figures belong together.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("客户满意度", ("satisfaction_rate", "average_score", "visit_response_rate")),
    ("投诉处理", ("complaints_received", "complaint_rate", "consultation_response_median",
                 "consultation_response_p90", "resolution_rate")),
    ("维修服务", ("repair_timeliness_rate", "first_time_fix_rate", "average_response_time", "fix_rate")),
    ("备件消耗与费用", ("parts_quantity", "parts_value", "complaint_costs")),
    ("未结事项", ("open_complaints", "overdue_complaints", "open_orders", "overdue_orders")),
)

# (numerator's name, denominator's name) of the ratios and averages
PARTS: dict[str, tuple[str, str]] = {
    "satisfaction_rate": ("评分达到“满意”的回访数", "本期完成并评分的回访数"),
    "average_score": ("评分合计", "本期完成并评分的回访数"),
    "visit_response_rate": ("已完成的回访数", "应回访数"),
    "complaint_rate": ("受理投诉数", "服务客户数"),
    "resolution_rate": ("结案为“已解决”的投诉数", "结案（已解决或未解决）的投诉数"),
    "repair_timeliness_rate": ("按时到达并按时完工的维修单数", "本期完工的维修单数"),
    "first_time_fix_rate": ("无遗留问题完工的维修单数", "本期完工的维修单数"),
    "average_response_time": ("响应时间合计，单位：小时", "本期到达现场的维修单数"),
    "fix_rate": ("已完工的服务单数", "应完工的服务单数"),
}

BREAKDOWNS: dict[str, str] = {
    "order_categories": "服务单类别（常见故障类型）",
    "complaint_classes": "投诉分类",
    "complaint_models": "投诉较多的产品型号",
    "top_parts": "备件消耗金额排名",
    "costs_by_bearer": "投诉费用（按承担方）",
    "costs_by_department": "投诉费用（按摊销部门）",
    "complaint_ageing": "未结投诉账龄",
    "order_ageing": "未完工服务单账龄",
}
COLUMNS = {"count": "数量", "share": "占比", "quantity": "消耗数量", "value": "金额（元）", "amount": "金额（元）",
           "open": "未结数", "overdue": "其中超期"}
CATEGORY = {
    OrderCategory.EMERGENCY_REPAIR: "紧急故障维修", OrderCategory.TROUBLESHOOTING: "一般故障排查",
    OrderCategory.PREVENTIVE: "定期预防性维护", OrderCategory.CONSULTATION: "技术咨询",
    OrderCategory.PARTS_REPLACEMENT: "备件更换", OrderCategory.INSTALLATION: "安装",
}
AGEING = {"0-2": "0–2天", "3-7": "3–7天", "8-30": "8–30天", ">30": "30天以上"}
COMPLAINT_RATE_BASE = {
    "customers_with_orders": "本期有服务单的客户数",
    "active_customers": "截至期末12个月内有服务单或投诉的客户数",
}


def cn_period(period: Period) -> str:
    """2026年10月 for a month, else 2026年10月1日至2026年10月15日."""
    if period.is_month:
        return f"{period.start.year}年{period.start.month}月"
    first, last = period.start, period.last_day
    return f"{first.year}年{first.month}月{first.day}日至{last.year}年{last.month}月{last.day}日"


def cn_value(value: Decimal | None, unit: str) -> str:
    """A figure as printed; "—" when it cannot be computed (nothing to divide by), never 0 %."""
    if value is None:
        return "—"
    if unit == "%":
        return f"{value:.2f}%"
    if unit == "h":
        return f"{value:.2f} 小时"
    if unit == "min":
        return f"{value:.0f} 分钟"
    if unit == "score":
        return f"{value:.2f} 分"
    if unit == "CNY":
        return format_yuan(value)
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value.normalize():,f}"


def cn_number(value: Decimal | None) -> str:
    if value is None:
        return "—"
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def target_text(figure: Figure) -> str:
    if figure.target is None:
        return ""
    return f"{'≤' if figure.target.at_most else '≥'} {cn_value(figure.target.value, figure.unit)}"


def met_text(figure: Figure) -> str:
    if figure.target is None:
        return ""
    return {True: "达标", False: "未达标", None: "无法判断"}[figure.met]


def formula(figure: Figure, report: KpiReport) -> str:
    """How the figure is computed, in the report's words, with the period's own parameters."""
    settings = report.settings
    as_of = report.as_of.astimezone()
    when = f"{as_of:%Y-%m-%d %H:%M}"
    last_due = min(report.period.end, as_of.date())
    texts = {
        "satisfaction_rate": f"本期完成的回访中评分达到{settings.satisfied_min_score}分及以上的回访数 ÷ 本期完成并评分的回访数 × 100%",
        "average_score": "本期完成的回访评分（1–5分）合计 ÷ 本期完成并评分的回访数",
        "visit_response_rate": f"已完成的回访数 ÷ 本期应回访数（应回访日在{last_due:%Y-%m-%d}之前）× 100%",
        "complaints_received": "本期受理的投诉数（重复登记的投诉计入原投诉，不重复计数）",
        "complaint_rate": f"本期受理投诉数 ÷ {COMPLAINT_RATE_BASE.get(settings.complaint_rate_base, '服务客户数')} × 100%",
        "consultation_response_median": "本期受理并已答复的投诉，（首次答复时间 － 受理时间）的中位数",
        "consultation_response_p90": "本期受理并已答复的投诉，（首次答复时间 － 受理时间）的第90百分位数（线性插值）",
        "resolution_rate": "本期结案为“已解决”的投诉数 ÷ 本期结案为“已解决”或“未解决”的投诉数 × 100%"
                           "（不受理、撤诉、重复登记不计）",
        "repair_timeliness_rate": "按约定时间到达并在承诺时间内完工的维修单数 ÷ 本期完工的维修单数 × 100%"
                                  "（维修单：紧急故障维修、一般故障排查、备件更换）",
        "first_time_fix_rate": "无遗留问题完工的维修单数 ÷ 本期完工的维修单数 × 100%",
        "average_response_time": "Σ（工程师到达现场时间 － 服务单登记时间）÷ 本期到达现场的维修单数",
        "fix_rate": f"已完工的服务单数 ÷ 承诺完工时间在本期内（截至{when}）的服务单数 × 100%（已取消的不计）",
        "parts_quantity": "本期出库 － 退库 － 冲销的备件数量合计（各计量单位直接相加）",
        "parts_value": "Σ 数量 × 批次单价（出库 － 退库 － 冲销）",
        "complaint_costs": "本期审批通过的投诉费用合计（按审批时间）",
        "open_complaints": f"截至{when}尚未结案的投诉数",
        "overdue_complaints": f"截至{when}已超过当时处理时限（首次答复、初步评估或处理完成）的未结投诉数",
        "open_orders": f"截至{when}尚未完工的服务单数（登记、已派工、在现场）",
        "overdue_orders": f"截至{when}已超过承诺完工时间、或超过预约时间工程师仍未到达的未完工服务单数",
    }
    return texts.get(figure.key, figure.formula)


def breakdown_formula(key: str, report: KpiReport) -> str:
    as_of = f"{report.as_of.astimezone():%Y-%m-%d %H:%M}"
    top = report.settings.top_n
    return {
        "order_categories": "本期登记的服务单按类别统计",
        "complaint_classes": "本期受理的投诉按分类统计（产品质量问题、非质量原因、咨询）",
        "complaint_models": f"本期受理投诉最多的前{top}个产品型号；占比为占全部受理投诉的比例",
        "top_parts": f"本期消耗金额最高的前{top}种备件：（出库 － 退库 － 冲销）数量 × 批次单价",
        "costs_by_bearer": "本期审批通过的投诉费用按承担方汇总（按审批时间）",
        "costs_by_department": "本期审批通过的投诉费用按摊销部门汇总（按审批时间）",
        "complaint_ageing": f"截至{as_of}未结投诉按受理后整天数分段",
        "order_ageing": f"截至{as_of}未完工服务单按登记后整天数分段",
    }.get(key, "")


def row_label(breakdown_key: str, key: str, label: str) -> str:
    """A breakdown row's name on paper: codes in Chinese, part and model names as they are."""
    if breakdown_key == "order_categories" and key in {c.value for c in OrderCategory}:
        return CATEGORY[OrderCategory(key)]
    if breakdown_key == "complaint_classes" and key in {c.value for c in ComplaintClass}:
        return CLASS[ComplaintClass(key)]
    if breakdown_key == "costs_by_bearer" and key in {b.value for b in Bearer}:
        return BEARER[Bearer(key)]
    if breakdown_key == "costs_by_department":
        return key or "（未分摊）"
    if breakdown_key == "complaint_models":
        return key or "（无型号）"
    if breakdown_key in ("complaint_ageing", "order_ageing"):
        return AGEING.get(key, label)
    return label
