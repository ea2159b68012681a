"""The CJK font that printed forms use: a TrueType file embedded as a subset, or a built-in fallback.

Order: the font named in settings (a .ttf/.ttc path, a bare file name or a family name), then a font
shipped in desktop/resources/fonts/, then the usual system fonts (YaHei, SimSun, SimHei on Windows;
WenQuanYi Zen Hei, Droid Sans Fallback on Linux). When none loads, ReportLab's STSong-Light CID font
is used: it is not embedded, so how it looks depends on the PDF viewer, hence the warning.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger("reports.fonts")

FALLBACK = "STSong-Light"
BUNDLED_DIR = Path(__file__).resolve().parent.parent / "desktop" / "resources" / "fonts"
FONT_SUFFIXES = (".ttf", ".ttc")

# In order of preference. Noto Sans CJK / Source Han are missing on purpose: they have PostScript (CFF)
# outlines, which ReportLab cannot embed.
KNOWN_FILES = ("msyh.ttc", "simsun.ttc", "simhei.ttf", "wqy-zenhei.ttc",
               "DroidSansFallbackFull.ttf", "DroidSansFallback.ttf")

FAMILIES = {
    "microsoft yahei": "msyh.ttc", "微软雅黑": "msyh.ttc",
    "simsun": "simsun.ttc", "宋体": "simsun.ttc",
    "simhei": "simhei.ttf", "黑体": "simhei.ttf",
    "wenquanyi zen hei": "wqy-zenhei.ttc", "文泉驿正黑": "wqy-zenhei.ttc",
    "droid sans fallback": "DroidSansFallbackFull.ttf",
}

PROBE_CHAR = ord("中")  # a font without it would print every Chinese character as a box


@dataclass(frozen=True)
class PdfFont:
    name: str  # registered ReportLab font name
    source: str  # file path or "STSong-Light (built-in)"
    embedded: bool


def system_font_dirs() -> list[Path]:
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        dirs = [windir / "Fonts"]
        if local := os.environ.get("LOCALAPPDATA"):
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")  # fonts installed "for me only"
        return dirs
    return [Path(p) for p in (
        "/usr/share/fonts/truetype/wqy",  # Debian, Ubuntu: fonts-wqy-zenhei
        "/usr/share/fonts/wqy-zenhei",  # Fedora
        "/usr/share/fonts/wenquanyi/wqy-zenhei",  # Arch
        "/usr/share/fonts/truetype/droid",  # Debian, Ubuntu: fonts-droid-fallback
        "/usr/share/fonts/google-droid-sans-fonts",  # Fedora
    )]


def searched_paths(search_dirs: Sequence[Path] | None = None) -> list[Path]:
    """Every file the automatic search tries, in order, whether it exists or not.

    `search_dirs` replaces the default places (bundled and system fonts) entirely.
    """
    if search_dirs is None:
        bundled = sorted(p for p in BUNDLED_DIR.glob("*") if p.suffix.lower() in FONT_SUFFIXES)
        dirs = system_font_dirs()
    else:
        bundled, dirs = [], [Path(d) for d in search_dirs]
    return [*bundled, *(d / name for name in KNOWN_FILES for d in dirs)]


def candidate_font_paths(search_dirs: Sequence[Path] | None = None) -> list[Path]:
    """The font files the automatic search finds on this computer, best first; empty when there are none."""
    return [p for p in searched_paths(search_dirs) if p.is_file()]


def register_cjk_font(preferred: str | None = None, *, search_dirs: Sequence[Path] | None = None) -> PdfFont:
    """Register the font for Chinese text with ReportLab and return it; repeated calls are free."""
    return _register(preferred or None, None if search_dirs is None else tuple(Path(d) for d in search_dirs))


@functools.cache
def _register(preferred: str | None, search_dirs: tuple[Path, ...] | None) -> PdfFont:
    problems: list[str] = []
    if preferred:
        for path in _preferred_paths(preferred, search_dirs):
            if font := _try_truetype(path, problems):
                return font
        log.warning("PDF font setting %r could not be used (%s); searching the usual fonts instead",
                    preferred, "; ".join(problems) or "no such font file")
        problems.clear()  # said once is enough
    for path in candidate_font_paths(search_dirs):
        if font := _try_truetype(path, problems):
            return font
    log.warning(
        "No CJK TrueType font found, PDFs use the built-in %s, which is not embedded and may look "
        "different or not show on computers without Adobe's Asian font pack. Tried: %s%s. To fix: "
        "install fonts-wqy-zenhei (Debian/Ubuntu) or set the PDF font in settings to a .ttf/.ttc file.",
        FALLBACK, ", ".join(str(p) for p in searched_paths(search_dirs)) or "(nothing)",
        "; problems: " + "; ".join(problems) if problems else "",
    )
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
    _register_family(FALLBACK)
    return PdfFont(FALLBACK, f"{FALLBACK} (built-in)", embedded=False)


def _preferred_paths(preferred: str, search_dirs: tuple[Path, ...] | None) -> list[Path]:
    path = Path(preferred).expanduser()
    if path.is_absolute() or len(path.parts) > 1:
        return [path]
    name = FAMILIES.get(preferred.strip().lower(), preferred)
    if Path(name).suffix.lower() not in FONT_SUFFIXES:
        return []  # an unknown family name: the warning says it could not be used
    dirs = [BUNDLED_DIR, *system_font_dirs()] if search_dirs is None else list(search_dirs)
    return [p for p in (path, *(d / name for d in dirs)) if p.is_file()]


def _try_truetype(path: Path, problems: list[str]) -> PdfFont | None:
    name = f"CJK-{path.stem}"
    try:
        font = TTFont(name, str(path), subfontIndex=0)
    except Exception as exc:  # noqa: BLE001 — a broken or CFF font fails in many ways; all mean "try the next"
        problems.append(f"{path}: {exc}")
        return None
    if PROBE_CHAR not in font.face.charToGlyph:
        problems.append(f"{path}: has no Chinese characters")
        return None
    pdfmetrics.registerFont(font)
    _register_family(name)
    log.info("PDF font: %s", path)
    return PdfFont(name, str(path), embedded=True)


def _register_family(name: str) -> None:
    # CJK faces have no bold or italic file: <b> in a Paragraph maps to the same face instead of failing.
    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
