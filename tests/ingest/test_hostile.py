"""Hostile input (tests/data/hostile, made by scripts/make_hostile_corpus.py): each file
ends as one line (an error, or a warning for a file read anyway) within a time limit,
and an ingest of all of them beside a good file indexes the good file.

Every hostile parse runs in a subprocess with a timeout (or in the guarded workers of
ingest.parallel), so that a regression fails the test instead of hanging it. The time
limits are generous: they catch a hang, not a slow machine.
"""

from __future__ import annotations

import faulthandler
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from ingest import limits
from ingest.extract import ExtractionError, extract
from ingest.parallel import can_fork, guarded_map
from tests.ingest import faults

REPO = Path(__file__).resolve().parents[2]
HOSTILE = REPO / "tests" / "data" / "hostile"
GOOD = "good_policy.txt"
GOOD_TITLE = "某市促进人才发展若干规定"
HARNESS_TIMEOUT_S = 120

_spec = importlib.util.spec_from_file_location("make_hostile_corpus", REPO / "scripts" / "make_hostile_corpus.py")
assert _spec is not None and _spec.loader is not None
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)

# What each file gives: ("error", a fragment of its one-line reason), or ("warning", a
# fragment of its one warning) for a file whose text is read anyway.
EXPECTED = {
    "docx_style_cycle.docx": ("warning", "styles based on each other in a cycle (StyleA → StyleB → StyleA)"),
    "docx_zip_bomb.docx": ("error", "more than 200 (POLICYKB_MAX_ZIP_RATIO)"),
    "html_nested_inline.html": ("warning", "nesting deeper than 200 levels (POLICYKB_MAX_DEPTH)"),
    "html_nested_div.html": ("error", "no text in HTML page"),
    "pdf_truncated.pdf": ("error", "truncated PDF"),
    "pdf_encrypted.pdf": ("error", "encrypted PDF (password required)"),
    "text_utf8_gbk_mixed.txt": ("error", "undecodable bytes"),
}

_CHILD = """
import json, sys
from pathlib import Path
from ingest.extract import ExtractionError, extract
path = Path(sys.argv[1])
try:
    extracted = extract(path, path.read_bytes())
except ExtractionError as exc:
    print(json.dumps({"error": str(exc)}))
else:
    print(json.dumps({"chars": len(extracted.text), "warnings": extracted.warnings}))
"""


def _extract_in_subprocess(path: Path, **env: str) -> dict[str, Any]:
    """extract() of ``path`` in a fresh interpreter, killed after HARNESS_TIMEOUT_S."""
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path)],
            capture_output=True,
            text=True,
            timeout=HARNESS_TIMEOUT_S,
            cwd=REPO,
            env={**os.environ, **env},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{path.name}: extraction still running after {HARNESS_TIMEOUT_S} s")
    assert done.returncode == 0, f"{path.name}: exit {done.returncode}\n{done.stderr[-2000:]}"
    assert "Traceback" not in done.stderr, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["seconds"] = time.monotonic() - started
    return result


def test_the_corpus_is_reproducible_and_small(tmp_path: Path) -> None:
    sizes = corpus.write(tmp_path)
    for name in sizes:
        assert (tmp_path / name).read_bytes() == (HOSTILE / name).read_bytes(), f"{name}: run {corpus.__file__}"
    assert set(sizes) == {*EXPECTED, GOOD}
    assert sum(sizes.values()) <= 200_000


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_hostile_file_ends_as_one_line(name: str) -> None:
    kind, fragment = EXPECTED[name]
    result = _extract_in_subprocess(HOSTILE / name)
    if kind == "error":
        assert "error" in result, result
        assert fragment in result["error"], result
        assert "\n" not in result["error"]
    else:
        assert result.get("chars", 0) > 0, result
        assert len(result["warnings"]) == 1 and fragment in result["warnings"][0], result
        assert "\n" not in result["warnings"][0]


def test_the_good_file_is_read() -> None:
    text = extract(HOSTILE / GOOD, (HOSTILE / GOOD).read_bytes()).text
    assert text.startswith(GOOD_TITLE) and "第三条" in text


