"""An ingest killed with SIGKILL at any moment leaves the previous index complete."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from search_api.search.searcher import open_searcher
from search_api.search.types import SearchRequest
from search_api.settings import load_settings
from tests.conftest import REPO, drop_es_indices

# Moments to kill at: while importing, parsing, enriching and writing the index.
KILL_AFTER_S = (0.8, 1.8, 2.6, 3.2, 4.0)


def ingest_command(*engine: str) -> list[str]:
    return [sys.executable, "-m", "search_api.cli", "ingest", "corpus/", "--force", "--quiet", *engine]


def kill_after(command: list[str], seconds: float, env: dict[str, str]) -> None:
    process = subprocess.Popen(command, cwd=REPO, env={**os.environ, **env}, stderr=subprocess.DEVNULL)
    time.sleep(seconds)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)


def check_intact(settings_kwargs: dict[str, str], expected_passages: int) -> None:
    backend = open_searcher(load_settings(**settings_kwargs))
    assert backend.stats()["passages"] == expected_passages
    top = backend.search(SearchRequest(query="技能大师工作室申报条件", limit=1)).hits[0]
    assert top.citation.startswith("《北京市技能大师工作室建设管理办法》第四条")
    assert len(backend.policies()) == 22


def run_kills(engine: list[str], settings_kwargs: dict[str, str], env: dict[str, str]) -> None:
    done = subprocess.run(ingest_command(*engine), cwd=REPO, env={**os.environ, **env}, capture_output=True)
    assert done.returncode == 0, done.stderr
    expected = open_searcher(load_settings(**settings_kwargs)).stats()["passages"]
    for seconds in KILL_AFTER_S:
        kill_after(ingest_command(*engine), seconds, env)
        check_intact(settings_kwargs, expected)
    # And the next ingest after all that still works.
    done = subprocess.run(ingest_command(*engine), cwd=REPO, env={**os.environ, **env}, capture_output=True)
    assert done.returncode == 0, done.stderr
    check_intact(settings_kwargs, expected)


def test_killed_ingest_embedded(tmp_path: Path) -> None:
    db = str(tmp_path / "index")
    run_kills(["--db", db], {"db_path": db}, {})


def test_killed_ingest_elasticsearch(es_url: str) -> None:
    index = f"policykb-kill-{uuid.uuid4().hex[:8]}"
    env = {"POLICYKB_ES_INDEX": index}
    os.environ["POLICYKB_ES_INDEX"] = index
    try:
        run_kills(["--es", es_url], {"es_url": es_url}, env)
    finally:
        del os.environ["POLICYKB_ES_INDEX"]
        drop_es_indices(es_url, index)
