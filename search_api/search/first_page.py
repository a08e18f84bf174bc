"""What a question's first page shows below the rest: passages that cannot answer it.

A question naming a place is not answered by another place's regulation. 洛阳的物业能强制卖
装修材料吗 asks about 洛阳; a 泰安 regulation that happens to use the
question's words is no answer to it, however well it scores, while a 河南省 regulation or a
national law binds 洛阳 too. BM25 knows nothing of jurisdictions and the place bonus of the
ranking plan (:data:`search_api.search.ranking.BOOST_PLACE`) only favours the named place,
so on the first page the searcher moves the passages of policy documents whose title names
a place that neither holds the query's place nor lies in it (the document's jurisdiction,
:func:`knowledge.residence.jurisdiction`; for a title that names none, its 地区,
:mod:`ingest.enrich.regions`) below the others. Reports are never moved: the
book compares cities.

Nor is a query answered first by a text a later version replaces: a law revised in 2020
answers with its 2020 articles, and the 2013 version's, scoring alike, go below them, for
a question, for keywords naming the text by its title (职业教育法 第一条, 民事诉讼法: the
1996 职业教育法 had come before the 2022 one) and for other keywords (补贴 had listed 慈善法
of 2016 above its 2023 text); an official comparing versions still finds both on the
page. Nor is a question answered by a figure's caption alone (图21 干部每月参加学习培训的
次数: the figure's numbers are not in the text), which its few words make score high; an
official looking for the figure types keywords, which leave captions in place. By date
nothing goes below: the order is the dates'.

The document view moves whole documents by the rules that hold for one (another place,
a replaced version), never for a caption, which is one passage of a chapter.

A query naming a text by a title that national and local texts share, and no place
(工伤保险条例), means the national one: where the page holds it, the provinces' namesakes
go below (their 第十四条 had come first).

A query naming an article (行政许可法 第十二条) gets the article's own passage before its
items, which carry its heading and may score above it (第十二条（六） first).

The page is reordered within itself: filling it from a wider window of the same ranking
(50 passages) moved no judged answer more, and its second engine call raised the question
mix's p95 by a third. Later pages are the engine's, so no passage shows twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from analysis.text import normalize
from knowledge.residence import NATIONWIDE, jurisdiction, load_gazetteer
from search_api.search.query import AnalyzedQuery

Hit = tuple[float, dict[str, Any]]
# A figure's source line (资料来源：课题组自制。), which a caption passage also holds.
_SOURCE_LINE = re.compile(r"^(?:资料来源|数据来源|来源)\s*[:：]")


def named_places(aq: AnalyzedQuery) -> set[str]:
    """The places the query names, by their gazetteer name (北京市 → 北京)."""
    spelling = load_gazetteer().spelling
    return {spelling[unit] for unit in aq.places if unit in spelling}


def elsewhere(places: set[str], payload: dict[str, Any]) -> bool:
    """Whether a passage belongs to a policy of another jurisdiction than all of ``places``
    (not one that holds them, 河南省 for 洛阳, nor one inside them)."""
    if payload.get("kind") != "policy" or not places:
        return False
    # The title's place (泰安市…), else the document's region (a 通知 of 泰安's issuers: 山东).
    where = jurisdiction(payload.get("doc_title", "")) or payload.get("region")
    if where is None or where == NATIONWIDE:
        return False
    gazetteer = load_gazetteer()
    return not any(gazetteer.within(place, where) or gazetteer.within(where, place) for place in places)


def caption_only(payload: dict[str, Any]) -> bool:
    """Whether a passage is a figure's caption and nothing else (its source line aside)."""
    caption = (payload.get("attrs") or {}).get("caption")
    if not caption:
        return False
    rest = normalize(payload.get("text", "")).replace(normalize(caption), "", 1)
    return not "".join(line for line in rest.split("\n") if not _SOURCE_LINE.match(line.strip())).strip()


