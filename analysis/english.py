"""English analysis for the book's English abstracts: stop words dropped, words stemmed.

One analyzer for both engines and both sides: the passage's Latin-script words are
stemmed here (tantivy's Snowball English stemmer, run from Python) and handed to each
engine as ready-made terms, and a query's English words go through the same function.
Elasticsearch's bare node has no stemmer (``stemmer``/``porter_stem`` live in the
analysis-common module), and doing it once in Python also guarantees that "ranking",
"ranks" and "ranked" meet as ``rank`` in both engines.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import tantivy

from analysis.text import normalize

# Latin-script words, with digits (6th, r&d → r, d); Han text is not English.
_LATIN_RUN = re.compile(r"[a-z0-9]+")
_MAX_TERM_CHARS = 40  # longer runs are URLs, hashes or extraction debris

_local = threading.local()


def _analyzer() -> tantivy.TextAnalyzer:
    # A TextAnalyzer is not documented as thread-safe: one per thread, built once.
    analyzer = getattr(_local, "analyzer", None)
    if analyzer is None:
        analyzer = (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(_MAX_TERM_CHARS))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.stopword("english"))
            .filter(tantivy.Filter.stemmer("english"))
            .build()
        )
        _local.analyzer = analyzer
    return analyzer


def latin_text(text: str) -> str:
    """The Latin-script words of ``text`` (normalised), space-separated."""
    return " ".join(_LATIN_RUN.findall(normalize(text)))


def english_terms(text: str) -> list[str]:
    """Stemmed English terms of ``text`` in order, stop words removed (may be empty)."""
    return english_terms_of_normalized(normalize(text))


def english_terms_of_normalized(normalized: str) -> list[str]:
    """:func:`english_terms` of a text that is already normalised (the indexer has it at
    hand: normalising every passage twice is wasted work)."""
    latin = " ".join(_LATIN_RUN.findall(normalized))
    return list(_analyzer().analyze(latin)) if latin else []


@lru_cache(maxsize=4096)
def stem(word: str) -> str | None:
    """The English term of one query word; None for a stop word ("of", "the")."""
    terms = english_terms(word)
    return terms[0] if len(terms) == 1 else None
