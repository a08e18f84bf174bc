"""A data node killed (SIGKILL) under searches and under an ingest, then brought back.

Each test kills one node that is not the elected master (searches need no master, and
an election on two busy cores would only add minutes), checks what a user sees, starts
the node again with ``scripts/elasticsearch.sh start --nodes 3 --secure`` and waits for
green health (bounded), whatever the outcome: the cluster is left as it was found.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from search_api.index.loading import ingest_paths
from search_api.search.searcher import Searcher
from tests.cluster.conftest import SHARDS, Cluster
from tests.conftest import REPO
from tests.contract.contract import search

pytestmark = [pytest.mark.cluster, pytest.mark.elasticsearch]

QUERIES = ("技能大师工作室申报条件", "京人社能发[2023]3号", "人才公寓", "海外高层次人才 引进", "职称评审")
YELLOW_TIMEOUT_S = 120  # until the master has dropped the dead node
INGEST_TIMEOUT_S = 900


def first_hits(backend: Searcher) -> dict[str, str]:
    return {q: search(backend, q, limit=1, facets=False).hits[0].id for q in QUERIES}


def victim(cluster: Cluster) -> str:
    """A node to kill: the last one that is not the elected master."""
    master = cluster.master()
    return [name for name in sorted(cluster.pids()) if name != master][-1]


@pytest.fixture
def restored(cluster: Cluster) -> Iterator[Cluster]:
    """The cluster green before the test, and again after it whatever happened."""
    cluster.restore()
    try:
        yield cluster
    finally:
        cluster.restore()


@pytest.fixture(scope="module")
def book(cluster: Cluster, corpus_dir: Path) -> Iterator[Searcher]:
    backend = Searcher(cluster.engine(f"policykb-cluster-loss-{uuid.uuid4().hex[:10]}"))
    assert not ingest_paths(backend.engine, [corpus_dir]).failures
    yield backend
    backend.close()
    cluster.drop(backend.engine.alias)


def test_searches_keep_answering_when_a_data_node_dies(restored: Cluster, book: Searcher) -> None:
    cluster = restored
    expected = first_hits(book)
    node = victim(cluster)
    problems: list[str] = []
    answered = 0
    stop = threading.Event()

    def searcher() -> None:
        nonlocal answered
        while not stop.is_set():
            for query, first in expected.items():
                try:
                    hits = search(book, query, limit=1, facets=False).hits
                    if not hits or hits[0].id != first:
                        problems.append(f"{query}: first hit {hits[0].id if hits else None}, not {first}")
                except Exception as exc:  # any error at all is a finding here
                    problems.append(f"{query}: {exc!r}"[:300])
                answered += 1

    thread = threading.Thread(target=searcher)
    thread.start()
    try:
        time.sleep(2)
        cluster.kill(node)
        health = cluster.wait_for("yellow", SHARDS - 1, YELLOW_TIMEOUT_S)
        before = answered
        deadline = time.monotonic() + 60
        while answered < before + 2 * len(QUERIES) and time.monotonic() < deadline:
            time.sleep(0.5)  # searches on the yellow cluster
        assert answered >= before + 2 * len(QUERIES), f"searches stalled after {node} died (health {health})"
    finally:
        stop.set()
        thread.join()
    print(f"killed {node}: {answered} searches, health {health['status']} with {health['number_of_nodes']} nodes")
    assert problems == []
    assert first_hits(book) == expected

    cluster.restore()  # the node back, every copy placed again
    assert cluster.health()["number_of_nodes"] == SHARDS
    assert first_hits(book) == expected


@pytest.fixture(scope="module")
def copies(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four copies of the book: an ingest that writes for several seconds."""
    folder = tmp_path_factory.mktemp("copies")
    [book] = sorted(corpus_dir.glob("*.txt"))
    for number in range(1, 5):
        shutil.copyfile(book, folder / f"book-{number}.txt")
    return folder


def test_ingest_when_a_node_dies_fails_in_one_line_or_completes(restored: Cluster, copies: Path) -> None:
    """The alias points at a whole index before, during and after, whatever the ingest did.

    The node dies while the new index is being written, once all its shard copies are
    active (a node lost before its replicas are copied takes primaries with it, and the
    ingest then fails after Elasticsearch waited one minute for each batch)."""
    cluster = restored
    alias = f"policykb-cluster-ingest-{uuid.uuid4().hex[:10]}"
    env = cluster.environment(POLICYKB_ES_INDEX=alias)
    command = [sys.executable, "-m", "search_api.cli", "ingest", str(copies), "--quiet"]
    try:
        assert subprocess.run(command, cwd=REPO, env=env, capture_output=True, timeout=INGEST_TIMEOUT_S).returncode == 0
        whole = cluster.alias_counts(alias)
        assert whole["complete"] and whole["passage"] > 4000 and whole["document"] > 40
        node = victim(cluster)
        pid = cluster.pids()[node]
        seen: list[dict[str, Any]] = []
        errors: list[str] = []
        stop = threading.Event()

        def watcher() -> None:
            while not stop.is_set():
                try:
                    seen.append(cluster.alias_counts(alias))
                except Exception as exc:  # a request to the dying node: not a view of the alias
                    errors.append(repr(exc)[:200])
                time.sleep(0.5)

        ingest = subprocess.Popen(
            [*command, "--force"], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        thread = threading.Thread(target=watcher)
        thread.start()
        try:
            deadline = time.monotonic() + 300
            while ingest.poll() is None:
                building = sorted(
                    set(cluster.admin.indices.get(index=f"{alias}-*").body) - set(cluster.alias_indices(alias))
                )
                if building:
                    cluster.admin.cluster.health(index=building[0], wait_for_status="green", timeout="60s")
                    break
                assert time.monotonic() < deadline, "the ingest never created its new index"
                time.sleep(0.2)
            killed = ingest.poll() is None
            if killed:
                cluster.kill(node, pid)
            _, err = ingest.communicate(timeout=INGEST_TIMEOUT_S)
        finally:
            stop.set()
            thread.join()
            if ingest.poll() is None:
                ingest.kill()
        lines = err.strip().splitlines()
        print(f"ingest exit {ingest.returncode}: {lines[-1] if lines else ''}; {len(seen)} views of the alias")
        assert killed, f"the ingest ended before {node} could be killed: {err.strip()[-300:]}"
        assert "Traceback" not in err
        if ingest.returncode == 0:
            assert lines[-1].startswith("ingested 4 files") and ", 0 failed," in lines[-1], err
        else:
            # One line naming the cause (exit 2), or the failure line and the summary
            # (exit 1): either way a single error line.
            assert ingest.returncode in (1, 2), err
            assert [line for line in lines if line.startswith("错误 error: ")] == lines[:1], err
            assert len(lines) == 1 or (len(lines) == 2 and lines[1].startswith("ingested ")), err
        # Never a partial index behind the alias (answers from every shard; a request that
        # failed on the dying node showed nothing at all).
        complete = [view for view in seen if view["complete"]]
        assert complete, f"no complete answer while the node died: {errors[-3:]}"
        assert all(view == whole for view in complete), [view for view in complete if view != whole][:3]
        assert cluster.alias_counts(alias) == whole
        assert len(cluster.alias_indices(alias)) == 1
    finally:
        cluster.drop(alias)
