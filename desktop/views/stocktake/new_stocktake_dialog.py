"""Planning a stocktake: the whole warehouse, chosen zones, or one ABC class (cycle count), blind or open."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.db.uow import Actor, Database
from desktop.domain.errors import DomainError
from desktop.domain.warehouse import AbcClass
from desktop.services.stock_lists import zones
from desktop.services.stocktake import StocktakeRecord, plan_stocktake
from desktop.views.common import ERROR_STYLE, HINT_STYLE


class NewStocktakeDialog(QDialog):
    def __init__(self, db: Database, actor: Actor, branch_code: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._branch_code = branch_code
        self.record: StocktakeRecord | None = None
        self.setWindowTitle(self.tr("New stocktake"))

        self.whole_radio = QRadioButton(self.tr("&Whole warehouse"), self)
        self.zones_radio = QRadioButton(self.tr("Chosen &zones:"), self)
        self.abc_radio = QRadioButton(self.tr("One &ABC class (cycle count):"), self)
        self.whole_radio.setChecked(True)
        group = QButtonGroup(self)
        for radio in (self.whole_radio, self.zones_radio, self.abc_radio):
            group.addButton(radio)
        self.zone_checks: dict[str, QCheckBox] = {}
        zone_row = QHBoxLayout()
        zone_row.setContentsMargins(24, 0, 0, 0)
        for zone in zones(db, actor):
            check = QCheckBox(zone, self)
            check.setEnabled(False)
            self.zone_checks[zone] = check
            zone_row.addWidget(check)
        zone_row.addStretch(1)
        self.abc_combo = QComboBox(self)
        for abc in AbcClass:
            self.abc_combo.addItem(self.tr("Class {abc}").format(abc=abc.value), abc.value)
        self.abc_combo.setEnabled(False)
        abc_row = QHBoxLayout()
        abc_row.addWidget(self.abc_radio)
        abc_row.addWidget(self.abc_combo)
        abc_row.addStretch(1)
        self.blind_check = QCheckBox(self.tr("&Blind count (盲盘): the count sheet hides the book quantity"), self)
        self.blind_check.setChecked(True)
        hint = QLabel(self.tr("Counting freezes the chosen bins: no stock moves in or out of them until the "
                              "stocktake is posted or cancelled."), self, wordWrap=True)
        hint.setStyleSheet(HINT_STYLE)
        self.error_label = QLabel(self, wordWrap=True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Plan"))

        layout = QVBoxLayout(self)
        layout.addWidget(self.whole_radio)
        layout.addWidget(self.zones_radio)
        layout.addLayout(zone_row)
        layout.addLayout(abc_row)
        layout.addSpacing(8)
        layout.addWidget(self.blind_check)
        layout.addWidget(hint)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.zones_radio.toggled.connect(self.on_zones_radio_toggled)
        self.abc_radio.toggled.connect(self.abc_combo.setEnabled)
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def chosen_zones(self) -> list[str]:
        return [zone for zone, check in self.zone_checks.items() if check.isChecked()]

    def on_zones_radio_toggled(self, checked: bool) -> None:
        for check in self.zone_checks.values():
            check.setEnabled(checked)

    def on_buttons_accepted(self) -> None:
        chosen = self.chosen_zones() if self.zones_radio.isChecked() else None
        if self.zones_radio.isChecked() and not chosen:
            self.error_label.setText(self.tr("Tick at least one zone."))
            return
        abc = AbcClass(self.abc_combo.currentData()) if self.abc_radio.isChecked() else None
        try:
            self.record = plan_stocktake(self._db, self._actor, branch_code=self._branch_code, zones=chosen,
                                         abc_class=abc, blind=self.blind_check.isChecked())
        except DomainError as exc:
            self.error_label.setText(exc.message)
            return
        self.accept()
