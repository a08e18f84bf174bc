"""Chinese numerals as used in legal and policy numbering (第一百二十三条, 二〇二三年).

Two notations occur: positional-with-units (一百二十三, 十, 二十, 一千零五) for article,
chapter and item numbers, and digit-by-digit (二〇二三) for years. Both are parsed here;
full-width ASCII digits (１２３) are accepted too because PDF and web extractions mix them.
"""

from __future__ import annotations

import re
from functools import lru_cache

DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "Ｏ": 0, "O": 0,
    "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
    "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS: dict[str, int] = {"万": 10_000, "亿": 100_000_000}

# Character class matching one Chinese numeral character (digits and units), for regexes.
CN_NUMERAL_CHARS = "零〇○一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟"
CN_NUMERAL = f"[{CN_NUMERAL_CHARS}]+"

# Full-width digits and the ideographic zero map to ASCII so that int() and regexes see one form.
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

_ASCII_NUMBER = re.compile(r"[0-9]+")


@lru_cache(maxsize=8192)  # article / item numbers repeat across documents
def cn_to_int(text: str) -> int | None:
    """Parse a Chinese (or ASCII / full-width) number; None when ``text`` is not one.

    >>> cn_to_int("一百二十三"), cn_to_int("十"), cn_to_int("二十"), cn_to_int("一千零五")
    (123, 10, 20, 1005)
    >>> cn_to_int("二〇二三"), cn_to_int("１２")
    (2023, 12)
    """
    if not text:
        return None
    text = text.translate(FULLWIDTH_DIGITS)
    if _ASCII_NUMBER.fullmatch(text):
        return int(text)
    if any(ch not in DIGITS and ch not in UNITS and ch not in BIG_UNITS for ch in text):
        return None
    if not any(ch in UNITS or ch in BIG_UNITS for ch in text):
        # Digit-by-digit notation, as in years: 二〇二三 -> 2023.
        value = 0
        for ch in text:
            value = value * 10 + DIGITS[ch]
        return value
    return _positional(text)


def _positional(text: str) -> int | None:
    """Units notation: 一百二十三, 十五 (a leading 十 means 一十), 三万零五."""
    total = 0  # completed 万 / 亿 groups
    group = 0  # the current group below 万
    digit: int | None = None  # a digit waiting for its unit
    for ch in text:
        if ch in DIGITS:
            if digit is not None and digit != 0:
                return None  # two digits in a row ("一二") is not positional notation
            digit = DIGITS[ch]
        elif ch in UNITS:
            group += (1 if digit is None else digit) * UNITS[ch]
            digit = None
        else:  # 万 / 亿 close the group
            group += digit or 0
            total = (total + group) * BIG_UNITS[ch]
            group, digit = 0, None
    return total + group + (digit or 0)


def int_to_cn(value: int) -> str:
    """Format 1..99,999,999 as articles and amounts are written: 10 -> 十, 21 -> 二十一,
    105 -> 一百零五, 50000 -> 五万, 120500 -> 十二万零五百."""
    if not 0 < value < 100_000_000:
        raise ValueError(f"out of range: {value}")
    high, low = divmod(value, 10_000)
    if not high:
        return _below_10k(low)
    rest = "" if not low else ("零" if low < 1000 else "") + _below_10k(low, leading=False)
    return _below_10k(high) + "万" + rest


def _below_10k(value: int, *, leading: bool = True) -> str:
    """1..9999; ``leading``: the number starts here, so 1x is 十x (not 一十x, which a
    group after 万 keeps: 十万零一十五 is wrong, 一十五 after 零 is how it is written)."""
    names = "零一二三四五六七八九"
    out: list[str] = []
    pending_zero = False
    for unit, label in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = value // unit % 10
        if digit == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        if not (unit == 10 and digit == 1 and not out and leading):  # 十一, not 一十一
            out.append(names[digit])
        out.append(label)
    return "".join(out)
