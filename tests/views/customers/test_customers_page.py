"""The customer list as the desk uses it: search as you type with the match marked, keys, masking, archive,
export, and a serial number that leads to its unit."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop.config import Settings
from desktop.db.uow import SYSTEM
from desktop.domain.roles import Role
from desktop.models.lazy_table_model import MatchRole
from desktop.services import audit, customers
from desktop.services.audit import AuditFilter
from desktop.views.customers.customer_view import PRODUCTS_TAB, CustomerView
from desktop.views.customers.customers_page import CustomersPage
from desktop.views.lazy_list_view import HIGHLIGHT_BACKGROUND, HighlightDelegate
from tests.views.customers.conftest import NAME_COLUMN, PHONE_COLUMN, names, opened

ALL = {"王小明", "李四", "佛山华通精密机械有限公司"}


def test_typing_filters_the_list_after_a_pause_and_marks_the_match(page, qtbot):
    assert set(names(page)) == ALL and len(names(page)) == 4
    page.search_edit.insert("华通精")  # any part of a name, three characters or more
    qtbot.wait(100)
    assert len(names(page)) == 4, "the list waits for a pause in the typing"
    qtbot.waitUntil(lambda: names(page) == ["佛山华通精密机械有限公司"], timeout=2_000)
    cell = page.model.index(0, NAME_COLUMN)
    assert cell.data(MatchRole) == [(2, 3)]
    assert isinstance(page.list_view.table.itemDelegateForIndex(cell), HighlightDelegate)
    # The marked characters are painted on yellow where the user looks.
    table = page.list_view.table
    image = table.viewport().grab(table.visualRect(cell)).toImage()
    colours = {QColor(image.pixel(x, y)).name() for x in range(image.width()) for y in range(image.height())}
    assert HIGHLIGHT_BACKGROUND.name() in colours


def test_a_phone_number_or_contract_number_finds_the_customer(page, qtbot):
    qtbot.keyClicks(page.search_edit, "1391234")
    qtbot.waitUntil(lambda: names(page) == ["李四"], timeout=2_000)
    page.search_edit.clear()
    qtbot.keyClicks(page.search_edit, "ht-2025")
    qtbot.waitUntil(lambda: names(page) == ["佛山华通精密机械有限公司"], timeout=2_000)


def test_keys_ctrl_f_focuses_the_search_esc_clears_it_enter_opens_the_customer(page, qtbot, book):
    page.list_view.table.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search_edit.hasFocus()
    qtbot.keyClicks(page.search_edit, "1391234")
    qtbot.waitUntil(lambda: names(page) == ["李四"], timeout=2_000)
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Escape)
    assert page.search_edit.text() == "" and len(names(page)) == 4
    qtbot.keyClicks(page.search_edit, "1391234")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)  # one customer found: Enter opens them
    view = opened(qtbot, CustomerView)
    assert view.title_label.text() == "李四"
    view.close()
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Escape)
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Down)  # into the list
    assert page.list_view.table.hasFocus() and page.list_view.current_id() != -1
    qtbot.keyClick(page.list_view.table, Qt.Key.Key_Return)
    assert opened(qtbot, CustomerView).record.id == page.list_view.current_id()


def test_lists_mask_phones_the_open_record_shows_them_to_the_operator_only(book, make_page, make_user,
                                                                         sqlite_db):
    engineer = make_user(sqlite_db, Role.ENGINEER, "gong").actor()
    for actor in (engineer, book.operator):
        page = make_page(actor)
        row = page.model.row_of_id(book.li.id)
        assert page.model.index(row, PHONE_COLUMN).data() == "139****5678"
        view = page.open_customer(book.li.id)
        phone = view.findChild(type(view.title_label), "detail_phone").text()
        if actor is engineer:
            assert page.model.index(row, NAME_COLUMN).data() == "李*"
            assert phone == "139****5678" and view.masked_label.isVisible()
            assert not page.new_button.isVisible() and not view.edit_button.isVisible()
        else:
            assert page.model.index(row, NAME_COLUMN).data() == "李四"
            assert phone == "13912345678" and not view.masked_label.isVisible()
        view.close()
    seen = audit.read_audit_log(sqlite_db, SYSTEM, where=AuditFilter(action="view_pii"))
    assert [e.username for e in seen if e.entity_id == str(book.li.id)] == ["lina"], (
        "opening a record in full is logged; a masked one is not")


def test_archive_hides_the_customer_until_show_archived_is_ticked(page, qtbot, book, monkeypatch):
    asked: list[str] = []

    def answer(_parent, _title, text, *_args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    assert page.select_customer(book.li.id)
    page.archive_button.click()
    assert "李四" in asked[0]
    assert "李四" not in names(page)
    assert "李四" in page.status_label.text()
    page.archived_check.click()
    assert "李四" in names(page)
    assert customers.get_customer(page._db, book.operator, book.li.id).archived  # on file, not deleted


def test_export_writes_the_filtered_list_to_a_workbook(book, make_page, make_user, sqlite_db, qtbot, tmp_path,
                                                       monkeypatch):
    assert not make_page(book.operator).export_button.isVisible()  # operators may not export
    admin = make_user(sqlite_db, Role.AFTER_SALES_ADMIN, "zhou").actor()
    page = make_page(admin)
    page.search_edit.insert("王")
    qtbot.waitUntil(lambda: names(page) == ["王小明", "王小明"], timeout=2_000)
    offered: list[str] = []
    target = tmp_path / "out.xlsx"

    def save_as(_parent, _title, default, _filter):
        offered.append(default)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    qtbot.keyClick(page, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: str(target) in page.status_label.text(), timeout=5_000)
    assert Path(offered[0]).name == f"Customer list-{date.today():%Y%m%d}.xlsx"
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][NAME_COLUMN] == "Customer"
    assert [r[NAME_COLUMN] for r in rows[1:]] == names(page)
    assert [r[0] for r in rows[1:]] == [page.model.row_id(r) for r in range(page.model.rowCount())]
    assert rows[1][PHONE_COLUMN] in ("13800001234", None)  # the administrator may see phones in full


def test_a_serial_number_leads_to_its_unit_and_customer(page, qtbot, book):
    qtbot.keyClicks(page.search_edit, "kfr2503000111")
    qtbot.waitUntil(page.unit_button.isVisible, timeout=2_000)
    assert "KFR2503000111" in page.unit_button.text()
    assert names(page) == ["王小明"]
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    view = opened(qtbot, CustomerView)
    assert view.title_label.text() == "王小明" and view.record.id == book.wang.id
    assert view.tabs.currentIndex() == PRODUCTS_TAB
    assert view.current_product().serial_number == "KFR2503000111"
    assert view.unit_combo.currentData() == book.unit.id  # its complaints, ready on the next tab
    assert view.complaints_view.model.index(0, 0).data() == book.complaint_number


def test_the_page_comes_first_in_the_navigation_and_hands_complaints_on(sqlite_db, book, qtbot):
    from desktop.config import Settings
    from desktop.domain.roles import Permission
    from desktop.views.navigation import PAGES, PageContext

    first = PAGES[0]
    assert (first.key, first.title, first.group, first.permission) == (
        "customers", "Customers", "Service desk", Permission.CUSTOMER_READ)

    class ComplaintsPage:
        opened: list[int] = []

        def open_complaint(self, complaint_id: int) -> None:
            self.opened.append(complaint_id)

    asked: list[str] = []
    complaints_page = ComplaintsPage()
    parent = QWidget()
    qtbot.addWidget(parent)
    ctx = PageContext(sqlite_db, book.operator, Settings(), parent,
                      lambda key: asked.append(key) or complaints_page)
    page = first.make(ctx)
    assert isinstance(page, CustomersPage)
    page.sig_complaint_activated.emit(7)
    assert asked == ["complaints"] and complaints_page.opened == [7]


def test_an_unknown_serial_gives_no_unit_button(page, qtbot):
    qtbot.keyClicks(page.search_edit, "kfr25030001")  # part of a serial: the customer, not a unit
    qtbot.waitUntil(lambda: names(page) == ["王小明"], timeout=2_000)
    assert not page.unit_button.isVisible()


def test_every_column_title_is_marked_for_translation():
    from desktop.services.customers import CUSTOMER_COLUMNS
    from desktop.views.customers.customers_page import COLUMN_TITLES

    assert {c.title for c in CUSTOMER_COLUMNS} <= set(COLUMN_TITLES)


def test_two_characters_that_begin_no_name_say_how_to_search_any_part(page, qtbot):
    page.search_edit.insert("华通")  # inside a company's name, not at its start
    qtbot.waitUntil(lambda: names(page) == [], timeout=2_000)
    assert "third character" in page.status_label.text()
    page.search_edit.insert("精")
    qtbot.waitUntil(lambda: names(page) == ["佛山华通精密机械有限公司"], timeout=2_000)
    assert page.status_label.text() == ""


def test_a_search_found_in_many_customers_counts_them_only_up_to_the_cap(book, sqlite_db, qtbot):
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from desktop.domain.customers import Customer
    from desktop.services.demo_data import DemoGenerator

    generator = DemoGenerator(seed=5)
    when = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    many = [{**generator.customer(n, when), "name": f"王大{n:03d}"} for n in range(1000, 1250)]  # 250 > one page
    with sqlite_db.uow(SYSTEM) as uow:
        uow.session.execute(insert(Customer), many)
        uow.commit()
    page = CustomersPage(sqlite_db, book.operator, Settings(), search_count_cap=50)
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    label = page.list_view.count_label

    page.search_edit.insert("王大")  # typed (keyClicks types ASCII only)
    qtbot.waitUntil(lambda: label.text() == f"{QLocale().toString(50)}+ rows", timeout=3_000)
    assert page.model.rowCount() == 200  # the first page; more come as the user scrolls
    qtbot.keyClick(page.list_view.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: label.text() == "250 rows", timeout=5_000)  # all read: the exact number

    page.search_edit.clear()
    page.search_edit.insert("王小")  # below the cap: counted exactly
    qtbot.waitUntil(lambda: label.text() == "2 rows", timeout=3_000)
    page.search_edit.clear()
    qtbot.waitUntil(lambda: label.text() == "254 rows", timeout=3_000)  # the whole list is never capped
