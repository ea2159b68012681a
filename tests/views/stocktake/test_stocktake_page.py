"""The stocktake page as a user meets it: scanning bin, part and quantity; finishing; recounts by someone
else; the manager's approval; posting once; count sheets out and back in."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.domain.stocktake import StocktakeState
from desktop.services import parts, stocktake
from desktop.views import navigation
from desktop.views.stocktake.new_stocktake_dialog import NewStocktakeDialog
from tests.views.stocktake.conftest import cell, history_cell


def scan(qtbot, edit, text: str) -> None:
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def focused(qtbot, widget) -> None:
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=2000)


def test_scanner_flow_records_counts_and_returns_to_the_part_field(qtbot, make_page, team, counting):
    page = make_page(team["zhao"])
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    panel = page.counting_panel
    assert panel.isVisible()
    assert panel.progress_label.text() == "Bins counted 0 of 4 · lines counted 0 of 4"
    assert "book" not in page.model.column_keys()  # blind: the book quantity stays hidden while counting

    panel.bin_edit.setFocus()
    scan(qtbot, panel.bin_edit, "a-01-1-01")
    focused(qtbot, panel.part_edit)
    scan(qtbot, panel.part_edit, "CAP-1")
    focused(qtbot, panel.quantity_edit)
    scan(qtbot, panel.quantity_edit, "9")
    focused(qtbot, panel.part_edit)
    assert panel.bin_edit.text() == "A-01-1-01" and panel.part_edit.text() == ""
    assert cell(page, lambda v: v.part_code == "CAP-1", "counted") == "9"
    assert panel.progress_label.text() == "Bins counted 1 of 4 · lines counted 1 of 4"

    # The next bin's label scanned into the part field moves on to that bin; a part nobody booked there is found.
    scan(qtbot, panel.part_edit, "A-02-1-01")
    assert panel.bin_edit.text() == "A-02-1-01"
    focused(qtbot, panel.part_edit)
    scan(qtbot, panel.part_edit, "PCB-1")
    scan(qtbot, panel.quantity_edit, "2")
    assert "Found" in panel.message_label.text()
    assert cell(page, lambda v: v.bin_code == "A-02-1-01", "note") == "found"
    assert cell(page, lambda v: v.bin_code == "A-02-1-01", "part") == "PCB-1"
    assert panel.progress_label.text() == "Bins counted 2 of 4 · lines counted 2 of 4"

    # A wrong part: the refusal shows in the panel, the part is selected to scan again, nothing recorded.
    scan(qtbot, panel.part_edit, "NOPE-9")
    scan(qtbot, panel.quantity_edit, "1")
    assert "NOPE-9" in panel.message_label.text()
    focused(qtbot, panel.part_edit)

    qtbot.keyClick(panel.part_edit, Qt.Key.Key_Escape)
    focused(qtbot, panel.bin_edit)
    assert panel.bin_edit.text() == ""


def test_finishing_with_uncounted_lines_is_refused_with_the_message(qtbot, make_page, team, counting, shown,
                                                                    sqlite_db):
    stocktake.record_count(sqlite_db, team["zhao"], stocktake_id=counting.id, bin_code="A-01-1-01",
                           part_code="CAP-1", quantity=10)
    page = make_page(team["zhao"])
    assert page.finish_button.isEnabled()
    qtbot.mouseClick(page.finish_button, Qt.MouseButton.LeftButton)
    assert shown == ["3 lines are not counted yet."]
    assert history_cell(page, counting.number, 1) == "Counting"


def count_all(db, keeper, stocktake_id):
    for bin_code, part_code, quantity in (("A-01-1-01", "CAP-1", 9), ("A-01-1-02", "FAN-1", 41),
                                          ("A-02-1-01", "PCB-1", 2), ("A-02-1-02", "CAP-1", 0)):
        stocktake.record_count(db, keeper, stocktake_id=stocktake_id, bin_code=bin_code, part_code=part_code,
                               quantity=quantity)


def test_recount_approve_and_post_once(qtbot, make_page, team, counting, shown, sqlite_db, warehouse, monkeypatch):
    count_all(sqlite_db, team["zhao"], counting.id)
    zhao = make_page(team["zhao"])
    qtbot.mouseClick(zhao.finish_button, Qt.MouseButton.LeftButton)
    assert history_cell(zhao, counting.number, 1) == "Counted"
    assert "book" in zhao.model.column_keys() and "delta" in zhao.model.column_keys()
    assert cell(zhao, lambda v: v.part_code == "CAP-1" and v.book, "delta") == "-1"
    assert cell(zhao, lambda v: v.part_code == "CAP-1" and v.book, "tolerance") == "Beyond: recount"
    assert cell(zhao, lambda v: v.part_code == "FAN-1", "tolerance") == "Within"
    assert "−20.00 in 1 lines" in zhao.totals_label.text() and "+700.00 in 2 lines" in zhao.totals_label.text()
    beyond = zhao.model.index(zhao.model.row_of(
        next(v for v in zhao.model.lines() if v.part_code == "CAP-1" and v.book).line_id), 0)
    assert zhao.model.data(beyond, Qt.ItemDataRole.BackgroundRole) is not None  # highlighted

    cap = next(v for v in zhao.model.lines() if v.part_code == "CAP-1" and v.book)
    found = next(v for v in zhao.model.lines() if v.found)
    zhao.lines_view.setCurrentIndex(zhao.model.index(zhao.model.row_of(cap.line_id), 0))
    assert zhao.recount_button.isEnabled()
    assert not zhao.approve_button.isEnabled()  # a keeper does not approve
    assert not zhao.recount(cap.line_id, "9")
    assert "someone other than zhao" in shown[-1]

    qian = make_page(team["qian"])
    assert qian.recount(cap.line_id, "9") and qian.recount(found.line_id, "2")
    assert cell(qian, lambda v: v.line_id == cap.line_id, "recounted") == "9"
    assert cell(qian, lambda v: v.line_id == cap.line_id, "recounted_by") == "qian"
    assert cell(qian, lambda v: v.line_id == cap.line_id, "tolerance") == "Beyond: recounted"

    wang = make_page(team["wang"])
    assert wang.approve_button.isEnabled() and not wang.post_button.isEnabled()
    qtbot.mouseClick(wang.approve_button, Qt.MouseButton.LeftButton)
    assert history_cell(wang, counting.number, 1) == "Reconciled"

    stale = make_page(team["qian"])  # another PC that shows the stocktake approved
    zhao.refresh()
    assert zhao.post_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(zhao.post_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: history_cell(zhao, counting.number, 1) == "Posted", timeout=5000)
    assert "adjustments in TZ-GZ01-" in zhao.status_label.text()
    on_hand = {code: parts.get_part(sqlite_db, team["zhao"], part.id).on_hand for code, part in warehouse.items()}
    assert on_hand == {"CAP-1": Decimal(9), "FAN-1": Decimal(41), "PCB-1": Decimal(7)}
    assert zhao.close_button.isEnabled() and not zhao.post_button.isEnabled()

    assert stale.post_button.isEnabled()
    task = stale.start_post()
    qtbot.waitUntil(lambda: not task.is_running(), timeout=5000)
    qtbot.waitUntil(lambda: any("only be posted once" in text for text in shown), timeout=2000)
    assert {code: parts.get_part(sqlite_db, team["zhao"], part.id).on_hand
            for code, part in warehouse.items()} == on_hand
    assert history_cell(stale, counting.number, 1) == "Posted"


def test_export_writes_the_blind_workbook(qtbot, make_page, team, counting, tmp_path):
    page = make_page(team["zhao"])
    target = tmp_path / "sheet.xlsx"
    task = page.export_count_sheet(target)
    qtbot.waitUntil(lambda: not task.is_running(), timeout=5000)
    assert "Count sheet saved to" in page.status_label.text()
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("盘点单号", counting.number)
    body = [row for row in rows[4:] if row[0]]
    assert [(row[0], row[1]) for row in body] == [("A-01-1-01", "CAP-1"), ("A-01-1-02", "FAN-1"),
                                                  ("A-02-1-01", None), ("A-02-1-02", None)]
    assert all(row[4] is None for row in body)  # blind: no book quantity


def test_import_of_a_bad_sheet_shows_problems_and_saves_nothing(qtbot, make_page, team, counting, tmp_path,
                                                                sqlite_db):
    page = make_page(team["zhao"])
    target = tmp_path / "sheet.xlsx"
    task = page.export_count_sheet(target)
    qtbot.waitUntil(lambda: not task.is_running(), timeout=5000)
    book = openpyxl.load_workbook(target)
    sheet = book.active
    sheet["F5"], sheet["F6"] = 9, "abc"  # the first row fine, the second not a number
    book.save(target)

    task = page.import_sheet(target)
    qtbot.waitUntil(lambda: page.report_dialog is not None and page.report_dialog.isVisible(), timeout=5000)
    dialog = page.report_dialog
    assert dialog.summary_label.text().startswith("Nothing was saved: 1 problems")
    assert dialog.problem_rows() == [("sheet.xlsx", "盘点表", "6", "F (实盘数量)", "abc is not a number")]
    dialog.reject()
    assert all(v.counted is None for v in stocktake.variance(sqlite_db, team["zhao"], counting.id))
    assert page.counting_panel.progress_label.text() == "Bins counted 0 of 4 · lines counted 0 of 4"

    sheet["F6"] = 40
    book.save(target)
    page.report_dialog = None
    page.import_sheet(target)
    qtbot.waitUntil(lambda: page.report_dialog is not None and page.report_dialog.isVisible(), timeout=5000)
    assert "2 counts recorded" in page.report_dialog.summary_label.text()
    assert page.counting_panel.progress_label.text() == "Bins counted 2 of 4 · lines counted 2 of 4"
    page.report_dialog.reject()


def test_new_stocktake_dialog_offers_the_zones_of_the_bins(qtbot, sqlite_db, team, warehouse):
    dialog = NewStocktakeDialog(sqlite_db, team["zhao"], "GZ01")
    qtbot.addWidget(dialog)
    assert list(dialog.zone_checks) == ["A", "B"]
    dialog.zones_radio.setChecked(True)
    dialog.on_buttons_accepted()
    assert dialog.error_label.text() == "Tick at least one zone."
    dialog.zone_checks["B"].setChecked(True)
    dialog.blind_check.setChecked(False)
    dialog.on_buttons_accepted()
    assert dialog.record.zones == ("B",) and not dialog.record.blind
    assert dialog.record.state is StocktakeState.PLANNED


def test_planned_stocktake_starts_from_the_page(qtbot, make_page, team, warehouse, sqlite_db):
    planned = stocktake.plan_stocktake(sqlite_db, team["zhao"], branch_code="GZ01", zones=["B"], blind=False)
    page = make_page(team["zhao"])
    assert history_cell(page, planned.number, 2) == "Zones B · open (明盘)"
    assert page.start_button.isEnabled() and not page.finish_button.isEnabled()
    assert not page.counting_panel.isVisibleTo(page)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert history_cell(page, planned.number, 1) == "Counting"
    assert page.counting_panel.isVisibleTo(page)
    assert cell(page, lambda v: v.part_code == "PCB-1", "book") == "5"  # open count: the book is shown


def test_an_engineer_reads_but_cannot_act(make_page, make_user, sqlite_db, counting):
    from desktop.domain.roles import Role

    page = make_page(make_user(sqlite_db, Role.ENGINEER, "li").actor())
    assert history_cell(page, counting.number, 1) == "Counting"
    assert not any(button.isEnabled() for button in (page.new_button, page.finish_button, page.cancel_button,
                                                     page.import_button))
    assert not page.counting_panel.isVisibleTo(page)


def test_the_page_is_listed_after_the_other_warehouse_pages():
    keys = [spec.key for spec in navigation.PAGES if spec.group == navigation.WAREHOUSE]
    assert keys[-1] == "stocktake"


def test_an_empty_bin_is_marked_empty_and_counting_finishes(qtbot, make_page, team, counting, sqlite_db, shown):
    for bin_code, part_code, quantity in (("A-01-1-01", "CAP-1", 10), ("A-01-1-02", "FAN-1", 40),
                                          ("A-02-1-01", "PCB-1", 1)):
        stocktake.record_count(sqlite_db, team["zhao"], stocktake_id=counting.id, bin_code=bin_code,
                               part_code=part_code, quantity=quantity)
    page = make_page(team["zhao"])
    panel = page.counting_panel
    assert panel.progress_label.text() == "Bins counted 3 of 4 · lines counted 3 of 4"
    scan(qtbot, panel.bin_edit, "A-01-1-01")
    qtbot.mouseClick(panel.empty_button, Qt.MouseButton.LeftButton)  # the book has a part there: refused
    assert "not empty by the book" in panel.message_label.text()
    panel.start_next_bin()
    scan(qtbot, panel.bin_edit, "A-02-1-02")
    qtbot.mouseClick(panel.empty_button, Qt.MouseButton.LeftButton)
    assert panel.message_label.text() == "A-02-1-02: empty, recorded."
    assert cell(page, lambda v: v.bin_code == "A-02-1-02", "counted") == "0"
    assert panel.progress_label.text() == "Bins counted 4 of 4 · lines counted 4 of 4"
    qtbot.mouseClick(page.finish_button, Qt.MouseButton.LeftButton)
    assert shown == []
    assert history_cell(page, counting.number, 1) == "Counted"
    assert not page.counting_panel.isVisibleTo(page)
