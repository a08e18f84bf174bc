"""Disk full during an ingest: one line, exit 1, no orphaned files, and the next ingest works.

The issue's run ended in a traceback and left 17.5 MB of segment files no commit refers
to, so every later ingest failed until someone deleted them. Here the book is ingested
into an index on a tmpfs too small for it, with the disk filling at two moments: while
the indexing thread flushes a segment (tantivy then only says that its writer was
killed) and while a larger part has been written. The failed session must leave the
index folder exactly as it was (``garbage_collect_files`` on discard), say so in one
line, and once the disk is grown the same command must succeed with no clean-up.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.reliability.faults import GOOD, cli, remount, tmpfs

BOOK = REPO / "corpus"  # its index takes about 3 MB


def _passages(db: Path) -> int:
    done = cli("stats", "--db", str(db))
    assert done.returncode == 0, done.stderr
    return int(json.loads(done.stdout)["passages"])


def _files(db: Path) -> dict[str, int]:
    return {path.name: path.stat().st_size for path in db.iterdir()}


@pytest.mark.parametrize("size", ["300k", "1m"])
def test_a_full_disk_is_one_line_and_leaves_the_index_as_it_was(tmp_path: Path, size: str) -> None:
    with tmpfs(tmp_path / "disk", size) as disk:
        db = disk / "index"
        assert cli("ingest", str(GOOD), "--db", str(db), "--quiet").returncode == 0
        before, passages = _files(db), _passages(db)

        done = cli("ingest", str(BOOK), "--db", str(db), "--quiet", "--workers", "1")
        assert done.returncode == 1
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
        assert lines[0].startswith("错误 error: 磁盘空间不足 (no space left on device)"), lines
        assert "the index was not changed" in lines[0]
        assert _files(db) == before  # no segment file of the failed session is left
        assert _passages(db) == passages

        remount(disk, "size=16m")
        done = cli("ingest", str(BOOK), "--db", str(db), "--quiet", "--workers", "1")
        assert done.returncode == 0, done.stderr
        assert _passages(db) > passages + 1000
