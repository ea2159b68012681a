"""Counting on screen, made for a barcode scanner that types a code and Enter.

Bin, part, quantity in one row: scanning the bin moves on to the part, the part to the quantity, and Enter on
the quantity records the count and returns to the part field (same bin, next part). Esc, or a bin label
scanned into the part field, starts the next bin. Refusals show in the panel, not in a dialog: a modal
dialog would swallow the next scans."""

from __future__ import annotations

import re
import unicodedata

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton, QWidget

from desktop.db.uow import Actor, Database
from desktop.domain.errors import DomainError
from desktop.services.stocktake import VarianceLine, record_count
from desktop.views.common import ERROR_STYLE, HINT_STYLE
from desktop.views.warehouse.widgets import quantity_text

# Bin labels read like A-01-1-01 (zone, shelf, layer, position); part codes never have this shape.
BIN_PATTERN = re.compile(r"^[A-Z]{1,3}-\d{1,3}-\d{1,3}-\d{1,3}$")


def scanned(text: str) -> str:
    """What a scanner or a person typed, as the codes are stored: full-width folded, upper case."""
    return unicodedata.normalize("NFKC", text).strip().upper()


class CountingPanel(QWidget):
    sig_counted = Signal(object)  # the VarianceLine as recorded

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.stocktake_id: int | None = None
        self._bins: set[str] = set()

        self.bin_edit = QLineEdit(self, placeholderText=self.tr("Scan the bin label"))
        self.part_edit = QLineEdit(self, placeholderText=self.tr("Scan the part"))
        self.quantity_edit = QLineEdit(self, placeholderText=self.tr("Count, then Enter"))
        self.quantity_edit.setMaximumWidth(140)
        self.next_bin_button = QPushButton(self.tr("&Next bin (Esc)"), self)
        self.next_bin_button.setAutoDefault(False)
        self.empty_button = QPushButton(self.tr("Bin is &empty"), self)
        self.empty_button.setAutoDefault(False)
        self.empty_button.setToolTip(self.tr("Records that the scanned bin holds nothing (counted 0)."))
        bin_label = QLabel(self.tr("&Bin:"), self)
        bin_label.setBuddy(self.bin_edit)
        part_label = QLabel(self.tr("&Part:"), self)
        part_label.setBuddy(self.part_edit)
        quantity_label = QLabel(self.tr("&Quantity:"), self)
        quantity_label.setBuddy(self.quantity_edit)
        self.progress_label = QLabel(self)
        self.progress_label.setStyleSheet("font-weight: bold;")  # always in sight while scanning
        self.message_label = QLabel(self, wordWrap=True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(bin_label, 0, 0)
        grid.addWidget(self.bin_edit, 0, 1)
        grid.addWidget(part_label, 0, 2)
        grid.addWidget(self.part_edit, 0, 3)
        grid.addWidget(quantity_label, 0, 4)
        grid.addWidget(self.quantity_edit, 0, 5)
        grid.addWidget(self.empty_button, 0, 6)
        grid.addWidget(self.next_bin_button, 0, 7)
        grid.addWidget(self.progress_label, 1, 0, 1, 3)
        grid.addWidget(self.message_label, 1, 3, 1, 5)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 2)

        self.bin_edit.returnPressed.connect(self.on_bin_edit_return_pressed)
        self.part_edit.returnPressed.connect(self.on_part_edit_return_pressed)
        self.quantity_edit.returnPressed.connect(self.on_quantity_edit_return_pressed)
        self.next_bin_button.clicked.connect(self.on_next_bin_button_clicked)
        self.empty_button.clicked.connect(self.on_empty_button_clicked)

    # --- our API -------------------------------------------------------------------------------------------

    def set_stocktake(self, stocktake_id: int | None, lines: list[VarianceLine]) -> None:
        """Count for this stocktake; `lines` give the progress and the bins it holds."""
        changed = stocktake_id != self.stocktake_id
        self.stocktake_id = stocktake_id
        self._bins = {line.bin_code for line in lines}
        self.show_progress(lines)
        if changed:
            for edit in (self.bin_edit, self.part_edit, self.quantity_edit):
                edit.clear()
            self.message_label.clear()

    def show_progress(self, lines: list[VarianceLine]) -> None:
        bins: dict[str, bool] = {}
        for line in lines:
            bins[line.bin_code] = bins.get(line.bin_code, True) and line.counted is not None
        counted_lines = sum(1 for line in lines if line.counted is not None)
        self.progress_label.setText(self.tr("Bins counted {bins} of {all_bins} · lines counted {lines} of "
                                            "{all_lines}").format(bins=sum(bins.values()), all_bins=len(bins),
                                                                  lines=counted_lines, all_lines=len(lines)))

    def start_next_bin(self) -> None:
        self.bin_edit.clear()
        self.part_edit.clear()
        self.quantity_edit.clear()
        self.bin_edit.setFocus()

    def is_bin_code(self, code: str) -> bool:
        return code in self._bins or bool(BIN_PATTERN.match(code))

    # --- slots ---------------------------------------------------------------------------------------------

    def on_bin_edit_return_pressed(self) -> None:
        code = scanned(self.bin_edit.text())
        if not code:
            return
        self.bin_edit.setText(code)
        if code not in self._bins:
            self._say(self.tr("Bin {code} is not part of this stocktake.").format(code=code), error=True)
            self.bin_edit.selectAll()
            return
        self._say(self.tr("Bin {code}: scan the parts in it.").format(code=code))
        self.part_edit.setFocus()

    def on_part_edit_return_pressed(self) -> None:
        code = scanned(self.part_edit.text())
        if not code:
            return
        if self.is_bin_code(code):  # the next bin's label: carry on there
            self.bin_edit.setText(code)
            self.part_edit.clear()
            self.on_bin_edit_return_pressed()
            return
        if not self.bin_edit.text().strip():
            self._say(self.tr("Scan the bin label first."), error=True)
            self.bin_edit.setFocus()
            return
        self.part_edit.setText(code)
        self.quantity_edit.setFocus()

    def on_quantity_edit_return_pressed(self) -> None:
        bin_code, part_code = scanned(self.bin_edit.text()), scanned(self.part_edit.text())
        quantity = unicodedata.normalize("NFKC", self.quantity_edit.text()).strip()
        if not bin_code or not part_code or not quantity:
            (self.bin_edit if not bin_code else self.part_edit if not part_code else self.quantity_edit).setFocus()
            return
        self._record(bin_code, part_code, quantity)

    def on_empty_button_clicked(self) -> None:
        bin_code = scanned(self.bin_edit.text())
        if not bin_code:
            self._say(self.tr("Scan the bin label first."), error=True)
            self.bin_edit.setFocus()
            return
        if self._record(bin_code, "", "0"):
            self.start_next_bin()

    def _record(self, bin_code: str, part_code: str, quantity: str) -> bool:
        if self.stocktake_id is None:
            return False
        try:
            line = record_count(self._db, self._actor, stocktake_id=self.stocktake_id, bin_code=bin_code,
                                part_code=part_code, quantity=quantity)
        except DomainError as exc:
            self._say(exc.message, error=True)
            edit = {"bin_code": self.bin_edit, "part_code": self.part_edit}.get(exc.field, self.quantity_edit)
            edit.setFocus()
            edit.selectAll()
            return False
        if not line.part_code:
            text = self.tr("{bin}: empty, recorded.").format(bin=line.bin_code)
        else:
            text = self.tr("{bin} {part}: {quantity} {unit} recorded.").format(
                bin=line.bin_code, part=line.part_code, quantity=quantity_text(line.counted), unit=line.unit)
        if line.found:
            text += " " + self.tr("Found: the book has none of it in this bin.")
        self._say(text)
        self.part_edit.clear()
        self.quantity_edit.clear()
        self.part_edit.setFocus()
        self.sig_counted.emit(line)
        return True

    def on_next_bin_button_clicked(self) -> None:
        self.start_next_bin()

    # --- Qt overrides --------------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # A line edit passes Esc on to its parent: here it means "this bin is done".
        if event.key() == Qt.Key.Key_Escape:
            self.start_next_bin()
            event.accept()
            return
        super().keyPressEvent(event)

    # --- helpers -------------------------------------------------------------------------------------------

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message_label.setStyleSheet(ERROR_STYLE if error else HINT_STYLE)
        self.message_label.setText(text)
