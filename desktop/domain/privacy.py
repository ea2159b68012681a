"""Masking personal information in lists and printouts that do not need it (domain.md §10, PIPL)."""

from __future__ import annotations

import unicodedata


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧阳**; a company's name is not personal and stays whole."""
    name = name.strip()
    if len(name) <= 1:
        return name
    keep = 2 if len(name) >= 4 else 1
    return name[:keep] + "*" * (len(name) - keep)


def mask_phone(phone: str) -> str:
    """13812345678 → 138****5678; 020-87654321 → 020-****4321; short numbers keep only the last two."""
    phone = phone.strip()
    if len(phone) >= 11:
        return phone[:-8] + "****" + phone[-4:]
    if len(phone) >= 7:
        return "*" * (len(phone) - 4) + phone[-4:]
    return "*" * max(len(phone) - 2, 0) + phone[-2:]


def mask_id_number(number: str) -> str:
    """440106199001011234 → 440106********1234 (area code and last four only)."""
    number = number.strip()
    return number if len(number) < 10 else number[:6] + "*" * (len(number) - 10) + number[-4:]


def search_text(*parts: str) -> str:
    """One normalised string a search box matches against: NFKC (full-width Ａ１ → A1), lower case,
    spaces and dashes kept, so '138 1234' and 'kfr-35' still match what was typed."""
    return unicodedata.normalize("NFKC", " ".join(p for p in parts if p)).lower()


def normalize_query(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()
