"""Scanning helpers for the condition readers: clause heads, cue words at a position.

The readers of :mod:`ingest.enrich.condition_clauses`, ``condition_records`` and
``conditions`` look for the same things in a normalised sentence: where its
comma-separated clauses start, whether a cue word opens one, the earliest of a cue list.
They are written once here so the three read a sentence alike.
"""

from __future__ import annotations

import functools
import re

HEAD_SEPARATORS = ",:"  # what separates the clauses of a normalised sentence


def heads(text: str, start: int, end: int) -> list[int]:
    """The starts of the comma-separated clauses of ``text[start:end]``."""
    return [start, *(i + 1 for i in range(start, end) if text[i] in HEAD_SEPARATORS and i + 1 < end)]


def next_head(text: str, at: int, end: int) -> int:
    found = [text.find(sep, at, end) for sep in HEAD_SEPARATORS]
    return min((f for f in found if f >= 0), default=end)


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


def unprefixed(word: str, not_modal: tuple[str, ...]) -> str:
    """A pattern of ``word`` where it is not the end of one of ``not_modal`` (许可办理 holds
    no 可办理): a lookbehind for each such word's head."""
    heads = sorted({w[:-1] for w in not_modal if len(w) > 1 and w[-1] == word[0]})
    return "".join(f"(?<!{re.escape(h)})" for h in heads) + re.escape(word)


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
