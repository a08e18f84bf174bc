"""What an engine implements: the one interface between the search core and an index.

An engine does only what needs the engine (haystack's ``DocumentStore`` protocol is the
model): run a translated :class:`~search_api.index.plan.Plan` with filters, a page and
facet counts (:meth:`Engine.run`); fetch stored records; prepare and load records; report
its generation. Query analysis, the ranking plan, relaxation, hits, snippets, facet
reading and the suggestion cache are the engine-neutral
:class:`search_api.search.searcher.Searcher`, written once.

Semantics every engine keeps (the contract suite in ``tests/contract`` checks them):

* :class:`EngineFilters` arrive validated and normalised (文号 in its normal form, date
  bounds as inclusive ISO days): an engine never raises for a filter value.
* Facets are counted over every match, not the page: ``aggregations`` has, per facet
  field, ``{"buckets": [{"key", "doc_count"[, "docs": {"value"}]}]}`` (the
  Elasticsearch shape; ``docs`` is the distinct count of documents when asked for).
* With ``by_date`` the order is newest first (ties by document and position), the
  scores 0; else by score, ties by id.
* Scores are engine-specific; only their order is meaningful.
* With ``nested`` (the document view), ``window`` holds every hit's score and document in
  order and ``hits`` only the payloads :func:`nested_indices` picks from them: decoding a
  stored passage costs more than the search of a short query, and a page of ten
  documents shows thirty of the window's hundreds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from ingest.model import Document
from search_api.index.plan import Plan

# The keyword fields a search can filter on and count (the facets).
FACET_FIELDS = (
    "agency",
    "mentioned_agency",
    "region",
    "year",
    "talent_category",
    "doc_kind",
    "doc_type",
    "clause_type",
)
Payload = dict[str, Any]  # a stored record as the ingest pipeline wrote it (``to_dict``)
DOCUMENTS = "documents"  # the aggregation of distinct documents (``count_documents``)
# Values counted per facet field, on both engines. The engines keep the values with the
# most passages, while a page shows documents: with 100, the archive's landing page left
# out 59 of its 159 issuing agencies, among them 北京市人力资源和社会保障局, whose policies
# are short. 1,000 holds every value of the archive at no measured cost (the search after
# the facets is the cost: 2.9 → 2.8 ms for 人才, 14.4 → 14.0 ms for 条例 on tantivy).
FACET_SIZE = 1000


@dataclass(frozen=True)
class EngineFilters:
    """Validated, normalised filters; conjunctive across fields, any value within one."""

    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # facet field → values
    doc_number: str | None = None  # normalised 文号
    doc_id: str | None = None
    doc_ids: tuple[str, ...] = ()  # only passages of these documents (those a 文号 prefix names)
    exclude_doc_ids: tuple[str, ...] = ()  # passages of these documents never match (grouping.browse)
    eligibility_only: bool = False
    conditioned_only: bool = False  # passages that state conditions (申报自查)
    date_low: str | None = None  # inclusive ISO day
    date_high: str | None = None


@dataclass(frozen=True)
class Nested:
    """The passages a page of documents shows: the best ``per_document`` of each of the
    first ``documents`` documents of the window, in rank order."""

    per_document: int
    documents: int


@dataclass(frozen=True)
class EngineQuery:
    plan: Plan | None  # None: no text to match, every filtered passage matches
    filters: EngineFilters
    offset: int = 0
    limit: int = 10
    by_date: bool = False
    facets: bool = False
    facet_fields: tuple[str, ...] = FACET_FIELDS  # the fields ``facets`` counts (each a column read per match)
    facet_documents: bool = False  # a distinct document count per facet value
    count_documents: bool = False  # the distinct documents among all matches (``documents``)
    nested: Nested | None = None  # the document view: payloads of the shown passages only


@dataclass
class EngineResult:
    total: int
    hits: list[tuple[float, Payload]]  # (score, stored passage payload), in order
    aggregations: dict[str, Any] = field(default_factory=dict)
    window: list[tuple[float, str]] | None = None  # with ``nested``: (score, doc_id) of every hit

    @property
    def documents(self) -> int | None:
        """Distinct documents among all matches, when the query asked for them."""
        found = self.aggregations.get(DOCUMENTS)
        return round(found["value"]) if found else None


# An engine's search (:meth:`Engine.run`), as the search core's steps take it.
Run = Callable[[EngineQuery], EngineResult]


def nested_indices(doc_ids: Sequence[str], nested: Nested) -> list[int]:
    """Which hits of a window (their documents, in rank order) a page of documents shows:
    the first ``per_document`` of each of the first ``documents`` documents."""
    shown: dict[str, int] = {}
    out: list[int] = []
    for i, doc in enumerate(doc_ids):
        count = shown.get(doc)
        if count is None:
            if len(shown) >= nested.documents:
                continue
            count = 0
        if count < nested.per_document:
            out.append(i)
        shown[doc] = count + 1
    return out


def nested_result(result: EngineResult, nested: Nested) -> EngineResult:
    """``result`` (every payload at hand) as the document view asks for it."""
    window = [(score, payload["doc_id"]) for score, payload in result.hits]
    chosen = nested_indices([doc for _, doc in window], nested)
    return EngineResult(result.total, [result.hits[i] for i in chosen], result.aggregations, window)


@dataclass(frozen=True)
class Prepared:
    """Records of some documents in one engine's own compact form, built by
    :meth:`Engine.prepare` (possibly in a worker process) for :meth:`Loader.add`.

    ``records`` are plain values (strings, bytes, numbers, tuples) so that sending them
    between processes is cheap; only the engine that made them can read them.
    """

    engine: str
    records: list[Any]
    documents: int
    passages: int


class Loader(Protocol):
    """One load session (see :meth:`Engine.begin_load`).

    Each source named in :meth:`add` or :meth:`remove` is replaced atomically (a reader
    sees its old or its new records, never a mix); a source announced to ``begin_load``
    but never added keeps its previous records; after :meth:`abort` (or an error) every
    source not yet made visible keeps its previous records. Whether batches become
    visible at each :meth:`add` (neither engine does so now) or together at
    :meth:`commit` (Elasticsearch: one alias swap) is the engine's choice. Sources not
    announced are refused before the engine sees them (:class:`CheckedLoader`).
    """

    def add(self, batch: Prepared, *, sources: dict[str, str]) -> int:
        """Write ``batch``, replacing everything loaded before from ``sources`` (each
        mapped to its content fingerprint); return the number of passages written."""
        ...

    def remove(self, sources: list[str]) -> None:
        """Drop everything loaded from ``sources`` in this session."""
        ...

    def commit(self) -> None:
        """Make everything added visible; the session is over."""
        ...

    def abort(self) -> None:
        """End the session, keeping what is not yet visible out; safe after commit."""
        ...


@runtime_checkable
class Engine(Protocol):
    """A store of passages (searchable), documents and sources (looked up)."""

    name: str

    def prepare(self, documents: list[Document]) -> Prepared:
        """The engine records of ``documents``. Pure: no engine I/O, so it can run in a
        forked worker while the parent writes."""
        ...

    def begin_load(self, replacing: list[str]) -> Loader:
        """Start a load that may replace the sources in ``replacing`` (and no others)."""
        ...

    def run(self, query: EngineQuery) -> EngineResult:
        """The page, total and (if asked) facet aggregations of a translated plan."""
        ...

    def passage(self, passage_id: str) -> Payload | None: ...

    def document(self, doc_id: str) -> Payload | None: ...

    def document_passages(self, doc_id: str) -> list[Payload]:
        """The passages of a document in reading order."""
        ...

    def passage_range(self, doc_id: str, first: int, last: int) -> list[Payload]:
        """The passages of a document whose ``ord`` is from ``first`` to ``last`` (both
        included), in reading order; reads only those (a passage view of a huge document)."""
        ...

    def documents(self, kind: str | None = None) -> list[Payload]:
        """Every document record (of ``kind``), in no particular order."""
        ...

    def sources(self) -> dict[str, str]:
        """Loaded sources mapped to their content fingerprint (to skip unchanged files)."""
        ...

    def count_passages(self, sources: list[str] | None = None) -> int:
        """Passages in the index (loaded from ``sources``)."""
        ...

    def stats(self) -> dict[str, Any]:
        """Counts: passages, documents, sources, per kind; engine name and location."""
        ...

    def generation(self) -> object:
        """A value that changes whenever a write becomes visible (for caches)."""
        ...

    def close(self) -> None: ...


class CheckedLoader:
    """A :class:`Loader` that refuses sources not announced to ``begin_load``, the same
    way on every engine (an engine copies the old records of unannounced sources at the
    start, so adding one later would duplicate it)."""

    def __init__(self, inner: Loader, replacing: list[str]) -> None:
        self._inner = inner
        self._replacing = set(replacing)

    def _check(self, sources: list[str]) -> None:
        unknown = sorted(set(sources) - self._replacing)
        if unknown:
            from search_api.errors import InvalidRequest

            raise InvalidRequest(f"sources not announced to begin_load: {', '.join(unknown[:5])}")

    def add(self, batch: Prepared, *, sources: dict[str, str]) -> int:
        self._check(list(sources))
        return self._inner.add(batch, sources=sources)

    def remove(self, sources: list[str]) -> None:
        self._check(sources)
        self._inner.remove(sources)

    def commit(self) -> None:
        self._inner.commit()

    def abort(self) -> None:
        self._inner.abort()


def begin_load(engine: Engine, replacing: list[str]) -> Loader:
    """A checked load session on ``engine`` (what every writer uses)."""
    return CheckedLoader(engine.begin_load(replacing), replacing)


def load_in_one_session(engine: Engine, documents: list[Document], sources: dict[str, str]) -> int:
    """Add ``documents`` replacing everything loaded before from ``sources``: one session,
    one batch. Re-loading a file is idempotent (stable ids, no duplicates or stale records)."""
    if not documents and not sources:
        return 0
    loader = begin_load(engine, list(sources))
    try:
        written = loader.add(engine.prepare(documents), sources=sources)
        loader.commit()
    except BaseException:
        loader.abort()
        raise
    return written


def remove_sources(engine: Engine, sources: list[str]) -> int:
    """Remove everything loaded from ``sources``; return the passages removed."""
    present = [s for s in sources if s in engine.sources()]
    if not present:
        return 0
    before = engine.count_passages(present)
    loader = begin_load(engine, present)
    try:
        loader.remove(present)
        loader.commit()
    except BaseException:
        loader.abort()
        raise
    return before
