"""What a question says besides its content: question words and intents, as data.

``query_stopwords.txt`` lists interrogative and filler expressions (能不能, 怎么办) that
are never content, aspect words (marked ``~``: 地点, 情况) that only add score, and
grammatical characters (marked ``^``: 被, 在) that mean nothing alone or at the edge of a
run of characters jieba could not place (被追责 → 追责) but belong inside one (高被引);
and, marked ``>``, the question words that are interrogatives (什么, 哪种): the word
after them is what the question asks for (需要什么条件 → 条件, 办哪种签证 → 签证);
``query_intents.json`` says which cues ask for a condition, a date, a definition … and
what kind of passage answers them. The search side reads both through this module.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from analysis.numerals import CN_NUMERAL
from analysis.text import HAN, HAN_RUN, normalize
from knowledge.tables import CLAUSE_TYPES, DATA_DIR, DataFileError, load_word_list

WEAK_MARK = "~"
EDGE_MARK = "^"
ASKING_MARK = ">"
COMPLEMENT_MARK = "<"
INTERROGATIVE_MARK = "*"
PARTICLE_MARK = "="
# Question forms by rule rather than by list: A不A / A没A (能不能, 是不是, 可不可以 → the
# whole form; 有没有) and a sentence-final particle (…吗, …呢, …吧).
_A_NOT_A = re.compile(rf"([{HAN}])(?:[{HAN}])?[不没]\1(?:[{HAN}](?<=以))?")
# 么 ends a question (好么) but also the words 什么, 怎么, 这么, 那么, 多么: those stay whole.
_FINAL_PARTICLE = re.compile(rf"(?<=[{HAN}])(?:[吗呢吧嘛呀啊]|(?<![什怎这那多要])么)(?=[\s?？!！。,，]|$)")
_INTENT_KEYS = {
    "cues",
    "cue_patterns",
    "eligible",
    "fallback",
    "clause_types",
    "doc_types",
    "answer_phrases",
    "term_phrases",
    "optional_words",
    "figure",
}
TERM = "{term}"  # where a term_phrases template puts the query's unit
_NUMBER = f"(?:[0-9]+|{CN_NUMERAL})"  # what {number} stands for in a cue pattern


@dataclass(frozen=True)
class QueryWords:
    """The question-word table: words to drop, words to keep only as a bonus, and
    grammatical characters dropped unless inside a run of single characters."""

    stop: frozenset[str]
    weak: frozenset[str]
    edge: frozenset[str] = frozenset()
    asking: frozenset[str] = frozenset()  # stop words whose next word is what is asked
    complements: tuple[str, ...] = ()  # directional complements ending a verb (交上去 → 交)
    # Characters that make any token holding them a question word: jieba's dictionary has
    # hundreds of words built on them (由谁来, 哪项, 哪年哪月, 啥时候), which no list can hold.
    interrogatives: frozenset[str] = frozenset()
    # Stop words any phrase may hold (的): dropped, yet no sign that a query is asked in
    # words (北京的人才政策 is typed as keywords, every word counting).
    particles: frozenset[str] = frozenset()

    def interrogative(self, token: str) -> bool:
        """Whether ``token`` is built on an interrogative (由谁来, 哪项): a question word.
        (Not an asking one, whose next word counts more: that moved judged answers down.)"""
        return any(char in self.interrogatives for char in token)

    def without_complement(self, word: str) -> str:
        """``word`` without the directional complement it ends in, when a verb remains
        (批下来 → 批, 交上去 → 交); the word itself otherwise (下来, 原来)."""
        for complement in self.complements:
            if word.endswith(complement) and len(word) > len(complement):
                return word[: -len(complement)]
        return word


@dataclass(frozen=True)
class Intent:
    name: str
    cues: tuple[str, ...]
    eligible: bool = False  # boost passages flagged eligible
    doc_types: tuple[str, ...] = ()  # boost passages of these kinds
    clause_types: tuple[str, ...] = ()  # boost policy clauses of these types
    fallback: bool = False  # its clause types count only when no other intent names some
    answer_phrases: tuple[str, ...] = ()  # boost passages containing one of these
    figure: bool = False  # the answer is a figure: a snippet prefers the sentence stating one
    # Templates holding {term} (所称的{term}, {term}是指): the answer about that unit of
    # the query, e.g. the clause that defines the term a question asks about.
    term_phrases: tuple[str, ...] = ()
    # Words of the query that qualify the figure asked for and that the answer may state
    # it without (每年给多少钱: 给予一次性资助30万元): a bonus, never required.
    optional_words: tuple[str, ...] = ()
    # Regular expressions, ``{number}`` standing for a number in digits or Chinese
    # numerals: cues a substring cannot state (今年五十六了 says an age without 岁).
    patterns: tuple[re.Pattern[str], ...] = ()

    def found_in(self, text: str) -> bool:
        """Whether a normalised query asks for this intent."""
        return any(cue in text for cue in self.cues) or any(p.search(text) for p in self.patterns)


@lru_cache(maxsize=1)
def query_words() -> QueryWords:
    return load_query_words()


def load_query_words(path: Path = DATA_DIR / "query_stopwords.txt") -> QueryWords:
    """The question-word table; a malformed ``^`` entry fails naming the file."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    entries = [normalize(line.split("#", 1)[0].strip()) for line in lines]
    marks = (WEAK_MARK, EDGE_MARK, ASKING_MARK, COMPLEMENT_MARK, INTERROGATIVE_MARK, PARTICLE_MARK)
    asking = frozenset(e[1:] for e in entries if e.startswith(ASKING_MARK) and len(e) > 1)
    stop = frozenset(e for e in entries if e and not e.startswith(marks))
    if not asking <= stop:
        raise DataFileError(path, f"a '{ASKING_MARK}' entry names a question word listed: {sorted(asking - stop)}")
    weak = frozenset(e[1:] for e in entries if e.startswith(WEAK_MARK) and len(e) > 1)
    edge = frozenset(e[1:] for e in entries if e.startswith(EDGE_MARK))
    if any(len(e) != 1 for e in edge):
        raise DataFileError(path, f"a '{EDGE_MARK}' entry is one character: {sorted(e for e in edge if len(e) != 1)}")
    complements = tuple(dict.fromkeys(e[1:] for e in entries if e.startswith(COMPLEMENT_MARK) and len(e) > 1))
    if not set(complements) <= stop:
        raise DataFileError(
            path, f"a '{COMPLEMENT_MARK}' entry names a word not listed: {sorted(set(complements) - stop)}"
        )
    interrogatives = frozenset(e[1:] for e in entries if e.startswith(INTERROGATIVE_MARK))
    if any(len(e) != 1 for e in interrogatives):
        raise DataFileError(path, f"a '{INTERROGATIVE_MARK}' entry is one character: {sorted(interrogatives)}")
    particles = frozenset(e[1:] for e in entries if e.startswith(PARTICLE_MARK) and len(e) > 1)
    if not particles <= stop:
        raise DataFileError(path, f"a '{PARTICLE_MARK}' entry names a word not listed: {sorted(particles - stop)}")
    return QueryWords(stop, weak, edge, asking, complements, interrogatives, particles)


