"""Stored JSON → model objects (shared by every backend)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from ingest.model import Document, Passage, PolicyRecord
from search_api.search.highlight import highlight
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
    )


def hit_from_payload(data: dict[str, Any], score: float, aq: AnalyzedQuery) -> Hit:
    """A result from a stored passage payload, with the shared highlighter's snippet."""
    return Hit(
        id=data["id"],
        doc_id=data["doc_id"],
        doc_title=data["doc_title"],
        doc_type=data["kind"],
        citation=data["citation"],
        path=data["path"],
        text=data["text"],
        highlight=highlight(data["text"], aq.highlight_terms, aq.fallback_terms),
        agencies=data["agencies"],
        doc_number=data["doc_number"],
        date=data["date"],
        talent_categories=data["talent_categories"],
        eligibility=data["eligibility"],
        source=data["source"],
        score=score,
        clause_type=data.get("clause_type"),
    )


def facets_from_aggregations(
    result: dict[str, Any], filters: Filters, fields: tuple[str, ...] = FACET_FIELDS
) -> dict[str, list[FacetValue]]:
    """Facets from terms aggregations, with a ``docs`` cardinality sub-aggregation when
    document counts were asked for.

    Both engines answer in the Elasticsearch aggregation shape, so one reader serves both:
    values by count (then value), years newest first.
    """
    facets: dict[str, list[FacetValue]] = {}
    for facet in fields:
        selected = set(filters.selected(facet))
        values = [
            FacetValue(
                value=str(b["key"]),
                count=int(b["doc_count"]),
                doc_count=round(b["docs"]["value"]) if "docs" in b else None,
                selected=str(b["key"]) in selected,
            )
            for b in result.get(facet, {}).get("buckets", [])
        ]
        if facet == "year":
            values.sort(key=lambda v: v.value, reverse=True)
        else:
            values.sort(key=lambda v: (-v.count, v.value))
        facets[facet] = values
    return facets
