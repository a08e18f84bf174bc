"""The vocabulary of eligibility conditions: ladders, profile choices and extraction cues.

An applicant's profile (博士, 副高级, 外籍 …) and a clause's requirement (本科以上学历,
高级职称, 外国人 …) are compared through one vocabulary, ``knowledge/data/eligibility.json``:
ordered ladders for education, professional titles and skill levels (lowest first, so that
a rank comparison decides "at least"), the canonical values a profile may pick for the
list fields, and the words the extractor (``ingest/enrich/conditions.py``) reads a clause's
structure from. The file is validated on load (the tables relating values to values, 华侨
is a 中国公民, in :mod:`knowledge.eligibility_relations`; the extractor's cue lists and
patterns in :mod:`knowledge.condition_cues`); a broken file raises
:class:`~knowledge.tables.DataFileError` naming the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from analysis.text import compact, normalize
from knowledge.condition_cues import CueWords, FieldPatterns, per_field, read_cues
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
DEFAULT_PATH = DATA_DIR / "eligibility.json"


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
    # The professional_title spellings naming a level in every series (高级职称); any other
    # names one series (副主任医师): a level alone neither meets nor fails it.
    level_titles: frozenset[str] = frozenset()
    # The words that give a title its grade within its series (副主任, 高级, 助理): what is
    # left names the series (医师, 审计师), so 高级审计师 and 会计师 are of two series.
    title_grades: tuple[str, ...] = ()
    # School levels whose graduates (初中毕业生) are school leavers, and the words saying
    # graduates: a higher degree neither meets nor fails such a requirement.
    leaver_levels: frozenset[str] = frozenset()
    leaver_words: tuple[str, ...] = ()
    # Certificate -> the qualifications its holder has one of, not saying which (a
    # 医师资格证书 is issued for 执业医师资格 or 执业助理医师资格: 医师法 第十二条).
    certificates_one_of: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def origin_part(self, text: str) -> str | None:
        """The part of an origin a profile spelling names (香港 → 港澳), None for none."""
        key = spelling_key(text)
        return next((p for parts in self.origin_parts.values() for p, s in parts.items() if key in s), None)

    def parts_named(self, text: str) -> set[str]:
        """The origin parts ``text`` names (台湾同胞 → {台湾}); every part of an origin
        named whole (港澳台人才, whose 港澳 is no 港澳 alone)."""
        key = spelling_key(text)
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
        origin made of parts by its parts (港澳, 台湾: a condition may name one), a unit
        type followed by the kinds of it one may name (企业, 国有企业, 民营企业 …)."""
        values = self.choices[choice]
        if choice == "unit_type":  # 企业, then the kinds its spellings name (民营企业)
            return tuple(v for value in values for v in (value, *self.named_units(value)))
        if choice != "origin":
            return values
        return tuple(p for value in values for p in self.origin_parts.get(value, (value,)))

    def named_units(self, unit: str) -> tuple[str, ...]:
        """The spellings of a unit type that narrow it by a word of ``unit_qualifiers``
        (国有企业, 民营企业 for 企业), in the file's order."""
        words = self.unit_qualifiers.get(unit, ())
        spellings = self.aliases.get("unit_type", {})
        return tuple(s for s, v in spellings.items() if v == unit and any(w in s for w in words))

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
        key = spelling_key(text)
        found = table.get(key) or profile.get(key)
        if found is None:
            stripped = re.sub(r"(?:及其?以上|以上)?(?:学历|学位|毕业|职称|资格|等级)?$", "", key)
            found = (table.get(stripped) or profile.get(stripped)) if stripped else None
        return found

    def spellings(self, field: str) -> list[tuple[str, str]]:
        """(spelling, value) pairs of a ladder or choices key, longest spelling first."""
        return sorted(self.aliases.get(field, {}).items(), key=lambda kv: (-len(kv[0]), kv[0]))


# A grade named without its ladder (二级, 高级, 副高): of a skill, a title, a road or a
# licence alike (二级公路, 一级注册建筑师), so no rung on its own (fullmatch a spelling).
BARE_GRADE = re.compile("[一二三四五六七八九十]级|[初中高]级|副高|正高")
# What may not follow a rung's name for it to name the rung: 技师学院 is a school.
NOT_A_SCHOOL = "(?!学院|学校)"


def spelling_key(text: str) -> str:
    """How a spelling is looked up in the tables: normalised, without spaces."""
    return compact(normalize(text))


