"""Elasticsearch request bodies: index definition, records, filters, ranking, facets.

Pure functions (no client): the backend sends what these build, and the tests can
inspect it. The index has three record types in one index (``passage``, ``document``,
``source``, told apart by ``record_type``) so one alias swap replaces all of them
atomically; see ``mappings/elasticsearch/passages.v1.json``.

Han text is indexed with the core ``standard`` analyzer (one token per Han character,
positions kept), and each jieba word of the query becomes a ``match_phrase``: the
phrase of its characters. That needs no analysis plugin, so it runs on a bare node.
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from typing import Any

from ingest.analysis import normalize
from ingest.model import Document, Passage, stable_id
from search_api.backend import FACET_FIELDS, Filters, date_bounds
from search_api.errors import InvalidRequest
from search_api.query import AnalyzedQuery
from search_api.settings import REPO_ROOT

MAPPING_PATH = REPO_ROOT / "mappings" / "elasticsearch" / "passages.v1.json"

# Relative weights of the query parts, the same as the tantivy backend's (README "Ranking").
BOOST_WORD = 1.0
BOOST_HEADING = 1.5
BOOST_PHRASE = 2.0
BOOST_CHARS = 0.5
BOOST_SUBWORD = 0.5
BOOST_BIGRAM = 0.4
BOOST_ELIGIBLE = 1.0
BOOST_DOC_NUMBER = 20.0
BOOST_ENGLISH = 1.0
PHRASE_SLOP = 2

FACET_SIZE = 100
# Below this many distinct values the cardinality aggregation counts exactly; our
# documents number in the thousands, so document counts per facet value are exact.
CARDINALITY_PRECISION = 40000


@lru_cache(maxsize=1)
def index_definition() -> dict[str, Any]:
    """Settings and mappings of a new index (the one source of truth, a JSON file)."""
    definition: dict[str, Any] = json.loads(MAPPING_PATH.read_text(encoding="utf-8"))
    return definition


def schema_version() -> int:
    return int(index_definition()["mappings"]["_meta"]["schema_version"])


# --------------------------------------------------------------------------- records


def passage_id(pid: str) -> str:
    return f"p:{pid}"


def document_id(did: str) -> str:
    return f"d:{did}"


def source_id(source: str) -> str:
    # A source path can exceed the 512-byte _id limit; a digest cannot.
    return f"s:{stable_id(source, length=32)}"


def source_record(source: str, fingerprint: str) -> dict[str, Any]:
    return {
        "record_type": "source",
        "source_file": source,
        "payload": {"source": source, "fingerprint": fingerprint},
    }


def document_record(doc: Document) -> dict[str, Any]:
    return {
        "record_type": "document",
        "id": doc.id,
        "doc_id": doc.id,
        "doc_kind": doc.kind,
        "source_file": doc.source,
        "payload": doc.to_dict(),
    }


def passage_record(p: Passage, doc: Document) -> dict[str, Any]:
    payload = p.to_dict()
    payload["doc_title"] = doc.title
    record: dict[str, Any] = {
        "record_type": "passage",
        "id": p.id,
        "doc_id": p.doc_id,
        "doc_kind": doc.kind,
        "source_file": doc.source,
        "doc_type": p.kind,
        "agency": list(p.agencies),
        "talent_category": list(p.talent_categories),
        "eligibility": bool(p.eligibility),
        "ord": p.ord,
        # Normalised (full-width folded, lowercase) so the characters match the jieba
        # words of the query, which come from the same normalisation.
        "text": normalize(p.text),
        "heading": normalize(" ".join([doc.title, *p.path])),
        "payload": payload,
    }
    if p.date:
        record["date"] = p.date
        record["year"] = p.date[:4]
    if p.doc_number:
        record["doc_number"] = p.doc_number
    return record


# --------------------------------------------------------------------------- queries


def normal_doc_number(value: str) -> str:
    """The normalised 文号 (any bracket/spacing variant), as the tantivy backend does."""
    try:
        from ingest.enrich.docnum import parse_doc_number
    except ImportError:  # enrichment not installed in a minimal build
        return value
    parsed = parse_doc_number(value)
    return parsed.normal if parsed else value


def day_bounds(filters: Filters) -> tuple[str | None, str | None]:
    """Inclusive day bounds; a year or month covers its whole period (shared rule)."""
    try:
        low, high = date_bounds(filters.date_from, filters.date_to)
        for value in (low, high):
            if value is not None:
                date.fromisoformat(value)  # rejects 2023-13-01 and friends
    except ValueError:
        raise InvalidRequest(
            f"date_from/date_to must be ISO dates (YYYY, YYYY-MM or YYYY-MM-DD), got "
            f"{filters.date_from!r}/{filters.date_to!r}"
        ) from None
    return low, high


def filter_clauses(filters: Filters) -> list[dict[str, Any]]:
    clauses: list[dict[str, Any]] = [{"term": {"record_type": "passage"}}]
    for facet in ("agency", "talent_category", "doc_type", "year"):
        values = filters.selected(facet)
        if values:
            clauses.append({"terms": {facet: list(values)}})
    if filters.doc_number:
        clauses.append({"term": {"doc_number": normal_doc_number(filters.doc_number)}})
    if filters.doc_id:
        clauses.append({"term": {"doc_id": filters.doc_id}})
    if filters.eligibility_only:
        clauses.append({"term": {"eligibility": True}})
    if filters.date_from or filters.date_to:
        low, high = day_bounds(filters)
        # An explicit pattern, as in the mapping (the named strict_date is lenient on 9.5).
        bounds: dict[str, str] = {"format": "uuuu-MM-dd"}
        if low:
            bounds["gte"] = low
        if high:
            bounds["lte"] = high
        clauses.append({"range": {"date": bounds}})
    return clauses


def text_query(aq: AnalyzedQuery) -> dict[str, Any] | None:
    """The ranking query, mirroring the tantivy backend's parts and weights.

    ``min_match`` of the required words must occur (each as a phrase of its characters
    in the text or in the headings); the 文号 matches on its own; the other parts only
    add score.
    """
    groups = [
        {
            "bool": {
                "should": [
                    {"match_phrase": {"text": {"query": word, "boost": BOOST_WORD + BOOST_CHARS}}},
                    {"match_phrase": {"heading": {"query": word, "boost": BOOST_HEADING}}},
                ]
            }
        }
        for word in aq.required
    ]
    core: list[dict[str, Any]] = []
    if groups:
        core.append({"bool": {"should": groups, "minimum_should_match": aq.min_match}})
    core += [{"term": {"doc_number": {"value": n, "boost": BOOST_DOC_NUMBER}}} for n in aq.doc_numbers]
    if not core:
        return None
    extras: list[dict[str, Any]] = [
        {"match_phrase": {"text": {"query": w, "boost": BOOST_WORD}}} for w in aq.words if w not in aq.required
    ]
    extras += [{"match_phrase": {"text": {"query": sub, "boost": BOOST_SUBWORD}}} for sub in aq.subwords]
    extras += [{"term": {"text.bigram": {"value": gram, "boost": BOOST_BIGRAM}}} for gram in aq.bigrams]
    if len(aq.words) > 1:
        # Slop counts characters here (tantivy counts words): close enough for a bonus.
        phrase = " ".join(aq.words)
        extras.append({"match_phrase": {"text": {"query": phrase, "slop": PHRASE_SLOP, "boost": BOOST_PHRASE}}})
    if aq.eligibility_intent:
        extras.append({"constant_score": {"filter": {"term": {"eligibility": True}}, "boost": BOOST_ELIGIBLE}})
    if aq.is_english:
        extras.append({"match": {"text_en": {"query": normalize(aq.raw), "boost": BOOST_ENGLISH}}})
    return {"bool": {"must": {"bool": {"should": core, "minimum_should_match": 1}}, "should": extras}}


def search_body(
    aq: AnalyzedQuery, filters: Filters, *, offset: int, limit: int, by_date: bool, facets: bool
) -> dict[str, Any]:
    """The whole search request: query, sort, page and (optionally) facet aggregations."""
    query: dict[str, Any] = {"filter": filter_clauses(filters)}
    ranking = text_query(aq)
    if ranking is not None:
        query["must"] = ranking
    # Ties are broken by stable keys so pages never overlap and a rebuilt index returns
    # the same order (Lucene's internal doc order changes with every rebuild).
    sort: list[Any]
    if by_date:
        sort = [{"date": {"order": "desc", "missing": "_last"}}, {"doc_id": "asc"}, {"ord": "asc"}, {"id": "asc"}]
    else:
        sort = [{"_score": "desc"}, {"id": "asc"}]
    body: dict[str, Any] = {
        "query": {"bool": query},
        "from": offset,
        "size": limit,
        "sort": sort,
        "track_total_hits": True,
        "_source": ["payload"],
    }
    if facets:
        body["aggs"] = facet_aggregations()
    return body


def facet_aggregations() -> dict[str, Any]:
    return {
        facet: {
            "terms": {"field": facet, "size": FACET_SIZE},
            "aggs": {"docs": {"cardinality": {"field": "doc_id", "precision_threshold": CARDINALITY_PRECISION}}},
        }
        for facet in FACET_FIELDS
    }
