"""The structured requirements of a clause: where each field's pattern matches, and its value.

:class:`FieldFinder` runs the patterns of ``knowledge/data/eligibility.json`` over a
requirement text (normalised, so offsets are the passage's) and reads each match's value:
a number for ages, retirement margins and years (digits or words, via
:func:`analysis.numerals.cn_to_int`; 未满16 → 15), the lowest rung of a ladder named in the
match (研究生或者大学本科 → 本科), or the alternatives of a list field (国家职业资格或技能
等级证书 → two certificates). Matches of one field never overlap (the longer wins); a unit
type inside an education phrase (高等学校…学历) is the school, not an employer.
:mod:`ingest.enrich.conditions` decides which text is a requirement and how the matches group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from analysis.numerals import cn_to_int
from knowledge.condition_cues import NUMBER, FieldPattern, alternation
from knowledge.eligibility import LADDER_OF, NUMERIC_FIELDS, Vocabulary

# The vocabulary key whose spellings a list field's match holds.
_CHOICE_OF = {
    "origin": "origin",
    "unit_type": "unit_type",
    "certificates": "certificates",
    "awards": "awards",
    "residence_or_employment": "residence",
}
# How the name of a certificate outside the vocabulary ends (《许可证》, …证书, …执照,
# …合格证明, …身份证件 shown, …从业资格 / …执业资格: a qualification granted after an examination).
_NAMED = ("》", "证书", "证件", "执照", "证", "证明", "从业资格", "执业资格")
# The members of a list sharing a head (金融、会计、医师).
_MEMBERS = re.compile("[、和及]|或者|或")
# What joins alternatives (not 和: 执业资格和执业证书 are both required).
_ALTERNATIVES = re.compile("、|或者|或")
# A short part in brackets that a name may be read with or without (执业(助理)医师).
_OPTIONAL = re.compile(r"\(([^()]{1,4})\)")
# The start of a name up to its bracketed part, at the end of a match's lead-in.
_OPENING = re.compile(r"[^,;。、()]{0,6}\([^()]{1,4}\)$")
# A further number of a list read in turn (四年、三年): 、, the number and its unit.
_LISTED_NUMBER = re.compile("、(" + NUMBER + ")[年岁]")
# What closes one case of a clause before the next (…荣誉称号的，荣立…): a 的 and a comma or
# semicolon. A comma alone may go on with the same list (…技能大奖”，代表…获奖的“主教练”).
_REQUIREMENT_END = re.compile("的[,;]")
# Fields a unit type may not overlap: there it names a school or a certificate's issuer.
_UNIT_SHADOWS = ("education_min", "certificates", "professional_title_min", "awards")


@dataclass
class Found:
    """One structured requirement: field, value and its span in the normalised text."""

    field: str
    value: Any
    start: int
    end: int


class FieldFinder:
    """Finds the structured requirements of a text (build once from the vocabulary)."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self._spelling = {
            key: re.compile(alternation(vocab.aliases[key])) for key in (*LADDER_OF.values(), *_CHOICE_OF.values())
        }
        self._not_after = vocab.not_after
        self._not_before = vocab.not_before
        self._authority_units = set(vocab.cues["authority_units"])
        self._acts = tuple(vocab.cues["applicant_acts"])
        # An origin followed by a class of people (外籍人才工作许可) names that class.
        self._talent = re.compile(alternation(vocab.cues["talent_nouns"]))

    def find(self, text: str, start: int, end: int, only: tuple[str, ...] = ()) -> list[Found]:
        """Every field's matches inside ``text[start:end]`` (``only`` these fields, when
        given), in text order. Whitespace is skipped (a page break inside 技能等级证书),
        spans are ``text``'s."""
        dense, where = _without_spaces(text, start, end)
        found: list[Found] = []
        for field, patterns in self.vocab.patterns.items():
            if not only or field in only:
                found.extend(_longest_first(self._matches(field, patterns, dense)))
        shadows = [f for f in found if f.field in _UNIT_SHADOWS]
        found = [f for f in found if f.field != "unit_type" or not any(_overlap(f, s) for s in shadows)]
        # A bare 机关 alone is the acting authority (调入机关, 各机关), not a kind of employer.
        found = [f for f in found if f.field != "unit_type" or dense[f.start : f.end] not in self._authority_units]
        found = _merge_awards(found, dense)
        for item in found:
            item.start, item.end = where[item.start], where[item.end - 1] + 1
        return sorted((f for f in found if not self._outcome(text, f)), key=lambda f: (f.start, f.end))

    def _outcome(self, text: str, item: Found) -> bool:
        """Whether a word earlier in the match's clause makes it what the applicant gets or
        applies for (可对应…中级职称, 作为申报…高级职称的条件; ``outcome_before``), or one
        the match opens with (申请取得…从业资格: its verb is what is applied for)."""
        words = self.vocab.outcome_before.get(item.field, ())
        clause = text[max(text.rfind(",", 0, item.start), text.rfind(";", 0, item.start)) + 1 : item.end]
        return any(word in clause for word in words)

    def _matches(self, field: str, patterns: tuple[FieldPattern, ...], text: str) -> list[Found]:
        out = []
        for pattern in patterns:
            for match in pattern.regex.finditer(text):
                if match.end() <= match.start():
                    continue
                value = self._value(field, match) if pattern.value is None else self._given(field, pattern, match)
                if value is None or value == [] or self._names_something_else(field, text, *match.span()):
                    continue
                if field in NUMERIC_FIELDS and match.groupdict().get("then"):
                    out.extend(_respectively(field, match))
                    continue
                out.append(Found(field, list(value) if isinstance(value, list) else value, *match.span()))
        return out

    def _value(self, field: str, match: re.Match[str]) -> Any:
        groups = match.groupdict()
        if field in NUMERIC_FIELDS:
            return _number(groups)
        text = groups.get("v")
        if not text:
            return None
        if field in LADDER_OF:
            ladder = LADDER_OF[field]
            ranks = [self.vocab.rank(ladder, s) for s in self._spelling[ladder].findall(text)]
            known = [r for r in ranks if r is not None]
            return self.vocab.ladders[ladder][min(known)] if known else None
        key = _CHOICE_OF.get(field)
        if key is None:
            return text
        if groups.get("head"):
            # One head shared by a list (境外金融、会计职业资格): a name per member.
            pre, head = groups.get("pre") or "", groups["head"]
            return [f"{pre}{member}{head}证书" for member in _MEMBERS.split(text) if member]
        spellings = [s for variant in _optional_parts(_widened(match)) for s in self._spelling[key].findall(variant)]
        values = [self.vocab.canonical(key, s) for s in spellings]
        unique = list(dict.fromkeys(v for v in values if v is not None))
        if not unique and field == "certificates" and match.group().endswith(_NAMED):
            # 持有《许可证》, 取得船员适任证书: a certificate named by its own name, and
            # 持身份证、老年人优待证: alternatives, each named by its own.
            return _own_names(text)
        if field == "residence_or_employment":
            # A stay the vocabulary has no name for (到其他城市居住半年以上) is read verbatim.
            return unique[0] if unique else text
        return unique

    def _given(self, field: str, pattern: FieldPattern, match: re.Match[str]) -> Any:
        """A pattern's own value; a list is extended by the spellings its group v holds."""
        if not isinstance(pattern.value, list):
            return pattern.value
        more = self._value(field, match) if match.groupdict().get("v") else []
        return list(dict.fromkeys([*pattern.value, *(more or [])]))

    def _names_something_else(self, field: str, text: str, start: int, end: int) -> bool:
        """A title before 推荐 is the recommender's, a certificate before 考试 the exam's
        (``not_after``; up to two characters may come between), 公安机关 an authority
        (``not_before``, right before the match)."""
        after = text[end : end + 8]
        talent = self._talent.match(after) is not None
        # 外籍人员办理工作许可: the person who applies, not the permit's kind.
        applies = after.startswith(self._acts)
        if (
            not talent
            and not applies
            and any(after.startswith(w, i) for w in self._not_after.get(field, ()) for i in range(3))
        ):
            return True
        return any(text[:start].endswith(word) for word in self._not_before.get(field, ()))


