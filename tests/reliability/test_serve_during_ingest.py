"""``serve`` while another process writes the index: it starts and serves the last commit.

tantivy lets one process hold an index's writer. ``serve --no-ingest`` only reads; plain
``serve`` refreshes its corpus first, and when the writer is taken it must say so in one
line and serve what is committed, not die. The writer is now taken when a load session
begins, so the refresh (or a second ``ingest``) learns it before parsing any file.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from search_api.errors import IndexBusy
from search_api.index.tantivy.engine import TantivyEngine
from tests.reliability.faults import one_policy, search_total
from tests.reliability.server import serving

NEW_WORD = "鸬鹚"  # only in the changed file, which is never committed here
HOLD_WRITER = """
import sys, time, tantivy
writer = tantivy.Index.open(sys.argv[1]).writer(heap_size=15_000_000, num_threads=1)
print("held", flush=True)
time.sleep(600)
"""


@pytest.fixture()
def made(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A one-policy corpus and its index, whose writer another process holds for the test."""
    corpus, index = one_policy(tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_WRITER, str(index)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield corpus, index
    finally:
        holder.kill()
        holder.wait(timeout=30)


def test_a_load_session_stops_at_once_when_another_process_writes(made: tuple[Path, Path]) -> None:
    with pytest.raises(IndexBusy, match="另一个导入正在进行"):
        TantivyEngine(made[1], create=False).begin_load([])


def test_serve_starts_and_serves_the_last_commit_while_another_process_writes(made: tuple[Path, Path]) -> None:
    corpus, busy_index = made
    with serving("--db", str(busy_index)) as server:
        assert search_total(server.url, "人才") > 0
        assert not [line for line in server.log_text().splitlines() if line.startswith(("警告", "错误"))]
    policy = corpus / "policy.txt"
    policy.write_text(policy.read_text(encoding="utf-8") + f"\n第九条 {NEW_WORD}条款。\n", encoding="utf-8")
    with serving("--db", str(busy_index), corpus=corpus) as server:
        assert search_total(server.url, "人才") > 0 and search_total(server.url, NEW_WORD) == 0
        log = server.log_text()
        warnings = [line for line in log.splitlines() if line.startswith(("警告", "错误"))]
        assert warnings == [
            "警告 warning: 另一个导入正在进行 (another ingest is writing this index): wait for it to end; "
            "serving the index as last committed"
        ]
        assert "Traceback" not in log
