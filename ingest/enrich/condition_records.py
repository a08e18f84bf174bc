"""The records of a policy passage: the spans that each state one clause's requirements.

A requirement is cited by its clause (README: 条 › 款 › 项), so conditions are read record
by record: an item (项) of a list is one record, an article's text outside its items is
one record per paragraph (款) — an article passage never repeats its items' conditions,
which live on the item passages — and a numbered item or section of a notice is one.
An item counts when its article's lead-in introduces requirements (应当具备下列条件,
有下列情形之一的，不得…), not when it lists offences (有下列情形之一的，处…罚款); the
items of a list of measures (做好下列工作) are read clause by clause like paragraphs.
:mod:`ingest.enrich.conditions` reads each record.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from ingest.enrich.condition_words import first, has_any, longest_first
from ingest.model import ELIGIBLE_CLAUSE_TYPES, HOLDER_UNITS, Passage
from knowledge.condition_cues import CueWords, alternation

ITEM_MARK = re.compile(r"^\s*(?:[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．]|[一二三四五六七八九十]+[、\s])\s*")
_ARTICLE_MARK = re.compile(r"^\s*第[一二三四五六七八九十百零〇\d]+条(?:之[一二三四五六七八九十]+)?\s*")
LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class Record:
    """A span of a passage that states one clause's requirements (an item, a 款)."""

    start: int
    end: int
    item: bool = False
    negated: bool = False  # the lead-in refuses (有下列情形之一的，不得…)
    any_of: str | None = None  # the shared group of a 「下列条件之一」 list (x1)
    branch: str = ""  # the item's letter in that list (b for （二）)
    # Every requirement counts (a condition or benefit clause); else only a record with a
    # structured requirement (本科以上学历 in a clause typed general) is kept.
    full: bool = True
    line_group: str | None = None  # an unnumbered line of a list after a colon lead-in


# An age bound a benefit item opens with (六十五周岁以上免费乘坐…), and how soon after it
# the grant word must follow to be that bound's consequence.
_AGE_BOUND = re.compile(r"周?岁(?:以上|以下)")
GRANT_REACH = 4


def grant_words(cues: CueWords, *, refusing: bool) -> tuple[str, ...]:
    """The consequence words that give something: not a duty or the authority's own act;
    the refusals (不得, 不予 …) too only when ``refusing``."""
    left_out = set(cues["duty"]) | set(cues["authority_acts"]) | (set() if refusing else set(cues["negation"]))
    return longest_first(tuple(w for w in cues["benefit_verbs"] if w not in left_out))


def grant_follows(text: str, at: int, grants: tuple[str, ...]) -> bool:
    """Whether a grant word starts within :data:`GRANT_REACH` of ``at`` (a bound's end:
    七十周岁以上免购门票)."""
    return has_any(text[at : at + GRANT_REACH], grants)


def matter_lead(cues: CueWords) -> re.Pattern[str]:
    """The words naming the matters listed below (下列需要代理的事项, 下列事项): a reference
    to the items, not a requirement of its own."""
    return re.compile(rf"下列[^,;:。]{{0,10}}?(?:{alternation(cues['matter_lead'])})")


