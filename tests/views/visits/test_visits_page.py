"""The return visits page as the front desk uses it: the due list overdue first, recording a visit from the
keyboard, a dissatisfied answer that opens a complaint (number shown), planning periodic visits, and the
way to the customer's file."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QDialog

from desktop.config import Settings
from desktop.db.uow import SYSTEM
from desktop.domain.complaints import Complaint
from desktop.domain.customers import Customer, CustomerKind, Importance
from desktop.domain.roles import Role
from desktop.domain.service_orders import ReturnVisit, VisitChannel
from desktop.models.lazy_table_model import count_pool
from desktop.services import complaints, customers, return_visits, visit_list
from desktop.services.customers import CustomerInput
from desktop.services.visit_list import VISIT_COLUMNS
from desktop.views.main_window import MainWindow
from desktop.views.visits.visit_dialog import VisitDialog
from desktop.views.visits.visits_page import COLUMN_TITLES, VisitsPage
from tests.views.dialogs import in_dialog

SETTINGS = Settings(branch_code="GZ01", branch_name="广州销售分公司")
DUE = {"甲机电公司": -4, "乙酒店": 0, "丙食品厂": 0}  # days from today


@pytest.fixture(autouse=True)
def background_work_finishes(qtbot):
    """Counts and the planning task still running when the test's database goes away would fail later."""
    yield
    qtbot.waitUntil(lambda: count_pool().waitForDone(0) and QThreadPool.globalInstance().waitForDone(0),
                    timeout=10_000)


@pytest.fixture
def operator(sqlite_db, make_user):
    op = make_user(sqlite_db, Role.OPERATOR, "lina").actor()
    today = visit_list.local_today()
    for name in DUE:
        customers.create_customer(sqlite_db, op, data=CustomerInput(
            kind=CustomerKind.COMPANY, name=name, phone="13912345678", contact_person="王经理",
            importance=Importance.IMPORTANT))
    return_visits.plan_periodic_visits(sqlite_db, op, today=today)
    with sqlite_db.uow(SYSTEM) as uow:  # one visit the desk did not make in time
        for visit, name in uow.session.execute(select_visits_with_names()):
            visit.due_on = today + timedelta(days=DUE[name])
        uow.commit()
    return op


def select_visits_with_names():
    from sqlalchemy import select

    return select(ReturnVisit, Customer.name).join(Customer, Customer.id == ReturnVisit.customer_id)


@pytest.fixture
def page(sqlite_db, operator, qtbot) -> VisitsPage:
    widget = VisitsPage(sqlite_db, operator, SETTINGS)
    qtbot.addWidget(widget)
    widget.resize(1200, 600)
    widget.show()
    widget.activateWindow()
    qtbot.waitActive(widget)  # shortcuts reach only the active window
    widget.list_view.table.setFocus()
    return widget


def alt(qtbot, dialog: QDialog, key: Qt.Key) -> None:
    """Alt+key as the user presses it: a mnemonic works in the active window, at the focused widget."""
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.focusWidget() or dialog, key, Qt.KeyboardModifier.AltModifier)
    qtbot.wait(150)  # a mnemonic "animates" the click: the button is clicked 100 ms later


def listed(page: VisitsPage) -> list[str]:
    return [page.model.index(row, 3).data() for row in range(page.model.rowCount())]


def test_the_due_list_shows_overdue_visits_first_and_marked(page):
    assert listed(page) == ["甲机电公司", "乙酒店", "丙食品厂"]
    assert page.model.index(0, 1).data() == "4 d overdue" and page.model.index(1, 1).data() == "today"
    assert page.model.index(0, 4).data() == "139****5678"  # lists mask phone numbers
    assert page.model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None  # overdue stands out
    assert page.model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert page.counts_label.text() == "1 overdue, 2 due today"
    page.window_combo.setCurrentIndex(page.window_combo.findData(visit_list.OVERDUE_ONLY))
    assert listed(page) == ["甲机电公司"]


def test_enter_records_the_visit_and_it_leaves_the_due_list(page, sqlite_db, operator, qtbot):
    assert page.list_view.current_id() != -1  # the first visit is current: Enter works at once

    def answer(dialog: VisitDialog) -> None:
        assert "王经理" in dialog.contact_label.text() and "13912345678" in dialog.contact_label.text()
        assert not dialog.save_button.isEnabled()  # no score yet
        alt(qtbot, dialog, Qt.Key.Key_4)  # "&4 Satisfied"
        assert dialog.score() == 4 and dialog.save_button.isEnabled() and dialog.warning_label.isHidden()
        dialog.channel_combo.setCurrentIndex(dialog.channel_combo.findData(VisitChannel.ON_SITE.value))
        dialog.comments_edit.insertPlainText("服务很及时")  # as an input method types it
        qtbot.keyClick(dialog.channel_combo, Qt.Key.Key_Return)  # Enter saves from the fields

    dialog = in_dialog(lambda: qtbot.keyClick(page.list_view.table, Qt.Key.Key_Return), answer)
    assert dialog.recorded and dialog.complaint_number == ""
    assert listed(page) == ["乙酒店", "丙食品厂"]
    assert page.model.index(page.list_view.table.currentIndex().row(), 3).data() == "乙酒店"  # the next one
    assert "saved" in page.status_label.text() and page.counts_label.text() == "0 overdue, 2 due today"
    with sqlite_db.session_factory() as session:
        from sqlalchemy import select

        visit = session.scalars(select(ReturnVisit).where(ReturnVisit.done_at.is_not(None))).one()
    assert (visit.score, visit.channel, visit.comments, visit.done_by) == (4, "on_site", "服务很及时", "lina")


