"""Receiving and issuing as the warehouse keeper does it in the dialogs: on-hand follows, the issue shows
where to pick in walking order, a short line offers its substitute, the slip prints with number and bins,
and a refusal keeps everything typed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pypdf import PdfReader
from PySide6.QtCore import Qt

from desktop.config import Settings
from desktop.services import parts, stock
from desktop.services.paging import Sort
from desktop.services.stock import ReceiptLine
from desktop.services.stock_lists import shelf_map
from desktop.views.warehouse.issue_dialog import IssueDialog
from desktop.views.warehouse.parts_page import PartsPage
from desktop.views.warehouse.receive_dialog import ReceiveDialog
from desktop.views.warehouse.slip_print_dialog import SlipPrintDialog
from desktop.views.warehouse.stock_action_dialogs import ReturnDialog, ReverseDialog, TransferDialog
from tests.views.dialogs import in_dialog

SETTINGS = Settings(branch_code="GZ01", branch_name="广州销售分公司")


def on_hand(db, actor, code) -> Decimal:
    row = parts.part_list(db, actor, search=code).fetch(sort=Sort("code"), after=None, limit=5)
    return next(Decimal(r.values[5]) for r in row if r.values[0] == code)


def test_receive_from_the_parts_page_raises_on_hand(demo_db, demo_keeper, qtbot):
    maps = shelf_map(demo_db, demo_keeper, zone="A")
    empty_bin = next(c.code for s in maps for c in s.cells if c.empty)
    page = PartsPage(demo_db, demo_keeper, SETTINGS)
    qtbot.addWidget(page)
    page.search_edit.setText("AC-00004")
    page.apply_search()
    page.list_view.table.setCurrentIndex(page.model.index(0, 0))
    code = page.current_part_code()
    before = on_hand(demo_db, demo_keeper, code)

    def fill(dialog: ReceiveDialog) -> None:
        assert isinstance(dialog, ReceiveDialog)
        assert dialog.table.item(0, 0).text() == code  # the part chosen in the list
        assert dialog.table.item(0, 2).text()  # proposed: the bin where the part lies now
        assert "压缩机" in dialog.table.item(0, 1).text()
        dialog.supplier_edit.setText("GYS-20261123-07")
        dialog.table.item(0, 3).setText("12")
        dialog.table.item(0, 4).setText("1,234.50")  # typed as people type amounts
        qtbot.mouseClick(dialog.receive_button, Qt.MouseButton.LeftButton)

    in_dialog(page.receive_button.click, fill)
    assert on_hand(demo_db, demo_keeper, code) == before + 12
    assert "RK-GZ01-" in page.status_label.text()
    row = page.model.row_of_id(page.list_view.current_id())
    assert Decimal(page.model.row_values(max(row, 0))[5]) == before + 12  # the list was read again
    assert empty_bin  # zone A has room, used below


def test_a_refused_receipt_keeps_the_lines_and_changes_nothing(demo_db, demo_keeper, qtbot):
    maps = shelf_map(demo_db, demo_keeper, zone="A")
    taken = next(c for s in maps for c in s.cells if not c.empty)
    other = next(c.part_code for s in maps for c in s.cells if not c.empty and c.part_code != taken.part_code)
    before = on_hand(demo_db, demo_keeper, other)
    dialog = ReceiveDialog(demo_db, demo_keeper, "GZ01")
    qtbot.addWidget(dialog)
    dialog.supplier_edit.setText("GYS-X")
    dialog.table.removeRow(0)
    dialog.add_line(other, taken.code, "5")
    dialog.add_line("ac-nosuch", "A-3-2", "1")
    assert dialog.table.item(1, 1).text() and dialog.table.item(1, 0).toolTip()  # unknown code flagged at once
    assert dialog.table.item(1, 2).toolTip()  # not a bin code
    dialog.table.removeRow(1)
    qtbot.mouseClick(dialog.receive_button, Qt.MouseButton.LeftButton)
    assert dialog.result() != ReceiveDialog.DialogCode.Accepted and dialog.document is None
    assert taken.code in dialog.message_label.text() and taken.part_code in dialog.message_label.text()
    assert dialog.receipt_lines()[0].part_code == other and dialog.table.item(0, 2).text() == taken.code
    assert on_hand(demo_db, demo_keeper, other) == before
    dialog.table.item(0, 4).setText("abc")
    qtbot.mouseClick(dialog.receive_button, Qt.MouseButton.LeftButton)
    assert "abc" in dialog.message_label.text()


def test_issue_shows_walking_order_offers_the_substitute_and_prints_the_slip(
        sqlite_db, keeper, small_warehouse, qtbot, tmp_path, opened_files):
    dialog = IssueDialog(sqlite_db, keeper, "GZ01")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.part_edit.setText("ac-cap-35uf")
    dialog.quantity_edit.setText("8")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    # First in, first out takes the January lot and three of February's; the picker walks
    # A-01 before A-03.
    assert dialog.picks_shown(0) == [("A-01-2-02", "3 个"), ("A-03-1-01", "5 个")]
    assert not dialog.substitute_button.isVisible()

    assert dialog.add_line("AC-FAN-20W", "5")
    assert dialog.current_line() == 1
    line = dialog.tree.topLevelItem(1)
    assert "3" in line.text(3) and dialog.picks_shown(1) == [("A-01-1-01", "2 个")]
    assert dialog.substitute_button.isVisible()
    assert [dialog.substitute_combo.itemData(i) for i in range(dialog.substitute_combo.count())] == [
        small_warehouse["spare_motor"].id]
    assert "AC-FAN-20W-B" in dialog.substitute_combo.currentText()
    qtbot.mouseClick(dialog.substitute_button, Qt.MouseButton.LeftButton)
    assert dialog.lines[1].part.code == "AC-FAN-20W-B" and dialog.picks_shown(1) == [("A-02-2-02", "5 个")]

    # Without a receiver the service refuses; nothing typed is lost.
    dialog.reference_edit.setText("FW-GZ01-202611-0042")
    qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    assert dialog.document is None and dialog.message_label.text() and len(dialog.lines) == 2
    dialog.receiver_edit.setText("张伟")
    qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    slip = dialog.document
    assert slip is not None and slip.number.startswith("CK-GZ01-")
    assert [line.bin_code for line in slip.lines] == ["A-01-2-02", "A-02-2-02", "A-03-1-01"]
    assert parts.get_part(sqlite_db, keeper, small_warehouse["capacitor"].id).on_hand == 7

    printer = SlipPrintDialog(sqlite_db, keeper, SETTINGS, slip.number, just_issued=True)
    qtbot.addWidget(printer)
    target = tmp_path / "slip.pdf"
    printer.path_edit.setText(str(target))
    printer.a4_radio.setChecked(True)
    with qtbot.waitSignal(printer.finished, timeout=60_000):
        qtbot.mouseClick(printer.print_button, Qt.MouseButton.LeftButton)
    assert printer.printed == target and opened_files == [target]
    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    assert slip.number in text
    for code in ("A-01-2-02", "A-02-2-02", "A-03-1-01"):
        assert code in text


def test_an_issue_refused_for_want_of_stock_keeps_the_slip(sqlite_db, keeper, small_warehouse, qtbot):
    dialog = IssueDialog(sqlite_db, keeper, "GZ01")
    qtbot.addWidget(dialog)
    assert dialog.add_line("AC-FAN-20W", "5")  # 2 on the shelves
    dialog.receiver_edit.setText("张伟")
    assert not dialog.submit()
    assert "AC-FAN-20W" in dialog.message_label.text() and len(dialog.lines) == 1
    assert parts.get_part(sqlite_db, keeper, small_warehouse["motor"].id).on_hand == 2
    assert not dialog.add_line("AC-NOSUCH", "1") and "AC-NOSUCH" in dialog.message_label.text()
    assert not dialog.add_line("AC-CAP-35UF", "-1") and len(dialog.lines) == 1


def test_transfer_return_and_reverse(sqlite_db, keeper, small_warehouse, qtbot):
    capacitor = small_warehouse["capacitor"]
    transfer = TransferDialog(sqlite_db, keeper, "GZ01", part_code=capacitor.code)
    qtbot.addWidget(transfer)
    assert transfer.lots_table.rowCount() == 3 and transfer.lots_table.item(0, 0).text() == "A-03-1-01"
    transfer.quantity_edit.setText("2")
    transfer.to_bin_edit.setText("A-9")
    assert transfer.to_bin_hint.styleSheet() != ""  # flagged while typed
    transfer.to_bin_edit.setText("A-03-2-02")
    assert transfer.submit() and transfer.document.number.startswith("YK-")

    slip = stock.issue(sqlite_db, keeper, branch_code="GZ01", lines=[(capacitor.id, 4)], purpose="internal",
                       reference="", receiver="刘强")
    back = ReturnDialog(sqlite_db, keeper, "GZ01", number=slip.number)
    qtbot.addWidget(back)
    assert back.part_combo.count() == 1 and "4" in back.part_combo.currentText()
    back.quantity_edit.setText("5")
    assert not back.submit() and slip.number in back.message_label.text()  # more than was issued
    back.quantity_edit.setText("1")
    assert back.submit() and back.document.number.startswith("TK-")

    undo = ReverseDialog(sqlite_db, keeper, "GZ01", number=slip.number)
    qtbot.addWidget(undo)
    assert slip.number in undo.summary_label.text()
    undo.reason_edit.setPlainText("录错了")
    undo.confirm = lambda record: False
    assert not undo.submit()
    undo.confirm = lambda record: record.number == slip.number
    assert undo.submit() and undo.document.number.startswith("CX-")
    assert parts.get_part(sqlite_db, keeper, capacitor.id).on_hand == 15 - 4 + 1 + 4


def test_slip_print_refuses_what_is_not_an_issue(sqlite_db, keeper, small_warehouse, qtbot, tmp_path, monkeypatch,
                                                 opened_files):
    shown = []
    monkeypatch.setattr("desktop.views.warehouse.widgets.show_error", lambda parent, exc: shown.append(exc))
    receipt = stock.receive(sqlite_db, keeper, branch_code="GZ01", supplier_document="X", received_on=date(2026, 3, 3),
                            lines=[ReceiptLine("AC-CAP-35UF", "A-02-1-01", Decimal(1))])
    printer = SlipPrintDialog(sqlite_db, keeper, SETTINGS, receipt.number)
    qtbot.addWidget(printer)
    printer.path_edit.setText(str(tmp_path / "x.pdf"))
    with qtbot.waitSignal(printer.start().sig_failed, timeout=60_000):
        pass
    assert shown and receipt.number in shown[0].message and printer.print_button.isEnabled()
    assert opened_files == [] and printer.status_label.text()
