"""Relevance evaluation over judged queries: Success@1, Success@5, MRR@10, per kind.

Judged-query format (one JSON object per line, see ``../shared/eval/README.md``): ``id``,
``kind``, ``q``, optional ``filters`` (names of :class:`search_api.search.types.Filters`
fields) and ``expect_any``: a result is relevant when its text, whitespace removed,
contains any of these strings, whitespace removed.

Besides the ranks, ``in_snippet`` is the share of found answers that the snippet shows:
of the queries with a relevant result in the top ``DEPTH``, those whose first relevant
result's highlight (tags gone) holds an expected string (the reader sees the answer
without opening the passage).

Every figure is computed over the first ``DEPTH`` results: the rank of the first relevant
one, Success@k = share of queries with that rank <= k, MRR@10 = mean of 1/rank (0 when
none is found).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.text import normalize
from search_api.errors import InvalidRequest
from search_api.search.highlight import shown_text
from search_api.search.searcher import Searcher
from search_api.search.types import Filters, SearchRequest

DEPTH = 10
SHOWN = 5  # results listed per query in the report
_SPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    return _SPACE.sub("", text)


@dataclass
class QueryOutcome:
    id: str
    kind: str
    q: str
    rank: int | None  # 1-based rank of the first relevant result in the top DEPTH
    top: list[str] = field(default_factory=list)  # citations and text starts of the top results
    in_snippet: bool = False  # the first relevant result's snippet shows an expected string


def load_queries(path: Path) -> list[dict[str, Any]]:
    """The judged queries of a JSON-lines file; a malformed line is an InvalidRequest."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InvalidRequest(f"{path}: cannot read: {exc.strerror or exc}") from exc
    queries: list[dict[str, Any]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            query = json.loads(line)
        except ValueError as exc:
            raise InvalidRequest(f"{path}: line {number}: invalid JSON ({exc})") from exc
        if not isinstance(query, dict) or not {"id", "q", "expect_any"} <= set(query):
            raise InvalidRequest(f"{path}: line {number}: needs 'id', 'q' and 'expect_any'")
        queries.append(query)
    return queries


def first_relevant(texts: list[str], expect_any: list[str]) -> int | None:
    """1-based position of the first text containing an expected string (spaces ignored)."""
    expected = [squeeze(e) for e in expect_any]
    for position, text in enumerate(texts, start=1):
        squeezed = squeeze(text)
        if any(e in squeezed for e in expected):
            return position
    return None


def run_query(backend: Searcher, query: dict[str, Any]) -> QueryOutcome:
    response = backend.search(SearchRequest(query=query["q"], filters=_filters(query), limit=DEPTH, facets=False))
    rank = first_relevant([hit.text for hit in response.hits], query["expect_any"])
    top = [f"{h.citation} {squeeze(h.text)[:40]}" for h in response.hits[:SHOWN]]
    snippet = shown_text(response.hits[rank - 1].highlight) if rank is not None else ""
    shown = first_relevant([snippet], query["expect_any"]) == 1
    return QueryOutcome(query["id"], query.get("kind", "other"), query["q"], rank, top, shown)


def metrics(outcomes: list[QueryOutcome]) -> dict[str, float]:
    n = len(outcomes) or 1
    found = [o for o in outcomes if o.rank is not None]
    return {
        "success_at_1": round(sum(o.rank == 1 for o in outcomes) / n, 4),
        "success_at_5": round(sum(o.rank is not None and o.rank <= 5 for o in outcomes) / n, 4),
        "mrr_at_10": round(sum(1 / o.rank for o in outcomes if o.rank) / n, 4),
        "in_snippet": round(sum(o.in_snippet for o in found) / (len(found) or 1), 4),
        "n": len(outcomes),
    }


def no_answer_outcome(backend: Searcher, query: dict[str, Any]) -> dict[str, Any]:
    """A query nothing in the index answers (``expect_none``): honest when the result is
    empty, or flagged ``relaxed`` with every word of ``missing`` named as not found (a
    word is named when a unit reported unmatched holds it or is held by it: 宠物 in
    宠物医院)."""
    response = backend.search(SearchRequest(query=query["q"], filters=_filters(query), limit=DEPTH, facets=False))
    info = response.query
    unmatched = [normalize(u) for u in (info.unmatched if info else [])]
    relaxed = bool(info and info.relaxed)
    named = all(
        any(normalize(word) in unit or unit in normalize(word) for unit in unmatched)
        for word in query.get("missing", [])
    )
    honest = response.total == 0 or (relaxed and named)
    return {
        "id": query["id"],
        "q": query["q"],
        "total": response.total,
        "relaxed": relaxed,
        "unmatched": unmatched,
        "honest": honest,
    }


def _filters(query: dict[str, Any]) -> Filters:
    try:
        return Filters(**query.get("filters", {}))
    except TypeError as exc:
        raise InvalidRequest(f"query {query.get('id')!r}: unknown filter ({exc})") from None


def evaluate(backend: Searcher, queries: list[dict[str, Any]]) -> dict[str, Any]:
    """Overall and per-kind figures, and each query's rank and top results; queries with
    no answer in the index (``expect_none``) are judged apart (``no_answer``)."""
    answerable = [q for q in queries if not q.get("expect_none")]
    unanswerable = [no_answer_outcome(backend, q) for q in queries if q.get("expect_none")]
    outcomes = [run_query(backend, q) for q in answerable]
    by_kind: dict[str, list[QueryOutcome]] = defaultdict(list)
    for outcome in outcomes:
        by_kind[outcome.kind].append(outcome)
    return {
        **metrics(outcomes),
        "by_kind": {kind: metrics(items) for kind, items in sorted(by_kind.items())},
        "queries": [{"id": o.id, "kind": o.kind, "q": o.q, "rank": o.rank, "top": o.top} for o in outcomes],
        "no_answer": {
            "n": len(unanswerable),
            "honest": sum(o["honest"] for o in unanswerable),
            "queries": unanswerable,
        },
    }


def format_report(report: dict[str, Any], shown: int = 3) -> str:
    """The report as text: figures overall and per kind, then every query not answered
    first, with what came first instead."""

    def figures(m: dict[str, Any]) -> str:
        ranks = f"S@1 {m['success_at_1']:.3f}  S@5 {m['success_at_5']:.3f}  MRR@10 {m['mrr_at_10']:.3f}"
        return f"{ranks}  in snippet {m['in_snippet']:.3f}"

    lines = [f"{'all':<13} n={report['n']:<3} {figures(report)}"]
    lines += [f"  {kind:<11} n={m['n']:<3} {figures(m)}" for kind, m in report["by_kind"].items()]
    for q in report["queries"]:
        if q["rank"] != 1:
            found = f"rank {q['rank']}" if q["rank"] else f"not in the top {DEPTH}"
            lines += ["", f"[{q['id']} {q['kind']}, {found}] {q['q']}"]
            lines += [f"    {i}. {top}" for i, top in enumerate(q["top"][:shown], 1)]
    unanswerable = report.get("no_answer", {})
    if unanswerable.get("n"):
        lines += ["", f"no answer in the index: {unanswerable['honest']} of {unanswerable['n']} honest"]
        for q in unanswerable["queries"]:
            if not q["honest"]:
                lines.append(f"  [{q['id']}] {q['q']}: {q['total']} results, unmatched {q['unmatched']}")
    return "\n".join(lines)
