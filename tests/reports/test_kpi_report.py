"""The monthly KPI report as a PDF (read back with pypdf) and as a workbook (read back with openpyxl), over the
hand-built branch of tests/services/test_kpi.py whose October figures are known."""

from __future__ import annotations

from datetime import datetime

import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import update

from desktop.db.uow import SYSTEM
from desktop.domain.customers import Customer, CustomerKind
from desktop.domain.errors import PermissionDenied, ValidationError
from desktop.domain.kpi import month
from desktop.domain.roles import Role
from desktop.services.audit import AuditFilter, read_audit_log
from desktop.services.kpi import kpi_report
from desktop.services.kpi_printing import export_kpi_workbook, kpi_report_file, print_kpi_report
from reports.fonts import candidate_font_paths
from reports.kpi_labels import FIGURES, cn_value
from reports.kpi_workbook import sheet_names
from tests.services.test_kpi import AFTER_OCTOBER, OCTOBER, build_branch

needs_font = pytest.mark.skipif(not candidate_font_paths(), reason="no CJK TrueType font (Debian: fonts-wqy-zenhei)")
BRANCH = {"branch_code": "GZ01", "branch_name": "广州销售分公司"}


@pytest.fixture
def branch(sqlite_db, make_user):
    return sqlite_db, build_branch(sqlite_db, make_user)


@pytest.fixture
def any_branch(any_db, make_user):
    return any_db, build_branch(any_db, make_user)


