"""Fixtures of the stocktake screens: a small warehouse (zones A and B) built through the services, a team of
two keepers and the branch manager, and the refusals the screens would show in message boxes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.config import Settings
from desktop.domain.roles import Role
from desktop.services import parts, stock, stocktake
from desktop.services.parts import PartInput
from desktop.services.stock import ReceiptLine
from desktop.views.stocktake.stocktake_page import StocktakePage
from desktop.views.warehouse import widgets


@pytest.fixture
def team(sqlite_db, make_user):
    return {name: make_user(sqlite_db, role, name).actor()
            for name, role in (("zhao", Role.WAREHOUSE), ("qian", Role.WAREHOUSE), ("wang", Role.MANAGER))}


@pytest.fixture
def warehouse(sqlite_db, team):
    """Zone A: 2 shelves × 2 positions (CAP-1 and FAN-1 stocked, two bins empty); zone B: one bin with PCB-1."""
    keeper = team["zhao"]
    parts.create_bins(sqlite_db, keeper, zone="A", shelves=range(1, 3), layers=range(1, 2), positions=range(1, 3))
    parts.create_bins(sqlite_db, keeper, zone="B", shelves=range(1, 2), layers=range(1, 2), positions=range(1, 2))
    made = {}
    for code, abc, cost in (("CAP-1", "A", "20"), ("FAN-1", "C", "100"), ("PCB-1", "C", "300")):
        made[code] = parts.create_part(sqlite_db, keeper, data=PartInput(
            code=code, name=f"配件{code}", unit="个", unit_cost=Decimal(cost), abc_override=abc))
    for code, bin_code, qty in (("CAP-1", "A-01-1-01", 10), ("FAN-1", "A-01-1-02", 40), ("PCB-1", "B-01-1-01", 5)):
        stock.receive(sqlite_db, keeper, branch_code="GZ01", supplier_document="S", received_on=date(2026, 1, 1),
                      lines=[ReceiptLine(code, bin_code, Decimal(qty))])
    return made


@pytest.fixture
def counting(sqlite_db, team, warehouse):
    """A blind stocktake of zone A, counting: 4 lines (2 stocked bins, 2 empty ones)."""
    planned = stocktake.plan_stocktake(sqlite_db, team["zhao"], branch_code="GZ01", zones=["A"], blind=True)
    return stocktake.start_counting(sqlite_db, team["zhao"], stocktake_id=planned.id, version=planned.version)


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    """Messages of refusals, recorded instead of shown in a modal box (also those of background work)."""
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: messages.append(text))
    monkeypatch.setattr(widgets, "open_file", lambda path: True)
    return messages


@pytest.fixture
def make_page(sqlite_db, qtbot, shown):
    def make(actor) -> StocktakePage:
        page = StocktakePage(sqlite_db, actor, Settings())
        qtbot.addWidget(page)
        page.resize(1300, 700)
        return page

    return make


def cell(page: StocktakePage, line_filter, key: str) -> str:
    """What the lines table shows in column `key` for the first line that `line_filter` accepts."""
    model = page.model
    for row in range(model.rowCount()):
        if line_filter(model.line_at(row)):
            column = model.column_keys().index(key)
            return model.data(model.index(row, column))
    raise AssertionError("no such line shown")


def history_cell(page: StocktakePage, number: str, column: int) -> str:
    for row in range(page.history.rowCount()):
        if page.history.item(row, 0).text() == number:
            return page.history.item(row, column).text()
    raise AssertionError(f"{number} is not in the history")
