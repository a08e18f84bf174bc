"""The search request and response: what the CLI, the JSON API and the page exchange with
:class:`search_api.search.searcher.Searcher`.

* Queries are plain user text, analysed by :mod:`search_api.search.query` (jieba, the
  same as at index time); ``"``, ``(``, ``*``, ``OR`` or ``-`` are searched as text.
* An empty query with filters lists the filtered passages (newest first).
* Filters are conjunctive across fields; a list value inside one field matches any of
  its values. ``date_from``/``date_to`` are inclusive ISO dates (YYYY, YYYY-MM or
  YYYY-MM-DD) on the passage date.
* Facets are counted over the whole filtered result set: ``count`` is the number of
  matching passages carrying the value; ``doc_count``, only when the request asks for
  it (``facet_documents``), the number of distinct documents among them.
* Scores are engine-specific; only their order is meaningful.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from search_api.index.engine import FACET_FIELDS
from search_api.search.matching import QueryInfo

__all__ = ["FACET_FIELDS", "DocumentHit", "FacetValue", "Filters", "Hit", "SearchRequest", "SearchResponse"]


@dataclass
class Filters:
    """The neutral filter language; each backend translates it."""

    agency: list[str] = field(default_factory=list)  # 发文机关: who issued the document
    mentioned_agency: list[str] = field(default_factory=list)  # 涉及机关: named in the passage
    region: list[str] = field(default_factory=list)  # 地区: 全国, 北京, 广东 … (ingest.enrich.regions)
    clause_type: list[str] = field(default_factory=list)  # condition, benefit, procedure, …
    talent_category: list[str] = field(default_factory=list)
    doc_kind: list[str] = field(default_factory=list)  # the document's own kind (policy, report_chapter, …)
    doc_type: list[str] = field(default_factory=list)  # the passage's kind (chapter, footnote, …)
    year: list[str] = field(default_factory=list)
    doc_number: str | None = None  # any bracket/spacing variant; normalised by the backend
    doc_id: str | None = None
    date_from: str | None = None  # inclusive ISO date
    date_to: str | None = None
    eligibility_only: bool = False
    conditioned_only: bool = False  # passages that state conditions (Passage.conditions)

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
    facet_fields: tuple[str, ...] = FACET_FIELDS  # which facets to return
    group: str = "passage"  # "passage" | "document": one hit per document, facet counts of documents
    # Any one unit matches (the more, the better): words that each choose on their own, as
    # an applicant's profile does for 申报自查; not a parameter of the API.
    any_unit: bool = False
    spell: bool = True  # False: search the words as typed, no typo is corrected
    # False: no bonus for the searcher's home region (申报自查 places a policy by the
    # applicant's own residence, and compares scores by their ratio); not an API parameter.
    home: bool = True
    # True: the words must be in the passage's own text, not only in its headings (the
    # timeline's entries all sit under 2023年北京人才工作大事记: 人才 had matched all 47);
    # not an API parameter.
    text_only: bool = False


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
    clause_type: str | None = None  # a policy clause's type (condition, benefit, …)
    # The query's units this passage lacks (缺少), when the search asked for only most of them.
    missing: list[str] = field(default_factory=list)


@dataclass
class DocumentHit:
    """One document in a document-mode result: its best matching passages nested."""

    doc_id: str
    doc_title: str
    doc_kind: str  # the document's own kind (policy, report_chapter, timeline, report)
    doc_type: str  # the kind of its best passage (policy, chapter, event, …)
    agencies: list[str]
    doc_number: str | None
    date: str | None
    score: float
    matches: int  # matching passages of the document
    matches_exact: bool  # False: at least ``matches`` (beyond the grouping window)
    passages: list[Hit]  # the best of them (at most three), best first
    # Other documents of the same text word for word (grouping.fold_copies), shown as one.
    copies: list[str] = field(default_factory=list)
    # A later full text of the same policy replaces this one: its id and date (else None).
    newer_id: str | None = None
    newer_date: str | None = None
    catalogue_only: bool = False  # a policy known only by its catalogue line, its clauses not held
    missing: list[str] = field(default_factory=list)  # the units none of its shown passages holds


@dataclass
class SearchResponse:
    total: int  # matching passages, or documents in document mode
    hits: list[Hit]  # passage mode (empty in document mode)
    facets: dict[str, list[FacetValue]]
    query: QueryInfo | None = None  # what was understood and matched
    documents: list[DocumentHit] | None = None  # document mode: one hit per document
    # Document mode: the documents its pages can show when fewer than ``total`` (they are
    # grouped from the best passages, at most grouping.MAX_WINDOW of them); else None.
    reachable: int | None = None
    # The clause types the query's intent asks for (condition for 我还能申请…吗): for the page's
    # pointers, not in the body (the page need not analyse the query a second time).
    asked_clause_types: list[str] = field(default_factory=list)

    @property
    def shown(self) -> list[Hit] | list[DocumentHit]:
        """What the body lists as ``hits``: the documents in document mode, else the passages."""
        return self.documents if self.documents is not None else self.hits

    def to_dict(self) -> dict[str, Any]:
        # Shallow copies, not dataclasses.asdict: its deep recursion cost a twentieth of
        # an API request (hits hold only strings, numbers and lists of strings).
        return {
            "total": self.total,
            "hits": [_hit_dict(hit) for hit in self.shown],
            "facets": {name: [dict(vars(v)) for v in values] for name, values in self.facets.items()},
            "query": self.query.to_dict() if self.query else None,
            **self._document_keys(),
        }

    def json_content(self) -> dict[str, Any]:
        """What :meth:`to_dict` holds, with the hits and facet values left as dataclasses:
        orjson writes a dataclass as the object of its fields, so the bytes are the same
        (tests/api/test_models.py) for a third of the time (15 against 49 µs on a page
        of ten hits with facets)."""
        return {
            "total": self.total,
            "hits": self.shown,
            "facets": self.facets,
            "query": self.query.to_dict() if self.query else None,
            **self._document_keys(),
        }

    def _document_keys(self) -> dict[str, Any]:
        """Keys of document mode only: the passage view's body keeps its shape."""
        return {} if self.documents is None else {"reachable": self.reachable}


def _hit_dict(hit: Hit | DocumentHit) -> dict[str, Any]:
    if isinstance(hit, DocumentHit):
        return {**vars(hit), "passages": [_hit_dict(p) for p in hit.passages]}
    return {**vars(hit), "path": list(hit.path)}
