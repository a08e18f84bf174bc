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
from search_api.index.tantivy import writer as writer_faults
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


def test_an_ingest_merges_the_segments_it_wrote(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A session whose writer flushed several segments (its heap full) merges them into one
    once committed (writer.merge_segments, Elasticsearch's forcemerge after a load), the
    files of the old ones deleted; a later session leaves the segments before it alone, so
    that their term statistics, and the scores, stay those of the files as first loaded."""
    if not hasattr(tantivy.IndexWriter, "merge_segments"):
        pytest.skip("PyPI's tantivy wheel has no merge_segments: the index keeps its segments")
    monkeypatch.setattr(writer_faults, "WRITER_HEAP", 15_000_000)  # tantivy's least
    source = tmp_path / "src"
    source.mkdir()
    for n in range(300):
        articles = "".join(
            f"第{i}条 申请人应当具有第{n}类第{i}项本科以上学历和{i + n}年工作经历。\n" for i in range(1, 31)
        )
        (source / f"{n:03}.txt").write_text(f"北京市第{n}号人才办法\n{articles}", encoding="utf-8")
    engine = TantivyEngine(tmp_path / "index")
    flushed: list[int] = []
    merge = writer_faults.merge_segments
    monkeypatch.setattr(
        writer_faults, "merge_segments", lambda w, older: (flushed.append(len(w.segment_ids())), merge(w, older))
    )
    ingest_paths(engine, [source])
    assert flushed[0] > 1  # the heap was full more than once
    engine._index.reload()  # type: ignore[attr-defined]
    assert engine._index.searcher().num_segments == 1  # type: ignore[attr-defined]
    assert len(list((tmp_path / "index").glob("*.idx"))) == 1
    searcher = Searcher(engine)
    loaded = searcher.stats()["passages"]
    assert loaded >= 300 * 30
    (source / "999.txt").write_text("北京市人才补充办法\n第一条 申请人应当具有硕士以上学历。\n", encoding="utf-8")
    ingest_paths(engine, [source])
    engine._index.reload()  # type: ignore[attr-defined]
    assert engine._index.searcher().num_segments == 2  # type: ignore[attr-defined]
    assert searcher.search(SearchRequest(query="补充办法", limit=10)).hits
    assert searcher.stats()["passages"] > loaded
