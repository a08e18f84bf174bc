"""Chinese dates: the one date grammar of the tree, for ingest and search alike.

Dates come as 2023年3月17日, 2023 年 3 月 17 日 (PDF spacing), 二〇二三年三月十七日, full-width
digits (folded by :func:`analysis.text.normalize`), or ISO-like 2023-03-17 / 2023.3.17;
all become ISO ``YYYY-MM-DD``. The numerals are read by :func:`analysis.numerals.cn_to_int`.
A regulation's header (:mod:`ingest.segment.reg_header`) and a document's validity and
repeal clauses (:mod:`ingest.enrich.dates`) read their dates here, and so does the search
page a date typed into its date boxes (:func:`typed_date`: 2023年5月, 20230501).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from analysis.numerals import cn_to_int
from analysis.text import normalize

CN_NUM = "〇○零一二两三四五六七八九十"  # the numerals of years, months and days
NUM = rf"(?:\d{{1,4}}|[{CN_NUM}]{{1,4}})"
YEAR = rf"(?P<y>\d{{4}}|[{CN_NUM}]{{4}})"

# Year, month, day; each part may be Arabic or Chinese numerals with spaces around the
# unit characters (PDF extraction puts spaces between runs of digits and Han).
DATE = re.compile(rf"{YEAR}\s*年\s*(?P<m>{NUM})\s*月\s*(?P<d>{NUM})\s*[日号]")
ISO_LIKE = re.compile(r"(?<!\d)(?P<y>\d{4})\s*[-./]\s*(?P<m>\d{1,2})\s*[-./]\s*(?P<d>\d{1,2})(?!\d)")


# A date as typed into a date box: a year, a month or a day (2023, 2023-5, 2023年5月,
# 2023/05/01, 2023.5.1), or eight digits in a row (20230501).
TYPED = re.compile(
    r"^\s*(?P<y>\d{4})\s*(?:[-/.年]\s*(?P<m>\d{1,2})\s*(?:[-/.月]\s*(?P<d>\d{1,2})\s*日?|月)?)?\s*$"
    r"|^\s*(?P<y8>\d{4})(?P<m8>\d{2})(?P<d8>\d{2})\s*$"
)


def typed_date(text: str) -> tuple[str, str | None, str | None] | None:
    """Year, month and day (digits as typed, month and day None when not given) of a date
    typed into a date box (:data:`TYPED`); None when it is none. Whether it exists is for
    the caller to check."""
    match = TYPED.match(normalize(text))
    if match is None:
        return None
    if match["y8"]:
        return match["y8"], match["m8"], match["d8"]
    return match["y"], match["m"], match["d"]


class FoundDate(NamedTuple):
    iso: str
    start: int
    end: int


def iso_date(year: int | None, month: int | None, day: int | None) -> str | None:
    """``YYYY-MM-DD``; None when a part is missing or the day does not exist."""
    if year is None or month is None or day is None:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def match_iso(match: re.Match[str]) -> str | None:
    """The ISO date of a :data:`DATE` or :data:`ISO_LIKE` match."""
    return iso_date(cn_to_int(match["y"]), cn_to_int(match["m"]), cn_to_int(match["d"]))


def find_dates(text: str) -> list[FoundDate]:
    """Every full date (year, month and day) in ``text`` with its character span
    (``normalize`` keeps the length, so the spans are the text's own)."""
    norm = normalize(text)
    out: list[FoundDate] = []
    for regex in (DATE, ISO_LIKE):
        for m in regex.finditer(norm):
            iso = match_iso(m)
            if iso is not None:
                out.append(FoundDate(iso, m.start(), m.end()))
    out.sort(key=lambda f: f.start)
    return out
