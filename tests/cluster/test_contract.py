"""The contract suite on the secure cluster: API key over TLS, 3 shards, 1 replica."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from search_api.search.searcher import Searcher
from tests.cluster.conftest import REPLICAS, SHARDS, Cluster
from tests.contract.contract import BackendContract

pytestmark = [pytest.mark.cluster, pytest.mark.elasticsearch]


def test_connects_with_the_api_key_over_tls(cluster: Cluster) -> None:
    conn = cluster.connection()
    assert conn.describe() == f"{conn.where}, api key auth, TLS with CA file"
    assert len(conn.urls) == SHARDS and conn.retries == SHARDS - 1  # every node tried once
    who = cluster.admin.security.authenticate()
    assert who["authentication_type"] == "api_key"
    assert cluster.health()["number_of_nodes"] == SHARDS


class TestClusterBackend(BackendContract):
    @pytest.fixture(scope="class")
    @classmethod
    def empty_backend(cls, cluster: Cluster) -> Iterator[Searcher]:
        backend = Searcher(cluster.engine(f"policykb-cluster-contract-{uuid.uuid4().hex[:10]}"))
        yield backend
        backend.close()
        cluster.drop(backend.engine.alias)

    def test_index_has_three_shards_and_a_replica_all_placed(self, backend: Searcher, cluster: Cluster) -> None:
        [index] = backend.engine.versions.current()  # type: ignore[attr-defined]
        settings = cluster.admin.indices.get_settings(index=index)[index]["settings"]["index"]
        assert (int(settings["number_of_shards"]), int(settings["number_of_replicas"])) == (SHARDS, REPLICAS)
        health = cluster.admin.cluster.health(index=index, wait_for_status="green", timeout="120s")
        assert health["status"] == "green" and health["active_shards"] == SHARDS * (1 + REPLICAS)