def test_a_dissatisfied_answer_warns_first_and_then_shows_the_complaint_number(page, sqlite_db, operator, qtbot):
    seen = {}

    def answer(dialog: VisitDialog) -> None:
        alt(qtbot, dialog, Qt.Key.Key_2)  # "&2 Dissatisfied"
        assert dialog.warning_label.isVisible() and "opens a complaint" in dialog.warning_label.text()
        assert dialog.follow_up_check.isChecked() and not dialog.follow_up_check.isEnabled()
        assert not dialog.save_button.isEnabled() and "dissatisfied with" in dialog.hint_label.text()
        dialog.comments_edit.insertPlainText("维修后噪音仍然较大")  # as an input method types it
        assert dialog.save_button.isEnabled()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        # Saved: the dialog stays to say which complaint was opened.
        assert dialog.isVisible() and dialog.recorded
        seen["text"] = dialog.done_label.text()
        assert dialog.open_complaint_button.isVisible() and not dialog.save_button.isVisible()
        with qtbot.waitSignal(page.sig_complaint_activated) as opened:
            qtbot.mouseClick(dialog.open_complaint_button, Qt.MouseButton.LeftButton)
        seen["opened"] = opened.args[0]

    dialog = in_dialog(page.on_record_button_clicked, answer)
    number = dialog.complaint_number
    assert number.startswith("TS-GZ01-") and number in seen["text"] and number in page.status_label.text()
    record = complaints.find_complaint(sqlite_db, operator, number)
    assert seen["opened"] == record.id and "维修后噪音仍然较大" in record.description
    assert record.customer_name == "甲机电公司" and record.owner == "测试operator"
    with sqlite_db.session_factory() as session:
        from sqlalchemy import select

        visit = session.scalars(select(ReturnVisit).where(ReturnVisit.done_at.is_not(None))).one()
        assert session.get(Complaint, visit.follow_up_complaint_id).number == number
    assert listed(page) == ["乙酒店", "丙食品厂"]


def test_follow_up_at_a_good_score_asks_for_what_to_follow_up(page, qtbot):
    def answer(dialog: VisitDialog) -> None:
        alt(qtbot, dialog, Qt.Key.Key_5)
        alt(qtbot, dialog, Qt.Key.Key_F)  # "&Follow-up needed"
        assert dialog.follow_up_check.isChecked() and dialog.warning_label.isVisible()
        assert not dialog.save_button.isEnabled() and "following up" in dialog.hint_label.text()
        alt(qtbot, dialog, Qt.Key.Key_2)
        alt(qtbot, dialog, Qt.Key.Key_4)
        # Leaving a dissatisfied score leaves the follow-up the rule had ticked, as the user had chosen it.
        assert dialog.follow_up_check.isChecked() and dialog.follow_up_check.isEnabled()

    in_dialog(page.on_record_button_clicked, answer)


def test_a_visit_a_colleague_recorded_meanwhile_is_not_saved_twice(page, sqlite_db, make_user, qtbot):
    colleague = make_user(sqlite_db, Role.OPERATOR, "zhoumin").actor()

    def answer(dialog: VisitDialog) -> None:
        return_visits.record_visit(sqlite_db, colleague, visit_id=dialog.detail.id, version=dialog.detail.version,
                                   channel=VisitChannel.PHONE, score=5)
        alt(qtbot, dialog, Qt.Key.Key_3)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and not dialog.recorded and dialog.error_label.isVisible()
        assert "zhoumin" in dialog.error_label.text() or "changed" in dialog.error_label.text()

    dialog = in_dialog(page.on_record_button_clicked, answer)
    assert dialog.conflict and listed(page) == ["乙酒店", "丙食品厂"]


def test_f9_plans_the_periodic_visits_and_says_how_many(page, sqlite_db, operator, qtbot):
    for name in ("丁集团", "戊商场"):
        customers.create_customer(sqlite_db, operator, data=CustomerInput(
            kind=CustomerKind.COMPANY, name=name, phone="13800000000", importance=Importance.LONG_TERM))
    with qtbot.waitSignal(page.sig_counts_changed, timeout=10_000):
        qtbot.keyClick(page.list_view.table, Qt.Key.Key_F9)
    assert "Periodic visits planned: 2" in page.status_label.text()
    assert sorted(listed(page)[1:]) == sorted(["乙酒店", "丙食品厂", "丁集团", "戊商场"])
    with qtbot.waitSignal(page.sig_counts_changed, timeout=10_000):
        qtbot.mouseClick(page.plan_button, Qt.MouseButton.LeftButton)
    assert "No periodic visit was due" in page.status_label.text()


def test_the_navigation_counts_visits_due_and_ctrl_o_opens_the_customers_file(sqlite_db, operator, qtbot):
    window = MainWindow(sqlite_db, operator, SETTINGS, idle_timeout_ms=0)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.waitUntil(lambda: "Return visits\n1 overdue, 2 due today" in window.page_titles(), timeout=10_000)
    page = window.open_page("visits")
    page.list_view.table.setFocus()
    qtbot.keyClick(page.list_view.table, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    customers_page = window.current_page()
    assert type(customers_page).__name__ == "CustomersPage"
    [view] = [v for v in customers_page.findChildren(QDialog) if v.isVisible()]
    assert "甲机电公司" in view.windowTitle()
    view.reject()


def test_every_column_title_is_marked_for_translation():
    assert {c.title for c in VISIT_COLUMNS} <= set(COLUMN_TITLES)
