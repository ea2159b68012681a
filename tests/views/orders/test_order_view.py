"""The order's detail pane: what it shows, which steps it offers to whom, and every step after intake driven
through its forms — dispatch, reschedule, arrival, the engineer's record, parts from the warehouse, completion,
signatures on screen and on paper, revision, printouts — on a real SQLite file."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.config import Settings
from desktop.domain.base import utcnow
from desktop.domain.roles import Role
from desktop.domain.users import AuditEntry
from desktop.domain.service_orders import OrderStatus, Signature
from desktop.services import parts, stock
from desktop.services import service_orders as orders
from desktop.services.parts import PartInput
from desktop.services.stock import ReceiptLine
from desktop.views.orders import order_view
from desktop.views.orders.arrive_dialog import ArriveDialog
from desktop.views.orders.dispatch_dialog import DispatchDialog, to_qt
from desktop.views.orders.order_view import OrderView
from desktop.views.orders.paper_dialog import PaperSignoffDialog
from desktop.views.orders.parts_dialog import PartsDialog
from desktop.views.orders.revise_dialog import ReviseDialog
from desktop.views.orders.sign_dialog import SignDialog
from desktop.views.orders.work_dialog import WorkDialog

SETTINGS = Settings(branch_code="GZ01", branch_name="广州销售分公司")
EDITING = ("dispatch", "reschedule", "arrive", "work", "parts", "complete")


@pytest.fixture
def open_view(sqlite_db, qtbot):
    def make(actor, order_id: int | None = None) -> OrderView:
        view = OrderView(sqlite_db, actor, SETTINGS)
        qtbot.addWidget(view)
        view.resize(683, 700)  # the right half of a 1366×768 window
        view.show()
        if order_id is not None:
            view.show_order(order_id)
        return view

    return make


@pytest.fixture
def keeper(sqlite_db, make_user):
    """The warehouse keeper, with 5 starting capacitors on the shelf."""
    actor = make_user(sqlite_db, Role.WAREHOUSE, "warehouse").actor()
    parts.create_bins(sqlite_db, actor, zone="A", shelves=range(1, 2), layers=range(1, 2), positions=range(1, 2))
    part = parts.create_part(sqlite_db, actor, data=PartInput(code="CAP-35", name="启动电容", unit="个",
                                                              unit_cost=Decimal("12.50")))
    stock.receive(sqlite_db, actor, branch_code="GZ01", supplier_document="S1", received_on=date(2026, 1, 1),
                  lines=[ReceiptLine("CAP-35", "A-01-1-01", Decimal(5))])
    return actor, part


def sign_on(pad, qtbot) -> None:
    """A short scribble with the mouse."""
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(40, 80))
    for step in range(1, 25):
        qtbot.mouseMove(pad, QPoint(40 + step * 12, 80 + (20 if step % 2 else -20)))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(340, 80))


def type_into(edit, text: str) -> None:
    """Text typed by an input method: QTest types Latin keys only (CJK characters abort it)."""
    edit.setFocus()
    edit.insert(text) if hasattr(edit, "insert") else edit.insertPlainText(text)


def answer_next_message_box(seen: list[str], button=QMessageBox.StandardButton.Ok) -> None:
    """Press `button` on the message box that a click is about to open (it runs its own event loop)."""

    def press(tries: int = 300) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            if tries:
                QTimer.singleShot(10, lambda: press(tries - 1))
            return
        seen.append(box.text())
        box.button(button).click()

    QTimer.singleShot(0, press)


def test_an_order_is_taken_from_dispatch_to_a_signed_slip_and_revised(sqlite_db, desk, make_order, keeper, open_view,
                                                                     in_dialog, qtbot):
    order = make_order()
    view = open_view(desk.admin, order.id)  # the after-sales administrator may dispatch and record work
    assert view.status_label.text() == "Registered"
    assert view.buttons["dispatch"].isEnabled()
    assert not view.buttons["arrive"].isEnabled() and "Dispatch the order first" in view.buttons["arrive"].toolTip()

    def dispatch(dialog):
        assert isinstance(dialog, DispatchDialog) and not dialog.rescheduling
        best = dialog.choices[0]
        assert best.user_id == desk.engineer_id and best.score == 5  # skilled and covering 广州
        assert dialog.engineers_table.item(0, 3).text().startswith("skilled in this kind of work")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    with qtbot.waitSignal(view.sig_changed) as changed:
        in_dialog(lambda: qtbot.mouseClick(view.buttons["dispatch"], Qt.MouseButton.LeftButton), dispatch)
    assert changed.args == [order.id]
    assert view.status_label.text() == "Dispatched" and view.values["engineer"].text() == "测试engineer"
    first = view.record.appointment_at

    def reschedule(dialog):
        assert dialog.rescheduling and dialog.history_table.rowCount() == 1
        dialog.appointment_edit.setDateTime(to_qt(first + timedelta(days=1)))
        assert not dialog.ok_button.isEnabled() and "reason" in dialog.hint_label.text()
        type_into(dialog.reason_edit, "客户明天才在家")
        assert dialog.ok_button.isEnabled()
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    in_dialog(lambda: qtbot.mouseClick(view.buttons["reschedule"], Qt.MouseButton.LeftButton), reschedule)
    assert view.record.appointment_at.date() == (first + timedelta(days=1)).date()
    assert view.values["reschedules"].text().startswith("1, before:")

    def arrive(dialog):
        assert isinstance(dialog, ArriveDialog) and dialog.timeliness_label.text() == "On time"
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    in_dialog(lambda: qtbot.mouseClick(view.buttons["arrive"], Qt.MouseButton.LeftButton), arrive)
    assert view.status_label.text() == "On site" and "(on time)" in view.values["arrived"].text()

    keeper_actor, capacitor = keeper
    stock.issue(sqlite_db, keeper_actor, branch_code="GZ01", lines=[(capacitor.id, 1)], purpose="service_order",
                reference=order.number, receiver="测试engineer")

    def record_work(dialog):
        assert isinstance(dialog, WorkDialog)
        assert dialog.confirmed_need_edit.toPlainText() == "空调不制冷"  # the request, to confirm or correct
        type_into(dialog.diagnosis_edit, "启动电容失效")
        type_into(dialog.measures_edit, "更换启动电容，试机正常")
        fee = dialog.labour_edit.lineEdit()  # clicked at its left, where a plain spin box would put the cursor
        qtbot.mouseClick(fee, Qt.MouseButton.LeftButton, pos=QPoint(4, fee.height() // 2))
        qtbot.wait(20)  # the whole value is selected once the click is handled
        qtbot.keyClicks(fee, "80")
        assert dialog.labour_edit.value() == 80  # not ￥800.00
        assert not dialog.ok_button.isEnabled() and "agreed with the customer" in dialog.hint_label.text()
        dialog.fees_agreed_check.setChecked(True)
        dialog.self_check_check.setChecked(True)
        assert dialog.ok_button.isEnabled()
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    in_dialog(lambda: qtbot.mouseClick(view.buttons["work"], Qt.MouseButton.LeftButton), record_work)
    assert view.values["measures"].text() == "更换启动电容，试机正常" and view.values["labour_fee"].text() == "￥80.00"

    def record_parts(dialog):
        assert isinstance(dialog, PartsDialog) and dialog.table.rowCount() == 1
        assert dialog.used_boxes[0].value() == 1 and dialog.price_boxes[0].value() == 0  # in warranty: free
        dialog.price_boxes[0].setValue(45)
        dialog.old_part_boxes[0].setCurrentIndex(dialog.old_part_boxes[0].findData("scrapped"))
        assert dialog.total_label.text() == "￥45.00"
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    in_dialog(lambda: qtbot.mouseClick(view.buttons["parts"], Qt.MouseButton.LeftButton), record_parts)
    assert "CAP-35" in view.values["parts"].text() and view.values["total"].text() == "￥125.00"
    assert view.values["total_words"].text() == "人民币壹佰贰拾伍元整"

    seen: list[str] = []
    answer_next_message_box(seen, QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(view.buttons["complete"], Qt.MouseButton.LeftButton)
    assert "￥125.00" in seen[0] and view.status_label.text() == "Work done"
    assert not view.buttons["work"].isEnabled() and view.buttons["sign_customer"].isEnabled()

    def customer_signs(dialog):
        assert isinstance(dialog, SignDialog) and dialog.name_edit.text() == "张三丰"
        assert not dialog.ok_button.isEnabled()  # nothing drawn yet
        sign_on(dialog.pad, qtbot)
        assert dialog.ok_button.isEnabled()
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    with qtbot.waitSignal(view.sig_changed):
        in_dialog(lambda: qtbot.mouseClick(view.buttons["sign_customer"], Qt.MouseButton.LeftButton), customer_signs)
    assert view.status_label.text() == "Signed" and view.values["signatures"].text().startswith("customer: 张三丰")
    assert view.values["signed_hash"].text().startswith("SHA-256 ")
    assert not view.signature_images["customer"].pixmap().isNull()  # the signature as it will print
    for step in EDITING:
        assert not view.buttons[step].isEnabled(), step
    assert "signed and cannot change" in view.buttons["work"].toolTip()
    assert view.buttons["sign_engineer"].isEnabled() and view.buttons["revise"].isEnabled()
    with sqlite_db.session_factory() as session:
        [signature] = session.scalars(select(Signature)).all()
        assert signature.strokes and signature.image_png.startswith(b"\x89PNG")

    signed_id = view.record.id

    def revise(dialog):
        assert isinstance(dialog, ReviseDialog) and not dialog.ok_button.isEnabled()
        type_into(dialog.reason_edit, "人工费应为100元")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    with qtbot.waitSignal(view.sig_changed) as changed:
        in_dialog(lambda: qtbot.mouseClick(view.buttons["revise"], Qt.MouseButton.LeftButton), revise)
    assert changed.args[0] == view.record.id != signed_id
    assert view.record.revision == 2 and view.number_label.text() == f"{order.number}, revision 2"
    assert view.status_label.text() == "Work done" and view.values["parts"].text().count("CAP-35") == 1
    assert orders.get_order(sqlite_db, desk.admin, signed_id).status is OrderStatus.SIGNED  # kept as signed
    view.show_order(signed_id)
    assert "Revision 2 exists already" in view.buttons["revise"].toolTip()


def test_the_sign_dialog_shows_the_total_in_figures_and_words(sqlite_db, desk, make_order, open_view, in_dialog, qtbot):
    order = make_order(OrderStatus.ON_SITE)
    order = orders.record_work(sqlite_db, desk.engineer, order_id=order.id, version=order.version,
                               confirmed_need="不制冷", diagnosis="缺氟", measures="补焊加氟",
                               labour_fee=Decimal("1680.32"), other_fee=Decimal(0), fees_agreed=True,
                               self_check_done=True)
    order = orders.complete(sqlite_db, desk.engineer, order_id=order.id, version=order.version)
    view = open_view(desk.engineer, order.id)

    def engineer_signs(dialog):
        assert "补焊加氟" in dialog.summary.toPlainText()
        assert dialog.total_label.text() == "Total: ￥1,680.32   人民币壹仟陆佰捌拾元叁角贰分"
        assert dialog.name_edit.text() == "测试engineer"  # the order's engineer
        sign_on(dialog.pad, qtbot)
        qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
        assert dialog.pad.is_empty() and not dialog.ok_button.isEnabled()
        sign_on(dialog.pad, qtbot)
        dialog.name_edit.clear()
        assert not dialog.ok_button.isEnabled() and "signer's name" in dialog.hint_label.text()
        type_into(dialog.name_edit, "张伟")
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)  # Enter signs

    in_dialog(lambda: qtbot.mouseClick(view.buttons["sign_engineer"], Qt.MouseButton.LeftButton), engineer_signs)
    assert view.status_label.text() == "Work done"  # the engineer's signature does not sign for the customer
    assert view.values["signatures"].text().startswith("engineer: 张伟")
    assert not view.buttons["sign_engineer"].isEnabled() and "already" in view.buttons["sign_engineer"].toolTip()


def test_steps_are_offered_by_state_and_permission_with_the_reason(sqlite_db, desk, make_order, open_view, qtbot):
    registered = make_order()
    view = open_view(desk.engineer, registered.id)
    assert not view.buttons["dispatch"].isEnabled()
    assert view.buttons["dispatch"].toolTip() == "Your role may not dispatch orders. (F6)"
    assert view.values["phone"].text() == "139****5678"  # engineers see personal data masked
    on_site = make_order(OrderStatus.ON_SITE)
    operator = open_view(desk.operator, on_site.id)
    assert operator.values["phone"].text() == "13912345678"
    assert not operator.buttons["work"].isEnabled()
    assert operator.buttons["work"].toolTip().startswith("Your role may not record work")
    assert "on site already" in operator.buttons["reschedule"].toolTip()
    assert operator.buttons["print"].isEnabled()
    other_engineer = open_view(desk.engineer2, on_site.id)  # dispatched to 张工, not to 刘工
    assert not other_engineer.buttons["work"].isEnabled()
    assert other_engineer.buttons["work"].toolTip().startswith("The order is dispatched to another engineer.")
    assert (other_engineer.values["phone"].text(), other_engineer.values["address"].text()) == (
        "139****5678", "广东省广州市天河区")
    own = open_view(desk.engineer, on_site.id)  # the engineer going there sees where and whom to call, logged
    assert own.buttons["work"].isEnabled()
    assert (own.values["phone"].text(), own.values["address"].text()) == ("13912345678", "广东省广州市天河区天河路 385 号 12 楼")
    with sqlite_db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "view_pii", AuditEntry.username == "engineer", AuditEntry.entity == "service_orders")) == 1

    view.show_order(registered.id)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.keyClick(view, Qt.Key.Key_F8)  # a key for a step that is not possible says why
    assert view.message_label.text() == "Record the engineer's arrival first."
    assert not view.buttons["arrive"].isEnabled()


def test_a_function_key_opens_the_step(desk, make_order, open_view, in_dialog, qtbot):
    order = make_order(OrderStatus.DISPATCHED)
    view = open_view(desk.engineer, order.id)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    dialog = in_dialog(lambda: qtbot.keyClick(view, Qt.Key.Key_F7),
                       lambda d: qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton))
    assert isinstance(dialog, ArriveDialog) and view.status_label.text() == "On site"


def test_a_function_key_without_an_order_says_to_choose_one(desk, open_view, qtbot):
    view = open_view(desk.engineer)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.keyClick(view, Qt.Key.Key_F7)
    assert view.message_label.isVisible() and "Choose an order in the list first" in view.message_label.text()
    assert view.number_label.text() == "No order chosen"


def test_a_stale_order_is_refused_with_who_changed_it_and_read_again(sqlite_db, desk, make_order, open_view, in_dialog,
                                                                     qtbot):
    order = make_order(OrderStatus.DISPATCHED)
    view = open_view(desk.engineer, order.id)
    later = utcnow() + timedelta(days=2)
    orders.reschedule(sqlite_db, desk.operator, order_id=order.id, version=order.version, appointment_at=later,
                      finish_by=later + timedelta(hours=2), reason="客户改期")  # on another PC, meanwhile
    seen: list[str] = []

    def arrive(dialog):
        answer_next_message_box(seen)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    with qtbot.waitSignal(view.sig_changed):
        dialog = in_dialog(lambda: qtbot.mouseClick(view.buttons["arrive"], Qt.MouseButton.LeftButton), arrive)
    assert dialog.conflict and "Changed by operator" in seen[0]
    assert view.record.version == order.version + 1 and view.status_label.text() == "Dispatched"
    assert view.values["reschedules"].text().startswith("1, before:")


def test_dispatch_ranks_for_the_appointment_day_and_checks_the_times_as_typed(desk, make_order, open_view, in_dialog,
                                                                              qtbot):
    booked = make_order(OrderStatus.DISPATCHED, appointment_in=24 * 3, finish_in=24 * 3 + 2)  # 张工 has one order on that day
    order = make_order()
    view = open_view(desk.operator, order.id)

    def check(dialog):
        assert dialog.choices[0].open_today == 0
        dialog.appointment_edit.setDateTime(to_qt(booked.appointment_at))
        zhang = next(c for c in dialog.choices if c.user_id == desk.engineer_id)
        assert zhang.open_today == 1 and "1 orders booked that day" in zhang.reasons
        assert dialog.finish_by() - dialog.appointment() == timedelta(hours=2)  # the finish follows
        dialog.finish_edit.setDateTime(to_qt(booked.appointment_at - timedelta(hours=1)))
        assert not dialog.ok_button.isEnabled() and "after the appointment" in dialog.hint_label.text()

    in_dialog(lambda: qtbot.mouseClick(view.buttons["dispatch"], Qt.MouseButton.LeftButton), check)
    assert view.status_label.text() == "Registered"


def test_paper_sign_off_prints_the_blank_sheet_and_attaches_the_scan(sqlite_db, desk, make_order, open_view, in_dialog,
                                                                    qtbot, tmp_path, monkeypatch):
    order = make_order(OrderStatus.COMPLETED)
    view = open_view(desk.engineer, order.id)
    assert view.print_signoff_action.isEnabled() and view.attach_scan_action.isEnabled()
    with qtbot.waitSignal(view.signoff_printer.sig_written, timeout=60_000) as written:
        view.print_signoff_action.trigger()
    path, purpose = written.args
    assert purpose == "preview" and "客户签收单" in PdfReader(path).pages[0].extract_text()
    view.signoff_printer.preview.close()

    image = BytesIO()
    Image.new("RGB", (600, 800), "white").save(image, "PNG")
    (tmp_path / "签收单.png").write_bytes(image.getvalue())
    (tmp_path / "notes.exe").write_bytes(b"MZ")

    def attach(dialog):
        assert isinstance(dialog, PaperSignoffDialog) and dialog.name_edit.text() == "张三丰"
        dialog.path_edit.setText(str(tmp_path / "notes.exe"))
        assert not dialog.ok_button.isEnabled() and "only photos, scans" in dialog.hint_label.text()
        dialog.path_edit.setText(str(tmp_path / "签收单.png"))
        assert dialog.ok_button.isEnabled() and not dialog.preview_label.pixmap().isNull()
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    in_dialog(view.attach_scan_action.trigger, attach)
    assert view.status_label.text() == "Signed" and "(on paper)" in view.values["signatures"].text()
    assert not view.print_signoff_action.isEnabled() and not view.attach_scan_action.isEnabled()
    opened = []
    monkeypatch.setattr(order_view, "open_file", lambda path: opened.append(path) or True)
    [button] = [b for b in view.page.findChildren(type(view.buttons["print"])) if "签收单.png" in b.text()]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert opened[0].read_bytes() == image.getvalue()


def test_the_slip_is_previewed_and_saved(sqlite_db, desk, make_order, open_view, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    order = make_order(OrderStatus.COMPLETED)
    view = open_view(desk.operator, order.id)
    with qtbot.waitSignal(view.slip_printer.sig_written, timeout=60_000) as written:
        view.preview_action.trigger()
    assert written.args[1] == "preview" and view.slip_printer.preview.isVisible()
    view.slip_printer.preview.close()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "slip"), ""))
    with qtbot.waitSignal(view.slip_printer.sig_written, timeout=60_000):
        view.save_pdf_action.trigger()
    text = PdfReader(tmp_path / "slip.pdf").pages[0].extract_text()
    assert "售后服务单" in text and order.number in text and "更换电容" in text
