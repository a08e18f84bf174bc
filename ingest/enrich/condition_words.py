"""Scanning helpers for the condition readers: clause heads, cue words at a position.

The readers of :mod:`ingest.enrich.condition_clauses`, ``condition_records`` and
``conditions`` look for the same things in a normalised sentence: where its
comma-separated clauses start, whether a cue word opens one, the earliest of a cue list.
They are written once here so the three read a sentence alike, and so is how a
requirement's text loses the function words at its edges (:class:`EdgeTrimmer`), what a
leftover piece must be to count as a requirement in words (:func:`wording`), and the
span tests of one requirement (:func:`unit_head`, :func:`absence`, :func:`uncovered`,
:func:`excepted`) and a prerequisite a duty states (:func:`prerequisite`).
"""

from __future__ import annotations

import functools
import re

from analysis.text import HAN_CHAR
from analysis.words import get_analyzer
from ingest.enrich.condition_fields import Found

HEAD_SEPARATORS = ",:"  # what separates the clauses of a normalised sentence
# A colon after a condition that names its outcome (工作满二十四年的：一级消防长), not a list's lead-in.
OUTCOME = re.compile(r":(?=\s*\S)")


def heads(text: str, start: int, end: int) -> list[int]:
    """The starts of the comma-separated clauses of ``text[start:end]``."""
    return [start, *(i + 1 for i in range(start, end) if text[i] in HEAD_SEPARATORS and i + 1 < end)]


def next_head(text: str, at: int, end: int) -> int:
    found = [text.find(sep, at, end) for sep in HEAD_SEPARATORS]
    return min((f for f in found if f >= 0), default=end)


def described_object(region: str, openers: tuple[str, ...], described: re.Pattern[str]) -> bool:
    """Whether the object of 鼓励 … is described by a condition (鼓励取得…资格的人员,
    鼓励符合条件的乡村医生), which makes it an applicant rather than a mere target."""
    return first_at(region, 0, openers) is not None and described.search(region) is not None


def inside_case(conditional_end: re.Pattern[str], sentence: str, head: int, at: int) -> bool:
    """Whether a consequence word at ``at``, in the clause of ``sentence`` from ``head``, is
    inside one more case: a clause that ends like a condition (…的，获得二级表彰并经批准享受
    相关待遇的，…) holds a case of several before their consequence, unless it opens with the
    word (…的，授予中尉军衔 with the punctuation after it lost)."""
    stop = next_head(sentence, head, len(sentence))
    return at > head and stop < len(sentence) and conditional_end.search(sentence[:stop]) is not None


def skip(text: str, at: int, words: tuple[str, ...]) -> int:
    """``at`` moved past any of ``words`` (repeatedly: 应当积极…)."""
    moved = True
    while moved:
        moved = False
        for word in words:
            if text.startswith(word, at):
                at += len(word)
                moved = True
    return at


def first_at(text: str, at: int, words: tuple[str, ...]) -> int | None:
    """The end of the longest of ``words`` that starts at ``at``, None if none does."""
    hits = [len(w) for w in words if text.startswith(w, at)]
    return at + max(hits) if hits else None


# What ends a clause in normalised text (，and ； are , and ;).
CLAUSE_MARKS = (",", ";", "。", "\n")


def clause_start(text: str, at: int, marks: tuple[str, ...] = CLAUSE_MARKS) -> int:
    """Where the clause holding position ``at`` starts: after the last of ``marks`` before it."""
    return max(text.rfind(mark, 0, at) for mark in marks) + 1


def clause_end(text: str, at: int, marks: tuple[str, ...] = CLAUSE_MARKS) -> int:
    """Where the clause holding position ``at`` ends: at the first of ``marks`` from it."""
    return min((i for i in (text.find(mark, at) for mark in marks) if i >= 0), default=len(text))


def longest_first(words: tuple[str, ...]) -> tuple[str, ...]:
    """``words`` sorted longest first (so that 应当具备 wins over 应当)."""
    return tuple(sorted(words, key=len, reverse=True))


def has_any(text: str, words: tuple[str, ...]) -> bool:
    return any(word in text for word in words)


