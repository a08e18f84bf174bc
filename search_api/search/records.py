"""Stored JSON → model objects (shared by every backend)."""

from __future__ import annotations

import html
import re
from dataclasses import fields
from typing import Any

from ingest.model import Document, Passage, PolicyRecord, paragraph_name, paragraph_number
from search_api.search.highlight import ELLIPSIS, highlight
from search_api.search.query import AnalyzedQuery
from search_api.search.types import FACET_FIELDS, FacetValue, Filters, Hit

_PASSAGE_FIELDS = {f.name for f in fields(Passage)} - {"tokens"}
_DOCUMENT_FIELDS = {f.name for f in fields(Document)} - {"passages"}
SNIPPET_PROBE = 12  # characters of a snippet's opening looked up in its passage
_MARKED = re.compile(r"<mark>(.*?)</mark>", re.S)


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
    """A result from a stored passage payload, with the shared highlighter's snippet, cited
    by the 款 that holds most of what the snippet marks (:func:`snippet_citation`)."""
    snippet = highlight(data["text"], aq.highlight_terms, aq.fallback_terms)
    return Hit(
        id=data["id"],
        doc_id=data["doc_id"],
        doc_title=data["doc_title"],
        doc_type=data["kind"],
        citation=snippet_citation(data, snippet),
        path=data["path"],
        text=data["text"],
        highlight=snippet,
        agencies=data["agencies"],
        doc_number=data["doc_number"],
        date=data["date"],
        talent_categories=data["talent_categories"],
        eligibility=data["eligibility"],
        source=data["source"],
        score=score,
        clause_type=data.get("clause_type"),
    )


def snippet_citation(data: dict[str, Any], snippet: str) -> str:
    """The passage's citation, with the 款 of an article that holds most of its snippet's
    marked words when that is a later one (《北京市技能大师工作室建设管理办法》第十六条第二款
    for 市级工作室每满2年须参加一次绩效考核): the clause a reader quotes, as 申报自查 cites it."""
    citation: str = data["citation"]
    paragraphs = (data.get("attrs") or {}).get("paragraphs")
    locator = data.get("locator") or ""
    if not paragraphs or not locator or locator not in citation:
        return citation
    number = _marked_paragraph(paragraphs, data["text"], snippet)
    label = paragraph_name(number) if number else ""
    at = citation.rfind(locator) + len(locator)
    return citation[:at] + label + citation[at:] if label else citation


def _marked_paragraph(paragraphs: list[str], text: str, snippet: str) -> int:
    """The 款 (0 for the first) holding most marked characters of ``snippet`` in ``text``."""
    pieces = _MARKED.split(snippet)  # text, marked, text, marked, … (entities escaped)
    plain = [html.unescape(piece) for piece in pieces]
    opening = "".join(plain).lstrip(ELLIPSIS + " \n")[:SNIPPET_PROBE]
    start = text.find(opening) if opening else -1
    if start < 0:
        return 0
    shift = len("".join(plain)) - len("".join(plain).lstrip(ELLIPSIS + " \n"))
    weights: dict[int, int] = {}
    position = start - shift
    for index, piece in enumerate(plain):
        if index % 2:  # a marked piece
            number = paragraph_number(paragraphs, text, position)
            weights[number] = weights.get(number, 0) + len(piece)
        position += len(piece)
    return max(weights, key=lambda n: (weights[n], -n), default=0)


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
