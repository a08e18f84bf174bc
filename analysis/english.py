"""English analysis for the book's English abstracts: stop words dropped, words stemmed.

One analyzer for both engines and both sides: the passage's Latin-script words are
stemmed here (Snowball's English stemmer through PyStemmer, the same algorithm tantivy
ships) and handed to each engine as ready-made terms, and a query's English words go
through the same function. Elasticsearch's bare node has no stemmer
(``stemmer``/``porter_stem`` live in the analysis-common module), and doing it once in
Python also guarantees that "ranking", "ranks" and "ranked" meet as ``rank`` in both
engines; no engine library is needed for it.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path

import Stemmer

from analysis.text import normalize

# Latin-script words, with digits (6th, r&d → r, d); Han text is not English.
_LATIN_RUN = re.compile(r"[a-z0-9]+")
_MAX_TERM_CHARS = 40  # runs this long are URLs, hashes or extraction debris
STOPWORDS_FILE = Path(__file__).resolve().parent / "data" / "english_stopwords.txt"

_local = threading.local()


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    lines = STOPWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w for line in lines if (w := line.split("#", 1)[0].strip()))


def _stemmer() -> Stemmer.Stemmer:
    # A Stemmer keeps a cache and is not thread-safe: one per thread, built once.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("english")
    return stemmer


def english_terms(text: str) -> list[str]:
    """Stemmed English terms of ``text`` in order, stop words removed (may be empty)."""
    return english_terms_of_normalized(normalize(text))


def english_terms_of_normalized(normalized: str) -> list[str]:
    """:func:`english_terms` of a text that is already normalised (the indexer has it at
    hand: normalising every passage twice is wasted work)."""
    stop = stopwords()
    words = [w for w in _LATIN_RUN.findall(normalized) if len(w) < _MAX_TERM_CHARS and w not in stop]
    return list(_stemmer().stemWords(words)) if words else []


@lru_cache(maxsize=4096)
def stem(word: str) -> str | None:
    """The English term of one query word; None for a stop word ("of", "the")."""
    terms = english_terms(word)
    return terms[0] if len(terms) == 1 else None
