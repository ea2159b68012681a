"""A realistic demo warehouse: a few thousand air-conditioner and machinery parts in three zones, a year of
receipts and issues (first-in first-out), some stock idle for one or three months. Bulk-inserted in one
transaction with balances that equal the ledger."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import bindparam, insert, update

from desktop.db.bulk import after_explicit_ids
from desktop.domain.records import Counter
from desktop.domain.warehouse import Bin, Lot, MovementKind, Part, PartSubstitute, StockBalance, StockDocument, StockMovement, bin_code

# (code prefix, zone, unit, cost range, [(name, model stem, specifications)])
FAMILIES = (
    ("AC", "A", "个", (15, 1800), [
        ("压缩机", "QXA-B", ("1.0P", "1.5P", "2P", "3P")), ("四通阀", "STF-0", ("0.2", "0.4", "0.7")),
        ("电子膨胀阀", "EEV-", ("1.65", "2.2", "3.2")), ("启动电容", "CBB65-", ("25μF", "35μF", "45μF")),
        ("室内风扇电机", "YDK-", ("15W", "20W", "30W")), ("室外风扇电机", "YDK-", ("40W", "60W", "90W")),
        ("主控板", "KFR-PCB-", ("26", "35", "50", "72")), ("显示板", "DSP-", ("A", "B")),
        ("遥控器", "YB1F", ("2", "4")), ("温度传感器", "NTC-", ("5K", "10K", "20K")), ("干燥过滤器", "DF-", ("6", "9")),
    ]),
    ("MC", "B", "件", (8, 6500), [
        ("深沟球轴承", "62", ("05", "06", "08", "10")), ("V带", "B", ("1000", "1250", "1600")), ("骨架油封", "TC", ("35", "45")),
        ("空气滤芯", "KL-", ("22", "37")), ("机油滤芯", "JL-", ("22", "37")), ("油气分离器", "FL-", ("22", "55")),
        ("电磁阀", "4V210-", ("08", "10")), ("压力开关", "PS-", ("10", "16")), ("交流接触器", "CJX2-", ("1810", "3210")),
        ("伺服电机", "SM-", ("0.75kW", "1.5kW")), ("滚珠丝杠", "SFU", ("1605", "2005")), ("导轨滑块", "HGH", ("20", "25")),
    ]),
    ("GN", "C", "卷", (2, 300), [
        ("铜管", "Cu-", ("6.35", "9.52", "12.7")), ("保温棉", "BW-", ("9", "13")), ("扎带", "ZD-", ("3x150", "5x300")),
        ("绝缘胶布", "JY-", ("18", "20")), ("密封胶", "MF-", ("300ml",)),
    ]),
)


def add_demo_warehouse(session, *, branch_code: str, today: date, parts_wanted: int = 2400, seed: int = 11) -> dict:
    rng = random.Random(seed)
    bins, bin_cycle = _bins(), {}
    session.execute(insert(Bin), bins)
    for row in bins:
        bin_cycle.setdefault(row["zone"], []).append(row)
    parts, part_id = [], 0
    while len(parts) < parts_wanted:
        for prefix, zone, unit, (low, high), items in FAMILIES:
            for name, stem, specs in items:
                for spec in specs:
                    part_id += 1
                    cost = Decimal(rng.randint(low * 100, high * 100)) / 100
                    parts.append({
                        "id": part_id, "code": f"{prefix}-{part_id:05d}", "name": name, "model": f"{stem}{spec}",
                        "specification": spec, "unit": "米" if name == "铜管" else unit, "usage": f"{zone}区常用配件",
                        "reorder_point": Decimal(0), "safety_stock": Decimal(0),
                        "unit_cost": cost, "abc_class": "C", "zone": zone, "created_at": _moment(today - timedelta(days=400)),
                        "updated_at": _moment(today - timedelta(days=400)), "version": 1,
                    })
    parts = parts[:parts_wanted]
    session.execute(insert(Part), [{k: v for k, v in p.items() if k != "zone"} for p in parts])
    session.execute(insert(PartSubstitute), [
        {"part_id": a["id"], "substitute_id": b["id"]}
        for a, b in zip(parts, parts[1:], strict=False) if a["name"] == b["name"] and rng.random() < 0.15
    ])
    documents, lots, movements, balances, counters = [], [], [], {}, {}

    def document(kind: MovementKind, day: date, **fields) -> int:
        prefix = {"receipt": "RK", "issue": "CK"}[kind.value]
        series = f"stock:{prefix}:{branch_code}:{day:%Y%m}"
        counters[series] = counters.get(series, 0) + 1
        documents.append({"id": len(documents) + 1, "number": f"{prefix}-{branch_code}-{day:%Y%m}-{counters[series]:04d}",
                          "kind": kind.value, "at": _moment(day), "username": "warehouse", **fields})
        return len(documents)

    stocked = [p for p in parts if rng.random() < 0.35]
    reorder = []
    for part in stocked:
        free = bin_cycle[part["zone"]]
        if not free:
            continue
        if rng.random() < 0.6:  # the frequently used parts get a reorder point and a safety stock
            reorder.append({"id": part["id"], "reorder_point": Decimal(rng.choice((5, 10, 20))),
                            "safety_stock": Decimal(rng.choice((2, 4)))})
        home = free.pop(rng.randrange(len(free)))
        # Idle parts: their last movement lies one to four months back, so the shelf map shows yellow and red.
        idle_days = rng.choice((0, 0, 0, 0, 40, 100))
        day = today - timedelta(days=rng.randint(200, 360))
        lot_queue: list[list] = []
        while day < today - timedelta(days=idle_days):
            quantity = Decimal(rng.choice((5, 10, 20, 50)))
            doc = document(MovementKind.RECEIPT, day, purpose="supplier", reference=f"GYS-{day:%Y%m%d}-{rng.randint(1, 99):02d}")
            lots.append({"id": len(lots) + 1, "part_id": part["id"], "bin_id": home["id"], "received_on": day,
                         "unit_cost": part["unit_cost"], "supplier_document": documents[-1]["reference"]})
            lot_queue.append([len(lots), quantity])
            movements.append(_movement(len(movements) + 1, doc, MovementKind.RECEIPT, day, part, home, len(lots), quantity))
            balances[len(lots)] = quantity
            # Issues until the next receipt, oldest lot first.
            for _ in range(rng.randint(2, 8)):
                day += timedelta(days=rng.randint(3, 20))
                if day >= today - timedelta(days=idle_days):
                    break
                want = Decimal(rng.choice((1, 1, 2, 3)))
                doc = document(MovementKind.ISSUE, day, purpose="service_order", receiver=rng.choice(("张伟", "刘强")),
                               reference=f"FW-{branch_code}-{day:%Y%m}-{rng.randint(1, 400):04d}")
                while want > 0 and lot_queue:
                    lot_id, left = lot_queue[0]
                    take = min(left, want)
                    movements.append(_movement(len(movements) + 1, doc, MovementKind.ISSUE, day, part, home, lot_id, -take))
                    balances[lot_id] -= take
                    lot_queue[0][1] -= take
                    want -= take
                    if lot_queue[0][1] == 0:
                        lot_queue.pop(0)
            day += timedelta(days=rng.randint(5, 30))
    session.execute(insert(StockDocument), documents)
    session.execute(insert(Lot), lots)
    session.execute(insert(StockMovement), movements)
    session.execute(insert(StockBalance), [
        {"lot_id": lot["id"], "part_id": lot["part_id"], "bin_id": lot["bin_id"], "quantity": balances[lot["id"]]}
        for lot in lots
    ])
    session.execute(insert(Counter), [{"name": name, "value": value} for name, value in counters.items()])
    on_hand: dict[int, Decimal] = {}
    for lot in lots:
        on_hand[lot["part_id"]] = on_hand.get(lot["part_id"], Decimal(0)) + balances[lot["id"]]
    for row in reorder:
        if rng.random() < 0.12:  # some have run low: they make the reorder list
            row["reorder_point"] = on_hand.get(row["id"], Decimal(0)) + rng.randint(1, 10)
    if reorder:
        table = Part.__table__
        session.execute(
            update(table).where(table.c.id == bindparam("part"))
            .values(reorder_point=bindparam("reorder"), safety_stock=bindparam("safety")),
            [{"part": r["id"], "reorder": r["reorder_point"], "safety": r["safety_stock"]} for r in reorder],
        )
    after_explicit_ids(session.connection(), [Bin.__table__, Part.__table__, StockDocument.__table__, Lot.__table__,
                                              StockMovement.__table__])
    return {"parts": len(parts), "bins": len(bins), "movements": len(movements)}


def _bins() -> list[dict]:
    rows = []
    for zone, shelves in (("A", 10), ("B", 10), ("C", 5)):
        for shelf in range(1, shelves + 1):
            for layer in range(1, 6):
                for position in range(1, 9):
                    rows.append({"id": len(rows) + 1, "code": bin_code(zone, shelf, layer, position), "zone": zone,
                                 "shelf": shelf, "layer": layer, "position": position})
    return rows


def _movement(movement_id, document_id, kind, day, part, bin_row, lot_id, quantity) -> dict:
    return {"id": movement_id, "document_id": document_id, "kind": kind.value, "at": _moment(day), "part_id": part["id"],
            "bin_id": bin_row["id"], "lot_id": lot_id, "quantity": quantity, "unit_cost": part["unit_cost"]}


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(9, 30), UTC)
