"""Typo tolerance: one wrong character in a long Han term, or two swapped, is corrected.

A typo in a four-character term (技能大帅工作室) does not only miss the term: jieba then
cuts the text into other words, so nothing of it is looked up. When a query leaves a unit
unmatched, :func:`corrections` looks at every run of four to eight Han characters of the
query that is no dictionary word, and offers the dictionary words one substitution or
one transposition away (a SymSpell-like index of "one character masked" keys over jieba's
dictionary and the user dictionary). A candidate is taken only if the index holds it and
does not hold the typed run: exact matches always win. The response lists what was
corrected (「您是不是要找」).

A Latin word of four letters or more that the index lacks (talnet) has no dictionary to
be looked up in: :func:`latin_corrections` generates its neighbours (one letter deleted,
inserted or replaced, or two swapped) and asks the engine, in one query, which of them
its passages hold; the one held by most of the passages found is taken.
"""

from __future__ import annotations

import re
import string
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache

from analysis.text import HAN
from analysis.words import get_analyzer
from search_api.index.engine import Engine, EngineFilters, EngineQuery
from search_api.index.plan import TEXT, AnyOf, Match, Plan
from search_api.search import budget
from search_api.search.matching import page_texts

MIN_CHARS, MAX_CHARS = 4, 8
MAX_CANDIDATES = 4  # per typed run: each one is checked against the index
_HAN_RUN = re.compile(rf"[{HAN}]{{{MIN_CHARS},}}")
_MASK = "*"
# Latin words corrected: from four letters (shorter ones have too many neighbours) to
# fifteen (about 800 neighbours, one query clause each: within every engine's limit).
MIN_LATIN, MAX_LATIN = 4, 15
_LATIN_WORD = re.compile(rf"[a-z]{{{MIN_LATIN},{MAX_LATIN}}}")
_LATIN_RUN = re.compile(r"[a-z0-9]+")
LATIN_HITS = 50  # passages read to tell which neighbour the index holds most


class Speller:
    """Dictionary words of MIN_CHARS to MAX_CHARS Han characters, by masked keys."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(w for w in words if MIN_CHARS <= len(w) <= MAX_CHARS and _HAN_RUN.fullmatch(w))
        self._keys: dict[str, list[str]] = {}
        for word in self.words:
            for i in range(len(word)):
                self._keys.setdefault(word[:i] + _MASK + word[i + 1 :], []).append(word)

    def neighbours(self, typed: str) -> list[str]:
        """Words one substitution or one adjacent transposition away, most common first."""
        found: dict[str, None] = {}
        for i in range(len(typed)):
            for word in self._keys.get(typed[:i] + _MASK + typed[i + 1 :], ()):
                if word != typed:
                    found[word] = None
        for i in range(len(typed) - 1):
            swapped = typed[:i] + typed[i + 1] + typed[i] + typed[i + 2 :]
            if swapped != typed and swapped in self.words:
                found[swapped] = None
        return list(found)


_lock = threading.Lock()


@lru_cache(maxsize=1)
def default_speller() -> Speller:
    """jieba's dictionary with the project's user dictionary (built once, about a second)."""
    with _lock:
        freq = get_analyzer().dictionary()
        return Speller(word for word, count in freq.items() if count)


def corrections(
    text: str, speller: Speller, in_index: Callable[[str], bool], missing: list[str]
) -> list[tuple[str, str]]:
    """(typed, corrected) pairs for the runs of ``text`` that hold a typo, longest first:
    only a run that overlaps a unit the index lacks (``missing``) is looked at, so a run
    of words that all exist (区级 + 工作室) is never "corrected"; ``in_index`` tells
    whether the index holds a text (as a query unit)."""
    out: list[tuple[str, str]] = []
    for run in _HAN_RUN.finditer(text):
        chars = run.group()
        covered = [False] * len(chars)
        for size in range(min(MAX_CHARS, len(chars)), MIN_CHARS - 1, -1):
            for start in range(len(chars) - size + 1):
                typed = chars[start : start + size]
                if any(covered[start : start + size]) or typed in speller.words:
                    continue
                if not any(_overlaps(chars, start, size, unit) for unit in missing):
                    continue
                fixed = _first_known(speller.neighbours(typed)[:MAX_CANDIDATES], in_index)
                if fixed and not in_index(typed):
                    out.append((typed, fixed))
                    covered[start : start + size] = [True] * size
    return out


def _overlaps(chars: str, start: int, size: int, unit: str) -> bool:
    """Whether an occurrence of ``unit`` in ``chars`` overlaps the window."""
    at = chars.find(unit)
    while at != -1:
        if at < start + size and start < at + len(unit):
            return True
        at = chars.find(unit, at + 1)
    return False


def _first_known(candidates: list[str], in_index: Callable[[str], bool]) -> str | None:
    return next((c for c in candidates if in_index(c)), None)


def apply(text: str, fixes: list[tuple[str, str]]) -> str:
    """``text`` with each typed run replaced; a Latin word only as a whole word."""
    for typed, fixed in fixes:
        if _LATIN_WORD.fullmatch(typed):
            text = re.sub(rf"(?<![a-z0-9]){typed}(?![a-z0-9])", fixed, text)
        else:
            text = text.replace(typed, fixed)
    return text


def latin_neighbours(word: str) -> list[str]:
    """The words one edit from ``word``: a letter swapped with the next, replaced,
    deleted or inserted (in that order: the likelier typos first)."""
    letters = string.ascii_lowercase
    found: dict[str, None] = {}
    found.update((word[:i] + word[i + 1] + word[i] + word[i + 2 :], None) for i in range(len(word) - 1))
    found.update((word[:i] + c + word[i + 1 :], None) for i in range(len(word)) for c in letters)
    found.update((word[:i] + word[i + 1 :], None) for i in range(len(word)))
    found.update((word[:i] + c + word[i:], None) for i in range(len(word) + 1) for c in letters)
    found.pop(word, None)
    return list(found)


def latin_corrections(missing: list[str], closest: Callable[[list[str]], str | None]) -> list[tuple[str, str]]:
    """(typed, corrected) for each Latin unit of ``missing`` (units the index lacks) of
    MIN_LATIN to MAX_LATIN letters that ``closest`` finds a neighbour of."""
    out: list[tuple[str, str]] = []
    for word in missing:
        if _LATIN_WORD.fullmatch(word) and (fixed := closest(latin_neighbours(word))) is not None:
            out.append((word, fixed))
    return out


def closest_in_index(engine: Engine, filters: EngineFilters, candidates: list[str]) -> str | None:
    """The candidate (a Latin word) held by most of the passages holding any of them, the
    earlier candidate on a tie; None when the index holds none. One engine call."""
    if not candidates:
        return None
    budget.check()
    plan = Plan(must=AnyOf(tuple(Match(TEXT, (c,), 1.0) for c in candidates)), should=())
    result = engine.run(EngineQuery(plan=plan, filters=filters, limit=LATIN_HITS))
    wanted = set(candidates)
    counts: Counter[str] = Counter()
    for text in page_texts([payload for _, payload in result.hits]):
        counts.update(wanted.intersection(_LATIN_RUN.findall(text)))
    order = {c: i for i, c in enumerate(candidates)}
    return min(counts, key=lambda c: (-counts[c], order[c]), default=None)
