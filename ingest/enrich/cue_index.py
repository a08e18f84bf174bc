"""Finding which of many regex cues occur in a text, fast.

Clause typing asks, for every clause, which of ~150 phrases and patterns of
``clause_cues.json`` occur in it. One alternation per cue group made Python's ``re`` try
every alternative at every character (it can skip ahead only when each alternative starts
with a literal), which tripled the cost of enrichment. Here each cue is compiled alone and
indexed by the characters a match can start with (read from the parsed pattern); one
C-level scan finds the positions holding such a character, and only the cues starting
with it are tried there. A cue whose first character cannot be known (``.``, ``\\w``, a
negated class) is searched in the whole text. The result is exactly ``{cue for cue in
cues if cue.search(text)}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

# Character classes wider than this (\d is fine, a CJK block is not) count as "any".
_MAX_CLASS = 512

First = tuple[frozenset[str] | None, bool]  # (possible first characters or None = any, can be empty)


class CueIndex:
    """The cues ``(pattern, key)`` found in a text, each pattern searched as a whole."""

    def __init__(self, cues: Iterable[tuple[str, Any]]) -> None:
        self._by_char: dict[str, list[tuple[re.Pattern[str], Any]]] = {}
        self._anywhere: list[tuple[re.Pattern[str], Any]] = []
        for pattern, key in cues:
            compiled = re.compile(pattern)
            firsts = first_characters(pattern)
            if firsts is None:
                self._anywhere.append((compiled, key))
                continue
            for char in firsts:
                self._by_char.setdefault(char, []).append((compiled, key))
        chars = "".join(re.escape(c) for c in sorted(self._by_char))
        self._starts = re.compile(f"[{chars}]") if chars else None

    def found(self, text: str) -> set[Any]:
        """The keys of the cues that occur in ``text``."""
        keys: set[Any] = {key for compiled, key in self._anywhere if compiled.search(text)}
        if self._starts is None:
            return keys
        for start in self._starts.finditer(text):
            pos = start.start()
            for compiled, key in self._by_char[text[pos]]:
                if key not in keys and compiled.match(text, pos):
                    keys.add(key)
        return keys


def first_characters(pattern: str) -> frozenset[str] | None:
    """The characters a non-empty match of ``pattern`` can start with; None when that is
    not known (any character, a class too wide, a construct not analysed)."""
    try:
        firsts, can_be_empty = _sequence(sre_parse.parse(pattern).data)
    except (re.error, AttributeError, TypeError, ValueError):
        return None
    return None if firsts is None or can_be_empty else firsts


def _sequence(items: Sequence[tuple[Any, Any]]) -> First:
    out: set[str] = set()
    for op, av in items:
        firsts, can_be_empty = _item(op, av)
        if firsts is None:
            return None, False
        out |= firsts
        if not can_be_empty:
            return frozenset(out), False
    return frozenset(out), True


def _item(op: Any, av: Any) -> First:
    c = sre_constants
    if op is c.LITERAL:
        return frozenset(chr(av)), False
    if op is c.IN:
        return _class(av), False
    if op is c.BRANCH:
        return _union(_sequence(branch.data) for branch in av[1])
    if op is c.SUBPATTERN:
        return _sequence(av[3].data)
    if op is c.ATOMIC_GROUP:
        return _sequence(av.data)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        firsts, can_be_empty = _sequence(av[2].data)
        return firsts, can_be_empty or av[0] == 0
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):  # zero-width: the next item starts the match
        return frozenset(), True
    return None, False


def _class(items: Sequence[tuple[Any, Any]]) -> frozenset[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is sre_constants.LITERAL:
            chars.add(chr(av))
        elif op is sre_constants.RANGE and av[1] - av[0] < _MAX_CLASS:
            chars.update(chr(i) for i in range(av[0], av[1] + 1))
        else:  # NEGATE, CATEGORY (\d, \s, \w), wide ranges
            return None
    return frozenset(chars)


def _union(parts: Iterable[First]) -> First:
    out: set[str] = set()
    can_be_empty = False
    for firsts, empty in parts:
        if firsts is None:
            return None, False
        out |= firsts
        can_be_empty = can_be_empty or empty
    return frozenset(out), can_be_empty
