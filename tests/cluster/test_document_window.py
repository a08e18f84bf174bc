"""The Elasticsearch document view reads a window of hits without their sources and
fetches only the passages it shows (no cluster needed: a scripted client).

A document page ranks hundreds of passages to group them; decoding every payload cost more
than fetching the few shown by id. When a shown passage is gone between the two calls (the
alias moved to a new build), the page is searched again with every source.
"""

from __future__ import annotations

from typing import Any

from search_api.index.elasticsearch.engine import ElasticsearchEngine
from search_api.index.engine import EngineFilters, EngineQuery, Nested
from search_api.search import ranking
from search_api.search.query import analyze_query

# The window: (passage id, document, score), in rank order.
WINDOW = [("a1", "A", 9.0), ("b1", "B", 8.0), ("a2", "A", 7.0), ("a3", "A", 6.0), ("c1", "C", 5.0)]


class Answer:
    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body

    def __getitem__(self, key: str) -> Any:
        return self.body[key]


class ScriptedClient:
    """Answers the window with or without sources, and ``mget`` with the passages it holds."""

    def __init__(self) -> None:
        self.gone: set[str] = set()  # ids mget no longer finds
        self.calls: list[str] = []

    def search(self, *, index: str, body: dict[str, Any], search_type: str | None = None) -> Answer:
        with_sources = body.get("_source") is not False
        self.calls.append("search+sources" if with_sources else "search")
        hits = []
        for pid, doc, score in WINDOW:
            hit: dict[str, Any] = {"_id": pid, "_score": score}
            if with_sources:
                hit["_source"] = {"payload": {"id": pid, "doc_id": doc}}
            else:
                hit["fields"] = {"doc_id": [doc]}
            hits.append(hit)
        return Answer({"_shards": {"total": 1, "failed": 0}, "hits": {"total": {"value": 40}, "hits": hits}})

    def mget(self, *, index: str, ids: list[str], source_includes: list[str]) -> Answer:
        self.calls.append("mget:" + ",".join(ids))
        docs = [
            {"_id": pid, "found": False}
            if pid in self.gone
            else {"_id": pid, "found": True, "_source": {"payload": {"id": pid}}}
            for pid in ids
        ]
        return Answer({"docs": docs})


def document_page() -> EngineQuery:
    plan = ranking.plan(analyze_query("人才公寓"))
    return EngineQuery(plan=plan, filters=EngineFilters(), limit=200, nested=Nested(per_document=2, documents=2))


def engine_with(client: ScriptedClient) -> ElasticsearchEngine:
    engine = ElasticsearchEngine("http://127.0.0.1:9")  # no request is made
    engine._es = client  # type: ignore[assignment]
    return engine


def test_the_window_comes_without_sources_and_the_shown_passages_by_id() -> None:
    client = ScriptedClient()
    result = engine_with(client).run(document_page())
    assert client.calls == ["search", "mget:a1,b1,a2"]  # two of A, one of B; C is not on the page
    assert [payload["id"] for _, payload in result.hits] == ["a1", "b1", "a2"]
    assert result.window == [(score, doc) for _, doc, score in WINDOW]
    assert result.total == 40


def test_a_shown_passage_gone_meanwhile_searches_again_with_sources() -> None:
    client = ScriptedClient()
    client.gone = {"b1"}
    result = engine_with(client).run(document_page())
    assert client.calls == ["search", "mget:a1,b1,a2", "search+sources"]
    assert [payload["id"] for _, payload in result.hits] == ["a1", "b1", "a2"]
    assert result.window == [(score, doc) for _, doc, score in WINDOW]
