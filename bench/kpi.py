"""The monthly KPI dashboard on the large demo database, against one full scan of the complaints table (issue
8: a month's dashboard opens, figures and charts painted, in at most the time one full scan of the
complaints takes — a month must not cost a scan of years). Prints its figures; run it, don't test it.

    BRANCHDESK_HOME=/tmp/kpi_big python -m desktop demo --size large      # once: 1,000,000 customers and
                                                                         # five years of orders and complaints
    QT_QPA_PLATFORM=offscreen python bench/kpi.py --db /tmp/kpi_big/branchdesk.sqlite3 --repeat 9
    QT_QPA_PLATFORM=offscreen python bench/kpi.py --db postgresql+psycopg://postgres@127.0.0.1/kpi_big --repeat 9

Each run measures, one right after the other so that other work on the machine weighs on all alike:
- scan: `SELECT count(*) FROM complaints WHERE description LIKE '%漏水%'` on a read-only connection — a text
  column no index covers, so every row is read (the plan is printed once);
- service: kpi_dashboard (the month's report and its 12-month trends, as the page reads them);
- dashboard opened: from constructing KpiDashboardPage (desktop/views/kpi/dashboard_page.py), putting it
  into the page stack of the application's main window (1366 × 768, shown) and calling load(month) until
  its sig_loaded (figures, charts and tables set) and one paint of the page (repaint()) — the first look at
  the KPI page when it is opened before the main window prepared it ("cold");
- month switched: the page showing the month before, painted, then load(month) until painted — choosing
  the month on the open page;
- dashboard opened, prepared: the page as the main window prepares it once it is idle after sign-in
  (KpiDashboardPage.prepare: built, this month's figures read, laid out and drawn once off screen while it
  is hidden), then put into the stack's view until painted — the first look at the KPI page in a session
  that signed in a moment before. Its figures are this month's whatever `month` says, and they are not read
  again (they are less than a minute old; older ones are read again quietly after being painted, which
  costs what "month switched" costs for this month).
The ratios ÷ scan are taken per run; the summary gives the median and the range over the runs (the first
run is a warm-up, as a working PC has its caches warm, and is left out). The default month is the latest
full month. A month closes 5 days after its end; a closed month is read from its stored facts after its
first read, which stores them: that first read is measured once beforehand as "closing", by
recompute_month, which does the same work. Until it closes (the 1st to the 5th) it is running and computed
on every read: measure a closed month too, with --month.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from desktop.config import Settings  # noqa: E402
from desktop.db.engine import make_engine  # noqa: E402
from desktop.db.uow import Actor, Database  # noqa: E402
from desktop.domain.complaints import Complaint  # noqa: E402
from desktop.domain.errors import DomainError  # noqa: E402
from desktop.domain.kpi import month_of  # noqa: E402
from desktop.domain.roles import Role  # noqa: E402
from desktop.domain.service_orders import ServiceOrder  # noqa: E402
from desktop.services.kpi import kpi_dashboard, recompute_month  # noqa: E402

MANAGER = Actor(user_id=None, username="bench", role=Role.MANAGER, display_name="bench")
SCAN = "SELECT count(*) FROM complaints WHERE description LIKE :text"
SCANNED_TEXT = "%漏水%"  # a bound parameter: psycopg would read a literal % as a placeholder


def full_scan(db: Database) -> float:
    with db.read_session_factory() as session:
        connection = session.connection()
        start = time.perf_counter()
        connection.execute(text(SCAN), {"text": SCANNED_TEXT}).scalar()
        took = time.perf_counter() - start
        session.rollback()
    return took


def scan_plan(db: Database) -> str:
    explain = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN "
    with db.read_session_factory() as session:
        rows = session.connection().execute(text(explain + SCAN), {"text": SCANNED_TEXT}).all()
        session.rollback()
    return " | ".join(str(row[-1]) for row in rows)


def service(db: Database, period) -> float:
    start = time.perf_counter()
    kpi_dashboard(db, MANAGER, period=period)
    return time.perf_counter() - start


def closing(db: Database, period) -> float | None:
    """The first read of a closed month, which computes and stores its facts (None: the month is running)."""
    start = time.perf_counter()
    try:
        recompute_month(db, MANAGER, period=period)
    except DomainError:
        return None
    return time.perf_counter() - start


def main_window(db: Database):
    """The application's main window at 1366 × 768, shown, which holds the page as navigation does."""
    from desktop.views.main_window import MainWindow

    window = MainWindow(db, MANAGER, Settings(), idle_timeout_ms=0)
    window.resize(1366, 768)
    window.show()
    for _ in range(5):
        QCoreApplication.sendPostedEvents()
        QApplication.instance().processEvents()
    return window


