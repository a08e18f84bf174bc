"""Ranking on 3 shards: the judged sets reach their targets, and rank as on 1 shard.

Elasticsearch scores each shard with its own term statistics unless a search gathers
them first (DFS, see search_api/index/elasticsearch/query.py ``search_type``): these
tests fail when a 3-shard index ranks otherwise than a 1-shard index of the same records.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from search_api.evaluation import evaluate
from search_api.index.elasticsearch.engine import ElasticsearchEngine
from search_api.search.searcher import Searcher
from tests.cluster.conftest import SHARDS, Cluster
from tests.contract.contract import search
from tests.parsed_folders import load_folder
from tests.relevance import test_dev_set as dev_set
from tests.relevance import test_extra_sets as extra_sets

pytestmark = [pytest.mark.cluster, pytest.mark.elasticsearch]

METRICS = ("success_at_1", "success_at_5", "mrr_at_10")
TOLERANCE = 0.01  # issue 14: every figure on 3 shards within ±0.01 of 1 shard


def assert_same_figures(three: Searcher, one: Searcher, queries: list[dict[str, Any]]) -> None:
    on_three, on_one = evaluate(three, queries), evaluate(one, queries)
    apart = {m: (on_three[m], on_one[m]) for m in METRICS if abs(on_three[m] - on_one[m]) > TOLERANCE}
    ranks = {q["id"]: q["rank"] for q in on_one["queries"]}
    moved = [f"{q['id']}: {ranks[q['id']]} -> {q['rank']}" for q in on_three["queries"] if q["rank"] != ranks[q["id"]]]
    assert not apart, f"3 shards vs 1 shard (3-shard, 1-shard figures): {apart}; ranks moved: {moved}"


@pytest.fixture(scope="module")
def regulations_cluster(cluster: Cluster, extra_regulations: Path) -> Iterator[tuple[Searcher, Searcher]]:
    """The regulations judged set's files on the cluster: (3 shards, 1 shard)."""
    made: list[Searcher] = []
    try:
        for shards in (SHARDS, 1):
            backend = Searcher(cluster.engine(f"policykb-cluster-regs{shards}-{uuid.uuid4().hex[:10]}", shards))
            made.append(backend)
            assert not load_folder(backend.engine, extra_regulations).failures
        yield made[0], made[1]
    finally:
        for backend in made:
            backend.close()
            cluster.drop(backend.engine.alias)


def test_dev_set(book_cluster: Searcher, dev_queries: list[dict[str, Any]]) -> None:
    dev_set.check(book_cluster, dev_queries)


def test_book_extra_set(book_cluster: Searcher) -> None:
    extra_sets.check(book_cluster, extra_sets.queries("queries-extra-book.jsonl"), extra_sets.BOOK_TARGETS)


def test_book_sets_rank_as_on_one_shard(
    book_cluster: Searcher, book_one_shard: Searcher, dev_queries: list[dict[str, Any]]
) -> None:
    assert_same_figures(book_cluster, book_one_shard, dev_queries)
    assert_same_figures(book_cluster, book_one_shard, extra_sets.queries("queries-extra-book.jsonl"))


@pytest.mark.shared
def test_regulations_set(regulations_cluster: tuple[Searcher, Searcher]) -> None:
    three, one = regulations_cluster
    queries = extra_sets.queries("queries-extra-regulations.jsonl")
    extra_sets.check(three, queries, extra_sets.REGULATION_TARGETS)
    assert_same_figures(three, one, queries)


def test_scores_do_not_depend_on_the_shard_count(
    book_cluster: Searcher, book_one_shard: Searcher, cluster: Cluster
) -> None:
    """The same scores as on one shard, also for a reader whose own settings say 1 shard
    (an index another process built): it learns the count from the first answer."""
    reader = Searcher(ElasticsearchEngine(cluster.connection(), index=book_cluster.engine.alias))
    try:
        for query in ("技能大师工作室申报条件", "人才公寓", "海外高层次人才 引进"):
            expected = [(h.id, h.score) for h in search(book_one_shard, query, limit=10).hits]
            assert [(h.id, h.score) for h in search(book_cluster, query, limit=10).hits] == expected, query
            assert [(h.id, h.score) for h in search(reader, query, limit=10).hits] == expected, query
        assert reader.engine.searched_shards == SHARDS  # type: ignore[attr-defined]
        assert book_one_shard.engine.searched_shards == 1  # type: ignore[attr-defined]
    finally:
        reader.close()
