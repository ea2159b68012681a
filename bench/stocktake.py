"""A 50,000-line stocktake: export, import and post, beside the libraries' own speed on the same rows.
Prints its figures; run it, don't test it.

    python bench/stocktake.py                       # SQLite file in a temporary folder
    python bench/stocktake.py --db postgresql+psycopg://postgres@127.0.0.1/bench_stocktake   # an empty database
    python bench/stocktake.py --repeat 5            # more (ours, library) pairs per measure

Goals (issue 7): import ≤ 5× python-calamine reading the same file; export ≤ 1.3× openpyxl's write-only
mode writing the same rows; posting 50,000 adjustments in one transaction: reported.

Each ratio is measured `--repeat` times as a pair run back to back (ours, then the library's), and the
median of the pairs is the figure: on a busy machine one pair can land on a burst of other work. Importing
the same sheet again writes the same counts, so the import can be repeated.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook, load_workbook  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from desktop.db.bulk import after_explicit_ids  # noqa: E402
from desktop.db.engine import make_engine  # noqa: E402
from desktop.db.migrate import upgrade  # noqa: E402
from desktop.db.uow import SYSTEM, Database  # noqa: E402
from desktop.domain.warehouse import Bin, Lot, Part, StockBalance, StockDocument, StockMovement, bin_code  # noqa: E402
from desktop.services import stock, stocktake, stocktake_sheets  # noqa: E402

LINES = 50_000


def build(db: Database) -> None:
    """50,000 bins, each holding one part: zones A–E × 20 shelves × 5 layers × 100 positions."""
    bins, parts, lots, moves, balances = [], [], [], [], []
    moment = datetime(2026, 1, 5, 9, tzinfo=UTC)
    for zone in "ABCDE":
        for shelf in range(1, 21):
            for layer in range(1, 6):
                for position in range(1, 101):
                    n = len(bins) + 1
                    bins.append({"id": n, "code": bin_code(zone, shelf, layer, position), "zone": zone, "shelf": shelf,
                                 "layer": layer, "position": position})
                    parts.append({"id": n, "code": f"P-{n:06d}", "name": f"配件{n}", "unit": "个", "unit_cost": Decimal("12.50"),
                                  "abc_class": "C", "reorder_point": 0, "safety_stock": 0, "model": "", "specification": "",
                                  "usage": "", "created_at": moment, "updated_at": moment, "version": 1})
                    lots.append({"id": n, "part_id": n, "bin_id": n, "received_on": date(2026, 1, 5),
                                 "unit_cost": Decimal("12.50"), "supplier_document": "S"})
                    moves.append({"id": n, "document_id": 1, "kind": "receipt", "at": moment, "part_id": n, "bin_id": n,
                                  "lot_id": n, "quantity": Decimal(20), "unit_cost": Decimal("12.50")})
                    balances.append({"lot_id": n, "part_id": n, "bin_id": n, "quantity": Decimal(20)})
    with db.uow(SYSTEM) as uow:
        conn = uow.session.connection()
        conn.execute(insert(StockDocument), [{"id": 1, "number": "RK-BENCH-0001", "kind": "receipt", "at": moment,
                                              "username": "bench", "purpose": "supplier", "reference": "S",
                                              "receiver": "", "reason": ""}])
        for table, rows in ((Bin, bins), (Part, parts), (Lot, lots), (StockMovement, moves), (StockBalance, balances)):
            conn.execute(insert(table), rows)
        after_explicit_ids(conn, [Bin.__table__, Part.__table__, Lot.__table__, StockMovement.__table__,
                                  StockDocument.__table__])
        uow.commit()


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def ratio_line(what: str, pairs: list[tuple[float, float]], anchor: str, goal: str) -> str:
    ratios = [ours / theirs for ours, theirs in pairs]
    median = statistics.median(ratios)
    ours = statistics.median(p[0] for p in pairs)
    theirs = statistics.median(p[1] for p in pairs)
    each = ", ".join(f"{r:.2f}×" for r in ratios)
    return (f"{what}: {ours:.2f} s vs {anchor} {theirs:.2f} s (medians); ratio median {median:.2f}× "
            f"(pairs: {each}; goal ≤ {goal}×)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="an empty database (default: a new SQLite file)")
    parser.add_argument("--repeat", type=int, default=3, help="pairs per ratio (default 3); the median is reported")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-stocktake-"))
    engine = make_engine(args.db or str(folder / "bench.sqlite3"))
    upgrade(engine)
    db = Database(engine)
    print(f"database: {db.url}; {LINES:,} lines")
    took, _ = timed(lambda: build(db))
    print(f"built the warehouse in {took:.1f} s")
    st = stocktake.plan_stocktake(db, SYSTEM, branch_code="GZ01")
    took, st = timed(lambda: stocktake.start_counting(db, SYSTEM, stocktake_id=st.id, version=st.version))
    print(f"start counting (snapshot of {st.lines:,} lines): {took:.2f} s")

    sheet = folder / "count.xlsx"
    lines = stocktake.variance(db, SYSTEM, st.id)

    def plain_openpyxl():
        # The cells the export writes (a blind sheet: no book quantity, count and remark left empty).
        book = Workbook(write_only=True)
        ws = book.create_sheet("盘点表")
        for row in ([ln.bin_code, ln.part_code, ln.part_name, ln.unit, None, None, None] for ln in lines):
            ws.append(row)
        book.save(folder / "plain.xlsx")

    pairs = []
    for _ in range(args.repeat):
        export_s, _ = timed(lambda: stocktake_sheets.export_count_sheet(db, SYSTEM, stocktake_id=st.id, target=sheet))
        plain_s, _ = timed(plain_openpyxl)
        pairs.append((export_s, plain_s))
    print(ratio_line("export", pairs, "openpyxl write-only", "1.3"))

    book = load_workbook(sheet)  # every count one more than the book (within tolerance): 50,000 adjustments
    rng = random.Random(1)
    for row in range(5, 5 + LINES):
        book.active.cell(row=row, column=6, value=21 if rng.random() > 0.01 else rng.choice((15, 26)))
    book.save(sheet)
    # The filled-in workbook's 350,000 cell objects are the bench's own: left alive, every full garbage
    # collection during the import walks them (0.25 s). The 50,000 variance lines stay, as on the screen.
    del book
    gc.collect()
    pairs = []
    for _ in range(args.repeat):
        import_s, report = timed(lambda: stocktake_sheets.import_counts(db, SYSTEM, stocktake_id=st.id, path=sheet))
        assert report.ok and report.counted == LINES, report.problems[:3]
        read_s, _ = timed(lambda: CalamineWorkbook.from_path(str(sheet)).get_sheet_by_index(0).to_python())
        pairs.append((import_s, read_s))
    print(ratio_line("import", pairs, "python-calamine reading it", "5"))

    st = stocktake.finish_counting(db, SYSTEM, stocktake_id=st.id, version=stocktake.get_stocktake(db, SYSTEM, st.id).version)
    recount = [v for v in stocktake.variance(db, SYSTEM, st.id) if v.needs_recount]
    second = SYSTEM.__class__(user_id=None, username="recounter", role=SYSTEM.role, is_system=True)
    for v in recount:
        stocktake.record_recount(db, second, stocktake_id=st.id, line_id=v.line_id, quantity=v.counted)
    st = stocktake.approve(db, SYSTEM, stocktake_id=st.id, version=stocktake.get_stocktake(db, SYSTEM, st.id).version)
    changes = sum(1 for v in stocktake.variance(db, SYSTEM, st.id) if v.delta)
    post_s, st = timed(lambda: stocktake.post(db, SYSTEM, branch_code="GZ01", stocktake_id=st.id))
    print(f"post: {changes:,} adjustments in one transaction in {post_s:.2f} s ({st.posted_document})")
    assert stock.ledger_differences(db) == [], "balances and ledger disagree after posting"
    db.dispose()


if __name__ == "__main__":
    main()