def _without_spaces(text: str, start: int, end: int) -> tuple[str, list[int]]:
    """``text[start:end]`` without whitespace, and each kept character's offset."""
    where = [i for i in range(start, end) if not text[i].isspace()]
    return "".join(text[i] for i in where), where


def _own_names(text: str) -> list[str]:
    """The certificates a list of names outside the vocabulary holds: ``text`` split at
    its alternatives when every member ends like a certificate's name, else ``text``."""
    members = [m for m in _ALTERNATIVES.split(text) if m]
    return members if len(members) > 1 and all(m.endswith(_NAMED) for m in members) else [text]


def _widened(match: re.Match[str]) -> str:
    """Group v, with the start of a name whose bracketed part comes before it (执业(助理) |
    医师资格: the lazy lead-in stops at the first spelling, inside the name)."""
    before = match.string[match.start() : match.start("v")]
    found = _OPENING.search(before)
    return (found.group() if found else "") + match.group("v")


def _optional_parts(text: str) -> list[str]:
    """``text`` read without and with each short part in brackets: 执业(助理)医师资格
    names two qualifications, 执业医师资格 and 执业助理医师资格, and neither is the bare
    医师资格 a search across the brackets would find."""
    if _OPTIONAL.search(text) is None:
        return [text]
    return [_OPTIONAL.sub("", text), _OPTIONAL.sub(r"\1", text)]