def verb(words: tuple[str, ...], text: str, not_modal: tuple[str, ...] = ()) -> tuple[int, int] | None:
    """Like :func:`first`, skipping a use as an attribute (公务员应当具备的基本能力), as
    an adverb (应当有计划地…) and a modal that is the end of another word (对应具备:
    ``not_modal``)."""
    hits = [
        (at, -len(w))
        for at in (m.start() for m in starts(words).finditer(text))
        for w in words
        if text.startswith(w, at)
        and not text.startswith("的", at + len(w))
        and "地" not in text[at + len(w) : at + len(w) + 6]
        and not any(text.endswith(word, 0, at + 1) for word in not_modal)
    ]
    if not hits:
        return None
    at, minus = min(hits)
    return at, at - minus


# What one may do only once something is done or held (取得…后，方可…, 合格后方能上岗).
_PREREQUISITE = re.compile(r"后,?方[可能]")


def prerequisite(sentence: str, duty: tuple[str, ...], not_modal: tuple[str, ...]) -> tuple[int, int] | None:
    """The span between a duty verb and a prerequisite's 后 (中医从业人员，应当…通过资格考试，并经
    注册取得执业证书后，方可从事…): a duty that only says what must come first states that as
    a requirement of the act after 方可, not a duty done once and for all; None without both."""
    found = verb(duty, sentence, not_modal)
    after = _PREREQUISITE.search(sentence, found[1]) if found is not None else None
    return (found[1], after.start()) if found is not None and after is not None else None


def unprefixed(word: str, not_modal: tuple[str, ...]) -> str:
    """A pattern of ``word`` where it is not the end of one of ``not_modal`` (许可办理 holds
    no 可办理): the word, then a lookbehind for each such word it would end."""
    leads = sorted({w[:-1] for w in not_modal if len(w) > 1 and w[-1] == word[0]})
    # The lookbehinds after the word (许可办理 ends with 许可办理, not 可办理 alone): a
    # pattern that opens with its literal keeps the regex engine's fast scan for it.
    return re.escape(word) + "".join(f"(?<!{re.escape(lead + word)})" for lead in leads)


@functools.cache
def starts(words: tuple[str, ...]) -> re.Pattern[str]:
    """Where any of ``words`` starts, in one scan (a lookahead: overlapping ones too)."""
    return re.compile("(?=" + "|".join(re.escape(w) for w in words) + ")")


def first(words: tuple[str, ...], text: str) -> tuple[int, int] | None:
    """(start, end) of the earliest of ``words`` in ``text`` (the longest at a tie)."""
    hits = [(text.find(w), -len(w)) for w in words if w in text]
    if not hits:
        return None
    at, minus = min(hits)
    return at, at - minus


EDGE_CACHE = 65_536  # edge windows remembered per trimmer


def no_requirement(cues: dict[str, tuple[str, ...]]) -> re.Pattern[str]:
    """A piece that requires nothing of anyone: a reference to rules, saying how a measure
    is taken (按照国家有关规定, 依照有关规定: a ``discretion`` word up to a ``rule_words``
    one), everyone (``everyone``: 任何单位和个人), or a limit lifted (``free_of`` up to
    ``limits``: 办理工作许可可不受学历、学位、工作经历限制)."""
    rules = "(?:" + "|".join(map(re.escape, cues["discretion"])) + r")[^,;:。]{0,12}(?:"
    rules += "|".join(map(re.escape, cues["rule_words"])) + ")$"
    lifted = r"[^,;:。]*?(?:" + "|".join(map(re.escape, cues["free_of"])) + r")[^,;:。]{0,24}(?:"
    lifted += "|".join(map(re.escape, cues["limits"])) + ")"
    return re.compile(rules + "|(?:" + "|".join(map(re.escape, cues["everyone"])) + ")|" + lifted)


