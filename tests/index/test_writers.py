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

import pytest
import tantivy

from search_api.index.loading import ingest_paths
from search_api.index.tantivy.engine import TantivyEngine
from search_api.search.searcher import Searcher
from search_api.search.types import SearchRequest

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


def test_each_ingest_leaves_one_segment_and_no_stale_files(tmp_path: Path) -> None:
    """A session commits and then merges the index into one segment (writer.merge_segments,
    Elasticsearch's forcemerge after a load), the old segments' files deleted: a second
    ingest that keeps a file, replaces one and adds one leaves one segment whose records
    are those of the files, nothing lost or left twice."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.txt").write_text(TEXT, encoding="utf-8")
    if not hasattr(tantivy.IndexWriter, "merge_segments"):
        pytest.skip("PyPI's tantivy wheel has no merge_segments: the index keeps its segments")
    (source / "c.txt").write_text(TEXT.replace("人才公寓", "技能大师"), encoding="utf-8")
    engine = TantivyEngine(tmp_path / "index")
    ingest_paths(engine, [source])
    (source / "a.txt").write_text(TEXT.replace("本科", "硕士"), encoding="utf-8")
    (source / "b.txt").write_text(TEXT.replace("人才公寓", "人才住房"), encoding="utf-8")  # c.txt unchanged
    ingest_paths(engine, [source])
    searcher = Searcher(engine)
    assert engine._index.searcher().num_segments == 1  # type: ignore[attr-defined]
    segment_files = {p.stem for p in (tmp_path / "index").glob("*.idx")}
    assert len(segment_files) == 1, segment_files
    texts = [hit.text for hit in searcher.search(SearchRequest(query="学历", limit=10)).hits]
    assert sorted(texts) == ["第二条 申请人应当具有本科以上学历。"] * 2 + ["第二条 申请人应当具有硕士以上学历。"], texts
