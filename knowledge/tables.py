"""Loading and validating the domain tables in ``knowledge/data/``.

All domain knowledge used by enrichment (agencies, 文号 prefixes, talent categories,
eligibility cues, validity/repeal vocabulary) lives in data files so it can be extended
without touching code. Every loader validates what it reads and raises
:class:`DataFileError` naming the file and the problem, so a typo in a JSON file fails
at start-up with a useful message instead of silently matching nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

AGENCY_LEVELS = ("national", "municipal", "district")
# What a clause of a policy does for an applicant (``Passage.clause_type``): who qualifies,
# what they get, how to apply, what binds or sanctions them, and the rest (purpose, scope,
# definitions, entry into force). ``clause_cues.json`` must use exactly these names
# (:mod:`knowledge.clause_cues`).
CLAUSE_TYPES = ("condition", "benefit", "procedure", "obligation", "general")
CATEGORY_GROUPS = ("national_team", "cross_cutting")


class DataFileError(ValueError):
    """A data file is missing or malformed; the message names the file and the problem."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


@dataclass(frozen=True)
class Agency:
    name: str
    aliases: tuple[str, ...]
    level: str
    docnum_prefixes: tuple[str, ...]
    # A generic name (区人民政府, 各区人社局): recognised, so that no shorter alias inside it
    # is taken for a real agency, but never a value of the 发文机关 or mentioned facets.
    generic: bool = False


@dataclass(frozen=True)
class TalentCategory:
    name: str
    aliases: tuple[str, ...]
    group: str
    parent: str | None
    # Aliases that count only beside one of ``context`` (外国人: a talent where it works).
    in_context: tuple[str, ...] = ()
    context: tuple[str, ...] = ()


@dataclass(frozen=True)
class EligibilityCues:
    kinds: frozenset[str]
    phrases: tuple[str, ...]
    patterns: tuple[str, ...]

    def sentence_regex(self) -> re.Pattern[str]:
        """One alternation of all phrases and patterns (a single scan per sentence)."""
        parts = [re.escape(p) for p in sorted(self.phrases, key=len, reverse=True)]
        parts += [f"(?:{p})" for p in self.patterns]
        return re.compile("|".join(parts))


@dataclass(frozen=True)
class Lifecycle:
    doc_types: tuple[str, ...]
    validity_until: tuple[str, ...]
    validity_period: tuple[str, ...]
    repeal_verbs: tuple[str, ...]


