"""The CJK font for PDFs: real font files, real PDFs read back with pypdf."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import reportlab
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from reports.fonts import FAMILIES, candidate_font_paths, register_cjk_font

SAMPLE = "客户意见处理表 售后服务单 张三 人民币壹佰元整"
INSTALLED = candidate_font_paths()
needs_cjk_font = pytest.mark.skipif(not INSTALLED, reason="no CJK TrueType font installed; install fonts-wqy-zenhei")


def draw(path: Path, font_name: str, text: str = SAMPLE) -> PdfReader:
    page = canvas.Canvas(str(path))
    page.setFont(font_name, 14)
    page.drawString(72, 720, text)
    page.save()
    return PdfReader(path)


def squeezed(text: str) -> str:
    # Text in several font subsets comes back with spaces or breaks where the subset changes.
    return "".join(text.split())


def page_fonts(reader: PdfReader) -> list[dict]:
    fonts = reader.pages[0]["/Resources"]["/Font"]
    return [fonts[key].get_object() for key in fonts]


@needs_cjk_font
def test_system_font_is_embedded_as_a_subset_and_text_reads_back(tmp_path):
    font = register_cjk_font(search_dirs=None)
    assert font.embedded and Path(font.source) == INSTALLED[0]

    reader = draw(tmp_path / "sample.pdf", font.name)

    assert squeezed(SAMPLE) in squeezed(reader.pages[0].extract_text())
    cjk = [f for f in page_fonts(reader) if f["/BaseFont"] != "/Helvetica"]  # canvas's initial font
    assert cjk
    for f in cjk:
        base_font = str(f["/BaseFont"])
        assert base_font[7] == "+" and base_font[1:7].isupper(), base_font  # /ABCDEF+Name: a subset
        assert "/FontFile2" in f["/FontDescriptor"], base_font


def test_without_any_font_falls_back_to_built_in_stsong_and_warns(tmp_path, caplog):
    empty = tmp_path / "fonts"
    empty.mkdir()

    with caplog.at_level(logging.WARNING, logger="reports.fonts"):
        font = register_cjk_font(str(tmp_path / "missing.ttf"), search_dirs=[empty])

    assert (font.name, font.source, font.embedded) == ("STSong-Light", "STSong-Light (built-in)", False)
    warnings = " ".join(r.getMessage() for r in caplog.records if r.name == "reports.fonts")
    assert "missing.ttf" in warnings and str(empty / "wqy-zenhei.ttc") in warnings
    assert "fonts-wqy-zenhei" in warnings and "settings" in warnings

    reader = draw(tmp_path / "fallback.pdf", font.name)
    assert "STSong-Light" in (tmp_path / "fallback.pdf").read_bytes().decode("latin-1")
    assert squeezed(SAMPLE) in squeezed(reader.pages[0].extract_text())


def test_a_font_without_chinese_is_refused(tmp_path, caplog):
    latin_only = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"

    font = register_cjk_font(str(latin_only), search_dirs=[tmp_path])

    assert font.name == "STSong-Light"
    assert "has no Chinese characters" in caplog.text


@needs_cjk_font
def test_setting_may_name_a_file_or_a_family(tmp_path):
    by_path = register_cjk_font(str(INSTALLED[0]), search_dirs=[tmp_path])
    assert (by_path.source, by_path.embedded) == (str(INSTALLED[0]), True)

    family = next(name for name, file in FAMILIES.items() if file == INSTALLED[0].name)
    by_family = register_cjk_font(family.upper())
    assert by_family.source == str(INSTALLED[0])
    assert squeezed(SAMPLE) in squeezed(draw(tmp_path / "family.pdf", by_family.name).pages[0].extract_text())


@needs_cjk_font
def test_wenquanyi_family_name_maps_to_its_file():
    wqy = [p for p in INSTALLED if p.name == "wqy-zenhei.ttc"]
    if not wqy:
        pytest.skip("WenQuanYi Zen Hei not installed; install fonts-wqy-zenhei")
    assert register_cjk_font("WenQuanYi Zen Hei").source == str(wqy[0])
    assert register_cjk_font("文泉驿正黑").source == str(wqy[0])


def test_repeated_calls_return_the_same_font(tmp_path):
    assert register_cjk_font(search_dirs=[tmp_path]) is register_cjk_font(search_dirs=(tmp_path,))