def _merge_awards(found: list[Found], text: str) -> list[Found]:
    """The honours named in one requirement are one list of alternatives; a case closed by
    的 and a comma between two of them ends the requirement (获得勋章、荣誉称号的，荣立一等战功
    或者获得一级表彰的: two cases, each with its own benefit)."""
    awards = sorted((f for f in found if f.field == "awards"), key=lambda f: f.start)
    if len(awards) < 2:
        return found
    runs: list[list[Found]] = [[awards[0]]]
    for item in awards[1:]:
        if _REQUIREMENT_END.search(text, runs[-1][-1].end, item.start):
            runs.append([item])
        else:
            runs[-1].append(item)
    merged = [
        Found("awards", list(dict.fromkeys(v for f in run for v in f.value)), run[0].start, run[-1].end) for run in runs
    ]
    return [f for f in found if f.field != "awards"] + merged


def _respectively(field: str, match: re.Match[str]) -> list[Found]:
    """The numbers of a list that binds several kinds of applicant in turn (其中获得硕士、博士
    学位的，…年限可以分别放宽至四年、三年): one requirement per number, each by its own span,
    so that each kind's branch has its own value, not only the first."""
    first = cn_to_int(match.group("n"))
    out = [] if first is None else [Found(field, first, match.start(), match.end("n") + 1)]
    for more in _LISTED_NUMBER.finditer(match.string, match.end("n") + 1, match.end()):
        value = cn_to_int(more.group(1))
        if value is not None:
            out.append(Found(field, value, more.start(1), more.end()))
    return out


def _number(groups: dict[str, str | None]) -> int | None:
    for name, shift in (("n", 0), ("below", -1), ("above", 1)):
        raw = groups.get(name)
        if raw:
            value = cn_to_int(raw)
            return None if value is None else value + shift
    return None


def _overlap(a: Found, b: Found) -> bool:
    return a.start < b.end and b.start < a.end


def _longest_first(found: list[Found]) -> list[Found]:
    """Non-overlapping matches of one field, preferring the longer."""
    kept: list[Found] = []
    for item in sorted(found, key=lambda f: (f.start - f.end, f.start)):
        if not any(_overlap(item, other) for other in kept):
            kept.append(item)
    return kept
