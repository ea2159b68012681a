"""Amounts of money in Chinese capital numerals (大写金额), by the People's Bank rules for bills:

人民币 before the amount; 零壹贰叁肆伍陆柒捌玖 with 拾佰仟万亿 and 元角分; 整 after 元 when there is no 角 or 分,
never after 分; one 零 for each gap of zeros (元 followed by 零 when 角 is zero and 分 is not); 壹拾 for a
leading ten. Example: ￥107,000.53 → 人民币壹拾万零柒仟元伍角叁分.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")
BIG_UNITS = ("", "万", "亿")
LIMIT = Decimal("1000000000000")  # 万亿: no branch office writes such a slip


def to_cents(amount: Decimal | int | str) -> int:
    return int((Decimal(amount) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def amount_in_words(amount: Decimal | int | str) -> str:
    cents = to_cents(amount)
    if abs(cents) >= LIMIT * 100:
        raise ValueError(f"amount {amount} is too large to write in words")
    sign = "负" if cents < 0 else ""
    yuan, rest = divmod(abs(cents), 100)
    jiao, fen = divmod(rest, 10)
    words = _integer_words(yuan)
    if words:
        words += "元"
    if jiao == 0 and fen == 0:
        words = (words or "零元") + "整"
    elif jiao == 0:
        words += ("零" if words else "") + DIGITS[fen] + "分"
    else:
        words += DIGITS[jiao] + "角" + (DIGITS[fen] + "分" if fen else "")
    return f"人民币{sign}{words}"


def _integer_words(number: int) -> str:
    digits = str(number) if number else ""
    words, zero_pending = "", False
    for index, char in enumerate(digits):
        position = len(digits) - index - 1
        small, big = position % 4, position // 4
        if char == "0":
            zero_pending = bool(words)
        else:
            if zero_pending:
                words += "零"
            zero_pending = False
            words += DIGITS[int(char)] + SMALL_UNITS[small]
        if small == 0 and big > 0 and digits[max(0, index - 3) : index + 1].strip("0"):
            words += BIG_UNITS[big]
    return words


def format_yuan(amount: Decimal | int | str) -> str:
    """￥1,680.32 — the figures printed beside the words."""
    cents = to_cents(amount)
    return f"{'-' if cents < 0 else ''}￥{abs(cents) // 100:,}.{abs(cents) % 100:02d}"
