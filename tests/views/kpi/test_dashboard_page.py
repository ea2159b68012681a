"""The KPI dashboard as a branch manager uses it, on the hand-built branch of tests/services/test_kpi.py where
every figure of October 2026 is known: the figures as the service computes them, "—" for an empty month,
the engineer filter, and the records behind a figure — complaints and orders on their list pages filtered to
exactly those records, return visits and cost lines in a dialog whose rows open their records."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import combinations

import openpyxl
import pytest
from PySide6.QtCharts import QLegend
from PySide6.QtCore import QDate, QPoint, Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QVBoxLayout, QWidget

from sqlalchemy import select, update

from desktop.config import Settings
from desktop.db.uow import SYSTEM
from desktop.domain.complaints import Complaint
from desktop.domain.kpi import Period, month, month_of
from desktop.domain.roles import Role
from desktop.domain.service_orders import ReturnVisit
from desktop.models.lazy_table_model import count_pool
from desktop.services.kpi import kpi_report, kpi_trends
from desktop.views.complaints.complaints_page import ComplaintsPage
from desktop.views.kpi.dashboard_page import KpiDashboardPage
from desktop.views.kpi.drill_dialog import DrillDialog
from desktop.views.kpi.figure_cards import FigureCard
from desktop.views.main_window import MainWindow
from desktop.views.orders.orders_page import OrdersPage
from tests.services.test_kpi import OCTOBER, build_branch

SETTINGS = Settings(branch_code="GZ01", branch_name="广州销售分公司")


@pytest.fixture(autouse=True)
def background_work_finishes(qtbot):
    """Figures, drills and list counts still running when the test's database goes away would fail later."""
    yield
    qtbot.waitUntil(lambda: count_pool().waitForDone(0) and QThreadPool.globalInstance().waitForDone(0),
                    timeout=10_000)


@pytest.fixture
def branch(sqlite_db, make_user):
    return sqlite_db, build_branch(sqlite_db, make_user)


@pytest.fixture
def dashboard(branch, qtbot):
    """The page on its own, October loaded, as the branch's after-sales administrator sees it."""
    db, ids = branch
    page = KpiDashboardPage(db, ids.users.admin.actor(), SETTINGS)
    qtbot.addWidget(page)
    page.resize(1166, 700)
    load(qtbot, page, OCTOBER)
    page.show()
    return page


@pytest.fixture
def window(branch, qtbot):
    """The main window with the dashboard open on October: drills reach the other pages."""
    db, ids = branch
    main = MainWindow(db, ids.users.admin.actor(), SETTINGS, idle_timeout_ms=0)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    with qtbot.waitActive(main):
        main.show()
        main.activateWindow()
    with qtbot.waitSignal(main.open_page("kpi").sig_loaded, timeout=10_000):
        pass  # the page shows this month first
    page = main.current_page()
    load(qtbot, page, OCTOBER)
    return main


def load(qtbot, page: KpiDashboardPage, period, engineer_id=None) -> None:
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        page.load(period, engineer_id)


def shown(page: KpiDashboardPage) -> dict[str, str]:
    return {key: card.value_text for key, card in page.figures.cards.items()}


