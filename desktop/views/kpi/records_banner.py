"""The strip a list page shows while it lists the records behind a KPI figure: which figure, how many, and
a ✕ that gives the page its whole list back. The complaints and service order pages use it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

BANNER_STYLE = ("QFrame#recordsBanner { background: #e8f0fe; border: 1px solid #a8c7fa; border-radius: 4px; }"
                "QFrame#recordsBanner QLabel { color: #0b3d91; font-weight: bold; }")


class RecordsBanner(QFrame):
    sig_closed = Signal()  # the user removed the restriction

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("recordsBanner")
        self.setStyleSheet(BANNER_STYLE)
        self.label = QLabel(self)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(self.tr("Show the whole list again"))
        self.close_button.setAccessibleName(self.tr("Remove the restriction"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 2, 2)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button)
        self.close_button.clicked.connect(self.sig_closed)
        self.hide()

    def show_records(self, caption: str, count: int) -> None:
        self.label.setText(self.tr("Records behind: {caption} ({count})").format(caption=caption, count=count))
        self.show()