def below(aq: AnalyzedQuery, superseded: frozenset[str] = frozenset()) -> Callable[[dict[str, Any]], bool] | None:
    """What the first page of ``aq`` shows below the rest; None when nothing is.
    ``superseded``: the documents a later version of the same text replaces."""
    named = named_places(aq)
    if not named and not aq.question and not superseded:
        return None
    return lambda payload: (
        elsewhere(named, payload) or (aq.question and caption_only(payload)) or payload.get("doc_id") in superseded
    )


def documents_below(aq: AnalyzedQuery, superseded: frozenset[str]) -> Callable[[dict[str, Any]], bool] | None:
    """What the document view's first page shows below the rest, judged by a document's
    best passage: the rules of :func:`below` that hold for a whole document (another
    place's policy, a replaced version), not a caption, one passage of many."""
    named = named_places(aq)
    if not named and not superseded:
        return None
    return lambda payload: elsewhere(named, payload) or payload.get("doc_id") in superseded


def namesakes(
    aq: AnalyzedQuery, titled: Sequence[str], payloads: Sequence[dict[str, Any]]
) -> Callable[[dict[str, Any]], bool] | None:
    """The passages of a local namesake of a national text the query names (工伤保险条例:
    the 河南省 and 浙江省 regulations of that name), when the query names no place and the
    page holds the national one: they go below it. None when there are none."""
    named = set(titled)
    if not named or named_places(aq):
        return None

    def local(payload: dict[str, Any]) -> bool:
        return payload.get("doc_id") in named and jurisdiction(payload.get("doc_title", "")) not in (None, "中国")

    national = any(p.get("doc_id") in named and not local(p) for p in payloads)
    return local if national and any(local(p) for p in payloads) else None


def either(*rules: Callable[[dict[str, Any]], bool] | None) -> Callable[[dict[str, Any]], bool] | None:
    """A passage any of ``rules`` moves below the rest (None: no rule)."""
    given = [rule for rule in rules if rule is not None]
    if not given:
        return None
    return lambda payload: any(rule(payload) for rule in given)


def articles_first(hits: list[Hit], articles: list[str]) -> list[Hit] | None:
    """The hits with each named article's own passage (第十二条) before its items and 款
    (第十二条（六）), which share its heading and may score above it; None when none is."""
    order = list(hits)
    for article in articles:
        for doc in dict.fromkeys(payload.get("doc_id") for _, payload in order):
            places = [(i, str(p.get("locator") or "")) for i, (_, p) in enumerate(order) if p.get("doc_id") == doc]
            own = next((i for i, locator in places if locator == article), None)
            first_part = next((i for i, locator in places if locator.startswith(article) and locator != article), None)
            if own is not None and first_part is not None and first_part < own:
                order.insert(first_part, order.pop(own))
    return None if order == hits else order


def passage_page(aq: AnalyzedQuery, hits: list[Hit], superseded: frozenset[str]) -> list[Hit] | None:
    """The first page of the passage view with every rule of this module applied (the
    passages that cannot answer below the rest, a named article before its items); None
    when none moves a passage."""
    moved = either(below(aq, superseded), namesakes(aq, aq.titled, [payload for _, payload in hits]))
    page = reordered(hits, moved) if moved is not None else None
    return articles_first(page or hits, aq.articles) or page


def document_rule(
    aq: AnalyzedQuery, titled: Sequence[str], superseded: frozenset[str], hits: list[Hit]
) -> Callable[[dict[str, Any]], bool] | None:
    """What the document view's first page moves below the rest, judged by a document's
    best passage: :func:`documents_below` and the local namesakes of a named title."""
    return either(documents_below(aq, superseded), namesakes(aq, titled, [payload for _, payload in hits]))


def reordered(hits: list[Hit], moved: Callable[[dict[str, Any]], bool]) -> list[Hit] | None:
    """The page with the passages ``moved`` names below the rest, in their order; None
    when the page has none to move."""
    flags = [moved(payload) for _, payload in hits]  # once each: a title is parsed per call
    if not any(flags):
        return None
    return [hit for _, hit in sorted(zip(flags, hits, strict=True), key=lambda pair: pair[0])]
