"""Bad input: one line per bad file naming it and the reason, the others indexed, exit 1;
re-ingest, replacement, prune and remove."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest

from search_api.cli import main

pytest.importorskip("reportlab", reason="reportlab (test extra) renders the PDF fixtures")

from tests.ingest.pdf_render import paginate, render, render_encrypted

DATA = Path(__file__).resolve().parents[1] / "data" / "regulations"
GOOD = sorted(DATA.glob("*.txt"))


def _ingest(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = main(["ingest", *args, "--quiet"])
    return code, capsys.readouterr().err.strip().splitlines()


def _stats(capsys: pytest.CaptureFixture[str], db: str) -> dict[str, int]:
    import json

    assert main(["stats", "--db", db]) == 0
    return json.loads(capsys.readouterr().out)


def _policies(capsys: pytest.CaptureFixture[str], db: Path | str) -> list[dict[str, object]]:
    import json

    assert main(["policies", "--json", "--db", str(db)]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture()
def bad_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in GOOD:
        shutil.copy(path, folder / path.name)
    (folder / "zero.txt").write_bytes(b"")
    (folder / "blank.txt").write_text(" \n\u3000\n\n", encoding="utf-8")
    (folder / "garbage.pdf").write_bytes(bytes((i * 7919 + 13) % 256 for i in range(6000)))
    book = render(paginate(GOOD[0].read_text(encoding="utf-8"), "国徽法"), tmp_path / "whole.pdf").read_bytes()
    (folder / "truncated.pdf").write_bytes(book[: len(book) // 2])
    render_encrypted("第一条 加密文件", folder / "encrypted.pdf")
    (folder / "undecodable.txt").write_bytes(bytes((i * 7919 + 13) % 127 + 129 for i in range(4000)))
    (folder / "broken.docx").write_bytes(b"PK\x03\x04" + bytes(100))
    sentence = "本条例适用于本市行政区域内的人才引进、培养、评价、使用和服务保障工作，" * 40 + "。"
    (folder / "long_line.txt").write_text(sentence * (5_000_000 // len(sentence.encode())), encoding="utf-8")
    (folder / "dangling.txt").symlink_to(folder / "missing-target.txt")
    (folder / "locked.txt").write_text("第一条 锁住的文件。", encoding="utf-8")
    return folder


def _lock(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make locked.txt unreadable: by its mode, or for root (who reads anything) by os.access."""
    locked = folder / "locked.txt"
    if os.geteuid() != 0:
        locked.chmod(0)
        return
    real_access = os.access

    def access(path: object, mode: int, *args: object, **kwargs: object) -> bool:
        return False if Path(str(path)).name == "locked.txt" else real_access(path, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)


EXPECTED = {
    "zero.txt": "empty file (0 bytes)",
    "blank.txt": "empty file (no text)",
    "garbage.pdf": "not a PDF (no %PDF- header)",
    "truncated.pdf": "truncated PDF",
    "encrypted.pdf": "encrypted PDF (password required)",
    "undecodable.txt": "undecodable bytes",
    "broken.docx": "damaged .docx",
    "dangling.txt": "broken link",
    "locked.txt": "permission denied",
}


def test_each_bad_file_is_one_line_and_the_rest_is_indexed(
    bad_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _lock(bad_folder, monkeypatch)
    db = tmp_path / "db"
    started = time.perf_counter()
    code, lines = _ingest(capsys, str(bad_folder), "--db", str(db), "--workers", "1")
    assert time.perf_counter() - started < 120, "the 5 MB line must not stall the run"
    assert code == 1
    errors = [line for line in lines if line.startswith("错误 error:")]
    assert len(errors) == len(EXPECTED), errors
    for name, reason in EXPECTED.items():
        mine = [line for line in errors if re.search(rf"[/\\]{re.escape(name)}: ", line)]
        assert len(mine) == 1 and reason in mine[0], (name, errors)
    # The overlong line is indexed, with a warning naming the file.
    assert any("long_line.txt" in line and line.startswith("警告 warning:") for line in lines)
    titles = {record["title"] for record in _policies(capsys, db)}
    assert {"中华人民共和国国徽法", "重庆市长江防护林体系管理条例"} <= titles
    assert len(titles) == len(GOOD) + 1  # the long line is one more document


def test_parallel_run_reports_the_same_failures(
    bad_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (bad_folder / "long_line.txt").unlink()
    (bad_folder / "locked.txt").unlink()
    code, lines = _ingest(capsys, str(bad_folder), "--db", str(tmp_path / "db"), "--workers", "2")
    assert code == 1
    failed = {line.split(": ")[1].rsplit("/", 1)[-1] for line in lines if line.startswith("错误")}
    assert failed == set(EXPECTED) - {"locked.txt"}


def test_missing_path_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = _ingest(capsys, str(tmp_path / "nope"), "--db", str(tmp_path / "db"))
    assert code == 1
    assert lines[0] == f"错误 error: {tmp_path / 'nope'}: no such file or folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists any folder: an unlistable folder cannot be made")
def test_unlistable_folder_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    shutil.copy(GOOD[0], folder / GOOD[0].name)
    (folder / "locked").chmod(0)
    try:
        code, lines = _ingest(capsys, str(folder), "--db", str(tmp_path / "db"))
    finally:
        (folder / "locked").chmod(0o755)
    assert code == 1
    assert any("locked: cannot list folder" in line for line in lines)


def test_reingest_replace_prune_and_remove(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in GOOD:
        shutil.copy(path, folder / path.name)
    db = str(tmp_path / "db")
    assert _ingest(capsys, str(folder), "--db", db)[0] == 0
    before = _policies(capsys, db)
    passages_before = _stats(capsys, db)["passages"]
    # Unchanged: nothing is parsed or written.
    code, lines = _ingest(capsys, str(folder), "--db", db)
    assert code == 0 and lines == [f"nothing to do: {len(GOOD)} files unchanged"]
    assert _policies(capsys, db) == before
    # Changed: the new text replaces every old passage of that file (one article more,
    # so one passage more: stale passages would double the file's count).
    target = folder / GOOD[0].name
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("第十九条", "第十九条 新增的测试条文。\n\n第二十条"), encoding="utf-8")
    assert _ingest(capsys, str(folder), "--db", db)[0] == 0
    records = {r["title"]: r for r in _policies(capsys, db)}
    assert records["中华人民共和国国徽法"]["articles"] == 20
    assert _stats(capsys, db)["passages"] == passages_before + 1
    # Deleted: --prune removes it; `remove` removes a named source.
    (folder / GOOD[1].name).unlink()
    code, lines = _ingest(capsys, str(folder), "--db", db, "--prune")
    assert code == 0 and "1 removed" in lines[-1]
    assert len(_policies(capsys, db)) == len(GOOD) - 1
    assert main(["remove", GOOD[0].name, "--db", db]) == 0
    capsys.readouterr()
    assert [r["title"] for r in _policies(capsys, db)] == ["重庆市长江防护林体系管理条例"]
    assert main(["remove", "no-such-file.txt", "--db", db]) == 1
    assert "not an indexed source" in capsys.readouterr().err
