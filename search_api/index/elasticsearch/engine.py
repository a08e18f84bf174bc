"""The server engine: Elasticsearch 9 behind an alias, rebuilt once per load.

``index`` is an *alias*. Every load session (:meth:`ElasticsearchEngine.begin_load`)
builds a new versioned index (``<alias>-v<schema>-<timestamp>-<rand>``): it copies in
the records of the sources that are kept (scroll + bulk, because the bare node has no
reindex module), streams in the new records batch by batch, refreshes and merges, then
moves the alias in one ``update_aliases`` call and deletes the old index. A reader
therefore sees the old or the new index, never an empty or half-built one; a rejected
record aborts the build and leaves the alias where it was. The build itself is
:mod:`search_api.index.elasticsearch.load`, the alias and its indices
:mod:`~search_api.index.elasticsearch.versions`.

Ranked searches on an index of several shards use the DFS phase
(``search_type=dfs_query_then_fetch``, :func:`search_api.index.elasticsearch.query.search_type`)
so that the ranking does not depend on the shard count. The engine does not trust its own
``shards`` setting for that, since another process may have built the index behind the
alias: every answer reports how many shards it searched (``_shards.total``), and that count
is used from the next search on. A ranked search that finds the index has more shards than
assumed (the first search after such a swap) is run again with the DFS phase. An answer
that lacks some shards (a node died during the search) is asked for again.

This class does only what needs Elasticsearch (:class:`search_api.index.engine.Engine`):
request bodies are built in :mod:`search_api.index.elasticsearch.query`; the index
definition lives in ``mappings/elasticsearch/passages.v1.json``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from elasticsearch import NotFoundError

from ingest.model import Document
from search_api.index.elasticsearch import load
from search_api.index.elasticsearch import query as q
from search_api.index.elasticsearch.connection import EsConnection, make_client, parse_urls
from search_api.index.elasticsearch.load import IndexRejected
from search_api.index.elasticsearch.versions import ConcurrentIngest, IndexVersions
from search_api.index.engine import (
    EngineQuery,
    EngineResult,
    Loader,
    Nested,
    Payload,
    Prepared,
    nested_indices,
    nested_result,
)

FETCH_PAGE = 5000
PARTIAL_RETRIES = 2  # a search that some shards failed to answer (see _search)
__all__ = ["ConcurrentIngest", "ElasticsearchEngine", "IndexRejected"]


class ElasticsearchEngine:
    """:class:`search_api.index.engine.Engine` on an Elasticsearch 9 cluster."""

    name = "elasticsearch"

    def __init__(
        self,
        conn: EsConnection | str,
        index: str = "policykb",
        timeout_s: float = 10,
        *,
        shards: int = 1,
        replicas: int = 0,
    ) -> None:
        if isinstance(conn, str):  # one node URL without credentials (tests, scripts)
            conn = EsConnection(urls=parse_urls(conn), timeout_s=timeout_s)
        self.conn = conn
        self.url = conn.where
        self.alias = index
        self.timeout_s = conn.timeout_s
        self._es = make_client(conn)
        self.versions = IndexVersions(self._es, conn, index, shards=shards, replicas=replicas)
        # Shards of the index behind the alias as the last answer reported them (until
        # the first answer: the count this process builds indices with).
        self.searched_shards = shards
        # Rank with the DFS phase on several shards; bench/cluster.py turns it off to
        # measure what it costs.
        self.dfs = True

    # ------------------------------------------------------------------ writing

    @staticmethod
    def prepare(documents: list[Document]) -> Prepared:
        return load.prepare(documents)

    def begin_load(self, replacing: list[str]) -> Loader:
        return load.EsLoader(self.versions, replacing)

    # ------------------------------------------------------------------ searching

    def _search(self, body: dict[str, Any], search_type: str | None = None) -> dict[str, Any] | None:
        """One search on the alias; None while nothing was ingested (no alias yet).

        An answer that lacks some shards is asked for again, up to PARTIAL_RETRIES times:
        when a node dies during a search, the phases bound to its shard copies fail (the
        query phase after DFS, the fetch phase) and Elasticsearch answers with the other
        shards only, while the next search finds the surviving copies. A shard with no
        copy left still gives a partial answer after the retries, as Elasticsearch does.
        """
        for _ in range(PARTIAL_RETRIES + 1):
            with self.versions.errors():
                try:
                    result = dict(self._es.search(index=self.alias, body=body, search_type=search_type).body)
                except NotFoundError:
                    return None
            shards = result.get("_shards", {})
            self.searched_shards = int(shards.get("total") or self.searched_shards)
            if not shards.get("failed"):
                break
        return result

    def _ranked_search(self, query: EngineQuery) -> dict[str, Any] | None:
        """:meth:`_search` with the DFS phase when the index has several shards."""
        body = q.search_body(query)
        chosen = q.search_type(query, self.searched_shards) if self.dfs else None
        result = self._search(body, chosen)
        if result is not None and self.dfs and chosen is None:
            needed = q.search_type(query, self.searched_shards)
            if needed is not None:  # the index has more shards than assumed: rank again
                result = self._search(body, needed)
        return result

    def run(self, query: EngineQuery) -> EngineResult:
        result = self._ranked_search(query)
        if result is None:
            return EngineResult(total=0, hits=[])
        if query.nested is not None:
            shown = self._nested(result, query.nested)
            if shown is not None:
                return shown
            result = self._ranked_search(replace(query, nested=None))  # the index moved on
            if result is None:
                return EngineResult(total=0, hits=[])
        hits = [
            (0.0 if query.by_date else float(h.get("_score") or 0.0), h["_source"]["payload"])
            for h in result["hits"]["hits"]
        ]
        found = EngineResult(
            total=int(result["hits"]["total"]["value"]), hits=hits, aggregations=result.get("aggregations", {})
        )
        # The document view again with every source (see _nested): it keeps the shown ones.
        return found if query.nested is None else nested_result(found, query.nested)

    def _nested(self, result: dict[str, Any], nested: Nested) -> EngineResult | None:
        """The document view from a window without sources: the shown passages fetched by
        id (one ``mget``); None when one of them is gone (the alias moved to a new build
        between the two calls), so that the caller searches again with every source."""
        found = result["hits"]["hits"]
        window = [(float(h.get("_score") or 0.0), h["fields"]["doc_id"][0]) for h in found]
        chosen = nested_indices([doc for _, doc in window], nested)
        payloads: list[Payload] = []
        if chosen:
            ids = [found[i]["_id"] for i in chosen]
            with self.versions.errors():
                docs = self._es.mget(index=self.alias, ids=ids, source_includes=["payload"])
            payloads = [d["_source"]["payload"] for d in docs["docs"] if d.get("found")]
            if len(payloads) < len(chosen):
                return None
        hits = [(window[i][0], payload) for i, payload in zip(chosen, payloads, strict=True)]
        total = int(result["hits"]["total"]["value"])
        return EngineResult(total=total, hits=hits, aggregations=result.get("aggregations", {}), window=window)

    # ------------------------------------------------------------------ records

    def _get(self, record_id: str) -> Payload | None:
        with self.versions.errors():
            try:
                found = self._es.get(index=self.alias, id=record_id, source_includes=["payload"])
            except NotFoundError:
                return None
        payload: Payload = found["_source"]["payload"]
        return payload

    def _fetch_all(self, filters: list[dict[str, Any]], sort: list[dict[str, str]]) -> list[Payload]:
        """Payloads of every record matching ``filters``, in ``sort`` order (search_after pages)."""
        out: list[Payload] = []
        after: list[Any] | None = None
        while True:
            body: dict[str, Any] = {
                "query": {"bool": {"filter": filters}},
                "sort": sort,
                "size": FETCH_PAGE,
                "_source": ["payload"],
                "track_total_hits": False,
            }
            if after is not None:
                body["search_after"] = after
            result = self._search(body)
            hits = result["hits"]["hits"] if result else []
            out.extend(h["_source"]["payload"] for h in hits)
            if len(hits) < FETCH_PAGE:
                return out
            after = hits[-1]["sort"]

    def passage(self, passage_id: str) -> Payload | None:
        return self._get(q.passage_id(passage_id))

    def document(self, doc_id: str) -> Payload | None:
        return self._get(q.document_id(doc_id))

    def document_passages(self, doc_id: str) -> list[Payload]:
        filters = [{"term": {"record_type": "passage"}}, {"term": {"doc_id": doc_id}}]
        return self._fetch_all(filters, [{"ord": "asc"}, {"id": "asc"}])

    def passage_range(self, doc_id: str, first: int, last: int) -> list[Payload]:
        if last < first:
            return []
        filters: list[dict[str, Any]] = [
            {"term": {"record_type": "passage"}},
            {"term": {"doc_id": doc_id}},
            {"range": {"ord": {"gte": first, "lte": last}}},
        ]
        return self._fetch_all(filters, [{"ord": "asc"}, {"id": "asc"}])

    def documents(self, kind: str | None = None) -> list[Payload]:
        filters: list[dict[str, Any]] = [{"term": {"record_type": "document"}}]
        if kind:
            filters.append({"term": {"doc_kind": kind}})
        return self._fetch_all(filters, [{"id": "asc"}])

    def sources(self) -> dict[str, str]:
        found = self._fetch_all([{"term": {"record_type": "source"}}], [{"source_file": "asc"}])
        return {d["source"]: d["fingerprint"] for d in found}

    def count_passages(self, sources: list[str] | None = None) -> int:
        filters: list[dict[str, Any]] = [{"term": {"record_type": "passage"}}]
        if sources is not None:
            filters.append({"terms": {"source_file": list(sources)}})
        with self.versions.errors():
            try:
                return int(self._es.count(index=self.alias, query={"bool": {"filter": filters}})["count"])
            except NotFoundError:
                return 0

    def stats(self) -> dict[str, Any]:
        body = {
            "size": 0,
            "track_total_hits": True,
            "aggs": {
                "types": {"terms": {"field": "record_type", "size": 10}},
                "passages": {
                    "filter": {"term": {"record_type": "passage"}},
                    "aggs": {"kinds": {"terms": {"field": "doc_type", "size": 50}}},
                },
            },
        }
        with self.versions.errors():
            current = self.versions.current()
        result = self._search(body)
        aggs = result.get("aggregations", {}) if result else {}
        types = {b["key"]: int(b["doc_count"]) for b in aggs.get("types", {}).get("buckets", [])}
        kinds = aggs.get("passages", {}).get("kinds", {}).get("buckets", [])
        return {
            "engine": self.name,
            "location": f"{self.conn.urls[0]}/{self.alias}",
            "connection": self.conn.describe(),
            "index": current[0] if current else None,
            "passages": types.get("passage", 0),
            "documents": types.get("document", 0),
            "sources": types.get("source", 0),
            "passages_by_type": {b["key"]: int(b["doc_count"]) for b in kinds},
        }

    def generation(self) -> object:
        """Every write builds a new index behind the alias: its name is the generation."""
        with self.versions.errors():
            return tuple(self.versions.current())

    def close(self) -> None:
        self._es.close()
