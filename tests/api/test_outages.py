"""Engine outages and unexpected failures: a JSON error naming the cause, never a traceback."""

from __future__ import annotations

import socket
import warnings
from pathlib import Path
from typing import Any

from search_api.http.app import create_app
from search_api.http.errors import INTERNAL_MESSAGE
from search_api.settings import load_settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the block ends: nothing listens


def test_missing_index_is_503_naming_it(tmp_path: Path) -> None:
    client = TestClient(create_app(load_settings(db_path=tmp_path / "absent", es_url="")))
    assert client.get("/healthz").status_code == 200  # the process itself is fine
    for url in ("/readyz", "/api/search?q=人才", "/api/suggest?q=北京", "/api/policies"):
        response = client.get(url)
        assert response.status_code == 503, url
        body = response.json()
        assert body["error"] == "engine_unavailable" and "absent" in body["message"]
        assert str(tmp_path) not in body["message"]  # the folder's name, not its path
        assert response.headers["retry-after"]
    page = client.get("/?q=人才")
    assert page.status_code == 503 and "检索服务暂不可用" in page.text and "Traceback" not in page.text
    # Bad parameters are still the caller's error, whatever the engine's state.
    assert client.get("/api/search?size=0").status_code == 422


def test_unreachable_elasticsearch_is_503_naming_the_cause() -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    client = TestClient(create_app(load_settings(es_url=url, es_timeout_s=2)))
    for path in ("/readyz", "/api/search?q=人才", "/api/passages/abc", "/api/events"):
        response = client.get(path)
        assert response.status_code == 503, path
        body = response.json()
        assert set(body) == {"error", "message"}
        assert url in body["message"] and "unreachable" in body["message"] and "refused" in body["message"]


class _Broken:
    """A backend whose every call fails in an unplanned way."""

    def __getattr__(self, name: str) -> Any:
        def fail(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("secret internal detail")

        return fail


def test_unexpected_error_is_503_json_without_details() -> None:
    client = TestClient(create_app(_Broken(), settings=load_settings(es_url="")))  # type: ignore[arg-type]
    response = client.get("/api/search?q=人才")
    assert response.status_code == 503
    assert response.json() == {"error": "internal_error", "message": INTERNAL_MESSAGE}
    assert response.headers["x-content-type-options"] == "nosniff"  # inside the security headers
    page = client.get("/?q=人才")
    assert page.status_code == 503 and "secret" not in page.text and "Traceback" not in page.text
