"""Warehouse printouts: the parts issue slip (配件出库单) in picking order, and bin labels with a Code 128
barcode of the bin code."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from reportlab.graphics.barcode import code128
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from desktop.services.stock import DocumentRecord
from reports.pdf_common import Styles, cn_date, form_table, iso_minute, signature_block

PURPOSE = {"service_order": "售后服务单", "complaint": "客户投诉", "internal": "内部领用", "supplier": "供应商"}


def _qty(value) -> str:
    """12.00 → 12, 0.50 → 0.5: counts read as people write them."""
    return f"{value.normalize():f}"


def render_issue_slip(slip: DocumentRecord, *, branch_name: str, target: Path | BinaryIO, page: str = "A5",
                      font: str | None = None, printed_at: datetime | None = None) -> None:
    """Lines in the order the keeper walks the shelves, with the bin code large enough to read at arm's length."""
    size = A5 if page == "A5" else A4
    margin = 10 * mm
    width = size[0] - 2 * margin
    s = Styles(font)
    big = s.style(13, leading=16)
    header = [s.label(t, 8) for t in ("序号", "库位", "编码", "名称 / 型号", "数量", "单位", "实发")]
    lines = [
        [s.text(str(n)), Paragraph(line.bin_code, big), s.text(line.part_code), s.text(f"{line.part_name}\n{line.part_model}"),
         s.right(_qty(line.quantity)), s.text(line.unit), ""]
        for n, line in enumerate(slip.lines, start=1)
    ]
    widths = [width * f for f in (0.09, 0.2, 0.2, 0.24, 0.09, 0.08, 0.1)]
    story = [
        s.title(branch_name, 13),
        s.title("配件出库单", 16),
        form_table([[s.text(f"单号：{slip.number}"), s.text(f"日期：{cn_date(slip.at)}")],
                    [s.text(f"用途：{PURPOSE.get(slip.purpose, slip.purpose)} {slip.reference}".strip()),
                     s.text(f"领用人：{slip.receiver}　开单：{slip.username}")]],
                   [width * 0.55, width * 0.45], label_columns=()),
        Spacer(1, 2 * mm),
        form_table([header, *lines], widths, label_columns=(), header_row=True),
        Spacer(1, 6 * mm),
        signature_block(s, ["库管员", "领用人"], width),
        s.right(f"打印时间：{iso_minute(printed_at or datetime.now().astimezone())}", 7),
    ]
    SimpleDocTemplate(str(target) if isinstance(target, Path) else target, pagesize=size, leftMargin=margin, rightMargin=margin, topMargin=margin,
                      bottomMargin=margin, title=f"配件出库单 {slip.number}").build(story)


def render_bin_labels(codes: list[str], *, target: Path | BinaryIO, font: str | None = None) -> None:
    """A4 sheets of 3 × 8 labels (70 × 37 mm, the common self-adhesive format): bin code large, barcode below."""
    s = Styles(font)
    page = canvas.Canvas(str(target) if isinstance(target, Path) else target, pagesize=A4)
    page.setTitle("库位标签")
    columns, rows, label_w, label_h = 3, 8, 70 * mm, 37 * mm
    left, top = (A4[0] - columns * label_w) / 2, A4[1] - (A4[1] - rows * label_h) / 2
    for index, code in enumerate(codes):
        slot = index % (columns * rows)
        if index and slot == 0:
            page.showPage()
        x, y = left + (slot % columns) * label_w, top - (slot // columns + 1) * label_h
        page.setStrokeGray(0.75)
        page.rect(x + 1 * mm, y + 1 * mm, label_w - 2 * mm, label_h - 2 * mm)
        page.setFont(s.font, 22)
        page.drawCentredString(x + label_w / 2, y + label_h - 12 * mm, code)
        barcode = code128.Code128(code, barHeight=12 * mm, barWidth=0.38 * mm, humanReadable=False)
        barcode.drawOn(page, x + (label_w - barcode.width) / 2, y + 5 * mm)
    if not codes:
        page.setFont(s.font, 12)
        page.drawString(20 * mm, A4[1] - 20 * mm, "没有符合条件的库位")
    page.save()
