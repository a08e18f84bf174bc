"""The contract suite on Elasticsearch (a real node; see scripts/elasticsearch.sh)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from search_api.index.elasticsearch.engine import ElasticsearchEngine
from search_api.search.searcher import Searcher
from tests.conftest import drop_es_indices
from tests.contract.contract import BackendContract
from tests.contract.eligibility import EligibilityContract
from tests.contract.listing import ListingContract
from tests.contract.naming import NamingContract


class TestElasticsearchBackend(BackendContract, EligibilityContract, NamingContract, ListingContract):
    @pytest.fixture(scope="class")
    @classmethod
    def empty_backend(cls, es_url: str) -> Iterator[Searcher]:
        backend = Searcher(ElasticsearchEngine(es_url, index=f"policykb-contract-{uuid.uuid4().hex[:10]}"))
        yield backend
        backend.close()
        drop_es_indices(es_url, backend.engine.alias)
