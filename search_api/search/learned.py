"""The short forms the indexed documents define, read from the engine once per generation.

Ingest stores each document's definitions in ``Document.meta["abbreviations"]``
(:mod:`ingest.enrich.abbreviations`); the query analyser needs them as one table
(:class:`knowledge.abbreviations.LearnedSynonyms`). Reading every document record for
each query would cost more than the search, so :class:`LearnedCache` builds the table
when the engine's generation changes (checked at most every ``CHECK_S``, as the title
suggestions are) and hands the same object to every query until then: the object is
also a key of the query analysis cache.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from knowledge.abbreviations import LearnedSynonyms, default_rules, definitions_of, learn
from knowledge.synonyms import default_table
from search_api.index.engine import Engine

CHECK_S = 1.0  # how stale the table may be after another process ingests


def learned_from(documents: list[dict[str, Any]]) -> LearnedSynonyms:
    """The table of the definitions stored with ``documents`` (document records)."""
    return learn((d for doc in documents for d in definitions_of(doc)), default_table(), default_rules())


class LearnedCache:
    """One :class:`LearnedSynonyms` per engine generation, shared by the searches."""

    def __init__(self) -> None:
        self._cached: tuple[float, object, LearnedSynonyms] | None = None
        self._lock = threading.Lock()

    def table(self, engine: Engine) -> LearnedSynonyms:
        now = time.monotonic()
        cached = self._cached
        if cached is None or now - cached[0] > CHECK_S:
            with self._lock:
                generation = engine.generation()
                if cached is not None and cached[1] == generation:
                    table = cached[2]
                else:
                    table = learned_from(engine.documents())
                cached = self._cached = (now, generation, table)
        return cached[2]