def listed(page, column: int = 0) -> list[str]:
    model = page.model
    while model.canFetchMore():
        model.fetchMore()
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_the_figures_charts_and_tables_are_the_services(branch, dashboard, qtbot):
    db, ids = branch
    page = dashboard
    report = kpi_report(db, ids.users.admin.actor(), period=OCTOBER)
    assert shown(page) == {f.key: f.display for f in report.figures}
    cards = page.figures.cards
    assert cards["repair_timeliness_rate"].value_text == "60.00%"
    assert cards["repair_timeliness_rate"].detail_text == "3 of 5"
    assert cards["complaint_costs"].value_text == "¥2,000.65"
    # Targets: met or not by a symbol and a word, not the colour alone.
    assert cards["fix_rate"].target_text == "✗ Not met · ≥ 95.00%"
    assert cards["average_response_time"].target_text == "✗ Not met · ≤ 2.00 h"
    assert cards["fix_rate"].property("state") == "missed"
    assert cards["satisfaction_rate"].target_text == ""  # no target line
    assert "KPIs 2026-10" in page.title_label.text() and "whole branch" in page.title_label.text()

    # How computed: a click on a card explains it.
    qtbot.mouseClick(cards["fix_rate"], Qt.MouseButton.LeftButton)
    explained = page.explain
    assert explained.title_label.text() == "Fix rate" and explained.value_label.text() == "75.00%"
    assert explained.formula_label.text() == report.figure("fix_rate").formula
    facts = {explained.facts.itemAt(row, explained.facts.ItemRole.LabelRole).widget().text():
             explained.facts.itemAt(row, explained.facts.ItemRole.FieldRole).widget().text()
             for row in range(explained.facts.rowCount())}
    assert facts == {"Numerator:": "6", "Denominator:": "8", "Target:": "≥ 95.00%"}
    assert explained.verdict_label.text() == "✗ Not met"
    assert explained.counted_button.isVisibleTo(explained)

    top_parts = page.tables.row_texts("top_parts")
    assert top_parts == [("P-001 压缩机 (台)", "1", "¥850.50"), ("P-002 电容 (个)", "6", "¥74.15"),
                         ("P-003 铜管 (米)", "2", "¥17.60"), ("Total", "9", "¥942.25")]
    assert page.tables.row_texts("order_ageing")[-1] == ("Total", "4", "3")

    trends = kpi_trends(db, ids.users.admin.actor(), end_month=OCTOBER)
    bars = [s for s in page.trend_panel.chart().series() if s.type() == s.SeriesType.SeriesTypeBar]
    received = trends.get("complaints_received").values
    assert [bars[0].barSets()[0].at(i) for i in range(12)] == [float(v) for v in received]
    lines = {s.name(): s for s in page.trend_panel.chart().series() if s.type() == s.SeriesType.SeriesTypeLine}
    assert [(p.x(), p.y()) for p in lines["Repair timeliness rate"].points()] == [(10, 100.0), (11, 60.0)]
    [faults] = page.faults_panel.chart().series()
    assert [faults.barSets()[0].at(i) for i in range(5)] == [1, 1, 1, 2, 4]  # the largest on top
    [costs] = page.costs_panel.chart().series()
    assert [round(s.value(), 2) for s in costs.slices()] == [1200.25, 800.10, 0.30]


def test_an_empty_month_shows_dashes_not_noughts_or_errors(branch, dashboard, qtbot):
    page = dashboard
    load(qtbot, page, month(2026, 3))
    values = shown(page)
    for key in ("satisfaction_rate", "average_score", "complaint_rate", "consultation_response_median",
                "repair_timeliness_rate", "fix_rate", "average_response_time", "resolution_rate"):
        assert values[key] == "—", key
    assert values["complaints_received"] == "0" and values["complaint_costs"] == "¥0.00"
    assert page.figures.cards["fix_rate"].target_text == "– No value · ≥ 95.00%"
    assert page.figures.cards["repair_timeliness_rate"].detail_text == "0 of 0"
    assert page.faults_panel.stack.currentWidget() is page.faults_panel.empty_label
    assert page.costs_panel.empty_label.text() == "No approved complaint costs in the period."
    assert page.status_label.text() == "" and page.month_edit.date().toPython().month == 3


def test_the_engineer_filter_shows_that_engineers_figures(branch, dashboard, qtbot):
    db, ids = branch
    page = dashboard
    e1 = ids.users.e1
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        page.engineer_combo.setCurrentIndex(page.engineer_combo.findData(e1.id))
    report = kpi_report(db, ids.users.admin.actor(), period=OCTOBER, engineer_id=e1.id)
    assert shown(page) == {f.key: f.display for f in report.figures}
    assert shown(page)["repair_timeliness_rate"] == "66.67%" and shown(page)["complaints_received"] == "1"
    assert e1.display_name in page.title_label.text()
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        page.engineer_combo.setCurrentIndex(0)
    assert shown(page)["repair_timeliness_rate"] == "60.00%"