def _balanced(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` without a bracket's half whose other half lies outside it: the
    tail of a parenthesis before the span (行业领域）技能拔尖… → 技能拔尖…) or the opening of
    one after it (…工作室（市级 → …工作室), cut only in the span's first or last half."""
    unopened, unclosed = -1, []
    for i in range(start, end):
        if text[i] == "(":
            unclosed.append(i)
        elif text[i] == ")":
            if unclosed:
                unclosed.pop()
            else:
                unopened = i
    middle = (start + end) // 2
    if start <= unopened < middle:
        start = unopened + 1
    if unclosed and unclosed[0] >= middle:
        end = unclosed[0]
    return start, end


class EdgeTrimmer:
    """A requirement's text without the function words at its edges (或者, 经, 其, 并 …
    before; 的, 者, 等 after), each stripped only where it is a word of its own: 经审查…
    but not 经营…, 其他 stays, …条件者 loses 者 but 劳动者 keeps it. jieba decides, on a
    few characters at the edge (the passage's own segmentation rules)."""

    WINDOW = 8  # characters segmented to tell an edge word from a word's first or last
    _LEAD = re.compile(r"或者|并且|对|凡|经|其|并|且|和|的")  # matched at a start
    _TAIL = re.compile(r"(?:的|者|等|或者|应当|必须|应|须|在)$")  # 年龄应当在: the rest is a field
    _SPACE = " \n、,(“”"  # stripped whatever they stand by

    def __init__(self) -> None:
        words = get_analyzer().words

        def bounds(window: str) -> tuple[int, int]:
            found = words(window)
            return (found[0].end, found[-1].start) if found else (-1, -1)

        # An article's text holds its items' lines, so the same edges come back: cached.
        self._bounds = functools.lru_cache(maxsize=EDGE_CACHE)(bounds)

    def trim(self, text: str, start: int, end: int) -> tuple[int, int]:
        """(start, end) of ``text[start:end]`` trimmed."""
        start, end = self._stripped(text, start, end)
        start, end = self._stripped(text, *_balanced(text, start, end))
        edge = self._LEAD.match(text, start, end)
        while edge is not None and self._alone(text[start:end], edge.end() - start, True):
            start = edge.end()
            edge = self._LEAD.match(text, start, end)
        edge = self._TAIL.search(text, start, end)
        while edge is not None and self._alone(text[start:end], edge.start() - start, False):
            end = edge.start()
            edge = self._TAIL.search(text, start, end)
        return start, end

    def _stripped(self, text: str, start: int, end: int) -> tuple[int, int]:
        piece = text[start:end]
        stripped = piece.strip(self._SPACE)
        start += piece.find(stripped) if stripped else 0
        return start, start + len(stripped)

    def _alone(self, piece: str, cut: int, lead: bool) -> bool:
        """Whether cutting ``piece`` at ``cut`` parts an edge word from the rest, not a
        word in two: jieba's first word of the piece ends there (``lead``), or its last
        word starts there."""
        if lead:
            return self._bounds(piece[: self.WINDOW])[0] == cut
        window = max(0, len(piece) - self.WINDOW)
        return self._bounds(piece[window:])[1] + window == cut


# An item's own title (（一）技能大师的条件。长期在…) names its list, it requires nothing.
_LIST_TITLE = re.compile(r"[^,;:。]{1,10}的(?:基本)?条件")
# What may precede the head of a requirement: a described subject (…的) or a copula
# (入伍前是…人员) and a short modifier (本市, 专精特新), no verb phrase or clause.
_MODIFIER = re.compile(r"(?:[^,;:]*(?:的|是))?[^,;:的是]{0,6}")
_CUT_AT = ("和", "及", "与", "或", "或者", "以及", "并")  # a piece ending so is cut off
# A later clause may head a kind of unit too: after a copula, 是 saying what the person is
# (民兵参加军事训练，是国家机关、团体、企业事业单位职工的; 原是机关…职工的), or after 以及 /
# 或者 and a description, another applicant the sentence adds (具有民事行为能力的公民，以及
# 从事…活动的企业、事业单位或者社会组织).
_LATER_HEAD = re.compile(r"[^,;:的是]{0,4}是|(?:以及|或者)[^,;:]*的")


# An exception inside a sentence (除…以外 / 除…外), up to its end.
_EXCEPTION = re.compile(r"除[^,;。]{1,40}?以?外")


def excepted(sentence: str, at: int) -> bool:
    """Whether position ``at`` lies inside an exception of ``sentence``."""
    return any(m.start() <= at < m.end() for m in _EXCEPTION.finditer(sentence))


def wording(piece: str) -> bool:
    """Whether a leftover piece is a requirement in words: four Han characters or more, not
    an item's own title (技能大师的条件), and not cut off at a conjunction (职业学校和,
    其他社会组织及: the start of a list the sentence goes on with)."""
    return (
        len(HAN_CHAR.findall(piece)) >= 4 and not _LIST_TITLE.fullmatch(piece) and not piece.rstrip().endswith(_CUT_AT)
    )


# What may join two bounds of one class of people: 具有本省户籍的|八十周岁以上老年人, and
# 取得副高以上职称且|在社区…工作五年以上的中医全科医师 (both bounds describe the 医师).
_BOUND_JOINS = ("的", "并且", "而且", "且", "并")


def after_of(text: str, at: int) -> int:
    """Where the words after ``at`` start, past a 的 or a word joining two bounds."""
    return at + len(next((w for w in _BOUND_JOINS if text.startswith(w, at)), ""))


def unit_head(found: list[Found], text: str, start: int) -> list[Found]:
    """Only the unit type that heads a requirement: the applicant's kind of unit
    (高等学校、科研机构的专业技术人员, …的企业事业单位, 知名跨国公司, or at the head of a
    later clause, ``_LATER_HEAD``), not one it acts on (通过企业挂职, 调入机关)."""
    units = [f for f in found if f.field == "unit_type"]
    if not units:
        return found
    head = units[0]
    kept = _MODIFIER.fullmatch(text[start : head.start].strip(" ,")) is not None
    clause = max(text.rfind(",", start, head.start), text.rfind(":", start, head.start)) + 1
    kept = kept or (clause > start and _LATER_HEAD.fullmatch(text[clause : head.start]) is not None)
    return [f for f in found if f.field != "unit_type" or (kept and f is head)]


def absence(text: str, start: int, words: tuple[str, ...]) -> bool:
    """A requirement stated as an absence (未取得…证书的人员, 没有取得… under 不得…): one of
    ``words`` (cue list ``absence``) right before it or opening it; the requirement is to
    hold it, so it is not negated."""
    opening = tuple(f"{word}取得" for word in words)  # not 未满18岁, a bound
    if text[max(0, start - 3) : start].endswith(words) or text[start : start + 4].startswith(opening):
        return True
    # …a few words of the same phrase between: 未经注册取得…执业证书的，不得执业.
    before = re.search(
        r"(?:" + "|".join(map(re.escape, words)) + r")经[^,;:。、]{1,4}$", text[max(0, start - 8) : start]
    )
    return before is not None


def exception_of(text: str, start: int, words: tuple[str, ...]) -> str | None:
    """What the clause a requirement starting at ``start`` stands in says of those it
    names, when it ends with one of ``words`` (cue list ``exception``): "left_out" for
    people a definition leaves out (…自然人，…留学生…及其家属除外), "spared" for those a
    requirement spares (…，具有博士学位的除外; 但…除外: a sub-category's case), else None.
    An exception opening with 除 (除…以外) is :func:`excepted`."""
    clause = text[clause_start(text, start) : clause_end(text, start)].strip()
    if not clause.endswith(words):
        return None
    spared = clause.startswith("但") or any(clause.endswith(f"的{word}") for word in words)
    return "spared" if spared else "left_out"


def uncovered(start: int, end: int, covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    pieces = [(start, end)]
    for s, e in covered:
        pieces = [p for a, b in pieces for p in ((a, min(b, s)), (max(a, e), b)) if p[1] > p[0]]
    return pieces


def own_licence(term: str, span: str, endings: tuple[str, ...]) -> bool:
    """Whether a certificate's ``span`` names the ``term`` a definition defines, or the
    term's stem without its person endings (本条例所称导游人员，是指…取得导游证: the
    guide's own licence is what the word means, not a requirement on top of it); a stem
    of one character (医 of 医师) names too much to count."""
    stem = term
    # Ending by ending (导游人员: 员, then 人), while a stem of two characters is left.
    while (ending := next((e for e in endings if stem.endswith(e) and len(stem) - len(e) >= 2), None)) is not None:
        stem = stem[: -len(ending)]
    return term in span or (stem != term and stem in span)
