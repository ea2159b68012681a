"""One complaint's window: the steps each role is offered, a step taken through its form, a step the rules
refuse, a complaint changed meanwhile on another PC, costs approved by the manager, attachments."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from desktop.config import Settings
from desktop.domain.complaints import Action, Bearer, CostKind, CostState, ResponseType, Status, action_label
from desktop.services import complaint_costs, complaints
from desktop.views.complaints import complaint_view, printing
from desktop.views.complaints.complaint_view import ComplaintDialog
from desktop.views.complaints.step_dialogs import StepDialog

SETTINGS = Settings(branch_code="GZ01", branch_name="广州销售分公司")


@pytest.fixture
def open_view(qtbot):
    def make(db, actor, complaint_id) -> ComplaintDialog:
        view = ComplaintDialog(db, actor, SETTINGS, complaint_id)
        qtbot.addWidget(view)
        view.show()
        return view

    return make


def history(view: ComplaintDialog) -> list[list[str]]:
    table = view.history_table
    return [[table.item(row, column).text() for column in range(table.columnCount())]
            for row in range(table.rowCount())]


def test_the_buttons_are_the_steps_this_role_may_take_now(demo_db, demo_people, demo_complaint, open_view):
    assessed = demo_complaint(Status.ASSESSED)
    operator_view = open_view(demo_db, demo_people["operator"], assessed.id)
    # The operator handles complaints, but accepting one is the branch manager's decision.
    assert set(operator_view.action_buttons) == {Action.WITHDRAW, Action.HAND_OVER, Action.NOTE}
    manager_view = open_view(demo_db, demo_people["manager"], assessed.id)
    assert set(manager_view.action_buttons) == {Action.ACCEPT, Action.REFUSE, Action.WITHDRAW, Action.MARK_DUPLICATE,
                                                Action.HAND_OVER, Action.NOTE}
    assert manager_view.action_buttons[Action.ACCEPT].text() == action_label(Action.ACCEPT)
    closed = demo_complaint(Status.CLOSED_RESOLVED)
    assert set(open_view(demo_db, demo_people["operator"], closed.id).action_buttons) == {Action.NOTE}
    assert set(open_view(demo_db, demo_people["manager"], closed.id).action_buttons) == {Action.REOPEN, Action.NOTE}
    engineer_view = open_view(demo_db, demo_people["engineer"], demo_complaint(Status.INVESTIGATING).id)
    assert set(engineer_view.action_buttons) == {Action.RECORD_INVESTIGATION}
    assert engineer_view.add_files_button.isHidden() and not manager_view.add_files_button.isHidden()


def test_acknowledging_through_the_form_moves_the_status_and_adds_to_the_history(
        sqlite_db, book, new_complaint, open_view, qtbot, in_dialog):
    record = new_complaint()
    view = open_view(sqlite_db, book.operator, record.id)
    assert view.status_label.text() == "Registered" and "Time left" in view.time_left_label.text()
    assert len(history(view)) == 1
    changed = []
    view.sig_changed.connect(changed.append)

    def reply(dialog: StepDialog) -> None:
        assert dialog.action == Action.ACKNOWLEDGE
        qtbot.keyClicks(dialog.fields["reply"], "Called back, engineer comes tomorrow")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    in_dialog(lambda: qtbot.mouseClick(view.action_buttons[Action.ACKNOWLEDGE], Qt.MouseButton.LeftButton), reply)

    assert view.record.status == Status.ACKNOWLEDGED and view.status_label.text() == "Acknowledged"
    last = history(view)[-1]
    assert last[1:] == ["operator", action_label(Action.ACKNOWLEDGE), "Registered → Acknowledged",
                        "Called back, engineer comes tomorrow"]
    assert Action.ACKNOWLEDGE not in view.action_buttons and Action.ASSESS in view.action_buttons
    assert changed == [record.id]
    assert complaints.get_complaint(sqlite_db, book.operator, record.id).first_reply_at is not None


def test_a_refused_step_shows_why_and_keeps_what_was_typed(sqlite_db, book, new_complaint, open_view, qtbot,
                                                           in_dialog):
    c = new_complaint()
    c = complaints.acknowledge(sqlite_db, book.operator, complaint_id=c.id, version=c.version, reply="已回复")
    c = complaints.assess(sqlite_db, book.operator, complaint_id=c.id, version=c.version, assessment="需调查",
                          classification=c.classification, severity=2, safety_hazard=False)
    c = complaints.accept(sqlite_db, book.manager, complaint_id=c.id, version=c.version)
    view = open_view(sqlite_db, book.manager, c.id)

    def decide(dialog: StepDialog) -> None:
        dialog.fields["response_type"].setCurrentIndex(dialog.fields["response_type"].findData(ResponseType.REPAIR))
        qtbot.keyClicks(dialog.fields["decision"], "Repair on site")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and dialog.result is None
        assert dialog.error_label.isVisible()
        assert dialog.error_label.text() == "Record the investigation's cause before deciding."
        assert dialog.text("decision") == "Repair on site"

    in_dialog(lambda: view.run_action(Action.DECIDE), decide)
    assert view.record.status == Status.INVESTIGATING
    assert complaints.get_complaint(sqlite_db, book.manager, c.id).decision == ""


def test_a_complaint_changed_on_another_pc_says_who_and_reads_it_again(sqlite_db, book, new_complaint, open_view,
                                                                        qtbot, in_dialog, monkeypatch):
    c = new_complaint()
    view = open_view(sqlite_db, book.operator, c.id)
    complaints.acknowledge(sqlite_db, book.admin, complaint_id=c.id, version=c.version, reply="管理员已回复")
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *args: warnings.append(text))

    def reply(dialog: StepDialog) -> None:
        qtbot.keyClicks(dialog.fields["reply"], "Me too")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    in_dialog(lambda: view.run_action(Action.ACKNOWLEDGE), reply)
    [message] = warnings
    assert "after_sales_admin" in message
    assert view.record.status == Status.ACKNOWLEDGED and view.record.version > c.version
    assert [row[4] for row in history(view)] == ["", "管理员已回复"]


def test_the_manager_approves_a_cost_the_engineer_could_not(sqlite_db, book, new_complaint, open_view, qtbot):
    c = new_complaint()
    engineer_view = open_view(sqlite_db, book.engineer, c.id)
    panel = engineer_view.costs_panel
    engineer_view.tabs.setCurrentWidget(panel)
    assert not panel.approve_button.isVisible() and panel.add_box.isVisible()
    panel.kind_combo.setCurrentIndex(panel.kind_combo.findData(CostKind.PARTS))
    panel.bearer_combo.setCurrentIndex(panel.bearer_combo.findData(Bearer.MANUFACTURING))
    qtbot.keyClicks(panel.amount_edit, "1,800")
    qtbot.keyClick(panel.amount_edit, Qt.Key.Key_Return)
    [line] = panel.summary.lines
    assert line.state == CostState.PENDING and "approval" in panel.message_label.text()
    assert panel.table.item(0, 5).text() == "Waiting for approval"

    manager_view = open_view(sqlite_db, book.manager, c.id)
    panel = manager_view.costs_panel
    manager_view.tabs.setCurrentWidget(panel)
    assert panel.approve_button.isVisible() and not panel.approve_button.isEnabled()
    panel.table.selectRow(0)
    assert panel.approve_button.isEnabled()
    qtbot.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    assert panel.summary.approved_total == Decimal(1800) and panel.table.item(0, 5).text() == "Approved"
    assert "人民币壹仟捌佰元整" in panel.totals_label.text() and "￥1,800.00" in panel.totals_label.text()
    assert not panel.approve_button.isEnabled()
    assert complaint_costs.complaint_costs(sqlite_db, book.engineer, c.id).lines[0].approved_by == "测试manager"


def test_hand_over_offers_the_handlers_and_changes_the_owner(sqlite_db, book, new_complaint, open_view, qtbot,
                                                              in_dialog):
    c = new_complaint()
    view = open_view(sqlite_db, book.operator, c.id)

    def hand_over(dialog: StepDialog) -> None:
        combo = dialog.fields["owner"]
        names = [combo.itemText(i) for i in range(combo.count())]
        assert names == ["测试after_sales_admin", "测试manager"]  # handlers other than the owner
        combo.setCurrentIndex(1)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    in_dialog(lambda: view.run_action(Action.HAND_OVER), hand_over)
    assert view.record.owner == "测试manager" and view.owner_label.text() == "Owner: 测试manager"


def test_an_attachment_opens_from_a_temporary_copy(sqlite_db, book, new_complaint, open_view, qtbot, tmp_path,
                                                   monkeypatch):
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"photo" * 50)
    c = new_complaint(attachments=(photo,))
    opened = []
    monkeypatch.setattr(complaint_view, "open_file", lambda path: opened.append(path) or True)
    view = open_view(sqlite_db, book.engineer, c.id)
    assert view.attachments_table.item(0, 0).text() == "现场照片.jpg"
    qtbot.mouseClick(view.open_attachment_button, Qt.MouseButton.LeftButton)
    [path] = opened
    assert path.read_bytes() == photo.read_bytes() and path.parent == printing.temp_folder()


def test_the_engineer_sees_an_individuals_name_masked(sqlite_db, book, new_complaint, open_view):
    c = new_complaint()
    details = open_view(sqlite_db, book.engineer, c.id).details_area.widget()
    texts = [label.text() for label in details.findChildren(QLabel)]
    assert "张**" in texts and "张三丰" not in texts
