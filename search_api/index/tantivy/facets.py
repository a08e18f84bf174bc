"""Facet counts of every match: a second pass over the index, or the page's own payloads.

Counting facets is a second pass over the index (the matching query evaluated again,
then a string column read per facet field asked for). The project's tantivy build
(``scripts/build_tantivy.sh``, ``vendor/tantivy/binding/``) counts them in one
collector, with each value's distinct documents counted exactly by the ``doc_hash``
column (:func:`count_facets`); PyPI's wheel answers by terms aggregations with a
cardinality sketch per value, slower and, past a few thousand documents, off by a few
per cent. Either answers in Elasticsearch's aggregation shape, which
:func:`search_api.search.records.facets_from_aggregations` reads.

The pass costs as much as the search itself for a long question, even when only three
passages match. When the first page holds every match, the payloads just fetched have
every facet value: counted here (:func:`page_aggregations`), the answer is the same (the
values come from :func:`search_api.index.tantivy.load.facet_values`, as in the index)
for no second pass.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import tantivy

from search_api.index.engine import DOCUMENTS, FACET_SIZE, EngineQuery, Payload
from search_api.index.tantivy.load import facet_values

DOC_KEY = "doc_hash"  # the u64 column naming a passage's document (load.doc_hash)


def count_facets(searcher: tantivy.Searcher, matching: tantivy.Query, query: EngineQuery) -> dict[str, Any]:
    """The facet counts (per value: passages, and documents with ``facet_documents``) and
    the distinct documents (``count_documents``) of the passages ``matching`` finds."""
    counts = getattr(searcher, "facet_counts", None)  # the project's build only
    if counts is None:
        found: dict[str, Any] = searcher.aggregate(matching, aggregations(query))
        return found
    documents = query.count_documents or (query.facets and query.facet_documents)
    fields = list(query.facet_fields) if query.facets else []
    found = counts(matching, fields, FACET_SIZE, DOC_KEY if documents else None, query.facet_documents)
    del found["total"]
    if not query.count_documents:
        found.pop(DOCUMENTS, None)
    return found


def aggregations(query: EngineQuery) -> dict[str, Any]:
    """The same counts as tantivy aggregations (Elasticsearch's request language)."""
    aggs: dict[str, Any] = {}
    if query.facets:
        aggs = {facet: {"terms": {"field": facet, "size": FACET_SIZE}} for facet in query.facet_fields}
    if query.facets and query.facet_documents:
        # A cardinality sketch per value: a fixed cost each, so only when asked for.
        for agg in aggs.values():
            agg["aggs"] = {"docs": {"cardinality": {"field": DOC_KEY}}}
    if query.count_documents:
        aggs[DOCUMENTS] = {"cardinality": {"field": DOC_KEY}}
    return aggs


def page_aggregations(query: EngineQuery, page: list[Payload]) -> dict[str, Any] | None:
    """What ``aggregate`` answers for ``query`` (terms per facet field, distinct documents
    per value or overall), counted over ``page``, which must hold every match; None when
    the terms aggregation would have cut a field at ``FACET_SIZE`` values (its order
    among equal counts is tantivy's) or a facet field has no known payload values."""
    values = [_values(payload) for payload in page]
    aggregations: dict[str, Any] = {}
    if query.facets:
        if not values or not set(query.facet_fields) <= set(values[0]):
            return None
        for facet in query.facet_fields:
            buckets = _buckets(facet, values, page, query.facet_documents)
            if len(buckets) > FACET_SIZE:
                return None
            aggregations[facet] = {"buckets": buckets}
    if query.count_documents:
        aggregations[DOCUMENTS] = {"value": float(len({payload["doc_id"] for payload in page}))}
    return aggregations


def _values(payload: Payload) -> dict[str, list[str]]:
    return facet_values(
        payload["doc_kind"],
        payload["kind"],
        payload["agencies"],
        payload["mentioned_agencies"],
        payload.get("region"),
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
