"""The warehouse lists' headers come from the services' column titles: each must be in the translation
file (context "Columns", or "Stock" for the headers the warehouse says its own way)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import Qt

from desktop.services.paging import Sort
from desktop.services.parts import PART_COLUMNS
from desktop.services.stock_lists import BIN_STOCK_COLUMNS, MOVEMENT_COLUMNS, _ReorderSource
from desktop.views.warehouse.stock_tabs import ReorderTab
from desktop.views.warehouse.widgets import COLUMN_TITLES, OWN_HEADERS, StockListModel

TS = Path(__file__).resolve().parents[3] / "desktop" / "resources" / "i18n" / "branchdesk_zh_CN.ts"


def translated(context: str) -> dict[str, str]:
    found = {}
    for node in ET.parse(TS).getroot().iter("context"):
        if node.findtext("name") == context:
            for message in node.iter("message"):
                translation = message.find("translation")
                if not translation.get("type") and (translation.text or "").strip():
                    found[message.findtext("source")] = translation.text
    return found


def test_every_warehouse_column_title_is_marked_and_translated():
    columns, stock = translated("Columns"), translated("Stock")
    for listing in (PART_COLUMNS, BIN_STOCK_COLUMNS, MOVEMENT_COLUMNS, _ReorderSource.columns):
        for column in listing:
            if column.key in OWN_HEADERS:
                assert OWN_HEADERS[column.key] in stock, column
            else:
                assert column.title in COLUMN_TITLES and column.title in columns, column
    assert set(ReorderTab.COLUMNS) <= set(COLUMN_TITLES)
    assert "订货点" in columns["Reorder point"] and "再" not in columns["Reorder point"]


def test_a_lot_received_reads_as_its_receipt_date(qtbot):
    class Rows:
        columns = BIN_STOCK_COLUMNS

        def fetch(self, *, sort, after, limit):
            return []

        def count(self):
            return 0

    model = StockListModel(Rows(), sort=Sort("bin"))
    headers = [model.headerData(i, Qt.Orientation.Horizontal)
               for i in range(model.columnCount())]
    assert "Receipt date" in headers and "Received" not in headers
