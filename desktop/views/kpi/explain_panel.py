"""The dashboard's "How computed" panel: for the figure or table row the user chose, the formula, the
numerator and denominator (or the sample), the target and whether it was met, and buttons that open the
records behind it. Every figure says how it was computed (domain.md §9)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor, QPaintEvent
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.domain.kpi import Breakdown, BreakdownRow, Drill, Figure, format_value
from desktop.views.kpi.looks import EDGE_COLOUR, HEADING_COLOUR, paint_box, recolour, styled

MET_COLOUR = "#188038"
MISSED_COLOUR = "#c5221f"
NEUTRAL_COLOUR = "#5f6368"
BACKGROUND = "#f8f9fa"


@dataclass(frozen=True)
class Explanation:
    """What the panel shows of one chosen item; `caption` names the item's records on the page they open."""

    title: str
    value: str
    formula: str
    facts: tuple[tuple[str, str], ...]  # (label, text) lines: numerator, denominator, sample, target…
    drill: Drill | None
    numerator_drill: Drill | None
    caption: str
    verdict: str = ""  # "✓ Met", "✗ Not met" or ""
    verdict_colour: str = NEUTRAL_COLOUR


def target_verdict(figure: Figure) -> tuple[str, str, str]:
    """(symbol and word, target text, colour) of a figure with a target: a symbol AND a colour, never the
    colour alone. ("", "", neutral) for a figure without one."""
    if figure.target is None:
        return "", "", NEUTRAL_COLOUR
    target = f"{figure.target.symbol} {format_value(figure.target.value, figure.unit)}"
    if figure.met is None:
        return QCoreApplication.translate("ExplainPanel", "– No value"), target, NEUTRAL_COLOUR
    if figure.met:
        return QCoreApplication.translate("ExplainPanel", "✓ Met"), target, MET_COLOUR
    return QCoreApplication.translate("ExplainPanel", "✗ Not met"), target, MISSED_COLOUR


def explain_figure(figure: Figure, caption: str) -> Explanation:
    facts: list[tuple[str, str]] = []
    # The numerator of the average response time is hours; every other one counts records (or scores).
    numerator_unit = "h" if figure.unit == "h" else "count"
    if figure.numerator is not None:
        facts.append((QCoreApplication.translate("ExplainPanel", "Numerator"),
                      format_value(figure.numerator, numerator_unit)))
    if figure.denominator is not None:
        facts.append((QCoreApplication.translate("ExplainPanel", "Denominator"),
                      format_value(figure.denominator, "count")))
    if figure.sample is not None and figure.numerator is None:
        sample = format_value(Decimal(figure.sample), "count")
        facts.append((QCoreApplication.translate("ExplainPanel", "Sample"), sample))
    verdict, target, colour = target_verdict(figure)
    if target:
        facts.append((QCoreApplication.translate("ExplainPanel", "Target"), target))
    if figure.value is None:
        why = QCoreApplication.translate("ExplainPanel", "no records to compute it from in this period")
        facts.append((QCoreApplication.translate("ExplainPanel", "Why “—”"), why))
    # The complaint rate counts the complaints it opens: its numerator's records are the same ones.
    counted = figure.numerator_drill if figure.numerator_drill != figure.drill else None
    return Explanation(figure.title, figure.display, figure.formula, tuple(facts), figure.drill, counted, caption,
                       verdict, colour)


def explain_row(breakdown: Breakdown, row: BreakdownRow | None, caption: str) -> Explanation:
    """A row of a breakdown table, or (row None) the table as a whole: its total."""
    if row is None:
        values = [format_value(breakdown.total(i), c.unit) if c.unit != "%" else ""
                  for i, c in enumerate(breakdown.columns)]
        title = QCoreApplication.translate("ExplainPanel", "{table}: total").format(table=breakdown.title)
        drill = breakdown.drill
    else:
        values = [format_value(v, c.unit) for v, c in zip(row.values, breakdown.columns, strict=True)]
        title, drill = f"{breakdown.title}: {row.label}", row.drill
    facts = tuple((c.title, text) for c, text in zip(breakdown.columns, values, strict=True) if text)
    return Explanation(title, values[0] if values else "", breakdown.formula, facts, drill, None, caption)


