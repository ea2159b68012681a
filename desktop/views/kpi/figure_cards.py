"""The dashboard's figures as compact cards in five columns — satisfaction, complaints, repairs, parts and
costs, open work — each with its value ("—" when it cannot be computed), the counts it was computed from,
and its target marked met or not by a symbol and a word as well as a colour. A card takes the keyboard
focus: choosing it explains it in the side panel, double-click or Enter opens the records behind it."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import NamedTuple
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QEvent, QMargins, QRect, QSize, QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop.domain.kpi import Figure, format_value
from desktop.views.kpi.explain_panel import MET_COLOUR, MISSED_COLOUR, NEUTRAL_COLOUR, target_verdict
from desktop.views.kpi.looks import EDGE_COLOUR, HEADING_COLOUR, MUTED_COLOUR, paint_box, styled

# (heading, figure keys) in the order of the columns; a figure the service adds later lands in "Other".
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (QT_TRANSLATE_NOOP("FigureCards", "Satisfaction"),
     ("satisfaction_rate", "average_score", "visit_response_rate")),
    (QT_TRANSLATE_NOOP("FigureCards", "Complaints"),
     ("complaints_received", "complaint_rate", "consultation_response_median", "consultation_response_p90",
      "resolution_rate")),
    (QT_TRANSLATE_NOOP("FigureCards", "Repairs"),
     ("repair_timeliness_rate", "first_time_fix_rate", "average_response_time", "fix_rate")),
    (QT_TRANSLATE_NOOP("FigureCards", "Parts and costs"), ("parts_quantity", "parts_value", "complaint_costs")),
    (QT_TRANSLATE_NOOP("FigureCards", "Open work"),
     ("open_complaints", "overdue_complaints", "open_orders", "overdue_orders")),
)
OTHER = QT_TRANSLATE_NOOP("FigureCards", "Other")
# Counts that should be nought: more than none stands out (amber and "⚠", not the colour alone).
ALERT_WHEN_ANY = ("overdue_complaints", "overdue_orders")
ALERT_COLOUR = "#b06000"
VALUE_SIZES = (22, 20, 18, 16, 14, 12)  # pixels: the largest that fits the card
MINIMUM_COLUMN = 130
ASKED_WIDTHS = 4  # more than the heights a Qt layout item keeps (three)

# The card's box, painted by the card: white with a grey edge, the left edge thicker and in the colour of the
# figure's state; light blue with a blue edge while it has the focus.
CARD_BACKGROUND, FOCUS_BACKGROUND = QColor("#ffffff"), QColor("#e8f0fe")
EDGE, FOCUS_EDGE = QColor(EDGE_COLOUR), QColor("#1a73e8")
STATE_EDGES = {"met": QColor(MET_COLOUR), "missed": QColor(MISSED_COLOUR), "alert": QColor("#f29900")}
LEFT_EDGE, RADIUS = 4, 5
# Its texts: the title, the detail and the target line in SMALL pixels, the value bold in one of VALUE_SIZES.
SMALL = 11
TITLE_PEN, VALUE_COLOUR, DETAIL_PEN = QColor("#3c4043"), "#202124", QColor(MUTED_COLOUR)
MARGINS = QMargins(LEFT_EDGE + 10, 1 + 6, 1 + 8, 1 + 6)  # from the card's sides to its texts
SPACING = 1  # between the lines
VALUE_ROOM = 20  # the card's width less the value's and the detail's: its edges, margins and the least gap
EMPTY_DETAIL = 6  # the room a card without a detail keeps for it (what the empty label it once had took)
_TOP_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
_WRAP = int(Qt.TextFlag.TextWordWrap)
_TITLE_FLAGS = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter) | _WRAP
_LINE_FLAGS = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)  # in a rect of its own size


def detail_text(figure: Figure) -> str:
    """What the value was computed from, short enough for a card: "3 of 5", "30.00 h ÷ 5", "n = 3"."""
    if figure.numerator is not None and figure.denominator is not None:
        denominator = format_value(figure.denominator, "count")
        if figure.unit == "%" and figure.numerator <= figure.denominator:  # a share: "3 of 5"
            return QCoreApplication.translate("FigureCards", "{n} of {d}").format(
                n=format_value(figure.numerator, "count"), d=denominator)
        numerator_unit = "h" if figure.unit == "h" else "count"
        return f"{format_value(figure.numerator, numerator_unit)} ÷ {denominator}"
    if figure.sample is not None:
        return QCoreApplication.translate("FigureCards", "n = {n}").format(n=figure.sample)
    return ""


class CardFonts:
    """The fonts of a card's texts, and their metrics, made once per font of the page."""

    _made: dict[str, CardFonts] = {}

    def __init__(self, base: QFont):
        self.small = QFont(base)
        self.small.setPixelSize(SMALL)
        self.small_bold = QFont(self.small)
        self.small_bold.setBold(True)
        self.small_metrics, self.small_bold_metrics = QFontMetrics(self.small), QFontMetrics(self.small_bold)
        self.values: list[tuple[QFont, QFontMetrics]] = []  # bold, in each of VALUE_SIZES
        for size in VALUE_SIZES:
            font = QFont(base)
            font.setBold(True)
            font.setPixelSize(size)
            self.values.append((font, QFontMetrics(font)))

    @classmethod
    def of(cls, base: QFont) -> CardFonts:
        key = base.key()
        if key not in cls._made:
            cls._made[key] = cls(base)
        return cls._made[key]


