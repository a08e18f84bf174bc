"""Relaxation: what a search does when the passages holding enough of the query's units
do not fill its page, or there are none.

A question in everyday words shares few units with the clause that answers it, and a query
may name a unit the index lacks. Here, written once for both engines (each step is a plan
the engine runs): a question's short page is filled below its full matches with passages
holding fewer units (:func:`filled`), and a query nothing matches searches the units that
exist and mean something alone, as many of them as still find something, found by
bisection (:func:`relax`, :func:`most_units_found`). Every step records in the response's
:class:`~search_api.search.matching.QueryInfo` what it set aside.
"""

from __future__ import annotations

import math
from dataclasses import replace

from search_api.index.engine import EngineQuery, EngineResult, Run
from search_api.search import budget, ranking
from search_api.search.matching import QueryInfo, matched_units, meaningful
from search_api.search.query import AnalyzedQuery

# A page short of passages holding enough units is filled with passages holding this share
# of them (two at least), for queries of FILL_UNITS units or more (see filled).
FILL_SHARE = 0.3
FILL_UNITS = 5


def with_plan(query: EngineQuery, aq: AnalyzedQuery) -> EngineQuery:
    """``query`` searching ``aq``'s ranking plan."""
    return replace(query, plan=ranking.plan(aq))


def filled(
    run: Run, query: EngineQuery, aq: AnalyzedQuery, result: EngineResult, info: QueryInfo
) -> tuple[AnalyzedQuery, EngineResult]:
    """A question's page that the passages holding enough units do not fill, filled
    below them with passages holding fewer (FILL_SHARE of its units): a question in
    everyday words shares few with the clause that answers it (跑快递 … 歇脚). The
    page says which units it lacks. Keywords are left as they are (an official's
    every word counts), and so is the document view."""
    needed = max(2, math.ceil(len(aq.required) * FILL_SHARE))
    short = 0 < result.total < query.offset + query.limit
    wanted = aq.question and query.nested is None and len(aq.required) >= FILL_UNITS
    if not (short and wanted) or needed >= aq.min_match:
        return aq, result
    budget.check()
    full = result.hits  # every passage holding enough units, in rank order
    if query.offset:
        full = run(replace(query, offset=0, limit=result.total, facets=False)).hits
    wider = replace(aq, min_match=needed)
    # The wider matches hold the full ones: the first offset + limit of them, less
    # the full ones, fill the page below them.
    more = run(replace(with_plan(query, wider), offset=0, limit=query.offset + query.limit))
    if more.total <= result.total:
        return aq, result
    seen = {payload["id"] for _, payload in full}
    merged = [*full, *(hit for hit in more.hits if hit[1]["id"] not in seen)]
    page = merged[query.offset : query.offset + query.limit]
    matched, unmatched = matched_units(wider, page)
    # Units the search set aside before (not in the index, or meaningless alone) stay said.
    info.matched = [*(u for u in info.matched if u not in wider.required), *matched]
    info.unmatched = [*(u for u in info.unmatched if u not in wider.required), *unmatched]
    info.relaxed = True
    return wider, EngineResult(total=more.total, hits=page, aggregations=more.aggregations)


def relax(
    run: Run, query: EngineQuery, aq: AnalyzedQuery, info: QueryInfo, counts: dict[str, int], passages: int
) -> tuple[AnalyzedQuery, EngineResult]:
    """Nothing holds enough of the units: search the units that exist and mean
    something alone, fewer at a time, and say which were not found (or nothing)."""
    info.matched = [u for u in aq.required if counts[u] > 0]
    info.unmatched = [u for u in aq.required if counts[u] == 0]
    core = meaningful(aq, counts, passages)
    if core is None:
        return aq, EngineResult(total=0, hits=[])
    budget.check()
    # Every unit exists and means something, with the same number needed: ``core`` is
    # the query that just found nothing, and running it again would find nothing again.
    core, result = most_units_found(run, query, core, known_empty=core is aq)
    info.relaxed = result.total > 0
    return core, result


def most_units_found(
    run: Run, query: EngineQuery, core: AnalyzedQuery, *, known_empty: bool = False
) -> tuple[AnalyzedQuery, EngineResult]:
    """``core`` needing as many of its units as still finds something (``known_empty``:
    ``core`` as it is was searched already and found nothing).

    Needing fewer units finds more, and needing one finds something (each unit of
    ``core`` exists under the filters), so the number is found by bisection: about
    log2(units) + 1 engine calls (8 for the longest query), not one per unit dropped.
    """
    result = EngineResult(total=0, hits=[]) if known_empty else run(with_plan(query, core))
    if result.total or core.min_match <= 1:
        return core, result
    low, high = 1, core.min_match  # needing `low` units finds something, `high` nothing
    best: tuple[AnalyzedQuery, EngineResult] | None = None
    while high - low > 1:
        budget.check()
        trial = replace(core, min_match=(low + high) // 2)
        result = run(with_plan(query, trial))
        if result.total:
            low, best = trial.min_match, (trial, result)
        else:
            high = trial.min_match
    if best is None:  # needing one unit, known to find something, was not run yet
        budget.check()
        trial = replace(core, min_match=1)
        best = trial, run(with_plan(query, trial))
    return best
