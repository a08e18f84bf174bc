"""Facet counts from the stored payloads of a page that holds every match.

Counting facets is a second pass over the index (:meth:`tantivy.Searcher.aggregate`:
the matching query evaluated again, then six terms columns read), which costs as much
as the search itself for a long question, even when only three passages match. When
the first page holds every match, the payloads just fetched have every facet value:
counted here, the answer is the same (the values come from
:func:`search_api.index.tantivy.load.facet_values`, as in the index) for no second pass.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from search_api.index.engine import DOCUMENTS, FACET_FIELDS, EngineQuery, Payload
from search_api.index.tantivy.load import facet_values


def page_aggregations(query: EngineQuery, page: list[Payload], facet_size: int) -> dict[str, Any] | None:
    """What ``aggregate`` answers for ``query`` (terms per facet field, distinct documents
    per value or overall), counted over ``page``, which must hold every match; None when
    the terms aggregation would have cut a field at ``facet_size`` values (its order
    among equal counts is tantivy's) or a facet field has no known payload values."""
    values = [_values(payload) for payload in page]
    aggregations: dict[str, Any] = {}
    if query.facets:
        if not values or not set(FACET_FIELDS) <= set(values[0]):
            return None
        for facet in FACET_FIELDS:
            buckets = _buckets(facet, values, page, query.facet_documents)
            if len(buckets) > facet_size:
                return None
            aggregations[facet] = {"buckets": buckets}
    if query.count_documents:
        aggregations[DOCUMENTS] = {"value": float(len({payload["doc_id"] for payload in page}))}
    return aggregations


def _values(payload: Payload) -> dict[str, list[str]]:
    return facet_values(
        payload["kind"],
        payload["agencies"],
        payload["mentioned_agencies"],
        payload["clause_type"],
        payload["talent_categories"],
        payload["date"],
    )


def _buckets(
    facet: str, values: list[dict[str, list[str]]], page: list[Payload], documents: bool
) -> list[dict[str, Any]]:
    passages: dict[str, int] = defaultdict(int)
    docs: dict[str, set[str]] = defaultdict(set)
    for found, payload in zip(values, page, strict=True):
        for value in set(found[facet]):  # a passage counts once per value, like a terms bucket
            passages[value] += 1
            docs[value].add(payload["doc_id"])
    buckets: list[dict[str, Any]] = []
    for value, count in sorted(passages.items(), key=lambda item: (-item[1], item[0])):
        bucket: dict[str, Any] = {"key": value, "doc_count": count}
        if documents:
            bucket["docs"] = {"value": float(len(docs[value]))}
        buckets.append(bucket)
    return buckets
