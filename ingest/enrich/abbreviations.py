"""Short forms a document defines, found at ingest: 市级技能大师工作室（以下简称“市级工作室”）.

Policies and reports shorten a long name once and use the short form from then on, so
the clauses that matter most (第四条 申报市级工作室应同时符合以下条件) never hold the full
name and a reader typing the short one misses the definition. :class:`AbbreviationFinder`
reads each definition from the text's own markers (the cues of
``knowledge/data/abbreviations.json``): the short forms are the names inside the
parenthesis; the full form is

* the 《》 title or the quoted name just before it (a 文号 in brackets after a title is
  skipped: 《…实施意见》（法发〔2020〕26号）（以下简称《实施意见》）); quoted names joined
  by 和 or 、 are one full form when the short form counts them (“A”和“B”（以下简称“两区”）);
* else the phrase since the last clause punctuation (or the previous definition), cut
  after the last lead-in word that still leaves every character of the short form in it
  (本办法所指 | 市级技能大师工作室; 遴选是在 | 北京市法官、检察官遴选委员会).

An abbreviation takes its characters from its full form; a definition whose full form
shares none with the short one is a role name (甲方) or a misread, and is dropped. What is
found goes to ``Document.meta["abbreviations"]`` with the defining passage.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from analysis.numerals import cn_to_int
from analysis.text import HAN, Token, normalize
from ingest.model import Document
from knowledge.abbreviations import SEARCHABLE, AbbreviationRules, default_rules

if TYPE_CHECKING:  # pragma: no cover
    from analysis.words import Analyzer

# Where a phrase starts: clause punctuation, a line break, a space (第二条 本办法…) or an
# opening bracket whose content the phrase is part of. ``normalize`` folds the full-width
# forms to ASCII; the ideographic ones stay.
_BOUNDARY = frozenset(",.;:!?，。；：！？\n\r\t ([【")
_QUOTES = '“”"「」『』'
_OPEN_CLOSE = {"《": "》", "“": "”", "「": "」", "『": "』", '"': '"'}
# The end of the short forms inside a definition: 《目录》,见附件1.
_SHORT_END = re.compile(r"[,;:。，；：]")
_WORD_CHAR = re.compile(rf"[{HAN}a-z0-9]")
_LEAD_IN_WORDS = 3  # jieba words a lead-in may be cut into


class AbbreviationFinder:
    """Finds definitions in passages and stores them with their document."""

    def __init__(self, rules: AbbreviationRules | None = None, analyzer: Analyzer | None = None) -> None:
        self._rules = rules or default_rules()
        self._analyzer = analyzer
        cues = "|".join(re.escape(cue) for cue in self._rules.cues)
        self._definition = re.compile(rf"\((?:{cues})[:：]?([^()]{{1,60}})\)")
        self._has_cue = re.compile(cues)
        # A parenthesis that ends the phrase before a definition: another definition, or
        # a class name (以下统称单位).
        self._any_cue = re.compile("|".join(re.escape(c) for c in (*self._rules.cues, *self._rules.class_cues)))

    @property
    def analyzer(self) -> Analyzer:
        if self._analyzer is None:
            from analysis.words import get_analyzer

            self._analyzer = get_analyzer()
        return self._analyzer

    def extract_document(self, document: Document) -> None:
        """``meta["abbreviations"]``: each short form the document defines, with its full
        form and the first passage that defines it (absent when there is none)."""
        found: dict[str, dict[str, Any]] = {}
        for passage in document.passages:
            if not self._has_cue.search(passage.text):
                continue
            for short, full in self.find(passage.text):
                found.setdefault(
                    normalize(short),
                    {"short": short, "full": full, "passage": passage.id, "citation": passage.citation},
                )
        if found:
            document.meta["abbreviations"] = list(found.values())

    def find(self, text: str) -> list[tuple[str, str]]:
        """(short form, full form) of every definition in ``text``, as written there."""
        norm = normalize(text)
        out: list[tuple[str, str]] = []
        for m in self._definition.finditer(norm):
            shorts = self._shorts(text[m.start(1) : m.end(1)])
            full = self._full(text, norm, m.start(), shorts) if shorts else None
            if full is None:
                continue
            key = normalize(full)
            out += [(s, full) for s in shorts if len(normalize(s)) < len(key) and _stands_for(s, key)]
        return out

    def _shorts(self, inside: str) -> list[str]:
        """The short forms of a definition's parenthesis (after its cue)."""
        inside = _SHORT_END.split(inside, maxsplit=1)[0].strip()
        items = _quoted_items(inside, self._rules.joiners)
        candidates = items if items is not None else [_unquoted(inside)]
        rules = self._rules
        return [
            s for s in candidates if SEARCHABLE.fullmatch(normalize(s)) and rules.min_short <= len(s) <= rules.max_short
        ]

    def _full(self, text: str, norm: str, end: int, shorts: list[str]) -> str | None:
        """The full form that the definition at ``end`` follows (see the module docstring)."""
        counted = any(cn_to_int(s[0]) is not None for s in shorts)
        named = _named_before(norm, end, self._rules.conjunctions if counted else ())
        if named is not None:
            start, stop = named
            full = _unquoted(text[start:stop])
        else:
            phrase = self._phrase_start(norm, end)
            begin = self._after_lead_in(norm[phrase:end], normalize("".join(shorts)), phrase)
            full = _unquoted(text[begin:end]) if begin is not None else ""
        full = full.strip(" 、,，")
        return full if full and len(full) <= self._rules.max_full else None

    def _phrase_start(self, norm: str, end: int) -> int:
        """Where the phrase before ``end`` starts: after clause punctuation or after the
        previous definition; a bracketed group inside it (中国（北京）自由贸易试验区) is
        part of it, one that opens it (（四）, an item number) is not."""
        i = end
        while i > 0:
            if norm[i - 1] == ")":
                j = _matching_open(norm, i - 1)
                if j is None or self._any_cue.search(norm[j:i]):
                    break
                i = j
            elif norm[i - 1] in _BOUNDARY:
                break
            else:
                i -= 1
        while i < end and norm[i] == "(" and (close := norm.find(")", i)) != -1 and close < end:
            i = close + 1
        while i < end and not _WORD_CHAR.match(norm[i]) and norm[i] not in "“《「":
            i += 1
        return i

    def _after_lead_in(self, phrase: str, short: str, offset: int) -> int | None:
        """``offset`` plus where the full form starts in ``phrase``: after the last lead-in
        word that leaves every character of the short form after it, else after the one
        leaving most of them; None when no character of the short form is left. A Latin
        acronym (FESCO) shares no character: it takes the phrase after the last lead-in.
        A conjunction opening the phrase (和, after the previous definition) is left out."""
        words = self.analyzer.words(phrase)
        first = 0
        if words and words[0].start == 0 and words[0].text in self._rules.conjunctions:
            first = words[0].end
        cuts = [first, *(end for end in self._lead_in_ends(phrase, words) if end > first)]
        if short.isascii():
            return offset + cuts[-1] if len(phrase) - cuts[-1] > 1 else None
        best, best_cover = None, 0
        for cut in reversed(cuts):
            rest = phrase[cut:]
            if len(rest) <= len(short):
                continue
            cover = sum(1 for c in set(short) if c in rest)
            if cover == len(set(short)):
                return offset + cut
            if cover > best_cover:
                best, best_cover = cut, cover
        return None if best is None else offset + best

    def _lead_in_ends(self, phrase: str, words: list[Token]) -> list[int]:
        """Where a lead-in ends, in order: one to three words spelling an entry (jieba
        cuts 所称 as 所/称, 适用于 as 适用/于); a cut followed by another lead-in is none
        (设立 | 的流域管理机构: the full form would start with 的)."""
        ends: dict[int, int] = {}  # end → start
        for i, word in enumerate(words):
            for last in range(i, min(i + _LEAD_IN_WORDS, len(words))):
                if phrase[word.start : words[last].end] in self._rules.lead_ins:
                    ends[words[last].end] = word.start
        return [end for end in sorted(ends) if not any(start == end for start in ends.values())]


