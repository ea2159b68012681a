"""Count sheets out to Excel and back: what people do to a sheet, and what is refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from desktop.domain.roles import Role
from desktop.services import parts, stock, stocktake
from desktop.services.parts import PartInput
from desktop.services.stock import ReceiptLine
from desktop.services.stocktake_sheets import export_count_sheet, import_counts, print_count_sheet, print_variance_report
from reports.fonts import candidate_font_paths


@pytest.fixture
def counting(any_db, make_user):
    keeper = make_user(any_db, Role.WAREHOUSE, "zhao").actor()
    parts.create_bins(any_db, keeper, zone="A", shelves=range(1, 3), layers=range(1, 2), positions=range(1, 3))
    for code in ("CAP-1", "FAN-1", "PCB-1"):
        parts.create_part(any_db, keeper, data=PartInput(code=code, name=f"{code}名称", unit="个", unit_cost=Decimal(10),
                                                         abc_override="C"))
    for code, bin_code, qty in (("CAP-1", "A-01-1-01", 10), ("FAN-1", "A-01-1-02", 40)):
        stock.receive(any_db, keeper, branch_code="GZ01", supplier_document="S", received_on=date(2026, 1, 1),
                      lines=[ReceiptLine(code, bin_code, Decimal(qty))])
    st = stocktake.plan_stocktake(any_db, keeper, branch_code="GZ01", zones=["A"])
    st = stocktake.start_counting(any_db, keeper, stocktake_id=st.id, version=st.version)
    return keeper, st


def fill(path, counts: dict[int, object], extra_rows=()):
    """Fill the exported sheet as a person would, and save it again (as Excel would)."""
    book = load_workbook(path)
    sheet = book.active
    for row, value in counts.items():
        sheet.cell(row=row, column=6, value=value)
    for row in extra_rows:
        sheet.append(list(row))
    book.save(path)
    return path


def test_export_is_blind_in_walking_order_and_import_fills_counts(any_db, counting, tmp_path):
    keeper, st = counting
    path = tmp_path / "count.xlsx"
    assert export_count_sheet(any_db, keeper, stocktake_id=st.id, target=path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("盘点单号", st.number) and rows[3][:6] == ("库位", "配件编码", "名称", "单位", "账面数量", "实盘数量")
    assert [r[0] for r in rows[4:]] == ["A-01-1-01", "A-01-1-02", "A-02-1-01", "A-02-1-02"]
    assert all(r[4] is None for r in rows[4:])  # blind: no book quantities
    fill(path, {5: "１０", 6: " 39 ", 7: 0, 8: None},
         extra_rows=[("A-02-1-02", "PCB-1", "", "", None, "2", ""), (None, None, None, None, None, None, None),
                     ("A-01-1-02", "FAN-1", "", "", None, 1, "另一箱")])
    report = import_counts(any_db, keeper, stocktake_id=st.id, path=path)
    assert report.ok, [str(p) for p in report.problems]
    assert (report.counted, report.found, report.blank) == (4, 1, 1)
    assert report.added_up == ["A-01-1-02 FAN-1: rows 6 and 11 added up"]
    lines = {(v.bin_code, v.part_code): v for v in stocktake.variance(any_db, keeper, st.id)}
    assert lines[("A-01-1-01", "CAP-1")].counted == 10 and lines[("A-01-1-02", "FAN-1")].counted == 40
    assert lines[("A-02-1-02", "PCB-1")].found and lines[("A-02-1-02", "PCB-1")].value == Decimal("20.00")


def test_a_bad_sheet_is_refused_with_row_and_column_and_changes_nothing(any_db, counting, tmp_path):
    keeper, st = counting
    path = tmp_path / "count.xlsx"
    export_count_sheet(any_db, keeper, stocktake_id=st.id, target=path)
    fill(path, {5: "-1", 6: "四十"}, extra_rows=[("Z-09-9-09", "CAP-1", "", "", None, 1, ""),
                                               ("A-02-1-01", "NOPE", "", "", None, 1, "")])
    report = import_counts(any_db, keeper, stocktake_id=st.id, path=path)
    assert [(p.row, p.column) for p in report.problems] == [(5, "F (实盘数量)"), (6, "F (实盘数量)"), (9, "A (库位)"),
                                                            (10, "B (配件编码)")]
    assert all(p.file == "count.xlsx" and p.sheet == "盘点表" for p in report.problems)
    assert all(v.counted is None for v in stocktake.variance(any_db, keeper, st.id))
    other = stocktake.plan_stocktake(any_db, keeper, branch_code="GZ01", zones=["A"])
    wrong = import_counts(any_db, keeper, stocktake_id=st.id, path=_renumbered(path, other.number))
    assert "not of stocktake" in wrong.problems[0].message


def _renumbered(path, number):
    book = load_workbook(path)
    book.active["B1"] = number
    book.save(path)
    return path


@pytest.mark.skipif(not candidate_font_paths(), reason="no CJK TrueType font (Debian: fonts-wqy-zenhei)")
def test_count_sheet_and_variance_report_pdfs(sqlite_db, make_user, tmp_path):
    keeper = make_user(sqlite_db, Role.WAREHOUSE, "zhao").actor()
    second = make_user(sqlite_db, Role.WAREHOUSE, "qian").actor()
    manager = make_user(sqlite_db, Role.MANAGER, "wang").actor()
    parts.create_bins(sqlite_db, keeper, zone="A", shelves=range(1, 2), layers=range(1, 2), positions=range(1, 3))
    parts.create_part(sqlite_db, keeper, data=PartInput(code="CAP-1", name="启动电容", unit="个", unit_cost=Decimal("18.5"),
                                                        abc_override="C"))
    stock.receive(sqlite_db, keeper, branch_code="GZ01", supplier_document="S", received_on=date(2026, 1, 1),
                  lines=[ReceiptLine("CAP-1", "A-01-1-01", Decimal(10))])
    st = stocktake.plan_stocktake(sqlite_db, keeper, branch_code="GZ01")
    st = stocktake.start_counting(sqlite_db, keeper, stocktake_id=st.id, version=st.version)
    text = PdfReader(print_count_sheet(sqlite_db, keeper, stocktake_id=st.id, target=tmp_path / "sheet.pdf",
                                       branch_name="广州销售分公司")).pages[0].extract_text()
    assert "盘点表" in text and st.number in text and "A-01-1-01" in text and "盲盘" in text and "10" not in text.split("A-01-1-01")[1][:40]
    stocktake.record_count(sqlite_db, keeper, stocktake_id=st.id, bin_code="A-01-1-01", part_code="CAP-1", quantity=8)
    stocktake.record_count(sqlite_db, keeper, stocktake_id=st.id, bin_code="A-01-1-02", part_code="CAP-1", quantity=0)
    st = stocktake.finish_counting(sqlite_db, keeper, stocktake_id=st.id, version=stocktake.get_stocktake(sqlite_db, keeper, st.id).version)
    line = next(v for v in stocktake.variance(sqlite_db, keeper, st.id) if v.bin_code == "A-01-1-01")
    stocktake.record_recount(sqlite_db, second, stocktake_id=st.id, line_id=line.line_id, quantity=8)
    stocktake.approve(sqlite_db, manager, stocktake_id=st.id, version=st.version)
    report = PdfReader(print_variance_report(sqlite_db, keeper, stocktake_id=st.id, target=tmp_path / "v.pdf",
                                             branch_name="广州销售分公司")).pages[0].extract_text()
    assert "盘点差异表" in report and "盘亏" in report and "-￥37.00" in report and "wang" in report
    workbook = print_variance_report(sqlite_db, keeper, stocktake_id=st.id, target=tmp_path / "v.xlsx", branch_name="x")
    rows = list(load_workbook(workbook).active.iter_rows(values_only=True))
    assert rows[-1][:4] == ("盘盈金额", 0, "盘亏金额", -37)
