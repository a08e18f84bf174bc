"""Two writers on one embedded index: the second says so in one line and changes nothing.

tantivy lets one process hold an index's writer; ``policykb ingest`` in a second process
used to die with ``ValueError: LockBusy`` and a traceback. The loader turns it into
:class:`~search_api.errors.IndexBusy` (exit 1, one line), and a session that fails
deletes the segment files it wrote (``garbage_collect_files``), so the next ingest works.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from search_api.index.loading import ingest_paths
from search_api.index.tantivy.engine import TantivyEngine
from search_api.search.searcher import Searcher

TEXT = "北京市人才公寓管理办法\n第一条 为了规范人才公寓管理，制定本办法。\n第二条 申请人应当具有本科以上学历。\n"


def test_a_second_ingest_says_another_is_running(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.txt").write_text(TEXT, encoding="utf-8")
    backend = Searcher(TantivyEngine(tmp_path / "index"))
    ingest_paths(backend.engine, [source])
    before = backend.stats()["passages"]
    holder = backend.engine._index.writer()  # type: ignore[attr-defined]  # another process's ingest
    try:
        done = subprocess.run(
            [sys.executable, "-m", "search_api.cli", "ingest", str(source), "--force", "--quiet",
             "--db", str(tmp_path / "index")],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    finally:
        holder.rollback()
        del holder
    assert done.returncode == 1, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert "Traceback" not in done.stderr
    assert any("另一个导入正在进行" in line for line in lines), lines
    assert backend.stats()["passages"] == before


def test_a_failed_session_leaves_no_segment_files(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.txt").write_text(TEXT, encoding="utf-8")
    engine = TantivyEngine(tmp_path / "index")
    ingest_paths(engine, [source])
    files = sorted(p.name for p in (tmp_path / "index").iterdir())
    loader = engine.begin_load([])
    (source / "b.txt").write_text(TEXT.replace("人才公寓", "技能大师"), encoding="utf-8")
    from ingest.pipeline import segment_file

    parsed = segment_file(source / "b.txt", (source / "b.txt").read_bytes(), "b.txt")
    loader.add(engine.prepare(parsed.documents), sources={"b.txt": "x"})
    loader.abort()
    assert sorted(p.name for p in (tmp_path / "index").iterdir()) == files
