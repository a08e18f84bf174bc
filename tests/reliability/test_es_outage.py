"""Elasticsearch stopped under a running server: 503 JSON in time, recovery without restart.

The test runs its own node (another port, its own data folder) through the repo's
script, so stopping it cannot disturb the node the other tests use.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest

from tests.conftest import REPO
from tests.reliability.server import free_port, get_status, running_server

TIMEOUT_S = 2  # POLICYKB_ES_TIMEOUT given to the server


def node(action: str, port: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ES_PORT": str(port)}
    return subprocess.run(
        [str(REPO / "scripts" / "elasticsearch.sh"), action], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def own_node(es_url: str) -> Iterator[str]:
    """A second node for this test alone; es_url (the shared node) proves the machine can run one."""
    port = free_port()
    started = node("start", port)
    if started.returncode != 0:
        message = f"second Elasticsearch node did not start: {started.stdout}{started.stderr}".strip()
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        node("stop", port)


def search_once(base: str) -> tuple[int, dict[str, object], float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(f"{base}/api/search?q=%E4%BA%BA%E6%89%8D", timeout=30) as response:
            return int(response.status), json.load(response), time.monotonic() - started
    except urllib.error.HTTPError as exc:
        return int(exc.code), json.load(exc), time.monotonic() - started


def test_outage_and_recovery(own_node: str) -> None:
    port = int(own_node.rsplit(":", 1)[1])
    ingest = [sys.executable, "-m", "search_api.cli", "ingest", "corpus/", "--es", own_node, "--quiet"]
    assert subprocess.run(ingest, cwd=REPO, capture_output=True).returncode == 0
    env = {"POLICYKB_ES_TIMEOUT": str(TIMEOUT_S)}
    with running_server("--es", own_node, env=env) as base:
        status, body, _ = search_once(base)
        assert status == 200 and body["total"]
        assert get_status(f"{base}/readyz") == 200

        assert node("stop", port).returncode == 0
        status, body, elapsed = search_once(base)
        assert status == 503 and body["error"] == "engine_unavailable"
        assert own_node in str(body["message"])
        assert elapsed <= TIMEOUT_S + 1.5
        assert get_status(f"{base}/readyz") == 503

        assert node("start", port).returncode == 0
        deadline = time.monotonic() + 60
        while get_status(f"{base}/readyz") != 200:
            assert time.monotonic() < deadline, "server did not recover after the node came back"
            time.sleep(0.5)
        status, body, _ = search_once(base)
        assert status == 200 and body["total"]
