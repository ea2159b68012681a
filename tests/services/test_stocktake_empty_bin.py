"""Counting an empty bin on screen: no part code, quantity 0 — and only where the book says the bin is empty."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from desktop.domain.errors import ValidationError
from desktop.domain.roles import Role
from desktop.services import parts, stock, stocktake
from desktop.services.parts import PartInput
from desktop.services.stock import ReceiptLine


def test_an_empty_bin_is_counted_without_a_part(sqlite_db, make_user):
    keeper = make_user(sqlite_db, Role.WAREHOUSE, "zhao").actor()
    parts.create_bins(sqlite_db, keeper, zone="A", shelves=range(1, 2), layers=range(1, 2), positions=range(1, 3))
    parts.create_part(sqlite_db, keeper, data=PartInput(code="CAP-1", name="电容", unit="个", unit_cost=Decimal(5)))
    stock.receive(sqlite_db, keeper, branch_code="GZ01", supplier_document="S", received_on=date(2026, 1, 1),
                  lines=[ReceiptLine("CAP-1", "A-01-1-01", Decimal(3))])
    st = stocktake.plan_stocktake(sqlite_db, keeper, branch_code="GZ01")
    st = stocktake.start_counting(sqlite_db, keeper, stocktake_id=st.id, version=st.version)
    with pytest.raises(ValidationError, match="empty bin counts 0"):
        stocktake.record_count(sqlite_db, keeper, stocktake_id=st.id, bin_code="A-01-1-02", part_code="", quantity=1)
    with pytest.raises(ValidationError, match="not empty by the book"):
        stocktake.record_count(sqlite_db, keeper, stocktake_id=st.id, bin_code="A-01-1-01", part_code="", quantity=0)
    line = stocktake.record_count(sqlite_db, keeper, stocktake_id=st.id, bin_code="A-01-1-02", part_code=" ",
                                  quantity=0)
    assert (line.bin_code, line.part_code, line.counted, line.found) == ("A-01-1-02", "", 0, False)
    stocktake.record_count(sqlite_db, keeper, stocktake_id=st.id, bin_code="A-01-1-01", part_code="CAP-1", quantity=3)
    st = stocktake.finish_counting(sqlite_db, keeper, stocktake_id=st.id, version=st.version)
    assert st.counted == st.lines == 2