def _text_height(metrics: QFontMetrics, width: int, text: str, *, wrap: bool = False) -> int:
    """The height of the text in lines `width` wide, as a label gives it (one line's when it is empty)."""
    flags = _TOP_LEFT | (_WRAP if wrap else 0)
    return metrics.boundingRect(QRect(0, 0, max(width, 1), 2000), flags, text or " ").height()


class _Measured(NamedTuple):
    """A card's text heights at one width (pixels) and the size its value takes."""

    title: int
    row: int  # the value and the detail: side by side, or (stacked) the detail under the value
    target: int  # 0: no target line
    size: int  # index in VALUE_SIZES
    stacked: bool  # the value takes the line's whole width even in the smallest size beside the detail


@dataclass
class _Lines:
    """A card's texts measured on one line each (pixels)."""

    title_width: int
    title_height: int
    target_width: int
    target_height: int
    detail_width: int
    detail_height: int
    value_advances: list[int]  # the value's width in each of VALUE_SIZES
    value_heights: dict[int, int] = field(default_factory=dict)  # its height, by index in VALUE_SIZES


class FigureCard(QWidget):
    """One figure, painted by the card itself: its title (wrapped), its value — in the largest size that fits
    beside the detail — with the detail at the right, and the target line when it has one. (Four labels and
    two layouts per card made the cards cost more to build, lay out and paint than the rest of the page.)

    `value_text`, `detail_text` and `target_text` are the texts on the card; "" for no target line."""

    sig_selected = Signal(object)  # Figure
    sig_activated = Signal(object)  # Figure: open the records behind it

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("figureCard")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        sizing = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        sizing.setHeightForWidth(True)
        self.setSizePolicy(sizing)
        self.figure: Figure | None = None
        self.title_text = self.value_text = self.detail_text = self.target_text = ""
        self._value_colour, self._target_colour = QColor(VALUE_COLOUR), QColor(NEUTRAL_COLOUR)
        self._state = ""
        self.setProperty("state", self._state)  # "met", "missed", "alert" or ""
        self._fonts = CardFonts.of(self.font())
        self._lines: _Lines | None = None  # see _measure
        self._measured: dict[tuple[int, bool], _Measured] = {}
        self._asked: deque[int] = deque(maxlen=ASKED_WIDTHS)  # see _heights

    def set_figure(self, figure: Figure) -> None:
        if figure == self.figure:
            return
        first, self.figure = self.figure is None, figure
        detail = detail_text(figure)
        verdict, target, colour = target_verdict(figure)
        state = {MET_COLOUR: "met", MISSED_COLOUR: "missed"}.get(colour, "")
        target_line = f"{verdict} · {target}" if target else ""
        if not target and figure.key in ALERT_WHEN_ANY and (figure.value or Decimal(0)) > 0:
            state, colour = "alert", ALERT_COLOUR
            target_line = QCoreApplication.translate("FigureCards", "⚠ past the deadline")
        texts = (figure.title, figure.display, detail, target_line)
        if texts != (self.title_text, self.value_text, self.detail_text, self.target_text):
            heights = None if first else self._heights()
            self.title_text, self.value_text, self.detail_text, self.target_text = texts
            self._lines = None
            self._measured.clear()
            # A longer title, a target line or a smaller value: another height, and the column is laid out
            # again. Most new numbers keep the card's heights; laying out every column anyway for each month
            # was a fifth of the time a month took to show.
            if self._heights() != heights:
                self.updateGeometry()
        self._value_colour = QColor(ALERT_COLOUR if state == "alert" else VALUE_COLOUR)
        self._target_colour = QColor(colour)
        if self._state != state:
            self._state = state
            self.setProperty("state", state)
        self.update()
        tooltip = [f"<b>{figure.title}</b>", figure.formula]
        if detail:
            tooltip.append(detail)
        tooltip.append(QCoreApplication.translate("FigureCards", "Double-click or Enter: the records behind it"))
        self.setToolTip("<br>".join(tooltip))
        self.setAccessibleName(f"{figure.title}: {figure.display}")
        self.setAccessibleDescription(" · ".join(text for text in (detail, target_line) if text))

    def value_font(self, width: int | None = None) -> QFont:
        """The largest of VALUE_SIZES in which the value fits beside its detail in a card `width` wide (or,
        where it does not fit beside it in any, alone on its line)."""
        return self._fonts.values[self._measure(self.width() if width is None else width).size][0]

    def text_rects(self, width: int | None = None) -> dict[str, QRect]:
        """Where the card's texts are painted in a card `width` wide: "title" and "target" (absent without
        one) as their boxes, "value" and "detail" as the room their text takes."""
        width = self.width() if width is None else width
        measured, lines = self._measure(width), self._lines
        x, y = MARGINS.left(), MARGINS.top()
        inner = width - MARGINS.left() - MARGINS.right()
        rects = {"title": QRect(x, y, inner, measured.title)}
        y += measured.title + SPACING
        value_width, value_height = lines.value_advances[measured.size], lines.value_heights[measured.size]
        detail_width = lines.detail_width if self.detail_text else 0
        if measured.stacked:
            rects["value"] = QRect(x, y, value_width, value_height)
            rects["detail"] = QRect(x + inner - detail_width, y + value_height + SPACING, detail_width,
                                    lines.detail_height)
        else:  # the value in the middle of the row's height, the detail at its bottom right
            rects["value"] = QRect(x, y + (measured.row - value_height) // 2, value_width, value_height)
            rects["detail"] = QRect(x + inner - detail_width, y + measured.row - lines.detail_height,
                                    detail_width, lines.detail_height)
        if measured.target:
            rects["target"] = QRect(x, y + measured.row + SPACING, inner, measured.target)
        return rects

    def _measure(self, width: int, *, wrap: bool = True) -> _Measured:
        """The card's text heights at `width` — without `wrap`, of one line each — and its value's size.
        Layouts ask for these often and at many widths: the texts are measured once (in _lines) and wrapped
        only where a line is too long for the width."""
        measured = self._measured.get((width, wrap))
        if measured is not None:
            return measured
        lines = self._lines or self._measure_lines()
        room = width - LEFT_EDGE - 1 - VALUE_ROOM - lines.detail_width
        size = next((index for index, advance in enumerate(lines.value_advances) if advance <= room), None)
        stacked = size is None  # "26.33 h" beside "105,246.51 h ÷ 3,997" in a narrow card: they overlapped
        if stacked:
            alone = width - MARGINS.left() - MARGINS.right()
            size = next((index for index, advance in enumerate(lines.value_advances) if advance <= alone),
                        len(VALUE_SIZES) - 1)
        if size not in lines.value_heights:
            lines.value_heights[size] = _text_height(self._fonts.values[size][1], 2000, self.value_text)
        inner = width - MARGINS.left() - MARGINS.right() if wrap else 2000
        fonts = self._fonts
        title = lines.title_height if inner >= lines.title_width else _text_height(
            fonts.small_metrics, inner, self.title_text, wrap=True)
        target = 0
        if self.target_text:
            target = lines.target_height if inner >= lines.target_width else _text_height(
                fonts.small_bold_metrics, inner, self.target_text, wrap=True)
        if len(self._measured) > 32:  # a window being resized asks for many widths
            self._measured.clear()
        row = (lines.value_heights[size] + SPACING + lines.detail_height if stacked
               else max(lines.value_heights[size], lines.detail_height))
        measured = self._measured[(width, wrap)] = _Measured(title, row, target, size, stacked)
        return measured

    def _measure_lines(self) -> _Lines:
        fonts, page = self._fonts, QRect(0, 0, 2000, 2000)
        title = fonts.small_metrics.boundingRect(page, _TOP_LEFT, self.title_text or " ")
        target = fonts.small_bold_metrics.boundingRect(page, _TOP_LEFT, self.target_text or " ")
        detail = fonts.small_metrics.boundingRect(page, _TOP_LEFT, self.detail_text or " ")
        self._lines = _Lines(
            title_width=title.width(), title_height=title.height(), target_width=target.width(),
            target_height=target.height(),
            detail_width=detail.width() if self.detail_text else EMPTY_DETAIL, detail_height=detail.height(),
            value_advances=[metrics.horizontalAdvance(self.value_text) for _font, metrics in fonts.values])
        return self._lines

    def _heights(self) -> tuple[int, ...]:
        """The card's height unwrapped (its size hint), at its width and at each width a layout asked for
        lately: a layout keeps the heights it was given for a few widths until updateGeometry()."""
        widths = dict.fromkeys((self.width(), *self._asked))
        return self._height(self.width(), wrap=False), *(self._height(width) for width in widths)

    def _height(self, width: int, *, wrap: bool = True) -> int:
        title, row, target, _size, _stacked = self._measure(width, wrap=wrap)
        return MARGINS.top() + title + SPACING + row + (SPACING + target if target else 0) + MARGINS.bottom()

    # --- Qt overrides --------------------------------------------------------------------------------------

    def heightForWidth(self, width: int) -> int:
        if width not in self._asked:
            self._asked.append(width)
        return self._height(width)

    def sizeHint(self) -> QSize:
        """As tall as the card is with its texts unwrapped (as its labels said when it had them): the height
        it gets comes from heightForWidth."""
        return QSize(MINIMUM_COLUMN, self._height(self.width(), wrap=False))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fonts = CardFonts.of(self.font())
            self._lines = None
            self._measured.clear()
            self.updateGeometry()

    def paintEvent(self, event: QPaintEvent) -> None:
        focus = self.hasFocus()
        edge = FOCUS_EDGE if focus else EDGE
        paint_box(self, FOCUS_BACKGROUND if focus else CARD_BACKGROUND, edge, RADIUS,
                  left_edge=STATE_EDGES.get(self._state, edge), left_width=LEFT_EDGE)
        fonts, rects = self._fonts, self.text_rects()
        painter = QPainter(self)
        painter.setFont(fonts.small)
        painter.setPen(TITLE_PEN)
        painter.drawText(rects["title"], _TITLE_FLAGS, self.title_text)
        painter.setPen(DETAIL_PEN)
        painter.drawText(rects["detail"], _LINE_FLAGS, self.detail_text)
        painter.setFont(fonts.values[self._measure(self.width()).size][0])
        painter.setPen(self._value_colour)
        painter.drawText(rects["value"], _LINE_FLAGS, self.value_text)
        if "target" in rects:
            painter.setFont(fonts.small_bold)
            painter.setPen(self._target_colour)
            painter.drawText(rects["target"], _TITLE_FLAGS, self.target_text)
        painter.end()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()
        if self.figure is not None:
            self.sig_selected.emit(self.figure)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if self.figure is not None:  # chosen again after the panel showed a table row
            self.sig_selected.emit(self.figure)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.figure is not None and event.button() == Qt.MouseButton.LeftButton:
            self.sig_activated.emit(self.figure)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.figure is not None:
            self.sig_activated.emit(self.figure)
            event.accept()
            return
        super().keyPressEvent(event)


class FigureGrid(QWidget):
    """The cards in their columns; built for the figures of the first report, refilled for the next ones.
    Each column is laid out on its own, so a card with a target line makes only its own column taller."""

    sig_selected = Signal(object)  # Figure
    sig_activated = Signal(object)  # Figure

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.cards: dict[str, FigureCard] = {}
        self.columns: list[QWidget] = []
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(10)

    def set_figures(self, figures: tuple[Figure, ...]) -> None:
        by_key = {f.key: f for f in figures}
        if set(by_key) != set(self.cards):
            self._build(list(by_key))
        for key, figure in by_key.items():
            self.cards[key].set_figure(figure)

    def card_order(self) -> list[FigureCard]:
        """The cards column by column, top to bottom: the Tab order."""
        return list(self.cards.values())

    def _build(self, keys: list[str]) -> None:
        for column in self.columns:
            self._row.removeWidget(column)
            column.deleteLater()
        self.columns, self.cards = [], {}
        known = {k for _, group in GROUPS for k in group}
        grouped = [(title, [k for k in group if k in keys]) for title, group in GROUPS]
        grouped.append((OTHER, [k for k in keys if k not in known]))
        for title, group in grouped:
            if not group:
                continue
            column = QWidget(self)
            # Columns of one width, whatever their texts ask for: the values shrink to fit instead.
            column.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            column.setMinimumWidth(MINIMUM_COLUMN)
            layout = QVBoxLayout(column)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.setSpacing(6)
            heading = styled(QLabel(QCoreApplication.translate("FigureCards", title), column), pixels=13,
                             bold=True, colour=HEADING_COLOUR)
            heading.setContentsMargins(2, 2, 0, 0)
            # Half an "x" in from its margin, where Qt put the text while a style sheet gave it a frame.
            heading.setIndent(heading.fontMetrics().horizontalAdvance("x") // 2)
            layout.addWidget(heading)
            for key in group:
                card = FigureCard(column)
                card.sig_selected.connect(self.sig_selected)
                card.sig_activated.connect(self.sig_activated)
                layout.addWidget(card)
                self.cards[key] = card
            layout.addStretch(1)
            self._row.addWidget(column, 1)
            column.show()  # now, not from the event a layout posts to show it: it is laid out with the report
            self.columns.append(column)
        order = self.card_order()
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
