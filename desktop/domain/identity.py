"""Check digits of Chinese identity numbers, validated at entry (domain.md §11).

- 居民身份证号码 (GB 11643): 17 digits and a check character from ISO 7064 MOD 11-2.
- 统一社会信用代码 (GB 32100): 17 characters and a check character from a MOD 31 code.
"""

from __future__ import annotations

import re
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def id_card_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def id_card_problem(number: str) -> str | None:
    """None when `number` is a well-formed 18-digit ID card number, else what is wrong (in English)."""
    number = number.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return "must be 17 digits followed by a digit or X"
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "the birth date in it does not exist"
    if id_card_check_char(number[:17]) != number[17]:
        return "the check digit does not match"
    return None


def credit_code_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    code = code.strip().upper()
    if len(code) != 18 or any(c not in _USCC_CHARS for c in code):
        return f"must be 18 characters of {_USCC_CHARS} (no I, O, S, V, Z)"
    if credit_code_check_char(code[:17]) != code[17]:
        return "the check character does not match"
    return None
