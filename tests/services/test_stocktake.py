"""The monthly stocktake: freeze, count (found lines too), tolerance, recount by another person, approval,
posting once — also when two PCs press Post together."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest

from desktop.db.engine import make_engine
from desktop.db.uow import Database
from desktop.domain.errors import PermissionDenied, ValidationError
from desktop.domain.roles import Role
from desktop.domain.stocktake import StocktakeState
from desktop.services import parts, stock, stocktake
from desktop.services.paging import Sort
from desktop.services.parts import PartInput
from desktop.services.stock import ReceiptLine


@pytest.fixture
def team(any_db, make_user):
    return {name: make_user(any_db, role, name).actor()
            for name, role in (("zhao", Role.WAREHOUSE), ("qian", Role.WAREHOUSE), ("wang", Role.MANAGER))}


def stocked(db, keeper):
    parts.create_bins(db, keeper, zone="A", shelves=range(1, 3), layers=range(1, 2), positions=range(1, 3))
    parts.create_bins(db, keeper, zone="B", shelves=range(1, 2), layers=range(1, 2), positions=range(1, 2))
    for code, abc, cost in (("CAP-1", "A", "20"), ("FAN-1", "C", "100"), ("PCB-1", "C", "300")):
        parts.create_part(db, keeper, data=PartInput(code=code, name=code, unit="个", unit_cost=Decimal(cost),
                                                     abc_override=abc))
    for code, bin_code, qty in (("CAP-1", "A-01-1-01", 10), ("FAN-1", "A-01-1-02", 40), ("PCB-1", "B-01-1-01", 5)):
        stock.receive(db, keeper, branch_code="GZ01", supplier_document="S", received_on=date(2026, 1, 1),
                      lines=[ReceiptLine(code, bin_code, Decimal(qty))])


def on_hand(db, actor, code):
    return {p.values[0]: p.values[5] for p in parts.part_list(db, actor).fetch(sort=Sort("code"), after=None,
                                                                             limit=50)}[code]


def test_full_stocktake_posts_gains_and_losses_once(any_db, team):
    zhao, qian, wang = team["zhao"], team["qian"], team["wang"]
    stocked(any_db, zhao)
    st = stocktake.plan_stocktake(any_db, zhao, branch_code="GZ01", zones=["a"])
    st = stocktake.start_counting(any_db, zhao, stocktake_id=st.id, version=st.version)
    assert st.state is StocktakeState.COUNTING and st.lines == 4  # 2 stocked bins + 2 empty bins of zone A
    with pytest.raises(ValidationError, match="being counted"):
        stock.issue(any_db, zhao, branch_code="GZ01", lines=[(1, 1)], purpose="internal", reference="", receiver="张伟")
    stock.issue(any_db, zhao, branch_code="GZ01", lines=[(3, 1)], purpose="internal", reference="", receiver="张伟")  # zone B
    stocktake.record_count(any_db, zhao, stocktake_id=st.id, bin_code="A-01-1-01", part_code="CAP-1", quantity="9")
    stocktake.record_count(any_db, zhao, stocktake_id=st.id, bin_code="A-01-1-02", part_code="FAN-1", quantity="41")
    stocktake.record_count(any_db, zhao, stocktake_id=st.id, bin_code="A-02-1-01", part_code="PCB-1", quantity="2")
    with pytest.raises(ValidationError, match="1 lines are not counted"):
        stocktake.finish_counting(any_db, zhao, stocktake_id=st.id, version=stocktake.get_stocktake(any_db, zhao, st.id).version)
    stocktake.record_count(any_db, zhao, stocktake_id=st.id, bin_code="A-02-1-02", part_code="CAP-1", quantity=0)
    st = stocktake.finish_counting(any_db, zhao, stocktake_id=st.id, version=stocktake.get_stocktake(any_db, zhao, st.id).version)
    lines = {(v.bin_code, v.part_code): v for v in stocktake.variance(any_db, zhao, st.id)}
    cap, fan, found = lines[("A-01-1-01", "CAP-1")], lines[("A-01-1-02", "FAN-1")], lines[("A-02-1-01", "PCB-1")]
    assert (cap.delta, cap.value, cap.within_tolerance, cap.needs_recount) == (-1, Decimal("-20.00"), False, True)
    assert (fan.delta, fan.within_tolerance, fan.needs_recount) == (1, True, False)  # 2.5% of a C part
    assert found.found and found.book == 0 and found.needs_recount
    with pytest.raises(ValidationError, match="still need a recount"):
        stocktake.approve(any_db, wang, stocktake_id=st.id, version=st.version)
    with pytest.raises(ValidationError, match="someone other than zhao"):
        stocktake.record_recount(any_db, zhao, stocktake_id=st.id, line_id=cap.line_id, quantity=9)
    stocktake.record_recount(any_db, qian, stocktake_id=st.id, line_id=cap.line_id, quantity=9)
    stocktake.record_recount(any_db, qian, stocktake_id=st.id, line_id=found.line_id, quantity=2)
    with pytest.raises(PermissionDenied):
        stocktake.approve(any_db, zhao, stocktake_id=st.id, version=st.version)
    st = stocktake.approve(any_db, wang, stocktake_id=st.id, version=st.version)
    st = stocktake.post(any_db, zhao, branch_code="GZ01", stocktake_id=st.id)
    assert st.state is StocktakeState.POSTED and st.posted_document.startswith("TZ-GZ01-")
    assert (on_hand(any_db, zhao, "CAP-1"), on_hand(any_db, zhao, "FAN-1"), on_hand(any_db, zhao, "PCB-1")) == (9, 41, 6)
    with pytest.raises(ValidationError, match="only be posted once"):
        stocktake.post(any_db, zhao, branch_code="GZ01", stocktake_id=st.id)
    assert stock.ledger_differences(any_db) == []
    stock.issue(any_db, zhao, branch_code="GZ01", lines=[(1, 1)], purpose="internal", reference="", receiver="张伟")
    [row] = stocktake.history(any_db, zhao)
    assert row.lines == 4 and row.accuracy == Decimal("50.0") and row.gain_value == Decimal("700.00")
    assert row.loss_value == Decimal("20.00")


def test_cycle_count_of_one_abc_class_and_cancel(any_db, team):
    zhao = team["zhao"]
    stocked(any_db, zhao)
    st = stocktake.plan_stocktake(any_db, zhao, branch_code="GZ01", abc_class="A")
    st = stocktake.start_counting(any_db, zhao, stocktake_id=st.id, version=st.version)
    assert st.lines == 1
    other = stocktake.plan_stocktake(any_db, zhao, branch_code="GZ01", zones=["A"])
    with pytest.raises(ValidationError, match="counting some of these bins"):
        stocktake.start_counting(any_db, zhao, stocktake_id=other.id, version=other.version)
    st = stocktake.cancel(any_db, zhao, stocktake_id=st.id, version=st.version)
    assert st.state is StocktakeState.CANCELLED
    stock.issue(any_db, zhao, branch_code="GZ01", lines=[(1, 1)], purpose="internal", reference="", receiver="张伟")


def test_two_pcs_pressing_post_at_once_post_once(postgres, make_user):
    url = postgres.new_database()
    dbs = [Database(make_engine(url)) for _ in range(2)]
    keeper = make_user(dbs[0], Role.WAREHOUSE, "zhao").actor()
    manager = make_user(dbs[0], Role.MANAGER, "wang").actor()
    stocked(dbs[0], keeper)
    st = stocktake.plan_stocktake(dbs[0], keeper, branch_code="GZ01", zones=["B"])
    st = stocktake.start_counting(dbs[0], keeper, stocktake_id=st.id, version=st.version)
    stocktake.record_count(dbs[0], keeper, stocktake_id=st.id, bin_code="B-01-1-01", part_code="PCB-1", quantity="5.2")
    st = stocktake.finish_counting(dbs[0], keeper, stocktake_id=st.id, version=stocktake.get_stocktake(dbs[0], keeper, st.id).version)
    st = stocktake.approve(dbs[0], manager, stocktake_id=st.id, version=st.version)
    barrier, outcomes = threading.Barrier(2), []

    def press(db):
        barrier.wait()
        try:
            stocktake.post(db, keeper, branch_code="GZ01", stocktake_id=st.id)
            outcomes.append("posted")
        except ValidationError:
            outcomes.append("refused")

    threads = [threading.Thread(target=press, args=(db,)) for db in dbs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["posted", "refused"]
    assert on_hand(dbs[0], keeper, "PCB-1") == Decimal("5.2")
    for db in dbs:
        db.dispose()


def test_where_the_branch_lets_movements_go_on_counts_are_reconciled_against_the_snapshot(any_db, team, make_user):
    zhao = team["zhao"]
    admin = make_user(any_db, Role.SYSADMIN, "root").actor()
    stocked(any_db, zhao)
    stocktake.set_record_movements(any_db, admin, record=True)
    st = stocktake.plan_stocktake(any_db, zhao, branch_code="GZ01", zones=["B"])
    st = stocktake.start_counting(any_db, zhao, stocktake_id=st.id, version=st.version)
    stock.issue(any_db, zhao, branch_code="GZ01", lines=[(3, 1)], purpose="internal", reference="", receiver="张伟")
    stocktake.record_count(any_db, zhao, stocktake_id=st.id, bin_code="B-01-1-01", part_code="PCB-1", quantity=4)
    stock.issue(any_db, zhao, branch_code="GZ01", lines=[(3, 2)], purpose="internal", reference="", receiver="张伟")
    [line] = stocktake.variance(any_db, zhao, st.id)
    assert (line.book, line.moved, line.counted, line.delta) == (5, -1, 4, 0)  # the issue before the count counts
    st = stocktake.finish_counting(any_db, zhao, stocktake_id=st.id, version=stocktake.get_stocktake(any_db, zhao, st.id).version)
    st = stocktake.approve(any_db, team["wang"], stocktake_id=st.id, version=st.version)
    stocktake.post(any_db, zhao, branch_code="GZ01", stocktake_id=st.id)
    assert on_hand(any_db, zhao, "PCB-1") == 2  # nothing adjusted: 5 − 1 − 2
