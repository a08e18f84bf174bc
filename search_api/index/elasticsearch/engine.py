"""The server engine: Elasticsearch 9 behind an alias, rebuilt once per load.

``index`` is an *alias*. Every load session (:meth:`ElasticsearchBackend.begin_load`;
``index`` and ``remove_sources`` are one-batch sessions) builds a new versioned index
(``<alias>-v<schema>-<timestamp>-<rand>``): it copies in the records of the sources that
are kept (scroll + bulk, because the bare node has no reindex module), streams in the
new records batch by batch, refreshes and merges, then moves the alias in one
``update_aliases`` call and deletes the old index. A reader therefore sees the old or
the new index, never an empty or half-built one; a rejected record aborts the build and
leaves the alias where it was. The build itself is :mod:`search_api.index.elasticsearch.load`.

Records and query bodies are built in :mod:`search_api.index.elasticsearch.query`; the index
definition lives in ``mappings/elasticsearch/passages.v1.json``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from elastic_transport import ConnectionTimeout, TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError
from elasticsearch.helpers import ScanError

from ingest.model import Document, Passage, PolicyRecord
from search_api.errors import EngineUnavailable, PolicyKBError
from search_api.index.elasticsearch import load as es_load
from search_api.index.elasticsearch import query as q
from search_api.index.elasticsearch.load import IndexRejected
from search_api.search.query import AnalyzedQuery, analyze_query
from search_api.search.records import (
    document_from_dict,
    facets_from_aggregations,
    hit_from_payload,
    passage_from_dict,
    policy_record,
)
from search_api.search.types import FACET_FIELDS, Loader, Prepared, SearchRequest, SearchResponse, load_in_one_session

FETCH_PAGE = 5000
__all__ = ["ConcurrentIngest", "ElasticsearchBackend", "IndexRejected"]
# The suffix of the indices this backend builds behind an alias: -v<schema>-<time>-<rand>.
_VERSIONED = re.compile(r"^-v\d+-\d{14}-[0-9a-f]{6}$")


class ConcurrentIngest(PolicyKBError):
    """Another writer moved the alias while this build ran; nothing was changed."""

    code = "concurrent_ingest"
    http_status = 409


def _one_line(text: str, limit: int = 200) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _cause(exc: TransportError, timeout_s: float) -> str:
    """The root cause of a transport failure in a few words (no urllib3 object dumps)."""
    if isinstance(exc, ConnectionTimeout):
        return f"no answer within {timeout_s:g}s"
    # str(exc) is just "Connection error"; the reason sits in .message and the cause chain.
    texts = [str(exc.message)]
    cause: BaseException | None = exc
    while cause is not None and len(texts) < 10:
        texts.append(str(cause))
        cause = cause.__cause__ or cause.__context__
    for text in texts:
        errno = re.search(r"\[Errno -?\d+\] ([^)\]'\"]+)", text)
        if errno:
            return errno.group(1).strip().lower()
    return _one_line(texts[0])


def _api_reason(exc: ApiError) -> str:
    info = exc.info if isinstance(exc.info, dict) else {}
    error = info.get("error", {})
    if isinstance(error, dict):
        causes = error.get("root_cause") or [error]
        return _one_line(f"{causes[0].get('type', '')}: {causes[0].get('reason', '')}")
    return _one_line(str(exc.message))


class ElasticsearchBackend:
    """:class:`search_api.search.types.SearchBackend` on an Elasticsearch 9 node."""

    name = "elasticsearch"

    def __init__(self, url: str, index: str = "policykb", timeout_s: float = 10) -> None:
        self.url = url.rstrip("/")
        self.alias = index
        self.timeout_s = timeout_s
        # No retries: a single local node that refused once refuses again, and the
        # caller wants a fast, clear "unreachable" instead of a long stall.
        self._es = Elasticsearch(self.url, request_timeout=timeout_s, max_retries=0, retry_on_timeout=False)
        self._write_lock = threading.Lock()

    # ------------------------------------------------------------------ errors

    @contextmanager
    def _engine(self) -> Iterator[None]:
        """Translate client exceptions into the project's one-line errors."""
        try:
            yield
        except TransportError as exc:
            raise EngineUnavailable(f"Elasticsearch at {self.url} unreachable: {_cause(exc, self.timeout_s)}") from exc
        except ApiError as exc:
            if exc.meta.status >= 500 or exc.meta.status == 429:
                raise EngineUnavailable(
                    f"Elasticsearch at {self.url} failed: {exc.meta.status} {_api_reason(exc)}"
                ) from exc
            raise PolicyKBError(
                f"Elasticsearch at {self.url} refused a request: {exc.meta.status} {_api_reason(exc)}"
            ) from exc
        except ScanError as exc:
            raise EngineUnavailable(f"Elasticsearch at {self.url} failed while copying: {_one_line(str(exc))}") from exc

    # ------------------------------------------------------------------ writing

    @staticmethod
    def prepare(documents: list[Document]) -> Prepared:
        return es_load.prepare(documents)

    def begin_load(self, replacing: list[str]) -> Loader:
        return es_load.EsLoader(self, replacing)

    def index(self, documents: list[Document], *, sources: dict[str, str]) -> int:
        if not documents and not sources:
            return 0
        return load_in_one_session(self, documents, sources)

    def remove_sources(self, sources: list[str]) -> int:
        with self._engine():
            current = self._current_indices()
            if not current or not sources:
                return 0
            index = ",".join(current)
            by_source = [{"terms": {"source_file": list(sources)}}]
            removed = self._count(index, [{"term": {"record_type": "passage"}}, *by_source])
            anything = self._count(index, by_source)
        if anything:
            loader = self.begin_load(list(sources))
            try:
                loader.remove(list(sources))
                loader.commit()
            except BaseException:
                loader.abort()
                raise
        return removed

    def _check_schema(self, current: list[str]) -> None:
        """Refuse to copy records from an index built with another schema version."""
        if not current:
            return
        mappings = self._es.indices.get_mapping(index=",".join(current))
        for name, body in mappings.items():
            found = body.get("mappings", {}).get("_meta", {}).get("schema_version")
            if found != q.schema_version():
                raise PolicyKBError(
                    f"{name} has schema version {found}, this backend writes {q.schema_version()}: "
                    "ingest everything into a new index name (POLICYKB_ES_INDEX)"
                )

    def _drop_stale(self, new: str) -> None:
        """Delete this alias's other versioned indices created before this build's index.

        That is the previous index plus orphans of builds that crashed. A concurrent
        build that started earlier is doomed anyway (its swap requires the index we just
        replaced); one that started later is left alone.
        """
        with suppress(ApiError, TransportError):
            found = self._es.indices.get_settings(
                index=f"{self.alias}-v*", name="index.creation_date", allow_no_indices=True
            )
            created = {name: int(body["settings"]["index"]["creation_date"]) for name, body in found.items()}
            # The node's clock on both sides of the comparison: no client clock skew.
            cutoff = created.get(new, 0)
            stale = [
                name
                for name, when in created.items()
                if name != new and when < cutoff and _VERSIONED.match(name.removeprefix(self.alias))
            ]
            if stale:
                self._drop(",".join(stale))

    def _swap(self, new: str, current: list[str]) -> None:
        actions: list[dict[str, Any]] = [
            {"remove": {"index": old, "alias": self.alias, "must_exist": True}} for old in current
        ]
        actions.append({"add": {"index": new, "alias": self.alias}})
        try:
            self._es.indices.update_aliases(actions=actions)
        except NotFoundError as exc:
            # must_exist failed: another writer swapped first. Ours is dropped (by the
            # caller) rather than silently discarding that writer's data.
            raise ConcurrentIngest(f"another ingest replaced {self.alias!r} meanwhile; nothing changed, retry") from exc

    def _drop(self, index: str) -> None:
        # Best effort: the original error (if any) is the one worth reporting.
        with suppress(ApiError, TransportError):
            self._es.indices.delete(index=index, ignore_unavailable=True)

    # ------------------------------------------------------------------ reading helpers

    def _current_indices(self) -> list[str]:
        """Concrete indices behind the alias (normally one; none before the first ingest)."""
        try:
            found = self._es.indices.get_alias(name=self.alias)
        except NotFoundError:
            return []
        return sorted(found.body)

    def _count(self, index: str, filters: list[dict[str, Any]]) -> int:
        return int(self._es.count(index=index, query={"bool": {"filter": filters}})["count"])

    def _search(self, body: dict[str, Any]) -> dict[str, Any] | None:
        """One search on the alias; None while nothing was ingested (no alias yet)."""
        try:
            return dict(self._es.search(index=self.alias, body=body).body)
        except NotFoundError:
            return None

    def _fetch_all(self, filters: list[dict[str, Any]], sort: list[dict[str, str]]) -> list[dict[str, Any]]:
        """Payloads of every record matching ``filters``, in ``sort`` order (search_after pages)."""
        out: list[dict[str, Any]] = []
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

    # ------------------------------------------------------------------ reading

    def search(self, request: SearchRequest) -> SearchResponse:
        aq = analyze_query(request.query)
        if request.query.strip() and aq.empty:
            return SearchResponse(total=0, hits=[], facets={f: [] for f in FACET_FIELDS})
        response = self._search_analyzed(request, aq)
        while response.total == 0 and aq.min_match > 1:
            # Nothing has enough of the words: show what has most of them rather than nothing.
            aq = aq.relaxed()
            response = self._search_analyzed(request, aq)
        return response

    def _search_analyzed(self, request: SearchRequest, aq: AnalyzedQuery) -> SearchResponse:
        by_date = request.sort == "date" or not request.query.strip()
        body = q.search_body(
            aq,
            request.filters,
            offset=request.offset,
            limit=request.limit,
            by_date=by_date,
            facets=request.facets,
            facet_documents=request.facet_documents,
        )
        with self._engine():
            result = self._search(body)
        if result is None:
            return SearchResponse(total=0, hits=[], facets={f: [] for f in FACET_FIELDS} if request.facets else {})
        hits = [
            hit_from_payload(h["_source"]["payload"], 0.0 if by_date else float(h.get("_score") or 0.0), aq)
            for h in result["hits"]["hits"]
        ]
        facets = facets_from_aggregations(result.get("aggregations", {}), request.filters) if request.facets else {}
        return SearchResponse(total=int(result["hits"]["total"]["value"]), hits=hits, facets=facets)

    def get_passage(self, passage_id: str) -> Passage | None:
        with self._engine():
            try:
                found = self._es.get(index=self.alias, id=q.passage_id(passage_id), source_includes=["payload"])
            except NotFoundError:
                return None
        return passage_from_dict(found["_source"]["payload"])

    def get_document(self, doc_id: str) -> Document | None:
        with self._engine():
            try:
                found = self._es.get(index=self.alias, id=q.document_id(doc_id), source_includes=["payload"])
            except NotFoundError:
                return None
            passages = self._fetch_all(
                [{"term": {"record_type": "passage"}}, {"term": {"doc_id": doc_id}}],
                [{"ord": "asc"}, {"id": "asc"}],
            )
        return document_from_dict(found["_source"]["payload"], [passage_from_dict(p) for p in passages])

    def policies(self) -> list[PolicyRecord]:
        with self._engine():
            docs = self._fetch_all(
                [{"term": {"record_type": "document"}}, {"term": {"doc_kind": "policy"}}], [{"id": "asc"}]
            )
        return sorted((policy_record(d) for d in docs), key=lambda r: (r.date or "", r.title))

    def sources(self) -> dict[str, str]:
        with self._engine():
            found = self._fetch_all([{"term": {"record_type": "source"}}], [{"source_file": "asc"}])
        return {d["source"]: d["fingerprint"] for d in found}

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
        with self._engine():
            current = self._current_indices()
            result = self._search(body)
        aggs = result.get("aggregations", {}) if result else {}
        types = {b["key"]: int(b["doc_count"]) for b in aggs.get("types", {}).get("buckets", [])}
        kinds = aggs.get("passages", {}).get("kinds", {}).get("buckets", [])
        return {
            "engine": self.name,
            "location": f"{self.url}/{self.alias}",
            "index": current[0] if current else None,
            "passages": types.get("passage", 0),
            "documents": types.get("document", 0),
            "sources": types.get("source", 0),
            "passages_by_type": {b["key"]: int(b["doc_count"]) for b in kinds},
        }

    def close(self) -> None:
        self._es.close()

    # ------------------------------------------------------------------ suggestions

    def suggest(self, prefix: str, limit: int = 10) -> list[dict[str, Any]]:
        """Titles and 文号 by prefix, then substring (see :mod:`search_api.search.suggest`).

        Every write builds a new index behind the alias, so the concrete index name is
        an exact generation key: the title list is re-read only after an ingest.
        """
        from search_api.search.suggest import TitleIndex

        with self._engine():
            generation = tuple(self._current_indices())
            cached: tuple[object, TitleIndex] | None = getattr(self, "_suggest_cache", None)
            if cached is None or cached[0] != generation:
                documents = self._fetch_all([{"term": {"record_type": "document"}}], [{"id": "asc"}])
                cached = (generation, TitleIndex(documents))
                self._suggest_cache = cached
        return cached[1].match(prefix, limit)
