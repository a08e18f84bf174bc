"""文号 (document numbers): parsing, normalising and mapping the issuer code to agencies.

A 文号 is ``<issuer code><year><serial>号``, e.g. 京人社能发〔2023〕3号. Sources write the
year bracket in many ways (〔〕 [] () （） 【】 ［］ or none) and with stray spaces, and PDF
extraction may break a number across lines; all variants normalise to
``京人社能发〔2023〕3号``. The issuer code maps to agencies through the
``docnum_prefixes`` of ``knowledge/data/agencies.json`` (longest prefix wins).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from analysis.text import HAN as _HAN
from knowledge.tables import Agency, default_agencies, default_region_codes

_OPEN = "〔[(（【［"
_CLOSE = "〕])）】］"
BRACKETS = _OPEN + _CLOSE  # every way sources bracket a 文号's year

# Issuer: a run of Han characters (spaces allowed inside: a PDF line break may split it),
# then the year, optionally bracketed (or after 发/字/函 written as a year: 京人社事业发2023年6号,
# not 自2023年6号起), then the serial and 号. The year must look like a year so that "第5号" or amounts are not taken
# for 文号.
_DOCNUM = re.compile(
    rf"(?P<issuer>[{_HAN}](?:[{_HAN}]|\s(?=\s*[{_HAN}])){{0,15}}?)\s*"
    rf"(?:[{re.escape(_OPEN)}]\s*(?P<year_b>(?:19[4-9]|20\d)\d)\s*[{re.escape(_CLOSE)}]"
    rf"|(?P<year>(?:19[4-9]|20\d)\d)(?:(?<=[发字函]\d{{4}})年)?)"
    r"\s*第?\s*(?P<serial>\d{1,5})\s*号"
)
_SPACE = re.compile(r"\s+")
# Issuer codes are short (京人社市场字 has 6 characters); a longer unknown run holds context.
_MAX_BARE_ISSUER = 8

# Left context that cannot be part of an issuer code when no known prefix tells where the
# code starts: function words that typically precede a cited 文号 in running text.
_LEFT_CONTEXT = re.compile(r"^.*(?:根据|依据|按照|参照|对照|详见|见|即|和|及|与|或|的|为|于|以|文件|印发|通知|规定)")


@dataclass(frozen=True)
class DocNumber:
    """A parsed 文号: issuer code, year, serial and the normalised form."""

    issuer: str
    year: int
    serial: int
    normal: str

    def __str__(self) -> str:
        return self.normal


def _make(issuer: str, year: int, serial: int) -> DocNumber:
    return DocNumber(issuer, year, serial, f"{issuer}〔{year}〕{serial}号")


class PrefixTable:
    """Issuer-code prefixes (京人社, 国办, ...) → agency names, longest prefix first."""

    def __init__(self, mapping: Mapping[str, Iterable[str]], regions: Iterable[str] = ()) -> None:
        self._map: dict[str, list[str]] = {k: list(v) for k, v in mapping.items()}
        self._by_length = sorted(self._map, key=len, reverse=True)
        self.regions = frozenset(regions)

    @classmethod
    def from_agencies(cls, agencies: Iterable[Agency], regions: Iterable[str] = ()) -> PrefixTable:
        mapping: dict[str, list[str]] = {}
        for agency in agencies:
            for prefix in agency.docnum_prefixes:
                mapping.setdefault(prefix, []).append(agency.name)
        return cls(mapping, regions)

    def longest_prefix(self, issuer: str) -> str | None:
        for prefix in self._by_length:
            if issuer.startswith(prefix):
                return prefix
        return None

    def agencies(self, issuer: str) -> list[str]:
        prefix = self.longest_prefix(issuer)
        return list(self._map[prefix]) if prefix is not None else []

    def start_of_issuer(self, run: str) -> int | None:
        """Where a known prefix starts in ``run`` (the leftmost plausible start).

        A known prefix right after a region code is the tail of another region's code
        (津人社厅发 contains 人社厅, 沪教委 contains 教), so it does not start the issuer.
        """
        best: int | None = None
        for prefix in self._by_length:
            pos = run.find(prefix)
            while pos >= 0 and (best is None or pos < best):
                if pos == 0 or run[pos - 1] not in self.regions:
                    best = pos
                    break
                pos = run.find(prefix, pos + 1)
        return best


@lru_cache(maxsize=1)
def default_prefix_table() -> PrefixTable:
    return PrefixTable.from_agencies(default_agencies(), default_region_codes())


def _clean_issuer(raw: str, table: PrefixTable) -> str:
    """Cut the issuer code out of the Han run that precedes the year."""
    run = raw.strip()
    compacted = _SPACE.sub("", run)
    start = table.start_of_issuer(compacted)
    if start is not None:
        return compacted[start:]
    # Unknown issuer: a space separates it from preceding words (a title line, say),
    # otherwise strip typical left context such as 根据/按照/的.
    if _SPACE.search(run):
        run = _SPACE.split(run)[-1]
    run = _LEFT_CONTEXT.sub("", run) or run
    if len(run) > _MAX_BARE_ISSUER:
        # Still a long run: local codes open with a region code, take the last one.
        cut = max((i for i, ch in enumerate(run) if ch in table.regions), default=0)
        run = run[cut:]
    return run


def _from_match(m: re.Match[str], table: PrefixTable) -> DocNumber | None:
    issuer = _clean_issuer(m.group("issuer"), table)
    if not issuer:
        return None
    year = int(m.group("year_b") or m.group("year"))
    serial = int(m.group("serial"))
    if serial == 0:
        return None
    return _make(issuer, year, serial)


def find_doc_numbers(text: str, table: PrefixTable | None = None) -> list[DocNumber]:
    """All 文号 in ``text``, in order of appearance (duplicates kept once)."""
    table = table or default_prefix_table()
    out: list[DocNumber] = []
    seen: set[str] = set()
    for m in _DOCNUM.finditer(text):
        number = _from_match(m, table)
        if number is not None and number.normal not in seen:
            seen.add(number.normal)
            out.append(number)
    return out


def _issuer_start(m: re.Match[str], issuer: str) -> int:
    """Start offset of the issuer code inside the match (its run may hold spaces)."""
    pos = m.end("issuer")
    remaining = len(issuer)
    while remaining and pos > m.start("issuer"):
        pos -= 1
        if not m.string[pos].isspace():
            remaining -= 1
    return pos


def find_doc_number_spans(text: str, table: PrefixTable | None = None) -> list[tuple[DocNumber, int, int]]:
    """Like :func:`find_doc_numbers`, with the character span of every occurrence."""
    table = table or default_prefix_table()
    out: list[tuple[DocNumber, int, int]] = []
    for m in _DOCNUM.finditer(text):
        number = _from_match(m, table)
        if number is not None:
            out.append((number, _issuer_start(m, number.issuer), m.end()))
    return out


def parse_doc_number(s: str, table: PrefixTable | None = None) -> DocNumber | None:
    """Parse a string that is (essentially) one 文号; None when it is not one."""
    text = s.strip().strip("()（）[]【】")
    m = _DOCNUM.search(text)
    if m is None:
        return None
    # Allow only insignificant leftovers around the number (a field label like 文号：).
    rest = (text[: m.start()] + text[m.end() :]).strip(" \t:：,，;；。")
    if rest and rest not in ("文号", "发文字号"):
        return None
    return _from_match(m, table or default_prefix_table())


# A typed 文号's year written as one (京人社能发2023年3号): the 年 after its four digits.
_YEAR_WORD = re.compile(r"(\d{4})年")
_NO_BRACKETS = str.maketrans({c: None for c in BRACKETS})


def bare_key(typed: str) -> str:
    """A 文号 or its prefix as a key that every way of writing it shares: no spaces, no
    brackets around the year, no 年 after it (京人社能发[2023]3, 京人社能发2023年3 and
    京人社能发〔2023〕3 → 京人社能发20233). Fold width and script first (analysis.text)."""
    return _YEAR_WORD.sub(r"\1", _SPACE.sub("", typed).translate(_NO_BRACKETS))


def issuer_agencies(issuer: str, table: PrefixTable | None = None) -> list[str]:
    """Canonical agencies behind an issuer code (京科资发 → 北京市科学技术委员会、…)."""
    return (table or default_prefix_table()).agencies(_SPACE.sub("", issuer))


# A typed 文号 prefix: the issuer code, then perhaps the year, bracketed or not (法释〔2025〕),
# and the serial without its 号 (京人社能发〔2023〕3).
_PREFIX = re.compile(
    rf"(?P<issuer>[{_HAN}]+)\s*(?:[{re.escape(_OPEN)}]?\s*(?P<year>\d{{4}})\s*[{re.escape(_CLOSE)}]?"
    r"\s*(?P<serial>\d{1,5})?)?"
)


def spellings(typed: str) -> list[str]:
    """The ways a text may write a typed 文号 or 文号 prefix: each bracket style around the
    year, and none (法释〔2025〕1号 → 法释[2025]1号, 法释(2025)1号, 法释20251号 …). A snippet
    marks the number as written, whatever the brackets the user typed."""
    number = parse_doc_number(typed)
    if number is not None:
        issuer, year, tail = number.issuer, str(number.year), f"{number.serial}号"
    elif m := _PREFIX.fullmatch(typed.strip()):
        issuer, year, tail = m["issuer"], m["year"], m["serial"] or ""
    else:
        return []
    if year is None:
        return [issuer]
    return [f"{issuer}{o}{year}{c}{tail}" for o, c in zip(_OPEN, _CLOSE, strict=True)] + [f"{issuer}{year}{tail}"]
