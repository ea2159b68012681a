"""The spare-parts warehouse: receipts make FIFO lots, issues take the oldest first and never go below
zero (also with two PCs on PostgreSQL), the ledger equals the balances, mistakes are reversed."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from desktop.db.engine import make_engine
from desktop.db.uow import Database
from desktop.domain.base import utcnow
from desktop.domain.errors import PermissionDenied, ValidationError
from desktop.domain.roles import Role
from desktop.domain.warehouse import MovementKind, StockMovement
from desktop.services import parts, stock
from desktop.services.paging import Sort
from desktop.services.parts import PartInput
from desktop.services.stock import InsufficientStock, ReceiptLine


@pytest.fixture
def keeper(any_db, make_user):
    return make_user(any_db, Role.WAREHOUSE, "zhaojun").actor()


@pytest.fixture
def shelves(any_db, keeper):
    parts.create_bins(any_db, keeper, zone="A", shelves=range(1, 4), layers=range(1, 3), positions=range(1, 3))
    capacitor = parts.create_part(any_db, keeper, data=PartInput(code="ac-cap-35uf", name="压缩机启动电容", unit="个",
                                                                 model="CBB65", specification="35μF 450V",
                                                                 unit_cost=Decimal("18.50"), reorder_point=Decimal(10)))
    other = parts.create_part(any_db, keeper, data=PartInput(code="AC-CAP-40UF", name="压缩机启动电容", unit="个",
                                                             model="CBB65", specification="40μF 450V", unit_cost=Decimal(21)))
    return capacitor, other


def receive(db, actor, code, bin_code, qty, day):
    return stock.receive(db, actor, branch_code="GZ01", supplier_document=f"GYS-{day}", received_on=day,
                         lines=[ReceiptLine(code, bin_code, Decimal(qty))])


def test_bins_as_a_range_and_codes_checked(any_db, keeper, shelves):
    assert parts.create_bins(any_db, keeper, zone="A", shelves=range(1, 5), layers=range(1, 3), positions=range(1, 3)) == 4
    assert parts.create_bin(any_db, keeper, code="b-03-2-05") == "B-03-2-05"
    with pytest.raises(ValidationError, match="zone-shelf-layer-position"):
        parts.create_bin(any_db, keeper, code="B-3-2")
    with pytest.raises(ValidationError, match="no part with code"):
        receive(any_db, keeper, "AC-CAP-99UF", "A-01-1-01", 5, date(2026, 1, 5))
    with pytest.raises(ValidationError, match="no bin"):
        receive(any_db, keeper, "AC-CAP-35UF", "Z-01-1-01", 5, date(2026, 1, 5))


def test_issue_takes_the_oldest_lots_first_and_lists_them_in_walking_order(any_db, keeper, shelves):
    capacitor, _ = shelves
    receive(any_db, keeper, "AC-CAP-35UF", "A-03-1-01", 4, date(2026, 3, 1))  # newest: not touched
    receive(any_db, keeper, "AC-CAP-35UF", "A-02-1-01", 5, date(2026, 1, 5))  # oldest
    receive(any_db, keeper, "AC-CAP-35UF", "A-01-2-02", 6, date(2026, 2, 1))
    proposal = stock.propose_issue(any_db, keeper, part_id=capacitor.id, quantity="8")
    assert [(p.bin_code, p.quantity) for p in proposal.picks] == [("A-01-2-02", 3), ("A-02-1-01", 5)]
    assert proposal.short == 0
    slip = stock.issue(any_db, keeper, branch_code="GZ01", lines=[(capacitor.id, 8)], purpose="service_order",
                       reference="FW-GZ01-202611-0001", receiver="张伟")
    assert slip.number.startswith("CK-GZ01-") and [line.bin_code for line in slip.lines] == ["A-01-2-02", "A-02-1-01"]
    assert parts.get_part(any_db, keeper, capacitor.id).on_hand == Decimal(7)
    assert stock.ledger_differences(any_db) == []


def test_a_short_issue_is_refused_whole_and_offers_substitutes(any_db, keeper, shelves):
    capacitor, other = shelves
    parts.set_substitutes(any_db, keeper, part_id=capacitor.id, substitute_codes=["AC-CAP-40UF"])
    assert parts.get_part(any_db, keeper, other.id).substitutes == ((capacitor.id, "AC-CAP-35UF", "压缩机启动电容"),)
    receive(any_db, keeper, "AC-CAP-35UF", "A-01-1-01", 2, date(2026, 1, 5))
    receive(any_db, keeper, "AC-CAP-40UF", "A-01-1-02", 9, date(2026, 1, 5))
    proposal = stock.propose_issue(any_db, keeper, part_id=capacitor.id, quantity=5)
    assert proposal.short == 3 and proposal.substitutes == ((other.id, "AC-CAP-40UF", "压缩机启动电容", Decimal(9)),)
    with pytest.raises(InsufficientStock, match="3"):
        stock.issue(any_db, keeper, branch_code="GZ01", lines=[(other.id, 1), (capacitor.id, 5)], purpose="internal",
                    reference="", receiver="张伟")
    assert parts.get_part(any_db, keeper, other.id).on_hand == 9  # the first line was not taken either


def test_a_bin_holds_one_part(any_db, keeper, shelves):
    receive(any_db, keeper, "AC-CAP-35UF", "A-01-1-01", 2, date(2026, 1, 5))
    with pytest.raises(ValidationError, match="holds part AC-CAP-35UF"):
        receive(any_db, keeper, "AC-CAP-40UF", "A-01-1-01", 2, date(2026, 1, 6))


def test_transfer_scrap_return_and_reversal_keep_the_ledger_right(any_db, keeper, shelves):
    capacitor, _ = shelves
    receipt = receive(any_db, keeper, "AC-CAP-35UF", "A-01-1-01", 10, date(2026, 1, 5))
    lot = receipt.lines[0].lot_id
    moved = stock.transfer(any_db, keeper, branch_code="GZ01", lot_id=lot, quantity=4, to_bin_code="A-02-2-02")
    assert {line.bin_code for line in moved.lines} == {"A-01-1-01", "A-02-2-02"}
    assert all(line.received_on == date(2026, 1, 5) for line in moved.lines)  # FIFO date travels with the parts
    stock.scrap(any_db, keeper, branch_code="GZ01", lot_id=lot, quantity=1, reason="外壳破损")
    slip = stock.issue(any_db, keeper, branch_code="GZ01", lines=[(capacitor.id, 3)], purpose="complaint",
                       reference="TS-GZ01-202611-0001", receiver="刘强")
    stock.return_to_stock(any_db, keeper, branch_code="GZ01", issue_number=slip.number, part_id=capacitor.id, quantity=1)
    with pytest.raises(ValidationError, match="More is returned"):
        stock.return_to_stock(any_db, keeper, branch_code="GZ01", issue_number=slip.number, part_id=capacitor.id,
                              quantity=3)
    assert parts.get_part(any_db, keeper, capacitor.id).on_hand == 7  # 10 - 1 scrapped - 3 issued + 1 returned
    stock.reverse(any_db, keeper, branch_code="GZ01", document_number=slip.number, reason="领错型号")
    assert parts.get_part(any_db, keeper, capacitor.id).on_hand == 10 - 1 + 1
    with pytest.raises(ValidationError, match="already reversed"):
        stock.reverse(any_db, keeper, branch_code="GZ01", document_number=slip.number, reason="再冲一次")
    assert stock.ledger_differences(any_db) == []


def test_the_ledger_cannot_be_edited_to_disagree_unnoticed(any_db, keeper, shelves):
    receive(any_db, keeper, "AC-CAP-35UF", "A-01-1-01", 10, date(2026, 1, 5))
    with any_db.engine.begin() as conn:  # somebody edits the ledger behind the application's back
        conn.execute(update(StockMovement).values(quantity=Decimal(12)))
    [(lot, balance, ledger)] = stock.ledger_differences(any_db)
    assert (balance, ledger) == (Decimal(10), Decimal(12))


def test_decimal_quantities_stay_exact(any_db, keeper):
    parts.create_bins(any_db, keeper, zone="C", shelves=range(1, 2), layers=range(1, 2), positions=range(1, 2))
    pipe = parts.create_part(any_db, keeper, data=PartInput(code="CU-PIPE-6", name="铜管", unit="米", unit_cost=Decimal(30)))
    receive(any_db, keeper, "CU-PIPE-6", "C-01-1-01", "0.3", date(2026, 1, 5))
    stock.issue(any_db, keeper, branch_code="GZ01", lines=[(pipe.id, "0.1")], purpose="internal", reference="", receiver="张伟")
    stock.issue(any_db, keeper, branch_code="GZ01", lines=[(pipe.id, "0.2")], purpose="internal", reference="", receiver="张伟")
    assert parts.get_part(any_db, keeper, pipe.id).on_hand == Decimal("0.00")
    with pytest.raises(ValidationError, match="two decimals"):
        receive(any_db, keeper, "CU-PIPE-6", "C-01-1-01", "0.333", date(2026, 1, 6))


def test_others_may_look_but_not_move_stock(any_db, keeper, shelves, make_user):
    engineer = make_user(any_db, Role.ENGINEER).actor()
    capacitor, _ = shelves
    assert stock.propose_issue(any_db, engineer, part_id=capacitor.id, quantity=1).short == 1
    with pytest.raises(PermissionDenied):
        stock.issue(any_db, engineer, branch_code="GZ01", lines=[(capacitor.id, 1)], purpose="internal", reference="",
                    receiver="张伟")
    with pytest.raises(PermissionDenied):
        parts.create_bins(any_db, engineer, zone="B", shelves=range(1, 2), layers=range(1, 2), positions=range(1, 2))


def test_reorder_list_and_slow_moving_marks(any_db, keeper, shelves):
    capacitor, other = shelves
    receive(any_db, keeper, "AC-CAP-35UF", "A-01-1-01", 12, date(2026, 1, 5))
    receive(any_db, keeper, "AC-CAP-40UF", "A-01-1-02", 3, utcnow().date() - timedelta(days=100))
    stock.issue(any_db, keeper, branch_code="GZ01", lines=[(capacitor.id, 6)], purpose="internal", reference="",
                receiver="张伟")
    [line] = parts.reorder_list(any_db, keeper)
    assert (line.code, line.on_hand, line.monthly_use, line.suggested) == ("AC-CAP-35UF", 6, 2, 6)  # 10 + 2 - 6
    source = parts.part_list(any_db, keeper)
    rows = {r.values[0]: r.values for r in source.fetch(sort=Sort("code"), after=None, limit=10)}
    assert rows["AC-CAP-40UF"][9] == "Red: 3 months idle" and rows["AC-CAP-35UF"][9] == ""


def test_two_pcs_issuing_the_last_unit_at_once(postgres, make_user):
    url = postgres.new_database()
    dbs = [Database(make_engine(url)) for _ in range(2)]
    keeper = make_user(dbs[0], Role.WAREHOUSE, "keeper").actor()
    parts.create_bins(dbs[0], keeper, zone="A", shelves=range(1, 2), layers=range(1, 2), positions=range(1, 2))
    part = parts.create_part(dbs[0], keeper, data=PartInput(code="LAST-1", name="四通阀", unit="个"))
    receive(dbs[0], keeper, "LAST-1", "A-01-1-01", 1, date(2026, 1, 5))
    barrier, results = threading.Barrier(2), []

    def take(db):
        barrier.wait()
        try:
            stock.issue(db, keeper, branch_code="GZ01", lines=[(part.id, 1)], purpose="internal", reference="",
                        receiver="张伟")
            results.append("issued")
        except InsufficientStock:
            results.append("refused")

    threads = [threading.Thread(target=take, args=(db,)) for db in dbs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["issued", "refused"]
    assert parts.get_part(dbs[0], keeper, part.id).on_hand == 0
    assert stock.ledger_differences(dbs[0]) == []
    with dbs[0].session_factory() as session:
        assert len(session.scalars(select(StockMovement).where(StockMovement.kind == MovementKind.ISSUE.value)).all()) == 1
    for db in dbs:
        db.dispose()


def test_lists_shelf_map_and_reorder_export(any_db, keeper, shelves, tmp_path):
    import openpyxl

    from desktop.domain.warehouse import SlowMark
    from desktop.services import stock_lists
    from desktop.services.stock_lists import MovementFilter

    capacitor, other = shelves
    receive(any_db, keeper, "AC-CAP-35UF", "A-02-1-01", 4, date(2026, 1, 5))
    receive(any_db, keeper, "AC-CAP-40UF", "A-01-2-02", 3, utcnow().date() - timedelta(days=40))
    slip = stock.issue(any_db, keeper, branch_code="GZ01", lines=[(capacitor.id, 1)], purpose="service_order",
                       reference="FW-GZ01-202611-0003", receiver="张伟")
    by_bin = stock_lists.stock_by_bin(any_db, keeper).fetch(sort=Sort("bin"), after=None, limit=10)
    assert [(r.values[0], r.values[1], r.values[4]) for r in by_bin] == [("A-01-2-02", "AC-CAP-40UF", 3),
                                                                          ("A-02-1-01", "AC-CAP-35UF", 3)]
    found = stock_lists.movements(any_db, keeper, where=MovementFilter(document="fw-gz01-202611-0003"))
    [row] = found.fetch(sort=Sort("at"), after=None, limit=10)
    assert (row.values[1], row.values[2], row.values[6]) == (slip.number, "Issue", Decimal(-1))
    assert found.count() == 1
    assert stock_lists.movements(any_db, keeper, where=MovementFilter(bin_code="A-02-1-01")).count() == 2
    [shelf1, shelf2, shelf3] = stock_lists.shelf_map(any_db, keeper, zone="a")
    assert (shelf1.layers, shelf1.positions, len(shelf1.cells)) == (2, 2, 4)
    cell = {c.code: c for c in shelf1.cells}["A-01-2-02"]
    assert (cell.part_code, cell.quantity, cell.mark) == ("AC-CAP-40UF", 3, SlowMark.YELLOW)
    assert {c.code: c for c in shelf2.cells}["A-02-1-01"].mark is SlowMark.NONE  # issued today
    assert all(c.empty for c in shelf3.cells)
    result = stock_lists.export_reorder_list(any_db, keeper, target=tmp_path / "reorder.xlsx")
    rows = list(openpyxl.load_workbook(result.path).active.iter_rows(values_only=True))
    assert rows[0][0] == "Part code" and rows[1][0] == "AC-CAP-35UF" and rows[1][7] == 8  # 10 + 1/3 → 10.33 - 3 → 8
