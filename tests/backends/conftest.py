"""Elasticsearch fixtures: the node URL (skip or fail when absent) and throwaway backends."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest

from search_api.index.elasticsearch.engine import ElasticsearchEngine
from search_api.search.searcher import Searcher
from tests.conftest import drop_es_indices


@pytest.fixture
def make_es_backend(es_url: str) -> Iterator[Callable[[], Searcher]]:
    """Factory of backends on unique aliases; their indices are deleted afterwards."""
    made: list[Searcher] = []

    def make() -> ElasticsearchEngine:
        backend = Searcher(ElasticsearchEngine(es_url, index=f"policykb-test-{uuid.uuid4().hex[:12]}"))
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.close()
        drop_es_indices(es_url, backend.engine.alias)


@pytest.fixture
def es_backend(make_es_backend: Callable[[], Searcher]) -> ElasticsearchEngine:
    return make_es_backend()
