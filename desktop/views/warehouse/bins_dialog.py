"""New bins (库位): one by its code (区-架-层-位, e.g. A-03-2-05, checked as it is typed), or every bin of a
range of shelves, layers and positions of a zone. Bins that exist already are kept."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.db.uow import Actor, Database
from desktop.domain.errors import DomainError
from desktop.domain.warehouse import bin_code, parse_bin_code
from desktop.services import parts
from desktop.views.common import ERROR_STYLE, HINT_STYLE, show_error

SINGLE, RANGE = 0, 1


class BinsDialog(QDialog):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.created = 0
        self.setWindowTitle(self.tr("New bins"))

        self.code_edit = QLineEdit(self, placeholderText="A-03-2-05", maxLength=12)
        self.code_hint = QLabel(self, wordWrap=True)
        single = QWidget(self)
        single_form = QFormLayout(single)
        single_form.addRow(self.tr("Bin &code:"), self.code_edit)
        single_form.addRow("", self.code_hint)

        self.zone_edit = QLineEdit(self, maxLength=2, placeholderText="A")
        self.zone_edit.setValidator(QRegularExpressionValidator(QRegularExpression("[A-Za-z]{1,2}"), self))
        self.shelf_from, self.shelf_to = self._spin(99), self._spin(99)
        self.layer_from, self.layer_to = self._spin(9), self._spin(9)
        self.position_from, self.position_to = self._spin(99), self._spin(99)
        self.range_hint = QLabel(self, wordWrap=True)
        several = QWidget(self)
        range_form = QFormLayout(several)
        range_form.addRow(self.tr("&Zone (区):"), self.zone_edit)
        range_form.addRow(self.tr("&Shelves (架):"), self._pair(self.shelf_from, self.shelf_to))
        range_form.addRow(self.tr("&Layers (层):"), self._pair(self.layer_from, self.layer_to))
        range_form.addRow(self.tr("&Positions (位):"), self._pair(self.position_from, self.position_to))
        range_form.addRow("", self.range_hint)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(single, self.tr("One bin"))
        self.tabs.addTab(several, self.tr("A range of bins"))
        self.message_label = QLabel(self, wordWrap=True)
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.create_button = self.buttons.addButton(self.tr("C&reate"), QDialogButtonBox.ButtonRole.AcceptRole)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)

        self.code_edit.textChanged.connect(self._update)
        self.zone_edit.textChanged.connect(self._update)
        for spin in (self.shelf_from, self.shelf_to, self.layer_from, self.layer_to, self.position_from,
                     self.position_to):
            spin.valueChanged.connect(self._update)
        self.tabs.currentChanged.connect(self._update)
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self._update()

    # --- our API -------------------------------------------------------------------------------------------

    def range_count(self) -> int:
        sizes = [to.value() - first.value() + 1 for first, to in (
            (self.shelf_from, self.shelf_to), (self.layer_from, self.layer_to),
            (self.position_from, self.position_to))]
        return 0 if min(sizes) < 1 else sizes[0] * sizes[1] * sizes[2]

    def create(self) -> bool:
        try:
            if self.tabs.currentIndex() == SINGLE:
                parts.create_bin(self._db, self._actor, code=self.code_edit.text())
                self.created = 1
            else:
                self.created = parts.create_bins(
                    self._db, self._actor, zone=self.zone_edit.text(),
                    shelves=range(self.shelf_from.value(), self.shelf_to.value() + 1),
                    layers=range(self.layer_from.value(), self.layer_to.value() + 1),
                    positions=range(self.position_from.value(), self.position_to.value() + 1))
        except DomainError as exc:
            self.message_label.setText(exc.message)
            return False
        except Exception as exc:  # noqa: BLE001 - reported; what was typed stays
            show_error(self, exc)
            return False
        return True

    # --- slots ---------------------------------------------------------------------------------------------

    def on_buttons_accepted(self) -> None:
        if self.create():
            self.accept()

    # --- helpers -------------------------------------------------------------------------------------------

    def _update(self, *_args) -> None:
        self.message_label.clear()
        text = self.code_edit.text().strip()
        parsed = parse_bin_code(text) if text else None
        if not text:
            self.code_hint.setText(self.tr("Zone-shelf-layer-position, e.g. A-03-2-05."))
            self.code_hint.setStyleSheet(HINT_STYLE)
        elif parsed is None:
            self.code_hint.setText(self.tr("Not a bin code yet: zone letter, two-digit shelf, one-digit layer, "
                                           "two-digit position, e.g. A-03-2-05."))
            self.code_hint.setStyleSheet(ERROR_STYLE)
        else:
            zone, shelf, layer, position = parsed
            self.code_hint.setText(self.tr("Zone {zone}, shelf {shelf}, layer {layer}, position {position}.").format(
                zone=zone, shelf=shelf, layer=layer, position=position))
            self.code_hint.setStyleSheet(HINT_STYLE)
        zone = self.zone_edit.text().strip().upper()
        count = self.range_count()
        if zone and count:
            first = bin_code(zone, self.shelf_from.value(), self.layer_from.value(), self.position_from.value())
            last = bin_code(zone, self.shelf_to.value(), self.layer_to.value(), self.position_to.value())
            self.range_hint.setText(self.tr("{count} bins, {first} to {last}.").format(count=count, first=first,
                                                                                      last=last))
        else:
            self.range_hint.setText(self.tr("Choose a zone and ranges whose first value is not above the last."))
        ready = parsed is not None if self.tabs.currentIndex() == SINGLE else bool(zone and count)
        self.create_button.setEnabled(ready)

    def _spin(self, top: int) -> QSpinBox:
        return QSpinBox(self, minimum=1, maximum=top, value=1)

    def _pair(self, first: QSpinBox, last: QSpinBox) -> QWidget:
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(first)
        row.addWidget(QLabel(self.tr("to"), box))
        row.addWidget(last)
        row.addStretch(1)
        return box
