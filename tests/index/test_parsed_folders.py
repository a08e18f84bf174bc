"""The test suite's parse-once loader (tests/parsed_folders.py) indexes what ingest does.

The relevance fixtures load their folders through :func:`load_folder`, which parses a
folder once and hands the same batches to each engine; were it to drop, add or change
a record, every judged figure after it would measure something ingest never builds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from search_api.index.loading import ingest_paths
from search_api.index.tantivy.engine import TantivyEngine
from search_api.search.searcher import Searcher
from search_api.search.types import SearchRequest
from tests.parsed_folders import load_folder

QUERIES = ["人才", "北京市技能大师工作室建设管理办法", "申报条件", "第四条"]


def _snapshot(searcher: Searcher) -> tuple[dict[str, Any], list[Any]]:
    """Its counts, and per query the first 20 hits (every field, scores too) and facets."""
    stats = {k: v for k, v in searcher.engine.stats().items() if k != "location"}
    responses = [searcher.search(SearchRequest(query=q, limit=20)) for q in QUERIES]
    return stats, [(response.hits, response.facets) for response in responses]


def test_loading_a_parsed_folder_indexes_what_ingest_does(corpus_dir: Path, tmp_path: Path) -> None:
    ingested = Searcher(TantivyEngine(tmp_path / "ingested"))
    report = ingest_paths(ingested.engine, [corpus_dir])
    loaded = [Searcher(TantivyEngine(tmp_path / f"loaded{n}")) for n in range(2)]
    # The second load replays the first one's parse: both must match a fresh ingest.
    reports = [load_folder(searcher.engine, corpus_dir) for searcher in loaded]
    try:
        expected = _snapshot(ingested)
        assert expected[0]["passages"] and all(hits for hits, _ in expected[1])
        for searcher, got in zip(loaded, reports, strict=True):
            assert (got.files, got.documents, got.passages) == (report.files, report.documents, report.passages)
            assert _snapshot(searcher) == expected
    finally:
        for searcher in (ingested, *loaded):
            searcher.close()
