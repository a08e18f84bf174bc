"""Facet counts that leave out their own selection, so that a facet's values stay choices.

The values of one facet are alternatives: ``agency=A&agency=B`` finds the passages of
either. Counted over the result itself, the count beside B, with A chosen, is the passages
of both A and B (a handful), and every value no passage of A shares disappears: choosing
国务院 left 中央军事委员会 with 32 where choosing it too gave 622, and no other agency to
add. Each facet with a selection is therefore counted by the same search without that
facet's own selection, the words and every other filter kept (Solr's tag and exclude,
Elasticsearch's ``post_filter``); facets without a selection come from the result. One
engine call more per facet with a selection, none without.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from search_api.index.engine import EngineQuery, Run
from search_api.search.filters import resolve_filters
from search_api.search.types import SearchRequest


def chosen_fields(request: SearchRequest) -> list[str]:
    """The facet fields of the response that have a value selected."""
    return [field for field in request.facet_fields if request.filters.selected(field)] if request.facets else []


def counted_apart(run: Run, query: EngineQuery, request: SearchRequest, aggregations: Any) -> dict[str, Any]:
    """``aggregations`` with each facet of :func:`chosen_fields` counted by ``query`` (the
    plan the result was found by) without that facet's own selection."""
    merged = dict(aggregations or {})
    for field in chosen_fields(request):
        cleared: dict[str, Any] = {field: []}
        filters = resolve_filters(replace(request.filters, **cleared))
        alone = replace(query, filters=filters, offset=0, limit=1, nested=None, by_date=False)
        alone = replace(alone, facets=True, facet_fields=(field,), count_documents=False)
        merged[field] = run(alone).aggregations.get(field, {"buckets": []})
    return merged
