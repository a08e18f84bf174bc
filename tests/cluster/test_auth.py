"""A wrong API key on the cluster: a one-line CLI error and /readyz 503, no secret shown."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests.cluster.conftest import Cluster
from tests.conftest import REPO
from tests.reliability.server import running_server

pytestmark = [pytest.mark.cluster, pytest.mark.elasticsearch]


def wrong_key(cluster: Cluster) -> str:
    """The cluster's key id with a wrong secret, encoded as Elasticsearch hands keys out."""
    key_id = base64.b64decode(cluster.api_key).decode().partition(":")[0]
    return base64.b64encode(f"{key_id}:{'x' * 22}".encode()).decode()


def secrets(cluster: Cluster, key: str) -> list[str]:
    """Every text form of the real and the wrong key that must never show."""
    found = []
    for encoded in (cluster.api_key, key):
        decoded = base64.b64decode(encoded).decode()
        found += [encoded, decoded, decoded.partition(":")[2]]
    return found


def expected_message(cluster: Cluster) -> str:
    return f"Elasticsearch at {cluster.connection().where} rejected the credentials (401): check POLICYKB_ES_API_KEY"


def test_stats_with_a_wrong_api_key_is_one_line_exit_2(cluster: Cluster) -> None:
    key = wrong_key(cluster)
    env = cluster.environment(POLICYKB_ES_API_KEY=key)
    command = [sys.executable, "-m", "search_api.cli", "stats"]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [f"错误 error: {expected_message(cluster)}"]
    for secret in secrets(cluster, key):
        assert secret not in done.stderr


def test_readyz_with_a_wrong_api_key_is_503_naming_the_cause(cluster: Cluster) -> None:
    key = wrong_key(cluster)
    with running_server(env=cluster.environment(POLICYKB_ES_API_KEY=key)) as base:
        for path in ("/readyz", "/api/search?q=%E4%BA%BA%E6%89%8D"):
            try:
                urllib.request.urlopen(f"{base}{path}", timeout=60).close()
                raise AssertionError(f"{path} answered 200 with a wrong API key")
            except urllib.error.HTTPError as exc:
                status, text = exc.code, exc.read().decode()
            assert status == 503, path
            assert expected_message(cluster) in json.loads(text)["message"], text
            for secret in secrets(cluster, key):
                assert secret not in text
