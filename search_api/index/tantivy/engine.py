"""The embedded engine: tantivy (a Lucene-class engine in Rust) with its index in a folder.

One index holds three record types, so one commit replaces a source atomically:

* ``passage``: searchable; words (jieba, pre-tokenized with positions), characters
  and character bigrams, the title and heading path (characters), stemmed English
  words, and keyword fast fields for filters and facets;
* ``document``: the document record (metadata, passage order) as stored JSON;
* ``source``: one per ingested file with its content fingerprint.

This class does only what needs tantivy (:class:`search_api.index.engine.Engine`):
plans are translated by :mod:`search_api.index.tantivy.query`, records built (in the
ingest workers) and written by :mod:`search_api.index.tantivy.load`.
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import orjson
import tantivy

from ingest.model import Document
from knowledge.questions import answer_phrases_key
from search_api.errors import EngineUnavailable, IndexWriteFailed
from search_api.index.engine import (
    EngineQuery,
    EngineResult,
    Loader,
    Payload,
    Prepared,
    nested_indices,
    nested_result,
)
from search_api.index.plan import CHAR_PATTERN
from search_api.index.tantivy import load, readonly
from search_api.index.tantivy.facets import count_facets, page_aggregations
from search_api.index.tantivy.query import Occur, Translator

SCHEMA_VERSION = "11"
SCHEMA_MARKER = "policykb-schema.json"
NGRAM_TOKENIZER = "cjk_bigram"
CHAR_TOKENIZER = "cjk_char"


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("record_type", stored=False, tokenizer_name="raw")
    sb.add_text_field("id", stored=False, tokenizer_name="raw", fast=True)
    sb.add_text_field("doc_id", stored=False, tokenizer_name="raw", fast=True)
    sb.add_text_field("source_file", stored=False, tokenizer_name="raw")
    sb.add_text_field("doc_kind", stored=False, tokenizer_name="raw", fast=True)
    sb.add_text_field("doc_type", stored=False, tokenizer_name="raw", fast=True)
    sb.add_text_field("agency", stored=False, tokenizer_name="raw", fast=True)
    sb.add_text_field("mentioned_agency", stored=False, tokenizer_name="raw", fast=True)
    sb.add_text_field("region", stored=False, tokenizer_name="raw", fast=True)
    sb.add_text_field("clause_type", stored=False, tokenizer_name="raw", fast=True)
    sb.add_text_field("talent_category", stored=False, tokenizer_name="raw", fast=True)
    sb.add_text_field("year", stored=False, tokenizer_name="raw", fast=True)
    sb.add_text_field("doc_number", stored=False, tokenizer_name="raw")
    sb.add_text_field("answer", stored=False, tokenizer_name="raw")  # knowledge.questions.answer_phrases_in
    sb.add_integer_field("eligibility", stored=False, indexed=True, fast=True)
    sb.add_integer_field("conditioned", stored=False, indexed=True, fast=True)  # states conditions
    sb.add_integer_field("ord", stored=False, indexed=False, fast=True)
    # The document id as a number (load.doc_key): a page of documents reads the window's
    # documents from this column instead of decoding every stored passage.
    sb.add_unsigned_field("doc_key", stored=False, indexed=False, fast=True)
    # The document id as a number for every id (load.doc_hash): counting distinct
    # documents on a number column costs a third of counting them on the ``doc_id`` text
    # column (its terms are hashed per match), the larger part of a document page's facets.
    sb.add_unsigned_field("doc_hash", stored=False, indexed=False, fast=True)
    sb.add_date_field("date", stored=False, indexed=True, fast=True)
    sb.add_text_field("words", stored=False, tokenizer_name="raw", index_option="position")
    sb.add_text_field("heading", stored=False, tokenizer_name=CHAR_TOKENIZER, index_option="position")
    sb.add_text_field("english", stored=False, tokenizer_name="raw", index_option="position")
    sb.add_text_field("ngram", stored=False, tokenizer_name=NGRAM_TOKENIZER, index_option="freq")
    sb.add_text_field("heading_ngram", stored=False, tokenizer_name=NGRAM_TOKENIZER, index_option="freq")
    # One token per Han character, Latin letters and digits in runs: a phrase of
    # characters finds a word wherever it occurs, whatever jieba did with its neighbours.
    sb.add_text_field("chars", stored=False, tokenizer_name=CHAR_TOKENIZER, index_option="position")
    sb.add_bytes_field("payload", stored=True, indexed=False)
    return sb.build()


class TantivyEngine:
    """:class:`search_api.index.engine.Engine` on a tantivy index folder."""

    name = "tantivy"
    # Searches run in this process. tantivy-py releases the GIL inside its Rust calls,
    # but the HTTP layer still calls them on its event loop, not in a thread: with one
    # server process per core the cores are busy already, and the hop cost more than it
    # gave (wrk at 8 connections, --workers 2, on the regulations: about 550 searches/s
    # on the loop against 400-440/s in the thread pool).
    in_process = True

    def __init__(self, path: Path, *, create: bool = True) -> None:
        """Open the index in ``path``; with ``create``, make it when there is none. Opening
        an index writes nothing (read-only commands, read-only mounts): see
        :mod:`search_api.index.tantivy.readonly`."""
        self.path = Path(path)
        self._schema = _schema()
        self._q = Translator(self._schema)
        self._write_lock = threading.Lock()
        self._loaded: object = object()  # the generation the reader holds (none yet)
        self._links: readonly.LinkedFolder | None = None
        # The facet pass runs beside the ranked search (see run): one thread, started on
        # the first search that counts facets.
        self._facet_pass = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tantivy-facets")
        # Read before the index opens: a malformed data file is its own error, not the index's.
        self._answers = answer_phrases_key()
        try:
            self._index = self._open(create)
        except (ValueError, OSError) as exc:
            raise EngineUnavailable(f"cannot open the index in {self.path}: {_reason(exc)}") from exc
        self._index.register_tokenizer(
            NGRAM_TOKENIZER,
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.ngram(min_gram=2, max_gram=2)).build(),
        )
        self._index.register_tokenizer(
            CHAR_TOKENIZER, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(CHAR_PATTERN)).build()
        )

    def _open(self, create: bool) -> tantivy.Index:
        marker = self.path / SCHEMA_MARKER
        if not (self.path / "meta.json").exists():
            if not create:
                raise EngineUnavailable(f"no index in {self.path}: run `policykb ingest` first")
            self.path.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(self._schema, path=str(self.path), reuse=False)
            marker.write_text(json.dumps({"version": SCHEMA_VERSION, "answer_phrases": self._answers}))
            return index
        if marker.exists():
            built = json.loads(marker.read_text())
            if built["version"] != SCHEMA_VERSION:
                raise EngineUnavailable(f"the index in {self.path} has an old schema: re-ingest into a new --db")
            if built.get("answer_phrases") != self._answers:
                raise EngineUnavailable(
                    f"the index in {self.path} was built with other answer phrases"
                    " (knowledge/data/query_intents.json): re-ingest into a new --db"
                )
        if readonly.opens_in_place(self.path):
            return tantivy.Index.open(str(self.path))
        self._links = readonly.LinkedFolder(self.path)
        return tantivy.Index.open(str(self._links.path))

    # ------------------------------------------------------------------ writing

    @staticmethod
    def prepare(documents: list[Document]) -> Prepared:
        return load.prepare(documents)

    def begin_load(self, replacing: list[str]) -> Loader:
        if self._links is not None:
            raise IndexWriteFailed(f"cannot write the index in {self.path}: the folder is read-only")
        return load.TantivyLoader(self._index, self._write_lock, self.path)

    # ------------------------------------------------------------------ searching

    def _searcher(self) -> tantivy.Searcher:
        """A searcher on the latest commit: reloaded when ``meta.json`` changed (a stat per
        call), so what a generation check saw is what the next read reads (the values built
        per generation, search.generation, are never built from an older commit)."""
        generation = self.generation()
        if generation != self._loaded:
            if self._links is not None:
                self._links.sync()  # link what a commit by another process added
            self._index.reload()
            self._loaded = generation
        return self._index.searcher()

    def run(self, query: EngineQuery) -> EngineResult:
        """The ranked page, and the facet counts from a second pass over every match.

        The facet pass starts first, in the engine's own thread, and runs while this one
        translates the ranking query and scores: the pass and the search are Rust calls that
        release the GIL, so on an idle machine the call takes the longer of the two instead of
        their sum (at the regulations scale, p95 4.9 -> 3.6 ms on the keyword mix, 10.8 ->
        7.1 ms on the questions). When the page turns out to hold every match its payloads
        give the counts, and the pass is left to finish unread: under full load that waste
        costs about 5% of throughput.
        """
        searcher = self._searcher()
        facet_pass = None
        if query.facets or query.count_documents:
            matching = self._q.matching(query.plan, query.filters)
            facet_pass = self._facet_pass.submit(count_facets, searcher, matching, query)
        # Translated once the facet pass runs: the Python work overlaps the pass's Rust.
        ranking = self._q.ranking(query.plan, query.filters)
        if query.by_date:
            result = searcher.search(ranking, query.limit, count=True, offset=query.offset, order_by_field="date")
        else:
            result = searcher.search(ranking, query.limit, count=True, offset=query.offset)
        scored = [(0.0 if query.by_date else score, address) for score, address in result.hits]
        total = _total(result)
        counted = bool((query.facets or query.count_documents) and total)
        if query.nested is not None:
            shown = self._nested(searcher, query, scored, total, counted, facet_pass)
            if shown is not None:
                return shown
        hits = [(score, _payload(searcher, address)) for score, address in scored]
        page = [payload for _, payload in hits]
        aggregations = self._aggregate(query, total, page, facet_pass) if counted else {}
        found = EngineResult(total=total, hits=hits, aggregations=aggregations)
        return found if query.nested is None else nested_result(found, query.nested)

    def _nested(
        self,
        searcher: tantivy.Searcher,
        query: EngineQuery,
        scored: list[tuple[float, tantivy.DocAddress]],
        total: int,
        counted: bool,
        facet_pass: Future[Any] | None,
    ) -> EngineResult | None:
        """The document view with only its shown passages decoded, the window's documents
        read from the ``doc_key`` column; None when a segment lacks it (read them all)."""
        doc_ids = load.doc_ids(searcher.fast_field_values("doc_key", [address for _, address in scored]))
        if doc_ids is None or query.nested is None:
            return None
        hits = [(scored[i][0], _payload(searcher, scored[i][1])) for i in nested_indices(doc_ids, query.nested)]
        aggregations = self._aggregate(query, total, None, facet_pass) if counted else {}
        window = [(score, doc) for (score, _), doc in zip(scored, doc_ids, strict=True)]
        return EngineResult(total=total, hits=hits, aggregations=aggregations, window=window)

    @staticmethod
    def _aggregate(query: EngineQuery, total: int, page: list[Payload] | None, facet_pass: Future[Any] | None) -> Any:
        """The facet counts (and distinct documents) over every match: from the page
        when it holds every match (:mod:`search_api.index.tantivy.facets`), else (or
        without the page's payloads) from the second pass over the matching passages."""
        if page is not None and query.offset == 0 and total <= len(page):
            counted = page_aggregations(query, page)
            if counted is not None:
                return counted
        if facet_pass is None:  # run() starts it whenever counts are asked for
            raise RuntimeError("facet counts asked for without a facet pass")
        return facet_pass.result()

    # ------------------------------------------------------------------ records

    def _type_query(self, record_type: str) -> tantivy.Query:
        return self._q.term("record_type", record_type)

    def _both(self, first: tantivy.Query, second: tantivy.Query) -> tantivy.Query:
        return tantivy.Query.boolean_query([(Occur.Must, first), (Occur.Must, second)])

    def _count(self, query: tantivy.Query) -> int:
        # tantivy rejects limit=0; one hit is the cheapest way to get the count.
        return _total(self._searcher().search(query, 1, count=True))

    def _payloads(self, query: tantivy.Query, limit: int | None = None, order_by: str | None = None) -> list[Payload]:
        searcher = self._searcher()
        limit = limit if limit is not None else self._count(query)
        if not limit:
            return []
        if order_by:
            result = searcher.search(query, limit, order_by_field=order_by, order=tantivy.Order.Asc)
        else:
            result = searcher.search(query, limit)
        return [orjson.loads(searcher.doc(addr)["payload"][0]) for _, addr in result.hits]

    def passage(self, passage_id: str) -> Payload | None:
        found = self._payloads(self._both(self._type_query("passage"), self._q.term("id", passage_id)), 1)
        return found[0] if found else None

    def document(self, doc_id: str) -> Payload | None:
        found = self._payloads(self._both(self._type_query("document"), self._q.term("id", doc_id)), 1)
        return found[0] if found else None

    def document_passages(self, doc_id: str) -> list[Payload]:
        query = self._both(self._type_query("passage"), self._q.term("doc_id", doc_id))
        return self._payloads(query, order_by="ord")

    def passage_range(self, doc_id: str, first: int, last: int) -> list[Payload]:
        if last < first:
            return []
        # A range on the ``ord`` fast field (columnar: no index needed) within the document.
        span = tantivy.Query.range_query(self._schema, "ord", tantivy.FieldType.Integer, first, last)
        query = self._both(self._both(self._type_query("passage"), self._q.term("doc_id", doc_id)), span)
        return self._payloads(query, last - first + 1, order_by="ord")

    def documents(self, kind: str | None = None) -> list[Payload]:
        query = self._type_query("document")
        if kind:
            query = self._both(query, self._q.term("doc_kind", kind))
        return self._payloads(query)

    def sources(self) -> dict[str, str]:
        return {d["source"]: d["fingerprint"] for d in self._payloads(self._type_query("source"))}

    def count_passages(self, sources: list[str] | None = None) -> int:
        query = self._type_query("passage")
        if sources is not None:
            bound = tantivy.Query.term_set_query(self._schema, "source_file", list(sources))
            query = self._both(query, bound)
        return self._count(query)

    def stats(self) -> dict[str, Any]:
        passages = self._type_query("passage")
        by_kind = self._searcher().aggregate(passages, {"k": {"terms": {"field": "doc_type", "size": 50}}})
        return {
            "engine": self.name,
            "location": str(self.path),
            "passages": self._count(passages),
            "documents": self._count(self._type_query("document")),
            "sources": self._count(self._type_query("source")),
            "passages_by_type": {b["key"]: b["doc_count"] for b in by_kind["k"]["buckets"]},
        }

    def generation(self) -> object:
        """tantivy's ``meta.json`` is rewritten by every commit (its opstamp changes)."""
        try:
            stat = (self.path / "meta.json").stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    def close(self) -> None:
        self._facet_pass.shutdown(wait=False, cancel_futures=True)
        if self._links is not None:
            self._links.close()


def _reason(exc: BaseException) -> str:
    """An open failure's cause, without Python's ``[Errno N]`` and file name (named already)."""
    return (exc.strerror or str(exc)) if isinstance(exc, OSError) else str(exc)


def _payload(searcher: tantivy.Searcher, address: tantivy.DocAddress) -> Payload:
    payload: Payload = orjson.loads(searcher.doc(address)["payload"][0])
    return payload


def _total(result: tantivy.SearchResult) -> int:
    """The hit count of a search made with ``count=True`` (not in tantivy's type stubs)."""
    return int(getattr(result, "count", 0) or 0)