class RecordFinder:
    """Finds the records of a document's passages in order (one instance per document:
    it remembers each article's lead-in and how many of its items it has seen)."""

    def __init__(self, cues: CueWords, sanctioned: Callable[[str], bool]) -> None:
        self._negation = longest_first(cues["negation"])
        self._list_lead = longest_first(cues["list_lead"])
        self._measure_lead = longest_first(cues["measure_lead"])
        self._schedule_lead = longest_first(cues["schedule_lead"])
        self._any_of = longest_first(cues["any_of"])
        self._requirement = longest_first(cues["requirement_verbs"])
        self._sanctioned = sanctioned
        self._circumstance = longest_first(cues["circumstance_lead"])
        self._matter = matter_lead(cues)
        rights, acts = alternation(cues["matter_rights"]), alternation(cues["matter_acts"])
        self._right = re.compile(rf"(?:{rights})[^。;:]{{0,20}}?(?:{acts})")  # 可以向法律援助机构申请
        self._definition = longest_first(cues["definition"])
        self._persons = longest_first(cues["person_endings"])
        self._grants = grant_words(cues, refusing=True)
        duty = alternation(cues["duty"])
        # An item that states its own case first (（一）取得幼儿园教师资格，应当具备…); used
        # with match() at the item's start.
        self._case = re.compile(
            rf"(?:(?:{alternation(cues['case_openers'])})[^,;:。]{{2,60}}|[^,;:。]{{2,40}}的),(?:{duty})"
        )
        self._leads: dict[tuple[str, ...], str] = {}  # article path → its normalised lead-in
        self._letters: dict[tuple[str, ...], int] = {}

    def records(self, passage: Passage, text: str) -> list[Record]:
        """The records of ``passage`` (``text`` is its normalised text)."""
        unit = passage.attrs.get("unit")
        if unit == "article":
            self._leads[tuple(passage.path)] = _lead(text)
        if unit == "preamble" or (passage.attrs.get("part", 1) != 1 and unit == "item"):
            return []
        applicant = passage.clause_type in ELIGIBLE_CLAUSE_TYPES
        if unit != "item":
            spans = _paragraphs(text, skip_items=unit in HOLDER_UNITS)
            return [Record(s, e, full=applicant, line_group=group) for s, e, group in spans]
        parent = tuple(passage.path[:-1])
        lead = self._leads.get(parent, "")
        start = _mark_end(ITEM_MARK, text, 0)
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if self._sanctioned(lead):
            return []  # a list of offences (有下列情形之一的，处…罚款)
        listed = has_any(lead, self._list_lead) or has_any(lead, self._requirement)
        # A definition by a list (…是指…的劳动者，具体范围包括：) means any one of its items.
        kinds = not listed and (self._defined_by_list(lead) or self._matters(lead))
        defines = not listed and self._defines_someone(text[start:end])
        if has_any(lead, self._measure_lead) or defines or (not listed and self._grants_on_condition(text[start:end])):
            # A list of measures (做好下列工作), or items that each grant something on
            # their own condition (按照下列比例增发…: （一）获得勋章的，增发25%): read
            # clause by clause like paragraphs.
            return [Record(start, end, full=applicant)]
        case = self._scheduled_case(lead, text, start, end) if not listed and not kinds else None
        if case is not None:
            return [Record(start, case, item=True, full=True)]
        if not listed and not kinds:
            return []  # not a list of requirements
        negated = has_any(lead, self._negation)
        if not negated and self._circumstances_only(lead):
            return []  # …有下列情形之一的，属于非法居留 / 应当…报告: no one qualifies
        # Items under one list that each state their own case are its cases: any one of them.
        cases = self._case.match(text, start) is not None
        any_of = "x1" if (kinds or cases or has_any(lead, self._any_of)) and not negated else None
        self._letters[parent] = self._letters.get(parent, -1) + 1
        letter = LETTERS[self._letters[parent] % 26]
        record = Record(start, end, True, negated, any_of, letter, applicant or negated)
        return self._nested(text, record) or [record]

    def _nested(self, text: str, record: Record) -> list[Record]:
        """The lines under an item that is itself a lead-in (（二）符合下列执业能力条件之一：
        1. …; 2. …): each a record of the item, alternatives of one group when the item
        asks for one of them; none when the item has no such lines."""
        if not text[record.start : record.end].rstrip().endswith(":") or record.end >= len(text):
            return []
        alternatives = has_any(text[record.start : record.end], self._any_of)
        lines = [span for span in _paragraphs(text, skip_items=False) if span[0] > record.end]
        return [replace(record, start=s, end=e, line_group=group if alternatives else None) for s, e, group in lines]

    def _grants_on_condition(self, item: str) -> bool:
        """An item that is a condition and what it grants (获得勋章的，增发25%; an age bound
        right before it: 七十周岁以上免购门票), read under a lead-in that names no
        requirement list (按照下列比例增发一次性退役金, 享受下列优待)."""
        at = item.find("的,")
        if at > 0 and has_any(item[at + 2 :], self._grants):
            return True
        bound = _AGE_BOUND.search(item)
        return bound is not None and grant_follows(item, bound.end(), self._grants)

    def _scheduled_case(self, lead: str, text: str, start: int, end: int) -> int | None:
        """Where the case of a schedule's item ends (按照下列职务等级编制消防救援衔：（一）高级
        专业技术职务：高级指挥长…): the lead-in says the items map a case to an outcome, so
        what comes before the item's colon is what that outcome asks; None for another item."""
        if not has_any(lead, self._schedule_lead):
            return None
        colon = text.find(":", start, end)
        if colon <= start or not text[colon + 1 : end].strip(" ;。"):
            return None
        case = text[start:colon]
        # 平时军官军衔晋级的期限：… heads a topic (a thing of something), not a case; a case
        # is a rank or post (总队级正职), a described one (工作满二十年的) or a person.
        topic = "的" in case and not case.endswith(("的", *self._persons))
        return None if topic else colon

    def _defined_by_list(self, lead: str) -> bool:
        """Whether the lead-in's last paragraph defines someone by the items below it."""
        last = lead.rstrip().rpartition("\n")[2]
        return last.endswith(":") and self._defines_someone(last)

    def _matters(self, lead: str) -> bool:
        """Whether the lead-in names the matters below as what one may apply under
        (公民对下列需要代理的事项，因经济困难…的，可以向法律援助机构申请法律援助): any one of them."""
        found = self._matter.search(lead)
        return found is not None and self._right.search(lead, found.end()) is not None

    def _defines_someone(self, text: str) -> bool:
        """Whether ``text`` defines a kind of person or body (本条例中下列用语的含义：…（三）
        家庭医生是指…): what it is defined by is required; not a service or a thing (法律援助
        服务，是指…; 保安服务是指：)."""
        at = first(self._definition, text)
        return at is not None and text[: at[0]].rstrip(", ").endswith(self._persons)

    def _circumstances_only(self, lead: str) -> bool:
        """A lead-in listing circumstances whose consequence neither grants nor refuses
        (…的，属于非法居留; 单位…发现有下列情形之一的，应当…报告); not one that defines
        who someone is by them (临时救助对象，是指具有下列情形之一的家庭或者个人)."""
        if not has_any(lead, self._circumstance) or has_any(lead, self._requirement):
            return False
        if has_any(lead, self._definition):
            return False
        at = max(lead.rfind(word) for word in self._circumstance)
        return not has_any(lead[at:], self._grants)


