"""The issue slip and bin labels, read back from the PDFs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from desktop.domain.roles import Role
from desktop.services import parts, stock
from desktop.services.parts import PartInput
from desktop.services.stock import ReceiptLine
from desktop.services.stock_printing import print_bin_labels, print_issue_slip
from reports.fonts import candidate_font_paths

pytestmark = pytest.mark.skipif(not candidate_font_paths(), reason="no CJK TrueType font (Debian: fonts-wqy-zenhei)")


def test_issue_slip_lists_bins_in_walking_order(sqlite_db, make_user, tmp_path):
    keeper = make_user(sqlite_db, Role.WAREHOUSE, "zhao").actor()
    parts.create_bins(sqlite_db, keeper, zone="A", shelves=range(1, 4), layers=range(1, 3), positions=range(1, 3))
    part = parts.create_part(sqlite_db, keeper, data=PartInput(code="AC-CAP-35UF", name="启动电容", model="CBB65",
                                                               unit="个"))
    for bin_code, day in (("A-03-1-01", date(2026, 1, 1)), ("A-01-2-02", date(2026, 1, 2))):
        stock.receive(sqlite_db, keeper, branch_code="GZ01", supplier_document="GYS-1", received_on=day,
                      lines=[ReceiptLine("AC-CAP-35UF", bin_code, Decimal(2))])
    slip = stock.issue(sqlite_db, keeper, branch_code="GZ01", lines=[(part.id, 3)], purpose="service_order",
                       reference="FW-GZ01-202611-0007", receiver="张伟")
    path = print_issue_slip(sqlite_db, keeper, number=slip.number, target=tmp_path / "slip.pdf", branch_name="广州销售分公司")
    text = PdfReader(path).pages[0].extract_text()
    assert "配件出库单" in text and slip.number in text and "张伟" in text and "FW-GZ01-202611-0007" in text
    assert text.index("A-01-2-02") < text.index("A-03-1-01")  # shelf 1 before shelf 3
    assert "库管员" in text and "领用人" in text


def test_bin_labels_for_a_zone(sqlite_db, make_user, tmp_path):
    keeper = make_user(sqlite_db, Role.WAREHOUSE).actor()
    parts.create_bins(sqlite_db, keeper, zone="A", shelves=range(1, 6), layers=range(1, 4), positions=range(1, 3))
    parts.create_bins(sqlite_db, keeper, zone="B", shelves=range(1, 2), layers=range(1, 2), positions=range(1, 2))
    assert print_bin_labels(sqlite_db, keeper, zone="A", target=tmp_path / "a.pdf") == 30
    reader = PdfReader(tmp_path / "a.pdf")
    assert len(reader.pages) == 2  # 24 labels a sheet
    first = reader.pages[0].extract_text()
    assert "A-01-1-01" in first and "B-01-1-01" not in first
