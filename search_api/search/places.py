"""A question naming a place is not answered by another place's regulation.

洛阳的物业能强制卖装修材料吗 asks about 洛阳; a 泰安 regulation that happens to use the
question's words is no answer to it, however well it scores, while a 河南省 regulation or a
national law binds 洛阳 too. BM25 knows nothing of jurisdictions and the place bonus of the
ranking plan (:data:`search_api.search.ranking.BOOST_PLACE`) only favours the named place,
so on the first page the searcher moves the passages of policy documents whose title names
a place that neither holds the query's place nor lies in it (the document's jurisdiction,
:func:`knowledge.residence.jurisdiction`) below the others, filling the page from a wider
window of the same ranked search. Reports are never moved: the book compares cities.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from knowledge.residence import jurisdiction, load_gazetteer
from search_api.search.query import AnalyzedQuery

Hit = tuple[float, dict[str, Any]]
# How far down the ranked passages the page is filled from when some of it is moved.
WINDOW = 50


def named_places(aq: AnalyzedQuery) -> set[str]:
    """The places the query names, by their gazetteer name (北京市 → 北京)."""
    spelling = load_gazetteer().spelling
    return {spelling[unit] for unit in aq.places if unit in spelling}


def elsewhere(places: set[str], payload: dict[str, Any]) -> bool:
    """Whether a passage belongs to a policy of another jurisdiction than all of ``places``
    (not one that holds them, 河南省 for 洛阳, nor one inside them)."""
    if payload.get("kind") != "policy" or not places:
        return False
    where = jurisdiction(payload.get("doc_title", ""))
    if where is None:
        return False
    gazetteer = load_gazetteer()
    return not any(gazetteer.within(place, where) or gazetteer.within(where, place) for place in places)


def reordered(hits: list[Hit], places: set[str], window: Callable[[], list[Hit]], limit: int) -> list[Hit] | None:
    """The page with other jurisdictions' passages below the rest, the rest filled from
    ``window`` (the same ranking's first :data:`WINDOW` passages, asked only when needed);
    None when the page has none to move."""
    moved = [hit for hit in hits if elsewhere(places, hit[1])]
    if not moved:
        return None
    kept = [hit for hit in hits if not elsewhere(places, hit[1])]
    seen = {payload["id"] for _, payload in hits}
    more = [hit for hit in window() if hit[1]["id"] not in seen and not elsewhere(places, hit[1])]
    return [*kept, *more, *moved][:limit]
