"""售后服务单 — the service slip, and the blank customer sign-off sheet (客户签收单) in the same layout.
One A4 page: branch and order number with its QR code, customer and unit, the request, the work done, the
parts, the fees in figures and in capital numerals, the signatures, the branch seal area."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepInFrame, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from desktop.domain.amounts import amount_in_words, format_yuan
from desktop.domain.privacy import mask_phone
from desktop.services.service_orders import OrderRecord
from reports.pdf_common import A4_MARGIN, Styles, cn_date, form_table, iso_minute

CATEGORY = {"emergency_repair": "紧急故障维修", "troubleshooting": "一般故障排查", "preventive": "定期预防性维护",
            "consultation": "技术咨询", "parts_replacement": "备件更换", "installation": "安装"}
COVERAGE = {"sanbao_return": "三包（退换修）", "sanbao_exchange": "三包（换修）", "repeated_repair": "三包（换货或退货）",
            "parts_unavailable": "三包（换货）", "warranty": "保修期内免费", "main_part_warranty": "主要部件保修",
            "contract": "合同保修", "excluded": "不属三包，收费", "chargeable": "收费服务"}
OLD_PART = {"returned": "旧件已回收", "scrapped": "旧件报废", "kept": "旧件交客户"}


def qr_code(text: str, size: float) -> Drawing:
    widget = QrCodeWidget(text)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    return drawing


def render_service_slip(order: OrderRecord, *, branch_name: str, target: Path, signatures: dict[str, bytes] | None = None,
                        blank: bool = False, copy: str = "客户联", font: str | None = None) -> None:
    """`signatures` maps "customer"/"engineer" to PNG images; `blank` prints empty signature and date lines
    (the sign-off sheet) instead."""
    s = Styles(font)
    width = A4[0] - 2 * A4_MARGIN
    title = "客户签收单" if blank else "售后服务单"
    header = Table([[[s.title(branch_name, 13), s.title(title, 18), s.text(f"单号：{order.number}"
                                                                          + (f"（第{order.revision}版）" if order.revision > 1 else ""))],
                     qr_code(order.number, 24 * mm)]], colWidths=[width - 28 * mm, 28 * mm])
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    quarter = [width * 0.15, width * 0.35, width * 0.15, width * 0.35]
    info = form_table([
        [s.label("客户单位"), s.text(order.customer_name), s.label("联系人"), s.text(order.contact_name)],
        [s.label("联系电话"), s.text(mask_phone(order.contact_phone)), s.label("项目/合同"), s.text(order.project)],
        [s.label("设备型号"), s.text(order.product_model), s.label("序列号"), s.text(order.serial_number)],
        [s.label("服务类别"), s.text(CATEGORY.get(order.category.value, order.category.value)), s.label("服务性质"),
         s.text(COVERAGE.get(order.coverage_decided.value, order.coverage_decided.value))],
        [s.label("服务需求"), s.text(order.request), "", ""],
        [s.label("故障诊断"), s.text(order.diagnosis), "", ""],
        [s.label("处理措施"), s.text(order.measures), "", ""],
        [s.label("遗留问题"), s.text(order.remaining_issues or "无"), "", ""],
        [s.label("使用建议"), s.text(order.advice), "", ""],
        [s.label("服务工程师"), s.text(order.engineer), s.label("到达 / 完成"),
         s.text(f"{iso_minute(order.arrived_at)} / {iso_minute(order.finished_at)}")],
    ], quarter, label_columns=(0, 2), spans=[((1, r), (3, r)) for r in range(4, 9)])
    part_rows = [[s.text(code), s.text(name), s.right(f"{q.normalize():f}"), s.right(format_yuan(price)),
                  s.right(format_yuan(q * price)), s.text(OLD_PART.get(old, old))] for code, name, q, price, old in order.parts]
    parts = form_table([[s.label(t) for t in ("配件编码", "名称", "数量", "单价", "金额", "旧件")],
                        *(part_rows or [[s.text("无")] + [""] * 5])],
                       [width * f for f in (0.18, 0.28, 0.09, 0.15, 0.15, 0.15)], label_columns=(), header_row=True)
    fees = form_table([
        [s.label("人工费"), s.right(format_yuan(order.labour_fee)), s.label("配件费"), s.right(format_yuan(order.parts_total)),
         s.label("其他"), s.right(format_yuan(order.other_fee))],
        [s.label("合计"), s.right(format_yuan(order.total)), s.text(f"大写：{amount_in_words(order.total)}"), "", "", ""],
    ], [width * f for f in (0.1, 0.17, 0.12, 0.2, 0.1, 0.31)], label_columns=(0,), spans=[((2, 1), (5, 1))])
    story = [header, Spacer(1, 2 * mm), info, Spacer(1, 2 * mm), parts, Spacer(1, 2 * mm), fees, Spacer(1, 4 * mm),
             _signature_table(s, width, order, signatures or {}, blank), Spacer(1, 2 * mm),
             s.text("客户确认：以上服务已完成，设备经自检运行正常，本人对服务内容及费用无异议。", 8),
             s.right(f"{copy}    打印时间：{iso_minute(datetime.now().astimezone())}", 7)]
    SimpleDocTemplate(str(target), pagesize=A4, leftMargin=A4_MARGIN, rightMargin=A4_MARGIN, topMargin=10 * mm,
                      bottomMargin=10 * mm, title=f"{title} {order.number}").build(
        [KeepInFrame(width, A4[1] - 20 * mm, story, mode="shrink")])


def _date_line(s: Styles) -> Paragraph:
    gap = "&nbsp;" * 6
    return Paragraph(f"日期：{gap}年{gap}月{gap}日", s.style(9))


def _signature_table(s: Styles, width: float, order: OrderRecord, images: dict[str, bytes], blank: bool) -> Table:
    signed = {role: (name, at) for role, name, at in order.signatures}

    def cell(role: str, label: str):
        if blank or role not in images:
            return [s.text(f"{label}签字："), Spacer(1, 14 * mm), _date_line(s)]
        name, at = signed.get(role, ("", None))
        picture = Image(io.BytesIO(images[role]), width=45 * mm, height=15 * mm, kind="proportional")
        return [s.text(f"{label}签字："), picture, s.text(f"{name}  {cn_date(at)}")]

    table = Table([[cell("customer", "客户"), cell("engineer", "服务工程师"),
                    [s.text("分公司盖章："), Spacer(1, 14 * mm), _date_line(s)]]],
                  colWidths=[width / 3] * 3)
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, "#444444"), ("INNERGRID", (0, 0), (-1, -1), 0.6, "#444444"),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


