"""The one interface every search engine implements, and its request/response types.

Semantics shared by all backends (the contract tests in ``tests/contract`` check them):

* Queries are plain user text. A backend never passes it to an engine's query parser:
  it is analysed by :mod:`analysis.words` (jieba, the same as at index time) and the
  engine query is built from the resulting terms, so ``"``, ``(``, ``*``, ``OR``,
  ``NEAR`` or ``-`` are searched as text and can never raise a syntax error.
* An empty query with filters lists the filtered passages (newest first).
* Filters are conjunctive across fields; a list value inside one field matches any of
  its values. ``date_from``/``date_to`` are inclusive ISO dates on the passage date.
* Facets are counted over the whole filtered result set, not just the returned page:
  ``count`` is the number of matching passages carrying the value; ``doc_count``, only
  when the request asks for it (``facet_documents``), the number of distinct documents
  among them (a document with 30 matching passages counts once), else None: it costs
  a distinct count per value, several times the facets' own cost at 250,000 passages
  (README "Benchmarks"). ``selected`` marks values that are active filters.
* Scores are engine-specific; only their order is meaningful.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from ingest.model import Document, Passage, PolicyRecord

FACET_FIELDS = ("agency", "year", "talent_category", "doc_type")


@dataclass
class Filters:
    """The neutral filter language; each backend translates it."""

    agency: list[str] = field(default_factory=list)
    talent_category: list[str] = field(default_factory=list)
    doc_type: list[str] = field(default_factory=list)
    year: list[str] = field(default_factory=list)
    doc_number: str | None = None  # any bracket/spacing variant; normalised by the backend
    doc_id: str | None = None
    date_from: str | None = None  # inclusive ISO date
    date_to: str | None = None
    eligibility_only: bool = False

    def selected(self, facet: str) -> list[str]:
        values: list[str] = getattr(self, facet, [])
        return values


@dataclass
class SearchRequest:
    query: str = ""
    filters: Filters = field(default_factory=Filters)
    offset: int = 0
    limit: int = 10
    sort: str = "relevance"  # "relevance" | "date"
    facets: bool = True
    facet_documents: bool = False  # also count distinct documents per facet value


@dataclass
class FacetValue:
    value: str
    count: int  # matching passages with this value
    doc_count: int | None = None  # distinct documents among them (if requested)
    selected: bool = False


@dataclass
class Hit:
    id: str
    doc_id: str
    doc_title: str
    doc_type: str
    citation: str
    path: list[str]
    text: str
    highlight: str  # HTML-escaped text with <mark> around matched terms
    agencies: list[str]
    doc_number: str | None
    date: str | None
    talent_categories: list[str]
    eligibility: bool
    source: str
    score: float


@dataclass
class SearchResponse:
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]

    def to_dict(self) -> dict[str, Any]:
        # Shallow copies, not dataclasses.asdict: its deep recursion cost a twentieth of
        # an API request (hits hold only strings, numbers and lists of strings).
        return {
            "total": self.total,
            "hits": [{**vars(hit), "path": list(hit.path)} for hit in self.hits],
            "facets": {name: [dict(vars(v)) for v in values] for name, values in self.facets.items()},
        }


@dataclass(frozen=True)
class Prepared:
    """Records of some documents in one engine's own compact form, built by
    :meth:`SearchBackend.prepare` (possibly in a worker process) for :meth:`Loader.add`.

    ``records`` are plain values (strings, bytes, numbers, tuples) so that sending them
    between processes is cheap; only the engine that made them can read them.
    """

    engine: str
    records: list[Any]
    documents: int
    passages: int


class Loader(Protocol):
    """One load session (see :meth:`SearchBackend.begin_load`).

    Semantics shared by all backends: each source named in :meth:`add` or
    :meth:`remove` is replaced atomically (a reader sees its old or its new records,
    never a mix); a source announced to ``begin_load`` but never added keeps its
    previous records; after :meth:`abort` (or an error) every source not yet made
    visible keeps its previous records. Whether batches become visible at each
    :meth:`add` (tantivy: one commit per batch) or together at :meth:`commit`
    (Elasticsearch: one alias swap) is the engine's choice.
    """

    def add(self, batch: Prepared, *, sources: dict[str, str]) -> int:
        """Write ``batch``, replacing everything loaded before from ``sources`` (each
        mapped to its content fingerprint, what :meth:`SearchBackend.sources` returns
        afterwards); return the number of passages written."""
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
class SearchBackend(Protocol):
    """A store of passages (searchable) and documents (looked up by id)."""

    def prepare(self, documents: list[Document]) -> Prepared:
        """The engine records of ``documents`` (passages with or without tokens).

        Pure: no engine I/O, so it can run in a forked worker while the parent writes.
        """
        ...

    def begin_load(self, replacing: list[str]) -> Loader:
        """Start a load that may replace the sources in ``replacing`` (and no others).

        Large loads go through one session in batches, so memory stays bounded by a
        batch; see :class:`Loader`.
        """
        ...

    def index(self, documents: list[Document], *, sources: dict[str, str]) -> int:
        """Add ``documents`` and their passages; return the number of passages written.

        ``sources`` maps each source file the documents come from to its content
        fingerprint. Everything previously loaded from those sources is removed in the
        same commit, so re-ingesting a file is idempotent (stable ids, no duplicates, no
        stale passages) and a reader sees either the old or the new version of a source,
        never a mix. The fingerprints are what :meth:`sources` returns afterwards.
        A convenience: one :meth:`begin_load` session with one batch.
        """
        ...

    def remove_sources(self, sources: list[str]) -> int:
        """Remove everything loaded from these sources; return passages removed."""
        ...

    def search(self, request: SearchRequest) -> SearchResponse:
        """Run a query with filters, pagination and facet counts (see module doc)."""
        ...

    def get_passage(self, passage_id: str) -> Passage | None:
        """The stored passage, or None."""
        ...

    def get_document(self, doc_id: str) -> Document | None:
        """The stored document with its passages in reading order, or None."""
        ...

    def policies(self) -> list[PolicyRecord]:
        """All policy records, ordered by date then title."""
        ...

    def stats(self) -> dict[str, Any]:
        """Counts: passages, documents, sources, per kind; engine name and location."""
        ...

    def sources(self) -> dict[str, str]:
        """Loaded sources mapped to their content fingerprint (to skip unchanged files)."""
        ...

    def close(self) -> None:
        """Release engine resources."""
        ...

    def suggest(self, prefix: str, limit: int = 10) -> list[dict[str, Any]]:
        """Documents whose title or 文号 starts with (then contains) ``prefix``.

        Each is ``{"id", "title", "kind", "doc_number", "date"}``; brackets and spaces
        in a 文号 are insignificant. Matching is :class:`search_api.search.suggest.TitleIndex`.
        """
        ...


def load_in_one_session(backend: SearchBackend, documents: list[Document], sources: dict[str, str]) -> int:
    """:meth:`SearchBackend.index` for any backend: one session, one batch."""
    loader = backend.begin_load(list(sources))
    try:
        written = loader.add(backend.prepare(documents), sources=sources)
        loader.commit()
    except BaseException:
        loader.abort()
        raise
    return written


def date_bounds(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    """Inclusive ISO day bounds; a year or month bound covers its whole period."""
    import calendar

    def low(value: str | None) -> str | None:
        if not value:
            return None
        parts = value.split("-")
        return "-".join([parts[0], *[*parts[1:], "01", "01"][:2]])

    def high(value: str | None) -> str | None:
        if not value:
            return None
        parts = value.split("-")
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 12
        day = int(parts[2]) if len(parts) > 2 else calendar.monthrange(year, month)[1]
        return f"{year:04d}-{month:02d}-{day:02d}"

    return low(date_from), high(date_to)
