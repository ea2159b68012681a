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
- service: kpi_report + kpi_trends (12 months) of the latest full month, as the dashboard computes them;
- dashboard: from constructing KpiDashboardPage (desktop/views/kpi/dashboard_page.py) and calling
  load(month) until its sig_loaded (figures, charts and tables set) and one processed paint of the whole
  page (grab()), at 1366 × 768.
The ratio dashboard ÷ scan is taken per run; the summary gives the median and the range over the runs (the
first run is a warm-up, as a working PC has its caches warm, and is left out).
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

from PySide6.QtCore import QCoreApplication, QEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from desktop.config import Settings  # noqa: E402
from desktop.db.engine import make_engine  # noqa: E402
from desktop.db.uow import Actor, Database  # noqa: E402
from desktop.domain.complaints import Complaint  # noqa: E402
from desktop.domain.kpi import month_of  # noqa: E402
from desktop.domain.roles import Role  # noqa: E402
from desktop.domain.service_orders import ServiceOrder  # noqa: E402
from desktop.services.kpi import kpi_report, kpi_trends  # noqa: E402

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
    kpi_report(db, MANAGER, period=period)
    kpi_trends(db, MANAGER, end_month=period)
    return time.perf_counter() - start


def dashboard(db: Database, period) -> tuple[float, float]:
    """(until sig_loaded, until painted) in seconds, from the page's construction."""
    from desktop.views.kpi.dashboard_page import KpiDashboardPage

    app = QApplication.instance()
    loaded = []
    start = time.perf_counter()
    page = KpiDashboardPage(db, MANAGER, Settings())
    page.sig_loaded.connect(lambda: loaded.append(time.perf_counter()))
    page.resize(1366, 768)
    page.load(period)
    page.show()
    while not loaded:
        app.processEvents()
    page.grab()  # one paint of everything: the cards, the charts and the tables
    painted = time.perf_counter()
    page.close()
    page.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return loaded[0] - start, painted - start


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
    scans, services, loads, paints, ratios = [], [], [], [], []
    for run in range(args.repeat + 1):
        scan = full_scan(db)
        computed = service(db, period)
        loaded, painted = (None, None) if args.service_only else dashboard(db, period)
        line = f"run {run}{' (warm-up)' if run == 0 else ''}: scan {ms(scan)}, service {ms(computed)}"
        if painted is not None:
            line += f", dashboard loaded {ms(loaded)}, painted {ms(painted)}, ratio {painted / scan:.2f}"
        print(line, flush=True)
        if run == 0:
            continue
        scans.append(scan)
        services.append(computed)
        if painted is not None:
            loads.append(loaded)
            paints.append(painted)
            ratios.append(painted / scan)
    print(summary("full scan of the complaints", scans))
    print(summary("service (report + 12-month trends)", services))
    print(summary("service ÷ scan", [s / c for s, c in zip(services, scans, strict=True)], lambda r: f"{r:.2f}"))
    if paints:
        print(summary("dashboard until sig_loaded", loads))
        print(summary("dashboard until painted", paints))
        print(summary("dashboard ÷ scan (goal ≤ 1)", ratios, lambda r: f"{r:.2f}"))
    db.dispose()
    del app


if __name__ == "__main__":
    main()
