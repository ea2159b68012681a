"""Importing parts from Excel: all rows checked, nothing saved unless the whole sheet is good."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook

from desktop.domain.roles import Role
from desktop.services import parts
from desktop.services.part_import import import_parts
from desktop.services.paging import Sort

HEADER = ["编码", "名称", "型号", "规格", "单位", "订货点", "安全库存", "单价", "可代用型号"]


def sheet(path, rows, header=HEADER):
    book = Workbook()
    book.active.title = "配件"
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


@pytest.fixture
def keeper(any_db, make_user):
    return make_user(any_db, Role.WAREHOUSE).actor()


def codes(db, actor):
    return [r.values[0] for r in parts.part_list(db, actor).fetch(sort=Sort("code"), after=None, limit=100)]


def test_a_good_sheet_creates_and_updates(any_db, keeper, tmp_path):
    path = sheet(tmp_path / "parts.xlsx", [
        ["  ac-fan-01 ", "室内风扇电机", "YDK-20", "20W", "个", "５", "2", "86.5", ""],  # full-width 5, spaces
        ["AC-FAN-02", "室外风扇电机", "YDK-40", "40W", "个", "3", None, 120, "AC-FAN-01"],
        [None, None, None, None, None, None, None, None, None],  # a blank row is skipped
    ])
    report = import_parts(any_db, keeper, path=path)
    assert report.ok and (report.rows, report.created, report.updated) == (2, 2, 0)
    fan = parts.get_part(any_db, keeper, 1)
    assert (fan.code, fan.reorder_point, fan.unit_cost) == ("AC-FAN-01", Decimal(5), Decimal("86.5"))
    assert [s[1] for s in fan.substitutes] == ["AC-FAN-02"]
    sheet(path, [["AC-FAN-01", "室内风扇电机", "YDK-20", "22W", "个", "6", "2", "90", ""]])
    report = import_parts(any_db, keeper, path=path)
    assert (report.created, report.updated) == (0, 1)
    assert parts.get_part(any_db, keeper, 1).specification == "22W"


def test_a_bad_sheet_names_every_problem_and_saves_nothing(any_db, keeper, tmp_path):
    path = sheet(tmp_path / "bad.xlsx", [
        ["AC-FAN-01", "室内风扇电机", "", "", "个", "5", "", "86.5", ""],
        ["", "无编码", "", "", "个", "", "", "", ""],
        ["AC-FAN-01", "重复", "", "", "个", "", "", "", ""],
        ["AC-FAN-03", "单位错", "", "", "箱子", "", "", "", ""],
        ["AC-FAN-04", "数字错", "", "", "个", "五个", "", "", ""],
        ["AC-FAN-05", "代用错", "", "", "个", "", "", "", "NOPE-1"],
    ])
    report = import_parts(any_db, keeper, path=path)
    assert not report.ok
    found = {(p.row, p.column.split(" ")[0]): p.message for p in report.problems}
    assert set(found) == {(3, "A"), (4, "A"), (5, "E"), (6, "F")}
    assert "row 2" in found[(4, "A")] and "箱子" in found[(5, "E")] and "五个" in found[(6, "F")]
    assert all(p.file == "bad.xlsx" and p.sheet == "配件" for p in report.problems)
    assert "bad.xlsx, sheet 配件, row 5, column E (单位)" in str(report.problems[2])
    assert codes(any_db, keeper) == []
    # the substitute problem only shows once the rows themselves are good
    report = import_parts(any_db, keeper, path=sheet(path, [["AC-FAN-05", "代用错", "", "", "个", "", "", "", "NOPE-1"]]))
    assert [(p.row, p.column) for p in report.problems] == [(2, "I (可代用型号)")]
    assert codes(any_db, keeper) == []


def test_not_a_workbook_or_missing_columns(any_db, keeper, tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_text("hello")
    assert "not an Excel workbook" in import_parts(any_db, keeper, path=junk).problems[0].message
    report = import_parts(any_db, keeper, path=sheet(tmp_path / "h.xlsx", [["x"]], header=["名称"]))
    assert "编码" in report.problems[0].message and "单位" in report.problems[0].message