# --- generic helpers ----------------------------------------------------------------------


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(path, f"cannot read: {exc.strerror or exc}") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(path, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc


def _obj(path: Path, value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise DataFileError(path, f"{where} must be an object, got {type(value).__name__}")
    return value


def _str(path: Path, value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DataFileError(path, f"{where} must be a non-empty string, got {value!r}")
    if value != value.strip():
        raise DataFileError(path, f"{where} has leading or trailing whitespace: {value!r}")
    return value


def _str_list(path: Path, value: Any, where: str, *, required: bool = True) -> tuple[str, ...]:
    if value is None and not required:
        return ()
    if not isinstance(value, list):
        raise DataFileError(path, f"{where} must be a list of strings, got {type(value).__name__}")
    return tuple(_str(path, item, f"{where}[{i}]") for i, item in enumerate(value))


def _entries(path: Path, doc: Any, key: str) -> list[dict[str, Any]]:
    root = _obj(path, doc, "the top level")
    if key not in root:
        raise DataFileError(path, f"missing key {key!r} at the top level")
    items = root[key]
    if not isinstance(items, list) or not items:
        raise DataFileError(path, f"{key!r} must be a non-empty list")
    return [_obj(path, item, f"{key}[{i}]") for i, item in enumerate(items)]


def _check_keys(path: Path, entry: dict[str, Any], where: str, allowed: set[str], required: set[str]) -> None:
    missing = required - entry.keys()
    if missing:
        raise DataFileError(path, f"{where} is missing {', '.join(sorted(missing))}")
    unknown = entry.keys() - allowed
    if unknown:
        raise DataFileError(path, f"{where} has unknown keys {', '.join(sorted(unknown))}")


def _claim(path: Path, owners: dict[str, str], word: str, owner: str, what: str) -> None:
    """Record that ``word`` names ``owner``; the same word naming two entries is an error."""
    previous = owners.get(word)
    if previous is not None and previous != owner:
        raise DataFileError(path, f"{what} {word!r} is claimed by both {previous!r} and {owner!r}")
    owners[word] = owner


# --- loaders ------------------------------------------------------------------------------


def load_agencies(path: Path = DATA_DIR / "agencies.json") -> list[Agency]:
    root = _read_json(path)
    entries = _entries(path, root, "agencies")
    known = {
        "_comment",
        "agencies",
        "docnum_region_codes",
        "official_titles",
        "named_after",
        "category_issuers",
        "issuer_folders",
    }
    unknown = set(root) - known
    if unknown:
        raise DataFileError(path, f"unknown top-level keys {', '.join(sorted(unknown))}")
    out: list[Agency] = []
    names: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    for i, entry in enumerate(entries):
        where = f"agencies[{i}]"
        _check_keys(path, entry, where, {"name", "aliases", "level", "docnum_prefixes", "generic"}, {"name", "level"})
        name = _str(path, entry["name"], f"{where}.name")
        where = f"agency {name!r}"
        aliases = _str_list(path, entry.get("aliases", []), f"{where}.aliases")
        level = entry["level"]
        if level not in AGENCY_LEVELS:
            raise DataFileError(path, f"{where}.level must be one of {', '.join(AGENCY_LEVELS)}, got {level!r}")
        docnum = _str_list(path, entry.get("docnum_prefixes", []), f"{where}.docnum_prefixes")
        generic = entry.get("generic", False)
        if not isinstance(generic, bool):
            raise DataFileError(path, f"{where}.generic must be true or false, got {generic!r}")
        if generic and docnum:
            raise DataFileError(path, f"{where} is generic and cannot issue 文号 (docnum_prefixes)")
        if name in names and names[name] == name:
            raise DataFileError(path, f"agency {name!r} is listed twice")
        for word in (name, *aliases):
            _claim(path, names, word, name, "name or alias")
        for prefix in docnum:
            _claim(path, prefixes, prefix, name, "docnum prefix")
        out.append(Agency(name, aliases, level, docnum, generic))
    return out


def load_official_titles(path: Path = DATA_DIR / "agencies.json") -> tuple[str, ...]:
    """Posts that, right after an agency's name, make the mention a person (市委书记尹力,
    国务院总理李强): the agency is named, not acting."""
    root = _obj(path, _read_json(path), "the top level")
    return _str_list(path, root.get("official_titles"), "official_titles", required=False)


def load_named_after(path: Path = DATA_DIR / "agencies.json") -> tuple[str, ...]:
    """Words that, right after an agency's name, make it part of another thing's name
    (国务院政府特殊津贴, an allowance): the agency is neither named nor acting."""
    root = _obj(path, _read_json(path), "the top level")
    return _str_list(path, root.get("named_after"), "named_after", required=False)


def load_region_codes(path: Path = DATA_DIR / "agencies.json") -> frozenset[str]:
    """The one-character region abbreviations that open local issuer codes (京, 沪, ...)."""
    root = _obj(path, _read_json(path), "the top level")
    codes = _str_list(path, root.get("docnum_region_codes"), "docnum_region_codes", required=False)
    for code in codes:
        if len(code) != 1:
            raise DataFileError(path, f"docnum_region_codes entries must be single characters, got {code!r}")
    return frozenset(codes)


def load_talent_categories(path: Path = DATA_DIR / "talent_categories.json") -> list[TalentCategory]:
    entries = _entries(path, _read_json(path), "categories")
    out: list[TalentCategory] = []
    words: dict[str, str] = {}
    for i, entry in enumerate(entries):
        where = f"categories[{i}]"
        _check_keys(
            path, entry, where, {"name", "aliases", "group", "parent", "in_context", "context"}, {"name", "group"}
        )
        name = _str(path, entry["name"], f"{where}.name")
        where = f"category {name!r}"
        if any(c.name == name for c in out):
            raise DataFileError(path, f"category {name!r} is listed twice")
        aliases = _str_list(path, entry.get("aliases", []), f"{where}.aliases")
        group = entry["group"]
        if group not in CATEGORY_GROUPS:
            raise DataFileError(path, f"{where}.group must be one of {', '.join(CATEGORY_GROUPS)}, got {group!r}")
        parent = entry.get("parent")
        if parent is not None:
            parent = _str(path, parent, f"{where}.parent")
        in_context = _str_list(path, entry.get("in_context", []), f"{where}.in_context")
        context = _str_list(path, entry.get("context", []), f"{where}.context")
        if bool(in_context) != bool(context):
            raise DataFileError(path, f"{where}: in_context and context go together")
        for word in (name, *aliases, *in_context):
            _claim(path, words, word, name, "name or alias")
        out.append(TalentCategory(name, aliases, group, parent, in_context, context))
    known = {c.name for c in out}
    parents = {c.name: c.parent for c in out}
    for cat in out:
        if cat.parent is not None and cat.parent not in known:
            raise DataFileError(path, f"category {cat.name!r} has unknown parent {cat.parent!r}")
        seen = {cat.name}
        up = cat.parent
        while up is not None:
            if up in seen:
                raise DataFileError(path, f"category {cat.name!r} is its own ancestor (parent cycle)")
            seen.add(up)
            up = parents[up]
    return out


def _regexes(path: Path, patterns: tuple[str, ...], where: str) -> None:
    for i, pattern in enumerate(patterns):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise DataFileError(path, f"{where}[{i}] is not a valid regex ({exc}): {pattern!r}") from exc


def load_eligibility_cues(path: Path = DATA_DIR / "eligibility_cues.json") -> EligibilityCues:
    root = _obj(path, _read_json(path), "the top level")
    _check_keys(path, root, "the top level", {"_comment", "kinds", "phrases", "patterns"}, {"kinds", "phrases"})
    kinds = _str_list(path, root["kinds"], "kinds")
    phrases = _str_list(path, root["phrases"], "phrases")
    patterns = _str_list(path, root.get("patterns"), "patterns", required=False)
    _regexes(path, patterns, "patterns")
    if not phrases and not patterns:
        raise DataFileError(path, "needs at least one phrase or pattern")
    return EligibilityCues(frozenset(kinds), phrases, patterns)


def load_lifecycle(path: Path = DATA_DIR / "doc_lifecycle.json") -> Lifecycle:
    root = _obj(path, _read_json(path), "the top level")
    keys = {"doc_types", "validity_until", "validity_period", "repeal_verbs"}
    _check_keys(path, root, "the top level", keys | {"_comment"}, keys)
    lists = {key: _str_list(path, root[key], key) for key in keys}
    for key, values in lists.items():
        if not values:
            raise DataFileError(path, f"{key!r} must not be empty")
    return Lifecycle(lists["doc_types"], lists["validity_until"], lists["validity_period"], lists["repeal_verbs"])


def load_word_list(path: Path) -> list[str]:
    """A TXT list: one entry per line, '#' starts a comment, blank lines ignored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataFileError(path, f"cannot read: {exc.strerror or exc}") from exc
    out: list[str] = []
    for number, raw in enumerate(lines, 1):
        word = raw.split("#", 1)[0].strip()
        if not word:
            continue
        if any(ch.isspace() for ch in word):
            raise DataFileError(path, f"line {number}: an entry must not contain whitespace: {word!r}")
        out.append(word)
    return out


def load_synonyms(path: Path = DATA_DIR / "synonyms.json") -> list[tuple[str, ...]]:
    root = _obj(path, _read_json(path), "the top level")
    _check_keys(path, root, "the top level", {"_comment", "groups"}, {"groups"})
    groups = root["groups"]
    if not isinstance(groups, list):
        raise DataFileError(path, "'groups' must be a list of lists of strings")
    out: list[tuple[str, ...]] = []
    for i, group in enumerate(groups):
        words = _str_list(path, group, f"groups[{i}]")
        if len(words) < 2:
            raise DataFileError(path, f"groups[{i}] needs at least two words")
        out.append(words)
    return out


# Cached, for code paths (docnum, dates) that need the default tables without threading
# a loader object through every call.


@lru_cache(maxsize=4)
def default_agencies(path: Path = DATA_DIR / "agencies.json") -> tuple[Agency, ...]:
    return tuple(load_agencies(path))


@lru_cache(maxsize=4)
def default_region_codes(path: Path = DATA_DIR / "agencies.json") -> frozenset[str]:
    return load_region_codes(path)


@lru_cache(maxsize=4)
def default_lifecycle(path: Path = DATA_DIR / "doc_lifecycle.json") -> Lifecycle:
    return load_lifecycle(path)
