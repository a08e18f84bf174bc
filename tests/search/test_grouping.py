"""The document view: an article and its item are not shown twice, the documents its
pages can reach are said when the windows read stop short of a page, and a document the
query names takes its place without filling the window."""

from __future__ import annotations

from typing import Any

from ingest.model import CATALOGUE_ENTRY
from search_api.index.engine import EngineFilters, EngineQuery, EngineResult
from search_api.search import ranking
from search_api.search.grouping import MAX_WINDOW, distinct_passages, named_first, reachable, window_query
from search_api.search.query import analyze_query
from search_api.search.types import SearchRequest


def payload(text: str) -> dict[str, Any]:
    return {"text": text}


def test_an_item_the_shown_article_holds_is_left_out() -> None:
    article = payload("第四条 申报市级工作室应同时符合以下条件：\n（一）技能大师的条件。\n（二）所在单位的条件。")
    item = payload("（一）技能大师的条件。")
    other = payload("第五条 已被认定为区级技能大师工作室的，同等条件下优先认定。")
    kept = distinct_passages([(3.0, article), (2.5, item), (2.0, other)])
    assert [p for _, p in kept] == [article, other]
    # The better ranked of the two stays, whichever holds the other.
    assert [p for _, p in distinct_passages([(3.0, item), (2.5, article)])] == [item]


def test_the_documents_read_are_said_when_a_page_stays_short() -> None:
    window = [(1.0, f"doc{i // 4}") for i in range(MAX_WINDOW)]  # four passages a document
    deep = SearchRequest(query="人才", group="document", offset=MAX_WINDOW // 4, limit=10)
    # The windows read (browse stopped at its bound) hold fewer documents than the page needs.
    assert reachable(EngineResult(total=5_000, hits=[], window=window), deep) == MAX_WINDOW // 4
    # Every match read: the documents are all there are; a full page: later pages read more.
    assert reachable(EngineResult(total=MAX_WINDOW, hits=[], window=window), deep) is None
    first = SearchRequest(query="人才", group="document")
    assert reachable(EngineResult(total=5_000, hits=[], window=window), first) is None
    assert reachable(EngineResult(total=5_000, hits=[], window=window[:200]), first) is None


def test_named_documents_are_searched_apart_and_take_their_place_by_score() -> None:
    # One long named document would fill a window of its passages: the window query runs
    # without the title bonus, and the named document's passages come from a second
    # search within it, with the bonus, replacing its passages of the first.
    def hit(score: float, doc: str) -> tuple[float, dict[str, Any]]:
        return score, {"doc_id": doc, "id": f"{doc}-{score}"}

    first = EngineResult(
        total=40,
        hits=[hit(9.0, "rules"), hit(8.0, "law"), hit(7.0, "other")],
        aggregations={"documents": {"value": 3.0}},
        window=[(9.0, "rules"), (8.5, "rules"), (8.0, "law"), (7.0, "other")],
    )
    asked: list[EngineQuery] = []

    def run(query: EngineQuery) -> EngineResult:
        asked.append(query)
        return EngineResult(total=2, hits=[hit(58.0, "law")], window=[(58.0, "law"), (57.0, "law")])

    plan = ranking.plan(analyze_query("骆驼保护法"))
    assert plan is not None
    query = window_query(EngineQuery(plan=plan, filters=EngineFilters()), SearchRequest(query="骆驼保护法"))
    merged = named_first(run, query, first, ["law"])
    assert asked[0].plan == ranking.in_documents(plan, ["law"], ranking.BOOST_TITLE) and not asked[0].facets
    assert merged.window == [(58.0, "law"), (57.0, "law"), (9.0, "rules"), (8.5, "rules"), (7.0, "other")]
    assert [p["id"] for _, p in merged.hits] == ["law-58.0", "rules-9.0", "other-7.0"]
    assert merged.total == 40 and merged.documents == 3  # the window query's counts
    assert named_first(run, query, first, []) is first and len(asked) == 1


def test_a_document_s_catalogue_line_comes_after_its_own_clauses() -> None:
    # 《北京市技能大师工作室建设管理办法》 had shown 「政策目录 6」 as its best clause and its
    # type as a catalogue entry, though its full text is held.
    from types import SimpleNamespace

    from search_api.search.grouping import _document

    def passage(kind: str, text: str) -> dict[str, Any]:
        meta = {"doc_id": "d", "doc_title": "某某办法", "doc_kind": "policy", "agencies": []}
        return {**meta, "kind": kind, "text": text}

    line, clause = passage(CATALOGUE_ENTRY, "6.《某某办法》"), passage("policy", "第二条 本办法所称…")
    doc = _document([(9.0, line), (8.0, clause)], 2, True, lambda p, s: SimpleNamespace(text=p["text"], missing=[]), [])
    assert doc.doc_type == "policy" and doc.score == 9.0
    assert [p.text for p in doc.passages] == [clause["text"], line["text"]]
    # A catalogue line alone stays what it is.
    alone = _document([(9.0, line)], 1, True, lambda p, s: SimpleNamespace(text=p["text"], missing=[]), [])
    assert alone.doc_type == CATALOGUE_ENTRY
