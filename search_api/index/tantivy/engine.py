"""The embedded engine: tantivy (a Lucene-class engine in Rust) with its index in a folder.

One index holds three record types, so one commit replaces a source atomically:

* ``passage``: searchable; words (jieba, pre-tokenized with positions), characters
  and character bigrams, the title and heading path (characters), stemmed English
  words, and keyword fast fields for filters and facets;
* ``document``: the document record (metadata, passage order) as stored JSON;
* ``source``: one per ingested file with its content fingerprint.

Queries are built from :class:`tantivy.Query` objects, never from a query string: the
engine-neutral plan of :mod:`search_api.search.ranking`, translated node by node. Records are
built (in the ingest workers) and written by :mod:`search_api.index.tantivy.load`.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import tantivy

from ingest.model import Document, Passage, PolicyRecord
from search_api.errors import EngineUnavailable
from search_api.index.tantivy import load as tantivy_load
from search_api.index.tantivy.load import iso_to_datetime as _iso_to_datetime
from search_api.search import ranking
from search_api.search.query import AnalyzedQuery, analyze_query
from search_api.search.records import (
    document_from_dict,
    facets_from_aggregations,
    hit_from_payload,
    passage_from_dict,
    policy_record,
)
from search_api.search.types import (
    FACET_FIELDS,
    FacetValue,
    Filters,
    Loader,
    Prepared,
    SearchRequest,
    SearchResponse,
    date_bounds,
    load_in_one_session,
)

SCHEMA_VERSION = "4"
NGRAM_TOKENIZER = "cjk_bigram"
CHAR_TOKENIZER = "cjk_char"
# One token per Han character, Latin letters and digits in runs: a phrase of characters
# finds a word wherever it occurs, whatever jieba did with its neighbours.
CHAR_PATTERN = ranking.CHAR_PATTERN
FACET_FIELD_NAMES = {"agency": "agency", "year": "year", "talent_category": "talent_category", "doc_type": "doc_type"}
FACET_SIZE = 100
RELOAD_INTERVAL_S = 0.5
SUGGEST_CHECK_S = 1.0  # how stale suggestions may be after another process ingests

# The query's parts and weights come from search_api.search.ranking; these are its fields here.
FIELDS = {
    ranking.TEXT: "chars",
    ranking.WORDS: "words",
    ranking.HEADING: "heading",
    ranking.BIGRAM: "ngram",
    ranking.HEADING_BIGRAM: "heading_ngram",
    ranking.ENGLISH: "english",
    ranking.DOC_NUMBER: "doc_number",
    ranking.ELIGIBILITY: "eligibility",
    ranking.DOC_TYPE: "doc_type",
}


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("record_type", stored=False, tokenizer_name="raw")
    sb.add_text_field("id", stored=False, tokenizer_name="raw", fast=True)
    sb.add_text_field("doc_id", stored=False, tokenizer_name="raw", fast=True)
    sb.add_text_field("source_file", stored=False, tokenizer_name="raw")
    sb.add_text_field("doc_kind", stored=False, tokenizer_name="raw")
    sb.add_text_field("doc_type", stored=False, tokenizer_name="raw", fast=True)
    sb.add_text_field("agency", stored=False, tokenizer_name="raw", fast=True)
    sb.add_text_field("talent_category", stored=False, tokenizer_name="raw", fast=True)
    sb.add_text_field("year", stored=False, tokenizer_name="raw", fast=True)
    sb.add_text_field("doc_number", stored=False, tokenizer_name="raw")
    sb.add_integer_field("eligibility", stored=False, indexed=True, fast=True)
    sb.add_integer_field("ord", stored=False, indexed=False, fast=True)
    sb.add_date_field("date", stored=False, indexed=True, fast=True)
    sb.add_text_field("words", stored=False, tokenizer_name="raw", index_option="position")
    sb.add_text_field("heading", stored=False, tokenizer_name=CHAR_TOKENIZER, index_option="position")
    sb.add_text_field("english", stored=False, tokenizer_name="raw", index_option="position")
    sb.add_text_field("ngram", stored=False, tokenizer_name=NGRAM_TOKENIZER, index_option="freq")
    sb.add_text_field("heading_ngram", stored=False, tokenizer_name=NGRAM_TOKENIZER, index_option="freq")
    sb.add_text_field("chars", stored=False, tokenizer_name=CHAR_TOKENIZER, index_option="position")
    sb.add_bytes_field("payload", stored=True, indexed=False)
    return sb.build()


class TantivyBackend:
    """:class:`search_api.search.types.SearchBackend` on a tantivy index folder."""

    name = "tantivy"

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.path = Path(path)
        self._schema = _schema()
        self._write_lock = threading.Lock()
        self._last_reload = 0.0
        marker = self.path / "policykb-schema.json"
        try:
            if not self.path.exists():
                if not create:
                    raise EngineUnavailable(f"no index at {self.path}: run `policykb ingest` first")
                self.path.mkdir(parents=True)
            if marker.exists() and json.loads(marker.read_text())["version"] != SCHEMA_VERSION:
                raise EngineUnavailable(f"index at {self.path} has an old schema: re-ingest into a new --db")
            self._index = tantivy.Index(self._schema, path=str(self.path), reuse=True)
        except ValueError as exc:
            raise EngineUnavailable(f"cannot open index at {self.path}: {exc}") from exc
        marker.write_text(json.dumps({"version": SCHEMA_VERSION}))
        self._index.register_tokenizer(
            NGRAM_TOKENIZER,
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.ngram(min_gram=2, max_gram=2)).build(),
        )
        self._index.register_tokenizer(
            CHAR_TOKENIZER, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(CHAR_PATTERN)).build()
        )

    # ------------------------------------------------------------------ writing

    @staticmethod
    def prepare(documents: list[Document]) -> Prepared:
        return tantivy_load.prepare(documents)

    def begin_load(self, replacing: list[str]) -> Loader:
        return tantivy_load.TantivyLoader(self._index, self._write_lock)

    def index(self, documents: list[Document], *, sources: dict[str, str]) -> int:
        return load_in_one_session(self, documents, sources)

    def remove_sources(self, sources: list[str]) -> int:
        before = self._count(self._type_query("passage"))
        self.begin_load(sources).remove(sources)
        return before - self._count(self._type_query("passage"))

    # ------------------------------------------------------------------ reading

    def _searcher(self) -> tantivy.Searcher:
        now = time.monotonic()
        if now - self._last_reload > RELOAD_INTERVAL_S:
            self._index.reload()
            self._last_reload = now
        return self._index.searcher()

    def _term(self, field: str, value: str) -> tantivy.Query:
        return tantivy.Query.term_query(self._schema, field, value)

    def _type_query(self, record_type: str) -> tantivy.Query:
        return self._term("record_type", record_type)

    def _count(self, query: tantivy.Query) -> int:
        # tantivy rejects limit=0; one hit is the cheapest way to get the count.
        return _total(self._searcher().search(query, 1, count=True))

    def _filter_clauses(self, filters: Filters, *, text: bool = False) -> list[tantivy.Query]:
        """The filters as queries. With a ``text`` query the record-type filter is left
        out: every field the ranking plan reads exists on passage records only, and
        intersecting with all 250,000 passages costs a third of a one-word query."""
        clauses = [] if text else [self._type_query("passage")]
        for facet in ("agency", "talent_category", "doc_type", "year"):
            values = filters.selected(facet)
            if values:
                clauses.append(tantivy.Query.term_set_query(self._schema, FACET_FIELD_NAMES[facet], values))
        if filters.doc_number:
            clauses.append(self._term("doc_number", _normal_doc_number(filters.doc_number)))
        if filters.doc_id:
            clauses.append(self._term("doc_id", filters.doc_id))
        if filters.eligibility_only:
            clauses.append(tantivy.Query.term_query(self._schema, "eligibility", 1))
        if filters.date_from or filters.date_to:
            low, high = date_bounds(filters.date_from, filters.date_to)
            clauses.append(
                tantivy.Query.range_query(
                    self._schema, "date", tantivy.FieldType.Date, _iso_to_datetime(low), _iso_to_datetime(high)
                )
            )
        return clauses

    def _translate(self, clause: ranking.Clause) -> tantivy.Query:
        """One node of the engine-neutral plan as a tantivy query."""
        if isinstance(clause, ranking.Match):
            field = FIELDS[clause.field]
            if len(clause.terms) == 1:
                query = self._term(field, clause.terms[0])
            else:
                terms = list[str | tuple[int, str]](clause.terms)
                query = tantivy.Query.phrase_query(self._schema, field, terms)
            return tantivy.Query.boost_query(query, clause.boost)
        if isinstance(clause, ranking.AllOf):
            field = FIELDS[clause.field]
            every = [(tantivy.Occur.Must, self._term(field, term)) for term in clause.terms]
            query = every[0][1] if len(every) == 1 else tantivy.Query.boolean_query(every)
            return tantivy.Query.boost_query(query, clause.boost)
        if isinstance(clause, ranking.Near):
            terms = list[str | tuple[int, str]]([clause.first, clause.second])
            near = tantivy.Query.phrase_query(self._schema, FIELDS[clause.field], terms, slop=clause.gap)
            return tantivy.Query.boost_query(near, clause.boost)
        if isinstance(clause, ranking.Flag):
            value = int(clause.value) if isinstance(clause.value, bool) else clause.value
            term = tantivy.Query.term_query(self._schema, FIELDS[clause.field], value)
            return tantivy.Query.const_score_query(term, clause.boost)
        if isinstance(clause, ranking.Const):
            return tantivy.Query.const_score_query(self._translate(clause.clause), clause.boost)
        if isinstance(clause, ranking.Plus):
            bonus = tantivy.Query.const_score_query(tantivy.Query.all_query(), clause.bonus)
            return tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, self._translate(clause.clause)), (tantivy.Occur.Should, bonus)]
            )
        if isinstance(clause, ranking.Best):
            return tantivy.Query.disjunction_max_query([self._translate(c) for c in clause.clauses], clause.tie)
        should = [(tantivy.Occur.Should, self._translate(c)) for c in clause.clauses]
        return tantivy.Query.boolean_query(should, minimum_number_should_match=clause.min_match)

    def search(self, request: SearchRequest) -> SearchResponse:
        aq = analyze_query(request.query)
        if request.query.strip() and aq.empty:
            return SearchResponse(total=0, hits=[], facets={f: [] for f in FACET_FIELDS})
        searcher = self._searcher()
        matching, result, by_date = self._top(searcher, request, aq)
        while _total(result) == 0 and aq.min_match > 1:
            # Nothing has enough of the words: show what has most of them rather than nothing.
            aq = aq.relaxed()
            matching, result, by_date = self._top(searcher, request, aq)
        hits = [
            hit_from_payload(json.loads(bytes(searcher.doc(address)["payload"][0])), 0.0 if by_date else score, aq)
            for score, address in result.hits
        ]
        # Facets after the relaxation: an aggregation runs the query once more, so it
        # gets the query without the clauses that only add score (the same passages).
        facets = self._facets(searcher, matching, request) if request.facets else {}
        return SearchResponse(total=_total(result), hits=hits, facets=facets)

    def _top(
        self, searcher: tantivy.Searcher, request: SearchRequest, aq: AnalyzedQuery
    ) -> tuple[tantivy.Query, tantivy.SearchResult, bool]:
        """The requested page and total of the filtered ranking query, and whether sorted
        by date; first, the query that decides which passages match (for the facets)."""
        plan = ranking.plan(aq)
        filters = [(tantivy.Occur.Must, q) for q in self._filter_clauses(request.filters, text=plan is not None)]
        if plan is None:
            query = matching = tantivy.Query.boolean_query(filters)
        else:
            must = (tantivy.Occur.Must, self._translate(plan.must))
            matching = tantivy.Query.boolean_query([*filters, must])
            should = [(tantivy.Occur.Should, self._translate(c)) for c in plan.should]
            query = tantivy.Query.boolean_query([*filters, must, *should])
        by_date = request.sort == "date" or plan is None
        if by_date:
            result = searcher.search(query, request.limit, count=True, offset=request.offset, order_by_field="date")
        else:
            result = searcher.search(query, request.limit, count=True, offset=request.offset)
        return matching, result, by_date

    def _facets(
        self, searcher: tantivy.Searcher, query: tantivy.Query, request: SearchRequest
    ) -> dict[str, list[FacetValue]]:
        aggs: dict[str, Any] = {
            facet: {"terms": {"field": FACET_FIELD_NAMES[facet], "size": FACET_SIZE}} for facet in FACET_FIELDS
        }
        if request.facet_documents:
            # A cardinality sketch per value: a fixed cost each, so only when asked for.
            for agg in aggs.values():
                agg["aggs"] = {"docs": {"cardinality": {"field": "doc_id"}}}
        return facets_from_aggregations(searcher.aggregate(query, aggs), request.filters)

    def _payloads(self, query: tantivy.Query, limit: int, order_by: str | None = None) -> list[dict[str, Any]]:
        searcher = self._searcher()
        if order_by:
            from tantivy import Order

            result = searcher.search(query, limit, order_by_field=order_by, order=Order.Asc)
        else:
            result = searcher.search(query, limit)
        return [json.loads(bytes(searcher.doc(addr)["payload"][0])) for _, addr in result.hits]

    def get_passage(self, passage_id: str) -> Passage | None:
        query = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, self._type_query("passage")), (tantivy.Occur.Must, self._term("id", passage_id))]
        )
        found = self._payloads(query, 1)
        return passage_from_dict(found[0]) if found else None

    def get_document(self, doc_id: str) -> Document | None:
        query = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, self._type_query("document")), (tantivy.Occur.Must, self._term("id", doc_id))]
        )
        found = self._payloads(query, 1)
        if not found:
            return None
        passages_query = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, self._type_query("passage")), (tantivy.Occur.Must, self._term("doc_id", doc_id))]
        )
        total = max(1, self._count(passages_query))
        passages = self._payloads(passages_query, total, order_by="ord")
        return document_from_dict(found[0], [passage_from_dict(p) for p in passages])

    def _all_documents(self, kind: str | None = None) -> list[dict[str, Any]]:
        query = self._type_query("document")
        if kind:
            query = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, query), (tantivy.Occur.Must, self._term("doc_kind", kind))]
            )
        total = self._count(query)
        return self._payloads(query, total) if total else []

    def policies(self) -> list[PolicyRecord]:
        records = [policy_record(d) for d in self._all_documents("policy")]
        return sorted(records, key=lambda r: (r.date or "", r.title))

    def sources(self) -> dict[str, str]:
        query = self._type_query("source")
        total = self._count(query)
        found = self._payloads(query, total) if total else []
        return {d["source"]: d["fingerprint"] for d in found}

    def stats(self) -> dict[str, Any]:
        searcher = self._searcher()
        passages = self._type_query("passage")
        by_kind = searcher.aggregate(passages, {"k": {"terms": {"field": "doc_type", "size": 50}}})
        return {
            "engine": self.name,
            "location": str(self.path),
            "passages": self._count(passages),
            "documents": self._count(self._type_query("document")),
            "sources": self._count(self._type_query("source")),
            "passages_by_type": {b["key"]: b["doc_count"] for b in by_kind["k"]["buckets"]},
        }

    def close(self) -> None:
        pass

    # ------------------------------------------------------------------ suggestions

    def suggest(self, prefix: str, limit: int = 10) -> list[dict[str, Any]]:
        """Titles and 文号 by prefix, then substring (see :mod:`search_api.search.suggest`).

        The title list is rebuilt when the loaded sources' fingerprints change (checked
        at most every SUGGEST_CHECK_S), so a keystroke costs an in-memory scan, not a
        read of every document record.
        """
        from search_api.search.suggest import TitleIndex

        now = time.monotonic()
        cached: tuple[float, object, TitleIndex] | None = getattr(self, "_suggest_cache", None)
        if cached is None or now - cached[0] > SUGGEST_CHECK_S:
            generation = tuple(sorted(self.sources().items()))
            titles = cached[2] if cached and cached[1] == generation else TitleIndex(self._all_documents())
            cached = (now, generation, titles)
            self._suggest_cache = cached
        return cached[2].match(prefix, limit)


def _total(result: tantivy.SearchResult) -> int:
    """The hit count of a search made with ``count=True`` (not in tantivy's type stubs)."""
    return int(getattr(result, "count", 0) or 0)


def _normal_doc_number(value: str) -> str:
    try:
        from knowledge.docnum import parse_doc_number
    except ImportError:
        return value
    parsed = parse_doc_number(value)
    return parsed.normal if parsed else value
