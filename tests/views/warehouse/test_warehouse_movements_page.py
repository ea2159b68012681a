"""The stock movements page: the ledger filtered by bin, part, kind, dates and document; stock by bin; the
reorder list and its export; which buttons a role gets; and the pages' place in the navigation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate

from desktop.config import Settings
from desktop.domain.roles import Permission
from desktop.domain.warehouse import MovementKind, kind_label
from desktop.services.stock_lists import shelf_map
from desktop.views.navigation import PAGES
from desktop.views.warehouse.movements_page import STOCK, MovementsPage
from desktop.views.warehouse.stock_action_dialogs import ScrapDialog, TransferDialog
from tests.views.dialogs import in_dialog

SETTINGS = Settings()


@pytest.fixture
def page(demo_db, demo_keeper, qtbot):
    widget = MovementsPage(demo_db, demo_keeper, SETTINGS)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    return widget


def column(model, key: str) -> list:
    index = [c.key for c in model.columns].index(key)
    return [model.index(row, index).data() for row in range(model.rowCount())]


def test_filter_by_bin_shows_only_that_bin(page, demo_db, demo_keeper, qtbot):
    tab = page.movements_tab
    everything = tab.model.source.count()
    code = next(c.code for s in shelf_map(demo_db, demo_keeper, zone="A") for c in s.cells if not c.empty)
    tab.bin_edit.setText(code.lower())
    qtbot.waitUntil(lambda: tab.model.source.count() < everything)
    bins = column(tab.model, "bin")
    assert bins and set(bins) == {code}
    assert set(column(tab.model, "kind")) <= {kind_label(MovementKind.RECEIPT), kind_label(MovementKind.ISSUE)}

    tab.kind_combo.setCurrentIndex(tab.kind_combo.findData(MovementKind.RECEIPT))
    assert set(column(tab.model, "kind")) == {kind_label(MovementKind.RECEIPT)}
    tab.on_reset_button_clicked()
    assert tab.model.source.count() == everything and tab.bin_edit.text() == ""


def test_date_range_and_document_filters(page, qtbot):
    tab = page.movements_tab
    since = date.today() - timedelta(days=10)
    tab.from_edit.setDate(QDate(since.year, since.month, since.day))
    times = column(tab.model, "at")
    assert times and min(times) >= since.isoformat()
    tab.from_edit.setDate(tab.from_edit.minimumDate())
    assert tab.from_edit.text() == tab.tr("any") and tab.current_filter().since is None
    number = tab.model.row_values(0)[1]
    tab.document_edit.setText(number)
    tab.apply_filter()
    assert set(column(tab.model, "document")) == {number}
    tab.list_view.table.setCurrentIndex(tab.model.index(0, 0))
    assert tab.current_document() == number
    assert page.print_button.isEnabled() == number.startswith("CK-")


def test_stock_by_bin_feeds_transfer_and_scrap(page, qtbot):
    page.tabs.setCurrentIndex(STOCK)
    tab = page.stock_tab
    tab.zone_combo.setCurrentIndex(tab.zone_combo.findData("C"))
    assert {code[:2] for code in column(tab.model, "bin")} == {"C-"}
    tab.list_view.table.setCurrentIndex(tab.model.index(0, 0))
    lot, code = tab.current_lot()
    assert lot > 0 and code

    def check(dialog):
        assert isinstance(dialog, TransferDialog) and dialog.selected_lot() == lot
        assert dialog.part_edit.text() == code

    in_dialog(page.transfer_button.click, check)
    def check_scrap(dialog):
        assert isinstance(dialog, ScrapDialog) and dialog.selected_lot() == lot

    in_dialog(page.scrap_button.click, check_scrap)


def test_reorder_list_exports_to_excel(page, qtbot, tmp_path):
    tab = page.reorder_tab
    assert tab.table.rowCount() > 0
    target = tmp_path / "reorder.xlsx"
    with qtbot.waitSignal(tab.start_export(target).sig_finished, timeout=30_000):
        pass
    assert str(target) in tab.status_label.text() and tab.export_button.isEnabled()
    sheet = load_workbook(target, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    codes = {row[0] for row in rows}
    assert tab.table.item(0, 0).text() in codes and len(rows) >= tab.table.rowCount()


def test_an_engineer_sees_the_lists_but_no_movement_buttons(demo_db, demo_engineer, qtbot):
    page = MovementsPage(demo_db, demo_engineer, SETTINGS)
    qtbot.addWidget(page)
    assert page.movements_tab.model.rowCount() > 0 and page.stock_tab.model.rowCount() > 0
    assert not any(button.isEnabled() for button in page.move_buttons)
    assert not page.reorder_tab.export_button.isEnabled()  # engineers have no data.export


def test_warehouse_pages_sit_between_service_desk_and_administration():
    keys = [spec.key for spec in PAGES]
    groups = [spec.group for spec in PAGES]
    mine = [spec for spec in PAGES if spec.key in ("parts", "shelf_map", "movements")]
    assert [spec.key for spec in mine] == ["parts", "shelf_map", "movements"]
    assert [spec.title for spec in mine] == ["Parts", "Shelf map", "Stock movements"]
    assert all(spec.permission == Permission.STOCK_READ and spec.group == "Warehouse" for spec in mine)
    # One Warehouse group (other warehouse pages may join it), after the service desk, before administration.
    first = groups.index("Warehouse")
    last = len(groups) - 1 - groups[::-1].index("Warehouse")
    assert set(groups[first:last + 1]) == {"Warehouse"} and first <= keys.index("parts")
    assert "Service desk" in groups[:first] and "Administration" not in groups[:first]
    assert "Service desk" not in groups[last + 1:] and "Administration" in groups[last + 1:]


def test_the_main_window_opens_the_warehouse_pages_for_an_engineer(demo_db, demo_engineer, qtbot):
    from desktop.views.main_window import MainWindow
    from desktop.views.warehouse.parts_page import PartsPage
    from desktop.views.warehouse.shelf_map_page import ShelfMapPage

    window = MainWindow(demo_db, demo_engineer, SETTINGS, idle_timeout_ms=0)
    qtbot.addWidget(window)
    keys = window.page_keys()
    assert [k for k in keys if k in ("parts", "shelf_map", "movements")] == ["parts", "shelf_map", "movements"]
    assert isinstance(window.open_page("parts"), PartsPage)
    shelf = window.open_page("shelf_map")
    assert isinstance(shelf, ShelfMapPage) and len(shelf.map.bin_codes()) == 400
    movements_page = window.open_page("movements")
    assert isinstance(movements_page, MovementsPage)
    assert not movements_page.receive_button.isEnabled()
