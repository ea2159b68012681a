"""Taking a service request at the front desk: the customer and the unit, the 三包 proposal with its rule and
the person's decision, what is still missing while typing, and the read-back that is exactly what is saved."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QMessageBox

from desktop.domain.sanbao import Coverage
from desktop.domain.service_orders import OrderCategory, Urgency
from desktop.services import customers
from desktop.services import service_orders as orders
from desktop.views.orders.intake_dialog import FORM, READ_BACK, IntakeDialog
from tests.views.orders.conftest import BOUGHT_DAYS_AGO, SETTINGS

CTRL = Qt.KeyboardModifier.ControlModifier


def open_dialog(qtbot, db, actor) -> IntakeDialog:
    dialog = IntakeDialog(db, actor, SETTINGS)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # Ctrl+Enter is the window's shortcut
    return dialog


def pick(qtbot, dialog: IntakeDialog, text: str) -> None:
    if text.isascii():
        qtbot.keyClicks(dialog.picker.search_edit, text)
    else:
        dialog.picker.search_edit.insert(text)  # QTest types ASCII only
    qtbot.keyClick(dialog.picker.search_edit, Qt.Key.Key_Return)  # Enter takes the first match


def test_an_intake_with_a_changed_decision_is_read_back_and_saved(sqlite_db, desk, qtbot, monkeypatch):
    dialog = open_dialog(qtbot, sqlite_db, desk.operator)
    assert dialog.focusWidget() is dialog.picker.search_edit
    assert not dialog.read_back_button.isEnabled() and "customer" in dialog.message_label.text()

    pick(qtbot, dialog, "KFR3525001")  # the air conditioner's serial number
    assert dialog.picker.customer.name == "张三丰"
    assert dialog.product_combo.currentData() == desk.air_conditioner.id  # the searched unit is preselected
    # The proposal as soon as the unit is known: coverage, the rule and its dates.
    proposal = dialog.proposal_label.text()
    assert "In warranty" in proposal and f"第{BOUGHT_DAYS_AGO}天" in proposal and "整机保修期内" in proposal
    assert dialog.decision_combo.currentData() == Coverage.WARRANTY and not dialog.reason_edit.isEnabled()
    assert dialog.contact_edit.text() == "张三丰" and dialog.phone_edit.text() == "13912345678"  # from the file
    assert not dialog.read_back_button.isEnabled() and "asks for" in dialog.message_label.text()

    qtbot.keyClicks(dialog.request_edit, "No cooling since yesterday")
    assert dialog.read_back_button.isEnabled()
    dialog.decision_combo.setCurrentIndex(dialog.decision_combo.findData(Coverage.CHARGEABLE))
    assert "Differs from the proposal" in dialog.decision_hint.text() and dialog.reason_edit.isEnabled()
    assert not dialog.read_back_button.isEnabled() and "differs" in dialog.message_label.text()
    qtbot.keyClicks(dialog.reason_edit, "Outdoor unit moved by the customer")
    assert dialog.read_back_button.isEnabled()

    qtbot.keyClick(dialog.request_edit, Qt.Key.Key_Return, CTRL)
    assert dialog.stack.currentIndex() == READ_BACK and dialog.save_button.hasFocus()
    summary = dialog.summary.toPlainText()
    for shown in ("张三丰", "13912345678", "KFR-35GW · KFR3525001", "No cooling since yesterday",
                  "General troubleshooting", "Normal", "Chargeable", "In warranty", "第100天",
                  "Outdoor unit moved by the customer"):
        assert shown in summary, shown

    qtbot.keyClick(dialog.save_button, Qt.Key.Key_Escape)  # Esc: back to the form, nothing lost
    assert dialog.isVisible() and dialog.stack.currentIndex() == FORM
    assert dialog.request_edit.toPlainText() == "No cooling since yesterday"
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args: asked.append(args[2]) or QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(dialog.contact_edit, Qt.Key.Key_Escape)  # Esc on the form asks before a call's notes are lost
    assert dialog.isVisible() and asked == ["Discard this service request? What was entered is lost."]
    qtbot.keyClick(dialog.contact_edit, Qt.Key.Key_Return)  # Enter outside a text box goes on too
    assert dialog.stack.currentIndex() == READ_BACK
    qtbot.keyClick(dialog.save_button, Qt.Key.Key_Return)  # Enter on the read-back saves
    assert not dialog.isVisible() and dialog.result() == IntakeDialog.DialogCode.Accepted

    saved = orders.get_order(sqlite_db, desk.operator, dialog.saved.id)
    assert saved.number.startswith("FW-GZ01-") and saved.request == "No cooling since yesterday"
    assert (saved.coverage_proposed, saved.coverage_decided) == (Coverage.WARRANTY, Coverage.CHARGEABLE)
    assert "第100天" in saved.coverage_rule
    assert saved.decision_reason == saved.events[0][3] == "Outdoor unit moved by the customer"
    assert (saved.contact_name, saved.contact_phone, saved.serial_number) == ("张三丰", "13912345678", "KFR3525001")


def test_the_read_back_shows_what_is_saved(sqlite_db, desk, qtbot):
    dialog = open_dialog(qtbot, sqlite_db, desk.operator)
    pick(qtbot, dialog, "CK61502501")  # the lathe: machinery under its contract
    assert dialog.product_combo.currentData() == desk.lathe.id
    assert "Under service contract" in dialog.proposal_label.text() and "合同保修期内" in dialog.proposal_label.text()
    assert dialog.project_edit.text() == "HT-2025-018"  # the unit's contract number
    dialog.contact_edit.setText("李工")
    dialog.phone_edit.setText("13600001111")  # someone else called
    dialog.request_edit.insertPlainText("主轴异响，加工精度超差")
    dialog.category_combo.setCurrentIndex(dialog.category_combo.findData(OrderCategory.EMERGENCY_REPAIR))
    assert dialog.urgency_combo.currentData() == Urgency.EMERGENCY  # an emergency repair is urgent by nature
    dialog.expected_check.setChecked(True)
    expected = QDateTime.currentDateTime().addSecs(5 * 3600)
    dialog.expected_edit.setDateTime(expected)
    dialog.special_edit.insertPlainText("进厂需戴安全帽")
    assert dialog.show_read_back()
    summary = dialog.summary.toPlainText()
    for shown in ("李工", "13600001111", "HT-2025-018", "CK6150 · CK61502501", "主轴异响，加工精度超差",
                  "Emergency repair", "Emergency", expected.toString("yyyy-MM-dd HH:mm"), "进厂需戴安全帽",
                  "Under service contract"):
        assert shown in summary, shown
    assert "Reason for the decision" not in summary  # the decision is the proposal
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = orders.get_order(sqlite_db, desk.operator, dialog.saved.id)
    assert (saved.contact_name, saved.contact_phone, saved.project) == ("李工", "13600001111", "HT-2025-018")
    assert saved.category == OrderCategory.EMERGENCY_REPAIR and saved.urgency == Urgency.EMERGENCY
    assert saved.special_requests == "进厂需戴安全帽" and saved.coverage_decided == Coverage.CONTRACT
    assert saved.expected_by.astimezone().strftime("%Y-%m-%d %H:%M") == expected.toString("yyyy-MM-dd HH:mm")


def test_without_a_request_there_is_no_read_back(sqlite_db, desk, qtbot):
    dialog = open_dialog(qtbot, sqlite_db, desk.operator)
    pick(qtbot, dialog, "13912345678")
    qtbot.keyClicks(dialog.request_edit, "   ")  # blanks are not a request
    assert not dialog.read_back_button.isEnabled()
    qtbot.keyClick(dialog.request_edit, Qt.Key.Key_Return, CTRL)
    assert dialog.stack.currentIndex() == FORM and dialog.saved is None
    assert dialog.message_label.text() == "Write what the customer asks for." and dialog.request_edit.hasFocus()
    assert not _orders_exist(sqlite_db, desk)


def test_a_refusal_at_saving_goes_back_to_the_form_with_everything_typed(sqlite_db, desk, qtbot):
    dialog = open_dialog(qtbot, sqlite_db, desk.operator)
    pick(qtbot, dialog, "张三丰")
    dialog.request_edit.insertPlainText("空调漏水")
    assert dialog.show_read_back()
    # Meanwhile someone archives the customer on another PC.
    customers.archive_customer(sqlite_db, desk.admin, customer_id=desk.zhang.id,
                               version=customers.get_customer(sqlite_db, desk.admin, desk.zhang.id).version)
    qtbot.keyClick(dialog.save_button, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.stack.currentIndex() == FORM and dialog.saved is None
    assert "existing customer" in dialog.message_label.text() and dialog.request_edit.toPlainText() == "空调漏水"
    assert not _orders_exist(sqlite_db, desk)


def test_a_question_without_a_unit_is_proposed_as_chargeable(sqlite_db, desk, qtbot):
    dialog = open_dialog(qtbot, sqlite_db, desk.operator)
    pick(qtbot, dialog, "张三丰")
    dialog.product_combo.setCurrentIndex(dialog.product_combo.findData(None))
    assert "Chargeable" in dialog.proposal_label.text() and "无合同保修信息" in dialog.proposal_label.text()
    assert dialog.decision_combo.currentData() == Coverage.CHARGEABLE and "No unit" in dialog.unit_label.text()


def test_the_dialog_fits_a_small_screen(sqlite_db, desk, qtbot):
    dialog = open_dialog(qtbot, sqlite_db, desk.operator)
    pick(qtbot, dialog, "KFR3525001")
    hint = dialog.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 700
    assert dialog.width() <= 1366 and dialog.height() <= 728


def _orders_exist(db, desk) -> bool:
    from desktop.services import order_list

    return order_list.order_register(db, desk.manager).count() > 0
