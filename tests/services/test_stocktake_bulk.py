"""Posting and importing set-based (fifty thousand lines in one go): what must still hold — 盘亏 out of the
oldest lots first, 盘盈 into the newest or a new lot, one audit entry summing up a posting or an import
instead of one per row, all or nothing (Cancel; stock that moved meanwhile), and a sheet imported again
replacing the earlier counts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from desktop.domain.errors import ValidationError
from desktop.domain.roles import Role
from desktop.domain.stocktake import StocktakeState
from desktop.domain.users import AuditEntry
from desktop.domain.warehouse import Lot, MovementKind, StockBalance, StockMovement
from desktop.services import parts, stock, stocktake
from desktop.services.parts import PartInput
from desktop.services.stock import ReceiptLine
from desktop.services.stocktake_sheets import export_count_sheet, import_counts


@pytest.fixture
def team(any_db, make_user):
    return {name: make_user(any_db, role, name).actor()
            for name, role in (("zhao", Role.WAREHOUSE), ("qian", Role.WAREHOUSE), ("wang", Role.MANAGER))}


@pytest.fixture
def warehouse(any_db, team):
    """A-01-1-01: CAP-1 in two lots (4 received in January, 6 in February); A-01-1-02: 10 FAN-1;
    A-01-1-03 empty."""
    keeper = team["zhao"]
    parts.create_bins(any_db, keeper, zone="A", shelves=range(1, 2), layers=range(1, 2), positions=range(1, 4))
    for code, cost in (("CAP-1", "10"), ("FAN-1", "100")):
        parts.create_part(any_db, keeper, data=PartInput(code=code, name=code, unit="个", unit_cost=Decimal(cost),
                                                         abc_override="C"))
    for code, bin_code, qty, day in (("CAP-1", "A-01-1-01", 4, date(2026, 1, 5)), ("CAP-1", "A-01-1-01", 6, date(2026, 2, 5)),
                                     ("FAN-1", "A-01-1-02", 10, date(2026, 1, 5))):
        stock.receive(any_db, keeper, branch_code="GZ01", supplier_document="S", received_on=day,
                      lines=[ReceiptLine(code, bin_code, Decimal(qty))])


def approved(db, team, counts: dict[tuple[str, str], int]):
    """A stocktake of zone A counted as `counts` says, recounted where needed by a second keeper, approved."""
    keeper = team["zhao"]
    st = stocktake.plan_stocktake(db, keeper, branch_code="GZ01", zones=["A"])
    st = stocktake.start_counting(db, keeper, stocktake_id=st.id, version=st.version)
    for (bin_code, part_code), quantity in counts.items():
        stocktake.record_count(db, keeper, stocktake_id=st.id, bin_code=bin_code, part_code=part_code, quantity=quantity)
    st = stocktake.finish_counting(db, keeper, stocktake_id=st.id, version=stocktake.get_stocktake(db, keeper, st.id).version)
    for line in stocktake.variance(db, keeper, st.id):
        if line.needs_recount:
            stocktake.record_recount(db, team["qian"], stocktake_id=st.id, line_id=line.line_id, quantity=line.counted)
    return stocktake.approve(db, team["wang"], stocktake_id=st.id, version=st.version)


def balances(db) -> dict[tuple[int, date], Decimal]:
    """(bin id, receipt date) → on hand, lot by lot."""
    with db.session_factory() as session:
        return {(bin_id, received): quantity for bin_id, received, quantity in session.execute(
            select(Lot.bin_id, Lot.received_on, StockBalance.quantity).join(StockBalance, StockBalance.lot_id == Lot.id))}


def adjustments(db) -> int:
    with db.session_factory() as session:
        return session.scalar(select(func.count()).select_from(StockMovement)
                              .where(StockMovement.kind == MovementKind.ADJUSTMENT.value))


def audit(db, **where) -> list[AuditEntry]:
    with db.session_factory() as session:
        return session.scalars(select(AuditEntry).filter_by(**where).order_by(AuditEntry.id)).all()


CAP_LOSS_FAN_GAIN_CAP_FOUND = {("A-01-1-01", "CAP-1"): 3, ("A-01-1-02", "FAN-1"): 12, ("A-01-1-03", "CAP-1"): 2}


def test_losses_come_from_the_oldest_lots_and_one_audit_entry_sums_up_the_posting(any_db, team, warehouse):
    st = approved(any_db, team, CAP_LOSS_FAN_GAIN_CAP_FOUND)
    before = {(e.entity, e.action) for e in audit(any_db)}
    posted = stocktake.post(any_db, team["zhao"], branch_code="GZ01", stocktake_id=st.id)
    assert posted.state is StocktakeState.POSTED
    on_hand = balances(any_db)
    assert on_hand[(1, date(2026, 1, 5))] == 0 and on_hand[(1, date(2026, 2, 5))] == 3  # 7 short: January's 4 first
    assert on_hand[(2, date(2026, 1, 5))] == 12  # 盘盈 into FAN-1's lot
    assert [q for (bin_id, _), q in on_hand.items() if bin_id == 3] == [2]  # a new lot where CAP-1 was found
    assert stock.ledger_differences(any_db) == []
    document = stock.get_document(any_db, team["zhao"], posted.posted_document)
    assert sorted(line.quantity for line in document.lines) == [2, 2, 3, 4]  # four movements for three lines

    [entry] = audit(any_db, entity="stocktakes", action="post")
    assert entry.entity_id == str(st.id) and posted.posted_document in entry.summary
    assert (entry.after["adjustments"], entry.after["movements"], entry.after["new_lots"]) == (3, 4, 1)
    assert (Decimal(entry.after["gain_value"]), Decimal(entry.after["loss_value"])) == (Decimal("220.00"), Decimal("70.00"))
    assert (Decimal(entry.after["gain_quantity"]), Decimal(entry.after["loss_quantity"])) == (4, 7)
    new_entries = {(e.entity, e.action) for e in audit(any_db)} - before
    assert ("stock_movements", "create") not in new_entries and ("stock_balances", "update") not in new_entries


def test_a_cancelled_posting_changes_nothing_and_can_be_posted_later(any_db, team, warehouse, monkeypatch):
    st = approved(any_db, team, CAP_LOSS_FAN_GAIN_CAP_FOUND)
    before = balances(any_db)
    monkeypatch.setattr(stocktake, "_POST_CHUNK", 1)  # ask after every line, as 5,000 would in a big one
    asked = []
    with pytest.raises(ValidationError, match="cancelled; nothing was changed"):
        stocktake.post(any_db, team["zhao"], branch_code="GZ01", stocktake_id=st.id,
                       progress=lambda done, total, what: asked.append((done, total)) and False)
    assert asked == [(1, 3)]
    assert stocktake.get_stocktake(any_db, team["zhao"], st.id).state is StocktakeState.RECONCILED
    assert balances(any_db) == before and adjustments(any_db) == 0
    assert audit(any_db, entity="stocktakes", action="post") == []
    assert stocktake.post(any_db, team["zhao"], branch_code="GZ01", stocktake_id=st.id).state is StocktakeState.POSTED


def test_stock_that_moved_after_the_lines_were_read_refuses_the_whole_posting(any_db, team, warehouse, monkeypatch):
    st = approved(any_db, team, CAP_LOSS_FAN_GAIN_CAP_FOUND)
    before = balances(any_db)
    read_lots = stocktake._lots_by_bin_and_part

    def stale(session, stocktake_id):  # as if January's CAP-1 lot had been issued from after the read
        lots = read_lots(session, stocktake_id)
        (lot, on_hand), *rest = lots[("A-01-1-01", "CAP-1")]
        lots[("A-01-1-01", "CAP-1")] = [(lot, on_hand + 100), *rest]
        return lots

    monkeypatch.setattr(stocktake, "_lots_by_bin_and_part", stale)
    with pytest.raises(stock.InsufficientStock, match="changed while posting"):
        stocktake.post(any_db, team["zhao"], branch_code="GZ01", stocktake_id=st.id)
    assert balances(any_db) == before and adjustments(any_db) == 0
    assert stocktake.get_stocktake(any_db, team["zhao"], st.id).state is StocktakeState.RECONCILED


def fill(path, counts: dict[int, object], extra_rows=()):
    book = load_workbook(path)
    for row, value in counts.items():
        book.active.cell(row=row, column=6, value=value)
    for row in extra_rows:
        book.active.append(list(row))
    book.save(path)
    return path


def test_a_cancelled_import_saves_nothing(any_db, team, warehouse, tmp_path):
    keeper = team["zhao"]
    st = stocktake.plan_stocktake(any_db, keeper, branch_code="GZ01", zones=["A"])
    st = stocktake.start_counting(any_db, keeper, stocktake_id=st.id, version=st.version)
    path = tmp_path / "count.xlsx"
    export_count_sheet(any_db, keeper, stocktake_id=st.id, target=path)
    fill(path, {5: 1, 6: 10, 7: 0}, extra_rows=[("A-01-1-01", "CAP-1", "", "", None, 1, "")] * 1000)
    asked = []
    report = import_counts(any_db, keeper, stocktake_id=st.id, path=path,
                           progress=lambda done, total, what: asked.append(done) and False)
    assert report.cancelled and not report.ok and asked == [1000]
    assert all(v.counted is None for v in stocktake.variance(any_db, keeper, st.id))
    assert audit(any_db, entity="stocktakes", action="import") == []
    report = import_counts(any_db, keeper, stocktake_id=st.id, path=path)
    assert report.ok and len(report.added_up) == 1000
    assert {v.part_code: v.counted for v in stocktake.variance(any_db, keeper, st.id)}["CAP-1"] == 1001


def test_importing_again_replaces_the_counts_and_a_part_found_beside_another_gets_its_own_line(any_db, team, warehouse,
                                                                                               tmp_path):
    keeper = team["zhao"]
    st = stocktake.plan_stocktake(any_db, keeper, branch_code="GZ01", zones=["A"])
    st = stocktake.start_counting(any_db, keeper, stocktake_id=st.id, version=st.version)
    path = tmp_path / "count.xlsx"
    export_count_sheet(any_db, keeper, stocktake_id=st.id, target=path)
    fill(path, {5: 9, 6: 10, 7: 0}, extra_rows=[("A-01-1-02", "CAP-1", "", "", None, "3", "")])
    first = import_counts(any_db, keeper, stocktake_id=st.id, path=path)
    assert first.ok and (first.counted, first.found) == (4, 1)
    counted = {(v.bin_code, v.part_code): (v.counted, v.found, v.value) for v in stocktake.variance(any_db, keeper, st.id)}
    assert counted == {("A-01-1-01", "CAP-1"): (9, False, Decimal("-10.00")), ("A-01-1-02", "FAN-1"): (10, False, 0),
                       ("A-01-1-02", "CAP-1"): (3, True, Decimal("30.00")), ("A-01-1-03", ""): (0, False, 0)}
    [entry] = audit(any_db, entity="stocktakes", action="import")
    assert entry.after == {"rows": 4, "found": 1, "added_up": 0}
    assert audit(any_db, entity="stocktake_lines") == []  # the counts are summed up in that one entry

    fill(path, {5: 10})  # a correction: counted again, imported again
    second = import_counts(any_db, keeper, stocktake_id=st.id, path=path)
    assert second.ok and (second.counted, second.found) == (4, 0)
    lines = stocktake.variance(any_db, keeper, st.id)
    assert len(lines) == 4 and {(v.bin_code, v.part_code): v.counted for v in lines}[("A-01-1-01", "CAP-1")] == 10
