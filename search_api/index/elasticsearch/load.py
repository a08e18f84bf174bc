"""Loading Elasticsearch: records serialised in the workers, one index build per load.

:func:`prepare` (pure, runs in the ingest workers) turns documents into ``(_id, JSON
bytes)`` pairs: building the records and serialising them is most of the client-side
cost of a bulk load, and bytes pass through the client's serializer untouched.

:class:`EsLoader` is one build of a new versioned index behind the alias:

1. at the first write, create the index and copy in, once, the records of every source
   the load does not announce (scroll + bulk: the bare node has no reindex module);
2. stream each batch in with ``streaming_bulk`` as it comes (memory: one batch);
3. at :meth:`~EsLoader.commit`, copy the announced sources that were never added (a
   file that failed keeps its previous version), refresh, merge, move the alias in one
   ``update_aliases`` call and delete the old index.

A reader sees the old or the new index, never a half-built one. A rejected record drops
the new index and raises :class:`IndexRejected`; the alias does not move.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable, Iterator
from typing import Any, cast

from elasticsearch.helpers import scan, streaming_bulk

from ingest.model import Document
from search_api.errors import IngestError, PolicyKBError
from search_api.index.elasticsearch import query as q
from search_api.index.elasticsearch.connection import one_line
from search_api.index.elasticsearch.versions import IndexVersions
from search_api.index.engine import Prepared

ENGINE = "elasticsearch"
BULK_CHUNK = 500
SCAN_PAGE = 1000
REJECTED_SHOWN = 5
# Writes (bulk, refresh, merge) can take longer than an interactive query.
WRITE_TIMEOUT_S = 300.0

Action = tuple[str, bytes | dict[str, Any]]  # (_id, _source as JSON bytes or a dict)


class IndexRejected(IngestError):
    """Elasticsearch refused some records; the new index was dropped, the alias unchanged."""

    def __init__(self, sources: list[str], rejected: list[tuple[str, str]], total: int) -> None:
        shown = "; ".join(f"{rid}: {reason}" for rid, reason in rejected[:REJECTED_SHOWN])
        more = f" (and {total - REJECTED_SHOWN} more)" if total > REJECTED_SHOWN else ""
        reason = f"{total} records rejected by Elasticsearch: {shown}{more}"
        # A batch holds hundreds of files: name a few, the rejected records say which.
        names = ", ".join(sources[:REJECTED_SHOWN])
        if len(sources) > REJECTED_SHOWN:
            names += f" (and {len(sources) - REJECTED_SHOWN} more files)"
        super().__init__(names or "(no source)", reason)
        self.rejected = rejected
        self.total = total


def _item_reason(item: dict[str, Any]) -> tuple[str, str]:
    result = next(iter(item.values()))
    error = result.get("error", {})
    if isinstance(error, dict):
        reason = f"{error.get('type', 'error')}: {error.get('reason', '')}"
        cause = error.get("caused_by")
        if isinstance(cause, dict) and cause.get("reason"):
            reason += f" ({cause['reason']})"
    else:
        reason = str(error)
    record_id = str(result.get("_id", "?"))
    kind, _, bare = record_id.partition(":")
    label = {"p": "passage", "d": "document", "s": "source record"}.get(kind)
    return (f"{label} {bare}" if label else record_id), one_line(reason)


# --------------------------------------------------------------------- prepare (pure)


def _json(record: dict[str, Any]) -> bytes:
    # As the client's serializer writes it (no ASCII escapes, compact separators).
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()


def prepare(documents: list[Document]) -> Prepared:
    """``(_id, JSON bytes)`` of every document and passage record."""
    records: list[Any] = []
    passages = 0
    for doc in documents:
        records.append((q.document_id(doc.id), _json(q.document_record(doc))))
        for passage in doc.passages:
            records.append((q.passage_id(passage.id), _json(q.passage_record(passage, doc))))
            passages += 1
    return Prepared(ENGINE, records, len(documents), passages)


# --------------------------------------------------------------------- writing


class EsLoader:
    """:class:`search_api.index.engine.Loader` for Elasticsearch (see the module docstring)."""

    def __init__(self, versions: IndexVersions, replacing: list[str]) -> None:
        self._versions = versions
        self._es = versions.client
        self._replacing = set(replacing)
        self._touched: set[str] = set()
        self._current: list[str] = []
        self._new: str | None = None  # the index being built, once a write started it
        self._locked = False
        self._done = False

    def add(self, batch: Prepared, *, sources: dict[str, str]) -> int:
        if batch.engine != ENGINE:
            raise ValueError(f"records prepared for {batch.engine}, not {ENGINE}")
        self._check_open()
        new = self._start()
        actions: list[Action] = [(q.source_id(s), q.source_record(s, f)) for s, f in sources.items()]
        self._touched.update(sources)
        self._load(new, [*actions, *batch.records], sorted(sources))
        return batch.passages

    def remove(self, sources: list[str]) -> None:
        self._check_open()
        self._start()
        self._touched.update(sources)

    def commit(self) -> None:
        if self._done:
            return
        if self._new is None:  # nothing was written: nothing changes
            self._done = True
            return
        new = self._new
        try:
            with self._versions.errors():
                untouched = sorted(self._replacing - self._touched)
                if untouched and self._current:
                    query = {"query": {"bool": {"filter": [{"terms": {"source_file": untouched}}]}}}
                    self._load(new, self._copied(query), untouched)
                writer = self._es.options(request_timeout=max(WRITE_TIMEOUT_S, self._versions.timeout_s))
                writer.indices.put_settings(index=new, settings={"index": {"refresh_interval": None}})
                writer.indices.refresh(index=new)
                # One segment without deleted docs: exact term statistics (the same scores
                # for the same data, whatever the load history) and faster searches.
                writer.indices.forcemerge(index=new, max_num_segments=1)
                self._versions.swap(new, self._current)
        except BaseException:
            self.abort()
            raise
        self._finish()
        # The alias already points at the new index; a failed cleanup only leaves garbage.
        self._versions.drop_stale(new)

    def abort(self) -> None:
        if self._done:
            return
        if self._new is not None:
            self._versions.drop(self._new)
        self._finish()

    # ------------------------------------------------------------------ internals

    def _check_open(self) -> None:
        # Unannounced sources are refused before this (search_api.index.engine.CheckedLoader).
        if self._done:
            raise RuntimeError("this load is over (committed or aborted)")

    def _start(self) -> str:
        """The new index, created (with the untouched sources copied in) at the first write."""
        if self._new is not None:
            return self._new
        self._versions.write_lock.acquire()
        self._locked = True
        try:
            with self._versions.errors():
                versions = self._versions
                current = versions.current()
                if not current and self._es.indices.exists(index=versions.alias):
                    raise PolicyKBError(
                        f"{versions.alias!r} at {versions.url} is an index, not an alias: use another index name"
                    )
                versions.check_schema(current)
                self._current = current
                stamp = f"{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"
                new = f"{versions.alias}-v{q.schema_version()}-{stamp}"
                definition = q.index_definition()
                settings = {
                    **definition["settings"],
                    "number_of_shards": versions.shards,
                    "number_of_replicas": versions.replicas,
                }
                self._es.indices.create(index=new, settings=settings, mappings=definition["mappings"])
                self._new = new
                if current:
                    replacing = sorted(self._replacing)
                    query = {"query": {"bool": {"must_not": [{"terms": {"source_file": replacing}}]}}}
                    self._load(new, self._copied(query if replacing else None), [])
        except BaseException:
            self.abort()
            raise
        return new

    def _copied(self, query: dict[str, Any] | None) -> Iterator[Action]:
        """The current index's records matching ``query``, as actions (streamed)."""
        for hit in scan(self._es, index=",".join(self._current), query=query, size=SCAN_PAGE, scroll="5m"):
            yield hit["_id"], hit["_source"]

    def _load(self, new: str, actions: Iterable[Action], sources: list[str]) -> None:
        """Bulk-write ``actions`` into ``new``; any rejected record aborts the load."""
        rejected: list[tuple[str, str]] = []
        total_rejected = 0
        writer = self._es.options(request_timeout=max(WRITE_TIMEOUT_S, self._versions.timeout_s))

        def expand(action: Action) -> tuple[dict[str, Any], bytes | dict[str, Any]]:
            return {"index": {"_index": new, "_id": action[0]}}, action[1]

        try:
            with self._versions.errors():
                # The client's types know only its own action shapes; ours are
                # (id, body) pairs that ``expand`` turns into header and body.
                results = streaming_bulk(
                    writer,
                    cast(Iterable[Any], actions),
                    chunk_size=BULK_CHUNK,
                    expand_action_callback=expand,  # type: ignore[arg-type]
                    raise_on_error=False,
                    max_retries=2,
                )
                for ok, item in results:
                    if not ok:
                        total_rejected += 1
                        if len(rejected) < REJECTED_SHOWN:
                            rejected.append(_item_reason(item))
            if total_rejected:
                raise IndexRejected(sources, rejected, total_rejected)
        except BaseException:
            self.abort()
            raise

    def _finish(self) -> None:
        self._done = True
        if self._locked:
            self._locked = False
            self._versions.write_lock.release()
