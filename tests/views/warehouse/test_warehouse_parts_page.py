"""The part master page: the list with its slow-moving colours, the part dialog with substitutes from both
sides, importing from Excel (all or nothing, with a report naming row and column), recomputing ABC, new
bins, bin labels, and what an engineer may and may not do."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.config import Settings
from desktop.domain.warehouse import SlowMark
from desktop.services import parts
from desktop.services.paging import Sort
from desktop.views.warehouse.bins_dialog import RANGE, BinsDialog
from desktop.views.warehouse.labels_dialog import LabelsDialog
from desktop.views.warehouse.part_dialog import PartDialog
from desktop.views.warehouse.parts_page import SLOW_COLOURS, SLOW_COLUMN, PartsPage

SETTINGS = Settings()


def make_page(db, actor, qtbot) -> PartsPage:
    page = PartsPage(db, actor, SETTINGS)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    return page


def part_count(db, actor, search: str) -> int:
    return parts.part_list(db, actor, search=search).count()


def test_the_list_colours_slow_moving_parts_and_searches(demo_db, demo_keeper, qtbot):
    page = make_page(demo_db, demo_keeper, qtbot)
    model = page.model
    while model.canFetchMore():
        model.fetchMore()
    marks = {model.slow_mark(row) for row in range(model.rowCount())}
    assert {SlowMark.YELLOW, SlowMark.RED} <= marks and model.rowCount() == 2400
    red = next(row for row in range(model.rowCount()) if model.slow_mark(row) == SlowMark.RED)
    index = model.index(red, SLOW_COLUMN)
    assert index.data(Qt.ItemDataRole.BackgroundRole) == SLOW_COLOURS[SlowMark.RED]
    assert model.index(red, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    page.search_edit.setText("四通阀")
    qtbot.waitUntil(lambda: model.rowCount() and all(model.row_values(r)[1] == "四通阀" for r in range(model.rowCount())))


def test_a_bad_sheet_is_reported_by_row_and_column_and_nothing_is_saved(sqlite_db, keeper, qtbot, tmp_path):
    path = tmp_path / "配件.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.title = "配件"
    sheet.append(["编码", "名称", "单位", "单价", "可代用型号"])
    sheet.append(["AC-NEW-001", "启动电容", "个", 18.5, ""])  # good
    sheet.append(["AC-NEW-002", "四通阀", "箱子", 30, ""])  # unit not in the list
    sheet.append(["AC-NEW-003", "遥控器", "个", "abc", "AC-NEW-001"])  # cost not a number
    book.save(path)
    page = make_page(sqlite_db, keeper, qtbot)
    with qtbot.waitSignal(page.start_import(path).sig_finished, timeout=60_000):
        pass
    dialog = page.report_dialog
    assert dialog is not None and dialog.isVisible()
    problems = dialog.problem_rows()
    assert len(problems) == 2
    by_row = {row[2]: row for row in problems}
    assert set(by_row) == {"3", "4"}
    assert by_row["3"][0] == "配件.xlsx" and by_row["3"][1] == "配件"
    assert "C" in by_row["3"][3] and "单位" in by_row["3"][3] and "箱子" in by_row["3"][4]
    assert "D" in by_row["4"][3] and "abc" in by_row["4"][4]
    assert "2" in dialog.summary_label.text()
    assert part_count(sqlite_db, keeper, "AC-NEW") == 0
    assert page.import_button.isEnabled()

    sheet.delete_rows(3, 2)
    book.save(path)
    with qtbot.waitSignal(page.start_import(path).sig_finished, timeout=60_000):
        pass
    assert page.report_dialog.problem_rows() == [] and part_count(sqlite_db, keeper, "AC-NEW") == 1
    assert page.model.rowCount() == 1  # the list shows the new part


def test_part_dialog_creates_a_part_with_substitutes_seen_from_both_sides(sqlite_db, keeper, small_warehouse, qtbot):
    dialog = PartDialog(sqlite_db, keeper, None)
    qtbot.addWidget(dialog)
    dialog.code_edit.setText("ac-cap-45uf")
    dialog.name_edit.setText("启动电容")
    dialog.unit_combo.setCurrentText("只")
    dialog.reorder_spin.setValue(10)
    dialog.cost_spin.setValue(21.5)
    assert not dialog.add_substitute("AC-NOSUCH") and "AC-NOSUCH" in dialog.message_label.text()
    assert not dialog.add_substitute("AC-CAP-45UF")  # itself
    dialog.substitute_edit.setText("ac-cap-35uf")
    qtbot.mouseClick(dialog.add_substitute_button, Qt.MouseButton.LeftButton)
    assert dialog.substitute_codes() == ["AC-CAP-35UF"]
    assert dialog.save()
    saved = dialog.saved
    assert saved.code == "AC-CAP-45UF" and saved.unit == "只" and saved.reorder_point == 10
    assert saved.unit_cost == Decimal("21.50")
    # Seen from the other part, the new one is its substitute; removing it there removes the pair.
    other = PartDialog(sqlite_db, keeper, parts.get_part(sqlite_db, keeper, small_warehouse["capacitor"].id))
    qtbot.addWidget(other)
    assert other.substitute_codes() == ["AC-CAP-45UF"] and other.code_edit.isReadOnly()
    other.substitutes_list.setCurrentRow(0)
    qtbot.mouseClick(other.remove_substitute_button, Qt.MouseButton.LeftButton)
    other.name_edit.setText("压缩机启动电容")
    assert other.save()
    assert parts.get_part(sqlite_db, keeper, saved.id).substitutes == ()
    assert parts.get_part(sqlite_db, keeper, small_warehouse["capacitor"].id).name == "压缩机启动电容"


def test_a_refused_part_keeps_what_was_typed(sqlite_db, keeper, small_warehouse, qtbot):
    dialog = PartDialog(sqlite_db, keeper, None)
    qtbot.addWidget(dialog)
    dialog.code_edit.setText("AC-CAP-35UF")  # exists
    dialog.name_edit.setText("重复")
    assert not dialog.save() and "AC-CAP-35UF" in dialog.message_label.text()
    assert dialog.name_edit.text() == "重复" and dialog.saved is None


def test_an_engineer_reads_parts_but_cannot_change_stock(demo_db, demo_engineer, qtbot):
    page = make_page(demo_db, demo_engineer, qtbot)
    assert page.model.rowCount() > 0
    for button in (page.receive_button, page.issue_button, page.new_button, page.import_button, page.abc_button,
                   page.bins_button):
        assert not button.isEnabled(), button.text()
    assert page.labels_button.isEnabled()
    page.list_view.table.setCurrentIndex(page.model.index(0, 0))
    assert page.open_button.isEnabled()

    def look(dialog):
        assert isinstance(dialog, PartDialog) and not dialog.editable
        assert dialog.name_edit.isReadOnly() and not dialog.add_substitute_button.isEnabled()
        assert dialog.buttons.button(dialog.buttons.StandardButton.Save) is None

    page.open_button.click()  # the part opens window-modal, without blocking
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), PartDialog))
    dialog = QApplication.activeModalWidget()
    look(dialog)
    dialog.reject()


def test_recompute_abc_reports_the_classes(demo_db, demo_keeper, qtbot):
    page = make_page(demo_db, demo_keeper, qtbot)
    with qtbot.waitSignal(page.start_recompute_abc().sig_finished, timeout=30_000):
        pass
    text = page.status_label.text()
    assert "A " in text and "B " in text and "C " in text and page.abc_button.isEnabled()
    classes = {row.values[7] for row in parts.part_list(demo_db, demo_keeper).fetch(
        sort=Sort("code"), after=None, limit=2400)}
    assert {"A", "B", "C"} <= classes


def test_bins_one_checked_as_typed_or_a_range(sqlite_db, keeper, qtbot):
    dialog = BinsDialog(sqlite_db, keeper)
    qtbot.addWidget(dialog)
    dialog.code_edit.setText("A-3-2")
    assert not dialog.create_button.isEnabled() and "A-03-2-05" in dialog.code_hint.text()
    dialog.code_edit.setText("a-03-2-05")
    assert dialog.create_button.isEnabled() and "3" in dialog.code_hint.text()
    assert dialog.create() and dialog.created == 1
    assert not dialog.create() and "A-03-2-05" in dialog.message_label.text()  # exists now
    dialog.tabs.setCurrentIndex(RANGE)
    dialog.zone_edit.setText("b")
    dialog.shelf_to.setValue(2)
    dialog.layer_to.setValue(5)
    dialog.position_to.setValue(8)
    assert "80" in dialog.range_hint.text() and "B-02-5-08" in dialog.range_hint.text()
    assert dialog.create() and dialog.created == 80


def test_bin_labels_for_a_range_print_to_the_chosen_file(demo_db, demo_keeper, qtbot, tmp_path, opened_files):
    dialog = LabelsDialog(demo_db, demo_keeper, SETTINGS)
    qtbot.addWidget(dialog)
    assert [dialog.zone_combo.itemText(i) for i in range(dialog.zone_combo.count())] == ["A", "B", "C"]
    target = tmp_path / "labels.pdf"
    dialog.path_edit.setText(str(target))
    qtbot.keyClicks(dialog.first_edit, "A-01-1-01")
    qtbot.keyClicks(dialog.last_edit, "A-01-2-08")
    assert dialog.range_radio.isChecked()
    with qtbot.waitSignal(dialog.finished, timeout=30_000):
        dialog.start()
    assert dialog.count == 16 and opened_files == [target]
    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    assert "A-01-1-01" in text and "A-01-2-08" in text and "A-01-3-01" not in text


@pytest.mark.parametrize("code", ["A-1", ""])
def test_bin_labels_need_a_range_that_reads(demo_db, demo_keeper, qtbot, code):
    dialog = LabelsDialog(demo_db, demo_keeper, SETTINGS)
    qtbot.addWidget(dialog)
    dialog.range_radio.setChecked(True)
    dialog.first_edit.setText(code)
    assert dialog.start() is None and dialog.message_label.text()


def test_cancelling_an_import_saves_nothing_and_says_so(sqlite_db, keeper, qtbot, tmp_path, monkeypatch):
    import threading

    from desktop.views.warehouse import parts_page

    path = tmp_path / "many.xlsx"
    book = Workbook()
    book.active.append(["编码", "名称", "单位"])
    for n in range(600):
        book.active.append([f"MC-BULK-{n:04d}", "深沟球轴承", "件"])
    book.save(path)
    release = threading.Event()
    real = parts_page.import_parts

    def held(*args, **kwargs):  # the worker waits until the user has pressed Cancel
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(parts_page, "import_parts", held)
    page = make_page(sqlite_db, keeper, qtbot)
    task = page.start_import(path)
    task.cancel()
    release.set()
    qtbot.waitUntil(lambda: page.report_dialog is not None, timeout=60_000)
    assert page.report_dialog.report.cancelled and page.report_dialog.problem_rows() == []
    assert "cancelled" in page.report_dialog.summary_label.text()
    assert part_count(sqlite_db, keeper, "MC-BULK") == 0


def test_the_part_code_completer_offers_codes_and_names(sqlite_db, keeper, small_warehouse, qtbot):
    from desktop.views.warehouse.issue_dialog import IssueDialog

    dialog = IssueDialog(sqlite_db, keeper, "GZ01")
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):  # a line edit takes its completer's choice only while it has the focus
        dialog.show()
        dialog.activateWindow()
    dialog.part_edit.setFocus()
    qtbot.keyClicks(dialog.part_edit, "fan")  # any part of the code, case ignored
    qtbot.waitUntil(lambda: dialog.completer.codes() == ["AC-FAN-20W", "AC-FAN-20W-B"])
    dialog.completer.fill("风扇")  # a name finds them too (QtTest cannot type Chinese)
    assert dialog.completer.codes() == ["AC-FAN-20W", "AC-FAN-20W-B"]
    dialog.completer.complete()
    popup = dialog.completer.popup()
    assert popup.isVisible() and "室内风扇电机" in popup.model().index(0, 0).data()
    popup.setCurrentIndex(popup.model().index(1, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.part_edit.text() == "AC-FAN-20W-B"