def pdf_text(path) -> tuple[int, str]:
    reader = PdfReader(path)
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Extracted text breaks lines inside table cells: compare without white space."""
    return re.sub(r"\s+", "", text)


@needs_font
def test_the_pdf_shows_every_figure_with_its_formula_target_and_breakdowns(any_branch, tmp_path):
    db, ids = any_branch
    admin = ids.users.admin.actor()
    target = print_kpi_report(db, admin, period=OCTOBER, target=tmp_path / "kpi.pdf", now=AFTER_OCTOBER, **BRANCH)
    pages, text = pdf_text(target)
    assert pages >= 6
    body = flat(text)
    # The cover: branch, period, scope, who prepared it; every page numbered.
    for expected in ("广州销售分公司", "GZ01", "售后服务月度考核指标报告", "2026年10月", "全分公司",
                     "2026年10月1日至2026年10月31日", "2026-11-0100:00", f"{ids.users.admin.display_name}（kpi_admin）",
                     "未锁定（打印时实时计算）"):  # October closes on 6 November
        assert expected in body, expected
    for n in range(1, pages + 1):
        assert f"第{n}页共{pages}页" in body
    # Every figure by its Chinese name with its value; ratios with numerator and denominator as numbers.
    report = kpi_report(db, admin, period=OCTOBER, now=AFTER_OCTOBER)
    for figure in report.figures:
        assert FIGURES[figure.key] in body, figure.key
        assert flat(cn_value(figure.value, figure.unit)) in body, figure.key
    for calculation in ("3÷5×100%=60.00%", "18÷5=3.60分", "4÷6×100%=66.67%", "7÷5×100%=140.00%",
                        "2÷3×100%=66.67%", "3÷5×100%=60.00%", "4÷5×100%=80.00%", "30÷5=6.00小时",
                        "6÷8×100%=75.00%"):
        assert calculation in body, calculation
    # Targets and whether they were met; the formulas in the report's words.
    assert "≤2.00小时" in body and "≥95.00%" in body and body.count("未达标") >= 2
    assert "本期完成的回访中评分达到4分及以上的回访数÷本期完成并评分的回访数×100%" in body
    # The breakdowns in Chinese: categories, classes, models, parts, bearers, departments, ageing.
    for expected in ("一般故障排查", "紧急故障维修", "产品质量问题", "非质量原因", "KFR-35", "（无型号）",
                     "P-001压缩机", "850.50", "计入制造成本", "生产部", "1,200.25", "（未分摊）", "30天以上",
                     "未结投诉账龄", "未完工服务单账龄", "近12个月趋势"):
        assert expected in body, expected
    [entry] = read_audit_log(db, SYSTEM, where=AuditFilter(action="print", entity="kpi"))
    assert entry.username == "kpi_admin" and "2026-10" in entry.summary


@needs_font
def test_an_empty_month_prints_dashes_not_zero_percent(branch, tmp_path):
    db, ids = branch
    target = print_kpi_report(db, ids.users.admin.actor(), period=month(2026, 3), target=tmp_path / "march.pdf",
                              now=AFTER_OCTOBER, **BRANCH)
    _, text = pdf_text(target)
    body = flat(text)
    assert "2026年3月" in body
    assert "0.00%" not in body  # no ratio shows as 0 %
    assert "0÷0：分母为0，无法计算，记为“—”" in body
    assert "本期分母为0" in body and body.count("—") >= 12
    assert "本期无数据" in body


@needs_font
def test_an_engineers_report_names_the_engineer_and_when_the_closed_month_was_locked(branch, tmp_path):
    db, ids = branch
    closed = datetime(2026, 11, 20, 9, 0).astimezone()
    target = print_kpi_report(db, ids.users.admin.actor(), period=OCTOBER, engineer_id=ids.users.e1.id,
                              target=tmp_path / "e1.pdf", now=closed, **BRANCH)
    _, text = pdf_text(target)
    assert f"工程师：{ids.users.e1.display_name}" in flat(text)
    assert "全分公司" not in flat(text)
    frozen_at = kpi_report(db, ids.users.admin.actor(), period=OCTOBER, engineer_id=ids.users.e1.id,
                           now=closed).frozen_at.astimezone()
    assert f"{frozen_at:%Y-%m-%d%H:%M}月度结账锁定（此后补录不改变本期指标）" in flat(text)


def test_the_workbook_has_a_summary_and_the_records_behind_each_figure(any_branch, tmp_path):
    db, ids = any_branch
    admin = ids.users.admin.actor()
    with db.uow(SYSTEM) as uow:  # a name a spreadsheet would run as a formula
        uow.session.execute(update(Customer).where(Customer.name == "客户1")
                            .values(name="=HYPERLINK(\"http://x\")", kind=CustomerKind.COMPANY.value))
        uow.commit()
    result = export_kpi_workbook(db, admin, period=OCTOBER, target=tmp_path / "kpi.xlsx", now=AFTER_OCTOBER, **BRANCH)
    book = load_workbook(result.path)
    report = kpi_report(db, admin, period=OCTOBER, now=AFTER_OCTOBER)
    names = book.sheetnames
    assert names[0] == "Summary" and len(names) == 1 + len(report.figures) + len(report.breakdowns)
    assert len(set(n.lower() for n in names)) == len(names) and all(len(n) <= 31 for n in names)

    summary = list(book["Summary"].iter_rows(values_only=True))
    by_title = {row[0]: row for row in summary if row and row[0]}
    satisfaction = by_title["Customer satisfaction"]
    assert satisfaction[1:5] == (60, "%", 3, 5) and "× 100%" in satisfaction[7]
    assert by_title["Figures stored"][1] == "no: computed when exported (the month is not closed)"
    fix = by_title["Fix rate"]
    assert fix[1] == 75 and fix[5] == "≥ 95 %" and fix[6] == "not met"
    assert by_title["Average response time"][5:7] == ("≤ 2 hours", "not met")

    # A ratio's sheet: its denominator's records, the numerator's marked.
    sheet = list(book[satisfaction[8]].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(sheet) if row and row[0] == "In numerator")
    records = [row for row in sheet[header + 1:] if row and row[0]]
    assert len(records) == 5 and sum(row[0] == "yes" for row in records) == 3
    # A breakdown's sheet: each row's records under its label.
    parts = list(book[by_title["Top parts by value"][8]].iter_rows(values_only=True))
    groups = [row[0] for row in parts if row and row[0] and row[0].startswith("P-00")]
    assert groups[0].startswith("P-001") and {g[:5] for g in groups} == {"P-001", "P-002", "P-003"}
    # Formula-like text stays text.
    complaints = book[by_title["Complaints received"][8]]
    cells = [c for row in complaints.iter_rows() for c in row if c.value == "=HYPERLINK(\"http://x\")"]
    assert cells and all(c.data_type == "s" for c in cells)

    [entry] = read_audit_log(db, SYSTEM, where=AuditFilter(action="export", entity="kpi"))
    assert entry.after["rows"] == result.rows and entry.after["sha256"] == result.sha256
    assert entry.after["filter"] == "period=2026-10"


def test_an_empty_month_workbook_says_dash(branch, tmp_path):
    db, ids = branch
    result = kpi_report_file(db, ids.users.admin.actor(), period=month(2026, 3), target=tmp_path / "march.xlsx",
                             now=AFTER_OCTOBER, **BRANCH)
    summary = {row[0]: row for row in load_workbook(result.path)["Summary"].iter_rows(values_only=True) if row}
    assert summary["Customer satisfaction"][1] == "—" and summary["Customer satisfaction"][4] == 0
    assert summary["Complaints received"][1] == 0


def test_cancelling_the_workbook_leaves_no_file(branch, tmp_path):
    db, ids = branch
    result = export_kpi_workbook(db, ids.users.admin.actor(), period=OCTOBER, target=tmp_path / "kpi.xlsx",
                                 now=AFTER_OCTOBER, progress=lambda done, total, what: done < 3, **BRANCH)
    assert result.path is None and not list(tmp_path.glob("kpi.xlsx*"))


def test_who_may_print_and_export(branch, make_user, tmp_path):
    db, ids = branch
    for role in (Role.OPERATOR, Role.ENGINEER, Role.WAREHOUSE):
        actor = make_user(db, role).actor()
        with pytest.raises(PermissionDenied):
            print_kpi_report(db, actor, period=OCTOBER, target=tmp_path / "x.pdf", **BRANCH)
        with pytest.raises(PermissionDenied):
            export_kpi_workbook(db, actor, period=OCTOBER, target=tmp_path / "x.xlsx", **BRANCH)
    with pytest.raises(ValidationError):
        kpi_report_file(db, ids.users.admin.actor(), period=OCTOBER, target=tmp_path / "x.csv", **BRANCH)
    assert not list(tmp_path.glob("x.*"))


def test_sheet_names_are_short_unique_and_legal():
    names = sheet_names(["Consultation response time (median)", "Consultation response time (90th percentile)",
                         "a/b:c*d?[e]", "summary", "Summary"], reserved=["Summary"])
    assert all(len(n) <= 31 for n in names)
    assert len({n.lower() for n in names + ["Summary"]}) == 6
    assert names[2] == "a_b_c_d__e_" and names[0] != names[1]
