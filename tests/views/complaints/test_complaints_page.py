"""The complaint register as the front desk uses it: registering by typing, the list with overdue rows in
red, the filters, the counts, and the export of what the filter shows."""

from __future__ import annotations

from datetime import timedelta

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from desktop.config import Settings
from desktop.domain.base import utcnow
from desktop.domain.complaints import ComplaintClass, Status, class_label, status_label
from desktop.services import complaint_list, complaints
from desktop.services.complaint_list import REGISTER_COLUMNS, TRACKING_COLUMNS
from desktop.views.complaints.complaints_page import ComplaintsPage
from desktop.views.complaints.register_dialog import RegisterDialog
from desktop.views.complaints.register_model import OVERDUE_BACKGROUND, OVERDUE_TEXT
from desktop.views.complaints.widgets import COLUMN_TITLES

KEYS = [column.key for column in REGISTER_COLUMNS]
NUMBER, STATUS, CLASS, TIME_LEFT = (KEYS.index(k) for k in ("number", "status", "classification", "time_left"))
SETTINGS = Settings(branch_code="GZ01", branch_name="广州销售分公司")


@pytest.fixture
def make_page(qtbot):
    def make(db, actor) -> ComplaintsPage:
        page = ComplaintsPage(db, actor, SETTINGS)
        qtbot.addWidget(page)
        page.resize(1200, 600)
        page.show()
        page.activateWindow()
        qtbot.waitUntil(page.isActiveWindow)  # shortcuts reach only the active window
        return page

    return make


def column(page: ComplaintsPage, section: int) -> list[str]:
    model = page.model
    while model.canFetchMore():
        model.fetchMore()
    return [model.index(row, section).data() for row in range(model.rowCount())]


def test_a_complaint_registered_by_typing_gets_its_number_on_the_list(sqlite_db, book, make_page, qtbot, in_dialog):
    page = make_page(sqlite_db, book.operator)
    assert column(page, NUMBER) == []

    def fill(dialog: RegisterDialog) -> None:
        assert isinstance(dialog, RegisterDialog)
        qtbot.waitUntil(dialog.isActiveWindow)  # Ctrl+Enter is the window's shortcut
        assert dialog.focusWidget() is dialog.picker.search_edit
        assert not dialog.save_button.isEnabled() and "customer" in dialog.message_label.text()
        qtbot.keyClicks(dialog.picker.search_edit, "CK61502501")  # the lathe's serial number
        qtbot.keyClick(dialog.picker.search_edit, Qt.Key.Key_Return)  # Enter takes the first match
        assert dialog.picker.customer is not None and dialog.picker.customer.name == "张三丰"
        assert dialog.product_combo.currentData() == book.lathe.id  # the searched unit is preselected
        assert dialog.model_edit.text() == "CK6150" and dialog.model_edit.isReadOnly()
        assert not dialog.save_button.isEnabled() and "words" in dialog.message_label.text()
        qtbot.keyClicks(dialog.description_edit, "Spindle noise, parts out of tolerance")
        dialog.request_edit.insertPlainText("派工程师检修")  # QTest types ASCII only
        dialog.severity_combo.setCurrentIndex(2)
        assert dialog.save_button.isEnabled()
        qtbot.keyClick(dialog.description_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert not dialog.isVisible()

    dialog = in_dialog(lambda: qtbot.keyClick(page.list_view.table, Qt.Key.Key_F2), fill)

    record = dialog.saved
    assert utcnow() - record.received_at < timedelta(minutes=1)  # received now, as nobody changed the time
    assert record.owner == "测试operator" and record.product_model == "CK6150" and record.severity == 3
    assert column(page, NUMBER) == [record.number]
    assert page.list_view.current_id() == record.id
    assert record.number in page.status_label.text()
    assert complaints.get_complaint(sqlite_db, book.operator, record.id).customer_request == "派工程师检修"


def test_a_new_customer_is_made_inside_the_register_dialog(sqlite_db, book, qtbot):
    dialog = RegisterDialog(sqlite_db, book.operator, SETTINGS)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.picker.search_edit, "13700001111")
    qtbot.keyClick(dialog.picker.search_edit, Qt.Key.Key_Return)
    assert dialog.picker.results_model.rowCount() == 0 and "No customer matches" in dialog.message_label.text()
    qtbot.mouseClick(dialog.picker.new_button, Qt.MouseButton.LeftButton)
    assert dialog.picker.new_phone_edit.text() == "13700001111"  # what was searched for is carried over
    qtbot.mouseClick(dialog.picker.create_button, Qt.MouseButton.LeftButton)
    assert "name" in dialog.message_label.text() and dialog.picker.customer is None  # the service refused
    dialog.picker.new_name_edit.insert("赵敏")
    qtbot.mouseClick(dialog.picker.create_button, Qt.MouseButton.LeftButton)
    assert dialog.picker.customer.name == "赵敏" and not dialog.picker.new_box.isVisible()
    assert dialog.product_combo.count() == 1 and dialog.product_combo.currentData() is None  # not on file
    qtbot.keyClicks(dialog.model_edit, "KFR-26GW")
    qtbot.keyClicks(dialog.serial_edit, "kfr2601009999")
    qtbot.keyClicks(dialog.description_edit, "Remote control does not work")
    dialog.received_edit.setDateTime(dialog.received_edit.dateTime().addSecs(-3 * 3600))  # a letter from earlier
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = dialog.saved
    assert saved.customer_name == "赵敏" and saved.serial_number == "KFR2601009999"
    assert timedelta(hours=2, minutes=59) < utcnow() - saved.received_at < timedelta(hours=3, minutes=1)


