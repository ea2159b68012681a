"""The customer opinion handling form, read back from the PDF."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from desktop.domain.complaints import Bearer, Channel, ComplaintClass, CostKind
from desktop.domain.customers import CustomerKind
from desktop.domain.roles import Role
from desktop.services import complaint_costs, customers
from desktop.services import complaints as svc
from desktop.services.audit import AuditFilter, read_audit_log
from desktop.services.complaint_printing import print_complaint_form
from desktop.services.complaints import ComplaintInput
from desktop.services.customers import CustomerInput
from reports.fonts import candidate_font_paths


@pytest.mark.skipif(not candidate_font_paths(), reason="no CJK TrueType font installed (Debian: fonts-wqy-zenhei)")
def test_form_shows_the_complaint_with_amount_in_words_on_one_page(sqlite_db, make_user, tmp_path):
    op = make_user(sqlite_db, Role.OPERATOR, "lina").actor()
    manager = make_user(sqlite_db, Role.MANAGER, "wang").actor()
    customer = customers.create_customer(sqlite_db, op, data=CustomerInput(kind=CustomerKind.INDIVIDUAL, name="张三丰",
                                                                           phone="13912345678"))
    c = svc.register_complaint(sqlite_db, op, branch_code="GZ01", data=ComplaintInput(
        customer_id=customer.id, channel=Channel.LETTER, description="室内机漏水<script>" * 3,
        customer_request="赔偿地板", classification=ComplaintClass.QUALITY, severity=3, safety_hazard=True))
    complaint_costs.add_cost(sqlite_db, manager, complaint_id=c.id, kind=CostKind.COMPENSATION, amount="1680.32",
                             bearer=Bearer.COMPANY, allocation_department="质检科")
    target = print_complaint_form(sqlite_db, manager, complaint_id=c.id, target=tmp_path / "form.pdf",
                                  branch_name="广州销售分公司")
    reader = PdfReader(target)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in ("客户意见处理表", "广州销售分公司", c.number, "张三丰", "139****5678", "信函", "产品质量问题",
                     "有安全隐患", "室内机漏水<script>", "赔偿费", "￥1,680.32", "人民币壹仟陆佰捌拾元叁角贰分",
                     "分公司经理", "年", "月", "日"):
        assert expected in text, expected
    assert "13912345678" not in text
    [entry] = read_audit_log(sqlite_db, make_user(sqlite_db, Role.SYSADMIN).actor(), where=AuditFilter(action="print"))
    assert entry.username == "wang" and c.number in entry.summary


def test_fallback_font_still_prints_chinese(tmp_path, caplog):
    from reportlab.pdfgen import canvas

    from reports.fonts import register_cjk_font

    font = register_cjk_font(str(tmp_path / "missing.ttf"), search_dirs=[tmp_path])
    assert (font.name, font.embedded) == ("STSong-Light", False)
    assert "fonts-wqy-zenhei" in caplog.text
    page = canvas.Canvas(str(tmp_path / "f.pdf"))
    page.setFont(font.name, 12)
    page.drawString(72, 720, "售后服务单")
    page.save()
    assert "STSong-Light" in (tmp_path / "f.pdf").read_bytes().decode("latin-1")