def load_vocabulary(path: Path = DEFAULT_PATH) -> Vocabulary:
    """Read and validate ``eligibility.json``; errors name the file and the problem."""
    doc = _top_level(path)
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
    cues, patterns = read_cues(path, section, aliases, FIELDS)
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
        per_field(path, section, "not_after", FIELDS),
        per_field(path, section, "not_before", FIELDS),
        per_field(path, section, "outcome_before", FIELDS),
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
        _level_titles(path, doc.get("level_titles", []), aliases["professional_title"]),
        _title_grades(path, doc.get("title_grades", [])),
        *_school_leavers(path, doc.get("school_leavers", {}), ladders["education"]),
        lists_by_key(
            path,
            doc.get("certificates_one_of", {}),
            "certificates_one_of",
            choices["certificates"],
            choices["certificates"],
        ),
    )


def _top_level(path: Path) -> dict[str, Any]:
    """The file's top-level object, refused when it holds a key no loader reads."""
    doc = _read_json(path)
    if not isinstance(doc, dict):
        raise DataFileError(path, "the top level must be an object")
    keys = {"_comment", "ladders", "choices", "closed_choices", "held_with", "retirement_ages", "exclusive_origins"}
    keys |= {"origin_parts", "common_origins", "unit_within", "origin_may_be", "certificates_imply", "unit_qualifiers"}
    keys |= {"origin_is", "level_titles", "school_leavers", "title_grades", "certificates_one_of"}
    unknown = set(doc) - {*keys, "cues"}
    if unknown:
        raise DataFileError(path, f"unknown top-level keys {', '.join(sorted(unknown))}")
    return doc


def _title_grades(path: Path, words: Any) -> tuple[str, ...]:
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise DataFileError(path, "title_grades must be a list of non-empty strings")
    return tuple(sorted({spelling_key(w) for w in words}, key=len, reverse=True))


def _school_leavers(path: Path, table: Any, levels: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    named, words = (table.get("levels"), table.get("words")) if isinstance(table, dict) else (None, None)
    if not isinstance(named, list) or not all(n in levels for n in named):
        raise DataFileError(path, "school_leavers.levels must list values of the education ladder")
    if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
        raise DataFileError(path, "school_leavers.words must be a non-empty list of non-empty strings")
    return frozenset(named), tuple(normalize(w) for w in words)


def _level_titles(path: Path, spellings: Any, titles: dict[str, str]) -> frozenset[str]:
    if not isinstance(spellings, list) or not all(isinstance(s, str) and spelling_key(s) in titles for s in spellings):
        raise DataFileError(path, "level_titles must list spellings of the professional_title ladder")
    return frozenset(spelling_key(s) for s in spellings)


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
            key = spelling_key(spelling)
            claimed = table.get(key) or profile.get(key)
            if claimed not in (None, value):
                raise DataFileError(path, f"{at}: spelling {spelling!r} is claimed by {claimed!r} and {value!r}")
            into[key] = value
    return tuple(values), table, profile


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The vocabulary of ``knowledge/data/eligibility.json`` (loaded once)."""
    return load_vocabulary(DEFAULT_PATH)


@lru_cache(maxsize=8)
def _rung_spellings(ladders: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(spelling, ladder) of every rung of ``ladders`` but the bare grades, longest first."""
    vocab = vocabulary()
    pairs = ((s, ladder) for ladder in ladders for s, _ in vocab.spellings(ladder) if not BARE_GRADE.fullmatch(s))
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def rungs_in(text: str, ladders: tuple[str, ...]) -> list[tuple[str, str, int]]:
    """(ladder, spelling, start) of each rung of ``ladders`` that ``text`` names, left to
    right: the longest spelling at each place (高级技师, not its 技师), unless another
    starts inside it and goes on past it (中级工 of 中级工程师 is none: 工程师 is), never
    a bare grade (一级建造师) nor a school (技师学院): the one reading of rungs in a text,
    for a question's asker and a certificate's level alike."""
    spellings = _rung_spellings(ladders)
    out = []
    at = 0
    while at < len(text):
        spelling, ladder = next(((s, lad) for s, lad in spellings if text.startswith(s, at)), ("", ""))
        end = at + len(spelling)
        overtaken = any(text.startswith(s, i) and i + len(s) > end for i in range(at + 1, end) for s, _ in spellings)
        if not spelling or overtaken:
            at += 1
            continue
        if re.match(NOT_A_SCHOOL, text[end:]):
            out.append((ladder, spelling, at))
        at = end
    return out
