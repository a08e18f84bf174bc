"""The short forms the indexed documents define, read from the engine once per generation.

Ingest stores each document's definitions in ``Document.meta["abbreviations"]``
(:mod:`ingest.enrich.abbreviations`); the query analyser needs them as one table
(:class:`knowledge.abbreviations.LearnedSynonyms`). Reading every document record for
each query would cost more than the search, so the Searcher keeps the table in a
:class:`~search_api.search.generation.PerGeneration` built by :func:`learned_of`
(checked at most every ``CHECK_S``, as the title suggestions are) and hands the same
object to every query until the index changes: the object is also a key of the query
analysis cache.
"""

from __future__ import annotations

from typing import Any

from knowledge.abbreviations import LearnedSynonyms, default_rules, definitions_of, learn
from knowledge.synonyms import default_table
from search_api.index.engine import Engine

CHECK_S = 1.0  # how stale the table may be after another process ingests


def learned_from(documents: list[dict[str, Any]]) -> LearnedSynonyms:
    """The table of the definitions stored with ``documents`` (document records)."""
    return learn((d for doc in documents for d in definitions_of(doc)), default_table(), default_rules())


def learned_of(engine: Engine) -> LearnedSynonyms:
    """The table of every document record the engine holds."""
    return learned_from(engine.documents())
