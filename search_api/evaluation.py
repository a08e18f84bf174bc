"""Relevance evaluation over judged queries: Success@1, Success@5, MRR@10, per kind.

Judged-query format (one JSON object per line): ``id``, ``kind``, ``q``, optional
``filters`` (names of :class:`search_api.backend.Filters` fields) and ``expect_any``: a
result is relevant when its text, whitespace removed, contains any of these strings,
whitespace removed.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from search_api.backend import Filters, SearchBackend, SearchRequest

DEPTH = 10
_SPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    return _SPACE.sub("", text)


@dataclass
class QueryOutcome:
    id: str
    kind: str
    q: str
    rank: int | None  # 1-based rank of the first relevant result in the top DEPTH
    top: list[str] = field(default_factory=list)  # citations of the top results


def load_queries(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def run_query(backend: SearchBackend, query: dict[str, Any]) -> QueryOutcome:
    filters = Filters(**query.get("filters", {}))
    response = backend.search(SearchRequest(query=query["q"], filters=filters, limit=DEPTH, facets=False))
    expected = [squeeze(e) for e in query["expect_any"]]
    rank = None
    for position, hit in enumerate(response.hits, start=1):
        text = squeeze(hit.text)
        if any(e in text for e in expected):
            rank = position
            break
    top = [f"{h.citation} {squeeze(h.text)[:40]}" for h in response.hits[:5]]
    return QueryOutcome(query["id"], query.get("kind", "other"), query["q"], rank, top)


def metrics(outcomes: list[QueryOutcome]) -> dict[str, float]:
    n = len(outcomes) or 1
    return {
        "success_at_1": round(sum(o.rank == 1 for o in outcomes) / n, 4),
        "success_at_5": round(sum(o.rank is not None and o.rank <= 5 for o in outcomes) / n, 4),
        "mrr_at_10": round(sum(1 / o.rank for o in outcomes if o.rank) / n, 4),
        "n": len(outcomes),
    }


def evaluate(backend: SearchBackend, queries: list[dict[str, Any]]) -> dict[str, Any]:
    outcomes = [run_query(backend, q) for q in queries]
    by_kind: dict[str, list[QueryOutcome]] = defaultdict(list)
    for outcome in outcomes:
        by_kind[outcome.kind].append(outcome)
    return {
        **metrics(outcomes),
        "by_kind": {kind: metrics(items) for kind, items in sorted(by_kind.items())},
        "queries": [{"id": o.id, "kind": o.kind, "q": o.q, "rank": o.rank, "top": o.top} for o in outcomes],
    }
