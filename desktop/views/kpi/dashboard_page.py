"""The KPI dashboard (考核指标, domain.md §9) for a month or any range of days, for the branch or one engineer.

Top: the period (a month, "This month", "Last month", or a range of days), the engineer, Refresh (F5), and
the monthly report of what is on screen as a PDF or an Excel workbook (desktop.services.kpi_printing, also
off the GUI thread). Below, in a scroll area: the figures as cards grouped by theme, the twelve-month trends, fault
types and costs as charts, and the breakdown tables; on the right, how the chosen figure was computed.

Figures and trends are computed by desktop.services.kpi off the GUI thread (desktop/views/tasks.py); a newer
request makes an older one's result be dropped, and `sig_loaded` follows once the figures, charts and
tables of the newest request are on the page (the benchmark waits for it).

Until someone chooses a period (the month or day controls, Last month, or load()) the page stands for this
month as of the day it reads: "this month" moves on at the month's end, also in a session left open; F5,
another engineer and This month keep it so. Prepared (the main window calls `prepare()` once it
is idle after sign-in): the page reads those figures while it is not on screen, lays them out and draws
them once off screen, and reads them again every KEEP_CURRENT_MS while it is hidden and the window open.
Its first opening then paints figures at once, where building the page, its cards and its charts' axes and
reading the figures took about three times as long; figures read while hidden more than REREAD_AFTER_MS
before are read again as it opens. A reading made while figures are on the page (or while hidden) is quiet:
no progress dialog, and a failure is said on the page instead of in an error box.

A closed month shows its locked figures (desktop/domain/kpi_months.py) and says so beside "as of"; for the
branch manager (KPI_MANAGE), Recompute… computes them again after a confirmation, and KPI settings… opens
the targets and definitions (kpi_settings_dialog.py).

The records behind a figure or a table row (double-click, Enter, or the side panel's buttons) open as
records_opener.py says: complaints and orders on their list pages, the rest in a dialog.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.config import Settings
from desktop.db.uow import Actor, Database
from desktop.domain.errors import DomainError
from desktop.domain.kpi import Breakdown, BreakdownRow, Figure, KpiReport, KpiTrends, Period, month_of
from desktop.domain.roles import Permission
from desktop.services import kpi_printing, order_list
from desktop.services.access import allowed
from desktop.services.exports import ExportResult
from desktop.services.kpi import kpi_dashboard, recompute_month
from desktop.views.common import ERROR_STYLE, HINT_STYLE, show_error
from desktop.views.kpi.breakdown_tables import BreakdownTabs
from desktop.views.kpi.charts import BarChart, ChartPanel, PieChart, TrendChart
from desktop.views.kpi.explain_panel import ExplainPanel, explain_figure, explain_row
from desktop.views.kpi.figure_cards import FigureGrid
from desktop.views.kpi.kpi_settings_dialog import KpiSettingsDialog
from desktop.views.kpi.records_opener import RecordsOpener
from desktop.views.kpi.looks import styled
from desktop.views.tasks import BackgroundTask, show_progress

CHANGE_DELAY_MS = 300  # stepping through months reads the figures once the user stops
KEEP_CURRENT_MS = 5 * 60_000  # a prepared page not on screen reads its figures again this often
REREAD_AFTER_MS = 60_000  # figures read while hidden longer ago than this are read again when shown
TREND_MONTHS = 12
FAULT_TYPES = ("order_categories", "complaint_classes", "complaint_models")
COSTS = ("costs_by_department", "costs_by_bearer")

TITLE_COLOUR = "#202124"

log = logging.getLogger(__name__)


class MonthEdit(QDateEdit):
    """yyyy-MM whose arrow keys step the month, also after Tab or a click (Qt puts the cursor on the year)."""

    def __init__(self, date: QDate, parent: QWidget | None = None):
        super().__init__(date, parent)
        self.setDisplayFormat("yyyy-MM")
        self.setCurrentSection(QDateEdit.Section.MonthSection)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        # With the edit as the timer's context: a page closed meanwhile cancels it instead of raising.
        QTimer.singleShot(0, self, lambda: self.setSelectedSection(QDateEdit.Section.MonthSection))


class KpiDashboardPage(QWidget):
    sig_loaded = Signal()  # the figures, charts and tables of the newest request are on the page

    def __init__(self, db: Database, actor: Actor, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._settings = settings
        self._requests = 0  # numbers the loads; only the newest one's result is shown
        self._requested = False
        self._chosen = False  # a period was chosen (controls, Last month, load): until then, this month
        self._quiet = False  # the newest reading shows no progress dialog and no error box
        self._read_hidden = False  # the newest reading was made while the page was not on screen
        self._read_at: float | None = None  # time.monotonic() of the figures on the page; None: not current
        self._drawn_off_screen = False
        self._content: tuple | None = None  # what the cards, charts and tables show, to skip drawing it again
        self.load_task: BackgroundTask | None = None
        self.records = RecordsOpener(db, actor, self)
        self.records.sig_failed.connect(self.on_read_task_failed)
        self.report: KpiReport | None = None
        self._explained: tuple[str, str, str | None] | None = None  # what the side panel explains
        self.trends: KpiTrends | None = None

        today = QDate.currentDate()
        self.month_edit = MonthEdit(QDate(today.year(), today.month(), 1), self)
        self.month_edit.setToolTip(self.tr("The month: type it, or step with the arrow keys"))
        self.this_month_button = QPushButton(self.tr("T&his month"), self)
        self.last_month_button = QPushButton(self.tr("&Last month"), self)
        self.range_check = QCheckBox(self.tr("&Days"), self)
        self.range_check.setToolTip(self.tr("A range of days instead of a month"))
        self.from_edit = QDateEdit(today.addDays(-6), self, calendarPopup=True)
        self.to_edit = QDateEdit(today, self, calendarPopup=True)
        for edit in (self.from_edit, self.to_edit):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.engineer_combo = QComboBox(self)
        self.refresh_button = QPushButton(self.tr("&Refresh"), self)
        self.refresh_button.setToolTip(self.tr("F5"))
        self.pdf_button = QPushButton(self.tr("Export &PDF…"), self)
        self.pdf_button.setToolTip(self.tr("The monthly report of the figures on screen, with charts and tables"))
        self.excel_button = QPushButton(self.tr("Export E&xcel…"), self)
        self.excel_button.setToolTip(self.tr("One sheet per figure with the records behind it"))
        self.excel_button.setVisible(allowed(actor, Permission.DATA_EXPORT))
        for button in (self.pdf_button, self.excel_button):
            button.setEnabled(False)  # until figures are on screen
        self.export_task: BackgroundTask | None = None
        self.last_export: ExportResult | None = None

        self.title_label = styled(QLabel(self), pixels=16, bold=True, colour=TITLE_COLOUR)
        self.as_of_label = QLabel(self)
        self.as_of_label.setStyleSheet(HINT_STYLE)
        managing = allowed(actor, Permission.KPI_MANAGE)
        self.recompute_button = QPushButton(self.tr("Re&compute…"), self)
        self.recompute_button.setToolTip(self.tr("Compute this closed month's figures again from today's records "
                                                 "and settings"))
        self.recompute_button.setVisible(managing)
        self.recompute_button.setEnabled(False)  # until a closed month is on screen
        self.recompute_task: BackgroundTask | None = None
        self.settings_button = QPushButton(self.tr("KPI &settings…"), self)
        self.settings_button.setToolTip(self.tr("Targets, what counts as satisfied, when a month closes"))
        self.settings_button.setVisible(managing)
        self.status_label = QLabel(self, wordWrap=True)
        self.figures = FigureGrid(self)
        self.trend_chart = TrendChart()
        self.faults_chart = BarChart(self.on_row_activated)
        self.costs_chart = PieChart(self.on_row_activated)
        self.trend_panel = ChartPanel(self.tr("Trends over the last 12 months"), self.trend_chart.chart, self)
        self.faults_panel = ChartPanel(self.tr("Fault types"), self.faults_chart.chart, self)
        self.costs_panel = ChartPanel(self.tr("Complaint costs"), self.costs_chart.chart, self)
        self.tables = BreakdownTabs(self)
        self.tables.setMinimumHeight(310)  # ten rows and the total
        self.explain = ExplainPanel(self)
        self.explain.setFixedWidth(270)
        self.scroll_area = QScrollArea(self)

        self._lay_out()
        self._hold_content(True)
        self._fill_engineers()
        self._change_timer = QTimer(self, singleShot=True, interval=CHANGE_DELAY_MS)
        self._change_timer.timeout.connect(self.reload)
        self._keep_current = QTimer(self, interval=KEEP_CURRENT_MS)
        self._keep_current.timeout.connect(self.on_keep_current_timeout)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh, context=context)

        for edit in (self.month_edit, self.from_edit, self.to_edit):  # the user's changes: _set_controls blocks
            edit.dateChanged.connect(self.on_period_edited)
        self.range_check.toggled.connect(self.on_range_check_toggled)
        self.engineer_combo.currentIndexChanged.connect(self.reload)
        self.this_month_button.clicked.connect(self.on_this_month_button_clicked)
        self.last_month_button.clicked.connect(self.on_last_month_button_clicked)
        self.refresh_button.clicked.connect(self.refresh)
        self.recompute_button.clicked.connect(self.on_recompute_button_clicked)
        self.settings_button.clicked.connect(self.on_settings_button_clicked)
        self.pdf_button.clicked.connect(lambda: self.on_export_button_clicked(".pdf"))
        self.excel_button.clicked.connect(lambda: self.on_export_button_clicked(".xlsx"))
        self.figures.sig_selected.connect(self.on_figure_selected)
        self.figures.sig_activated.connect(self.on_figure_activated)
        self.tables.sig_selected.connect(self.on_row_selected)
        self.tables.sig_activated.connect(self.on_row_activated)
        self.explain.sig_drill_requested.connect(self.records.open)
        self.faults_panel.sig_choice_changed.connect(lambda _key: self._draw_breakdown_charts())
        self.costs_panel.sig_choice_changed.connect(lambda _key: self._draw_breakdown_charts())

    # --- our API -------------------------------------------------------------------------------------------

    def set_page_opener(self, open_page: Callable[[str], QWidget | None]) -> None:
        """How to reach the main window's pages (navigation's PageContext.open_page): complaints and orders
        behind a figure then open on their list pages, and a dialog's row on its record's page."""
        self.records.open_page = open_page

    def prepare(self) -> None:
        """While the page is not on screen: read its figures (this month, unless a period was asked for) and
        put them on it, and keep them current while it is hidden (see the module's docstring)."""
        if not self._requested:
            self._read_current(quiet=True)
        self._keep_current.start()

    def load(self, period: Period, engineer_id: int | None = None) -> BackgroundTask:
        """Show the figures of `period` for the branch (None) or one engineer; the controls follow."""
        self._chosen = True
        return self._load(period, engineer_id, quiet=False)

    def _read_current(self, *, quiet: bool) -> BackgroundTask:
        period = self.current_period() if self._chosen else month_of(date.today())
        return self._load(period, self.current_engineer(), quiet=quiet)

    def _load(self, period: Period, engineer_id: int | None, *, quiet: bool) -> BackgroundTask:
        self._requested = True
        self._read_hidden = not self.isVisible()
        # While hidden, a dialog or an error box would be about work nobody asked for on the page on screen.
        quiet = self._quiet = quiet or self._read_hidden
        self._change_timer.stop()
        self.recompute_button.setEnabled(False)  # until the new figures say whether their month is closed
        self._set_controls(period, engineer_id)
        self._requests += 1
        request = self._requests
        if self._reading():
            self.load_task.cancel()  # its result would be dropped anyway
        db, actor = self._db, self._actor

        def compute(progress):
            report, trends = kpi_dashboard(db, actor, period=period, engineer_id=engineer_id, months=TREND_MONTHS)
            progress(1, 1, "")
            return request, report, trends

        task = BackgroundTask(compute, owner=self)
        task.sig_finished.connect(self.on_load_task_finished)
        task.sig_failed.connect(lambda exc, r=request: self.on_load_task_failed(r, exc))
        task.sig_cancelled.connect(lambda r=request: self.on_load_task_cancelled(r))
        if not quiet:
            show_progress(task, self, self.tr("Computing the KPIs"))
        self._say(self.tr("Computing…"))
        self.load_task = task
        task.start()
        return task

    def current_period(self) -> Period:
        if self.range_check.isChecked():
            first, last = self.from_edit.date().toPython(), self.to_edit.date().toPython()
            first, last = min(first, last), max(first, last)
            return Period(first, last + timedelta(days=1))
        return month_of(self.month_edit.date().toPython())

    def current_engineer(self) -> int | None:
        return self.engineer_combo.currentData()

    def reload(self, *_args) -> None:
        """Read the figures of what the controls say: the period chosen, or this month until one is."""
        self._read_current(quiet=False)

    def refresh(self) -> None:
        """F5: the same period and engineer again (work recorded meanwhile counts)."""
        self.reload()

    def export_to(self, target: Path) -> BackgroundTask:
        """The report of the period and engineer on screen as a PDF or (.xlsx) a workbook, off the GUI thread."""
        report = self.report
        if report is None:
            raise RuntimeError("no figures on screen to export")
        db, actor, settings = self._db, self._actor, self._settings
        task = BackgroundTask(lambda progress: kpi_printing.kpi_report_file(
            db, actor, period=report.period, target=target, branch_code=settings.branch_code,
            branch_name=settings.branch_name, engineer_id=report.engineer_id, font=settings.pdf_font or None,
            progress=progress), owner=self)
        task.sig_finished.connect(self.on_export_task_finished)
        task.sig_failed.connect(self.on_export_task_failed)
        task.sig_cancelled.connect(self.on_export_task_cancelled)
        show_progress(task, self, self.tr("Writing the KPI report"))
        self.pdf_button.setEnabled(False)
        self.excel_button.setEnabled(False)
        self.export_task = task
        task.start()
        return task

    def caption_of(self, title: str) -> str:
        """'Repair timeliness rate, 2026-10' (and the engineer's name when the figures are one engineer's)."""
        report = self.report
        if report is None:
            return title
        parts = [title, report.period.label()]
        if report.engineer_name:
            parts.append(report.engineer_name)
        return ", ".join(parts)

    # --- slots ---------------------------------------------------------------------------------------------

    def on_load_task_finished(self, result) -> None:
        request, report, trends = result
        if request != self._requests:
            return  # a newer request is on its way
        self.report, self.trends = report, trends
        self._read_at = time.monotonic()
        self._show_report(report, trends)
        self._enable_exports()
        if not self.isVisible() and not self._drawn_off_screen:
            self._drawn_off_screen = True
            # After the layout requests the report posted, as a paint on screen would come.
            QTimer.singleShot(0, self, self._draw_off_screen)
        self.sig_loaded.emit()

    def on_load_task_failed(self, request: int, exc: BaseException) -> None:
        if request != self._requests:
            return
        self._read_at = None  # read again when shown
        self._hold_content(False)
        if isinstance(exc, DomainError):
            self._say(exc.message, error=True)
        else:
            self._say(self.tr("The figures could not be computed."), error=True)
            if self._quiet:  # the page says so; a box would interrupt other work or figures on screen
                log.warning("KPIs not read in a quiet reading", exc_info=exc)
            else:
                show_error(self, exc)

    def on_load_task_cancelled(self, request: int) -> None:
        if request == self._requests:
            self._hold_content(False)
            self._say(self.tr("Cancelled."))

    def on_export_button_clicked(self, suffix: str) -> None:
        if self.report is None:
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        file_title = self.tr("KPI report")
        name = f"{file_title}-{self.report.period.label().replace(' – ', '_')}"
        if self.report.engineer_name:
            name += f"-{self.report.engineer_name}"
        kinds = self.tr("PDF document (*.pdf)") if suffix == ".pdf" else self.tr("Excel workbook (*.xlsx)")
        chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Export the KPI report"),
                                                str(Path(folder) / (name + suffix)), kinds)
        if chosen:
            self.export_to(Path(chosen) if chosen.lower().endswith(suffix) else Path(chosen + suffix))

    def on_recompute_button_clicked(self) -> None:
        report = self.report
        if report is None or report.frozen_at is None:
            return
        answer = QMessageBox.question(self, self.tr("Recompute the month"), self.tr(
            "The figures of {caption} were locked on {frozen}. Compute them again from today's records and "
            "settings? Work recorded since then will count; the audit log keeps the figures as they were.").format(
            caption=", ".join(part for part in (report.period.label(), report.engineer_name) if part),
            frozen=f"{report.frozen_at.astimezone():%Y-%m-%d %H:%M}"))
        if answer == QMessageBox.StandardButton.Yes:
            self.recompute(report.period, report.engineer_id)

    def recompute(self, period: Period, engineer_id: int | None) -> BackgroundTask:
        """A closed month's stored figures computed again (off the GUI thread), then shown."""
        db, actor = self._db, self._actor
        task = BackgroundTask(lambda _progress: recompute_month(db, actor, period=period, engineer_id=engineer_id),
                              owner=self)
        task.sig_finished.connect(lambda _report: self.load(period, engineer_id))
        task.sig_failed.connect(self.on_read_task_failed)
        show_progress(task, self, self.tr("Recomputing the month"))
        self.recompute_task = task
        task.start()
        return task

    def on_settings_button_clicked(self) -> None:
        dialog = KpiSettingsDialog(self._db, self._actor, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload()

    def on_export_task_finished(self, result: ExportResult) -> None:
        self._enable_exports()
        self.last_export = result
        if result.path is None:
            self._say(self.tr("Export cancelled; nothing was written."))
        else:
            self._say(self.tr("The KPI report was saved to {path}.").format(path=result.path))

    def on_export_task_failed(self, exc: BaseException) -> None:
        self._enable_exports()
        if isinstance(exc, DomainError):
            self._say(exc.message, error=True)
        else:
            show_error(self, exc, title=self.tr("Export"))

    def on_export_task_cancelled(self) -> None:
        self._enable_exports()
        self._say(self.tr("Export cancelled; nothing was written."))

    def on_read_task_failed(self, exc: BaseException) -> None:
        """A drill's or a recompute's failure: a refusal is said on the page, anything else shown once."""
        if isinstance(exc, DomainError):
            self._say(exc.message, error=True)
        else:
            show_error(self, exc)

    def on_figure_selected(self, figure: Figure) -> None:
        self._explained = ("figure", figure.key, None)
        self.explain.show_explanation(explain_figure(figure, self.caption_of(figure.title)))

    def on_figure_activated(self, figure: Figure) -> None:
        self.on_figure_selected(figure)
        if figure.drill is not None:
            self.records.open(figure.drill, self.caption_of(figure.title))

    def on_row_selected(self, breakdown: Breakdown, row: BreakdownRow | None) -> None:
        self._explained = ("row", breakdown.key, None if row is None else row.key)
        self.explain.show_explanation(explain_row(breakdown, row, self._row_caption(breakdown, row)))

    def on_row_activated(self, breakdown: Breakdown, row: BreakdownRow | None) -> None:
        self.on_row_selected(breakdown, row)
        drill = breakdown.drill if row is None else row.drill
        if drill is not None:
            self.records.open(drill, self._row_caption(breakdown, row))

    def on_keep_current_timeout(self) -> None:
        # Not for a closed window, and never in place of a reading still running (a slow one would never end).
        if not self.isVisible() and self.window().isVisible() and not self._reading():
            self._read_current(quiet=True)

    def on_period_edited(self) -> None:
        self._chosen = True
        self._change_timer.start()

    def on_range_check_toggled(self, checked: bool) -> None:
        self._chosen = True
        self.month_edit.setEnabled(not checked)
        self.from_edit.setEnabled(checked)
        self.to_edit.setEnabled(checked)
        self.reload()

    def on_this_month_button_clicked(self) -> None:
        self._chosen = False  # and it stays this month when the month changes
        self.reload()

    def on_last_month_button_clicked(self) -> None:
        self.load(month_of(date.today().replace(day=1) - timedelta(days=1)), self.current_engineer())

    # --- Qt overrides --------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # The first look shows this month's figures, unless someone asked for others before (the benchmark).
        # Figures read while the page was hidden are on screen at once, and read again quietly if not recent.
        reading = self._reading()
        if not self._requested:
            self._requested = True
            QTimer.singleShot(0, self, self.reload)
        elif reading and self.report is None:  # a slow first reading, begun while hidden: now it is watched
            self._quiet = False
            show_progress(self.load_task, self, self.tr("Computing the KPIs"))
        elif self._read_hidden and not reading and (
                self._read_at is None or (time.monotonic() - self._read_at) * 1000 > REREAD_AFTER_MS):
            QTimer.singleShot(0, self, lambda: self._read_current(quiet=self.report is not None))

    # --- helpers -------------------------------------------------------------------------------------------

    def _row_caption(self, breakdown: Breakdown, row: BreakdownRow | None) -> str:
        return self.caption_of(breakdown.title if row is None else f"{breakdown.title}: {row.label}")

    def _show_report(self, report: KpiReport, trends: KpiTrends) -> None:
        who = report.engineer_name or self.tr("whole branch")
        branch = " ".join(part for part in (self._settings.branch_code, self._settings.branch_name) if part)
        self.title_label.setText(self.tr("KPIs {period} · {branch} · {who}").format(
            period=report.period.label(), branch=branch, who=who))
        as_of = f"{report.as_of.astimezone():%Y-%m-%d %H:%M}"
        if report.frozen_at is None:
            self.as_of_label.setText(self.tr("as of {as_of}").format(as_of=as_of))
            self.as_of_label.setToolTip(self.tr("Open and overdue work is counted at this moment (the period's end, "
                                                "or now for a running period); computed {computed}").format(
                computed=f"{report.computed_at.astimezone():%Y-%m-%d %H:%M:%S}"))
        else:
            self.as_of_label.setText(self.tr("Closed month: figures locked {frozen}").format(
                frozen=f"{report.frozen_at.astimezone():%Y-%m-%d %H:%M}"))
            self.as_of_label.setToolTip(self.tr(
                "The month closed, and its figures were stored at its first reading after that, with the settings "
                "then in force: work recorded later does not change them. The records a figure opens are today's. "
                "A manager may recompute the month."))
        self.recompute_button.setEnabled(report.frozen_at is not None)
        self._say("")
        content = (report.period, report.engineer_id, report.figures, report.breakdowns, trends)
        if content == self._content:
            return  # read again, nothing changed (a closed month): nothing to draw again
        self._content = content
        self._hold_content(False)
        self.figures.set_figures(report.figures)
        self.tables.set_breakdowns(report.breakdowns)
        self.trend_chart.draw(trends)
        self.trend_panel.show_chart(True)
        keys = {b.key: b for b in report.breakdowns}
        self.faults_panel.set_choices([(k, keys[k].title) for k in FAULT_TYPES if k in keys])
        self.costs_panel.set_choices([(k, keys[k].title) for k in COSTS if k in keys])
        self._draw_breakdown_charts()
        self._chain_tabs()
        self._explain_again(report)
        self._lay_out_now()

    def _reading(self) -> bool:
        return self.load_task is not None and self.load_task.is_running()

    def _draw_off_screen(self) -> None:
        """Once, while hidden: polishing, laying out and drawing everything (the charts make their axes' and
        legends' items then), which the first paint on screen would otherwise do, costing as much again."""
        if self.isVisible():
            return
        if self.parentWidget() is not None:  # a page stack sizes only the page on screen
            self.resize(self.parentWidget().size())
        self.grab()

    def _explain_again(self, report: KpiReport) -> None:
        """The side panel explains what it explained, with the new numbers; at first, the first figure."""
        kind, key, row_key = self._explained or ("figure", report.figures[0].key if report.figures else "", None)
        if kind == "row" and key in {b.key for b in report.breakdowns}:
            breakdown = report.breakdown(key)
            row = next((r for r in breakdown.rows if r.key == row_key), None)
            if row is not None or row_key is None:
                self.on_row_selected(breakdown, row)
                return
        figure = next((f for f in report.figures if f.key == key), report.figures[0] if report.figures else None)
        if figure is not None:
            self.on_figure_selected(figure)
        else:
            self.explain.show_explanation(None)

    def _hold_content(self, held: bool) -> None:
        """While held (until the first figures come, or their reading ends without them), the cards, charts
        and tables are not painted and the scroll area shows its plain background: painting them empty just
        before the figures came cost 10 ms, and they were painted again at once."""
        content = self.scroll_area.widget()
        if content.updatesEnabled() == held:
            content.setAutoFillBackground(not held)  # else what was on screen before would stay there
            content.setUpdatesEnabled(not held)

    def _lay_out_now(self) -> None:
        """Lay the page out now rather than from the layout requests its changes posted: those come one level
        of widgets at a time with the first paint in between, and the page was painted twice, the first time
        half laid out. Widgets made since the page was shown (the first report's cards) are polished first:
        from the request Qt posts for them, they were polished after their first paint and painted again.
        Afterwards sig_loaded means the figures are on screen as they stay."""
        QCoreApplication.sendPostedEvents(None, QEvent.Type.PolishRequest)
        request = QEvent(QEvent.Type.LayoutRequest)
        for widget in reversed([self, *self.findChildren(QWidget)]):  # each widget before the one it is in
            if widget.layout() is not None or widget is self.scroll_area:  # it fits its content to its width
                QCoreApplication.sendEvent(widget, request)
        for panel in (self.trend_panel, self.faults_panel, self.costs_panel):
            panel.lay_out_chart()

    def _draw_breakdown_charts(self) -> None:
        if self.report is None:
            return
        keys = {b.key: b for b in self.report.breakdowns}
        faults = keys.get(self.faults_panel.choice())
        self.faults_panel.show_chart(faults is not None and self.faults_chart.draw(faults),
                                     self.tr("Nothing of this kind in the period."))
        costs = keys.get(self.costs_panel.choice())
        self.costs_panel.show_chart(costs is not None and self.costs_chart.draw(costs),
                                    self.tr("No approved complaint costs in the period."))

    def _fill_engineers(self) -> None:
        self.engineer_combo.blockSignals(True)
        self.engineer_combo.addItem(self.tr("All engineers (branch)"), None)
        try:
            engineers = order_list.list_engineers(self._db, self._actor)
        except DomainError:
            engineers = []
        for user_id, name in engineers:
            self.engineer_combo.addItem(name, user_id)
        self.engineer_combo.blockSignals(False)

    def _set_controls(self, period: Period, engineer_id: int | None) -> None:
        widgets = (self.month_edit, self.range_check, self.from_edit, self.to_edit, self.engineer_combo)
        for widget in widgets:
            widget.blockSignals(True)
        custom = not period.is_month
        self.range_check.setChecked(custom)
        self.month_edit.setEnabled(not custom)
        self.from_edit.setEnabled(custom)
        self.to_edit.setEnabled(custom)
        if custom:
            self.from_edit.setDate(QDate(period.start))
            self.to_edit.setDate(QDate(period.last_day))
        else:
            self.month_edit.setDate(QDate(period.start))
        index = self.engineer_combo.findData(engineer_id)
        if index < 0:  # someone not (or no longer) listed as an engineer: still their figures
            self.engineer_combo.addItem(self.tr("User {id}").format(id=engineer_id), engineer_id)
            index = self.engineer_combo.count() - 1
        self.engineer_combo.setCurrentIndex(index)
        for widget in widgets:
            widget.blockSignals(False)

    def _enable_exports(self) -> None:
        exporting = self.export_task is not None and self.export_task.is_running()
        for button in (self.pdf_button, self.excel_button):
            button.setEnabled(self.report is not None and not exporting)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status_label.setText(text)
        style = ERROR_STYLE if error else HINT_STYLE
        if self.status_label.styleSheet() != style:  # setting one, even the same, polishes the label again
            self.status_label.setStyleSheet(style)

    def _chain_tabs(self) -> None:
        chain = [self.month_edit, self.this_month_button, self.last_month_button, self.range_check,
                 self.from_edit, self.to_edit, self.engineer_combo, self.refresh_button, self.recompute_button,
                 self.settings_button, self.pdf_button, self.excel_button,
                 *self.figures.card_order(), self.tables.tab_bar, self.tables.table, self.explain.open_button,
                 self.explain.counted_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _lay_out(self) -> None:
        controls = QHBoxLayout()
        caption = QLabel(self.tr("&Month:"), self)
        caption.setBuddy(self.month_edit)
        controls.addWidget(caption)
        controls.addWidget(self.month_edit)
        controls.addWidget(self.this_month_button)
        controls.addWidget(self.last_month_button)
        controls.addSpacing(12)
        controls.addWidget(self.range_check)
        controls.addWidget(self.from_edit)
        controls.addWidget(QLabel("–", self))
        controls.addWidget(self.to_edit)
        controls.addSpacing(12)
        engineer = QLabel(self.tr("&Engineer:"), self)
        engineer.setBuddy(self.engineer_combo)
        controls.addWidget(engineer)
        controls.addWidget(self.engineer_combo)
        controls.addStretch(1)
        controls.addWidget(self.refresh_button)

        heading = QHBoxLayout()
        heading.addWidget(self.title_label)
        heading.addStretch(1)
        heading.addWidget(self.as_of_label)
        heading.addWidget(self.recompute_button)
        heading.addSpacing(8)
        heading.addWidget(self.settings_button)
        heading.addWidget(self.pdf_button)
        heading.addWidget(self.excel_button)

        charts = QGridLayout()
        charts.setHorizontalSpacing(12)
        charts.setVerticalSpacing(10)
        charts.addWidget(self.trend_panel, 0, 0, 1, 2)
        charts.addWidget(self.faults_panel, 1, 0)
        charts.addWidget(self.costs_panel, 1, 1)
        self.trend_panel.setMinimumHeight(260)

        content = QWidget(self.scroll_area)
        body = QVBoxLayout(content)
        body.setContentsMargins(0, 0, 8, 0)
        body.setSpacing(12)
        body.addWidget(self.figures)
        body.addLayout(charts)
        body.addWidget(self.tables)
        self.scroll_area.setWidget(content)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)

        middle = QHBoxLayout()
        middle.setSpacing(10)
        middle.addWidget(self.scroll_area, 1)
        middle.addWidget(self.explain)

        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addLayout(heading)
        layout.addLayout(middle, 1)
        layout.addWidget(self.status_label)
        self._chain_tabs()