@lru_cache(maxsize=1)
def compound_heads() -> tuple[str, ...]:
    return load_compound_heads()


def load_compound_heads(path: Path = DATA_DIR / "compound_heads.txt") -> tuple[str, ...]:
    """The words that end a named benefit or leave (补贴, 假), longest first; an entry that
    is not Han fails naming the file."""
    heads = [normalize(word) for word in load_word_list(path)]
    if bad := [e for e in heads if not HAN_RUN.fullmatch(e)]:
        raise DataFileError(path, f"an entry is not Han characters: {bad}")
    return tuple(sorted(set(heads), key=len, reverse=True))


def load_condition_words(path: Path = DATA_DIR / "snippet_condition_words.txt") -> tuple[str, ...]:
    """The words that make a query term name a condition (条件, 不超过), for the snippet's
    choice of sentence; an entry that is not Han fails naming the file."""
    words = [normalize(word) for word in load_word_list(path)]
    if bad := [w for w in words if not HAN_RUN.fullmatch(w)]:
        raise DataFileError(path, f"an entry is not Han characters: {bad}")
    return tuple(dict.fromkeys(words))


@lru_cache(maxsize=1)
def condition_words() -> tuple[str, ...]:
    return load_condition_words()


def load_intents(path: Path = DATA_DIR / "query_intents.json") -> tuple[Intent, ...]:
    """The intent table; a malformed file fails naming the file and the problem."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataFileError(path, f"cannot load: {exc}") from exc
    table = data.get("intents") if isinstance(data, dict) else None
    if not isinstance(table, dict) or not table:
        raise DataFileError(path, "'intents' must be a non-empty object")
    out = []
    for name, spec in table.items():
        unknown = set(spec) - _INTENT_KEYS if isinstance(spec, dict) else {"(not an object)"}
        if unknown:
            raise DataFileError(path, f"intent {name!r}: unknown keys {sorted(unknown)}")
        keys = ("cues", "doc_types", "clause_types", "answer_phrases", "term_phrases", "optional_words")
        lists = {key: spec.get(key, []) for key in keys}
        strings = all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in lists.values())
        if not lists["cues"] or not strings:
            raise DataFileError(path, f"intent {name!r}: 'cues' and the phrase lists must be lists of strings")
        if any(template.count(TERM) != 1 for template in lists["term_phrases"]):
            raise DataFileError(path, f"intent {name!r}: each of 'term_phrases' must hold {TERM} once")
        if not all(isinstance(spec.get(flag, False), bool) for flag in ("eligible", "fallback", "figure")):
            raise DataFileError(path, f"intent {name!r}: 'eligible', 'fallback' and 'figure' must be true or false")
        unknown_types = set(lists["clause_types"]) - set(CLAUSE_TYPES)
        if unknown_types:
            raise DataFileError(path, f"intent {name!r}: unknown clause types {sorted(unknown_types)}")
        out.append(
            Intent(
                name=name,
                cues=tuple(normalize(c) for c in lists["cues"]),
                eligible=spec.get("eligible", False),
                fallback=spec.get("fallback", False),
                figure=spec.get("figure", False),
                doc_types=tuple(lists["doc_types"]),
                clause_types=tuple(lists["clause_types"]),
                answer_phrases=tuple(normalize(p) for p in lists["answer_phrases"]),
                term_phrases=tuple(normalize(p) for p in lists["term_phrases"]),
                optional_words=tuple(normalize(w) for w in lists["optional_words"]),
                patterns=_cue_patterns(path, name, spec.get("cue_patterns", [])),
            )
        )
    return tuple(out)


def _cue_patterns(path: Path, name: str, patterns: Any) -> tuple[re.Pattern[str], ...]:
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise DataFileError(path, f"intent {name!r}: 'cue_patterns' must be a list of strings")
    out = []
    for pattern in patterns:
        try:
            compiled = re.compile(pattern.replace("{number}", _NUMBER))
        except re.error as exc:
            raise DataFileError(path, f"intent {name!r}: cue pattern {pattern!r} is not a valid regex: {exc}") from exc
        if compiled.fullmatch(""):
            raise DataFileError(path, f"intent {name!r}: cue pattern {pattern!r} matches the empty string")
        out.append(compiled)
    return tuple(out)


@lru_cache(maxsize=1)
def intents() -> tuple[Intent, ...]:
    return load_intents()


# What the index marks each passage with: the answer phrases it holds. A ranking bonus for
# "holds one of these phrases" is then one posting list of a keyword field, where matching
# the phrases in the text meant intersecting the bigrams of each (应当 ∩ 当具 ∩ 具备) for
# every candidate passage (要求 at the regulations scale: 1.2 of its 2.8 ms).


@lru_cache(maxsize=1)
def answer_phrases() -> tuple[str, ...]:
    """Every intent's answer phrases (normalised), sorted."""
    return tuple(sorted({phrase for intent in intents() for phrase in intent.answer_phrases}))


