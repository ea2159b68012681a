"""The KPI settings as the branch manager sets them from the keyboard: the current values shown, typed
values kept within what the service accepts, Enter saves, Esc leaves everything as it was."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt

from desktop.domain.roles import Role
from desktop.services.kpi_settings import get_kpi_settings
from desktop.views.kpi.kpi_settings_dialog import KpiSettingsDialog


def type_into(qtbot, spin, text: str) -> None:
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)


def test_the_manager_types_new_targets_and_enter_saves_them(sqlite_db, make_user, qtbot):
    manager = make_user(sqlite_db, Role.MANAGER).actor()
    dialog = KpiSettingsDialog(sqlite_db, manager)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.response_spin.value() == 2 and dialog.fix_rate_spin.value() == 95
    assert dialog.close_spin.value() == 5 and dialog.satisfied_spin.value() == 4
    type_into(qtbot, dialog.fix_rate_spin, "90")
    type_into(qtbot, dialog.response_spin, "4")
    type_into(qtbot, dialog.close_spin, "10")
    dialog.base_combo.setCurrentIndex(dialog.base_combo.findData("active_customers"))
    qtbot.keyClick(dialog.close_spin, Qt.Key.Key_Return)
    assert dialog.result() == KpiSettingsDialog.DialogCode.Accepted
    saved = get_kpi_settings(sqlite_db, manager)
    assert saved.fix_rate_target_percent == Decimal("90.00")
    assert saved.response_time_target_hours == Decimal("4.00")
    assert (saved.close_after_days, saved.complaint_rate_base) == (10, "active_customers")
    assert saved.top_n == 10 and saved.satisfied_min_score == 4  # untouched


def test_a_value_outside_the_range_cannot_be_typed_and_esc_changes_nothing(sqlite_db, make_user, qtbot):
    manager = make_user(sqlite_db, Role.MANAGER).actor()
    dialog = KpiSettingsDialog(sqlite_db, manager)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.satisfied_spin, "7")
    assert dialog.satisfied_spin.value() == 4  # 1 to 5 only: the 7 is refused as typed
    type_into(qtbot, dialog.close_spin, "61")
    assert dialog.close_spin.value() <= 60
    type_into(qtbot, dialog.fix_rate_spin, "80")
    qtbot.keyClick(dialog.fix_rate_spin, Qt.Key.Key_Escape)
    assert dialog.result() == KpiSettingsDialog.DialogCode.Rejected
    assert get_kpi_settings(sqlite_db, manager).fix_rate_target_percent == Decimal(95)
