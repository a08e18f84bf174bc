"""What a source is: a file known by where it really is and by its content.

The same file reached through another root folder, a symlink or twice in one command is
indexed once; links to nothing and symlink loops are one error line each, named on the
command line or found in a folder; a run that does nothing says so.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from search_api.cli import main

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile"
GOOD = HOSTILE / "good_policy.txt"
TITLE = "某市促进人才发展若干规定"


def _ingest(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = main(["ingest", *args, "--quiet", "--workers", "1"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.err.splitlines()


def _titles(capsys: pytest.CaptureFixture[str], db: str) -> list[str]:
    assert main(["policies", "--json", "--db", db]) == 0
    return sorted(record["title"] for record in json.loads(capsys.readouterr().out))


def _passages(capsys: pytest.CaptureFixture[str], db: str) -> int:
    assert main(["stats", "--db", db]) == 0
    return int(json.loads(capsys.readouterr().out)["passages"])


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    """top/sub/policy.txt and top/other.txt."""
    (tmp_path / "top" / "sub").mkdir(parents=True)
    shutil.copy(GOOD, tmp_path / "top" / "sub" / "policy.txt")
    text = GOOD.read_text(encoding="utf-8").replace("某市促进人才发展若干规定", "某市另一项规定")
    (tmp_path / "top" / "other.txt").write_text(text, encoding="utf-8")
    return tmp_path / "top"


def test_the_same_file_through_another_root_is_indexed_once(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "db")
    assert _ingest(capsys, str(tree), "--db", db)[0] == 0
    titles, passages = _titles(capsys, db), _passages(capsys, db)
    assert titles == sorted(["某市另一项规定", TITLE])
    (tmp_path / "link").symlink_to(tree / "sub")
    for again in (tree / "sub", tree / "sub" / "policy.txt", tmp_path / "link", tmp_path / "link" / "policy.txt"):
        assert _ingest(capsys, str(again), "--db", db) == (0, ["nothing to do: 1 file unchanged"]), again
    assert _ingest(capsys, str(tree), "--db", db) == (0, ["nothing to do: 2 files unchanged"])
    assert _titles(capsys, db) == titles and _passages(capsys, db) == passages
    # Changed, and ingested from the lower folder: it replaces itself, not a second copy.
    policy = tree / "sub" / "policy.txt"
    policy.write_text(policy.read_text(encoding="utf-8") + "\n第四条 本规定自发布之日起施行。\n", encoding="utf-8")
    code, lines = _ingest(capsys, str(tree / "sub"), "--db", db)
    assert code == 0 and lines[-1].startswith("ingested 1 files (0 unchanged), 1 documents"), lines
    assert _titles(capsys, db) == titles and _passages(capsys, db) == passages + 1
    # And from the top again: unchanged, under the name it has; --prune keeps both files.
    assert _ingest(capsys, str(tree), "--db", db, "--prune") == (0, ["nothing to do: 2 files unchanged"])
    assert main(["remove", "sub/policy.txt", "--db", db]) == 0
    capsys.readouterr()
    assert _titles(capsys, db) == ["某市另一项规定"]


def test_one_file_reached_twice_in_one_run_is_taken_once(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "db")
    (tree / "alias.txt").symlink_to(tree / "sub" / "policy.txt")
    code, lines = _ingest(capsys, str(tree), str(tree / "sub"), str(tree / "sub" / "policy.txt"), "--db", db)
    assert code == 0 and lines[-1].startswith("ingested 2 files (0 unchanged), 2 documents"), lines
    assert _titles(capsys, db) == sorted(["某市另一项规定", TITLE])


def test_two_files_with_one_source_name_in_one_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(GOOD, tmp_path / folder / "policy.txt")
    code, lines = _ingest(capsys, str(tmp_path / "a"), str(tmp_path / "b"), "--db", str(tmp_path / "db"))
    assert code == 1
    assert lines[0] == (
        f"错误 error: {tmp_path}/b/policy.txt: same source name 'policy.txt' as {tmp_path}/a/policy.txt "
        "(ingest the folders from a common parent)"
    )
    assert lines[1].startswith("ingested 1 files") and "1 failed" in lines[1]


@pytest.mark.parametrize("where", ["named", "in a folder"])
def test_links_to_nothing_and_loops_are_one_error_line_each(
    where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(GOOD, folder / "good.txt")
    (folder / "dangling.txt").symlink_to(folder / "missing.txt")
    (folder / "loop_a.txt").symlink_to("loop_b.txt")
    (folder / "loop_b.txt").symlink_to("loop_a.txt")
    names = ["dangling.txt", "loop_a.txt", "loop_b.txt", "good.txt"]
    paths = [str(folder / name) for name in names] if where == "named" else [str(folder)]
    code, lines = _ingest(capsys, *paths, "--db", str(tmp_path / "db"))
    assert code == 1
    assert sorted(lines[:-1]) == [
        f"错误 error: {folder}/dangling.txt: broken link (target missing)",
        f"错误 error: {folder}/loop_a.txt: symlink loop",
        f"错误 error: {folder}/loop_b.txt: symlink loop",
    ]
    assert lines[-1].startswith("ingested 1 files (0 unchanged), 1 documents") and "3 failed" in lines[-1]
    # Named alone, with nothing else to do: still an error, exit 1.
    code, lines = _ingest(capsys, str(folder / "dangling.txt"), "--db", str(tmp_path / "db"))
    assert code == 1
    assert lines == [
        f"错误 error: {folder}/dangling.txt: broken link (target missing)",
        "nothing ingested: 1 failed",
    ]


def test_a_fifo_is_refused_without_reading_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Opening a FIFO blocks until someone writes to it: it is refused unopened."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    code, lines = _ingest(capsys, str(fifo), "--db", str(tmp_path / "db"))
    assert code == 1 and lines[0] == f"错误 error: {fifo}: not a regular file (fifo)"


def test_the_size_limit_is_checked_before_a_known_file_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(GOOD, folder / "good.txt")
    db = str(tmp_path / "db")
    assert _ingest(capsys, str(folder), "--db", db)[0] == 0
    big = folder / "good.txt"
    with big.open("r+b") as handle:
        handle.truncate(10 * 1024**3)  # 10 GB, sparse: read, it would take minutes and all memory
    monkeypatch.setenv("POLICYKB_MAX_FILE_BYTES", "1000000")
    code, lines = _ingest(capsys, str(folder), "--db", db)
    assert code == 1
    assert lines[0] == (
        f"错误 error: {big}: file of 10,737,418,240 bytes, more than 1,000,000 (POLICYKB_MAX_FILE_BYTES)"
    )
    assert _titles(capsys, db) == [TITLE]  # its previous version stays


def test_a_new_pipeline_reads_unchanged_files_again(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file is unchanged only for the pipeline that read it: after new rules or
    vocabularies (another pipeline signature) the same bytes are read again, in place."""
    from ingest import fingerprint

    db = str(tmp_path / "db")
    assert _ingest(capsys, str(tree), "--db", db)[0] == 0
    passages = _passages(capsys, db)
    assert _ingest(capsys, str(tree), "--db", db) == (0, ["nothing to do: 2 files unchanged"])
    monkeypatch.setattr(fingerprint, "pipeline_signature", lambda: b"rules of another version")
    code, lines = _ingest(capsys, str(tree), "--db", db)
    assert code == 0 and lines[-1].startswith("ingested 2 files (0 unchanged), 2 documents"), lines
    assert _passages(capsys, db) == passages
    assert _ingest(capsys, str(tree), "--db", db) == (0, ["nothing to do: 2 files unchanged"])


def test_the_pipeline_signature_covers_code_and_vocabularies() -> None:
    from ingest import fingerprint

    names = {name for name, _ in fingerprint.pipeline_files()}
    assert {"knowledge/data/eligibility.json", "ingest/enrich/conditions.py", "analysis/text.py"} <= names
    assert not any("__pycache__" in name for name in names)
    assert fingerprint.fingerprint_of(b"x") == fingerprint.fingerprint_of(b"x") != fingerprint.fingerprint_of(b"y")