def test_a_file_the_service_would_refuse_is_not_attached(sqlite_db, book, qtbot, tmp_path):
    dialog = RegisterDialog(sqlite_db, book.operator, SETTINGS)
    qtbot.addWidget(dialog)
    photo, program = tmp_path / "现场.jpg", tmp_path / "tool.exe"
    photo.write_bytes(b"\xff\xd8\xff" + b"x" * 100)
    program.write_bytes(b"MZ")
    dialog.add_attachments([photo, program])
    assert dialog.attachments == [photo] and dialog.attachment_list.count() == 1
    assert "tool.exe" in dialog.message_label.text() and "only photos" in dialog.message_label.text()


def test_overdue_rows_stand_out(demo_db, demo_people, make_page, qtmodeltester):
    page = make_page(demo_db, demo_people["manager"])
    qtmodeltester.check(page.model)
    times = column(page, TIME_LEFT)
    overdue = [text.startswith("-") for text in times]
    assert any(overdue) and not all(overdue)
    for row, late in enumerate(overdue):
        index = page.model.index(row, NUMBER)
        assert (index.data(Qt.ItemDataRole.BackgroundRole) == OVERDUE_BACKGROUND) is late
        assert (index.data(Qt.ItemDataRole.ForegroundRole) == OVERDUE_TEXT) is late
    assert page.model.index(0, NUMBER).data() == page.lazy_model.index(0, NUMBER).data()


def test_filters_change_the_rows(demo_db, demo_people, make_page, qtbot):
    manager = demo_people["manager"]
    page = make_page(demo_db, manager)
    counts = complaint_list.complaint_counts(demo_db, manager)
    everything = complaint_list.complaint_register(demo_db, manager).count()  # the demo has every state
    assert len(column(page, NUMBER)) == counts.open  # open complaints at first
    assert page.counts_text() == f"{counts.open} open, {counts.overdue} overdue"

    page.overdue_check.setChecked(True)
    assert len(times := column(page, TIME_LEFT)) == counts.overdue and all(t.startswith("-") for t in times)
    page.overdue_check.setChecked(False)

    page.status_combo.setCurrentIndex(page.status_combo.findData(Status.REGISTERED))
    assert set(column(page, STATUS)) == {status_label(Status.REGISTERED)}
    page.status_combo.setCurrentIndex(page.status_combo.findData(None))  # all states
    assert len(column(page, NUMBER)) == everything

    page.class_combo.setCurrentIndex(page.class_combo.findData(ComplaintClass.CONSULTATION))
    consultations = column(page, NUMBER)
    assert 0 < len(consultations) < everything and set(column(page, CLASS)) == {class_label(ComplaintClass.CONSULTATION)}
    page.class_combo.setCurrentIndex(0)

    qtbot.keyClicks(page.search_edit, consultations[0])
    qtbot.waitUntil(lambda: column(page, NUMBER) == [consultations[0]])
    page.search_edit.clear()
    page.apply_filter()

    page.owner_combo.setCurrentIndex(page.owner_combo.findText("Mine"))
    assert column(page, NUMBER) == []  # the manager registered none of the demo complaints
    page.owner_combo.setCurrentIndex(page.owner_combo.findText("李娜"))  # operator
    mine = column(page, NUMBER)
    assert 0 < len(mine) < everything
    page.owner_combo.setCurrentIndex(0)

    page.dates_check.setChecked(True)
    page.to_edit.setDate(page.to_edit.date().addYears(-1))
    page.from_edit.setDate(page.to_edit.date().addDays(-30))
    assert column(page, NUMBER) == []  # nothing was received a year ago
    page.dates_check.setChecked(False)
    assert len(column(page, NUMBER)) == everything


def test_the_export_holds_the_rows_of_the_filter(demo_db, demo_people, make_page, qtbot, tmp_path, monkeypatch):
    page = make_page(demo_db, demo_people["asadmin"])
    page.overdue_check.setChecked(True)
    shown = column(page, NUMBER)
    assert len(shown) == complaint_list.complaint_counts(demo_db, demo_people["asadmin"]).overdue
    target = tmp_path / "register.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.last_export is not None, timeout=10_000)
    assert page.last_export.rows == len(shown) and str(target) in page.status_label.text()
    sheet = openpyxl.load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Complaint No." and len(rows[0]) == len(TRACKING_COLUMNS)
    assert [row[0] for row in rows[1:]] == shown  # the order on screen too


def test_the_operator_may_register_but_not_export(sqlite_db, book, make_page):
    page = make_page(sqlite_db, book.operator)
    assert page.new_button.isVisible() and not page.export_button.isVisible()
    engineer_page = make_page(sqlite_db, book.engineer)
    assert not engineer_page.new_button.isVisible()


def test_every_register_column_title_is_marked_for_translation():
    assert {c.title for c in (*REGISTER_COLUMNS, *TRACKING_COLUMNS)} <= set(COLUMN_TITLES)


def test_the_navigation_lists_the_page_after_customers():
    from desktop.domain.roles import Permission
    from desktop.views.navigation import PAGES

    keys = [page.key for page in PAGES]
    spec = PAGES[keys.index("complaints")]
    assert spec.group == "Service desk" and spec.title == "Complaints" and spec.permission == Permission.COMPLAINT_READ
    assert keys.index("complaints") == keys.index("customers") + 1