def test_a_complaint_figure_opens_exactly_its_complaints_on_the_complaints_page(branch, window, qtbot):
    db, ids = branch
    page = window.current_page()
    qtbot.mouseDClick(page.figures.cards["complaints_received"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(window.current_page(), ComplaintsPage), timeout=10_000)
    complaints = window.current_page()
    received = [ids.complaint_numbers[k] for k in (1, 2, 3, 4, 5, 9, 10)]  # October's, the duplicate K6 not
    assert sorted(listed(complaints)) == sorted(received)
    assert complaints.records_banner.label.text() == "Records behind: Complaints received, 2026-10 (7)"
    assert complaints.records_banner.isVisible()

    # Narrowing within them works; the ✕ gives the whole register back.
    complaints.status_combo.setCurrentIndex(complaints.status_combo.findData("registered"))
    assert sorted(listed(complaints)) == sorted(ids.complaint_numbers[k] for k in (4, 10))
    qtbot.mouseClick(complaints.records_banner.close_button, Qt.MouseButton.LeftButton)
    assert not complaints.records_banner.isVisible()
    complaints.status_combo.setCurrentIndex(0)
    assert len(listed(complaints)) == 11

    # The numerator of a ratio: only the complaints it counted (resolved ones closed in October).
    window.open_page("kpi")
    qtbot.mouseClick(page.figures.cards["resolution_rate"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.explain.counted_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_page() is complaints, timeout=10_000)
    qtbot.waitUntil(lambda: complaints.records_banner.isVisible())
    assert sorted(listed(complaints)) == sorted(ids.complaint_numbers[k] for k in (1, 7))
    assert complaints.records_banner.label.text() == "Records behind: Resolution rate, 2026-10, counted (2)"


def test_an_order_figure_opens_its_orders_each_as_the_newest_revision(branch, window, qtbot):
    db, ids = branch
    page = window.current_page()
    qtbot.keyClick(page.figures.cards["repair_timeliness_rate"], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(window.current_page(), OrdersPage), timeout=10_000)
    orders = window.current_page()
    numbers = {ids.order_numbers[k] for k in (1, 2, 3, 4)} | {f"{ids.order_numbers[8]} rev. 2"}
    assert set(listed(orders)) == numbers
    assert orders.records_banner.label.text() == "Records behind: Repair timeliness rate, 2026-10 (5)"


def test_a_visits_figure_opens_a_dialog_whose_rows_open_their_orders(branch, window, qtbot):
    db, ids = branch
    page = window.current_page()
    qtbot.keyClick(page.figures.cards["satisfaction_rate"], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.records.dialog is not None and page.records.dialog.isVisible(), timeout=10_000)
    dialog: DrillDialog = page.records.dialog
    assert window.current_page() is page  # no list page filters visits
    assert dialog.table.rowCount() == 5 and dialog.drill_table.total == 5
    assert "Customer satisfaction, 2026-10 — 5 record(s)" in dialog.caption_label.text()
    scores = [dialog.table.item(r, 2).text() for r in range(5)]
    assert sorted(scores) == ["2.00", "3.00", "4.00", "4.00", "5.00"]
    orders_column = [c.key for c in dialog.drill_table.columns].index("order")
    texts = [dialog.table.item(r, orders_column).text() for r in range(5)]

    periodic = texts.index("")  # a periodic visit follows no order: nothing to open, and it says so
    dialog.table.setCurrentCell(periodic, 0)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert window.current_page() is page and "no page" in dialog.hint_label.text()

    dialog.table.setCurrentCell(texts.index(ids.order_numbers[1]), 0)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert isinstance(window.current_page(), OrdersPage)
    assert window.current_page().list_view.current_id() == ids.orders[1]


def test_a_cost_row_opens_its_cost_lines_and_their_complaint(branch, window, qtbot):
    db, ids = branch
    page = window.current_page()
    page.tables.show_tab("costs_by_department")
    table = page.tables.table
    table.setCurrentIndex(table.model().index(1, 0))  # 售后部: ¥800.10 of travel (K1) and compensation (K2)
    assert page.explain.title_label.text() == "Complaint costs by allocation department: 售后部"
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.records.dialog is not None and page.records.dialog.isVisible(), timeout=10_000)
    dialog = page.records.dialog
    assert dialog.table.rowCount() == 2 and "¥800.10" in dialog.total_label.text()
    where = dialog.table.visualItemRect(dialog.table.item(0, 0)).center()
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=where)  # a double-click's first press
    qtbot.mouseDClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.waitUntil(lambda: isinstance(window.current_page(), ComplaintsPage), timeout=10_000)
    opened = [w for w in QApplication.topLevelWidgets() if type(w).__name__ == "ComplaintDialog" and w.isVisible()]
    assert len(opened) == 1 and ids.complaint_numbers[1] in opened[0].windowTitle()
    for widget in opened:
        widget.close()


