"""The plan language between the search core and the engines: logical fields and nodes.

:mod:`search_api.search.ranking` builds a :class:`Plan` (what a passage must match and
what adds score, with the weights); each engine translates it node by node into its own
query objects (tantivy: ``search_api.index.tantivy.translate``, Elasticsearch:
``search_api.index.elasticsearch.query.translate``). The nodes know no weights and no
query analysis, so an engine needs nothing from the search side but this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.text import HAN

# Logical fields; each engine maps them to its own.
TEXT = "text"  # passage text, one term per Han character or Latin/digit run (positions)
WORDS = "words"  # jieba words of the text (tantivy only; Elasticsearch uses TEXT)
HEADING = "heading"  # document title and heading path, characters like TEXT
BIGRAM = "bigram"  # character bigrams of the text (no positions)
HEADING_BIGRAM = "heading_bigram"  # character bigrams of the title and heading path
ENGLISH = "english"  # stemmed English words (analysis.english)
DOC_NUMBER = "doc_number"  # normalised 文号 (keyword)
ELIGIBILITY = "eligibility"  # flag: the passage states a condition, entitlement or procedure
DOC_TYPE = "doc_type"  # passage kind (keyword)
REGION = "region"  # where the document applies: 北京, 全国, 广东 … (keyword)
CLAUSE_TYPE = "clause_type"  # a policy clause's type: condition, benefit, procedure, … (keyword)
DOC_ID = "doc_id"  # the passage's document (keyword): an alternative that holds in one document
ANSWER = "answer"  # the answer phrases the text holds (keyword; knowledge.questions.answer_phrases)

# One term per Han character, Latin letters and digits in runs: the TEXT and HEADING
# tokenisation of both engines (the ES standard tokenizer splits Han text the same way).
CHAR_PATTERN = rf"[{HAN}]|[a-z0-9]+"
_CHAR = re.compile(CHAR_PATTERN)


def chars(text: str) -> tuple[str, ...]:
    """The TEXT/HEADING terms of ``text`` (already normalised)."""
    return tuple(_CHAR.findall(text))


@dataclass(frozen=True)
class Match:
    """``terms`` in a row in ``field`` (one term: a term query)."""

    field: str
    terms: tuple[str, ...]
    boost: float


@dataclass(frozen=True)
class AllOf:
    """Every one of ``terms`` in ``field``, in any order; each scores as a term.

    How a Han word is matched: by its character bigrams, not as a phrase of its
    characters. A bigram's posting list is far shorter than a common character's (条件
    against 条 and 件) and needs no positions, so at 250,000 passages this is about ten
    times faster than the phrase; the bigrams of a word occur apart from each other in
    a passage too rarely to matter (on the regulations: 957 passages against 950 for
    下列条件).
    """

    field: str
    terms: tuple[str, ...]
    boost: float


@dataclass(frozen=True)
class Near:
    """The term ``first``, then ``second`` with at most ``gap`` terms between them (a
    sloppy phrase: the reverse order costs two more).

    Two terms only: a sloppy phrase of more terms is unreliable in tantivy 0.27 (it
    intersects the terms' positions rarest first, so a slop that Lucene accepts may fail
    there depending on collection statistics); with two terms both engines agree.
    """

    field: str
    first: str
    second: str
    gap: int
    boost: float
    # The same neighbourhood for an engine without this field (a WORDS near, in
    # characters of TEXT); None: such an engine skips the bonus.
    fallback: Near | None = None


@dataclass(frozen=True)
class Flag:
    """A constant ``boost`` when the keyword or boolean ``field`` holds ``value``."""

    field: str
    value: str | bool
    boost: float


@dataclass(frozen=True)
class AnyOf:
    """At least ``min_match`` of ``clauses``; the score is the sum of those that match."""

    clauses: tuple[Clause, ...]
    min_match: int = 1


@dataclass(frozen=True)
class Best:
    """The best-scoring of ``clauses`` plus ``tie`` times the others (a dis_max)."""

    clauses: tuple[Clause, ...]
    tie: float


@dataclass(frozen=True)
class Const:
    """A constant ``boost`` when ``clause`` matches, whatever its own score."""

    clause: Clause
    boost: float


@dataclass(frozen=True)
class Plus:
    """``clause``'s score plus a constant ``bonus`` where it matches (one evaluation)."""

    clause: Clause
    bonus: float


Clause = Match | AllOf | Near | Flag | AnyOf | Best | Const | Plus


@dataclass(frozen=True)
class Plan:
    must: Clause  # decides whether a passage is a hit
    should: tuple[Clause, ...]  # adds score
