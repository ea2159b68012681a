"""客户意见处理表 — the customer opinion handling form, one A4 page per complaint."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, SimpleDocTemplate, Spacer

from desktop.domain.amounts import amount_in_words, format_yuan
from desktop.domain.complaints import CostState
from desktop.domain.privacy import mask_phone
from desktop.services.complaint_costs import CostSummary
from desktop.services.complaints import ComplaintRecord
from reports.labels import BEARER, CHANNEL, CLASS, COST_KIND, RECOURSE, RESPONSE, SEVERITY, STATUS
from reports.pdf_common import A4_MARGIN, Styles, cn_date, form_table, iso_minute, signature_block

COST_STATE = {CostState.APPROVED: "已批准", CostState.PENDING: "待审批", CostState.REJECTED: "未批准"}


def render_complaint_form(
    complaint: ComplaintRecord,
    costs: CostSummary,
    *,
    branch_name: str,
    customer_phone: str,
    target: Path | BinaryIO,
    font: str | None = None,
    printed_at: datetime | None = None,
) -> None:
    s = Styles(font)
    width = A4[0] - 2 * A4_MARGIN
    quarter = [width * 0.15, width * 0.35, width * 0.15, width * 0.35]
    c = complaint
    story = [
        s.title(f"{branch_name}"),
        s.title("客户意见处理表", 18),
        form_table([[s.text(f"投诉编号：{c.number}"), s.right(f"登记日期：{cn_date(c.received_at)}")]],
                   [width / 2, width / 2], label_columns=()),
        Spacer(1, 2 * mm),
        form_table(
            [
                [s.label("客户名称"), s.text(c.customer_name), s.label("联系电话"), s.text(mask_phone(customer_phone))],
                [s.label("产品型号"), s.text(c.product_model), s.label("序列号"), s.text(c.serial_number)],
                [s.label("购买日期"), s.text(cn_date(c.purchase_date)), s.label("发票号码"), s.text(c.invoice_number)],
                [s.label("受理渠道"), s.text(CHANNEL[c.channel]), s.label("受理时间"), s.text(iso_minute(c.received_at))],
                [s.label("受理人"), s.text(c.received_by), s.label("负责人"), s.text(c.owner)],
                [s.label("投诉类别"), s.text(CLASS[c.classification]), s.label("严重程度"),
                 s.text(SEVERITY[c.severity] + ("（有安全隐患）" if c.safety_hazard else ""))],
                [s.label("问题描述"), s.text(c.description), "", ""],
                [s.label("客户诉求"), s.text(c.customer_request), "", ""],
                [s.label("初步评估"), s.text(c.assessment), "", ""],
            ],
            quarter,
            label_columns=(0, 2),
            spans=[((1, 6), (3, 6)), ((1, 7), (3, 7)), ((1, 8), (3, 8))],
        ),
        Spacer(1, 2 * mm),
        form_table(
            [
                [s.label("原因分析"), s.text(c.cause), "", ""],
                [s.label("责任部门"), s.text(c.responsible_department), s.label("责任人"), s.text(c.responsible_person)],
                *([[s.label("合同条款"), s.text(c.contract_clause), "", ""]] if c.contract_clause else []),
                *([[s.label("检验结论"), s.text(c.inspection_verdict), "", ""]] if c.inspection_verdict else []),
                [s.label("处理方式"), s.text(RESPONSE[c.response_type] if c.response_type else ""),
                 s.label("决定人"), s.text(c.decided_by)],
                [s.label("处理决定"), s.text(c.decision), "", ""],
                [s.label("客户意见"), s.text(_customer_answer(c)), "", ""],
                [s.label("处理状态"), s.text(STATUS[c.status]), s.label("结案日期"), s.text(cn_date(c.closed_at))],
            ],
            quarter,
            label_columns=(0, 2),
            spans=_full_width_spans(c),
        ),
        Spacer(1, 2 * mm),
        _cost_table(s, costs, width),
        Spacer(1, 6 * mm),
        signature_block(s, ["受理人", "责任部门", "分公司经理", "客户"], width),
        Spacer(1, 3 * mm),
        s.right(f"打印时间：{iso_minute(printed_at or datetime.now().astimezone())}", 7),
    ]
    document = SimpleDocTemplate(
        str(target) if isinstance(target, Path) else target, pagesize=A4, leftMargin=A4_MARGIN, rightMargin=A4_MARGIN, topMargin=12 * mm, bottomMargin=12 * mm,
        title=f"客户意见处理表 {c.number}", author=branch_name, subject=c.number,
    )
    # One page, always: a very long description shrinks the form rather than spilling onto a second sheet.
    document.build([KeepInFrame(width, A4[1] - 24 * mm, story, mode="shrink")])


def _customer_answer(c: ComplaintRecord) -> str:
    if c.customer_accepted is None:
        return ""
    text = "客户接受处理方案" if c.customer_accepted else "客户不接受处理方案"
    if c.recourse_told:
        text += "；已告知救济途径：" + "、".join(RECOURSE[r] for r in c.recourse_told)
    return text


def _full_width_spans(c: ComplaintRecord) -> list[tuple]:
    rows = ["cause", "dept"] + (["clause"] if c.contract_clause else []) + (["verdict"] if c.inspection_verdict else [])
    rows += ["type", "decision", "answer", "status"]
    return [((1, i), (3, i)) for i, name in enumerate(rows) if name in {"cause", "clause", "verdict", "decision", "answer"}]


def _cost_table(s: Styles, costs: CostSummary, width: float):
    header = [s.label(t) for t in ("费用类别", "金额（元）", "承担方", "摊销部门", "审批")]
    lines = [
        [s.text(COST_KIND[line.kind]), s.right(format_yuan(line.amount)), s.text(BEARER[line.bearer]),
         s.text(line.allocation_department), s.text(COST_STATE[line.state])]
        for line in costs.lines
    ] or [[s.text("无"), "", "", "", ""]]
    total = [s.label("合计（已批准）"), s.right(format_yuan(costs.approved_total)),
             s.text(f"大写：{amount_in_words(costs.approved_total)}"), "", ""]
    widths = [width * f for f in (0.18, 0.17, 0.2, 0.3, 0.15)]
    rows = [header, *lines, total]
    return form_table(rows, widths, label_columns=(), header_row=True, spans=[((2, len(rows) - 1), (4, len(rows) - 1))])
