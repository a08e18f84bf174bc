"""Every error of the ``policykb`` command is one line and an exit code, never a traceback.

The real command in separate processes, each killed after a time limit (a hang fails the
test instead of stalling it). Nothing here times anything.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

HARNESS_TIMEOUT_S = 300
GOOD = REPO / "tests" / "data" / "hostile" / "good_policy.txt"


def policykb(
    *args: str, env: dict[str, str] | None = None, cwd: Path = REPO, stdout: int | None = None, code: str = ""
) -> subprocess.CompletedProcess[str]:
    """``policykb ARGS`` (or ``python -c CODE ARGS``) in a fresh process."""
    command = ["-c", code] if code else ["-m", "search_api.cli"]
    try:
        return subprocess.run(
            [sys.executable, *command, *args],
            cwd=cwd,
            stdout=subprocess.PIPE if stdout is None else stdout,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **(env or {})},
            timeout=HARNESS_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"policykb {' '.join(args[:2])} still running after {HARNESS_TIMEOUT_S} s")


def one_line(done: subprocess.CompletedProcess[str], exit_code: int, *fragments: str) -> str:
    """The one stderr line of a failed command, holding every fragment."""
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == exit_code, (done.returncode, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and done.stderr.endswith("\n"), done.stderr
    assert lines[0].startswith("错误 error: "), lines
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """An index of one small policy."""
    path = str(tmp_path_factory.mktemp("cli-errors") / "index")
    done = policykb("ingest", str(GOOD), "--db", path, "--quiet")
    assert done.returncode == 0, done.stderr
    return path


# ---------------------------------------------------------------------- requests


def test_a_year_out_of_range_is_one_line(db: str) -> None:
    done = policykb("search", "人才", "--date-from", "1600", "--db", db)
    one_line(done, 2, "date_from", "between 1800 and 2199", "'1600'")
    done = policykb("search", "人才", "--date-to", "2200-01", "--db", db, "--json")
    one_line(done, 2, "date_to", "between 1800 and 2199")
    assert done.stdout == ""


def test_a_negative_offset_says_so(db: str) -> None:
    # It had been told 「仅提供前1000条结果」, the reason for a page too deep.
    one_line(policykb("search", "人才", "--offset", "-1", "--db", db), 2, "起始位置应不小于0", "got -1")


def test_eval_of_a_file_that_is_not_utf8_is_one_line(db: str, tmp_path: Path) -> None:
    queries = tmp_path / "queries.jsonl"
    queries.write_bytes('{"id": "q1", "q": "人才", "expect_any": ["人才"]}\n'.encode("gb18030"))
    one_line(policykb("eval", "--queries", str(queries), "--db", db), 2, str(queries), "not UTF-8", "byte 0x")
    one_line(policykb("eval", "--queries", str(tmp_path / "none.jsonl"), "--db", db), 2, "none.jsonl", "cannot read")


# ---------------------------------------------------------------------- environment


@pytest.mark.parametrize("command", [(), ("search",), ("ingest",), ("serve",), ("stats",), ("eval",)])
def test_help_reads_no_setting(command: tuple[str, ...]) -> None:
    bad = {"POLICYKB_WORKERS": "abc", "POLICYKB_ES_TIMEOUT": "abc", "POLICYKB_MAX_CHARS": "abc"}
    done = policykb(*command, "--help", env=bad)
    assert done.returncode == 0 and done.stderr == "" and "usage: policykb" in done.stdout, done.stderr


@pytest.mark.parametrize(
    "command", [("ingest", str(GOOD)), ("serve", "--no-ingest", "--port", "1"), ("serve", "--port", "1")]
)
def test_a_bad_worker_count_stops_the_commands_that_use_it(command: tuple[str, ...], tmp_path: Path) -> None:
    done = policykb(*command, "--db", str(tmp_path / "db"), env={"POLICYKB_WORKERS": "abc"})
    one_line(done, 2, "POLICYKB_WORKERS", "'abc'")
    assert not (tmp_path / "db").exists()


def test_a_bad_worker_count_is_not_read_by_the_others(db: str) -> None:
    env = {"POLICYKB_WORKERS": "abc"}
    assert policykb("stats", "--db", db, env=env).returncode == 0
    assert policykb("search", "人才", "--db", db, env=env).returncode == 0
    # A --workers flag overrides the variable.
    done = policykb("ingest", str(GOOD), "--db", db, "--workers", "1", env=env)
    assert done.returncode == 0 and done.stderr == "nothing to do: 1 file unchanged\n", done.stderr


@pytest.mark.parametrize("command", [("search", "人才"), ("stats",), ("policies",), ("ingest", str(GOOD))])
def test_a_bad_engine_timeout_is_one_line(command: tuple[str, ...], db: str) -> None:
    done = policykb(*command, "--db", db, env={"POLICYKB_ES_TIMEOUT": "abc"})
    one_line(done, 2, "POLICYKB_ES_TIMEOUT", "'abc'")


@pytest.mark.parametrize(
    ("variable", "command"),
    [
        ("POLICYKB_MAX_CHARS", ("ingest", str(GOOD))),
        ("POLICYKB_FILE_TIMEOUT_S", ("ingest", str(GOOD))),
        ("POLICYKB_MAX_DEPTH", ("serve", "--port", "1")),
        ("POLICYKB_MAX_PAGES", ("serve", "--no-ingest", "--port", "1")),
    ],
)
def test_a_bad_limit_is_one_line_before_any_work(variable: str, command: tuple[str, ...], tmp_path: Path) -> None:
    done = policykb(*command, "--db", str(tmp_path / "db"), env={variable: "-1"})
    one_line(done, 2, f"{variable}='-1' is not valid")
    assert not (tmp_path / "db").exists()


# ---------------------------------------------------------------------- data files


@pytest.fixture(scope="module")
def broken_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the code whose data files the tests break (the repository's stay intact)."""
    root = tmp_path_factory.mktemp("code")
    for package in ("analysis", "knowledge", "ingest", "search_api", "mappings"):
        shutil.copytree(REPO / package, root / package, ignore=shutil.ignore_patterns("__pycache__"))
    return root


