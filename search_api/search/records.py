"""Stored JSON → model objects (shared by every backend)."""

from __future__ import annotations

from dataclasses import fields
from operator import attrgetter
from typing import Any

from ingest.model import Document, Passage, PolicyRecord, paragraph_name, paragraph_number
from search_api.search.highlight import snippet
from search_api.search.matching import lacking
from search_api.search.query import AnalyzedQuery
from search_api.search.types import FACET_FIELDS, FacetValue, Filters, Hit

_PASSAGE_FIELDS = {f.name for f in fields(Passage)} - {"tokens"}
_DOCUMENT_FIELDS = {f.name for f in fields(Document)} - {"passages"}


def passage_from_dict(data: dict[str, Any]) -> Passage:
    return Passage(**{k: v for k, v in data.items() if k in _PASSAGE_FIELDS})


def document_from_dict(data: dict[str, Any], passages: list[Passage] | None = None) -> Document:
    doc = Document(**{k: v for k, v in data.items() if k in _DOCUMENT_FIELDS})
    doc.passages = passages or []
    return doc


def policy_record(data: dict[str, Any]) -> PolicyRecord:
    """The policy view of a stored policy document."""
    meta = data.get("meta", {})
    return PolicyRecord(
        id=data["id"],
        title=data["title"],
        doc_number=meta.get("doc_number"),
        agencies=list(meta.get("agencies", [])),
        date=meta.get("date"),
        articles=meta.get("articles"),
        valid_until=meta.get("valid_until"),
        repeals=list(meta.get("repeals", [])),
        dates=[dict(event) for event in meta.get("header_dates", [])],
        text_key=meta.get("text_key"),
        full_text=meta.get("full_text"),
        region=meta.get("region"),
        article_unit=meta.get("article_unit"),
    )


def hit_from_payload(data: dict[str, Any], score: float, aq: AnalyzedQuery) -> Hit:
    """A result from a stored passage payload, with the shared highlighter's snippet, cited
    by the 款 that holds most of what the snippet marks (:func:`snippet_citation`)."""
    shown = snippet(data["text"], aq.highlight_terms, aq.fallback_terms, figure=aq.asks_figure)
    return Hit(
        id=data["id"],
        doc_id=data["doc_id"],
        doc_title=data["doc_title"],
        doc_type=data["kind"],
        citation=snippet_citation(data, shown.marks),
        path=data["path"],
        text=data["text"],
        highlight=shown.html,
        agencies=data["agencies"],
        doc_number=data["doc_number"],
        date=data["date"],
        talent_categories=data["talent_categories"],
        eligibility=data["eligibility"],
        source=data["source"],
        score=score,
        clause_type=data.get("clause_type"),
        missing=lacking(aq, data),
    )


def snippet_citation(data: dict[str, Any], marks: list[tuple[int, int]]) -> str:
    """The passage's citation, with the 款 of an article that holds most of its snippet's
    marked characters (``marks``: spans of its text) when that is a later one
    (《北京市技能大师工作室建设管理办法》第十六条第二款 for 市级工作室每满2年须参加一次绩效考核):
    the clause a reader quotes, as 申报自查 cites it."""
    citation: str = data["citation"]
    paragraphs = (data.get("attrs") or {}).get("paragraphs")
    locator = data.get("locator") or ""
    if not paragraphs or not marks or not locator or locator not in citation:
        return citation
    weights: dict[int, int] = {}
    for start, end in marks:
        number = paragraph_number(paragraphs, data["text"], start)
        weights[number] = weights.get(number, 0) + end - start
    number = max(weights, key=lambda n: (weights[n], -n))
    if not number:  # the first 款 is cited by its article
        return citation
    at = citation.rfind(locator) + len(locator)
    return citation[:at] + paragraph_name(number) + citation[at:]


def facets_from_aggregations(
    result: dict[str, Any], filters: Filters, fields: tuple[str, ...] = FACET_FIELDS, *, documents: bool = False
) -> dict[str, list[FacetValue]]:
    """Facets from terms aggregations, with a ``docs`` cardinality sub-aggregation when
    document counts were asked for; with ``documents`` (the document view), each value's
    ``count`` is its distinct documents when they were counted.

    Both engines answer in the Elasticsearch aggregation shape, so one reader serves both:
    values by count (then value), years newest first.
    """
    facets: dict[str, list[FacetValue]] = {}
    for facet in fields:
        selected = set(filters.selected(facet))
        # Built by position in a plain loop, and sorted by two stable passes on C keys: a
        # common word's facets hold hundreds of values, read on every search.
        values: list[FacetValue] = []
        for b in result.get(facet, {}).get("buckets", []):
            value = str(b["key"])
            docs = round(b["docs"]["value"]) if "docs" in b else None
            count = docs if documents and docs is not None else int(b["doc_count"])
            values.append(FacetValue(value, count, docs, value in selected))
        if facet == "year":
            values.sort(key=_VALUE, reverse=True)
        else:
            by_count(values)
        facets[facet] = values
    return facets


_VALUE = attrgetter("value")
_COUNT = attrgetter("count")


def by_count(values: list[FacetValue]) -> None:
    """Sort ``values`` by count, then value: as by the key ``(-count, value)``, in two stable
    passes (the later pass keeps the order of the earlier among equal counts)."""
    values.sort(key=_VALUE)
    values.sort(key=_COUNT, reverse=True)