def dashboard(window, db: Database, period) -> tuple[float, float, float, float]:
    """(until sig_loaded, until painted) in seconds from the page's construction, the seconds from
    load(period) on the page showing the month before until painted, and the seconds from putting a
    prepared page on screen until painted.

    The page is built and put into the main window's page stack as its navigation does, and shown there.
    It waits in an event loop, as in the application (spinning processEvents() would take the GIL from the
    worker computing the figures), and "painted" is one synchronous paint of the page through the window's
    backing store, the way it reaches the screen: repaint(). Before the month is switched, the month before
    is left to finish painting, as it has on a screen someone looks at."""
    from desktop.views.kpi.dashboard_page import KpiDashboardPage

    app = QApplication.instance()
    loaded = []

    def wait() -> None:
        if not loaded:
            waiting = QEventLoop()
            page.sig_loaded.connect(waiting.quit)
            waiting.exec()
            page.sig_loaded.disconnect(waiting.quit)

    def show(month) -> None:
        loaded.clear()
        page.load(month)
        window.stack.setCurrentWidget(page)
        wait()
        page.repaint()  # the cards, the charts and the table on screen

    def settle() -> None:
        for _ in range(5):
            QCoreApplication.sendPostedEvents()
            app.processEvents()

    start = time.perf_counter()
    page = KpiDashboardPage(db, MANAGER, Settings(), window)
    page.sig_loaded.connect(lambda: loaded.append(time.perf_counter()))
    window.stack.addWidget(page)
    show(period)
    opened_loaded, opened = loaded[0] - start, time.perf_counter() - start
    show(month_of(period.start - timedelta(days=1)))
    settle()
    start = time.perf_counter()
    show(period)
    switched = time.perf_counter() - start

    def drop() -> None:
        window.stack.setCurrentIndex(0)
        window.stack.removeWidget(page)
        page.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        settle()

    drop()
    page = KpiDashboardPage(db, MANAGER, Settings(), window)
    page.sig_loaded.connect(lambda: loaded.append(time.perf_counter()))
    window.stack.addWidget(page)
    loaded.clear()
    page.prepare()
    wait()
    settle()  # and drawn once off screen
    start = time.perf_counter()
    window.stack.setCurrentWidget(page)
    page.repaint()
    prepared = time.perf_counter() - start
    drop()
    return opened_loaded, opened, switched, prepared


def describe(db: Database, period) -> str:
    with db.read_session_factory() as session:
        complaints = session.scalar(select(func.count()).select_from(Complaint))
        orders = session.scalar(select(func.count()).select_from(ServiceOrder))
        if db.engine.dialect.name == "sqlite":
            version = "SQLite " + session.connection().exec_driver_sql("select sqlite_version()").scalar()
        else:
            version = session.connection().exec_driver_sql("show server_version").scalar()
            version = f"PostgreSQL {version}"
        session.rollback()
    return (f"{version}; {complaints:,} complaints, {orders:,} service orders; month {period.label()}; "
            f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.platform()}")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def summary(name: str, values: list[float], unit=ms) -> str:
    return f"{name:<34} median {unit(statistics.median(values))}  (range {unit(min(values))} – {unit(max(values))})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="SQLite file or PostgreSQL URL of a large demo database")
    parser.add_argument("--repeat", type=int, default=7, help="runs after the warm-up (default 7)")
    parser.add_argument("--month", help="YYYY-MM (default: the latest full month)")
    parser.add_argument("--service-only", action="store_true", help="leave out the dashboard")
    args = parser.parse_args()
    url = args.db if "://" in args.db else f"sqlite:///{Path(args.db).resolve().as_posix()}"
    db = Database(make_engine(url))
    if args.month:
        year, number = (int(p) for p in args.month.split("-"))
        period = month_of(date(year, number, 1))
    else:
        period = month_of(date.today().replace(day=1) - timedelta(days=1))
    app = QApplication.instance() or QApplication([])
    print(describe(db, period))
    print(f"scan: {SCAN.replace(':text', repr(SCANNED_TEXT))}\n  plan: {scan_plan(db)}")
    closed = closing(db, period)
    if closed is not None:
        print(f"closing {period.label()} (its first read after closing: compute and store its facts): {ms(closed)}")
    window = None if args.service_only else main_window(db)
    scans, services, loads, paints, switches, prepareds = [], [], [], [], [], []
    for run in range(args.repeat + 1):
        scan = full_scan(db)
        computed = service(db, period)
        line = f"run {run}{' (warm-up)' if run == 0 else ''}: scan {ms(scan)}, service {ms(computed)}"
        if not args.service_only:
            loaded, painted, switched, prepared = dashboard(window, db, period)
            line += (f", dashboard loaded {ms(loaded)}, opened {ms(painted)} ({painted / scan:.2f}), "
                     f"month switched {ms(switched)} ({switched / scan:.2f}), "
                     f"prepared opened {ms(prepared)} ({prepared / scan:.2f})")
        print(line, flush=True)
        if run == 0:
            continue
        scans.append(scan)
        services.append(computed)
        if not args.service_only:
            loads.append(loaded)
            paints.append(painted)
            switches.append(switched)
            prepareds.append(prepared)

    def ratios(values: list[float]) -> list[float]:
        return [value / scan for value, scan in zip(values, scans, strict=True)]

    print(summary("full scan of the complaints", scans))
    print(summary("service (report + 12-month trends)", services))
    print(summary("service ÷ scan", ratios(services), lambda r: f"{r:.2f}"))
    if paints:
        print(summary("dashboard opened until sig_loaded", loads))
        print(summary("dashboard opened until painted", paints))
        print(summary("dashboard opened ÷ scan (goal ≤ 1)", ratios(paints), lambda r: f"{r:.2f}"))
        print(summary("month switched until painted", switches))
        print(summary("month switched ÷ scan (goal ≤ 1)", ratios(switches), lambda r: f"{r:.2f}"))
        print(summary("prepared page opened until painted", prepareds))
        print(summary("prepared page opened ÷ scan (goal ≤ 1)", ratios(prepareds), lambda r: f"{r:.2f}"))
    db.dispose()
    del app


if __name__ == "__main__":
    main()