class ExplainPanel(QFrame):
    sig_drill_requested = Signal(object, str)  # Drill, caption of its records

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setContentsMargins(1, 1, 1, 1)  # inside the edge
        self.explanation: Explanation | None = None
        self._fact_labels: tuple[str, ...] = ()  # the labels of the rows in self.facts
        self.heading = styled(QLabel(self.tr("How computed"), self), pixels=13, bold=True,
                              colour=HEADING_COLOUR)
        self.title_label = styled(QLabel(self, wordWrap=True), bold=True)
        self.value_label = styled(QLabel(self), pixels=22, bold=True)
        self.verdict_label = styled(QLabel(self), bold=True)
        self.formula_label = styled(QLabel(self, wordWrap=True), colour="#3c4043")
        self.formula_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts = QFormLayout()
        self.facts.setContentsMargins(0, 0, 0, 0)
        self.facts.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.open_button = QPushButton(self.tr("&Open the records"), self)
        self.open_button.setToolTip(self.tr("Double-click or Enter on a figure or row does the same"))
        self.counted_button = QPushButton(self.tr("Open those &counted"), self)
        self.counted_button.setToolTip(self.tr("Only the records counted in the numerator"))
        self.hint_label = QLabel(self.tr("Choose a figure or a table row to see how it was computed. "
                                         "Double-click or Enter opens the records behind it."), self)
        self.hint_label.setWordWrap(True)
        self.hint_label.setObjectName("explainHint")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.heading)
        layout.addWidget(self.title_label)
        layout.addWidget(self.value_label)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.formula_label)
        layout.addLayout(self.facts)
        layout.addSpacing(6)
        layout.addWidget(self.open_button)
        layout.addWidget(self.counted_button)
        layout.addWidget(self.hint_label)
        layout.addStretch(1)
        self.open_button.clicked.connect(self.on_open_button_clicked)
        self.counted_button.clicked.connect(self.on_counted_button_clicked)
        self.show_explanation(None)

    def show_explanation(self, explanation: Explanation | None) -> None:
        if explanation is not None and explanation == self.explanation:
            return  # the same numbers again (a refresh): nothing to lay out anew
        self.explanation = explanation
        facts = explanation.facts if explanation is not None else ()
        labels = tuple(label for label, _text in facts)
        if labels != self._fact_labels:  # other lines: new rows (the same lines keep theirs, with new texts)
            self._fact_labels = labels
            while self.facts.rowCount():
                self.facts.removeRow(0)
            for label in labels:
                value = QLabel(self, wordWrap=True)
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                caption = QLabel(label + ":", self)
                self.facts.addRow(caption, value)
                caption.show()  # now, not from the event the layout posts to show them
                value.show()
        for row, (_label, text) in enumerate(facts):
            self.facts.itemAt(row, QFormLayout.ItemRole.FieldRole).widget().setText(text)
        shown = explanation is not None
        for widget in (self.title_label, self.value_label, self.formula_label):
            widget.setVisible(shown)
        self.hint_label.setVisible(not shown)
        if explanation is None:
            self.verdict_label.hide()
            self.open_button.hide()
            self.counted_button.hide()
            return
        self.title_label.setText(explanation.title)
        self.value_label.setText(explanation.value)
        self.verdict_label.setText(explanation.verdict)
        recolour(self.verdict_label, explanation.verdict_colour)
        self.verdict_label.setVisible(bool(explanation.verdict))
        self.formula_label.setText(explanation.formula)
        self.open_button.setVisible(explanation.drill is not None)
        self.counted_button.setVisible(explanation.numerator_drill is not None)

    def on_open_button_clicked(self) -> None:
        if self.explanation is not None and self.explanation.drill is not None:
            self.sig_drill_requested.emit(self.explanation.drill, self.explanation.caption)

    def on_counted_button_clicked(self) -> None:
        if self.explanation is not None and self.explanation.numerator_drill is not None:
            caption = self.tr("{caption}, counted").format(caption=self.explanation.caption)
            self.sig_drill_requested.emit(self.explanation.numerator_drill, caption)

    # --- Qt overrides --------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        paint_box(self, QColor(BACKGROUND), QColor(EDGE_COLOUR), 6)