@pytest.mark.parametrize(
    ("name", "content", "command"),
    [
        ("agencies.json", '{"agencies": [', ("ingest",)),
        ("clause_cues.json", '{"types": 5}', ("ingest",)),
        ("query_intents.json", "[]", ("search", "人才")),
        ("synonyms.json", '{"groups": "x"}', ("search", "人才")),
    ],
)
def test_a_data_file_that_fails_validation_is_one_line_naming_it(
    broken_copy: Path, db: str, tmp_path: Path, name: str, content: str, command: tuple[str, ...]
) -> None:
    data = broken_copy / "knowledge" / "data" / name
    original = data.read_bytes()
    data.write_text(content, encoding="utf-8")
    try:
        target = [str(GOOD), "--db", str(tmp_path / "db")] if command == ("ingest",) else ["--db", db]
        done = policykb(*command, *target, cwd=broken_copy)
    finally:
        data.write_bytes(original)
    one_line(done, 2, f"data file {data}: ")


# ---------------------------------------------------------------------- output


@pytest.mark.parametrize(
    "command", [("--help",), ("stats",), ("policies",), ("policies", "--json"), ("search", "人才"), ("show", "x")]
)
def test_output_into_a_reader_that_left_is_no_error(command: tuple[str, ...], db: str) -> None:
    """``policykb … | head``: the reader goes away; the command ends quietly (a pipe
    whose reading end is closed before the command writes)."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = policykb(*command, *(["--db", db] if command[0] != "--help" else []), stdout=write)
    finally:
        os.close(write)
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    if command == ("show", "x"):
        assert done.returncode == 1 and done.stderr == "未找到 not found: x\n"
    else:
        assert done.returncode == 0 and done.stderr == "", done.stderr


def test_names_reach_the_terminal_escaped(db: str, tmp_path: Path) -> None:
    forged = "a.txt\n错误 error: forged line \x1b[31mred\x1b[0m \u202eevil"
    escaped = "a.txt\\n错误 error: forged line \\x1b[31mred\\x1b[0m \\u202eevil"
    done = policykb("remove", forged, "--db", db)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [f"错误 error: {escaped}: not an indexed source", "removed 0 sources: -"]
    done = policykb("show", forged, "--db", db)
    assert done.returncode == 1 and done.stderr == f"未找到 not found: {escaped}\n"
    # A file whose name holds them: its failure, and nothing else, on one line.
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / (forged.replace("a.txt", "x") + ".txt")).write_bytes(b"")
    done = policykb("ingest", str(folder), "--db", str(tmp_path / "db"), "--quiet")
    assert done.returncode == 1 and "\x1b" not in done.stderr and "\u202e" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == f"错误 error: {folder}/{escaped.replace('a.txt', 'x')}.txt: empty file (0 bytes)", lines
    assert len(lines) == 2 and lines[1].startswith("ingested 1 files (0 unchanged)") and "1 failed" in lines[1]


UNEXPECTED = """
import sys
import search_api.cli as cli

def broken(args):
    raise RuntimeError("two\\nlines \\x1b[31m")

cli.cmd_stats = broken
sys.exit(cli.main(sys.argv[1:]))
"""


def test_an_unexpected_error_is_one_line(db: str) -> None:
    parser_takes_the_patched_command = policykb("stats", "--db", db, code=UNEXPECTED)
    one_line(parser_takes_the_patched_command, 1, "internal error (RuntimeError: two lines \\x1b[31m)")
    shown = policykb("stats", "--db", db, code=UNEXPECTED, env={"POLICYKB_DEBUG": "1"})
    assert shown.returncode == 1 and "Traceback" in shown.stderr and "RuntimeError" in shown.stderr


def test_nothing_to_do_says_so(db: str, tmp_path: Path) -> None:
    done = policykb("ingest", str(GOOD), "--db", db)
    assert done.returncode == 0 and done.stderr == "nothing to do: 1 file unchanged\n"
    empty = tmp_path / "empty"
    empty.mkdir()
    done = policykb("ingest", str(empty), "--db", db)
    assert done.returncode == 0 and done.stderr == "nothing to do: no files found\n"
    assert json.loads(policykb("stats", "--db", db).stdout)["documents"] == 1
