"""The extraction cues of ``eligibility.json``: the words and patterns a clause is read by.

The vocabulary's ``cues`` section is not for the profile but for the extractor
(``ingest/enrich/conditions.py`` and its readers): named lists of words it reads a
clause's structure from (requirement verbs, negations, list lead-ins …) and, per field,
the regexes that find a requirement, whose ``{slots}`` stand for a number (:data:`NUMBER`),
a ladder's or a choice's spellings or a cue list. They are validated here, apart from the
ladders and choices of :mod:`knowledge.eligibility`, which calls :func:`read_cues`; a broken
section raises :class:`~knowledge.tables.DataFileError` naming the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.text import normalize
from knowledge.tables import DataFileError

# Cue lists the extractor needs (each a non-empty list of words) and the numeric patterns.
CUE_LISTS = (
    "negation",
    "bounds",
    "requirement_joins",
    "any_of",
    "list_lead",
    "qualification_lead",
    "preference",
    "preferred_acts",
    "alternative",
    "shared",
    "class_nouns",
    "role_nouns",
    "asking_words",
    "self_verbs",
    "generic_experience",
    "scope",
    "dangling",
    "requirement_verbs",
    "certificate_verbs",
    "procedural",
    "benefit_verbs",
    "authority",
    "sanction",
    "authority_acts",
    "powers",
    "discretion",
    "acting",
    "authority_units",
    "measure_lead",
    "schedule_lead",
    "catch_alls",
    "person_endings",
    "duty",
    "application",
    "support",
    "encourage",
    "condition_openers",
    "beneficiary_marks",
    "provide",
    "grant",
    "modal",
    "definition",
    "pool",
    "talent_nouns",
    "licence_verbs",
    "holder_verbs",
    "defined_term",
    "universal",
    "applicant_acts",
    "circumstance_lead",
    "matter_lead",
    "matter_rights",
    "matter_acts",
    "not_modal",
    "not_marker",
    "rule_words",
    "everyone",
    "exemption",
    "free_of",
    "limits",
    "applicant_nouns",
    "applicant_duties",
    "subset_lead",
    "also_modal",
    "case_openers",
    "on_a_list",
    "absence",
    "exception",
    "unstated",
    "no_requirement_endings",
    "list_refs",
    "party_nouns",
    "right_verbs",
    "right_nouns",
    "purpose_verbs",
    "means_marks",
    "promotion_marks",
    "agent_acts",
    "credential_verbs",
)

NUMBER = "[0-9]+|[零〇一二两三四五六七八九十百]+"  # the {N} slot of a pattern: digits or words


@dataclass(frozen=True)
class FieldPattern:
    """A regex of one field; ``value`` is given outright, or None to read it from the match."""

    regex: re.Pattern[str]
    value: str | int | list[str] | None = None


CueWords = dict[str, tuple[str, ...]]
FieldPatterns = dict[str, tuple[FieldPattern, ...]]


def read_cues(
    path: Path, section: dict[str, Any], aliases: dict[str, dict[str, str]], fields: tuple[str, ...]
) -> tuple[CueWords, FieldPatterns]:
    """The cue lists and the field patterns of the ``cues`` section; a pattern names one of
    ``fields`` and its slots are filled from the ladders' and choices' ``aliases``."""
    cues: CueWords = {}
    for name in CUE_LISTS:
        words = section.get(name)
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
            raise DataFileError(path, f"cues.{name} must be a non-empty list of non-empty strings")
        cues[name] = tuple(normalize(w) for w in words)
    unknown = set(section) - {"_comment", "patterns", "not_after", "not_before", "outcome_before", *CUE_LISTS}
    if unknown:
        raise DataFileError(path, f"unknown keys in cues: {', '.join(sorted(unknown))}")
    raw = section.get("patterns")
    if not isinstance(raw, dict) or not raw:
        raise DataFileError(path, "cues.patterns must be an object of field -> list of regexes")
    slots = {"N": NUMBER, **{name: alternation(table) for name, table in aliases.items()}}
    slots.update({name: alternation(words) for name, words in cues.items()})
    patterns: FieldPatterns = {}
    for name, entries in raw.items():
        if name.startswith("_"):
            continue
        if name not in fields:
            raise DataFileError(path, f"cues.patterns.{name} is not a field ({', '.join(fields)})")
        if not isinstance(entries, list) or not entries:
            raise DataFileError(path, f"cues.patterns.{name} must be a non-empty list")
        patterns[name] = tuple(
            _pattern(path, entry, f"cues.patterns.{name}[{i}]", slots) for i, entry in enumerate(entries)
        )
    return cues, patterns


def per_field(path: Path, section: dict[str, Any], key: str, fields: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """A cue object of field -> words (``not_after``, ``not_before``, ``outcome_before``)."""
    raw = section.get(key)
    if not isinstance(raw, dict):
        raise DataFileError(path, f"cues.{key} must be an object of field -> list of words")
    out: dict[str, tuple[str, ...]] = {}
    for name, words in raw.items():
        if name.startswith("_"):
            continue
        if name not in fields or not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise DataFileError(path, f"cues.{key}.{name} must name a field and list non-empty words")
        out[name] = tuple(normalize(w) for w in words)
    return out


def _pattern(path: Path, entry: Any, where: str, slots: dict[str, str]) -> FieldPattern:
    """One pattern: a regex string, or {"regex", "value"} whose value is given outright."""
    value: Any = None
    if isinstance(entry, dict):
        if set(entry) != {"regex", "value"}:
            raise DataFileError(path, f"{where} must be a regex or an object with exactly 'regex' and 'value'")
        entry, value = entry["regex"], entry["value"]
        if not (isinstance(value, (str, int)) or (isinstance(value, list) and all(isinstance(v, str) for v in value))):
            raise DataFileError(path, f"{where}.value must be a string, a number or a list of strings")
    if not isinstance(entry, str) or not entry:
        raise DataFileError(path, f"{where} must be a non-empty regex string")
    try:
        regex = re.sub(r"\{(\w+)\}", lambda m: f"(?:{slots[m.group(1)]})", entry)
    except KeyError as exc:
        raise DataFileError(path, f"{where} names an unknown slot {exc}") from exc
    try:
        return FieldPattern(re.compile(regex), value)
    except re.error as exc:
        raise DataFileError(path, f"{where} is not a valid regex ({exc}): {entry!r}") from exc


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words`` (a table's spellings, a cue list), escaped, longest
    first, for ``(?:…)`` in a pattern."""
    return "|".join(re.escape(s) for s in sorted(words, key=lambda s: (-len(s), s)))
