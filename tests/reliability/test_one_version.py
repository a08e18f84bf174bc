"""An ingest is one version to a reader, across all its sources, also after kill -9.

Version 1 committed once per batch, so a killed re-ingest of many files left some
sources new and the rest old (400 of 1,201 in the issue's run). The embedded loader now
writes one session and commits once at its end (``search_api/index/tantivy/load.py``):
here 60 sources are re-ingested from version "kestrel" to version "walrus" (a word each
version's text holds) and killed at several moments; after each kill, and while the
ingest runs, every reader must see one version only, never a mix.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from search_api.index.loading import ingest_paths
from search_api.index.tantivy.engine import TantivyEngine
from search_api.search.searcher import Searcher
from search_api.search.types import SearchRequest
from tests.conftest import REPO

SOURCES = 60
KILL_AFTER_S = (0.5, 1.5, 2.5, 4.0)


def write_sources(folder: Path, version: str) -> None:
    folder.mkdir(exist_ok=True)
    for n in range(SOURCES):
        articles = "\n".join(
            f"第{k}条 {version}版本第{n}号办法的第{k}条，规定人才公寓的申请条件。" for k in range(1, 30)
        )
        (folder / f"policy-{n:03d}.txt").write_text(f"北京市第{n}号人才办法\n{articles}\n", encoding="utf-8")


def versions_seen(index: Path) -> set[str]:
    backend = Searcher(TantivyEngine(index, create=False))
    try:
        seen = set()
        for version in ("kestrel", "walrus"):
            hits = backend.search(SearchRequest(query=version, limit=1, facets=False)).total
            if hits:
                seen.add(version)
        return seen
    finally:
        backend.close()


def test_killed_reingest_leaves_one_version(tmp_path: Path) -> None:
    folder, index = tmp_path / "src", tmp_path / "index"
    write_sources(folder, "kestrel")
    ingest_paths(TantivyEngine(index), [folder])
    write_sources(folder, "walrus")
    command = [sys.executable, "-m", "search_api.cli", "ingest", str(folder), "--quiet", "--workers", "1"]
    command += ["--db", str(index)]
    for seconds in KILL_AFTER_S:
        process = subprocess.Popen(command, cwd=REPO, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and process.poll() is None:
            assert len(versions_seen(index)) == 1  # a reader during the ingest
            time.sleep(0.1)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        seen = versions_seen(index)
        assert len(seen) == 1, f"killed after {seconds}s: a reader sees {seen}"
        if seen == {"walrus"}:
            break  # the ingest committed before the kill: the new version, whole
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert versions_seen(index) == {"walrus"}
