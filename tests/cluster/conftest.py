"""The secure three-node cluster of ``scripts/elasticsearch.sh start --nodes 3 --secure``.

    ES_PORT=9600 POLICYKB_ES_BASE=/var/lib/policykb-es-cluster scripts/elasticsearch.sh start --nodes 3 --secure
    POLICYKB_ES_CLUSTER_ENV=/var/lib/policykb-es-cluster/cluster.env .venv/bin/python -m pytest tests/cluster

``POLICYKB_ES_CLUSTER_ENV`` names the ``cluster.env`` the script writes (the base's or the
cluster folder's): the https URLs, the API key limited to ``policykb*`` and the CA. The
tests connect with exactly these, build their indices with 3 shards and 1 replica, and
some kill a node and bring it back with the same script (``ES_PORT`` is the port of the
first URL; ``POLICYKB_ES_BASE`` the folder of the file, or its parent for a
``cluster-PORT`` folder). Without the variable every test here is skipped with a one-line
reason; with it and ``CI=true``, a cluster that does not answer fails them.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from elasticsearch import NotFoundError

from search_api.errors import PolicyKBError
from search_api.index.elasticsearch.connection import EsConnection
from search_api.index.elasticsearch.engine import ElasticsearchEngine
from search_api.search.searcher import Searcher
from search_api.settings import Settings, read_env_file
from tests.conftest import REPO
from tests.parsed_folders import load_folder

SHARDS = 3
REPLICAS = 1
# A busy two-core machine answers slowly while shards move: more than the 10 s default.
TIMEOUT_S = 60
START_TIMEOUT_S = 900  # scripts/elasticsearch.sh start: JVM start-up on busy cores
GREEN_TIMEOUT_S = 300  # after the start: replicas copied back
SCRIPT = REPO / "scripts" / "elasticsearch.sh"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "cluster: needs the secure 3-node cluster named by POLICYKB_ES_CLUSTER_ENV (tests/cluster)"
    )


@dataclass
class Cluster:
    """The cluster as the tests see it: its connection lines and the script that runs it."""

    env_file: Path
    values: dict[str, str]
    port: int
    base: Path
    _clients: list[ElasticsearchEngine] = field(default_factory=list)

    # ------------------------------------------------------------------ connecting

    @property
    def api_key(self) -> str:
        return self.values["POLICYKB_ES_API_KEY"]

    def environment(self, **changes: str) -> dict[str, str]:
        """The process environment for a ``policykb`` command on the cluster."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYKB_ES_")}
        env.update(self.values)
        env.update(
            POLICYKB_ES_SHARDS=str(SHARDS), POLICYKB_ES_REPLICAS=str(REPLICAS), POLICYKB_ES_TIMEOUT=str(TIMEOUT_S)
        )
        env.update(changes)
        return env

    def connection(self, **changes: Any) -> EsConnection:
        settings: dict[str, Any] = {
            "es_url": self.values["POLICYKB_ES_URL"],
            "es_api_key": self.api_key,
            "es_user": None,
            "es_password": None,
            "es_ca_certs": self.values["POLICYKB_ES_CA_CERTS"],
            "es_ssl_fingerprint": None,
            "es_retries": None,
            "es_timeout_s": TIMEOUT_S,
        }
        settings.update(changes)
        return EsConnection.from_settings(Settings(**settings))

    def engine(self, alias: str, shards: int = SHARDS) -> ElasticsearchEngine:
        """An engine on ``alias`` that builds indices of ``shards`` shards with 1 replica."""
        return ElasticsearchEngine(self.connection(), index=alias, shards=shards, replicas=REPLICAS)

    @property
    def admin(self) -> Any:
        """A client with the API key (policykb* indices, cluster monitor) for checks."""
        if not self._clients:
            self._clients.append(self.engine("policykb-cluster-checks"))
        return self._clients[0].versions.client

    def close(self) -> None:
        for engine in self._clients:
            engine.close()
        self._clients.clear()

    # ------------------------------------------------------------------ state

    def health(self, timeout: str = "5s") -> dict[str, Any]:
        return dict(self.admin.cluster.health(timeout=timeout).body)

    def alias_counts(self, alias: str) -> dict[str, Any]:
        """Records of each type behind the alias, and whether every shard answered."""
        body = {"size": 0, "aggs": {"types": {"terms": {"field": "record_type", "size": 10}}}}
        answer = self.admin.search(index=alias, body=body)
        buckets = answer["aggregations"]["types"]["buckets"]
        counts: dict[str, Any] = {b["key"]: int(b["doc_count"]) for b in buckets}
        counts["complete"] = answer["_shards"]["failed"] == 0
        return counts

    def alias_indices(self, alias: str) -> list[str]:
        """The indices the alias points at (none before the first ingest)."""
        try:
            return sorted(self.admin.indices.get_alias(name=alias).body)
        except NotFoundError:
            return []

    def drop(self, alias: str) -> None:
        """Delete every index built behind ``alias`` (concrete names: no wildcard deletes)."""
        names = list(self.admin.indices.get(index=f"{alias}-*", allow_no_indices=True).body)
        if names:
            self.admin.indices.delete(index=",".join(names))

    # ------------------------------------------------------------------ nodes

    def script(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "ES_PORT": str(self.port), "POLICYKB_ES_BASE": str(self.base)}
        return subprocess.run([str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=timeout)

    def pids(self) -> dict[str, int]:
        """Node name -> pid of each running node (``elasticsearch.sh status``)."""
        out = self.script("status").stdout
        return {m.group(1): int(m.group(2)) for m in re.finditer(r"^(node-\d+) \S+ .* pid (\d+)$", out, re.M)}

    def master(self) -> str:
        return str(self.admin.cat.master(format="json")[0]["node"])

    def kill(self, node: str, pid: int | None = None) -> int:
        """SIGKILL ``node`` (its ``pid`` if known) and wait until the process is gone; its pid."""
        pid = pid or self.pids()[node]
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while Path(f"/proc/{pid}").exists() and _state(pid) != "Z":
            assert time.monotonic() < deadline, f"{node} (pid {pid}) still runs after SIGKILL"
            time.sleep(0.2)
        return pid

    def wait_for(self, status: str, nodes: int, timeout: float) -> dict[str, Any]:
        """Health ``status`` (or better, for yellow) with ``nodes`` nodes, within ``timeout`` s."""
        accepted = {"green": {"green"}, "yellow": {"yellow"}}[status]
        deadline = time.monotonic() + timeout
        seen: dict[str, Any] = {}
        while time.monotonic() < deadline:
            try:
                seen = self.health()
            except PolicyKBError as exc:
                seen = {"error": str(exc)}
            except Exception as exc:  # the client while a node dies: try again
                seen = {"error": repr(exc)[:200]}
            if seen.get("status") in accepted and seen.get("number_of_nodes") == nodes:
                return seen
            time.sleep(1)
        raise AssertionError(f"no {status} health with {nodes} nodes within {timeout:g}s: {seen}")

    def restore(self) -> None:
        """Every node running and health green (start brings back a missing node)."""
        if len(self.pids()) < SHARDS or self.health().get("status") != "green":
            started = self.script("start", "--nodes", str(SHARDS), "--secure", timeout=START_TIMEOUT_S)
            assert started.returncode == 0, f"cluster did not start again: {started.stderr.strip()[-500:]}"
        self.wait_for("green", SHARDS, GREEN_TIMEOUT_S)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "gone"


def _unusable(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    where = os.environ.get("POLICYKB_ES_CLUSTER_ENV")
    if not where:
        pytest.skip(
            "no cluster: set POLICYKB_ES_CLUSTER_ENV to the cluster.env of `elasticsearch.sh start --nodes 3 --secure`"
        )
    path = Path(where)
    if not path.is_file():
        _unusable(f"no cluster: {path} (POLICYKB_ES_CLUSTER_ENV) does not exist")
    values = read_env_file(path)
    urls = values.get("POLICYKB_ES_URL", "").split(",")
    if not (
        urls[0].startswith("https://") and values.get("POLICYKB_ES_API_KEY") and values.get("POLICYKB_ES_CA_CERTS")
    ):
        _unusable(f"no secure cluster: {path} lacks an https:// URL, POLICYKB_ES_API_KEY or POLICYKB_ES_CA_CERTS")
    if len(urls) != SHARDS:
        _unusable(f"{path} lists {len(urls)} nodes, these tests need a cluster of {SHARDS}")
    folder = path.resolve().parent
    base = folder.parent if re.fullmatch(r"cluster-\d+", folder.name) else folder
    found = Cluster(path, values, urlsplit(urls[0]).port or 443, base)
    try:
        health = found.health()
    except PolicyKBError as exc:
        found.close()
        _unusable(f"cluster of {path} not usable: {exc}")
    if health.get("number_of_nodes") != SHARDS or health.get("status") == "red":
        found.close()
        _unusable(f"cluster of {path} not usable: {health.get('number_of_nodes')} nodes, {health.get('status')}")
    yield found
    found.close()


@pytest.fixture(scope="session")
def book_cluster(cluster: Cluster, corpus_dir: Path) -> Iterator[Searcher]:
    """The book on the cluster: 3 shards, 1 replica."""
    backend = Searcher(cluster.engine(f"policykb-cluster-book-{uuid.uuid4().hex[:10]}"))
    report = load_folder(backend.engine, corpus_dir)
    assert not report.failures, report.failures
    yield backend
    backend.close()
    cluster.drop(backend.engine.alias)


@pytest.fixture(scope="session")
def book_one_shard(cluster: Cluster, corpus_dir: Path) -> Iterator[Searcher]:
    """The book on the cluster in one shard (1 replica): the ranking to match."""
    backend = Searcher(cluster.engine(f"policykb-cluster-book1-{uuid.uuid4().hex[:10]}", shards=1))
    report = load_folder(backend.engine, corpus_dir)
    assert not report.failures, report.failures
    yield backend
    backend.close()
    cluster.drop(backend.engine.alias)
