"""The customer form: a new customer lands in the list, identity numbers are checked as typed, the
service's refusals point at the field, and a record changed meanwhile is reloaded, never overwritten."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt

from desktop.domain.customers import CustomerKind
from desktop.domain.identity import credit_code_problem, id_card_problem
from desktop.services import customers
from desktop.services.customers import CustomerInput
from desktop.views.customers.customer_dialog import IDENTITY_PROBLEMS, CustomerDialog
from tests.views.customers.conftest import closed, names, opened

GOOD_ID = "11010519491231002X"  # check character X
GOOD_CREDIT_CODE = "91440101MA5CXXXX1B"  # check character B


def test_a_new_customer_made_in_the_dialog_appears_in_the_list(page, qtbot, book):
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = opened(qtbot, CustomerDialog)
    assert dialog.windowTitle() == "New customer" and not dialog.ok_button.isEnabled()
    dialog.name_edit.insert("赵敏")  # QTest types ASCII only
    qtbot.keyClicks(dialog.phone_edit, "13600001111")
    qtbot.keyClicks(dialog.id_edit, GOOD_ID)
    assert dialog.ok_button.isEnabled()
    qtbot.keyClick(dialog.phone_edit, Qt.Key.Key_Return)  # Enter saves
    qtbot.waitUntil(lambda: closed(dialog), timeout=2_000)
    assert "赵敏" in names(page)
    assert page.model.row_id(page.list_view.table.currentIndex().row()) == dialog.saved.id  # and is current
    assert "赵敏" in page.status_label.text()
    saved = customers.get_customer(page._db, book.operator, dialog.saved.id)
    assert (saved.phone, saved.id_number) == ("13600001111", GOOD_ID)


def test_a_wrong_id_card_number_keeps_ok_disabled_and_says_why(page, qtbot):
    page.new_button.click()
    dialog = opened(qtbot, CustomerDialog)
    dialog.name_edit.insert("赵敏")
    qtbot.keyClicks(dialog.id_edit, GOOD_ID[:-1] + "7")
    assert not dialog.ok_button.isEnabled()
    assert dialog.id_hint.text() == "ID card number: the check digit does not match."
    qtbot.keyClick(dialog.id_edit, Qt.Key.Key_Return)  # Enter does nothing while the number is wrong
    assert dialog.isVisible()
    qtbot.keyClick(dialog.id_edit, Qt.Key.Key_Backspace)
    assert "17 digits" in dialog.id_hint.text()
    qtbot.keyClicks(dialog.id_edit, "X")
    assert dialog.ok_button.isEnabled() and dialog.id_hint.text() == ""
    # A company's number is a unified social credit code, with its own check character.
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(CustomerKind.COMPANY.value))
    assert dialog.form.labelForField(dialog.name_edit).text() == "&Unit name:"
    assert not dialog.ok_button.isEnabled()
    assert dialog.id_hint.text().startswith("Unified social credit code:")
    dialog.id_edit.setText(GOOD_CREDIT_CODE[:-1] + "C")
    assert dialog.id_hint.text() == "Unified social credit code: the check character does not match."
    dialog.id_edit.setText(GOOD_CREDIT_CODE)
    assert dialog.ok_button.isEnabled()
    dialog.reject()


def test_every_identity_problem_is_marked_for_translation():
    found = {id_card_problem(n) for n in ("123", "440106199002301235", GOOD_ID[:-1] + "7")}
    found |= {credit_code_problem(c) for c in ("91440101", GOOD_CREDIT_CODE[:-1] + "C")}
    assert found <= set(IDENTITY_PROBLEMS), found - set(IDENTITY_PROBLEMS)


def test_the_service_s_refusal_is_shown_at_the_field(page, qtbot):
    page.new_button.click()
    dialog = opened(qtbot, CustomerDialog)
    dialog.name_edit.insert("赵敏")
    qtbot.keyClicks(dialog.phone2_edit, "12ab")
    dialog.ok_button.click()
    assert dialog.isVisible(), "nothing typed is lost"
    assert dialog.error_label.isVisible() and "12ab" in dialog.error_label.text()
    assert dialog.focusWidget() is dialog.phone2_edit
    dialog.reject()


def test_a_customer_changed_meanwhile_is_reloaded_not_overwritten(sqlite_db, qtbot, book):
    dialog = CustomerDialog(sqlite_db, book.operator, book.li)
    qtbot.addWidget(dialog)
    dialog.show()
    other = replace(CustomerInput(kind=book.li.kind, name=book.li.name), phone="13700000000")
    customers.update_customer(sqlite_db, book.operator, customer_id=book.li.id, version=book.li.version,
                              data=other)
    dialog.region_edit.setText("广东省佛山市")
    dialog.ok_button.click()
    assert dialog.isVisible()
    assert "Changed by lina at" in dialog.error_label.text()
    assert dialog.reload_button.isVisible()
    dialog.reload_button.click()
    assert dialog.phone_edit.text() == "13700000000" and dialog.region_edit.text() == ""
    dialog.region_edit.setText("广东省佛山市")
    dialog.ok_button.click()
    assert dialog.result() == CustomerDialog.DialogCode.Accepted
    saved = customers.get_customer(sqlite_db, book.operator, book.li.id)
    assert (saved.phone, saved.region) == ("13700000000", "广东省佛山市")


def test_the_form_fits_a_small_screen_and_tabs_in_reading_order(sqlite_db, qtbot, book):
    dialog = CustomerDialog(sqlite_db, book.operator, None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.sizeHint().height() <= 700 and dialog.sizeHint().width() <= 1300
    order, widget = [], dialog.kind_combo
    for _ in range(9):
        widget = widget.nextInFocusChain()
        while widget.focusPolicy() == Qt.FocusPolicy.NoFocus or not widget.isVisible():
            widget = widget.nextInFocusChain()
        order.append(widget)
    assert order[:8] == [dialog.name_edit, dialog.contact_edit, dialog.phone_edit, dialog.phone2_edit,
                         dialog.region_edit, dialog.address_edit, dialog.id_edit, dialog.importance_combo]
