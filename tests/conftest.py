"""Shared fixtures: repository paths, the book, the judged queries, ../shared corpora."""

from __future__ import annotations

import json
import os
import tarfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
DATA = Path(__file__).resolve().parent / "data"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def book_path() -> Path:
    books = sorted(CORPUS.glob("*.txt"))
    assert books, "corpus/ holds the book"
    return books[0]


@pytest.fixture(scope="session")
def dev_queries() -> list[dict[str, Any]]:
    lines = (DATA / "queries-dev.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="session")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's tantivy index of the book plus a hostile document (tests/api/index.py)."""
    from tests.api.index import shared_index

    return shared_index(tmp_path_factory)


@pytest.fixture(scope="session")
def settings(index_path: Path) -> Any:
    from search_api.settings import load_settings

    return load_settings(db_path=index_path, es_url="")


@pytest.fixture(scope="session")
def client(settings: Any) -> Iterator[Any]:
    """The app on the shared index, in-process (tests/api and tests/web)."""
    import warnings

    from search_api.http.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's notice about httpx vs httpx2
        from fastapi.testclient import TestClient

    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: large shared corpora not available")
    return SHARED


@pytest.fixture(scope="session")
def regulations_archive(shared_dir: Path) -> Path:
    """The archive of laws and regulations (skipped when absent)."""
    archive = shared_dir / "corpora" / "regulations.tar.gz"
    if not archive.is_file():
        pytest.skip(f"{archive} is absent")
    return archive


def extract_files(archive: Path, names: set[str], target: Path) -> None:
    """The members of ``archive`` named in ``names`` (each must be there), extracted into
    ``target`` in one pass over the gzip stream."""
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if m.name in names]
        tar.extractall(target, members=members, filter="data")
    assert len(members) == len(names), sorted(names - {m.name for m in members})


@pytest.fixture(scope="session")
def extra_regulations(regulations_archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files of the regulations judged set (tests/relevance/test_extra_sets.py),
    extracted once for every engine that indexes them."""
    from tests.relevance.test_extra_sets import REGULATIONS

    target = tmp_path_factory.mktemp("regulations")
    extract_files(regulations_archive, set(REGULATIONS), target)
    return target / "regulations"


DEFAULT_URL = "http://127.0.0.1:9200"


def _unreachable_reason(url: str) -> str | None:
    """None when the node answers a health request; else why not, in one line."""
    try:
        # Not `GET /`: the integ-test distribution has no rest-root module (405 there).
        with urllib.request.urlopen(f"{url.rstrip('/')}/_cluster/health", timeout=3) as response:
            status = json.load(response).get("status")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return str(getattr(exc, "reason", exc))
    return None if status in ("green", "yellow") else f"cluster health is {status}"


@pytest.fixture(scope="session")
def es_url() -> str:
    """URL of a running node (POLICYKB_ES_URL); CI=true turns a missing node into a failure."""
    url = os.environ.get("POLICYKB_ES_URL") or DEFAULT_URL
    reason = _unreachable_reason(url)
    if reason is not None:
        message = f"no Elasticsearch at {url} ({reason}); start one with scripts/elasticsearch.sh start"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return url


def drop_es_indices(es_url: str, alias: str) -> None:
    """Delete every index behind a test alias (and close nothing else).

    Concrete names, not a wildcard: nodes default to action.destructive_requires_name.
    """
    from search_api.index.elasticsearch.engine import ElasticsearchEngine

    engine = ElasticsearchEngine(es_url, index=alias)
    try:
        client = engine.versions.client
        names = list(client.indices.get(index=f"{alias}-*", allow_no_indices=True).body)
        if names:
            client.indices.delete(index=",".join(names))
    finally:
        engine.close()
