"""Any-of groups of a passage's conditions: branch names while reading, numbers after;
the cases a bracket adds to a bound (:func:`parenthesised_cases`), and the classes
of people a list names among others (:func:`listed_classes`).

While a record is read, each requirement span's alternatives get a provisional group
``g#<start>`` (a branch ``g#<start>/a`` when an alternative states several requirements);
:func:`name_groups` numbers them per passage in text order (g1, g2/a …), which is what the
stored conditions and the check's verdicts use. Sentences joined by ；或者 are one group
(:func:`joined`), and so are sentences that each grant on a case of their own
(:class:`SentenceCases`).
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from ingest.enrich.condition_records import LETTERS, grant_follows
from ingest.enrich.condition_scopes import AGE_FIELDS
from ingest.enrich.condition_words import clause_start, longest_first
from knowledge.condition_cues import CueWords, alternation


def joined(run: list[list[dict[str, Any]]], start: int) -> list[dict[str, Any]]:
    """The conditions of sentences joined by ；或者 (具备…学位；或者…学历；或者…): each
    sentence is one alternative of an any-of group, a branch when it states several."""
    if len(run) < 2:
        return run[0] if run else []
    for index, items in enumerate(run):
        for item in items:
            item["group"] = branch_name(start, index, len(items))
    return [item for items in run for item in items]


class SentenceCases:
    """Sentences of one record that are cases of their own: each grants on its own case
    (:meth:`own_case`), or adds requirements for a class of applicants (:meth:`for_a_class`)."""

    def __init__(self, cues: CueWords, grants: tuple[str, ...]) -> None:
        self._grants = grants
        self._applicants = longest_first(cues["applicant_nouns"])
        self._classes = ("的", *cues["person_endings"])
        # A later sentence adding requirements (旅游客运汽车驾驶员还必须…, …的，还应当…).
        self._also = re.compile(rf"([^,;:。]{{2,24}}?),?(?:{alternation(cues['also_modal'])})")

    def own_case(self, text: str, start: int, end: int, found: list[dict[str, Any]]) -> bool:
        """Whether a sentence states a case and what it grants, on its own (优秀的高级技术工人，
        可以…申请参加技师…的考评。有突出贡献的技师，可以…参加高级技师…的考评。): sentences in a
        row that each do are its cases, any one of them (both had been required), as those
        joined by ；或者 are. Only plain structured requirements make a case (a priority or
        a sub-category stays what it is)."""
        comma = text.find(",", start, end)
        if comma <= start or not grant_follows(text, comma + 1, self._grants):
            return False
        return any(c["field"] != "other" for c in found) and all(c["group"] is None for c in found)

    def for_a_class(self, text: str, start: int, end: int) -> bool:
        """Whether the sentence at ``start`` adds requirements (…还应当…, cue list
        ``also_modal``) for a class of applicants (旅游客运汽车驾驶员, 外籍申请人, …的): not the
        applicant as such (申请人), nor after a link (同时, 此外), which add to what every
        applicant needs."""
        also = self._also.match(text, start, end)
        subject = also.group(1).strip() if also is not None else ""
        return bool(subject) and subject not in self._applicants and subject.endswith(self._classes)


def branch_name(start: int, index: int, size: int) -> str:
    """The group of alternative ``index`` of the requirement at ``start``: the group itself
    when the alternative is one requirement, else its lettered branch (numbered per
    passage by :func:`name_groups`)."""
    return f"g#{start}" if size == 1 else f"g#{start}/{LETTERS[index % 26]}"


def name_groups(conditions: list[dict[str, Any]]) -> None:
    """Number the any-of groups of a passage in text order (g1, g2 …): each requirement
    span's alternatives are one group, so two paragraphs' groups stay apart."""
    numbers: dict[str, str] = {}
    for condition in conditions:
        group = condition["group"]
        if group is None or not group.startswith("g#"):
            continue
        key, _, branch = group.partition("/")
        name = numbers.setdefault(key, f"g{len(numbers) + 1}")  # g#<start> and g#L<lead>
        condition["group"] = f"{name}/{branch}" if branch else name


def exclusive_ages(conditions: list[dict[str, Any]], text: str) -> None:
    """Ages no one can be at once are alternatives: 六十五周岁以上免费乘坐…，不满六十五周岁
    按照…享受优惠 states two tiers, and as two hard conditions every applicant would fail
    one. When a passage's plain (ungrouped, not negated) age bounds contradict, they are
    read clause by clause of ``text`` (the passage's normalised text) in order (a range, 年满十七周岁未满十八周岁, stays
    whole): a clause joins the branch before it while the two can hold together (年满18岁
    …，在22岁前仍可以…: 18 to 22), else it opens the next branch of one any-of group."""
    ages = [c for c in conditions if c["field"] in AGE_FIELDS and c["group"] is None and not c.get("negated")]
    if _consistent(ages):
        return
    clauses: dict[int, list[dict[str, Any]]] = {}
    for condition in sorted(ages, key=lambda c: c["start"]):
        clauses.setdefault(clause_start(text, condition["start"]), []).append(condition)
    branches: list[list[dict[str, Any]]] = []
    for clause in clauses.values():
        if branches and _consistent([*branches[-1], *clause]):
            branches[-1].extend(clause)
        else:
            branches.append(list(clause))
    start = min(c["start"] for c in ages)
    for index, branch in enumerate(branches):
        for condition in branch:
            condition["group"] = f"g#{start}/{LETTERS[index % 26]}"
    # A later case's other requirements (超过三十五周岁不满四十五周岁的个人从事…创新创业，
    # 参照适用本条例) are that case's, from where it opens to the end of its sentence.
    for index, branch in enumerate(branches[1:], 1):
        opens = clause_start(text, branch[0]["start"])
        stop = text.find("。", opens)
        for condition in conditions:
            if condition["group"] is None and opens <= condition["start"] < (stop if stop >= 0 else len(text)):
                condition["group"] = f"g#{start}/{LETTERS[index % 26]}"


def exclusive_origins(
    conditions: list[dict[str, Any]], exclusive: tuple[str, ...], kinds: dict[str, tuple[str, ...]] | None = None
) -> None:
    """Origins no one has at once (外籍人才、港澳台人才…职称直评办法: 外籍 and 港澳台, each
    of ``exclusive``) are alternatives: as two hard conditions no applicant could meet both.
    A kind of an origin (``kinds``, the vocabulary's ``origin_is``: a 华侨 is a 中国公民)
    counts as the origin it is, so 外国公民…华侨 are alternatives too. The passage's plain
    (ungrouped, not negated) origins naming different ones of them become the branches of
    one any-of group."""

    def named(values: list[str]) -> frozenset[str]:
        return frozenset(o for v in values for o in (v, *(kinds or {}).get(v, ()))) & frozenset(exclusive)

    origins = [c for c in conditions if c["field"] == "origin" and c["group"] is None and not c.get("negated")]
    origins = [c for c in origins if named(c["value"])]
    names = [named(c["value"]) for c in origins]
    if len(set(names)) < 2 or any(a & b for i, a in enumerate(names) for b in names[i + 1 :] if a != b):
        return
    start = min(c["start"] for c in origins)
    branches = list(dict.fromkeys(names))
    for condition, values in zip(origins, names, strict=True):
        condition["group"] = f"g#{start}/{LETTERS[branches.index(values) % 26]}"


def _consistent(ages: list[dict[str, Any]]) -> bool:
    """Whether one age can meet every bound of ``ages``."""
    lows = [c["value"] for c in ages if c["field"] == "age_min"]
    highs = [c["value"] for c in ages if c["field"] == "age_max"]
    return not lows or not highs or min(highs) >= max(lows)


def parenthesised_cases(conditions: list[dict[str, Any]], text: str) -> None:
    """A bound in brackets after a bound of the same field outside them is another case
    (年龄可放宽至65周岁（高精尖产业领域可放宽至70周岁）: 65, or 70 in those fields): the
    bound outside and the bracket's conditions are two branches of one any-of group,
    rather than binding every applicant to both (a 68-year-old in such a field had been
    told 要求65周岁以下)."""
    for opened, closed in _brackets(text):
        inside = [c for c in conditions if opened < c["start"] < closed and c["group"] is None]
        fields = {c["field"] for c in inside if c["field"] != "other"}
        outside = [c for c in conditions if c["end"] <= opened and c["group"] is None and c["field"] in fields]
        if not outside:
            continue
        for condition in outside:
            condition["group"] = f"g#{opened}"
        for condition in inside:
            condition["group"] = f"g#{opened}/b"


def _brackets(text: str) -> list[tuple[int, int]]:
    """Where each outermost pair of round brackets of ``text`` opens and closes."""
    pairs: list[tuple[int, int]] = []
    depth, opened = 0, -1
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
            if depth == 1:
                opened = i
        elif char == ")" and depth:
            depth -= 1
            if not depth:
                pairs.append((opened, i))
    return pairs


_CLAUSE_END = re.compile(r"[,;:。]")


def listed_classes(
    classes: list[dict[str, Any]], text: str, start: int, end: int, sub: str, people: tuple[str, ...]
) -> None:
    """Classes of people named in one list of people (失业人员、退役士兵、高校毕业生、…高中
    毕业生等参加…培训: each member but the last ends with one of ``people``, the endings of
    nouns of people) are who the clause addresses, any one of them: each member a branch of
    one any-of group when every member is such a class, else (a member the reader cannot
    check, 退役士兵) the ``sub`` group, left out of eligibility: a 初中 graduate the list
    names had been told 大专 was required. A list of what one person has (节能专业知识、实际
    经验以及中级以上技术职称的人员) is no list of people."""
    by_list: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for condition in classes:
        if condition["group"] is None:
            by_list.setdefault(_list_around(text, condition["start"], start, end), []).append(condition)
    for (a, b), members in by_list.items():
        pieces = _pieces(text, a, b)
        if len(pieces) < 2 or not all(text[s:e].endswith(people) for s, e in pieces[:-1]):
            continue
        held = {i for i, (s, e) in enumerate(pieces) for c in members if s <= c["start"] < e}
        for condition in members:
            index = next(i for i, (s, e) in enumerate(pieces) if s <= condition["start"] < e)
            condition["group"] = f"g#{a}/{LETTERS[index % 26]}" if len(held) == len(pieces) else sub


def _list_around(text: str, at: int, start: int, end: int) -> tuple[int, int]:
    """The clause of ``text[start:end]`` holding offset ``at`` (cut at ,;:。)."""
    before = [m.end() for m in _CLAUSE_END.finditer(text, start, at)]
    after = _CLAUSE_END.search(text, at, end)
    return (before[-1] if before else start), (after.start() if after else end)


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The members of a list joined by 、 in ``text[start:end]``."""
    cuts = [start, *(i + 1 for i in range(start, end) if text[i] == "、"), end + 1]
    return [(a, b - 1) for a, b in pairwise(cuts) if b - 1 > a]


def one_branched_group(conditions: list[dict[str, Any]]) -> bool:
    """Whether every condition is a member of one and the same any-of group with branches
    (``g#…/a``, ``g#…/b``), as a record's scoped alternatives are before naming."""
    groups = {str(c["group"]).partition("/") for c in conditions}
    return (
        bool(conditions)
        and all(c["group"] for c in conditions)
        and len({g[0] for g in groups}) == 1
        and all(g[0].startswith("g#") and g[2] for g in groups)
    )
