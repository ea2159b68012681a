"""Fonts, text colours and boxes of the dashboard's widgets, set once or painted, without style sheets.

A style sheet on the page made every widget of it (tables, charts, buttons) go through QStyleSheetStyle, which
matches its rules again on every polish, size hint and paint; changing a widget's style sheet re-polishes it.
The dashboard repaints all of its widgets whenever a report arrives, so it sets fonts and palettes instead.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPalette
from PySide6.QtWidgets import QWidget

HEADING_COLOUR = "#1a3d6d"  # headings of the card groups, the charts and the side panel
EDGE_COLOUR = "#dadce0"  # the edges of the cards, the charts' empty boxes and the side panel
MUTED_COLOUR = "#5f6368"  # secondary text: a card's detail, "nothing to show"


def styled(widget: QWidget, *, pixels: int | None = None, bold: bool = False,
           colour: str | None = None) -> QWidget:
    """The widget, its font made `pixels` high and/or bold, its text `colour` (None: as it was)."""
    if pixels is not None or bold:
        font = QFont(widget.font())
        if pixels is not None:
            font.setPixelSize(pixels)
        if bold:
            font.setBold(True)
        widget.setFont(font)
    if colour:
        recolour(widget, colour)
    return widget


def recolour(widget: QWidget, colour: str) -> None:
    """The widget's text in `colour`; nothing happens when it already is."""
    palette = widget.palette()
    if palette.color(QPalette.ColorRole.WindowText) != QColor(colour):
        palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
        widget.setPalette(palette)


def paint_box(widget: QWidget, background: QColor, edge: QColor, radius: float, *,
              left_edge: QColor | None = None, left_width: int = 1) -> None:
    """A rounded box over the whole widget: a 1-pixel edge, the left one `left_width` wide in `left_edge`."""
    painter = QPainter(widget)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    outer = QRectF(widget.rect())
    path = QPainterPath()
    path.addRoundedRect(outer, radius, radius)
    painter.fillPath(path, edge)
    if left_edge is not None:
        painter.save()
        painter.setClipRect(QRectF(0, 0, left_width, outer.height()))
        painter.fillPath(path, left_edge)
        painter.restore()
    inner = QPainterPath()
    inside = outer.adjusted(left_width, 1, -1, -1)
    inner.addRoundedRect(inside, max(radius - 1, 0), max(radius - 1, 0))
    painter.fillPath(inner, background)
    painter.end()
