"""Chinese dates, a document's validity period and the documents it repeals.

Full dates are read with the grammar of :mod:`analysis.dates` and become ISO
``YYYY-MM-DD``; here, dates a validity clause ends on (a month, a year's end). Validity
("执行年限至2030年12月31日", "有效期3年") and repeal clauses ("《…》（京人社能发〔2019〕125号）
同时废止") are read with the vocabulary of ``knowledge/data/doc_lifecycle.json``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

from analysis.dates import CN_NUM, NUM, YEAR, find_dates, iso_date
from analysis.numerals import cn_to_int
from analysis.text import normalize
from knowledge.docnum import DocNumber, PrefixTable, find_doc_number_spans
from knowledge.tables import Lifecycle, default_lifecycle

_MONTH_DAY = re.compile(rf"^\s*(?P<m>{NUM})\s*月\s*(?P<d>{NUM})\s*[日号]\s*$")
# End dates of a validity period may be a month or a year: 至2025年6月, 至2025年底.
_END = re.compile(rf"\s*{YEAR}\s*年\s*(?:(?P<m>{NUM})\s*月\s*(?:(?P<d>{NUM})\s*[日号])?|(?P<eoy>底|末))?")
_SENTENCE = re.compile(r"[^。；;！!？?\n]+")
_CLAUSE_CUT = re.compile(r"[，,：:]")  # clauses of a sentence (:func:`_of_itself`)
_DURATION = re.compile(rf"\s*[为:：]?\s*(?P<n>\d{{1,3}}|[{CN_NUM}]{{1,3}})\s*(?P<unit>年|个月|个自然年)")
_START = re.compile(r"自(?P<what>[^，。；,;]{1,30}?)起")
_CITED = re.compile(r"自(?:印发|发布|公布|颁布|下发)之日")


def parse_date(s: str, default_year: int | None = None) -> str | None:
    """A string that is one date → ISO; ``3月17日`` needs ``default_year``."""
    norm = normalize(s).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", norm):
        return iso_date(int(norm[:4]), int(norm[5:7]), int(norm[8:]))
    found = find_dates(norm)
    if found and found[0].start == 0 and found[0].end >= len(norm.rstrip("。，, ")):
        return found[0].iso
    m = _MONTH_DAY.match(norm)
    if m and default_year is not None:
        return iso_date(default_year, cn_to_int(m["m"]), cn_to_int(m["d"]))
    return None


def _end_date(m: re.Match[str]) -> str | None:
    """ISO end of a period: a day as given, a month's or a year's last day."""
    year = cn_to_int(m["y"])
    if year is None:
        return None
    if m["m"] is None:
        return iso_date(year, 12, 31)
    month = cn_to_int(m["m"])
    if month is None or not 1 <= month <= 12:
        return None
    if m["d"] is None:
        return iso_date(year, month, calendar.monthrange(year, month)[1])
    return iso_date(year, month, cn_to_int(m["d"]))


def _add_period(start: str, n: int, unit: str) -> str | None:
    """Last day of a period of ``n`` years/months beginning on ``start`` (inclusive)."""
    begin = dt.date.fromisoformat(start)
    months = n * 12 if unit.endswith("年") else n
    total = begin.month - 1 + months
    year, month = begin.year + total // 12, total % 12 + 1
    day = min(begin.day, calendar.monthrange(year, month)[1])
    try:
        return (dt.date(year, month, day) - dt.timedelta(days=1)).isoformat()
    except ValueError:
        return None


def _self_refs(lifecycle: Lifecycle) -> re.Pattern[str]:
    types = sorted(lifecycle.doc_types, key=len, reverse=True)
    return re.compile("本(?:" + "|".join(map(re.escape, types)) + ")")


def _markers(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


def _sentences(text: str) -> list[str]:
    return [m.group() for m in _SENTENCE.finditer(text)]


def find_valid_until(text: str, issue_date: str | None = None, lifecycle: Lifecycle | None = None) -> str | None:
    """The end of the document's validity stated in ``text`` (ISO), if any.

    The statement must be about the document itself: its sentence names it (本办法,
    本通知, ...) or opens with the marker, so 有效期5年的签证 in a clause about visas is
    not taken for the policy's own validity. A duration counts from the date in
    自…起 of the same sentence, else from ``issue_date``.
    """
    lifecycle = lifecycle or default_lifecycle()
    self_ref = _self_refs(lifecycle)
    until = _markers(lifecycle.validity_until)
    period = _markers(lifecycle.validity_period)
    for sentence in _sentences(normalize(text)):
        body = re.sub(r"^\s*第[一二三四五六七八九十百零〇\d]+条\s*", "", sentence)
        for m in until.finditer(body):
            if not _of_itself(body, m.start(), self_ref):
                continue
            end = _END.match(body, m.end())
            if end is not None and (iso := _end_date(end)) is not None:
                return iso
        for m in period.finditer(body):
            if not _of_itself(body, m.start(), self_ref):
                continue
            duration = _DURATION.match(body, m.end())
            if duration is None:
                continue
            n = cn_to_int(duration["n"])
            start = _start_date(body, issue_date)
            if n and start is not None:
                return _add_period(start, n, duration["unit"])
    return None


def _of_itself(sentence: str, at: int, self_ref: re.Pattern[str]) -> bool:
    """Whether the validity marker at ``at`` is said of the document: it opens the
    sentence (有效期至…), follows the document's name (本办法有效期…, 本办法的有效期…), or
    opens a clause after a sentence that names it (本办法自…起施行，有效期5年). Not a
    licence's term in a sentence that cites the document elsewhere (护士执业注册有效期为5年;
    延续执业注册有效期为5年 after 具备本条例规定条件的; 机动车驾驶证的有效期为6年，本条例另有规定的除外)."""
    before = sentence[:at]
    lead = _CLAUSE_CUT.split(before)[-1].strip()
    if not lead:
        return at == 0 or self_ref.search(before) is not None
    return re.fullmatch(f"(?:{self_ref.pattern})的?", lead) is not None


def _start_date(sentence: str, issue_date: str | None) -> str | None:
    m = _START.search(sentence)
    if m is not None and not _CITED.search(m.group()):
        found = find_dates(m["what"])
        if found:
            return found[0].iso
    return issue_date


# --- repeals ------------------------------------------------------------------------------


def _titles(text: str) -> list[tuple[str, int, int]]:
    """Top-level 《…》 titles with their spans (nested 〈〉 or 《》 kept inside)."""
    out: list[tuple[str, int, int]] = []
    depth, start = 0, -1
    for i, ch in enumerate(text):
        if ch == "《":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0:
                out.append((text[start + 1 : i].strip(), start, i + 1))
    return out


# What may stand between a repealed document and the verb: 文件, 等, a date of effect,
# 同时/予以/一并/均. And between two repealed documents: a list separator.
_TO_VERB = re.compile(
    r"^\s*(?:文件)?\s*(?:等(?:文件)?)?\s*(?:自[^，。；,;]{1,20}?起)?\s*(?:[,，]\s*)?(?:均|同时|予以|一并|即行)?\s*$"
)
_BETWEEN = re.compile(r"^\s*(?:[、，,和及与]|以及)\s*(?:原)?\s*$")
_PAREN_DOCNUM = re.compile(r"\s*[(（]")


def _closing_paren(text: str, open_at: int) -> int:
    """Index of the parenthesis closing the one at ``open_at`` (either width), or -1."""
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] in "(（":
            depth += 1
        elif text[i] in ")）":
            depth -= 1
            if depth == 0:
                return i
    return -1


class _Unit(NamedTuple):
    title: str | None
    number: DocNumber | None
    start: int
    end: int


def _units(sentence: str, table: PrefixTable | None) -> list[_Unit]:
    """Cited documents in a sentence: a title with its parenthesised 文号, or a bare 文号."""
    numbers = find_doc_number_spans(sentence, table)
    units: list[_Unit] = []
    used: set[int] = set()
    for title, start, end in _titles(sentence):
        number = None
        if _PAREN_DOCNUM.match(sentence, end):
            close = _closing_paren(sentence, sentence.index(sentence[end:].lstrip()[0], end))
            if close >= 0:
                for i, (num, s, e) in enumerate(numbers):
                    if end < s and e <= close and i not in used:
                        number = num
                        used.add(i)
                        break
                if number is not None:
                    end = close + 1
        units.append(_Unit(title, number, start, end))
    for i, (num, s, e) in enumerate(numbers):
        if i not in used and not any(u.start <= s < u.end for u in units):
            units.append(_Unit(None, num, s, e))
    units.sort(key=lambda u: u.start)
    return units


def find_repeals(
    text: str, lifecycle: Lifecycle | None = None, table: PrefixTable | None = None
) -> list[dict[str, str | None]]:
    """Documents that ``text`` repeals: [{"title": ..., "doc_number": ...}], in order."""
    lifecycle = lifecycle or default_lifecycle()
    verbs = _markers(lifecycle.repeal_verbs)
    out: list[dict[str, str | None]] = []
    seen: set[tuple[str | None, str | None]] = set()
    for sentence in _sentences(text):
        if verbs.search(sentence) is None:
            continue
        units = _units(sentence, table)
        for verb in verbs.finditer(sentence):
            if sentence[max(0, verb.start() - 1) : verb.start()] == "不":
                continue  # 不停止执行: a negation, not a repeal
            before = [u for u in units if u.end <= verb.start()]
            if not before or not _TO_VERB.match(sentence[before[-1].end : verb.start()]):
                continue
            chain = [before[-1]]
            for unit in reversed(before[:-1]):
                if not _BETWEEN.match(sentence[unit.end : chain[0].start]):
                    break
                chain.insert(0, unit)
            for unit in chain:
                key = (unit.title, unit.number.normal if unit.number else None)
                if key not in seen:
                    seen.add(key)
                    issued = _issued(sentence, units, unit)
                    out.append({"title": key[0], "doc_number": key[1], **({"date": issued} if issued else {})})
    return out


def _issued(sentence: str, units: list[_Unit], unit: _Unit) -> str | None:
    """The date a repeal gives the text it names (1992年12月21日中国专利局发布的《…细则》: the
    version of that day, not a later one of the same title): the last full date between the
    cited text before it, or the sentence's start, and its title."""
    start = max((u.end for u in units if u.end <= unit.start), default=0)
    dates = find_dates(sentence[start : unit.start])
    return dates[-1].iso if dates else None
