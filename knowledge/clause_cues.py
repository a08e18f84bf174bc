"""The cues that vote for a clause's type, loaded and validated from ``clause_cues.json``.

A policy clause is typed (``Passage.clause_type``, one of
:data:`knowledge.tables.CLAUSE_TYPES`) by weighted votes: each cue is a list of phrases
and regexes that, found in the clause's text or in a heading above it, votes for one type
(``ingest/enrich/clause_types.py`` counts them). The file also fixes the tie-break order,
the default type and how an item and an article's text after its lead weigh. A cue's
mistakes are silent, so they are refused on load: a phrase inside another of the same
cue would vote twice, a regex matching the empty string everywhere. A broken file raises
:class:`~knowledge.tables.DataFileError` naming the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.tables import (
    CLAUSE_TYPES,
    DATA_DIR,
    DataFileError,
    _check_keys,
    _entries,
    _obj,
    _read_json,
    _regexes,
    _str_list,
)

# Where a clause cue is searched: the clause's own text or the headings above it.
CUE_PLACES = ("text", "heading")


@dataclass(frozen=True)
class ClauseCue:
    """A weighted vote for ``type`` when one of ``phrases`` or ``patterns`` occurs in a
    clause's text or in a heading above it (``where``)."""

    type: str
    where: str
    weight: int
    phrases: tuple[str, ...]
    patterns: tuple[str, ...]

    def alternatives(self) -> list[str]:
        return [re.escape(p) for p in sorted(self.phrases, key=len, reverse=True)] + list(self.patterns)


@dataclass(frozen=True)
class ClauseCues:
    types: tuple[str, ...]  # CLAUSE_TYPES in tie-break order (the first wins a tie)
    default: str  # the type of a clause no cue votes for
    item_override: int  # an item leaves its lead-in's type only when its own text scores this much
    rest_divisor: int  # an article's text after its lead votes its weights divided by this
    cues: tuple[ClauseCue, ...]

    def alternatives(self, where: str) -> list[tuple[str, str, int]]:
        """Every phrase (escaped) and pattern searched in ``where``, with the type and
        weight it votes for."""
        return [(alt, cue.type, cue.weight) for cue in self.cues if cue.where == where for alt in cue.alternatives()]


def _positive(path: Path, value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise DataFileError(path, f"{where} must be a positive integer, got {value!r}")
    return value


def _clause_cue(path: Path, entry: dict[str, Any], where: str, types: tuple[str, ...]) -> ClauseCue:
    _check_keys(
        path, entry, where, {"type", "where", "weight", "phrases", "patterns", "_comment"}, {"type", "where", "weight"}
    )
    kind, place = entry["type"], entry["where"]
    if kind not in types:
        raise DataFileError(path, f"{where}.type must be one of {', '.join(types)}, got {kind!r}")
    if place not in CUE_PLACES:
        raise DataFileError(path, f"{where}.where must be one of {', '.join(CUE_PLACES)}, got {place!r}")
    weight = _positive(path, entry["weight"], f"{where}.weight")
    phrases = _str_list(path, entry.get("phrases"), f"{where}.phrases", required=False)
    patterns = _str_list(path, entry.get("patterns"), f"{where}.patterns", required=False)
    if not phrases and not patterns:
        raise DataFileError(path, f"{where} needs at least one phrase or pattern")
    for phrase in phrases:
        inside = [other for other in phrases if other != phrase and other in phrase]
        if inside:
            raise DataFileError(path, f"{where}: phrase {phrase!r} contains {inside[0]!r}, so it would vote twice")
    _regexes(path, patterns, f"{where}.patterns")
    for i, pattern in enumerate(patterns):
        if re.compile(pattern).match(""):
            raise DataFileError(path, f"{where}.patterns[{i}] matches the empty string: {pattern!r}")
    return ClauseCue(kind, place, weight, phrases, patterns)


def load_clause_cues(path: Path = DATA_DIR / "clause_cues.json") -> ClauseCues:
    """Cues that vote for a clause type (see ``ingest/enrich/clause_types.py``)."""
    root = _obj(path, _read_json(path), "the top level")
    keys = {"types", "default", "item_override", "rest_divisor", "cues"}
    _check_keys(path, root, "the top level", keys | {"_comment"}, keys)
    types = _str_list(path, root["types"], "types")
    if sorted(types) != sorted(CLAUSE_TYPES):
        raise DataFileError(path, f"'types' must list each of {', '.join(CLAUSE_TYPES)} once, got {list(types)!r}")
    default = root["default"]
    if default not in types:
        raise DataFileError(path, f"'default' must be one of {', '.join(types)}, got {default!r}")
    override = _positive(path, root["item_override"], "'item_override'")
    divisor = _positive(path, root["rest_divisor"], "'rest_divisor'")
    cues = tuple(_clause_cue(path, entry, f"cues[{i}]", types) for i, entry in enumerate(_entries(path, root, "cues")))
    seen: dict[tuple[str, str], str] = {}
    for i, cue in enumerate(cues):
        for word in (*cue.phrases, *cue.patterns):
            key = (cue.where, word)
            if key in seen:
                raise DataFileError(path, f"cue {word!r} ({cue.where}) is listed twice: {seen[key]} and cues[{i}]")
            seen[key] = f"cues[{i}]"
    return ClauseCues(types, default, override, divisor, cues)
