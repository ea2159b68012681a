"""The `branchdesk` commands, as an administrator types them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from desktop import __version__
from desktop.cli import main
from desktop.db.backup import check_database_file
from desktop.services.demo import DEMO_PASSWORD, DEMO_USERS


@pytest.fixture
def db_file(tmp_path):
    return tmp_path / "branch.sqlite3"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_version_from_the_real_command_line():
    result = subprocess.run([sys.executable, "-m", "desktop", "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and __version__ in result.stdout


def test_demo_then_log_in_as_every_listed_user(capsys, db_file):
    code, out, _ = run(capsys, "--db", db_file, "demo")
    assert code == 0 and "300 customers" in out
    from desktop.config import Settings
    from desktop.bootstrap import open_database
    from desktop.services import users

    db = open_database(Settings(db_url=str(db_file)))
    for username, _, role in DEMO_USERS:
        assert users.login(db, username=username, password=DEMO_PASSWORD).role is role
    db.dispose()
    code, _, err = run(capsys, "--db", db_file, "demo")
    assert code == 1 and "empty database" in err


def test_user_add_passwd_disable(capsys, db_file):
    assert run(capsys, "--db", db_file, "user", "add", "lina", "--role", "operator", "--name", "李娜",
               "--password", "Lina12345")[0] == 0
    code, _, err = run(capsys, "--db", db_file, "user", "add", "lina", "--role", "operator", "--name", "李娜",
                       "--password", "Lina12345")
    assert code == 1 and "taken" in err
    code, _, err = run(capsys, "--db", db_file, "user", "add", "weak", "--role", "operator", "--name", "弱",
                       "--password", "123")
    assert code == 1 and "password" in err
    assert run(capsys, "--db", db_file, "user", "passwd", "lina", "--password", "Other1234")[0] == 0
    assert run(capsys, "--db", db_file, "user", "disable", "lina")[0] == 0
    code, _, err = run(capsys, "--db", db_file, "user", "disable", "ghost")
    assert code == 1 and "ghost" in err


def test_backup_and_restore(capsys, db_file, tmp_path):
    run(capsys, "--db", db_file, "user", "add", "keep", "--role", "operator", "--name", "留", "--password", "Keep12345")
    backup = tmp_path / "b.sqlite3"
    code, out, _ = run(capsys, "--db", db_file, "backup", backup)
    assert code == 0 and "checked" in out and check_database_file(backup) is None
    run(capsys, "--db", db_file, "user", "add", "later", "--role", "operator", "--name", "后", "--password", "Later1234")
    code, out, _ = run(capsys, "--db", db_file, "restore", backup)
    assert code == 0 and "previous database was kept" in out
    code, _, err = run(capsys, "--db", db_file, "user", "disable", "later")
    assert code == 1 and "later" in err  # gone with the restore
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("not a database")
    code, _, err = run(capsys, "--db", db_file, "restore", junk)
    assert code == 1 and "refused" in err


def test_db_upgrade_and_bad_urls(capsys, db_file):
    code, out, _ = run(capsys, "--db", db_file, "db", "upgrade")
    assert code == 0 and "newest schema" in out
    code, _, err = run(capsys, "--db", "mysql://x/y", "db", "upgrade")
    assert code == 1 and "unsupported database" in err
    code, _, err = run(capsys, "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none", "db", "upgrade")
    assert code == 1 and "cannot open the database" in err


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["user", "add", "x"])
    assert exited.value.code == 2


def test_print_complaint_form_and_export_complaints(capsys, db_file, tmp_path):
    import openpyxl
    from pypdf import PdfReader

    assert run(capsys, "--db", db_file, "demo")[0] == 0
    code, out, _ = run(capsys, "--db", db_file, "export", "complaints", "--out", tmp_path / "all.xlsx",
                       "--status", "registered", "--status", "withdrawn", "--from", "2020-01-01")
    assert code == 0
    rows = list(openpyxl.load_workbook(tmp_path / "all.xlsx").active.iter_rows(values_only=True))
    assert f"exported {len(rows) - 1} complaints" in out and len(rows) > 2
    number = rows[1][0]
    code, out, _ = run(capsys, "--db", db_file, "print", "complaint-form", number, "--out", tmp_path / "f.pdf")
    assert code == 0 and number in PdfReader(tmp_path / "f.pdf").pages[0].extract_text()
    code, _, err = run(capsys, "--db", db_file, "print", "complaint-form", "TS-XX-000000-0000", "--out", tmp_path / "x.pdf")
    assert code == 1 and "TS-XX-000000-0000" in err and not (tmp_path / "x.pdf").exists()
    with pytest.raises(SystemExit):
        main(["--db", str(db_file), "export", "complaints", "--out", str(tmp_path / "y.xlsx"), "--from", "yesterday"])


def test_import_parts_and_print_warehouse_documents(capsys, db_file, tmp_path):
    from datetime import date
    from decimal import Decimal

    from openpyxl import Workbook
    from pypdf import PdfReader

    from desktop.bootstrap import open_database
    from desktop.config import Settings
    from desktop.db.uow import SYSTEM
    from desktop.services import parts, stock
    from desktop.services.stock import ReceiptLine

    book = Workbook()
    book.active.append(["编码", "名称", "单位", "订货点"])
    book.active.append(["FAN-1", "风扇电机", "个", "3"])
    book.active.append(["FAN-2", "风扇电机", "盒子", "x"])
    book.save(tmp_path / "bad.xlsx")
    code, _, err = run(capsys, "--db", db_file, "import", "parts", tmp_path / "bad.xlsx")
    assert code == 1 and "row 3, column C (单位)" in err and "row 3, column D (订货点)" in err and "nothing imported" in err
    book.active.delete_rows(3)
    book.save(tmp_path / "good.xlsx")
    code, out, _ = run(capsys, "--db", db_file, "import", "parts", tmp_path / "good.xlsx")
    assert code == 0 and "1 new parts" in out

    db = open_database(Settings(db_url=str(db_file)))
    parts.create_bins(db, SYSTEM, zone="A", shelves=range(1, 3), layers=range(1, 2), positions=range(1, 2))
    stock.receive(db, SYSTEM, branch_code="GZ01", supplier_document="S1", received_on=date(2026, 1, 1),
                  lines=[ReceiptLine("FAN-1", "A-01-1-01", Decimal(5))])
    slip = stock.issue(db, SYSTEM, branch_code="GZ01", lines=[(1, 2)], purpose="internal", reference="", receiver="张伟")
    db.dispose()
    code, out, _ = run(capsys, "--db", db_file, "print", "issue-slip", slip.number.lower(), "--out", tmp_path / "s.pdf")
    assert code == 0 and slip.number in PdfReader(tmp_path / "s.pdf").pages[0].extract_text()
    code, out, _ = run(capsys, "--db", db_file, "print", "bin-labels", "--zone", "A", "--out", tmp_path / "l.pdf")
    assert code == 0 and "printed 2 bin labels" in out
    code, _, err = run(capsys, "--db", db_file, "print", "bin-labels", "--zone", "Q", "--out", tmp_path / "q.pdf")
    assert code == 1 and "No bins" in err


def test_stocktake_sheets_from_the_command_line(capsys, db_file, tmp_path):
    from datetime import date
    from decimal import Decimal

    from openpyxl import load_workbook

    from desktop.bootstrap import open_database
    from desktop.config import Settings
    from desktop.db.uow import SYSTEM
    from desktop.services import parts, stock, stocktake
    from desktop.services.parts import PartInput
    from desktop.services.stock import ReceiptLine

    db = open_database(Settings(db_url=str(db_file)))
    parts.create_bins(db, SYSTEM, zone="A", shelves=range(1, 2), layers=range(1, 2), positions=range(1, 2))
    parts.create_part(db, SYSTEM, data=PartInput(code="CAP-1", name="电容", unit="个"))
    stock.receive(db, SYSTEM, branch_code="GZ01", supplier_document="S", received_on=date(2026, 1, 1),
                  lines=[ReceiptLine("CAP-1", "A-01-1-01", Decimal(3))])
    st = stocktake.plan_stocktake(db, SYSTEM, branch_code="GZ01")
    st = stocktake.start_counting(db, SYSTEM, stocktake_id=st.id, version=st.version)
    db.dispose()
    code, out, _ = run(capsys, "--db", db_file, "stocktake", "export", st.number, "--out", tmp_path / "c.xlsx")
    assert code == 0 and "1 lines" in out
    book = load_workbook(tmp_path / "c.xlsx")
    book.active["F5"] = "x"
    book.save(tmp_path / "c.xlsx")
    code, _, err = run(capsys, "--db", db_file, "stocktake", "import", st.number, tmp_path / "c.xlsx")
    assert code == 1 and "row 5, column F (实盘数量)" in err
    book.active["F5"] = 3
    book.save(tmp_path / "c.xlsx")
    code, out, _ = run(capsys, "--db", db_file, "stocktake", "import", st.number, tmp_path / "c.xlsx")
    assert code == 0 and "imported 1 counts" in out
    for document in ("count-sheet", "variance"):
        code, out, _ = run(capsys, "--db", db_file, "print", document, st.number, "--out", tmp_path / f"{document}.pdf")
        assert code == 0 and (tmp_path / f"{document}.pdf").stat().st_size > 1000


def test_report_kpi_as_pdf_and_workbook(capsys, db_file, tmp_path):
    from datetime import date

    import openpyxl
    from pypdf import PdfReader

    assert run(capsys, "--db", db_file, "demo")[0] == 0
    this_month = f"{date.today():%Y-%m}"
    code, out, _ = run(capsys, "--db", db_file, "report", "kpi", "--month", this_month, "--out", tmp_path / "kpi.pdf")
    assert code == 0 and f"KPI report of {this_month}" in out
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "kpi.pdf").pages)
    assert "售后服务月度考核指标报告" in text and f"{date.today().year}年{date.today().month}月" in text
    code, out, _ = run(capsys, "--db", db_file, "report", "kpi", "--month", this_month, "--engineer", "engineer",
                       "--out", tmp_path / "kpi.xlsx")
    assert code == 0 and "records" in out and "sha256" in out
    book = openpyxl.load_workbook(tmp_path / "kpi.xlsx")  # in the interface language: Chinese by default
    assert book.sheetnames[0] == "汇总" and len(book.sheetnames) > 20
    assert ("统计范围", "张伟") in [row[:2] for row in book["汇总"].iter_rows(values_only=True)]
    code, _, _ = run(capsys, "--db", db_file, "--lang", "en", "report", "kpi", "--month", this_month,
                     "--out", tmp_path / "kpi-en.xlsx")
    book = openpyxl.load_workbook(tmp_path / "kpi-en.xlsx")
    assert code == 0 and book.sheetnames[0] == "Summary"
    assert ("Scope", "whole branch") in [row[:2] for row in book["Summary"].iter_rows(values_only=True)]
    with pytest.raises(SystemExit) as exited:
        main(["--db", str(db_file), "report", "kpi", "--month", "2026-13", "--out", str(tmp_path / "x.pdf")])
    assert exited.value.code == 2 and "'2026-13' is not a month like 2026-10" in capsys.readouterr().err
    code, _, err = run(capsys, "--db", db_file, "report", "kpi", "--month", this_month, "--out", tmp_path / "x.csv")
    assert code == 1 and ".pdf or .xlsx" in err
    code, _, err = run(capsys, "--db", db_file, "report", "kpi", "--month", this_month, "--engineer", "ghost",
                       "--out", tmp_path / "x.pdf")
    assert code == 1 and "ghost" in err and not (tmp_path / "x.pdf").exists()
