"""The relation tables of ``eligibility.json``: values that imply, contain or exclude others.

A profile value says more than itself: a 技师 holds a skill certificate (``held_with``), a
高校 is a 事业单位 (``unit_within``), a 华侨 is a 中国公民 (``origin_is``), a 香港
resident may or may not be one (``origin_may_be``). Each table relates the values of the
vocabulary's lists, so each is validated here against them, apart from
:mod:`knowledge.eligibility`, which reads the lists themselves, and from the extraction
cues (:mod:`knowledge.condition_cues`). A broken table raises
:class:`~knowledge.tables.DataFileError` naming the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from analysis.text import compact, normalize
from knowledge.tables import DataFileError

Lists = dict[str, tuple[str, ...]]  # a validated table: key -> its values


def origin_parts(path: Path, table: Any, origins: tuple[str, ...]) -> dict[str, dict[str, tuple[str, ...]]]:
    """Origins made of parts (港澳台: 港澳, 台湾), each part with its spellings, compacted."""
    ok = isinstance(table, dict) and all(
        whole in origins
        and isinstance(parts, dict)
        and len(parts) >= 2
        and all(
            part not in origins and isinstance(s, list) and s and all(isinstance(w, str) for w in s)
            for part, s in parts.items()
        )
        for whole, parts in table.items()
    )
    if not ok:
        raise DataFileError(
            path,
            f"origin_parts must map an origin ({', '.join(origins)}) to two or more parts, each with its spellings",
        )
    return {
        whole: {part: tuple(compact(normalize(w)) for w in s) for part, s in parts.items()}
        for whole, parts in table.items()
    }


def lists_by_key(path: Path, table: Any, name: str, keys: Iterable[str], values: Iterable[str] | None) -> Lists:
    """A table of ``name`` mapping some of ``keys`` to non-empty lists: of ``values`` other
    than the key itself, or of any non-empty words when ``values`` is None."""
    allowed, members = set(keys), None if values is None else set(values)

    def fits(key: Any, items: Any) -> bool:
        if key not in allowed or not isinstance(items, list) or not items:
            return False
        if members is None:
            return all(isinstance(w, str) and w for w in items)
        return set(items) <= members - {key}

    if not isinstance(table, dict) or not all(fits(key, items) for key, items in table.items()):
        kinds = "words" if values is None else f"values of {', '.join(sorted(members or ()))}"
        raise DataFileError(path, f"{name} must map one of {', '.join(sorted(allowed))} to a list of other {kinds}")
    return {key: tuple(items) for key, items in table.items()}


def origin_may_be(path: Path, table: Any, origins: tuple[str, ...]) -> Lists:
    """Origins that say no nationality, each with those it may be: origins that say one."""
    stating = [origin for origin in origins if not (isinstance(table, dict) and origin in table)]
    return lists_by_key(path, table, "origin_may_be", origins, stating)


def origin_is(path: Path, table: Any, origins: tuple[str, ...], may_be: Lists, exclusive: tuple[str, ...]) -> Lists:
    """Origins that are kinds of others (华侨 → 中国公民), each with what it always is. A
    kind and what it is state a nationality (neither may be in ``origin_may_be``), what it
    is is no kind itself, and ``exclusive_origins`` does not list a kind beside what it is
    (no one would be a 华侨 and a 中国公民 at once)."""
    kinds = lists_by_key(path, table, "origin_is", origins, origins)
    for kind, broader in kinds.items():
        problems = {
            "says no nationality (origin_may_be)": {kind, *broader} & set(may_be),
            "is a kind itself": set(broader) & set(kinds),
            "is listed beside it in exclusive_origins": set(broader) & set(exclusive) if kind in exclusive else set(),
        }
        for problem, names in problems.items():
            if names:
                raise DataFileError(path, f"origin_is.{kind}: {', '.join(sorted(names))} {problem}")
    return kinds


def origin_list(path: Path, names: Any, origins: tuple[str, ...], key: str) -> tuple[str, ...]:
    """A list of origins (``exclusive_origins``, ``common_origins``)."""
    if not isinstance(names, list) or not set(names) <= set(origins):
        raise DataFileError(path, f"{key} must list origins ({', '.join(origins)})")
    return tuple(names)
