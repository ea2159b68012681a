"""What every printed form shares: the CJK font, paragraph styles, Chinese dates, framed tables and
signature lines, on A4 or A5."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from reports.fonts import register_cjk_font

GRID = colors.HexColor("#444444")
SHADE = colors.HexColor("#EEEEEE")


def cn_date(value: date | datetime | None) -> str:
    """2026年7月1日 (local date for a moment in time); empty for no date."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone().date()
    return f"{value.year}年{value.month}月{value.day}日"


def iso_minute(value: datetime | None) -> str:
    return "" if value is None else value.astimezone().strftime("%Y-%m-%d %H:%M")


def escape(text: str) -> str:
    """Paragraph text is mini-HTML: user text must not be read as markup; newlines become breaks."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


@dataclass
class Styles:
    font_setting: str | None = None

    @cached_property
    def font(self) -> str:
        return register_cjk_font(self.font_setting or None).name

    def style(self, size: float = 9, *, align=None, leading: float | None = None, bold: bool = False) -> ParagraphStyle:
        # A CJK TrueType face has no bold variant: headings are set larger instead of bold.
        return ParagraphStyle(
            f"s{size}{align}{bold}", fontName=self.font, fontSize=size + (1 if bold else 0),
            leading=leading or size * 1.35, alignment=align or 0, wordWrap="CJK",
        )

    def title(self, text: str, size: float = 16) -> Paragraph:
        return Paragraph(escape(text), self.style(size, align=TA_CENTER, leading=size * 1.5))

    def text(self, text: str, size: float = 9) -> Paragraph:
        return Paragraph(escape(text), self.style(size))

    def label(self, text: str, size: float = 9) -> Paragraph:
        return Paragraph(escape(text), self.style(size, bold=True))

    def right(self, text: str, size: float = 9) -> Paragraph:
        return Paragraph(escape(text), self.style(size, align=TA_RIGHT))


def form_table(rows: list[list], widths: list[float], *, label_columns: tuple[int, ...] = (0,),
               spans: list[tuple] = (), header_row: bool = False) -> Table:
    """A framed table as on a paper form: grey label cells, thin grid, cells that wrap."""
    table = Table(rows, colWidths=widths)
    covered = {(c, r) for (c0, r0), (c1, r1) in spans for c in range(c0, c1 + 1) for r in range(r0, r1 + 1)
               if (c, r) != (c0, r0)}
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.6, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        *[("BACKGROUND", (c, r), (c, r), SHADE) for c in label_columns for r in range(len(rows)) if (c, r) not in covered],
        *[("SPAN", a, b) for a, b in spans],
    ]
    if header_row:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    table.setStyle(TableStyle(commands))
    return table


def signature_block(styles: Styles, roles: list[str], width: float) -> Table:
    """Blank lines to sign and date by hand, one column per signer."""
    blank = "&nbsp;"
    line = styles.style(9, leading=14)
    cells = [[Paragraph(f"{escape(role)}：<u>{blank * 18}</u>", line) for role in roles],
             [Paragraph(f"日期：<u>{blank * 8}</u>年<u>{blank * 5}</u>月<u>{blank * 5}</u>日", line) for _ in roles]]
    table = Table(cells, colWidths=[width / len(roles)] * len(roles))
    table.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    return table


A4_MARGIN = 15 * mm
