"""An engine that fails or takes too long: one 503 JSON body, a cause without local paths.

A corrupted index makes tantivy raise (ValueError, OSError) or panic (pyo3's
PanicException, a BaseException that Starlette lets through); a request past its time
budget (POLICYKB_REQUEST_TIMEOUT_S) ends in a 503 whether the engine runs in the event
loop (tantivy) or in a thread (Elasticsearch). Harness time limits only.
"""

from __future__ import annotations

import random
import shutil
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from search_api.http.app import create_app
from search_api.index.engine import EngineQuery, EngineResult
from search_api.index.tantivy.engine import TantivyEngine
from search_api.search.searcher import Searcher
from search_api.settings import load_settings
from tests.contract.contract import session_document

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

HARNESS_S = 60
URLS = ("/readyz", "/api/search?q=骆驼", "/api/search?q=会话测试骆驼的条款", "/api/policies", "/?q=骆驼")


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("faults") / "index"
    backend = Searcher(TantivyEngine(path))
    backend.index([session_document(f"x/{i}.txt", "骆驼", 30) for i in range(4)], sources={})
    backend.close()
    return path


def _corrupt_copy(index: Path, into: Path, suffix: str) -> Path:
    """A copy of ``index`` whose ``suffix`` segment files hold random bytes but their footer
    (so tantivy opens them, and fails when it reads them)."""
    copy = into / f"index-{suffix}"
    shutil.copytree(index, copy)
    rng = random.Random(suffix)
    files = list(copy.glob(f"*.{suffix}"))
    assert files
    for file in files:
        data = bytearray(file.read_bytes())
        data[: len(data) * 9 // 10] = rng.randbytes(len(data) * 9 // 10)
        file.write_bytes(bytes(data))
    return copy


@pytest.mark.parametrize("suffix", ["idx", "term", "pos", "fast", "store"])
def test_a_corrupted_index_is_503_json_naming_no_path(small_index: Path, tmp_path: Path, suffix: str) -> None:
    copy = _corrupt_copy(small_index, tmp_path, suffix)
    client = TestClient(create_app(load_settings(db_path=copy, es_url="")))
    failed = 0
    for url in URLS:
        response = client.get(url)
        assert response.status_code in (200, 503), (url, response.status_code)
        assert str(tmp_path) not in response.text and "Traceback" not in response.text, url
        if response.status_code == 503:
            failed += 1
            if not url.startswith("/?"):
                body = response.json()
                assert set(body) == {"error", "message"}
                assert body["error"] in ("engine_error", "engine_unavailable"), body
    assert failed, "the corruption reached no reader"  # the seeds corrupt what these URLs read


class PanicException(BaseException):
    """What pyo3 raises when tantivy's Rust code panics: a BaseException of this name."""


class _PanickingEngine(TantivyEngine):
    def run(self, query: EngineQuery) -> EngineResult:
        raise PanicException(f"called `Option::unwrap()` on a `None` value at {self.path}/src/store/reader.rs:12:5")

    def stats(self) -> dict[str, Any]:
        raise PanicException("index out of bounds: the len is 8 but the index is 8")


def test_an_engine_panic_is_503_json_and_readyz_503(small_index: Path) -> None:
    client = TestClient(create_app(Searcher(_PanickingEngine(small_index, create=False)), settings=load_settings()))
    for url, cause in (("/api/search?q=骆驼", "on a `None` value at …/reader.rs:12:5"), ("/readyz", "index out of")):
        response = client.get(url)
        assert response.status_code == 503, url
        body = response.json()
        assert body["error"] == "engine_error" and "the search engine failed" in body["message"]
        assert cause in body["message"] and str(small_index) not in body["message"]
        assert response.headers["x-content-type-options"] == "nosniff"
    assert client.get("/healthz").status_code == 200


class _SlowEngine(TantivyEngine):
    """Each search waits ``delay`` seconds (or until ``release`` is set)."""

    delay = 0.2
    release: threading.Event | None = None
    runs = 0

    def run(self, query: EngineQuery) -> EngineResult:
        type(self).runs += 1
        if self.release is not None:
            self.release.wait(HARNESS_S)
        else:
            time.sleep(self.delay)
        return super().run(query)


def _get(client: Any, url: str) -> Any:
    """The response, within the harness limit (a hang fails instead of stalling the run)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(client.get, url).result(timeout=HARNESS_S)


def test_a_search_past_its_time_budget_is_503_in_the_event_loop(small_index: Path) -> None:
    """The embedded engine runs in the event loop: the searcher stops at its next check."""
    _SlowEngine.runs = 0
    settings = replace(load_settings(db_path=small_index, es_url=""), request_timeout_s=0.3)
    client = TestClient(create_app(Searcher(_SlowEngine(small_index, create=False)), settings=settings))
    # Nothing matches all of these words: unit counts, spelling and relaxation would
    # call the engine dozens of times, 0.2 s each.
    response = _get(client, "/api/search?q=" + "骆驼 海豚 企鹅 海象 火锅 量子 宇宙 飞船 " * 3)
    assert response.status_code == 503
    body = response.json()
    assert body["error"] == "timeout" and "POLICYKB_REQUEST_TIMEOUT_S" in body["message"]
    assert _SlowEngine.runs <= 3  # the budget (0.3 s) stopped the work, not its end
    assert _get(client, "/healthz").status_code == 200


class _ThreadedSlowEngine(_SlowEngine):
    in_process = False  # like Elasticsearch: searches run in the thread pool


def test_a_search_past_its_time_budget_is_503_from_the_thread_pool(small_index: Path) -> None:
    """An engine in a thread cannot be stopped from outside: the answer must not wait for
    it. The engine blocks until the answer has arrived, so waiting for it would hang."""
    release = threading.Event()
    engine = _ThreadedSlowEngine(small_index, create=False)
    engine.release = release
    settings = replace(load_settings(db_path=small_index, es_url=""), request_timeout_s=0.5)
    client = TestClient(create_app(Searcher(engine), settings=settings))
    try:
        response = _get(client, "/api/search?q=骆驼")
    finally:
        release.set()
    assert response.status_code == 503 and response.json()["error"] == "timeout"