def test_a_range_of_days_and_f5_read_the_figures_again(branch, dashboard, qtbot):
    db, ids = branch
    page = dashboard
    with qtbot.waitActive(page):
        page.activateWindow()
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        page.range_check.setChecked(True)
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        page.from_edit.setDate(QDate(2026, 10, 1))
        page.to_edit.setDate(QDate(2026, 10, 10))
    first_ten = Period(date(2026, 10, 1), date(2026, 10, 11))
    assert page.current_period() == first_ten and not page.month_edit.isEnabled()
    assert "2026-10-01 – 2026-10-10" in page.title_label.text()
    report = kpi_report(db, ids.users.admin.actor(), period=first_ten)
    assert shown(page) == {f.key: f.display for f in report.figures}
    assert shown(page)["complaints_received"] == "2"  # K1 and K2 (the duplicate K6 is not counted)

    with db.uow(SYSTEM) as uow:  # a correction made meanwhile counts after F5: K3 was received on the 9th
        uow.session.execute(update(Complaint).where(Complaint.id == ids.complaints[3])
                            .values(received_at=datetime(2026, 10, 9, 9, 0).astimezone()))
        uow.commit()
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        qtbot.keyClick(page.figures.cards["complaints_received"], Qt.Key.Key_F5)
    assert shown(page)["complaints_received"] == "3"


def test_only_the_newest_request_is_shown(branch, dashboard, qtbot):
    page = dashboard
    emitted = []
    page.sig_loaded.connect(lambda: emitted.append(page.report.period))
    march = month(2026, 3)
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        page.load(march)
        page.load(OCTOBER)  # the user stepped on before March's figures arrived
    qtbot.waitUntil(lambda: QThreadPool.globalInstance().waitForDone(0), timeout=10_000)
    qtbot.wait(50)
    assert emitted == [OCTOBER] and shown(page)["repair_timeliness_rate"] == "60.00%"
    assert page.month_edit.date().toPython() == date(2026, 10, 1)


def test_a_parts_figure_lists_its_movements_and_opens_their_document(branch, window, qtbot):
    page = window.current_page()
    qtbot.keyClick(page.figures.cards["parts_value"], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.records.dialog is not None and page.records.dialog.isVisible(), timeout=10_000)
    dialog = page.records.dialog
    assert dialog.drill_table.total == 12
    assert dialog.total_label.text() == "Total: Quantity consumed: 9 · Value: ¥942.25"  # the figures' own
    assert dialog.table.item(0, 0).text() == "CK-1"  # the oldest first
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    movements = window.current_page()
    assert type(movements).__name__ == "MovementsPage"
    assert movements.movements_tab.document_edit.text() == "CK-1"


