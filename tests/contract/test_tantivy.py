"""The contract suite on the embedded tantivy engine."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from search_api.index.tantivy.engine import TantivyEngine
from search_api.search.searcher import Searcher
from tests.contract.contract import BackendContract
from tests.contract.eligibility import EligibilityContract
from tests.contract.listing import ListingContract
from tests.contract.naming import NamingContract


class TestTantivyBackend(BackendContract, EligibilityContract, NamingContract, ListingContract):
    @pytest.fixture(scope="class")
    @classmethod
    def empty_backend(cls, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
        backend = Searcher(TantivyEngine(tmp_path_factory.mktemp("tantivy") / "index"))
        yield backend
        backend.close()
