"""Rules every response keeps, whatever its route: HEAD wherever GET, relative redirects,
gzip for large bodies (security headers and CORS still on), a cap on a body's size."""

from __future__ import annotations

import gzip
import warnings
from typing import Any

import pytest

from search_api.http.app import GZIP_MIN_BYTES, create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def _some_ids(client: Any) -> tuple[str, str]:
    hit = client.get("/api/search", params={"q": "技能大师工作室申报条件"}).json()["hits"][0]
    return hit["id"], hit["doc_id"]


def test_head_is_allowed_wherever_get_is(client: Any) -> None:
    passage, document = _some_ids(client)
    for url in (
        "/healthz",
        "/readyz",
        "/api/search?q=人才",
        f"/api/passages/{passage}",
        f"/api/documents/{document}",
        "/api/policies",
        "/api/events",
        "/api/suggest?q=北京",
        "/openapi.json",
        "/",
        f"/passages/{passage}",
    ):
        get = client.get(url)
        head = client.head(url)
        assert head.status_code == get.status_code == 200, url
        assert head.content == b"", url
        assert head.headers["content-type"] == get.headers["content-type"], url
        assert head.headers["content-length"] == get.headers["content-length"], url
    # Only GET and HEAD: the schema documents GET alone, other methods stay refused.
    assert client.post("/healthz").status_code == 405
    assert client.head("/api/passages/no-such-id").status_code == 404


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8080", "127.0.0.1:9"])
def test_trailing_slash_redirect_names_a_path_not_the_host(client: Any, host: str) -> None:
    response = client.get("/api/search/?q=人才&size=5", headers={"host": host}, follow_redirects=False)
    assert response.status_code in (301, 307, 308)
    assert response.headers["location"] == "/api/search?q=%E4%BA%BA%E6%89%8D&size=5"
    assert client.get(response.headers["location"]).status_code == 200


def test_a_redirect_never_points_at_another_host(client: Any) -> None:
    # Collapsing the slashes of "//evil.example/" must not give "//evil.example" (a host).
    response = client.get("//evil.example/", follow_redirects=False)
    location = response.headers.get("location", "")
    assert not location.startswith("//") and "evil.example" not in location.split("/")[:3]


def test_large_bodies_are_gzipped_with_every_header_kept(settings: Any) -> None:
    client = TestClient(create_app(settings, cors_origins=["https://portal.example"]))
    headers = {"accept-encoding": "gzip", "origin": "https://portal.example"}
    for url in ("/api/search?q=人才&size=10", "/?q=人才"):
        response = client.get(url, headers=headers)
        plain = client.get(url, headers={"accept-encoding": "identity", "origin": "https://portal.example"})
        assert response.headers["content-encoding"] == "gzip", url
        assert int(response.headers["content-length"]) < len(plain.content) / 2, url
        assert response.content == plain.content  # httpx decodes: the same body
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "content-security-policy" in response.headers
        assert response.headers["access-control-allow-origin"] == "https://portal.example"
        assert "accept-encoding" in response.headers["vary"].lower()
    small = client.get("/healthz", headers=headers)
    assert len(small.content) < GZIP_MIN_BYTES and "content-encoding" not in small.headers


def test_gzip_really_compresses_on_the_wire(client: Any) -> None:
    with client.stream("GET", "/api/search?q=人才&size=10", headers={"accept-encoding": "gzip"}) as response:
        raw = b"".join(response.iter_raw())
    assert raw[:2] == b"\x1f\x8b"
    assert gzip.decompress(raw).startswith(b'{"total":')


def test_a_body_over_the_cap_is_a_503_naming_the_limit(settings: Any) -> None:
    from dataclasses import replace

    client = TestClient(create_app(replace(settings, max_response_bytes=4_000)))
    response = client.get("/api/search", params={"q": "人才", "size": 50})
    assert response.status_code == 503
    body = response.json()
    assert body["error"] == "response_too_large" and "POLICYKB_MAX_RESPONSE_BYTES" in body["message"]
    assert response.headers["x-content-type-options"] == "nosniff"
    page = client.get("/", params={"q": "人才"})
    assert page.status_code == 503 and page.headers["content-type"].startswith("text/html")
    assert len(page.content) < 20_000 and "Traceback" not in page.text
    assert client.get("/healthz").status_code == 200  # small bodies pass
