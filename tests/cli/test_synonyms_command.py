"""``policykb synonyms`` over the book, run as a user runs it: the learned short forms,
their full form, scope and defining passage, as text and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import policykb


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> str:
    path = str(tmp_path_factory.mktemp("synonyms") / "index")
    done = policykb("ingest", str(corpus_dir), "--db", path, "--quiet")
    assert done.returncode == 0, done.stderr
    return path


def test_json_lists_each_definition_with_its_passage(db: str) -> None:
    done = policykb("synonyms", "--db", db, "--json")
    assert done.returncode == 0, done.stderr
    entries = {e["short"]: e for e in json.loads(done.stdout)}
    workshop = entries["市级工作室"]
    assert workshop["full"] == "市级技能大师工作室" and workshop["scope"] == "document"
    assert workshop["doc_title"] == "北京市技能大师工作室建设管理办法"
    assert workshop["citation"].startswith("《北京市技能大师工作室建设管理办法》第二条")
    shown = policykb("show", workshop["passage"], "--db", db, "--json")
    assert "以下简称“市级工作室”" in json.loads(shown.stdout)["text"]
    assert entries["目录"]["scope"] == "contained"  # 北京市境外职业资格认可目录 holds 目录


def test_text_output_says_the_scope_in_chinese(db: str) -> None:
    done = policykb("synonyms", "--db", db)
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if line.startswith("市级工作室 → 市级技能大师工作室"))
    assert "本文件" in line and "第二条" in line
    assert "条简称定义" in done.stdout.splitlines()[-1]


def test_a_query_with_the_short_form_reaches_the_full_form(db: str) -> None:
    done = policykb("search", "智源研究院", "--db", db, "--json")
    hits = json.loads(done.stdout)["hits"]
    assert hits and "<mark>北京智源人工智能研究院</mark>" in hits[0]["highlight"]
