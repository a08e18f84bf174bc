"""Leftover pieces: what no structured field holds, as ``other`` requirements or as nothing.

What no structured field holds becomes an ``other`` requirement, which the 申报自查 page
shows as 「？ … — 需对照原文核实」: a piece that is no requirement is clutter the applicant
must read and cannot answer. The clause readers find where a sentence describes its
applicant, but a region they find may still hold words about someone or something else:
a fund or a region acting (政府财政应当…, 有条件的地方可以…), a right of a named role
(导游人员有权…), a purpose (为保障教师完成…), a way a measure is taken (通过…等方式), a
reference to the list below (达到下述学术水平), an authority's own circumstance (办案机关
认为…). :class:`LeftoverTrimmer` trims a piece's edges like
:class:`~ingest.enrich.condition_words.EdgeTrimmer` and trims such a piece to nothing, so
that the extractor keeps it out of ``other`` without a reader of its own.
:class:`LeftoverReader` cuts a requirement span, less its structured parts, into those
pieces (one per comma-separated requirement; a step joins the result it leads to) and
reads the people a priority names (优先聘用退役军人、见义勇为人员…), one each. The words are
the cue lists of ``knowledge/data/eligibility.json``, never a document's wording.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.enrich.condition_fields import Found
from ingest.enrich.condition_records import grant_words, matter_lead
from ingest.enrich.condition_scopes import make_condition
from ingest.enrich.condition_words import (
    CLAUSE_MARKS,
    EdgeTrimmer,
    clause_start,
    has_any,
    longest_first,
    no_requirement,
    uncovered,
    wording,
)
from knowledge.condition_cues import alternation
from knowledge.eligibility import Vocabulary

# Where the clause holding a piece starts: a clause mark, a colon or a space.
_OPENERS = (*CLAUSE_MARKS, ":", " ")
_CHUNK = re.compile(r"[^,;:。]+")
# A step taken before a result is stated (经绩效考核后, 经培训合格后).
_STEP = re.compile(r"经[^,;:。]{1,12}后")
_JOIN = re.compile(r"、|以及")  # what joins the people a list names


# How many characters may come between a beneficiary and its purpose verb (进一步, 更好地).
_ADVERB_CHARS = 3


class LeftoverTrimmer:
    """``trim(text, start, end)``: the edges of a leftover trimmed, or an empty span at
    ``start`` when the piece is no requirement (build once from the vocabulary)."""

    def __init__(self, vocab: Vocabulary) -> None:
        cues = vocab.cues
        self._edges = EdgeTrimmer()
        self._endings = longest_first(cues["no_requirement_endings"])
        self._list_refs = cues["list_refs"]
        units = tuple(vocab.aliases.get("unit_type", {}))
        # Words naming a person or a unit somewhere in a piece (…人员, 企业, 辅警, 患者).
        self._parties = longest_first(
            (*cues["person_endings"], *cues["class_nouns"], *cues["talent_nouns"], *cues["party_nouns"], *units)
        )
        modal = alternation(cues["modal"])
        # A subject right before its modal (政府财政 | 应当…; …等基金 | 等 | 应当…).
        self._modal_after = re.compile(rf"等?(?:{modal})")
        rights = alternation(cues["right_verbs"])
        # The consequence a right opens (有权…, 依法享有…的权利), within its clause.
        self._right_after = re.compile(rf"(?:依法)?(?:{rights})[^,;:。]*")
        self._right_nouns = cues["right_nouns"]
        purposes = alternation(cues["purpose_verbs"])
        # A clause that opens with a purpose (为保障…, 为了促进…): why, not who.
        self._purpose = re.compile(rf"为了?(?:{purposes})(?!性)")
        self._purpose_verb = re.compile(rf"(?:{purposes})(?!性)")
        self._markers = longest_first((*cues["support"], *cues["encourage"], *cues["promotion_marks"]))
        self._means = longest_first(cues["means_marks"])
        self._authority = cues["authority"]
        self._units = tuple(u for u in units if u not in cues["authority_units"])
        self._agent_acts = longest_first((*cues["agent_acts"], *cues["acting"], *cues["discretion"]))

    def trim(self, text: str, start: int, end: int) -> tuple[int, int]:
        """(start, end) of ``text[start:end]`` trimmed; (start, start) for no requirement."""
        s, e = self._edges.trim(text, start, end)
        if s < e and self.requires_nothing(text, s, e):
            return s, s
        return s, e

    def requires_nothing(self, text: str, s: int, e: int) -> bool:
        """Whether the piece ``text[s:e]`` requires nothing of an applicant, by its shape:
        its ending, a reference to a list, what follows it or the clause it opens."""
        piece = text[s:e]
        return (
            piece.endswith(self._endings)
            or has_any(piece, self._list_refs)
            or self._right_holder(text, e)
            or self._thing_acting(text, piece, e)
            or self._purpose.match(text, clause_start(text, s, _OPENERS)) is not None
            or self._object_of_no_one(text, piece, s, e)
            or self._agent_acting(text, piece, s)
        )

    def _right_holder(self, text: str, e: int) -> bool:
        """…导游人员 | 有权拒绝…, 学前儿童 | 依法享有…的权利: the role a text gives a right
        to is named, not described: every holder of it has the right."""
        found = self._right_after.match(text, e)
        return found is not None and has_any(found.group(), self._right_nouns)

    def _thing_acting(self, text: str, piece: str, e: int) -> bool:
        """A subject that names no person or unit, before its modal (政府财政 | 应当给予补贴,
        有条件的地方 | 可以…, 招录岗位 | 可以…): a fund, a region or a thing, no applicant."""
        return self._modal_after.match(text, e) is not None and not self._names_party(piece)

    def _object_of_no_one(self, text: str, piece: str, s: int, e: int) -> bool:
        """What a measure promotes, naming no person or unit and describing none after it
        (支持 | 开拓创新, 为 | 人才流动 | 提供便利; not 支持 | 专精特新 | 企业…), or the means a
        measure relies on (依托 | 青年创新人才工作站, not 依托 | 技能人才比较密集 | 的企事业单位)."""
        before = text[max(0, s - 5) : s].rstrip("“‘《\"'")  # 依托“服务包”平台: the quote is no word
        after = text[e : e + 4]
        if before.endswith(self._means):
            return not after.startswith("的")
        if not before.endswith(self._markers) or after.startswith(("的", *self._parties)):
            return False
        return self._purpose_inside(piece) or not self._names_party(piece)

    def _purpose_inside(self, piece: str) -> bool:
        """为 | 技能大师工作室进一步提升工作效率 | 创造条件: a thing and what it is to do, the
        measure's purpose (a purpose verb after the piece's start); not when the words
        before the verb end with a person or unit a word or so back (为残疾人 | 提高就业能力…,
        支持农村留守妇女 | 提升…: who gets it), nor when the piece ends with one (为在京开展
        提升培训的外籍专家; describing people after it is ruled out before)."""
        found = self._purpose_verb.search(piece, 1)
        if found is None or piece.endswith(self._parties):
            return False
        head = piece[: found.start()]
        ends = [at + len(word) for word in self._parties if (at := head.rfind(word)) >= 0]
        return not ends or len(head) - max(ends) > _ADVERB_CHARS

    def _agent_acting(self, text: str, piece: str, s: int) -> bool:
        """A piece opening with an authority that acts (办案机关认为需要重新鉴定, 有关部门制定
        …办法, 公安机关因侦查犯罪的需要): the agent's circumstance, not an applicant's; not
        one reached through it (经…部门考试合格), a unit named like one (科研机构) nor a
        rule it made (…部门制定的标准)."""
        if text[max(0, s - 1) : s] in ("经", "由"):
            return False
        for stop in range(1, min(len(piece), 16) + 1):
            if piece[stop - 1] in "的、,":
                return False
            head = piece[:stop]
            if head.endswith(self._authority) and not head.endswith(self._units):
                rest = piece[stop:].removeprefix("及其有关部门").removeprefix("和有关部门")
                act = next((w for w in self._agent_acts if rest.startswith(w)), None)
                # …部门制定的标准: the agent only qualifies a thing (an attribute, 的).
                if act is not None and not rest.startswith("的", len(act)):
                    return True
        return False

    def _names_party(self, piece: str) -> bool:
        return has_any(piece, self._parties)


class LeftoverReader:
    """The ``other`` requirements of a span, and the people a priority names (build once
    from the vocabulary)."""

    def __init__(self, vocab: Vocabulary) -> None:
        cues = vocab.cues
        self._trim = LeftoverTrimmer(vocab).trim  # a piece that is no requirement trims to nothing
        self._list_lead = longest_first(cues["list_lead"])
        self._matter = matter_lead(cues)
        self._preference = longest_first(cues["preference"])
        acts = alternation(cues["preferred_acts"])
        # 优先聘用 + the people preferred, listed with 、 and 以及 (not 或者: 警察类或者政法类院校毕业生);
        # not 优先推荐为国家级大师工作室, whose object after 为 is what they become.
        self._preferred = re.compile(r"优先(?:" + acts + r")(?!为|成为)(?P<people>[^,;:。]+)")
        self._procedural = longest_first(cues["procedural"])
        # The words a leftover ends with when it only leads into the structured part after
        # it: cue list ``dangling`` (已经取得 | …学历), and a word joining two requirements
        # (``requirement_joins``: 从事法律研究工作并 | 具有高级职称), which ends a whole one.
        self._dangling = (*cues["dangling"], *longest_first(cues["requirement_joins"]))
        self._not_modal = tuple(cues["not_modal"])
        self._nothing = no_requirement(cues)
        self._grants = grant_words(cues, refusing=False)
        self._roles = frozenset(cues["role_nouns"])

    def others(
        self, display: str, text: str, start: int, end: int, found: list[Found], whole: bool = False
    ) -> list[dict[str, Any]]:
        """Each comma-separated requirement (minus the structured parts) as ``other``; a
        ``whole`` list item with nothing structured is one requirement (公道正派，遵纪守法，
        品行良好)."""
        out = []
        covered = [(f.start, f.end) for f in found if f.field != "other"]
        if whole and not covered:
            s, e = self._trim(text, start, end)
            return [make_condition(display, "other", None, s, e)] if self._wording(text[s:e]) else []
        for a, b in self._chunks(text, start, end):
            piece = text[a:b]
            if has_any(piece, self._list_lead) or self._matter.search(piece):
                continue
            if has_any(piece, self._preference):
                continue
            for s, e in uncovered(a, b, covered):
                s, e = self._trim(text, s, e)
                # The authority's step (经…批准) is no requirement; the rest of the chunk
                # may be (定居国外 beside …财产登记等事务). Nor are the words before a
                # structured part that only lead into it (本条例适用于尚未 | 取得…资格).
                if any(c == e for c, _ in covered):
                    e = self._undangled(text, s, e)
                said = self._wording(text[s:e]) and not has_any(text[s:e], self._procedural)
                if said or self._described_role(text, s, e, covered):
                    out.append(make_condition(display, "other", None, s, e))
        return out

    def _described_role(self, text: str, s: int, e: int, covered: list[tuple[int, int]]) -> bool:
        """A role a structured bound describes (年满十八周岁的 | 村民): who the clause is about,
        which no profile field says, so it stays to check (a 50-year-old engineer had been
        told he met 上海市村民委员会选举办法 第三条 by his age alone)."""
        return text[s:e] in self._roles and text[s - 1 : s] == "的" and any(c == s - 1 for _, c in covered)

    def _undangled(self, text: str, s: int, e: int) -> int:
        """The end of ``text[s:e]`` without the words leading into what follows (人员应当具有 |
        中华人民共和国国籍 keeps 人员; 从事法律研究工作并具有 | 高级职称 keeps 从事法律研究工作)."""
        while e > s and (word := next((w for w in self._dangling if text[s:e].endswith(w)), None)):
            if text[s:e].endswith(self._not_modal):  # 许可, 认可: a word, not a modal 可
                break
            e -= len(word)
        return e

    def _wording(self, piece: str) -> bool:
        """Whether a leftover piece is a requirement in words (:func:`condition_words.wording`) that
        requires something of someone (not 按照国家有关规定, 任何单位和个人)."""
        return wording(piece) and self._nothing.match(piece) is None

    def _chunks(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """The comma-separated requirements of ``text[start:end]``; a step the applicant
        goes through (经绩效考核后) joins the result it leads to (，等次为优秀): apart,
        neither says what is required."""
        out: list[tuple[int, int]] = []
        for chunk in _CHUNK.finditer(text, start, end):
            a, b = chunk.span()
            if out and self._leads_to(text, out[-1], a, b):
                out[-1] = (out[-1][0], b)
            else:
                out.append((a, b))
        return out

    def _leads_to(self, text: str, step: tuple[int, int], a: int, b: int) -> bool:
        """Whether ``step`` (经…后) is followed, after one comma, by its result ``text[a:b]``,
        not by a consequence (经…后，方可…)."""
        is_step = _STEP.fullmatch(text[step[0] : step[1]].strip()) is not None
        return is_step and text[step[1] : a] == "," and not text[a:b].lstrip().startswith(self._grants)

    def preferred_people(self, display: str, text: str, start: int, end: int) -> list[dict[str, Any]]:
        """The people a priority names (优先聘用退役军人、见义勇为人员以及…), one each."""
        found = self._preferred.search(text, start, end)
        if found is None:
            return []
        out = []
        at, people = found.start("people"), found.group("people")
        # The pieces between the joining words: [0, join start, join end, …, len].
        bounds = [0, *(edge for join in _JOIN.finditer(people) for edge in join.span()), len(people)]
        for a, b in zip(bounds[::2], bounds[1::2], strict=True):
            s, e = self._trim(text, at + a, at + b)
            if self._wording(text[s:e]):
                out.append({**make_condition(display, "other", None, s, e), "group": "pref", "negated": False})
        return out
