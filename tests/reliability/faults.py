"""What the fault tests share: a one-policy corpus and its index, the real CLI in a
subprocess, and small filesystems (a tmpfs of a given size, later grown or made read-only).

Only root can mount; elsewhere, or where ``mount`` fails (a container without the
capability), a test that needs a mount is skipped with a one-line reason.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from search_api.index.loading import ingest_paths
from search_api.index.tantivy.engine import TantivyEngine
from tests.conftest import REPO

GOOD = REPO / "tests" / "data" / "hostile" / "good_policy.txt"


def one_policy(folder: Path) -> tuple[Path, Path]:
    """``folder``/corpus holding one policy file, and ``folder``/index holding it ingested."""
    corpus, index = folder / "corpus", folder / "index"
    corpus.mkdir()
    shutil.copy(GOOD, corpus / "policy.txt")
    engine = TantivyEngine(index)
    assert not ingest_paths(engine, [corpus], workers=1).failures
    engine.close()
    return corpus, index


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``policykb ARGS`` in a process of its own, from the repo, output captured."""
    command = [sys.executable, "-m", "search_api.cli", *args]
    environment = {**os.environ, **(env or {})}
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300, env=environment)


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def search_total(base_url: str, query: str) -> int:
    """The ``total`` of ``/api/search?q=query`` on a running server."""
    url = f"{base_url}/api/search?q={urllib.parse.quote(query)}"
    with urllib.request.urlopen(url, timeout=30) as response:
        return int(json.loads(response.read())["total"])


@contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` (mount's syntax: 300k, 1m) mounted on ``where`` for the block."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    where.mkdir(parents=True, exist_ok=True)
    done = _run("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where))
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {(done.stderr.strip().splitlines() or ['?'])[0]}")
    try:
        yield where
    finally:
        _run("umount", "-l", str(where))  # lazy: a server still holding a file does not keep it


def remount(where: Path, options: str) -> None:
    """Change a mounted tmpfs's options (``size=16m``, ``ro``)."""
    done = _run("mount", "-o", f"remount,{options}", str(where))
    assert done.returncode == 0, done.stderr
