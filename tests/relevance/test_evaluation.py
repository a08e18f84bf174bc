"""The evaluation module and ``policykb eval``: relevance rule, figures, report shapes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from search_api import cli
from search_api.errors import InvalidRequest
from search_api.evaluation import QueryOutcome, first_relevant, format_report, load_queries, metrics
from search_api.search.searcher import Searcher


def test_relevance_ignores_whitespace_on_both_sides() -> None:
    texts = ["无关段落", "按照每个工作室 30 万元的标准\n给予一次性资助"]
    assert first_relevant(texts, ["按照每个工作室30万元的标准给予一次性资助"]) == 2
    assert first_relevant(texts, ["30 万元", "不存在"]) == 2
    assert first_relevant(texts, ["不存在"]) is None


def test_metrics() -> None:
    outcomes = [
        QueryOutcome("a", "k", "q", 1, in_snippet=True),
        QueryOutcome("b", "k", "q", 4),
        QueryOutcome("c", "k", "q", None),
    ]
    figures = {"success_at_1": 0.3333, "success_at_5": 0.6667, "mrr_at_10": 0.4167, "in_snippet": 0.5, "n": 3}
    assert metrics(outcomes) == figures  # in_snippet: of the two queries whose answer was found


def test_bad_query_files_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(InvalidRequest, match="cannot read"):
        load_queries(tmp_path / "missing.jsonl")
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "a", "q": "x", "expect_any": ["x"]}\n{"id": \n', encoding="utf-8")
    with pytest.raises(InvalidRequest, match="line 2: invalid JSON"):
        load_queries(broken)
    broken.write_text('{"id": "a", "q": "x"}\n', encoding="utf-8")
    with pytest.raises(InvalidRequest, match="line 1: needs"):
        load_queries(broken)


@pytest.fixture(scope="module")
def judged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("eval") / "judged.jsonl"
    rows = [
        {
            "id": "t1",
            "kind": "eligibility",
            "q": "技能大师工作室申报条件",
            "expect_any": ["具有技师及以上国家职业资格"],
        },
        {"id": "t2", "kind": "docnum", "q": "京人社能发[2023]3号", "expect_any": ["京人社能发〔2023〕3号"]},
        {"id": "t3", "kind": "fact", "q": "人才公寓", "expect_any": ["这句话不在书里"]},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def run_eval(monkeypatch: pytest.MonkeyPatch, backend: Searcher, *args: str) -> int:
    monkeypatch.setattr(cli, "_open", lambda _args, **_kw: backend)
    return cli.main(["eval", *args])


def test_eval_json_shape(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], book_tantivy: Searcher, judged: Path
) -> None:
    assert run_eval(monkeypatch, book_tantivy, "--queries", str(judged), "--json") == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert {"success_at_1", "success_at_5", "mrr_at_10", "in_snippet", "by_kind", "queries"} <= set(report)
    assert set(report["by_kind"]) == {"eligibility", "docnum", "fact"}
    assert [q["rank"] for q in report["queries"]] == [1, 1, None]
    assert all({"id", "rank", "top"} <= set(q) for q in report["queries"])
    assert report["success_at_1"] == report["success_at_5"] == round(2 / 3, 4)


def test_eval_text_lists_failures_with_what_came_first(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], book_tantivy: Searcher, judged: Path
) -> None:
    assert run_eval(monkeypatch, book_tantivy, "--queries", str(judged)) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("all") and "MRR@10" in out
    assert "[t3 fact, not in the top 10] 人才公寓" in out
    assert "    1. 《" in out  # the citation of what came first instead
    assert "[t1" not in out and "[t2" not in out


def test_format_report_orders_kinds_and_shows_ranks() -> None:
    report = {
        "success_at_1": 0.5, "success_at_5": 1.0, "mrr_at_10": 0.75, "in_snippet": 0.5, "n": 2,
        "by_kind": {"a": {"success_at_1": 1.0, "success_at_5": 1.0, "mrr_at_10": 1.0, "in_snippet": 1.0, "n": 1}},
        "queries": [{"id": "x", "kind": "a", "q": "问", "rank": 2, "top": ["《甲》第一条 文本"]}],
    }  # fmt: skip
    text = format_report(report)
    assert "[x a, rank 2] 问" in text and "    1. 《甲》第一条 文本" in text
    assert "in snippet 0.500" in text.splitlines()[0]
