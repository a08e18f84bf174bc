"""The contract suite on the embedded tantivy engine."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from search_api.index.tantivy.engine import TantivyBackend
from search_api.search.types import SearchBackend
from tests.contract.contract import BackendContract


class TestTantivyBackend(BackendContract):
    @pytest.fixture(scope="class")
    @classmethod
    def empty_backend(cls, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchBackend]:
        backend = TantivyBackend(tmp_path_factory.mktemp("tantivy") / "index")
        yield backend
        backend.close()
