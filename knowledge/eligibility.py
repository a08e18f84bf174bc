"""The vocabulary of eligibility conditions: ladders, profile choices and extraction cues.

An applicant's profile (博士, 副高级, 外籍 …) and a clause's requirement (本科以上学历,
高级职称, 外国人 …) are compared through one vocabulary, ``knowledge/data/eligibility.json``:
ordered ladders for education, professional titles and skill levels (lowest first, so that
a rank comparison decides "at least"), the canonical values a profile may pick for the
list fields, and the words the extractor (``ingest/enrich/conditions.py``) reads a clause's
structure from. The file is validated on load (the tables relating values to values, 华侨
is a 中国公民, in :mod:`knowledge.eligibility_relations`); a broken file raises
:class:`~knowledge.tables.DataFileError` naming the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from analysis.text import compact, normalize
from knowledge.eligibility_relations import lists_by_key, origin_is, origin_list, origin_may_be, origin_parts
from knowledge.tables import DATA_DIR, DataFileError, _read_json

FIELDS: tuple[str, ...] = (
    "education_min",
    "age_max",
    "age_min",
    "retirement_margin_min",
    "professional_title_min",
    "skill_level_min",
    "years_experience_min",
    "origin",
    "residence_or_employment",
    "unit_type",
    "certificates",
    "awards",
    "other",
)
NUMERIC_FIELDS: frozenset[str] = frozenset({"age_max", "age_min", "retirement_margin_min", "years_experience_min"})
LADDER_OF: dict[str, str] = {
    "education_min": "education",
    "professional_title_min": "professional_title",
    "skill_level_min": "skill_level",
}
LADDERS = tuple(LADDER_OF.values())
CHOICES = ("origin", "residence", "unit_type", "certificates", "awards")
# Cue lists the extractor needs (each a non-empty list of words) and the numeric patterns.
CUE_LISTS = (
    "negation",
    "any_of",
    "list_lead",
    "qualification_lead",
    "preference",
    "preferred_acts",
    "alternative",
    "shared",
    "class_nouns",
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
    "case_openers",
    "absence",
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
DEFAULT_PATH = DATA_DIR / "eligibility.json"
NUMBER = "[0-9]+|[零〇一二两三四五六七八九十百]+"  # the {N} slot of a pattern: digits or words


@dataclass(frozen=True)
class FieldPattern:
    """A regex of one field; ``value`` is given outright, or None to read it from the match."""

    regex: re.Pattern[str]
    value: str | int | list[str] | None = None


CueWords = dict[str, tuple[str, ...]]
FieldPatterns = dict[str, tuple[FieldPattern, ...]]


@dataclass(frozen=True)
class Vocabulary:
    ladders: dict[str, tuple[str, ...]]  # ladder name -> values, lowest first
    choices: dict[str, tuple[str, ...]]  # profile field -> canonical values
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)  # ladder/choice -> spelling -> value
    # Spellings read in a profile only (国企): inside a text they are part of longer words
    # (外国企业, 中国企业), so the extractor never searches for them.
    profile_aliases: dict[str, dict[str, str]] = field(default_factory=dict)
    cues: CueWords = field(default_factory=dict)  # CUE_LISTS -> words
    patterns: FieldPatterns = field(default_factory=dict)  # field -> its patterns
    not_after: dict[str, tuple[str, ...]] = field(default_factory=dict)  # field -> words after it that void a match
    not_before: dict[str, tuple[str, ...]] = field(default_factory=dict)  # field -> words before it that void a match
    # field -> words earlier in its clause that make a match the outcome (可对应…中级职称)
    outcome_before: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Choices whose list of values is closed: a profile value they do not know is refused.
    closed: frozenset[str] = frozenset()
    # Ladder -> the certificates anyone on it holds (a 技师 holds 国家职业资格证书 or
    # 职业技能等级证书): a profile giving the ladder's value holds one of them.
    held_with: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Certificate -> the qualifications one cannot hold it without (护士执业证书 -> 护士执业资格).
    certificates_imply: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Sex -> the lowest and highest statutory retirement age it may have.
    retirement_ages: dict[str, tuple[int, int]] = field(default_factory=dict)
    # Origins no one has two of at once (留学回国 goes with 中国公民).
    exclusive_origins: tuple[str, ...] = ()
    # Unit type -> the broader unit types it is a kind of (高校 -> 事业单位).
    unit_within: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Unit type -> the words that narrow it in a requirement (企业 -> 国有): met only if stated.
    unit_qualifiers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Origins most applicants have (中国公民): they choose no policy.
    common_origins: tuple[str, ...] = ()
    # Origin that says no nationality -> the nationalities it may have (港澳台 -> 中国公民, 外籍).
    origin_may_be: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Origin -> its parts, each with the spellings naming it (港澳台: 港澳 or 台湾).
    origin_parts: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    # Origin -> the origins it always is (华侨 and 归侨 are 中国公民: 归侨侨眷权益保护法 第二条);
    # the kinds of one origin exclude each other (a 归侨 no longer lives abroad: no 华侨).
    origin_is: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def origin_part(self, text: str) -> str | None:
        """The part of an origin a profile spelling names (香港 → 港澳), None for none."""
        key = _key(text)
        return next((p for parts in self.origin_parts.values() for p, s in parts.items() if key in s), None)

    def parts_named(self, text: str) -> set[str]:
        """The origin parts ``text`` names (台湾同胞 → {台湾}); every part of an origin
        named whole (港澳台人才, whose 港澳 is no 港澳 alone)."""
        key = _key(text)
        named: set[str] = set()
        for whole, parts in self.origin_parts.items():
            spelled = {w for s in parts.values() for w in s}
            wholes = [w for w, value in self.aliases.get("origin", {}).items() if value == whole and w not in spelled]
            if any(w in key for w in wholes):
                named |= set(parts)
            else:
                named |= {p for p, s in parts.items() if any(w in key for w in s)}
        return named

    def offered(self, choice: str) -> tuple[str, ...]:
        """The values a profile is offered for a choice (the form, the command's help): an
        origin made of parts by its parts (港澳, 台湾: a condition may name one)."""
        values = self.choices[choice]
        if choice != "origin":
            return values
        return tuple(p for value in values for p in self.origin_parts.get(value, (value,)))

    def whole_of(self, part: str) -> str | None:
        """The origin a part belongs to (港澳 → 港澳台)."""
        return next((whole for whole, parts in self.origin_parts.items() if part in parts), None)

    def rank(self, ladder: str, value: str) -> int | None:
        """Index of ``value`` in ``ladder`` (after :meth:`canonical`); None if unknown."""
        canonical = self.canonical(ladder, value)
        values = self.ladders.get(ladder, ())
        return values.index(canonical) if canonical in values else None

    def canonical(self, field: str, text: str) -> str | None:
        """The canonical value of a spelling (硕士研究生 → 硕士, 高级职称 → 副高级,
        外国人 → 外籍); ``field`` is a ladder name or a choices key. A spelling with a
        trailing 及以上/以上/学历/职称 is looked up without it."""
        table = self.aliases.get(field)
        if table is None or not text:
            return None
        profile = self.profile_aliases.get(field, {})
        key = _key(text)
        found = table.get(key) or profile.get(key)
        if found is None:
            stripped = re.sub(r"(?:及其?以上|以上)?(?:学历|学位|毕业|职称|资格|等级)?$", "", key)
            found = (table.get(stripped) or profile.get(stripped)) if stripped else None
        return found

    def spellings(self, field: str) -> list[tuple[str, str]]:
        """(spelling, value) pairs of a ladder or choices key, longest spelling first."""
        return sorted(self.aliases.get(field, {}).items(), key=lambda kv: (-len(kv[0]), kv[0]))


def _key(text: str) -> str:
    return compact(normalize(text))


def load_vocabulary(path: Path = DEFAULT_PATH) -> Vocabulary:
    """Read and validate ``eligibility.json``; errors name the file and the problem."""
    doc = _read_json(path)
    if not isinstance(doc, dict):
        raise DataFileError(path, "the top level must be an object")
    keys = {"_comment", "ladders", "choices", "closed_choices", "held_with", "retirement_ages", "exclusive_origins"}
    keys |= {"origin_parts", "common_origins", "unit_within", "origin_may_be", "certificates_imply", "unit_qualifiers"}
    keys |= {"origin_is"}
    unknown = set(doc) - {*keys, "cues"}
    if unknown:
        raise DataFileError(path, f"unknown top-level keys {', '.join(sorted(unknown))}")
    ladders: dict[str, tuple[str, ...]] = {}
    aliases: dict[str, dict[str, str]] = {}
    profile: dict[str, dict[str, str]] = {}
    for name in LADDERS:
        entries = _section(path, doc, "ladders").get(name)
        ladders[name], aliases[name], profile[name] = _valued_list(path, entries, f"ladders.{name}")
    choices: dict[str, tuple[str, ...]] = {}
    for name in CHOICES:
        entries = _section(path, doc, "choices").get(name)
        choices[name], aliases[name], profile[name] = _valued_list(path, entries, f"choices.{name}")
    section = _section(path, doc, "cues")
    cues, patterns = _cues(path, section, aliases)
    origins = choices["origin"]
    exclusive = origin_list(path, doc.get("exclusive_origins", []), origins, "exclusive_origins")
    may_be = origin_may_be(path, doc.get("origin_may_be", {}), origins)
    return Vocabulary(
        ladders,
        choices,
        aliases,
        profile,
        cues,
        patterns,
        _per_field(path, section, "not_after"),
        _per_field(path, section, "not_before"),
        _per_field(path, section, "outcome_before"),
        _closed_choices(path, doc.get("closed_choices", [])),
        lists_by_key(path, doc.get("held_with", {}), "held_with", LADDERS, choices["certificates"]),
        lists_by_key(
            path,
            doc.get("certificates_imply", {}),
            "certificates_imply",
            choices["certificates"],
            choices["certificates"],
        ),
        _retirement_ages(path, doc.get("retirement_ages", {})),
        exclusive,
        lists_by_key(path, doc.get("unit_within", {}), "unit_within", choices["unit_type"], choices["unit_type"]),
        lists_by_key(path, doc.get("unit_qualifiers", {}), "unit_qualifiers", choices["unit_type"], None),
        origin_list(path, doc.get("common_origins", []), origins, "common_origins"),
        may_be,
        origin_parts(path, doc.get("origin_parts", {}), origins),
        origin_is(path, doc.get("origin_is", {}), origins, may_be, exclusive),
    )


def _retirement_ages(path: Path, table: Any) -> dict[str, tuple[int, int]]:
    ok = isinstance(table, dict) and all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(n, int) for n in pair) and 0 < pair[0] <= pair[1]
        for pair in table.values()
    )
    if not ok:
        raise DataFileError(path, "retirement_ages must map a sex to [lowest, highest] ages")
    return {sex: (pair[0], pair[1]) for sex, pair in table.items()}


def _closed_choices(path: Path, names: Any) -> frozenset[str]:
    if not isinstance(names, list) or not all(isinstance(n, str) and n in CHOICES for n in names):
        raise DataFileError(path, f"closed_choices must be a list of choices ({', '.join(CHOICES)})")
    return frozenset(names)


def _section(path: Path, doc: dict[str, Any], key: str) -> dict[str, Any]:
    value = doc.get(key)
    if not isinstance(value, dict):
        raise DataFileError(path, f"{key!r} must be an object")
    return value


# The keys a vocabulary entry must have, and those it may have.
_ENTRY_KEYS = ({"value", "aliases"}, {"value", "aliases", "profile_aliases"})


def _valued_list(path: Path, entries: Any, where: str) -> tuple[tuple[str, ...], dict[str, str], dict[str, str]]:
    """Values in order and the spelling tables (texts and profiles; profiles only) of a
    list of {"value", "aliases"[, "profile_aliases"]} entries."""
    if not isinstance(entries, list) or not entries:
        raise DataFileError(path, f"{where} must be a non-empty list")
    values: list[str] = []
    table: dict[str, str] = {}
    profile: dict[str, str] = {}
    for i, entry in enumerate(entries):
        at = f"{where}[{i}]"
        if not isinstance(entry, dict) or not _ENTRY_KEYS[0] <= set(entry) <= _ENTRY_KEYS[1]:
            raise DataFileError(path, f"{at} must be an object with 'value', 'aliases' and maybe 'profile_aliases'")
        value, spellings, own = entry["value"], entry["aliases"], entry.get("profile_aliases", [])
        if not isinstance(value, str) or not value.strip() or value in values:
            raise DataFileError(path, f"{at}.value must be a new non-empty string, got {value!r}")
        for name, words in (("aliases", spellings), ("profile_aliases", own)):
            if not isinstance(words, list) or not all(isinstance(s, str) and s.strip() for s in words):
                raise DataFileError(path, f"{at}.{name} must be a list of non-empty strings")
        values.append(value)
        for spelling, into in [*((s, table) for s in (value, *spellings)), *((s, profile) for s in own)]:
            key = _key(spelling)
            claimed = table.get(key) or profile.get(key)
            if claimed not in (None, value):
                raise DataFileError(path, f"{at}: spelling {spelling!r} is claimed by {claimed!r} and {value!r}")
            into[key] = value
    return tuple(values), table, profile


def _cues(path: Path, section: dict[str, Any], aliases: dict[str, dict[str, str]]) -> tuple[CueWords, FieldPatterns]:
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
        if name not in FIELDS:
            raise DataFileError(path, f"cues.patterns.{name} is not a field ({', '.join(FIELDS)})")
        if not isinstance(entries, list) or not entries:
            raise DataFileError(path, f"cues.patterns.{name} must be a non-empty list")
        patterns[name] = tuple(
            _pattern(path, entry, f"cues.patterns.{name}[{i}]", slots) for i, entry in enumerate(entries)
        )
    return cues, patterns


def _per_field(path: Path, section: dict[str, Any], key: str) -> dict[str, tuple[str, ...]]:
    """A cue object of field -> words (``not_after``, ``not_before``, ``outcome_before``)."""
    raw = section.get(key)
    if not isinstance(raw, dict):
        raise DataFileError(path, f"cues.{key} must be an object of field -> list of words")
    out: dict[str, tuple[str, ...]] = {}
    for name, words in raw.items():
        if name.startswith("_"):
            continue
        if name not in FIELDS or not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
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


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The vocabulary of ``knowledge/data/eligibility.json`` (loaded once)."""
    return load_vocabulary(DEFAULT_PATH)
