"""Finding a query's terms in a passage: the marks a snippet is chosen by and shows.

Split from :mod:`search_api.search.highlight`, which chooses and renders the snippet: here
one regular-expression scan finds every term (longest first, overlapping ones too), the
first :data:`MAX_MARKS` matches are merged into marks, and :class:`Tally` keeps the running
totals of the marks in a candidate span, so that choosing never rescans the matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from analysis.text import normalize
from analysis.words import get_analyzer
from knowledge.questions import condition_words
from search_api.search.snippet_spans import AMOUNT, MAX_AMOUNT, UNITS, WHOLE_NUMBER

MAX_MARKS = 2_000  # matches considered when choosing: pathological passages stay fast


@dataclass(frozen=True)
class Terms:
    """The compiled terms of one query: one scan finds them all."""

    pattern: re.Pattern[str]  # zero-width, the longest term starting at each position in group 1
    units: dict[str, frozenset[int]]  # matched term → the units it holds (itself and terms inside it)
    priority: frozenset[int]  # units naming an amount or a condition
    bigrams: bool = False  # the query's bigrams: shown only as words (Analyzer.is_word_or_part)


@dataclass(frozen=True)
class Mark:
    """Merged matches: overlapping or touching terms are one mark."""

    start: int
    end: int
    units: frozenset[int]


@dataclass
class Tally:
    """Running totals of the marks in a candidate, for adding and removing marks."""

    priority: frozenset[int]
    counts: dict[int, int] = field(default_factory=dict)  # unit → marks holding it
    important: int = 0  # priority units present
    marked: int = 0  # marked characters

    def add(self, mark: Mark, length: int) -> None:
        counts = self.counts
        for unit in mark.units:
            count = counts.get(unit, 0)
            if not count and unit in self.priority:
                self.important += 1
            counts[unit] = count + 1
        self.marked += length

    def remove(self, mark: Mark, length: int) -> None:
        counts = self.counts
        for unit in mark.units:
            count = counts[unit] - 1
            if count:
                counts[unit] = count
            else:
                del counts[unit]
                if unit in self.priority:
                    self.important -= 1
        self.marked -= length

    def score(self) -> tuple[int, int, int]:
        """Units naming an amount or a condition, all units, marked characters."""
        return self.important, len(self.counts), self.marked


def is_priority(term: str) -> bool:
    if re.search(r"[0-9]", term) or term in UNITS:
        return True
    if len(term) <= MAX_AMOUNT and AMOUNT.fullmatch(term):
        return True
    # A term naming a condition (knowledge/data/snippet_condition_words.txt).
    return any(word in term for word in condition_words())


def term_pattern(term: str) -> str:
    # A number named in the query matches whole numbers only: 30 is not inside 300 or 2030.
    if WHOLE_NUMBER.fullmatch(term):
        return rf"(?<![0-9]){re.escape(term)}(?![0-9])"
    return re.escape(term)


@lru_cache(maxsize=512)
def compile_terms(terms: tuple[str, ...], bigrams: bool = False) -> Terms | None:
    unique = sorted({normalize(t) for t in terms if t}, key=lambda t: (-len(t), t))
    if not unique:
        return None
    ids = {term: i for i, term in enumerate(unique)}
    # The class of first characters in front lets the engine skip the other positions fast.
    first = "".join(sorted({re.escape(t[0]) for t in unique}))
    return Terms(
        pattern=re.compile(f"(?=[{first}])(?=(" + "|".join(map(term_pattern, unique)) + "))"),
        units={term: frozenset(ids[inner] for inner in unique if inner in term) for term in unique},
        priority=frozenset(ids[t] for t in unique if is_priority(t)),
        bigrams=bigrams,
    )


def find_marks(
    norm: str, terms: Terms, start: int = 0, end: int | None = None, limit: int = MAX_MARKS, shown: bool = False
) -> list[Mark]:
    """The first ``limit`` matches in ``norm[start:end]``, overlapping and touching ones
    merged. ``shown``: the marks a snippet shows, where a bigram must be a word or a word's
    part (``Analyzer.is_word_or_part``: not 民法 of 民法典 in 人民法院); choosing the
    snippet counts every match, as that check on each of a long passage's matches would
    cost more than the rest of the search."""
    marks: list[Mark] = []
    end = len(norm) if end is None else end
    words = get_analyzer() if shown and terms.bigrams else None
    for found, match in enumerate(terms.pattern.finditer(norm, start, end), 1):
        s, e = match.span(1)
        if words is not None and not words.is_word_or_part(norm, s, e):
            continue
        units = terms.units[match.group(1)]
        if marks and s <= marks[-1].end:
            last = marks[-1]
            if e > last.end or not units <= last.units:
                marks[-1] = Mark(last.start, max(e, last.end), last.units | units)
        else:
            marks.append(Mark(s, e, units))
        if found >= limit:
            break
    return marks
