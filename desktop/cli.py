"""The `branchdesk` command: the GUI without arguments, administration commands with them.

The CLI acts as the system (audit entries say `cli:<os user>`): it is the tool of whoever administers the
machine or server that holds the database, who can read the database file anyway.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from desktop import __version__
from desktop.config import SettingsError, data_dir, load_settings, with_overrides
from desktop.db.backup import BackupError
from desktop.db.engine import DatabaseUrlError
from desktop.db.migrate import MigrationError
from desktop.db.uow import Actor
from desktop.domain.complaints import Status
from desktop.domain.errors import DomainError
from desktop.domain.roles import Role

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="branchdesk", description="BranchDesk 售后服务台")
    parser.add_argument("--version", action="version", version=f"BranchDesk {__version__}")
    parser.add_argument("--db", metavar="URL", help="database URL or SQLite file (default: the per-user data folder)")
    parser.add_argument("--lang", choices=("zh_CN", "en"), help="interface language (default zh_CN)")
    parser.add_argument("--self-test", action="store_true", help="open the main window offscreen and exit 0")
    parser.add_argument("-v", "--verbose", action="store_true", help="log to the console too")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help="fill the database with realistic demo data")
    demo.add_argument("--size", choices=("small", "large"), default="small")

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", help="apply the migrations (the GUI does this at start too)")

    user = sub.add_parser("user", help="add users, set passwords, disable accounts")
    user_sub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = user_sub.add_parser("add", help="add a user")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--name", required=True, help="the person's name as shown and printed")
    add.add_argument("--password", help="(asked for when left out)")
    passwd = user_sub.add_parser("passwd", help="set a user's password (also lifts a lockout)")
    passwd.add_argument("username")
    passwd.add_argument("--password", help="(asked for when left out)")
    disable = user_sub.add_parser("disable", help="disable a user's account")
    disable.add_argument("username")

    printing = sub.add_parser("print", help="print a document to a PDF file")
    print_sub = printing.add_subparsers(dest="document", metavar="DOCUMENT", required=True)
    form = print_sub.add_parser("complaint-form", help="客户意见处理表 of one complaint")
    form.add_argument("number", help="complaint number, e.g. TS-GZ01-202611-0001")
    form.add_argument("--out", type=Path, required=True)

    slip = print_sub.add_parser("issue-slip", help="配件出库单 of one issue")
    slip.add_argument("number", help="issue slip number, e.g. CK-GZ01-202611-0001")
    slip.add_argument("--out", type=Path, required=True)
    slip.add_argument("--page", choices=("A5", "A4"), default="A5")
    labels = print_sub.add_parser("bin-labels", help="bin labels with barcodes")
    labels.add_argument("--zone", default="", help="one zone, e.g. A")
    labels.add_argument("--from", dest="first", default="", help="first bin code")
    labels.add_argument("--to", dest="last", default="", help="last bin code")
    labels.add_argument("--out", type=Path, required=True)

    for name, text in (("slip", "售后服务单 of a service order, with its signatures"),
                       ("signoff", "blank 客户签收单 of a service order, to sign by hand")):
        order_doc = print_sub.add_parser(name, help=text)
        order_doc.add_argument("number", help="service order number, e.g. FW-GZ01-202611-0001")
        order_doc.add_argument("--out", type=Path, required=True)
    sheet = print_sub.add_parser("count-sheet", help="盘点表 of a stocktake")
    sheet.add_argument("number", help="stocktake number, e.g. PD-GZ01-202611-0001")
    sheet.add_argument("--out", type=Path, required=True)
    sheet.add_argument("--show-book", action="store_true", help="print the book quantities (default: blind)")
    variance_cmd = print_sub.add_parser("variance", help="盘点差异表 of a stocktake (.pdf or .xlsx)")
    variance_cmd.add_argument("number")
    variance_cmd.add_argument("--out", type=Path, required=True)

    counting = sub.add_parser("stocktake", help="stocktake count sheets")
    counting_sub = counting.add_subparsers(dest="stocktake_command", metavar="ACTION", required=True)
    st_export = counting_sub.add_parser("export", help="the count sheet as a workbook to fill in")
    st_export.add_argument("number")
    st_export.add_argument("--out", type=Path, required=True)
    st_export.add_argument("--show-book", action="store_true")
    st_import = counting_sub.add_parser("import", help="read the filled-in count sheet; all of it or nothing")
    st_import.add_argument("number")
    st_import.add_argument("file", type=Path)

    importing = sub.add_parser("import", help="import data from Excel")
    import_sub = importing.add_subparsers(dest="dataset", metavar="DATA", required=True)
    import_parts_cmd = import_sub.add_parser("parts", help="create and update parts from a sheet")
    import_parts_cmd.add_argument("file", type=Path)

    export = sub.add_parser("export", help="export a list to Excel")
    export_sub = export.add_subparsers(dest="listing", metavar="LIST", required=True)
    register = export_sub.add_parser("complaints", help="客户投诉登记追踪表 with an optional filter")
    register.add_argument("--out", type=Path, required=True)
    register.add_argument("--status", action="append", choices=[s.value for s in Status],
                          help="only this status (repeatable)")
    register.add_argument("--from", dest="date_from", type=_date, help="received on or after YYYY-MM-DD")
    register.add_argument("--to", dest="date_to", type=_date, help="received on or before YYYY-MM-DD")

    reporting = sub.add_parser("report", help="write a report to a file")
    report_sub = reporting.add_subparsers(dest="report", metavar="REPORT", required=True)
    kpi_cmd = report_sub.add_parser("kpi", help="the monthly KPI report: .pdf to file, .xlsx with the records")
    kpi_cmd.add_argument("--month", required=True, type=_month, help="the month, e.g. 2026-10")
    kpi_cmd.add_argument("--out", type=Path, required=True, help="FILE.pdf or FILE.xlsx")
    kpi_cmd.add_argument("--engineer", metavar="USERNAME", help="only this service engineer's work")

    backup = sub.add_parser("backup", help="consistent backup of the SQLite database, also while the app runs")
    backup.add_argument("file", type=Path)
    restore = sub.add_parser("restore", help="replace the SQLite database with a checked backup")
    restore.add_argument("file", type=Path)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = with_overrides(load_settings(), db=args.db, lang=args.lang)
    except SettingsError as exc:
        return _fail(str(exc), EXIT_USAGE)

    if args.command is None:
        from desktop.app import run_gui  # Qt is loaded only for the GUI

        return run_gui(settings, self_test=args.self_test)

    from desktop.bootstrap import open_database, setup_logging

    setup_logging(verbose=args.verbose)
    try:
        db = open_database(settings)
    except (DatabaseUrlError, MigrationError, BackupError) as exc:
        return _fail(str(exc), EXIT_REFUSED)
    except Exception as exc:  # a server that is down, a file that cannot be opened
        return _fail(f"cannot open the database: {exc}", EXIT_REFUSED)
    try:
        return _run(args, db, settings)
    except (DomainError, BackupError) as exc:
        return _fail(getattr(exc, "message", str(exc)), EXIT_REFUSED)
    finally:
        db.dispose()


def _run(args, db, settings) -> int:
    from desktop.services import complaints, maintenance, users
    from desktop.services.complaint_list import ComplaintFilter, export_tracking_table
    from desktop.services.complaint_printing import print_complaint_form
    from desktop.services.demo import load_demo
    from desktop.services.paging import Sort
    from desktop.services import service_orders, stocktake, stocktake_sheets
    from desktop.services.part_import import import_parts
    from desktop.services.stock_printing import print_bin_labels, print_issue_slip

    actor = Actor(user_id=None, username=f"cli:{getpass.getuser()}"[:40], role=Role.SYSADMIN, is_system=True)
    if args.command == "demo":
        summary = load_demo(db, size=args.size, branch_code=settings.branch_code, progress=_print_progress)
        print(summary.describe())
    elif args.command == "db":
        print(f"database is at the newest schema ({db.url})")
    elif args.command == "user":
        if args.user_command == "add":
            row = users.add_user(
                db,
                actor,
                username=args.username,
                display_name=args.name,
                role=Role(args.role),
                password=args.password or _ask_password(),
            )
            print(f"added {row.username} ({row.role.value})")
        elif args.user_command == "passwd":
            users.set_password(db, actor, username=args.username, password=args.password or _ask_password())
            print(f"password set for {args.username}")
        else:
            users.disable_user(db, actor, username=args.username)
            print(f"disabled {args.username}")
    elif args.command == "print":
        font = settings.pdf_font or None
        if args.document == "complaint-form":
            record = complaints.find_complaint(db, actor, args.number)
            path = print_complaint_form(db, actor, complaint_id=record.id, target=args.out,
                                        branch_name=settings.branch_name, font=font)
            print(f"printed {record.number} to {path}")
        elif args.document == "issue-slip":
            path = print_issue_slip(db, actor, number=args.number, target=args.out, branch_name=settings.branch_name,
                                    page=args.page, font=font)
            print(f"printed {args.number.upper()} to {path}")
        elif args.document in ("slip", "signoff"):
            order = service_orders.find_order(db, actor, args.number)
            service_orders.print_slip(db, actor, order_id=order.id, target=args.out, branch_name=settings.branch_name,
                                      blank=args.document == "signoff", font=font)
            print(f"printed {order.number} to {args.out}")
        elif args.document == "bin-labels":
            count = print_bin_labels(db, actor, target=args.out, zone=args.zone, first=args.first, last=args.last,
                                     font=font)
            print(f"printed {count} bin labels to {args.out}")
        else:
            record = stocktake.find_stocktake(db, actor, args.number)
            if args.document == "count-sheet":
                stocktake_sheets.print_count_sheet(db, actor, stocktake_id=record.id, target=args.out, font=font,
                                                   branch_name=settings.branch_name, blind=not args.show_book)
            else:
                stocktake_sheets.print_variance_report(db, actor, stocktake_id=record.id, target=args.out, font=font,
                                                       branch_name=settings.branch_name)
            print(f"printed {record.number} to {args.out}")
    elif args.command == "stocktake":
        record = stocktake.find_stocktake(db, actor, args.number)
        if args.stocktake_command == "export":
            stocktake_sheets.export_count_sheet(db, actor, stocktake_id=record.id, target=args.out,
                                                blind=not args.show_book)
            print(f"exported the count sheet of {record.number} ({record.lines} lines) to {args.out}")
        else:
            report = stocktake_sheets.import_counts(db, actor, stocktake_id=record.id, path=args.file)
            for problem in report.problems:
                print(problem, file=sys.stderr)
            for note in report.added_up:
                print(note)
            if not report.ok:
                print(f"nothing imported: {len(report.problems)} problem(s)", file=sys.stderr)
                return EXIT_REFUSED
            print(f"imported {report.counted} counts from {report.rows} rows ({report.found} found, "
                  f"{report.blank} left blank)")
    elif args.command == "import":
        report = import_parts(db, actor, path=args.file)
        for problem in report.problems:
            print(problem, file=sys.stderr)
        if not report.ok:
            print(f"nothing imported: {len(report.problems)} problem(s) in {report.rows} rows", file=sys.stderr)
            return EXIT_REFUSED
        print(f"imported {report.rows} rows: {report.created} new parts, {report.updated} updated")
    elif args.command == "export":
        where = ComplaintFilter(statuses=tuple(Status(s) for s in args.status or ()), received_from=args.date_from,
                                received_to=args.date_to)
        result = export_tracking_table(db, actor, where=where, sort=Sort("received_at"), target=args.out)
        print(f"exported {result.rows} complaints to {result.path} (sha256 {result.sha256})")
    elif args.command == "report":
        return _report_kpi(args, db, settings, actor)
    elif args.command == "backup":
        target = maintenance.backup_database(db, actor, target=args.file)
        print(f"backup written and checked: {target}")
    elif args.command == "restore":
        safety = maintenance.restore_database(db, actor, source=args.file, safety_dir=data_dir() / "backups")
        print(f"restored from {args.file}" + (f"; the previous database was kept as {safety}" if safety else ""))
    return EXIT_OK


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-07-01") from None


def _month(text: str):
    from desktop.domain.kpi import month

    try:
        year, number = (int(part) for part in text.strip().split("-"))
        return month(year, number)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month like 2026-10") from None


def _report_kpi(args, db, settings, actor) -> int:
    from desktop.services.engineers import list_engineers
    from desktop.services.kpi_printing import kpi_report_file

    engineer_id = None
    if args.engineer:
        wanted = args.engineer.strip().lower()
        found = [e for e in list_engineers(db, actor, include_inactive=True) if e.username.lower() == wanted]
        if not found:
            return _fail(f"no service engineer with the user name {args.engineer!r}", EXIT_REFUSED)
        engineer_id = found[0].user_id
    # the workbook's words follow the interface language, as on screen (the PDF is Chinese anyway)
    with _speaking(settings.language if args.out.suffix.lower() == ".xlsx" else "en"):
        result = kpi_report_file(db, actor, period=args.month, target=args.out, branch_code=settings.branch_code,
                                 branch_name=settings.branch_name, engineer_id=engineer_id,
                                 font=settings.pdf_font or None)
    what = f"the KPI report of {args.month.label()}" + (f" for {args.engineer}" if args.engineer else "")
    if args.out.suffix.lower() == ".xlsx":
        print(f"exported {what} with {result.rows} records to {result.path} (sha256 {result.sha256})")
    else:
        print(f"printed {what} to {result.path}")
    return EXIT_OK


@contextmanager
def _speaking(language: str) -> Iterator[None]:
    """desktop.i18n texts in `language` for the duration, as the GUI shows them. The translator is asked
    directly: installing it would need a Qt application object, which the CLI does not make."""
    if language == "en":
        yield
        return
    from PySide6.QtCore import QTranslator

    from desktop import i18n
    from desktop.translations import qm_path

    translator = QTranslator()
    if not translator.load(str(qm_path(language))):
        yield
        return
    previous = i18n.install_hook(lambda context, text: translator.translate(context, text) or text)
    try:
        yield
    finally:
        i18n.install_hook(previous)


def _ask_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat: ") != first:
        raise DomainError("the two passwords differ")
    return first


def _print_progress(done: int, total: int, what: str) -> bool:
    print(f"\r{what}: {done:,}/{total:,}", end="\n" if done >= total else "", file=sys.stderr, flush=True)
    return True


def _fail(message: str, code: int) -> int:
    print(f"branchdesk: {message}", file=sys.stderr)
    return code
