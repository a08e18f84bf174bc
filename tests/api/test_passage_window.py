"""Opening a passage reads the passage and its neighbours, never its whole document.

Before, a passage view loaded every passage of its document: 16-19 s for one passage of
a 50 MB text file. An engine that counts what it is asked for shows what a view reads.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

from ingest.model import Document, Passage
from search_api.http import views
from search_api.http.app import create_app
from search_api.index.engine import Payload
from search_api.index.tantivy.engine import TantivyEngine
from search_api.search.searcher import Searcher
from search_api.settings import load_settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PASSAGES = 400  # more than a passage page shows whole (80)


def long_policy(passages: int) -> Document:
    doc = Document(kind="policy", title="长篇测试条例", key="long", source="long.txt", id="long-doc")
    for i in range(passages):
        doc.passages.append(
            Passage(
                kind="policy",
                text=f"第{i + 1}条 长篇测试条例的第{i + 1}个条款，规定骆驼的管理。",
                path=["第一章 总则", f"第{i + 1}条"],
                locator=f"第{i + 1}条",
                id=f"long-p{i:04d}",
                doc_id=doc.id,
                ord=i,
                citation=f"《长篇测试条例》第{i + 1}条",
                source=f"long.txt:{i + 1}",
            )
        )
    return doc


class _CountingEngine(TantivyEngine):
    """Counts the passages it returns, and refuses to list a whole document."""

    read = 0

    def document_passages(self, doc_id: str) -> list[Payload]:
        raise AssertionError("a passage view read its whole document")

    def passage_range(self, doc_id: str, first: int, last: int) -> list[Payload]:
        found = super().passage_range(doc_id, first, last)
        type(self).read += len(found)
        return found


@pytest.fixture(scope="module")
def long_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("long") / "index"
    backend = Searcher(TantivyEngine(path))
    backend.index([long_policy(PASSAGES)], sources={"long.txt": "v1"})
    backend.close()
    return path


@pytest.fixture(scope="module")
def counting_client(long_index: Path) -> Any:
    backend = Searcher(_CountingEngine(long_index, create=False))
    return TestClient(create_app(backend, settings=load_settings(db_path=long_index, es_url="")))


@pytest.mark.parametrize("position", [0, 1, 200, PASSAGES - 1])
def test_api_passage_reads_three_passages(counting_client: Any, position: int) -> None:
    _CountingEngine.read = 0
    body = counting_client.get(f"/api/passages/long-p{position:04d}").json()
    assert _CountingEngine.read <= 3
    assert body["passage"]["ord"] == position
    assert (body["previous"] or {}).get("id") == (f"long-p{position - 1:04d}" if position else None)
    assert (body["next"] or {}).get("id") == (f"long-p{position + 1:04d}" if position < PASSAGES - 1 else None)
    # The document's record is whole: every passage id, in reading order.
    assert body["document"]["passage_ids"] == [f"long-p{i:04d}" for i in range(PASSAGES)]


def test_passage_page_reads_a_window(counting_client: Any) -> None:
    _CountingEngine.read = 0
    page = counting_client.get("/passages/long-p0200")
    assert page.status_code == 200
    assert _CountingEngine.read <= 11  # five on each side
    assert "第201条" in page.text and "第196条" in page.text and "第190条" not in page.text
    assert "仅显示本条前后的内容" in page.text  # says that the rest is left out


def test_a_short_document_is_read_whole(tmp_path: Path) -> None:
    backend = Searcher(TantivyEngine(tmp_path / "index"))
    backend.index([long_policy(12)], sources={"long.txt": "v1"})
    context = views.passage_context(backend, "long-p0005", around=5, whole_up_to=80)
    assert [p.ord for p in context.document.passages] == list(range(12)) and not context.partial
    assert context.passage.ord == 5 and context.document.passages[context.index].id == "long-p0005"
    window = views.passage_context(backend, "long-p0005", around=2, whole_up_to=4)
    assert [p.ord for p in window.document.passages] == [3, 4, 5, 6, 7] and window.partial
    assert window.previous is not None and window.previous.ord == 4