def answer_phrases_in(normalized: str) -> list[str]:
    """The answer phrases ``normalized`` (a passage's normalised text) holds."""
    return [phrase for phrase in answer_phrases() if phrase in normalized]


@lru_cache(maxsize=1)
def answer_phrases_key() -> str:
    """A short digest of :func:`answer_phrases`: an index records the list it was built
    with, and one built with another list is refused (its passages lack the new marks)."""
    return hashlib.sha1("\n".join(answer_phrases()).encode()).hexdigest()[:12]


def load_amount_words(path: Path = DATA_DIR / "amount_words.json") -> dict[str, tuple[str, ...]]:
    """Amount unit → the words a clause uses for that quantity (岁 → 年龄); a malformed
    file fails naming the file and the problem."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataFileError(path, f"cannot load: {exc}") from exc
    units = data.get("units") if isinstance(data, dict) else None
    if not isinstance(units, dict) or not all(
        isinstance(words, list) and words and all(isinstance(w, str) and w for w in words) for words in units.values()
    ):
        raise DataFileError(path, "'units' must map each unit to a non-empty list of words")
    return {normalize(unit): tuple(normalize(w) for w in words) for unit, words in units.items()}


@lru_cache(maxsize=1)
def amount_words() -> dict[str, tuple[str, ...]]:
    return load_amount_words()


def favoured_clause_types(found: list[Intent]) -> list[str]:
    """The clause types the detected intents favour: a specific intent's (a penalty asks
    for obligation clauses) replace a catch-all's (申请, 可以: condition, benefit or
    procedure clauses), which would otherwise pull the answer down."""
    specific = [i for i in found if i.clause_types and not i.fallback]
    return list(dict.fromkeys(t for i in (specific or found) for t in i.clause_types))


def drop_question_forms(text: str) -> str:
    """``text`` without the question forms that no list can hold: 能不能 / 是不是 / 可不可以
    / 有没有 (A不A, A没A) and sentence-final particles (吗, 呢, 吧). They are grammar,
    never the topic; a space keeps the words on each side apart."""
    return _FINAL_PARTICLE.sub(" ", _A_NOT_A.sub(" ", text))


def term_phrases(found: list[Intent], units: list[str]) -> list[str]:
    """The detected intents' ``term_phrases`` with each Han unit of the query in place of
    {term} (出版 → 所称的出版, 出版是指): what a passage that answers about that very
    unit says. A unit that is one of the intent's own words (所称, 是指) fills nothing."""
    out: list[str] = []
    for intent in found:
        own = " ".join([*intent.answer_phrases, *(t.replace(TERM, " ") for t in intent.term_phrases)])
        terms = [u for u in units if len(u) > 1 and HAN_RUN.fullmatch(u) and u not in own]
        out += [template.replace(TERM, u) for template in intent.term_phrases for u in terms]
    return list(dict.fromkeys(out))