def _quoted_items(inside: str, joiners: tuple[str, ...]) -> list[str] | None:
    """The names of “市级工作室”或“工作室” (quoted names and joiners only), else None."""
    items: list[str] = []
    i = 0
    while i < len(inside):
        close = _OPEN_CLOSE.get(inside[i])
        end = inside.find(close, i + 1) if close else -1
        if end == -1:
            return None
        items.append(inside[i + 1 : end])
        i = end + 1
        if i < len(inside):
            joiner = next((j for j in joiners if inside.startswith(j, i)), None)
            if joiner is None:
                return None
            i += len(joiner)
    return items or None


def _named_before(norm: str, end: int, conjunctions: tuple[str, ...]) -> tuple[int, int] | None:
    """The span of the 《》 title or quoted name just before ``end`` (bracketed groups
    after it skipped), with the quoted names joined to it by ``conjunctions`` (given when
    the short form counts names: 两区); None when the text before is no such name."""
    k = end
    while k > 0 and norm[k - 1] == ")" and (j := _matching_open(norm, k - 1)) is not None and j > 0:
        if norm[j - 1] not in "》”":
            break
        k = j
    if k == 0 or norm[k - 1] not in "》”」":
        return None
    opening = {"》": "《", "”": "“", "」": "「"}[norm[k - 1]]
    start = norm.rfind(opening, 0, k - 1)
    if start == -1:
        return None
    if norm[k - 1] == "》":
        return start + 1, k - 1
    while (joiner := next((c for c in conjunctions if norm.endswith("”" + c, 0, start)), None)) is not None:
        previous = norm.rfind("“", 0, start - len(joiner) - 1)
        if previous == -1:
            break
        start = previous
    return start, k


def _matching_open(norm: str, close: int) -> int | None:
    depth = 0
    for i in range(close, -1, -1):
        depth += {")": 1, "(": -1}.get(norm[i], 0)
        if depth == 0:
            return i
    return None


def _unquoted(text: str) -> str:
    """``text`` without quotation marks and title brackets around it (《目录》 → 目录)."""
    text = "".join(c for c in text if c not in _QUOTES)
    return text[1:-1] if len(text) > 2 and text[0] == "《" and text[-1] == "》" else text


def _stands_for(short: str, full: str) -> bool:
    """Whether the short form can abbreviate ``full``: it takes a character from it, or
    it is a Latin acronym (FESCO), which may stand for a name in any script."""
    short = normalize(short)
    return short.isascii() or any(c in full for c in short if _WORD_CHAR.match(c))