def _lead(text: str) -> str:
    """An article's text before its first item line (its lead-in)."""
    first = re.search(r"\n\s*[(（][一二三四五六七八九十\d]+[)）]", text)
    return text[: first.start()] if first else text


def _mark_end(mark: re.Pattern[str], text: str, at: int) -> int:
    """Past the number (第四条, （一）, 1.) that ``text`` has at ``at``; the marks are anchored
    with ^, which ``match(text, at)`` would only find at 0."""
    found = mark.match(text[at:])
    return at + found.end() if found else at


def _paragraphs(text: str, skip_items: bool) -> list[tuple[int, int, str | None]]:
    """Spans of the lines of ``text`` without their number (第四条, 1.); item lines of an
    article are skipped: they are the item passages' records. The unnumbered lines after
    a line ending with a colon are the alternatives of one list: each gets the group
    ``g#L<lead>/<index>``."""
    out: list[tuple[int, int, str | None]] = []
    pos, lead, index = 0, -1, 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if skip_items and ITEM_MARK.match(line) and start > 0:
            lead = -1
            continue
        start = _mark_end(_ARTICLE_MARK, text, start) if start == 0 else start
        start = _mark_end(ITEM_MARK, text, start)
        if not text[start:end].strip():
            continue
        group = f"g#L{lead}/{index}" if lead >= 0 else None
        index += 1
        if line.rstrip().endswith(":"):
            lead, index = start, 0
        elif group is None or not line.rstrip().endswith(";"):
            lead = -1  # a list's last line ends with 。
        out.append((start, end, group))
    return out
