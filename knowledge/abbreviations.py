"""Short forms that documents define for themselves, as data and as a query-time table.

A policy says 市级技能大师工作室（以下简称“市级工作室”） and from then on writes only
市级工作室; a reader searching 市级工作室 should also reach the clauses that only have
the full form (the definition, a title, an annex written before it). The cues and the
words around a definition live in ``abbreviations.json`` (validated here);
:mod:`ingest.enrich.abbreviations` finds the definitions at ingest and stores them with
their document (``Document.meta["abbreviations"]``); :class:`LearnedSynonyms` turns what
the index holds back into query-time alternatives.

A definition holds in its own document. It becomes an index-wide synonym only when two
documents or more define the same pair, or when the curated table already has it:
目录, 办法 or 实施意见 mean a different document in every text that shortens a title
to them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from analysis.text import HAN, Token, normalize
from knowledge.synonyms import SynonymTable
from knowledge.tables import DATA_DIR, DataFileError, _check_keys, _obj, _read_json, _str_list

PATH = DATA_DIR / "abbreviations.json"
_KEYS = {
    "_comment",
    "cues",
    "class_cues",
    "joiners",
    "conjunctions",
    "lead_ins",
    "min_short",
    "max_short",
    "max_full",
    "max_scoped_documents",
}
_LIMITS = ("min_short", "max_short", "max_full", "max_scoped_documents")
_ENTRY_KEYS = ("short", "full", "passage", "citation")  # of a meta["abbreviations"] entry
INDEX, DOCUMENT, CONTAINED, AMBIGUOUS = "index", "document", "contained", "ambiguous"  # scopes
# What a short form may be: a word the query analyser can produce (no punctuation).
SEARCHABLE = re.compile(rf"[{HAN}a-z0-9]+")


@dataclass(frozen=True)
class AbbreviationRules:
    """The vocabulary of definitions (``abbreviations.json``)."""

    cues: tuple[str, ...]  # 以下简称, 简称, 下称: a parenthesis opening with one defines
    class_cues: tuple[str, ...]  # 统称: a name for a class, not learned (ends a phrase)
    joiners: tuple[str, ...]  # between two quoted short forms: “市级工作室”或“工作室”
    conjunctions: tuple[str, ...]  # between names: “A”和“B”; never the start of a full form
    lead_ins: frozenset[str]  # words before a full form that are not part of it
    min_short: int
    max_short: int
    max_full: int
    max_scoped_documents: int


def load_rules(path: Path = PATH) -> AbbreviationRules:
    """The rules of ``path``; a malformed file fails naming the file and the problem."""
    root = _obj(path, _read_json(path), "the top level")
    _check_keys(path, root, "the top level", _KEYS, _KEYS - {"_comment"})
    limits: dict[str, int] = {}
    for key in _LIMITS:
        value = root[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise DataFileError(path, f"{key!r} must be a whole number of at least 1, got {value!r}")
        limits[key] = value
    if limits["min_short"] > limits["max_short"]:
        raise DataFileError(path, "'min_short' is larger than 'max_short'")
    cues = tuple(normalize(c) for c in _str_list(path, root["cues"], "cues"))
    if not cues:
        raise DataFileError(path, "'cues' must not be empty")
    return AbbreviationRules(
        # Longest first, so that 以下简称 is never read as 简称 with 以下 left over.
        cues=tuple(sorted(cues, key=len, reverse=True)),
        class_cues=tuple(normalize(c) for c in _str_list(path, root["class_cues"], "class_cues")),
        joiners=tuple(normalize(j) for j in _str_list(path, root["joiners"], "joiners")),
        conjunctions=tuple(normalize(j) for j in _str_list(path, root["conjunctions"], "conjunctions")),
        lead_ins=frozenset(normalize(w) for w in _str_list(path, root["lead_ins"], "lead_ins")),
        **limits,
    )


@lru_cache(maxsize=1)
def default_rules() -> AbbreviationRules:
    return load_rules()


@dataclass(frozen=True)
class Definition:
    """One short form a document defines, and where (what ``meta["abbreviations"]`` holds)."""

    short: str
    full: str
    doc_id: str
    passage_id: str = ""
    citation: str = ""
    doc_title: str = ""

    def key(self) -> tuple[str, str]:
        return normalize(self.short), normalize(self.full)


def definitions_of(document: dict[str, Any]) -> list[Definition]:
    """The definitions stored with a document record (``Document.to_dict()``); entries
    that are not what :mod:`ingest.enrich.abbreviations` writes are skipped."""
    found = document.get("meta", {}).get("abbreviations")
    doc_id, title = str(document.get("id", "")), str(document.get("title", ""))
    out: list[Definition] = []
    for entry in found if isinstance(found, list) else []:
        values = [entry.get(key, "") for key in _ENTRY_KEYS] if isinstance(entry, dict) else []
        if values and all(isinstance(v, str) for v in values) and values[0] and values[1]:
            short, full, passage, citation = values
            out.append(Definition(short, full, doc_id, passage, citation, title))
    return out


@dataclass(frozen=True, eq=False)
class LearnedSynonyms:
    """What the documents of one index generation define, for the query analyser.

    ``everywhere``: short form → full forms searched in every document; ``scoped``:
    short form → {full form → the documents it is searched in}. Hashed by identity: one
    table per index generation, a key of the query analysis cache.
    """

    everywhere: dict[str, tuple[str, ...]] = field(default_factory=dict)
    scoped: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    definitions: tuple[Definition, ...] = ()
    shorts: SynonymTable = field(default_factory=lambda: SynonymTable({}))
    # full form → {short form → the documents that define it}: a typed full form reaches
    # the clauses that only write the short one, in those documents only.
    by_full: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    fulls: SynonymTable = field(default_factory=lambda: SynonymTable({}))

    def longest_at(self, text: str, tokens: Sequence[Token], first: int) -> int:
        """How many tokens from ``first`` on spell a learned short or full form (0: none)."""
        return max(self.shorts.longest_at(text, tokens, first), self.fulls.longest_at(text, tokens, first))

    def scope(self, definition: Definition) -> str:
        """Where a definition's full form is searched for its short form: ``index``,
        ``document`` (the defining one), or not at all: ``contained`` (the full form holds
        the short one, so its passages match already) or ``ambiguous`` (see :func:`learn`)."""
        short, full = definition.key()
        if short in full:
            return CONTAINED
        if full in self.everywhere.get(short, ()):
            return INDEX
        return DOCUMENT if definition.doc_id in self.scoped.get(short, {}).get(full, ()) else AMBIGUOUS


def learn(definitions: Iterable[Definition], curated: SynonymTable, rules: AbbreviationRules) -> LearnedSynonyms:
    """The query-time table of the definitions of an index (see the module docstring)."""
    found = list(definitions)
    documents: dict[tuple[str, str], dict[str, None]] = {}
    for d in found:
        short, full = d.key()
        # A full form holding its short form adds nothing: its passages match already.
        if SEARCHABLE.fullmatch(short) and short not in full:
            documents.setdefault((short, full), {})[d.doc_id] = None
    everywhere: dict[str, dict[str, None]] = {}
    scoped: dict[str, dict[str, tuple[str, ...]]] = {}
    for (short, full), docs in documents.items():
        if len(docs) >= 2 or full in curated.lookup(short):
            everywhere.setdefault(short, {})[full] = None
        else:
            scoped.setdefault(short, {})[full] = tuple(docs)
    # A short form that many documents define for different things is a common word of
    # theirs (目录, 条例): no one definition speaks for a query that types it.
    scoped = {s: fulls for s, fulls in scoped.items() if _documents(fulls) <= rules.max_scoped_documents}
    table = {s: tuple(f) for s, f in everywhere.items()}
    # The short forms, for the analyser to keep a short form of several words as one unit.
    shorts = {s: (*table.get(s, ()), *scoped.get(s, {})) for s in dict.fromkeys([*table, *scoped])}
    by_full: dict[str, dict[str, tuple[str, ...]]] = {}
    for (short, full), docs in documents.items():
        if SEARCHABLE.fullmatch(full):  # a form the analyser can meet in a query
            by_full.setdefault(full, {})[short] = tuple(docs)
    fulls = {f: tuple(s) for f, s in by_full.items()}
    return LearnedSynonyms(
        table,
        scoped,
        tuple(found),
        SynonymTable(shorts, max(map(len, shorts), default=0)),
        by_full,
        SynonymTable(fulls, max(map(len, fulls), default=0)),
    )


def _documents(fulls: dict[str, tuple[str, ...]]) -> int:
    return len({doc for docs in fulls.values() for doc in docs})
