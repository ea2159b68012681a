"""A number box whose whole value is selected when the user enters it, by Tab or by a click: typing then
replaces the amount. A plain QDoubleSpinBox puts the cursor where the click landed — after the ￥ of a
right-aligned "￥0.00" — and typing 80 there gives ￥800.00."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QDoubleSpinBox


class NumberBox(QDoubleSpinBox):
    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        # after the click that gave the focus has placed the cursor
        QTimer.singleShot(0, self.selectAll)