@pytest.mark.parametrize(
    ("name", "env", "reason"),
    [
        (GOOD, {"POLICYKB_MAX_FILE_BYTES": "100"}, "file of 367 bytes, more than 100 (POLICYKB_MAX_FILE_BYTES)"),
        (GOOD, {"POLICYKB_MAX_CHARS": "50"}, "more than 50 characters of text (POLICYKB_MAX_CHARS)"),
        (
            "docx_zip_bomb.docx",
            {"POLICYKB_MAX_UNZIPPED_BYTES": "1_000_000"},
            "word/document.xml unzips to 23,999,995 bytes, more than 1,000,000 (POLICYKB_MAX_UNZIPPED_BYTES)",
        ),
        ("docx_style_cycle.docx", {"POLICYKB_MAX_ZIP_RATIO": "1"}, ""),  # members under 1 MB: any ratio
    ],
)
def test_limits_are_read_from_the_environment(name: str, env: dict[str, str], reason: str) -> None:
    result = _extract_in_subprocess(HOSTILE / name, **env)
    if reason:
        assert result.get("error") == reason, result
    else:
        assert "error" not in result, result


def test_text_past_the_character_limit_stops_early(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes((HOSTILE / GOOD).read_bytes() * 3_000)  # 1.1 MB, 387,000 characters
    result = _extract_in_subprocess(big, POLICYKB_MAX_CHARS="100000")
    assert result["error"] == "more than 100,000 characters of text (POLICYKB_MAX_CHARS)"


@pytest.mark.parametrize("unit", ["**a ", "[a](", "![", "<!--a ", "# a" + " " * 50 + "b"])
def test_markdown_is_linear_in_unclosed_markup(unit: str, tmp_path: Path) -> None:
    """Unclosed emphasis, links, images and comments: each opener once scanned to the end
    of its line (20,000 unclosed "**a " took 33 s; these 80,000 would take minutes)."""
    markdown = tmp_path / "unclosed.md"
    markdown.write_text("第一条 " + unit * 80_000, encoding="utf-8")
    assert _extract_in_subprocess(markdown).get("chars", 0) > 0


def test_pdf_page_limit(tmp_path: Path) -> None:
    pdf = tmp_path / "three.pdf"
    pdf.write_bytes(corpus.pdf_bytes("Scope of this rule.", "Duties of the office.", "Entry into force."))
    assert "error" not in _extract_in_subprocess(pdf)
    result = _extract_in_subprocess(pdf, POLICYKB_MAX_PAGES="2")
    assert result["error"] == "PDF of 3 pages, more than 2 (POLICYKB_MAX_PAGES)"


@pytest.mark.parametrize("value", ["abc", "0", "-5", "1.5", "nan", ""])
def test_a_bad_limit_is_one_line_naming_its_variable(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYKB_MAX_DEPTH", value)
    if not value:  # empty: the default
        assert limits.current().max_depth == limits.Limits().max_depth
        return
    with pytest.raises(limits.LimitError) as raised:
        limits.current()
    message = str(raised.value)
    assert message.startswith(f"POLICYKB_MAX_DEPTH={value!r} is not valid") and "\n" not in message
    # A file read meanwhile fails with that line, not with a traceback.
    with pytest.raises(ExtractionError, match="POLICYKB_MAX_DEPTH"):
        extract(HOSTILE / GOOD, (HOSTILE / GOOD).read_bytes())


def test_timeout_takes_fractions_and_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYKB_FILE_TIMEOUT_S", "0.5")
    assert limits.current().file_timeout_s == 0.5
    monkeypatch.setenv("POLICYKB_FILE_TIMEOUT_S", "inf")
    with pytest.raises(limits.LimitError, match="POLICYKB_FILE_TIMEOUT_S"):
        limits.current()
    monkeypatch.delenv("POLICYKB_FILE_TIMEOUT_S")
    assert limits.current() == limits.Limits()
    assert limits.timed_out(60.0) == "parse took longer than 60 s (POLICYKB_FILE_TIMEOUT_S)"


def test_read_file_refuses_a_big_file_before_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "sparse.txt"
    with big.open("wb") as handle:
        handle.truncate(10 * 1024**3)  # 10 GB, sparse: nothing to read if it is refused
    with pytest.raises(limits.LimitExceeded, match=r"file of 10,737,418,240 bytes.*POLICYKB_MAX_FILE_BYTES"):
        limits.read_file(big)
    assert limits.read_file(HOSTILE / GOOD) == (HOSTILE / GOOD).read_bytes()


# ---------------------------------------------------------------------- whole ingests


@pytest.fixture()
def hostile_folder(tmp_path: Path) -> Path:
    """The hostile corpus and the good file, with a file whose name holds a newline and
    ANSI escapes and a symlink loop (made here: git cannot hold them)."""
    folder = tmp_path / "hostile"
    shutil.copytree(HOSTILE, folder)
    corpus.make_runtime_files(folder)
    return folder


def test_runtime_files_fail_alone(hostile_folder: Path) -> None:
    odd = hostile_folder / corpus.ODD_NAME
    assert "error" in _extract_in_subprocess(odd) and "undecodable" in _extract_in_subprocess(odd)["error"]
    with pytest.raises(ExtractionError, match=r"^symlink loop$"):
        limits.read_file(hostile_folder / "loop_a.txt")


def _segment(path: Path) -> tuple[str, str]:
    """Worker: (file name, "ok: N documents" or "warning: ...") of one file."""
    from ingest.pipeline import segment_file

    if path.name == "hang.txt":
        time.sleep(3600)
    if path.name == "crash.txt":
        faulthandler.disable()  # pytest's handler would print the crash
        os.kill(os.getpid(), signal.SIGSEGV)
    if path.name == "deep.txt":

        def recurse(depth: int) -> int:
            return recurse(depth + 1)

        recurse(0)
    parsed = segment_file(path, limits.read_file(path), path.name)
    return path.name, f"ok: {len(parsed.documents)} documents" + "".join(f"; warning: {w}" for w in parsed.warnings)


@pytest.mark.skipif(not can_fork(), reason="needs fork")
@pytest.mark.parametrize("workers", [1, 2])
def test_guarded_parse_of_the_hostile_folder(hostile_folder: Path, workers: int) -> None:
    """The hostile folder parsed the way an ingest should (ingest.parallel.guarded_map):
    a file that hangs, one that crashes its process and one that recurses without end
    fail alone, with one line each, and every other file gets its result."""
    for name in ("hang.txt", "crash.txt", "deep.txt"):
        (hostile_folder / name).write_bytes((HOSTILE / GOOD).read_bytes())
    files = sorted(p for p in hostile_folder.iterdir() if p.is_file())
    started = time.monotonic()
    results = dict(
        guarded_map(
            _segment,
            files,
            workers,
            window=4,
            timeout=5.0,
            on_failure=lambda path, reason: (path.name, f"failed: {reason}"),
        )
    )
    assert time.monotonic() - started < HARNESS_TIMEOUT_S
    assert results["hang.txt"] == "failed: parse took longer than 5 s (POLICYKB_FILE_TIMEOUT_S)"
    assert results["crash.txt"] == "failed: worker process crashed (SIGSEGV)"
    assert results["deep.txt"].startswith("failed: RecursionError")
    assert results[GOOD] == "ok: 1 documents"
    for name, (kind, fragment) in EXPECTED.items():
        assert fragment in results[name] and results[name].startswith("failed" if kind == "error" else "ok"), name
    assert "undecodable bytes" in results[corpus.ODD_NAME]
    assert all("\n" not in result for result in results.values())


FAULTY_CLI = "from tests.ingest.faults import run; run()"  # policykb, faults injected by file name
CLI_TIMEOUT_S = 5  # POLICYKB_FILE_TIMEOUT_S of the whole ingests below


def _cli(*args: str, faulty: bool = False, **env: str) -> subprocess.CompletedProcess[str]:
    """``policykb ARGS`` in a fresh process (killed after the harness's time limit)."""
    command = ["-c", FAULTY_CLI] if faulty else ["-m", "search_api.cli"]
    try:
        return subprocess.run(
            [sys.executable, *command, *args],
            capture_output=True,
            text=True,
            timeout=HARNESS_TIMEOUT_S * 3,
            cwd=REPO,
            env={**os.environ, "POLICYKB_FILE_TIMEOUT_S": str(CLI_TIMEOUT_S), **env},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"policykb {' '.join(args[:1])} still running after {HARNESS_TIMEOUT_S * 3} s")


def _one_line(lines: list[str], kind: str, name: str) -> str:
    """The one line of ``kind`` ("错误 error" or "警告 warning") naming the file ``name``."""
    mine = [line for line in lines if line.startswith(f"{kind}: ") and f"/{name}: " in line]
    assert len(mine) == 1, (name, lines)
    return mine[0]


@pytest.mark.skipif(not can_fork(), reason="needs fork")
@pytest.mark.parametrize("workers", ["1", "2"])
def test_ingest_of_the_hostile_folder_indexes_the_good_file(hostile_folder: Path, tmp_path: Path, workers: str) -> None:
    """The real ``policykb ingest`` over the hostile corpus, the files made at run time
    (a newline and ANSI escapes in a name, a symlink loop, a link to nothing) and files
    that hang, crash their worker, recurse without end, exhaust memory or exit (faults
    injected by name, tests/ingest/faults.py): one line each, exit 1, and the good file
    beside them indexed, with one worker as with two."""
    for name in faults.FAULTS:
        shutil.copy(HOSTILE / GOOD, hostile_folder / name)
    (hostile_folder / "dangling.txt").symlink_to(hostile_folder / "missing-target.txt")
    db = str(tmp_path / "db")
    done = _cli("ingest", str(hostile_folder), "--db", db, "--workers", workers, "--quiet", faulty=True)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    bad = {name: reason for name, (kind, reason) in EXPECTED.items() if kind == "error"}
    bad |= {"loop_a.txt": "symlink loop", "loop_b.txt": "symlink loop", "dangling.txt": "broken link (target missing)"}
    bad |= {name: reason.format(seconds=CLI_TIMEOUT_S) for name, (_, reason) in faults.FAULTS.items()}
    for name, reason in bad.items():
        assert reason in _one_line(lines, "错误 error", name), (name, reason)
    for name, (kind, reason) in EXPECTED.items():
        if kind == "warning":
            assert reason in _one_line(lines, "警告 warning", name), (name, reason)
    # The odd name is one failure, printed escaped: its newline forges no line, and no
    # escape character reaches the terminal.
    escaped = corpus.ODD_NAME.replace("\n", "\\n").replace("\x1b", "\\x1b")
    assert f"{hostile_folder}/{escaped}: undecodable bytes" in done.stderr
    assert "\x1b" not in done.stderr and not any(line.startswith("name") for line in lines)
    assert len(lines) == len(bad) + 1 + 2 + 1  # the failures, the odd name, the warnings, the summary
    assert f"{len(bad) + 1} failed" in lines[-1], lines[-1]
    policies = _cli("policies", "--json", "--db", db)
    assert policies.returncode == 0, policies.stderr
    titles = [record["title"] for record in json.loads(policies.stdout)]
    # The good file, and the two files read with a warning (the .docx holds the same
    # policy); none of the faulty files (copies of the good one).
    assert sorted(titles) == sorted([GOOD_TITLE, GOOD_TITLE, "嵌套的行内标签"]), titles


@pytest.mark.skipif(not can_fork(), reason="needs fork")
@pytest.mark.parametrize("name", sorted(faults.BIG_FAULTS))
def test_one_big_file_is_guarded_in_each_step(tmp_path: Path, name: str) -> None:
    """One big file alone is analysed on all cores in three steps; a fault in a later
    step (words, enrichment) still ends as the file's one line within its time limit."""
    big = tmp_path / "in" / name
    big.parent.mkdir()
    text = (HOSTILE / GOOD).read_text(encoding="utf-8")
    big.write_text(text + text.split("\n", 1)[1] * 1_000, encoding="utf-8")  # ~120,000 characters
    done = _cli("ingest", str(big), "--db", str(tmp_path / "db"), "--workers", "2", "--quiet", faulty=True)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert faults.BIG_FAULTS[name][1].format(seconds=CLI_TIMEOUT_S) in _one_line(lines, "错误 error", name)
    assert len(lines) == 2 and "1 failed" in lines[-1], lines


@pytest.mark.skipif(not can_fork(), reason="needs fork")
def test_one_big_file_is_indexed_alike_on_one_core_and_on_all(tmp_path: Path) -> None:
    big = tmp_path / "in" / "big.txt"
    big.parent.mkdir()
    text = (HOSTILE / GOOD).read_text(encoding="utf-8")
    big.write_text(text + text.split("\n", 1)[1] * 1_000, encoding="utf-8")
    shown = []
    for workers in ("1", "2"):
        db = str(tmp_path / f"db{workers}")
        done = _cli("ingest", str(big), "--db", db, "--workers", workers, "--quiet")
        assert done.returncode == 0 and "0 failed" in done.stderr, done.stderr
        stats = _cli("stats", "--db", db)
        record = json.loads(_cli("policies", "--json", "--db", db).stdout)
        shown.append((json.loads(stats.stdout)["passages"], record))
    assert shown[0] == shown[1] and shown[0][0] > 1_000


def test_a_bad_limit_stops_no_ingest_with_a_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(HOSTILE / GOOD, folder / GOOD)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "search_api.cli", "ingest", str(folder), "--db", str(tmp_path / "db"), "--quiet"],
            capture_output=True,
            text=True,
            timeout=HARNESS_TIMEOUT_S * 3,
            cwd=REPO,
            env={**os.environ, "POLICYKB_MAX_DEPTH": "abc"},
        )
    except subprocess.TimeoutExpired:
        pytest.fail("policykb ingest still running")
    assert done.returncode != 0
    assert "Traceback" not in done.stderr, done.stderr
    errors = [line for line in done.stderr.splitlines() if "error" in line]
    assert errors and all("POLICYKB_MAX_DEPTH='abc' is not valid" in line for line in errors), done.stderr
