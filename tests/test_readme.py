"""The README says what the code does: its commands, paths and tables are checked here.

A renamed module, a removed flag or a moved endpoint fails this test until the README
follows.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from search_api.cli import build_parser
from search_api.http.app import create_app
from search_api.http.params import search_query_model, takes_many
from search_api.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"## {title}")
    end = README.find("\n## ", start + 3)
    return README[start : end if end != -1 else None]


def _code_lines() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", README, re.S)
    return [line.split("#", 1)[0].strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_the_two_commands_exist_and_ci_calls_the_test_command() -> None:
    two = _section("Two commands")
    for script in ("scripts/run.sh", "scripts/test.sh"):
        assert script in two
        assert (ROOT / script).stat().st_mode & 0o111, f"{script} is not executable"
    assert "scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_policykb_command_line_parses() -> None:
    parser = build_parser()
    lines = [line for line in _code_lines() if re.match(r"(\.venv/bin/)?policykb\b", line)]
    assert len(lines) >= 10
    for line in lines:
        args = [a for a in shlex.split(line)[1:] if a != "<passage-or-document-id>"]
        if args and args[0] == "show":
            args.append("some-id")
        try:
            parser.parse_args(args)
        except SystemExit as exc:  # argparse exits on an unknown flag or command
            pytest.fail(f"README command does not parse ({exc.code}): {line}")


def test_every_path_in_the_layout_table_exists() -> None:
    table = _section("Layout")
    paths = set(re.findall(r"^\| `([^`]+)` \|", table, re.M))
    layers = {"analysis/", "knowledge/", "ingest/", "search_api/index/", "search_api/search/", "search_api/http/"}
    assert layers <= paths
    for path in paths:
        assert (ROOT / path).exists(), path
    # Modules the table names inside a folder, e.g. `searcher.py` in search_api/search/.
    for row in re.findall(r"^\| `([^`]+/)` \| (.*)\|$", table, re.M):
        folder, text = row
        for name in re.findall(r"`([a-z_/]+\.py|[a-z_]+/)`", text):
            assert (ROOT / folder / name).exists() or (ROOT / name).exists(), f"{folder}{name}"


def test_every_endpoint_in_the_api_table_is_served() -> None:
    schema = create_app(load_settings(db_path="/nonexistent")).openapi()
    served = {re.sub(r"\{[^}]*\}", "{}", path) for path in schema["paths"]}
    table = _section("API and web page")
    endpoints = re.findall(r"^\| `GET ([^`]+)`", table, re.M)
    assert endpoints
    for cell in endpoints:
        for path in re.findall(r"(/[^\s,`]+)", cell):
            assert re.sub(r"\{[^}]*\}", "{}", path.split("?")[0]) in served, path


def test_the_search_row_names_every_search_parameter() -> None:
    """The API table's ``GET /api/search`` row names the parameters the route reads, each
    list parameter with a ``*``, and nothing else."""
    row = re.search(r"^\| `GET /api/search` \| `([^`]+)`", _section("API and web page"), re.M)
    assert row
    named = {re.sub(r"=.*", "", item.strip()) for item in row.group(1).split(", ")}
    model = search_query_model(load_settings(db_path="/nonexistent"))
    fields = {name + ("*" if takes_many(info.annotation) else "") for name, info in model.model_fields.items()}
    assert named == fields


def test_every_benchmark_script_in_the_table_exists() -> None:
    scripts = set(re.findall(r"`(bench/[a-z_]+\.py)", _section("Benchmarks")))
    assert scripts
    for script in scripts:
        assert (ROOT / script).exists(), script


def _figures_row(label: str) -> list[float]:
    """The numbers of the Benchmarks table's row that starts with ``label``."""
    row = next(line for line in _section("Benchmarks").splitlines() if line.startswith(f"| {label}"))
    cells = row.split("|")[2:4]  # the tantivy and Elasticsearch cells
    return [float(n) for cell in cells for n in re.findall(r"\d+(?:\.\d+)?", cell)]


def test_the_benchmark_table_is_the_recorded_run() -> None:
    # The figures were copied by hand from the run's JSON; a rerun that rewrites the JSON
    # fails here until the table follows.
    import json

    results = ROOT / "bench" / "results"
    passages = json.loads((results / "engines_side_by_side_regulations.json").read_text(encoding="utf-8"))
    documents = json.loads((results / "engines_side_by_side_regulations_documents.json").read_text(encoding="utf-8"))

    def both(run: dict, part: str) -> list[float]:
        calls = run["engine_call_parts"][part]
        return [calls[e][k] for e in ("tantivy", "elasticsearch") for k in ("p50_ms", "p95_ms")]

    near = 0.006  # rounded by hand: 8.555 was written 8.56
    assert _figures_row("keyword mix") == pytest.approx(both(passages, "keywords"), abs=near)
    assert _figures_row("questions and titles") == pytest.approx(both(passages, "questions"), abs=near)
    assert _figures_row("document view, keywords") == pytest.approx(both(documents, "keywords"), abs=near)
    assert _figures_row("document view, questions") == pytest.approx(both(documents, "questions"), abs=near)
    served = passages["served"]
    assert _figures_row("`/api/search` over HTTP") == [round(served["tantivy"]["http_minus_engine_p50_ms"], 2)]
    throughput = [round(served[e]["wrk"]["8"]["requests_per_s"]) for e in ("tantivy", "elasticsearch")]
    assert _figures_row("searches/s at 8 connections") == throughput
