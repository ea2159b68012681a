"""The branch's KPI settings (desktop/services/kpi_settings.py), set by the branch manager: the targets the
figures are held against, what counts as satisfied, the complaint rate's denominator, how long the top
lists are, and how many days after its end a month closes. Every box takes only what the service accepts,
so a value cannot be typed wrong; Enter saves, Esc cancels.

A closed month keeps the settings it was assessed with (desktop/domain/kpi_months.py): the note says so,
because a new target would otherwise seem not to apply to last month.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.db.uow import Actor, Database
from desktop.domain.errors import DomainError
from desktop.domain.kpi import KpiSettings
from desktop.services.kpi_settings import get_kpi_settings, set_kpi_settings
from desktop.views.common import ERROR_STYLE, HINT_STYLE


class KpiSettingsDialog(QDialog):
    """`saved` holds the settings after a save."""

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.saved: KpiSettings | None = None
        self.setWindowTitle(self.tr("KPI settings"))
        current = get_kpi_settings(db, actor)

        self.response_spin = QDoubleSpinBox(self, decimals=2, minimum=0.25, maximum=240, singleStep=0.5)
        self.response_spin.setSuffix(self.tr(" h"))
        self.response_spin.setValue(float(current.response_time_target_hours))
        self.fix_rate_spin = QDoubleSpinBox(self, decimals=2, minimum=1, maximum=100, singleStep=1)
        self.fix_rate_spin.setSuffix(" %")
        self.fix_rate_spin.setValue(float(current.fix_rate_target_percent))
        self.satisfied_spin = QSpinBox(self, minimum=1, maximum=5)
        self.satisfied_spin.setValue(current.satisfied_min_score)
        self.base_combo = QComboBox(self)
        self.base_combo.addItem(self.tr("customers with a service order created in the period"), "customers_with_orders")
        self.base_combo.addItem(self.tr("customers with an order or a complaint in the 12 months to the period end"),
                                "active_customers")
        self.base_combo.setCurrentIndex(max(0, self.base_combo.findData(current.complaint_rate_base)))
        self.top_spin = QSpinBox(self, minimum=1, maximum=100)
        self.top_spin.setSuffix(self.tr(" rows"))
        self.top_spin.setValue(current.top_n)
        self.close_spin = QSpinBox(self, minimum=0, maximum=60)
        self.close_spin.setSuffix(self.tr(" days after its end"))
        self.close_spin.setValue(current.close_after_days)

        form = QFormLayout()
        form.addRow(self.tr("Average &response time target (at most):"), self.response_spin)
        form.addRow(self.tr("&Fix rate target (at least):"), self.fix_rate_spin)
        form.addRow(self.tr("&Satisfied means a score of at least:"), self.satisfied_spin)
        form.addRow(self.tr("Complaint rate &denominator:"), self.base_combo)
        form.addRow(self.tr("&Top lists show:"), self.top_spin)
        form.addRow(self.tr("A month &closes:"), self.close_spin)
        note = QLabel(self.tr("New settings count in the months not closed yet. A closed month keeps the settings "
                              "and figures it was assessed with until a manager recomputes it on the KPI page."),
                      self, wordWrap=True)
        note.setStyleSheet(HINT_STYLE)
        self.error_label = QLabel(self, wordWrap=True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.save_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)  # Enter saves from any field
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.response_spin.setFocus()

    def on_buttons_accepted(self) -> None:
        try:
            self.saved = set_kpi_settings(
                self._db, self._actor,
                response_time_target_hours=Decimal(f"{self.response_spin.value():.2f}"),
                fix_rate_target_percent=Decimal(f"{self.fix_rate_spin.value():.2f}"),
                satisfied_min_score=self.satisfied_spin.value(),
                complaint_rate_base=self.base_combo.currentData(),
                top_n=self.top_spin.value(),
                close_after_days=self.close_spin.value())
        except DomainError as exc:
            self.error_label.setText(exc.message)
            self.error_label.show()
            return
        self.accept()
