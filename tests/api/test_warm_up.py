"""The server builds what the first search needs as it starts, not in that search.

At the regulations scale the first search after startup took 1.1 s on tantivy and 3.0 s
on Elasticsearch (jieba's dictionary, the tables read from every document record); with
the warm-up it takes what any search takes. The tables are read from ``engine.documents``:
a search after the warm-up must not read them again. Once warm, what the warm-up built is
frozen out of the garbage collector's generations (``settle_heap``), so that no full
collection in a search walks it again.
"""

from __future__ import annotations

import gc
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from search_api.http.app import create_app
from search_api.settings import Settings, load_settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

QUESTION = "人才公寓怎么申请"


@pytest.fixture(autouse=True)
def _unfrozen() -> Iterator[None]:
    """The warm-up freezes the whole test process's heap: give it back to the collector."""
    yield
    gc.unfreeze()


def _documents_read_by_first_question(app: Any, client: Any, monkeypatch: pytest.MonkeyPatch) -> int:
    engine = app.state.searchers.get().engine
    reads: list[object] = []
    documents = engine.documents

    def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(args)
        return documents(*args, **kwargs)

    monkeypatch.setattr(engine, "documents", counted)
    assert client.get("/api/search", params={"q": QUESTION}).status_code == 200
    return len(reads)


def test_first_search_after_warm_up_reads_no_table(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(settings, warm=True)
    with TestClient(app) as client:
        assert app.state.searchers.warmed.wait(120)
        assert _documents_read_by_first_question(app, client, monkeypatch) == 0


def test_what_the_warm_up_built_is_out_of_the_collectors_reach(settings: Settings) -> None:
    app = create_app(settings, warm=True)
    with TestClient(app) as client:
        assert app.state.searchers.warmed.wait(120)
        searcher = app.state.searchers.get()
        assert gc.get_freeze_count() > 0
        tracked = {id(o) for o in gc.get_objects()}  # the generations a collection walks
        assert id(searcher) not in tracked and id(searcher.engine) not in tracked
        assert client.get("/api/search", params={"q": QUESTION}).status_code == 200


def test_without_warm_up_the_first_search_builds_the_tables(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The control: what the warm-up saves is really paid by a first search otherwise.
    app = create_app(settings)
    with TestClient(app) as client:
        assert _documents_read_by_first_question(app, client, monkeypatch) > 0


def test_warm_up_without_an_engine_leaves_the_503_to_the_requests(tmp_path: Path) -> None:
    app = create_app(load_settings(db_path=tmp_path / "absent", es_url=""), warm=True)
    with TestClient(app) as client:
        assert app.state.searchers.warmed.wait(60)
        assert client.get("/healthz").status_code == 200
        response = client.get("/api/search", params={"q": QUESTION})
        assert response.status_code == 503 and "absent" in response.json()["message"]
