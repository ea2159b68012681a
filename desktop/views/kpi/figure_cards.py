"""The dashboard's figures as compact cards in five columns — satisfaction, complaints, repairs, parts and
costs, open work — each with its value ("—" when it cannot be computed), the counts it was computed from,
and its target marked met or not by a symbol and a word as well as a colour. A card takes the keyboard
focus: choosing it explains it in the side panel, double-click or Enter opens the records behind it."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QFocusEvent, QFont, QFontMetrics, QKeyEvent, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop.domain.kpi import Figure, format_value
from desktop.views.kpi.explain_panel import MET_COLOUR, MISSED_COLOUR, target_verdict

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

CARD_STYLE = """
QFrame#figureCard { background: #ffffff; border: 1px solid #dadce0; border-left: 4px solid #dadce0;
                    border-radius: 5px; }
QFrame#figureCard:focus { background: #e8f0fe; border-color: #1a73e8; }
QFrame#figureCard[state="met"] { border-left-color: #188038; }
QFrame#figureCard[state="missed"] { border-left-color: #c5221f; }
QFrame#figureCard[state="alert"] { border-left-color: #f29900; }
QFrame#figureCard QLabel { background: transparent; border: none; }
QLabel#cardTitle { color: #3c4043; font-size: 11px; }
QLabel#cardValue { color: #202124; font-weight: bold; }
QLabel#cardDetail { color: #5f6368; font-size: 11px; }
QLabel#groupHeading { color: #1a3d6d; font-size: 13px; font-weight: bold; padding: 2px 0 0 2px; }
"""


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


class FigureCard(QFrame):
    sig_selected = Signal(object)  # Figure
    sig_activated = Signal(object)  # Figure: open the records behind it

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("figureCard")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.figure: Figure | None = None
        self.title_label = QLabel(self, wordWrap=True)
        self.title_label.setObjectName("cardTitle")
        self.value_label = QLabel(self)
        self.value_label.setObjectName("cardValue")
        self.detail_label = QLabel(self)
        self.detail_label.setObjectName("cardDetail")
        self.detail_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        self.target_label = QLabel(self, wordWrap=True)
        self.target_label.setObjectName("cardTarget")
        value_row = QHBoxLayout()
        value_row.setContentsMargins(0, 0, 0, 0)
        value_row.addWidget(self.value_label)
        value_row.addStretch(1)
        value_row.addWidget(self.detail_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 8, 6)
        layout.setSpacing(1)
        layout.addWidget(self.title_label)
        layout.addLayout(value_row)
        layout.addWidget(self.target_label)

    def set_figure(self, figure: Figure) -> None:
        self.figure = figure
        self.title_label.setText(figure.title)
        self.value_label.setText(figure.display)
        self.detail_label.setText(detail_text(figure))
        self._fit_value()
        verdict, target, colour = target_verdict(figure)
        state = {MET_COLOUR: "met", MISSED_COLOUR: "missed"}.get(colour, "")
        if target:
            self.target_label.setText(f"{verdict} · {target}")
            self.target_label.setStyleSheet(f"color: {colour}; font-size: 11px; font-weight: bold;")
            self.target_label.show()
        elif figure.key in ALERT_WHEN_ANY and (figure.value or Decimal(0)) > 0:
            state = "alert"
            self.target_label.setText(QCoreApplication.translate("FigureCards", "⚠ past the deadline"))
            self.target_label.setStyleSheet(f"color: {ALERT_COLOUR}; font-size: 11px; font-weight: bold;")
            self.target_label.show()
        else:
            self.target_label.hide()
        self.value_label.setStyleSheet(f"color: {ALERT_COLOUR};" if state == "alert" else "")
        self.setProperty("state", state)
        self.style().unpolish(self)
        self.style().polish(self)
        tooltip = [f"<b>{figure.title}</b>", figure.formula]
        if detail_text(figure):
            tooltip.append(detail_text(figure))
        tooltip.append(QCoreApplication.translate("FigureCards", "Double-click or Enter: the records behind it"))
        self.setToolTip("<br>".join(tooltip))
        self.setAccessibleName(f"{figure.title}: {figure.display}")

    def _fit_value(self) -> None:
        """The value as large as the card's width allows beside its detail (¥2,304,761.70 in a narrow card)."""
        room = self.contentsRect().width() - 20 - self.detail_label.sizeHint().width()
        font = QFont(self.value_label.font())
        for size in VALUE_SIZES:
            font.setPixelSize(size)
            if QFontMetrics(font).horizontalAdvance(self.value_label.text()) <= room:
                break
        if self.value_label.font().pixelSize() != font.pixelSize():
            self.value_label.setFont(font)

    # --- Qt overrides --------------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_value()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if self.figure is not None:
            self.sig_selected.emit(self.figure)

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
        self.setStyleSheet(CARD_STYLE)
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
            heading = QLabel(QCoreApplication.translate("FigureCards", title), column)
            heading.setObjectName("groupHeading")
            layout.addWidget(heading)
            for key in group:
                card = FigureCard(column)
                card.sig_selected.connect(self.sig_selected)
                card.sig_activated.connect(self.sig_activated)
                layout.addWidget(card)
                self.cards[key] = card
            layout.addStretch(1)
            self._row.addWidget(column, 1)
            self.columns.append(column)
        order = self.card_order()
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
