"""What the searcher reads from every document record, once per index generation.

Ingest stores each document's definitions in ``Document.meta["abbreviations"]``
(:mod:`ingest.enrich.abbreviations`); the query analyser needs them as one table
(:class:`knowledge.abbreviations.LearnedSynonyms`). The documents a query may name by
title or 文号 prefix are another table of the same records
(:class:`~search_api.search.named_documents.NamedDocuments`). Reading every document
record for each query would cost more than the search, so the Searcher keeps both in one
:class:`~search_api.search.generation.PerGeneration` built by :func:`tables_of` (one read
of the records, checked at most every ``CHECK_S``, as the title suggestions are) and hands
the same objects to every query until the index changes: the learned table is also a key
of the query analysis cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from knowledge.abbreviations import LearnedSynonyms, default_rules, definitions_of, learn
from knowledge.synonyms import default_table
from search_api.index.engine import Engine
from search_api.search.named_documents import NamedDocuments

CHECK_S = 1.0  # how stale the tables may be after another process ingests


@dataclass(frozen=True)
class DocumentTables:
    """The tables built from the document records of one index generation."""

    learned: LearnedSynonyms  # the short forms the documents define
    named: NamedDocuments  # the documents by title and 文号 prefix


def learned_from(documents: list[dict[str, Any]]) -> LearnedSynonyms:
    """The table of the definitions stored with ``documents`` (document records)."""
    return learn((d for doc in documents for d in definitions_of(doc)), default_table(), default_rules())


def tables_of(engine: Engine) -> DocumentTables:
    """Both tables, from one read of every document record the engine holds."""
    documents = engine.documents()
    return DocumentTables(learned_from(documents), NamedDocuments(documents))
