"""A customer's file: units added and refused, the customer edited from it, complaints per unit, merging a
duplicate into it."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.services import customers
from desktop.views.customers.customer_dialog import CustomerDialog
from desktop.views.customers.customer_view import COMPLAINTS_TAB, CustomerView
from desktop.views.customers.merge_dialog import MergeDialog
from desktop.views.customers.product_dialog import ProductDialog
from tests.views.customers.conftest import closed, names, opened


def product_serials(view: CustomerView) -> list[str]:
    return [view.products_table.item(row, 1).text() for row in range(view.products_table.rowCount())]


def test_a_unit_added_in_the_file_is_listed_and_found_by_its_serial(page, qtbot, book):
    view = page.open_customer(book.li.id)
    assert view.tabs.tabText(1) == "&Products (0)"
    view.add_product_button.click()
    dialog = opened(qtbot, ProductDialog)
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.model_edit, "KFR-50LW")
    qtbot.keyClicks(dialog.serial_edit, "kfr2503000111")  # 王小明's unit already has this number
    qtbot.keyClick(dialog.serial_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and "KFR2503000111" in dialog.error_label.text()
    assert dialog.focusWidget() is dialog.serial_edit
    dialog.serial_edit.setText("kfr2505000999")
    dialog.purchase_edit.set_value(book.li.created_at.date())
    qtbot.keyClick(dialog.serial_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: closed(dialog), timeout=2_000)
    assert product_serials(view) == ["KFR2505000999"] and view.tabs.tabText(1) == "&Products (1)"
    assert view.current_product().purchase_date == book.li.created_at.date()
    page.search_edit.setText("KFR2505000999")
    qtbot.waitUntil(lambda: names(page) == ["李四"], timeout=2_000)
    assert page.unit_button.isVisible()


def test_the_customer_edited_from_the_file_shows_the_change_there_and_in_the_list(page, qtbot, book):
    view = page.open_customer(book.li.id)
    view.edit_button.click()
    dialog = opened(qtbot, CustomerDialog)
    dialog.name_edit.setText("李思思")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: view.title_label.text() == "李思思", timeout=2_000)
    assert "李思思" in names(page) and "李四" not in names(page)


def test_the_complaints_tab_lists_the_customer_s_complaints_and_hands_one_on(page, qtbot, book):
    view = page.open_customer(book.wang.id)
    view.tabs.setCurrentIndex(COMPLAINTS_TAB)
    model = view.complaints_view.model
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [book.complaint_number]
    qtbot.waitUntil(lambda: view.tabs.tabText(COMPLAINTS_TAB) == "Co&mplaints (1)", timeout=3_000)
    view.complaints_view.table.setCurrentIndex(model.index(0, 0))
    with qtbot.waitSignal(page.sig_complaint_activated) as handed:
        qtbot.keyClick(view.complaints_view.table, Qt.Key.Key_Return)
    assert handed.args == [model.row_id(0)]


def test_merging_moves_the_duplicate_s_units_and_archives_it(page, qtbot, book):
    assert names(page).count("王小明") == 2
    page.select_customer(book.wang.id)
    page.merge_button.click()
    dialog = opened(qtbot, MergeDialog)
    assert dialog.search_edit.text() == "王小明"
    assert not dialog.ok_button.isEnabled()
    table = dialog.list_view.table
    table.setCurrentIndex(dialog.model.index(dialog.model.row_of_id(book.wang.id), 0))
    qtbot.waitUntil(lambda: "the customer you keep" in dialog.summary_label.text(), timeout=2_000)
    assert not dialog.ok_button.isEnabled()
    table.setCurrentIndex(dialog.model.index(dialog.model.row_of_id(book.wang_twin.id), 0))
    qtbot.waitUntil(lambda: "KFR2409000222" in dialog.summary_label.text(), timeout=2_000)
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: closed(dialog), timeout=2_000)
    assert names(page).count("王小明") == 1
    kept = customers.get_customer(page._db, book.operator, book.wang.id)
    assert sorted(p.serial_number for p in kept.products) == ["KFR2409000222", "KFR2503000111"]
    assert customers.get_customer(page._db, book.operator, book.wang_twin.id).merged_into_id == book.wang.id
    view = page.open_customer(book.wang.id)
    assert sorted(product_serials(view)) == ["KFR2409000222", "KFR2503000111"]
