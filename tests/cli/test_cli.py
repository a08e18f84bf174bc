"""The policykb command line, run as a user runs it: separate processes, exit codes, JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from tests.conftest import REPO, drop_es_indices


def policykb(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "search_api.cli", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> str:
    path = str(tmp_path_factory.mktemp("cli") / "index")
    done = policykb("ingest", str(corpus_dir), "--db", path, "--quiet")
    assert done.returncode == 0, done.stderr
    assert "0 failed" in done.stderr
    return path


def test_search_json_shape_and_first_hit(db: str) -> None:
    done = policykb("search", "技能大师工作室申报条件", "--db", db, "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {"total", "hits", "facets", "query"}
    assert data["query"]["terms"] and not data["query"]["relaxed"]
    hit = data["hits"][0]
    assert set(hit) == {
        "id", "doc_id", "doc_title", "doc_type", "citation", "path", "text", "highlight", "agencies",
        "doc_number", "date", "talent_categories", "eligibility", "source", "score", "clause_type", "missing",
    }  # fmt: skip
    assert hit["missing"] == [] and data["query"]["absent"] == []
    assert hit["citation"].startswith("《北京市技能大师工作室建设管理办法》第四条")
    facets = {"agency", "mentioned_agency", "region", "year", "talent_category", "doc_kind", "doc_type", "clause_type"}
    assert set(data["facets"]) == facets
    assert set(data["facets"]["agency"][0]) == {"value", "count", "doc_count", "selected"}


def test_search_says_what_a_result_lacks(db: str) -> None:
    # The query's units a result lacks, under it (缺少), as on the page.
    done = policykb("search", "技能大师 一次性资助 设备设施", "--db", db, "--group", "passage")
    assert done.returncode == 0, done.stderr
    assert "缺少 (lacks): " in done.stdout


def test_policies_json_lists_the_catalogue(db: str) -> None:
    done = policykb("policies", "--db", db, "--json")
    records = json.loads(done.stdout)
    assert len(records) == 22
    for record in records:
        keys = {"id", "title", "doc_number", "agencies", "date", "articles", "valid_until", "repeals", "dates"}
        keys.add("text_key")  # what copies of one text share (ingest.fingerprint.text_key)
        keys.add("full_text")  # false: only its catalogue line is indexed
        keys.add("region")  # 地区: where it applies
        keys.add("article_unit")  # what articles counts: 条, or a text's items or sections
        assert set(record) == keys
        assert record["agencies"] and record["date"].startswith("2023-") and record["region"] == "北京"
    by_number = {r["doc_number"]: r for r in records}
    assert by_number["京人社能发〔2023〕3号"]["articles"] == 29
    assert sum(not r["full_text"] for r in records) == 19  # the book's catalogue-only policies
    assert by_number["京政办发〔2023〕19号"]["title"] == "北京市关于进一步支持外资研发中心发展的若干措施"


def test_show_prints_the_passage(db: str) -> None:
    hit = json.loads(policykb("search", "技能大师工作室申报条件", "--db", db, "--json").stdout)["hits"][0]
    shown = json.loads(policykb("show", hit["id"], "--db", db, "--json").stdout)
    assert shown["text"] == hit["text"] and shown["citation"] == hit["citation"]
    assert policykb("show", "no-such-id", "--db", db).returncode == 1


def test_bad_request_is_one_line_exit_2(db: str) -> None:
    done = policykb("search", "人才", "--db", db, "--date-from", "yesterday")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1


def test_unreachable_elasticsearch_is_one_line_exit_2() -> None:
    url = "http://127.0.0.1:9"  # the discard port: nothing listens there
    for command in (("search", "人才"), ("stats",), ("policies",)):
        done = policykb(*command, "--es", url)
        assert done.returncode == 2, command
        assert url in done.stderr and "Traceback" not in done.stderr
        assert done.stderr.count("\n") == 1


SEARCH_LOOP = textwrap.dedent(
    """
    import sys, time
    from search_api.search.types import SearchRequest
    from search_api.search.searcher import open_searcher
    from search_api.settings import load_settings
    backend = open_searcher(load_settings(db_path=sys.argv[1] or None, es_url=sys.argv[2] or None))
    searches = problems = 0
    deadline = time.monotonic() + float(sys.argv[3])
    while time.monotonic() < deadline:
        try:
            problems += backend.search(SearchRequest(query="技能大师工作室", limit=1)).total == 0
        except Exception as exc:
            problems += 1
            print(repr(exc), file=sys.stderr)
        searches += 1
    print(searches, problems)
    """
)


def _reingest_while_another_process_searches(engine: list[str], db: str, es_url: str) -> None:
    reader = subprocess.Popen(
        [sys.executable, "-c", SEARCH_LOOP, db, es_url, "8"], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    for _ in range(2):
        done = policykb("ingest", "corpus/", "--force", "--quiet", *engine)
        assert done.returncode == 0, done.stderr
    out, _ = reader.communicate(timeout=120)
    searches, problems = map(int, out.split())
    assert searches > 10 and problems == 0


def test_reingest_while_another_process_searches_embedded(db: str) -> None:
    _reingest_while_another_process_searches(["--db", db], db, "")


def test_reingest_while_another_process_searches_elasticsearch(es_url: str) -> None:
    index = f"policykb-cli-{uuid.uuid4().hex[:8]}"
    env = {"POLICYKB_ES_INDEX": index}
    assert policykb("ingest", "corpus/", "--es", es_url, "--quiet", env=env).returncode == 0
    os.environ["POLICYKB_ES_INDEX"] = index
    try:
        _reingest_while_another_process_searches(["--es", es_url], "", es_url)
    finally:
        del os.environ["POLICYKB_ES_INDEX"]
        drop_es_indices(es_url, index)
