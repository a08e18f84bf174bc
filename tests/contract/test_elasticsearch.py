"""The contract suite on Elasticsearch (a real node; see scripts/elasticsearch.sh)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from search_api.backend import SearchBackend
from search_api.backends.elasticsearch_backend import ElasticsearchBackend
from tests.contract.contract import BackendContract


class TestElasticsearchBackend(BackendContract):
    @pytest.fixture(scope="class")
    @classmethod
    def empty_backend(cls, es_url: str) -> Iterator[SearchBackend]:
        backend = ElasticsearchBackend(es_url, index=f"policykb-contract-{uuid.uuid4().hex[:10]}")
        yield backend
        names = list(backend._es.indices.get(index=f"{backend.alias}-*", allow_no_indices=True).body)
        if names:
            backend._es.indices.delete(index=",".join(names))
        backend.close()