def test_the_report_on_screen_goes_to_pdf_and_excel(branch, dashboard, qtbot, tmp_path):
    db, ids = branch
    page = dashboard
    assert page.pdf_button.isEnabled() and page.excel_button.isVisibleTo(page)
    for name in ("kpi.pdf", "kpi.xlsx"):
        target = tmp_path / name
        task = page.export_to(target)
        assert not page.pdf_button.isEnabled()  # one report at a time
        qtbot.waitUntil(lambda t=task: not t.is_running(), timeout=60_000)
        assert page.last_export is not None and page.last_export.path == target, page.status_label.text()
        assert target.stat().st_size > 1000 and str(target) in page.status_label.text()
        assert page.pdf_button.isEnabled()
    assert (tmp_path / "kpi.pdf").read_bytes().startswith(b"%PDF")
    sheets = openpyxl.load_workbook(tmp_path / "kpi.xlsx", read_only=True).sheetnames
    assert len(sheets) > len(page.report.figures)  # a sheet per figure, and per table


def test_the_arrow_keys_step_the_month_also_after_a_click(dashboard, qtbot):
    page = dashboard
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    start = page.month_edit.date().toPython()
    editor = page.month_edit.lineEdit()
    qtbot.mouseClick(editor, Qt.MouseButton.LeftButton, pos=editor.rect().topLeft() + QPoint(3, 5))  # on the year
    qtbot.wait(20)
    qtbot.keyClick(page.month_edit, Qt.Key.Key_Down)
    stepped = page.month_edit.date().toPython()
    assert (stepped.year, stepped.month) == ((start.year, start.month - 1) if start.month > 1 else (start.year - 1, 12))


def test_the_next_report_is_drawn_into_the_same_charts_cards_and_tables(branch, dashboard, qtbot):
    """Each report changes the numbers of the page's charts, cards and tables; none of them is built anew."""
    page = dashboard
    charts = [panel.chart() for panel in (page.trend_panel, page.faults_panel, page.costs_panel)]
    cards = dict(page.figures.cards)
    table = page.tables.table
    load(qtbot, page, month(2026, 3))  # nothing to draw: the sentences instead of the charts
    assert page.faults_panel.stack.currentWidget() is page.faults_panel.empty_label
    load(qtbot, page, OCTOBER)
    assert [panel.chart() for panel in (page.trend_panel, page.faults_panel, page.costs_panel)] == charts
    assert page.figures.cards == cards and page.tables.table is table
    assert page.faults_panel.stack.currentWidget() is page.faults_panel.view
    [faults] = page.faults_panel.chart().series()
    assert [faults.barSets()[0].at(i) for i in range(5)] == [1, 1, 1, 2, 4]
    [costs] = page.costs_panel.chart().series()
    assert [round(s.value(), 2) for s in costs.slices()] == [1200.25, 800.10, 0.30]
    series = page.trend_panel.chart().series()
    lines = {s.name(): s for s in series if s.type() == s.SeriesType.SeriesTypeLine}
    assert [(p.x(), p.y()) for p in lines["Repair timeliness rate"].points()] == [(10, 100.0), (11, 60.0)]
    assert shown(page)["repair_timeliness_rate"] == "60.00%"


