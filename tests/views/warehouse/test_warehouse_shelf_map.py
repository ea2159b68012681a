"""The shelf map on the demo warehouse: every bin of zone A drawn in its shelf, layer and position, coloured
as its stock is (empty, in use, idle a month, idle three months); a click or Enter opens the bin's stock and
movements beside the map; the arrow keys walk the bins."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from desktop.config import Settings
from desktop.services.stock_lists import shelf_map
from desktop.views.warehouse.shelf_map_page import ShelfMapPage
from desktop.views.warehouse.shelf_map_widget import COLOURS, CellState, ShelfMapWidget, cell_state

SETTINGS = Settings()


@pytest.fixture
def page(demo_db, demo_keeper, qtbot):
    widget = ShelfMapPage(demo_db, demo_keeper, SETTINGS)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_zone_a_shows_all_400_bins_in_their_shelves_with_yellow_and_red_marks(page, demo_db, demo_keeper):
    assert page.zone() == "A" and [page.zone_combo.itemText(i) for i in range(page.zone_combo.count())] == ["A", "B", "C"]
    book = {cell.code: cell for shelf in shelf_map(demo_db, demo_keeper, zone="A") for cell in shelf.cells}
    assert sorted(page.map.bin_codes()) == sorted(book) and len(book) == 400
    counts = page.map.counts()
    assert counts[CellState.YELLOW] > 0 and counts[CellState.RED] > 0 and counts[CellState.EMPTY] > 0
    assert sum(counts.values()) == 400
    for code, cell in book.items():
        assert page.map.state_of(code) == cell_state(cell)
    # Layers are rows with the top layer on top, positions are columns.
    grid = page.map.grid_of_shelf(3)
    assert grid[0] == [f"A-03-5-{p:02d}" for p in range(1, 9)] and grid[-1][0] == "A-03-1-01" and len(grid) == 5
    rect = page.map.cell_rect
    assert rect("A-03-5-01").left() == rect("A-03-1-01").left() < rect("A-03-1-02").left()
    assert rect("A-03-5-01").top() < rect("A-03-4-01").top() < rect("A-03-1-01").top() == rect("A-03-1-08").top()
    assert rect("A-02-1-01").bottom() < rect("A-03-5-01").top()  # shelves follow each other
    # The legend says how many of each the user sees.
    assert page.legend_labels[CellState.RED].text().endswith(str(counts[CellState.RED]))


def test_the_cells_are_painted_in_their_colours_and_fast(page, qtbot):
    page.map.setFocus()
    start = time.perf_counter()
    image = page.map.grab().toImage()  # the whole zone, not only what the scroll area shows
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"painting 400 bins took {elapsed:.3f} s"
    looks = {  # what a person calls the colour: hue in degrees, saturation 0-255
        CellState.EMPTY: lambda c: c.saturation() < 20 and 200 < c.value() < 245,  # light grey
        CellState.NORMAL: lambda c: 80 <= c.hue() <= 160 and c.saturation() < 80,  # pale green
        CellState.YELLOW: lambda c: 40 <= c.hue() <= 65 and c.saturation() > 100,
        CellState.RED: lambda c: (c.hue() <= 15 or c.hue() >= 345) and c.saturation() > 80,
    }
    for state in CellState:
        code = next(c for c in page.map.bin_codes() if page.map.state_of(c) == state and c != page.map.current_code())
        rect = page.map.cell_rect(code)
        # Inside the border, left of the quantity and below the part code: the cell's own colour.
        pixel = image.pixelColor(rect.left() + 3, rect.center().y())
        assert pixel.name() == COLOURS[state].name() and looks[state](pixel), (state, code, pixel.name())


def test_clicking_a_bin_shows_its_stock_and_movements(page, qtbot):
    code = next(c for c in page.map.bin_codes() if page.map.state_of(c) == CellState.RED)
    cell = page.map.cell(code)
    page.scroll.ensureVisible(page.map.cell_rect(code).center().x(), page.map.cell_rect(code).center().y())
    qtbot.mouseClick(page.map, Qt.MouseButton.LeftButton, pos=page.map.cell_rect(code).center())
    assert page.map.current_code() == code and page.shown_bin() == code
    assert code in page.bin_label.text()
    rows = page.bin_stock()
    assert rows and {row[0] for row in rows} == {cell.part_code}
    assert sum(Decimal(row[3]) for row in rows) == cell.quantity
    model = page.movements_model
    qtbot.waitUntil(lambda: model.rowCount() > 0)
    bin_column = [c.key for c in model.columns].index("bin")
    assert {model.index(r, bin_column).data() for r in range(model.rowCount())} == {code}

    empty = next(c for c in page.map.bin_codes() if page.map.state_of(c) == CellState.EMPTY)
    page.map.set_current(empty)
    page.show_bin(empty)
    assert page.bin_stock() == [] and not page.transfer_button.isEnabled()


def test_arrow_keys_walk_the_bins_and_enter_opens_one(page, qtbot):
    widget: ShelfMapWidget = page.map
    widget.setFocus()
    widget.set_current("A-01-1-01")
    qtbot.keyClick(widget, Qt.Key.Key_Right)
    assert widget.current_code() == "A-01-1-02"
    qtbot.keyClick(widget, Qt.Key.Key_Up)  # the layer above
    assert widget.current_code() == "A-01-2-02"
    qtbot.keyClick(widget, Qt.Key.Key_Left)
    qtbot.keyClick(widget, Qt.Key.Key_Left)  # nothing left of position 1 on the first shelf
    assert widget.current_code() == "A-01-2-01"
    qtbot.keyClick(widget, Qt.Key.Key_End)
    assert widget.current_code() == "A-01-5-08"
    qtbot.keyClick(widget, Qt.Key.Key_Right)  # the end of a layer leads on to the next shelf
    assert widget.current_code() == "A-02-5-01"
    qtbot.keyClick(widget, Qt.Key.Key_PageDown)
    assert widget.current_code() == "A-03-5-01"
    qtbot.keyClick(widget, Qt.Key.Key_Down)
    assert widget.current_code() == "A-03-4-01"
    qtbot.keyClick(widget, Qt.Key.Key_Return)
    assert page.shown_bin() == "A-03-4-01"
    qtbot.keyClick(widget, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.shown_bin() == "A-01-1-01")  # the panel follows once the keys pause


def test_go_to_bin_switches_zone_and_another_zone_redraws(page, qtbot):
    page.find_edit.setText("b-02-3-04")
    qtbot.keyClick(page.find_edit, Qt.Key.Key_Return)
    assert page.zone() == "B" and page.map.current_code() == "B-02-3-04" and page.shown_bin() == "B-02-3-04"
    assert all(code.startswith("B-") for code in page.map.bin_codes()) and len(page.map.bin_codes()) == 400
    page.find_edit.setText("B-99-1-01")
    qtbot.keyClick(page.find_edit, Qt.Key.Key_Return)
    assert "B-99-1-01" in page.status_label.text() and page.map.current_code() == "B-02-3-04"


def test_shown_again_the_map_shows_stock_moved_meanwhile(page, demo_db, demo_keeper, qtbot):
    from datetime import date

    from desktop.services import stock
    from desktop.services.stock import ReceiptLine

    empty = next(c for c in page.map.bin_codes() if page.map.state_of(c) == CellState.EMPTY)
    page.hide()
    stock.receive(demo_db, demo_keeper, branch_code="GZ01", supplier_document="GYS-1", received_on=date.today(),
                  lines=[ReceiptLine("AC-00001", empty, Decimal(3))])
    page.show()
    assert page.map.state_of(empty) == CellState.NORMAL
    assert page.map.cell(empty).part_code == "AC-00001" and page.map.cell(empty).quantity == 3
