"""A tantivy index of a few policy texts written by a test (file name → text)."""

from __future__ import annotations

import pytest

from search_api.index.loading import ingest_paths
from search_api.index.tantivy.engine import TantivyEngine
from search_api.search.searcher import Searcher


def searcher_of(tmp_path_factory: pytest.TempPathFactory, texts: dict[str, str]) -> Searcher:
    folder = tmp_path_factory.mktemp("policies")
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    engine = TantivyEngine(tmp_path_factory.mktemp("index") / "index")
    assert not ingest_paths(engine, [folder], workers=1).failures
    return Searcher(engine)