def test_each_tab_shows_its_table_with_the_newest_numbers(dashboard, qtbot, qtmodeltester):
    page = dashboard
    tabs = page.tables
    assert tabs.current_key() == "top_parts"
    load(qtbot, page, month(2026, 3))
    load(qtbot, page, OCTOBER)
    tabs.table.setFocus()
    qtbot.keyClick(tabs.table, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(tabs.table, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(tabs.table, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(tabs.table, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert tabs.current_key() == "order_ageing"  # top parts, costs by department and by bearer, ages
    ageing = tabs.breakdowns["order_ageing"]
    assert tabs.table.current_row() == 0  # the side panel explains the chosen table's first row
    assert page.explain.title_label.text() == f"{ageing.title}: {ageing.rows[0].label}"
    model = tabs.table.model()
    total = model.rowCount() - 1
    assert [model.index(total, column).data() for column in range(model.columnCount())] == ["Total", "4", "3"]
    qtmodeltester.check(model)
    backwards = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(tabs.table, Qt.Key.Key_Backtab, backwards)
    assert tabs.current_key() == "complaint_ageing"
    load(qtbot, page, OCTOBER)
    assert tabs.current_key() == "complaint_ageing"  # the next report keeps the tab


def test_the_trend_lines_differ_in_shape_as_well_as_colour(dashboard):
    """For colour-blind eyes: each measure's points (and its legend entry) have a shape of their own."""
    chart = dashboard.trend_panel.chart()
    lines = {s.name(): s for s in chart.series() if s.type() == s.SeriesType.SeriesTypeLine}
    assert len(lines) == 4
    markers = [line.lightMarker() for line in lines.values()]
    assert all(not image.isNull() for image in markers)
    assert all(one != other for one, other in combinations(markers, 2))
    assert len({line.color().name() for line in lines.values()}) == 4
    every_piece = [s for s in chart.series() if s.type() == s.SeriesType.SeriesTypeLine]
    shown = [m for line in every_piece for m in chart.legend().markers(line) if m.isVisible()]
    assert {m.shape() for m in shown} == {QLegend.MarkerShape.MarkerShapeFromSeries} and len(shown) == 4


def test_the_content_waits_for_the_first_figures_and_not_longer(branch, qtbot, monkeypatch):
    """Until the first figures come the cards, charts and tables are not painted (the area stays plain);
    a reading that fails or is cancelled shows them empty, never what was on screen before."""
    from desktop.domain.errors import DomainError
    from desktop.views.kpi import dashboard_page

    db, ids = branch
    page = KpiDashboardPage(db, ids.users.admin.actor(), SETTINGS)
    qtbot.addWidget(page)
    content = page.scroll_area.widget()
    assert not content.updatesEnabled() and not content.autoFillBackground()

    def refuse(*_args, **_kwargs):
        raise DomainError("The database is being upgraded.")

    monkeypatch.setattr(dashboard_page, "kpi_dashboard", refuse)
    with qtbot.waitSignal(page.load(OCTOBER).sig_failed, timeout=10_000):
        pass
    assert page.status_label.text() == "The database is being upgraded."
    assert content.updatesEnabled() and content.autoFillBackground()

    cancelled = threading.Event()

    def interrupted(*_args, **_kwargs):  # a reading the cancel interrupts (sqlite3 interrupt, PostgreSQL cancel)
        cancelled.wait(10)
        raise DomainError("interrupted")

    monkeypatch.setattr(dashboard_page, "kpi_dashboard", interrupted)
    page = KpiDashboardPage(db, ids.users.admin.actor(), SETTINGS)
    qtbot.addWidget(page)
    task = page.load(OCTOBER)
    task.cancel()
    cancelled.set()
    qtbot.waitUntil(lambda: not task.is_running(), timeout=10_000)
    assert page.status_label.text() == "Cancelled."
    assert page.scroll_area.widget().updatesEnabled()


def test_a_long_value_takes_a_smaller_size_in_a_narrow_card(dashboard):
    card = dashboard.figures.cards["complaint_costs"]
    assert card.value_text == "¥2,000.65"
    sizes = [card.value_font(width).pixelSize() for width in (300, 150, 110)]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] == 22 and sizes[-1] < 22
    assert card.heightForWidth(card.width()) == card.height()  # laid out at the height it asks for


def test_a_value_never_overlaps_its_detail_however_narrow_the_card(dashboard):
    """Where the value does not fit beside its detail even in the smallest size, the detail goes under it."""
    stacked = []
    for key, card in dashboard.figures.cards.items():
        for width in range(110, 400, 6):
            rects = card.text_rects(width)
            assert not rects["value"].intersects(rects["detail"]), (key, width)
            assert rects["detail"].right() < width and rects["title"].bottom() < rects["value"].top(), (key, width)
            assert card.heightForWidth(width) >= max(r.bottom() for r in rects.values()), (key, width)
            if rects["detail"].top() >= rects["value"].bottom():
                stacked.append((key, width))
    assert ("average_response_time", 110) in stacked and ("average_response_time", 300) not in stacked


def test_a_card_gets_the_height_it_needs_at_any_width_after_new_numbers(dashboard, qtbot):
    """New numbers as high as the old ones at the card's width but not at another: after a resize to that
    width the card still gets its whole height (its layout had kept the old one there)."""
    figure = dashboard.figures.cards["average_response_time"].figure
    holder = QWidget()
    column = QVBoxLayout(holder)
    card = FigureCard(holder)
    column.addWidget(card)
    column.addStretch(1)
    qtbot.addWidget(holder)
    card.set_figure(replace(figure, numerator=Decimal("6"), denominator=Decimal(1)))
    holder.show()
    for width in (140, 400):
        holder.resize(width, 600)
        QApplication.processEvents()
    beside = card.heightForWidth(130)  # the card's width in a 140 px holder: the detail beside the value
    card.set_figure(replace(figure, numerator=Decimal("105246.51"), denominator=Decimal(3997)))
    assert card.heightForWidth(130) > beside  # now under it, there
    holder.resize(140, 600)
    QApplication.processEvents()
    assert card.height() == card.heightForWidth(card.width())
    rects = card.text_rects()
    assert max(r.bottom() for r in rects.values()) < card.height()


def test_a_closed_month_says_its_figures_are_locked_and_the_manager_recomputes_it(branch, make_user, dashboard,
                                                                                   qtbot, in_dialog):
    db, ids = branch
    assert not dashboard.recompute_button.isVisible() and not dashboard.settings_button.isVisible()  # the admin
    manager = make_user(db, Role.MANAGER).actor()
    page = KpiDashboardPage(db, manager, SETTINGS)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    load(qtbot, page, OCTOBER)  # October closed on 6 November: its figures were stored at their first reading
    page.show()
    assert "Closed month: figures locked" in page.as_of_label.text()
    assert shown(page)["satisfaction_rate"] == "60.00%"
    with db.uow(SYSTEM) as uow:  # an October visit recorded late, scoring 1
        uow.session.add(ReturnVisit(customer_id=uow.session.scalar(select(Complaint.customer_id).limit(1)),
                                    kind="periodic", due_on=date(2026, 10, 30), done_at=datetime(2026, 10, 30, 15).astimezone(),
                                    score=1, done_by="x", channel="phone"))
        uow.commit()
    page.refresh()
    qtbot.waitUntil(lambda: not page.load_task.is_running())
    assert shown(page)["satisfaction_rate"] == "60.00%"  # locked
    assert page.recompute_button.isEnabled()

    def confirm(box):
        assert "Work recorded since then will count" in box.text()
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)

    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        in_dialog(lambda: qtbot.mouseClick(page.recompute_button, Qt.MouseButton.LeftButton), confirm)
    assert shown(page)["satisfaction_rate"] == "50.00%"  # 3 of 6
    assert page.figures.cards["satisfaction_rate"].detail_text == "3 of 6"


class NextMonth(date):
    """Today, a month on: as if midnight of the month's last day had passed (patched into the page)."""

    @classmethod
    def today(cls):
        return date.today() + timedelta(days=32)


def _received_now(db, complaint_id: int) -> None:
    """The complaint moved into this month, as if received a moment ago."""
    with db.uow(SYSTEM) as uow:
        uow.session.execute(update(Complaint).where(Complaint.id == complaint_id)
                            .values(received_at=datetime.now().astimezone()))
        uow.commit()


def _prepared_window(db, actor, qtbot) -> tuple[MainWindow, KpiDashboardPage]:
    """The main window at sign-in, its KPI page prepared while the customer list is on screen."""
    main = MainWindow(db, actor, SETTINGS, idle_timeout_ms=0, prepare_pages_after_ms=0)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    assert not main.findChildren(KpiDashboardPage)  # built once the window is idle, not with it
    qtbot.waitUntil(lambda: bool(main.findChildren(KpiDashboardPage)), timeout=10_000)
    [page] = main.findChildren(KpiDashboardPage)
    assert not page.findChildren(QProgressDialog)  # reading while hidden: no dialog over the other page
    qtbot.waitUntil(lambda: page.report is not None, timeout=10_000)
    return main, page


def test_a_prepared_page_opens_with_its_figures_at_once_and_reads_them_again(branch, qtbot, monkeypatch):
    from desktop.views.kpi import dashboard_page

    db, ids = branch
    main, page = _prepared_window(db, ids.users.admin.actor(), qtbot)
    assert main.current_page() is not page and not page.isVisible()
    assert page.report.period == month_of(date.today())  # this month, as a first look shows
    assert shown(page)["complaints_received"] == "0"
    loads = []
    page.sig_loaded.connect(lambda: loads.append(shown(page)["complaints_received"]))

    _received_now(db, ids.complaints[3])
    main.open_page("kpi")
    assert page.isVisible() and shown(page)["complaints_received"] == "0"  # on screen at once
    qtbot.wait(200)
    assert loads == []  # read a moment ago: not again

    main.open_page("customers")
    monkeypatch.setattr(dashboard_page, "REREAD_AFTER_MS", 0)  # as if opened a while after
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        main.open_page("kpi")
        assert shown(page)["complaints_received"] == "0"
        QApplication.processEvents()  # the reading starts
        assert page.load_task.is_running() or loads
        assert not page.findChildren(QProgressDialog)  # quiet: the figures are on screen meanwhile
    assert loads == ["1"]


def test_a_prepared_page_keeps_its_figures_current_while_hidden(branch, qtbot, monkeypatch):
    from desktop.views.kpi import dashboard_page

    monkeypatch.setattr(dashboard_page, "KEEP_CURRENT_MS", 100)
    db, ids = branch
    main, page = _prepared_window(db, ids.users.admin.actor(), qtbot)
    _received_now(db, ids.complaints[3])
    qtbot.waitUntil(lambda: shown(page)["complaints_received"] == "1", timeout=10_000)
    assert not page.isVisible()
    main.close()  # a closed window reads nothing more
    qtbot.waitUntil(lambda: not page.load_task.is_running(), timeout=10_000)
    last = page.load_task
    qtbot.wait(300)
    assert page.load_task is last


def test_until_a_period_is_chosen_the_page_reads_this_month_as_of_the_day(branch, qtbot, monkeypatch):
    """A page built on the last day of a month and read after midnight shows the new month."""
    from desktop.views.kpi import dashboard_page

    db, ids = branch
    page = KpiDashboardPage(db, ids.users.admin.actor(), SETTINGS)
    qtbot.addWidget(page)
    monkeypatch.setattr(dashboard_page, "date", NextMonth)
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        page.prepare()
    assert page.report.period == month_of(NextMonth.today())
    assert page.month_edit.date().toPython() == month_of(NextMonth.today()).start


def test_a_reading_while_hidden_shows_no_dialog(branch, qtbot):
    db, ids = branch
    page = KpiDashboardPage(db, ids.users.admin.actor(), SETTINGS)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        page.load(OCTOBER)  # e.g. the month stepped just before the user went to another page
        assert not page.findChildren(QProgressDialog)
    page.show()
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        page.load(month(2026, 9))
        assert page.findChildren(QProgressDialog)  # on screen: a slow reading shows its progress


def test_f5_and_the_engineer_keep_following_this_month_a_chosen_month_stays(branch, qtbot, monkeypatch):
    from desktop.views.kpi import dashboard_page

    db, ids = branch
    page = KpiDashboardPage(db, ids.users.admin.actor(), SETTINGS)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        page.show()  # the first look: this month
    assert page.report.period == month_of(date.today())
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        page.refresh()  # F5
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        page.engineer_combo.setCurrentIndex(page.engineer_combo.findData(ids.users.e1.id))
    monkeypatch.setattr(dashboard_page, "date", NextMonth)  # midnight of the month's last day has passed
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        page.refresh()
    assert page.report.period == month_of(NextMonth.today()) and page.report.engineer_id == ids.users.e1.id

    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        page.month_edit.setDate(QDate(2026, 10, 1))  # chosen by the user
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        page.refresh()
    assert page.report.period == OCTOBER
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        qtbot.mouseClick(page.this_month_button, Qt.MouseButton.LeftButton)
    assert page.report.period == month_of(NextMonth.today())
