"""User query → the terms every backend searches for (never an engine query string)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ingest.analysis import DATA_DIR, bigrams, get_analyzer, normalize

_LATIN = re.compile(r"[a-z]")
_HAN = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    path = DATA_DIR / "query_stopwords.txt"
    if not path.exists():
        return frozenset()
    words = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(normalize(w) for w in words if w)


@lru_cache(maxsize=1)
def _intent_cues() -> dict[str, tuple[str, ...]]:
    path = DATA_DIR / "query_intents.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: tuple(normalize(c) for c in v) for k, v in data.items() if not k.startswith("_")}


@dataclass
class AnalyzedQuery:
    raw: str
    words: list[str] = field(default_factory=list)  # jieba words, question words removed
    subwords: list[str] = field(default_factory=list)  # dictionary sub-words of long words (search mode)
    bigrams: list[str] = field(default_factory=list)  # Han bigrams of the meaningful words
    doc_numbers: list[str] = field(default_factory=list)  # normalised 文号 in the query
    is_english: bool = False
    eligibility_intent: bool = False  # asks about conditions, entitlements or procedures

    required: list[str] = field(default_factory=list)  # words that count towards the match rule
    min_match: int = 0  # how many of ``required`` a passage must contain

    @property
    def empty(self) -> bool:
        return not self.words and not self.doc_numbers

    def relaxed(self) -> AnalyzedQuery:
        """The same query matching any one required word (used when nothing matched)."""
        return replace(self, min_match=min(1, len(self.required)))


def minimum_match(count: int) -> int:
    """Required words a passage must contain: all of up to three, then two in three.

    Officials expect every typed word to count (人才 公寓 means both); long natural-language
    questions name context the answering clause leaves to its headings, so a few may miss.
    """
    return count if count <= 2 else count - count // 3


def _doc_numbers(text: str) -> list[str]:
    try:
        from ingest.enrich.docnum import find_doc_numbers
    except ImportError:  # enrichment not installed in a minimal build
        return []
    return [d.normal for d in find_doc_numbers(text)]


def analyze_query(query: str) -> AnalyzedQuery:
    """Analyse with the index-time analyzer; drop question words unless nothing remains."""
    text = query.strip()
    if not text:
        return AnalyzedQuery(raw=query)
    tokens = get_analyzer().words(text)
    stop = _stopwords()
    words = [t.text for t in tokens if t.text not in stop] or [t.text for t in tokens]
    seen: set[str] = set()
    unique = [w for w in words if not (w in seen or seen.add(w))]  # type: ignore[func-returns-value]
    analyzer = get_analyzer()
    subwords = [sub for word in unique for sub in analyzer.subwords(word) if sub not in seen]
    grams: list[str] = []
    for word in unique:
        grams.extend(g.text for g in bigrams(word) if len(g.text) == 2)
    norm = normalize(text)
    # A single Han character ("钱", "号") carries little meaning on its own: it scores but
    # does not decide whether a passage matches, unless it is all the query has.
    required = [w for w in unique if len(w) > 1 or not _HAN.fullmatch(w)] or unique
    is_english = bool(_LATIN.search(normalize(text))) and not _HAN.search(text)
    return AnalyzedQuery(
        raw=query,
        words=unique,
        subwords=list(dict.fromkeys(subwords)),
        bigrams=list(dict.fromkeys(grams)),
        eligibility_intent=any(cue in norm for cue in _intent_cues().get("eligibility", ())),
        doc_numbers=_doc_numbers(text),
        is_english=is_english,
        required=required,
        min_match=minimum_match(len(required)),
    )
