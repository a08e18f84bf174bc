"""When the engine asks for the DFS phase, and for a search again (no cluster needed:
a recording client).

The judged sets on a real 3-shard index are in test_judged_sets.py; here, which request
gets ``search_type=dfs_query_then_fetch``, and how the engine learns the shard count of
an index another process built.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from search_api.index.elasticsearch import query as q
from search_api.index.elasticsearch.engine import PARTIAL_RETRIES, ElasticsearchEngine
from search_api.index.engine import EngineFilters, EngineQuery
from search_api.search import ranking
from search_api.search.query import analyze_query


class Answer:
    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body


class RecordingClient:
    """Answers every search as an index of ``shards`` shards would, and notes its search_type."""

    def __init__(self, shards: int) -> None:
        self.shards = shards
        self.search_types: list[str | None] = []
        self.failing = 0  # answers still to come with a failed shard (a node just died)

    def search(self, *, index: str, body: dict[str, Any], search_type: str | None = None) -> Answer:
        self.search_types.append(search_type)
        hits = {"total": {"value": 0}, "hits": []}
        failed = 1 if self.failing > 0 else 0
        self.failing -= 1
        return Answer({"_shards": {"total": self.shards, "failed": failed}, "hits": hits})


def ranked() -> EngineQuery:
    return EngineQuery(plan=ranking.plan(analyze_query("人才公寓")), filters=EngineFilters())


def engine_on(shards: int, configured: int) -> tuple[ElasticsearchEngine, RecordingClient]:
    engine = ElasticsearchEngine("http://127.0.0.1:9", shards=configured)  # no request is made
    client = RecordingClient(shards)
    engine._es = client  # type: ignore[assignment]
    return engine, client


def test_only_ranked_searches_on_several_shards_gather_statistics() -> None:
    query = ranked()
    assert q.search_type(query, 3) == q.DFS == "dfs_query_then_fetch"
    assert q.search_type(query, 1) is None
    assert q.search_type(replace(query, by_date=True), 3) is None  # sorted by date: no scores
    assert q.search_type(replace(query, plan=None), 3) is None  # filters only


def test_the_engine_learns_the_shard_count_from_the_answers() -> None:
    # A reader whose settings say 1 shard, on an index another process built with 3: the
    # first ranked search is answered by 3 shards and is run again with the DFS phase.
    engine, client = engine_on(shards=3, configured=1)
    engine.run(ranked())
    assert client.search_types == [None, q.DFS]
    engine.run(ranked())
    engine.run(replace(ranked(), by_date=True))
    assert client.search_types == [None, q.DFS, q.DFS, None]
    # The index rebuilt with 1 shard: the next search learns it, the one after goes without.
    client.shards = 1
    engine.run(ranked())
    engine.run(ranked())
    assert client.search_types[-2:] == [q.DFS, None]


def test_dfs_can_be_turned_off_for_measurements() -> None:
    engine, client = engine_on(shards=3, configured=3)
    engine.dfs = False
    engine.run(ranked())
    engine.run(ranked())
    assert client.search_types == [None, None]


def test_an_answer_lacking_shards_is_asked_for_again() -> None:
    engine, client = engine_on(shards=3, configured=3)
    client.failing = 1  # the dying node's shard copy failed once; the next search finds the other copy
    engine.run(ranked())
    assert client.search_types == [q.DFS, q.DFS]
    client.search_types.clear()
    client.failing = 99  # a shard with no copy left: a partial answer after the retries
    engine.run(ranked())
    assert len(client.search_types) == PARTIAL_RETRIES + 1
