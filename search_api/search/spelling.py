"""Typo tolerance: one wrong character in a long Han term, or two swapped, is corrected.

A typo in a four-character term (技能大帅工作室) does not only miss the term: jieba then
cuts the text into other words, so nothing of it is looked up. When a query leaves a unit
unmatched, :func:`corrections` looks at every run of four to eight Han characters of the
query that is no dictionary word, and offers the dictionary words one substitution or
one transposition away (a SymSpell-like index of "one character masked" keys over jieba's
dictionary and the user dictionary). A candidate is taken only if the index holds it and
does not hold the typed run: exact matches always win. The response lists what was
corrected (「您是不是要找」).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from functools import lru_cache

from analysis.text import HAN
from analysis.words import get_analyzer

MIN_CHARS, MAX_CHARS = 4, 8
MAX_CANDIDATES = 4  # per typed run: each one is checked against the index
_HAN_RUN = re.compile(rf"[{HAN}]{{{MIN_CHARS},}}")
_MASK = "*"


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
    for typed, fixed in fixes:
        text = text.replace(typed, fixed)
    return text
