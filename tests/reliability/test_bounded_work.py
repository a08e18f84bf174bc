"""The work of one search is bounded: relaxation in passes, highlighting linear in the text.

Before: a query that nothing fully matched was searched again once per unit dropped (up
to 43 engine calls), and ``q=法`` on long, dense passages took 11.7 s in the highlighter
(quadratic in the matches; 23.5 s on one passage of 50,000 characters). Harness time
limits only: a quadratic highlighter does not answer within them.
"""

from __future__ import annotations

import math
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from ingest.model import Document, Passage
from search_api.http.app import create_app
from search_api.index.engine import EngineQuery, EngineResult
from search_api.index.tantivy.engine import TantivyEngine
from search_api.search.query import analyze_query
from search_api.search.searcher import Searcher
from search_api.search.types import SearchRequest
from search_api.settings import load_settings
from tests.contract.contract import session_document

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

HARNESS_S = 30
ANIMALS = [
    "骆驼",
    "海豚",
    "企鹅",
    "海象",
    "熊猫",
    "老虎",
    "狮子",
    "大象",
    "斑马",
    "袋鼠",
    "考拉",
    "松鼠",
    "刺猬",
    "狐狸",
]
DENSE = "法律" * 25_000  # one passage of 50,000 characters, 25,000 matches of 法


class _CountingEngine(TantivyEngine):
    runs = 0

    def run(self, query: EngineQuery) -> EngineResult:
        type(self).runs += 1
        return super().run(query)


def dense_document() -> Document:
    doc = Document(kind="policy", title="密集文本测试", key="dense", source="dense.txt", id="dense-doc")
    for i in range(3):
        text = f"第{i + 1}条 {DENSE}"
        doc.passages.append(
            Passage(kind="policy", text=text, path=[f"第{i + 1}条"], locator=f"第{i + 1}条", id=f"dense-p{i}",
                    doc_id=doc.id, ord=i, citation=f"《密集文本测试》第{i + 1}条", source=f"dense.txt:{i + 1}")
        )  # fmt: skip
    return doc


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bounded") / "index"
    backend = Searcher(TantivyEngine(path))
    documents = [session_document(f"zoo/{name}.txt", name, 2) for name in ANIMALS] + [dense_document()]
    backend.index(documents, sources={})
    backend.close()
    return path


def test_relaxation_takes_logarithmically_many_passes(index: Path) -> None:
    """Each animal is in its own document: no passage holds two. The search needs 10 of the
    14 units, finds nothing, and relaxes down to one unit."""
    backend = Searcher(_CountingEngine(index, create=False))
    query = " ".join(ANIMALS)
    units = len(analyze_query(query).required)
    assert units == len(ANIMALS)
    _CountingEngine.runs = 0
    response = backend.search(SearchRequest(query=query, limit=50))
    assert response.query.relaxed and response.total == 2 * len(ANIMALS)  # what needing one unit finds
    first_search, unit_counts = 1, units
    needed = analyze_query(query).min_match
    passes = _CountingEngine.runs - first_search - unit_counts
    assert passes <= math.ceil(math.log2(needed)) + 1, passes  # stepping down one by one: `needed` passes


def test_dense_passages_are_highlighted_within_the_harness_limit(index: Path) -> None:
    client: Any = TestClient(create_app(load_settings(db_path=index, es_url="")))
    with ThreadPoolExecutor(1) as pool:
        for query in ("法", "法律", "法 律 条"):
            response = pool.submit(client.get, "/api/search", params={"q": query}).result(timeout=HARNESS_S)
            assert response.status_code == 200, query
            hits = [h for h in response.json()["hits"] if h["doc_id"] == "dense-doc"]
            assert len(hits) == 3 and all("<mark>" in h["highlight"] for h in hits), query
            assert all(len(h["highlight"]) < 2_000 for h in hits)  # a snippet, not the passage
