"""Elasticsearch request bodies: index definition, records, filters, ranking, facets.

Pure functions (no client): the backend sends what these build, and the tests can
inspect it. The index has three record types in one index (``passage``, ``document``,
``source``, told apart by ``record_type``) so one alias swap replaces all of them
atomically; see ``mappings/elasticsearch/passages.v1.json``.

Han text is indexed with the core ``standard`` analyzer (one token per Han character,
positions kept), and each jieba word of the query becomes a ``match_phrase``: the
phrase of its characters. English words arrive stemmed (``analysis.english``). That
needs no analysis plugin, so it runs on a bare node. The ranking query is the
engine-neutral plan of :mod:`search_api.search.ranking`, translated node by node.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from analysis.english import english_terms_of_normalized
from analysis.text import normalize
from ingest.model import Document, Passage, stable_id
from knowledge.questions import answer_phrases_in, answer_phrases_key
from search_api.index import plan
from search_api.index.engine import DOCUMENTS, FACET_FIELDS, FACET_SIZE, EngineFilters, EngineQuery
from search_api.settings import REPO_ROOT

MAPPING_PATH = REPO_ROOT / "mappings" / "elasticsearch" / "passages.v1.json"

# The plan's logical fields here. There is no jieba-word field: a word is the phrase of
# its characters in ``text``, the tantivy backend's WORDS and TEXT clauses in one.
FIELDS = {
    plan.TEXT: "text",
    plan.WORDS: "text",
    plan.HEADING: "heading",
    plan.BIGRAM: "text.bigram",
    plan.HEADING_BIGRAM: "heading.bigram",
    plan.ENGLISH: "text_en",
    plan.DOC_NUMBER: "doc_number",
    plan.ELIGIBILITY: "eligibility",
    plan.DOC_TYPE: "doc_type",
    plan.CLAUSE_TYPE: "clause_type",
    plan.REGION: "region",
    plan.DOC_ID: "doc_id",
    plan.ANSWER: "answer",
}
# Fields whose terms the node analyses itself (characters); the others take terms as given.
_ANALYSED = {"text", "heading"}

# Below this many distinct values the cardinality aggregation counts exactly; our
# documents number in the thousands, so the number of matching documents is exact.
CARDINALITY_PRECISION = 40000
# The documents of each facet value: a sketch per bucket, whose exact counting up to 40,000
# cost about a third of a document page's search at the regulations scale (p50 12 -> 8 ms
# with 3,000, Elasticsearch's default). Counts above 3,000 documents may be off by a few
# per thousand (4 of 6,319 values of the benchmark's pages differed, by at most 0.5%).
FACET_CARDINALITY_PRECISION = 3000


@lru_cache(maxsize=1)
def index_definition() -> dict[str, Any]:
    """Settings and mappings of a new index (the one source of truth, a JSON file), with
    the digest of the answer phrases its passages are marked with."""
    definition: dict[str, Any] = json.loads(MAPPING_PATH.read_text(encoding="utf-8"))
    definition["mappings"]["_meta"]["answer_phrases"] = answer_phrases_key()
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
    payload["doc_kind"] = doc.kind
    payload["region"] = region = doc.meta.get("region")  # the document's, as its kind
    normalized = normalize(p.text)
    record: dict[str, Any] = {
        "record_type": "passage",
        "id": p.id,
        "doc_id": p.doc_id,
        "doc_kind": doc.kind,
        "source_file": doc.source,
        "doc_type": p.kind,
        "agency": list(p.agencies),
        "mentioned_agency": list(p.mentioned_agencies),
        "region": [region] if region else [],
        "talent_category": list(p.talent_categories),
        "eligibility": bool(p.eligibility),
        "conditioned": bool(p.conditions),
        "ord": p.ord,
        # Normalised (full-width folded, lowercase) so the characters match the jieba
        # words of the query, which come from the same normalisation.
        "text": normalized,
        "heading": normalize(" ".join([doc.title, *p.path])),
        # Stemmed in Python: the same terms as the tantivy backend's English field.
        "text_en": " ".join(english_terms_of_normalized(normalized)),
        "payload": payload,
    }
    if p.date:
        record["date"] = p.date
        record["year"] = p.date[:4]
    if p.doc_number:
        record["doc_number"] = p.doc_number
    if p.clause_type:
        record["clause_type"] = p.clause_type
    if answers := answer_phrases_in(normalized):
        record["answer"] = answers
    return record


# --------------------------------------------------------------------------- queries


def filter_clauses(filters: EngineFilters) -> list[dict[str, Any]]:
    clauses: list[dict[str, Any]] = [{"term": {"record_type": "passage"}}]
    for facet, values in filters.terms.items():
        clauses.append({"terms": {facet: list(values)}})
    if filters.doc_number:
        clauses.append({"term": {"doc_number": filters.doc_number}})
    if filters.doc_id:
        clauses.append({"term": {"doc_id": filters.doc_id}})
    if filters.doc_ids:
        clauses.append({"terms": {"doc_id": list(filters.doc_ids)}})
    if filters.exclude_doc_ids:
        clauses.append({"bool": {"must_not": {"terms": {"doc_id": list(filters.exclude_doc_ids)}}}})
    if filters.eligibility_only:
        clauses.append({"term": {"eligibility": True}})
    if filters.conditioned_only:
        clauses.append({"term": {"conditioned": True}})
    if filters.date_low or filters.date_high:
        # An explicit pattern, as in the mapping (the named strict_date is lenient on 9.5).
        bounds: dict[str, str] = {"format": "uuuu-MM-dd"}
        if filters.date_low:
            bounds["gte"] = filters.date_low
        if filters.date_high:
            bounds["lte"] = filters.date_high
        clauses.append({"range": {"date": bounds}})
    return clauses


def translate(clause: plan.Clause) -> dict[str, Any]:
    """One node of the engine-neutral plan as an Elasticsearch query."""
    if isinstance(clause, plan.Match):
        field = FIELDS[clause.field]
        if field not in _ANALYSED and len(clause.terms) == 1:
            return {"term": {field: {"value": clause.terms[0], "boost": clause.boost}}}
        # Spaces keep Latin and digit runs apart ("2023 3", not "20233"); the standard
        # analyzer splits Han text into the characters the plan holds.
        return {"match_phrase": {field: {"query": " ".join(clause.terms), "boost": clause.boost}}}
    if isinstance(clause, plan.AllOf):
        field = FIELDS[clause.field]
        every = [{"term": {field: {"value": term, "boost": clause.boost}}} for term in clause.terms]
        return every[0] if len(every) == 1 else {"bool": {"must": every}}
    if isinstance(clause, plan.Near) and clause.field == plan.WORDS:
        # No word field here: the same neighbourhood in characters, as the plan gives it.
        return translate(clause.fallback) if clause.fallback else {"match_none": {}}
    if isinstance(clause, plan.Near):
        phrase = f"{clause.first} {clause.second}"
        return {"match_phrase": {FIELDS[clause.field]: {"query": phrase, "slop": clause.gap, "boost": clause.boost}}}
    if isinstance(clause, plan.Flag):
        return {"constant_score": {"filter": {"term": {FIELDS[clause.field]: clause.value}}, "boost": clause.boost}}
    if isinstance(clause, plan.Const):
        return {"constant_score": {"filter": translate(clause.clause), "boost": clause.boost}}
    if isinstance(clause, plan.Plus):
        bonus = {"constant_score": {"filter": {"match_all": {}}, "boost": clause.bonus}}
        return {"bool": {"must": translate(clause.clause), "should": [bonus]}}
    if isinstance(clause, plan.Best):
        return {"dis_max": {"queries": [translate(c) for c in clause.clauses], "tie_breaker": clause.tie}}
    should = [translate(c) for c in clause.clauses]
    return {"bool": {"should": should, "minimum_should_match": clause.min_match}}


def search_body(query: EngineQuery) -> dict[str, Any]:
    """The whole search request: query, sort, page and (optionally) facet aggregations."""
    body_query: dict[str, Any] = {"filter": filter_clauses(query.filters)}
    if query.plan is not None:
        should = [translate(c) for c in query.plan.should]
        body_query["must"] = {"bool": {"must": translate(query.plan.must), "should": should}}
    # Ties are broken by stable keys so pages never overlap and a rebuilt index returns
    # the same order (Lucene's internal doc order changes with every rebuild).
    sort: list[Any]
    if query.by_date:
        sort = [{"date": {"order": "desc", "missing": "_last"}}, {"doc_id": "asc"}, {"ord": "asc"}, {"id": "asc"}]
    else:
        sort = [{"_score": "desc"}, {"id": "asc"}]
    body: dict[str, Any] = {
        "query": {"bool": body_query},
        "from": query.offset,
        "size": query.limit,
        "sort": sort,
        "track_total_hits": True,
        "_source": ["payload"],
    }
    if query.nested is not None:
        # The document view shows a few passages of a window of hundreds: the window
        # brings each hit's document only, the shown payloads are fetched by id after.
        body["_source"] = False
        body["docvalue_fields"] = ["doc_id"]
    aggs = facet_aggregations(query.facet_fields, query.facet_documents) if query.facets else {}
    if query.count_documents:
        aggs[DOCUMENTS] = {"cardinality": {"field": "doc_id", "precision_threshold": CARDINALITY_PRECISION}}
    if aggs:
        body["aggs"] = aggs
    return body


# Elasticsearch scores each shard's hits with that shard's own term statistics (document
# frequencies, average field lengths). On an index of several shards, BM25 then differs
# from shard to shard and near-tied hits swap places against a one-shard index (measured
# on the judged sets: Success@1 of the dev set 0.91 on 1 shard, 0.86 on 3). The DFS phase
# first gathers the statistics of every shard, so a passage scores exactly as on one
# shard, for one more round trip per search (bench/cluster.py). A one-shard index needs
# no such phase, nor does a search whose order is not the score.
DFS = "dfs_query_then_fetch"


def search_type(query: EngineQuery, shards: int) -> str | None:
    """The ``search_type`` of a search: :data:`DFS` for a ranked search on an index of
    several shards, else None (the default, ``query_then_fetch``)."""
    ranked = query.plan is not None and not query.by_date
    return DFS if ranked and shards > 1 else None


def facet_aggregations(fields: tuple[str, ...] = FACET_FIELDS, documents: bool = False) -> dict[str, Any]:
    """Terms per facet field of ``fields``; with ``documents``, a distinct count of
    documents in each."""
    aggs: dict[str, Any] = {facet: {"terms": {"field": facet, "size": FACET_SIZE}} for facet in fields}
    if documents:
        cardinality = {"cardinality": {"field": "doc_id", "precision_threshold": FACET_CARDINALITY_PRECISION}}
        for agg in aggs.values():
            agg["aggs"] = {"docs": cardinality}
    return aggs
