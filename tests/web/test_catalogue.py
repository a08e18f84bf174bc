"""A catalogue entry and the full text of the same policy, indexed as two documents.

In the book both sit in one document (the catalogue line, then the clauses). When the
full text comes from its own file, the policy page matches the two by 文号 (any bracket
variant), else by title, as it matches repeals, and links them both ways.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from ingest.model import Document, Passage, PolicyRecord
from search_api.http import views
from search_api.http.app import create_app
from search_api.search.policy_table import PolicyTable
from search_api.search.records import policy_record
from search_api.settings import load_settings

TITLE = "北京市深化实验技术人才职称制度改革实施办法"
NUMBER = "京人社事业发〔2022〕52号"
UNNUMBERED = "关于促进人才发展的若干措施"


def catalogue(doc_id: str, title: str, number: str | None, n: int) -> Document:
    line = f"{n}. 《{title}》（{number + '，' if number else ''}北京市人力资源和社会保障局，1月10日）"
    passage = Passage("catalogue_entry", line, [title], f"政策目录 {n}", page=395, attrs={"number": n})
    passage.id, passage.citation = f"{doc_id}-line", f"《{title}》政策目录 {n}，第395页"
    meta = {
        "doc_number": number,
        "catalogue_number": n,
        "agencies": ["北京市人力资源和社会保障局"],
        "date": "2023-01-10",
    }
    return Document("policy", title, number or title, "book.txt", [passage], meta, id=doc_id)


def full_text(doc_id: str, title: str, number: str | None) -> Document:
    clauses = []
    for i, (locator, text, kind) in enumerate(
        [
            ("第一条", "第一条 为了深化职称制度改革，制定本办法。", "general"),
            ("第二条", "第二条 申报人应当具备下列条件：\n（一）遵守法律法规。", "condition"),
            ("第二条（一）", "（一）遵守法律法规。", "condition"),
        ]
    ):
        path = ["第二条", "（一）"] if locator == "第二条（一）" else [locator]
        p = Passage("policy", text, path, locator, page=1, clause_type=kind, eligibility=kind == "condition")
        p.id, p.ord, p.citation = f"{doc_id}-{i}", i, f"《{title}》{locator}"
        clauses.append(p)
    meta = {"doc_number": number, "articles": 2, "agencies": ["北京市人力资源和社会保障局"], "date": "2023-01-10"}
    meta["header_dates"] = [
        {"event": "通过", "date": "2019-05-07", "agency": "北京市人力资源和社会保障局"},
        {"event": "修订", "date": "2023-01-10"},
        {"event": "施行", "date": "2019-06-01", "source": "body"},  # from the last article: listed last
    ]
    return Document("policy", title, number or title, f"{doc_id}.txt", clauses, meta, id=doc_id)


def versions(title: str, dates: dict[str, str]) -> list[Document]:
    """Full texts of one regulation, one per version, each dated by its version."""
    out = []
    for doc_id, date in dates.items():
        text = full_text(doc_id, title, None)
        text.meta["date"] = date
        out.append(text)
    return out


class Backend:
    """What the policy page asks of a searcher: the policy records and documents."""

    def __init__(self, documents: list[Document]) -> None:
        self.documents = {d.id: d for d in documents}

    def policies(self) -> list[PolicyRecord]:
        return [policy_record(d.to_dict()) for d in self.documents.values()]

    def policy_table(self) -> PolicyTable:
        return PolicyTable.of(d.to_dict() for d in self.documents.values())

    def get_document(self, doc_id: str) -> Document | None:
        return self.documents.get(doc_id)

    def close(self) -> None:
        pass


DOCUMENTS = [
    catalogue("cat", TITLE, NUMBER, 2),
    full_text("full", TITLE, "京人社事业发[2022]52号"),  # another bracket style, same 文号
    catalogue("cat2", UNNUMBERED, None, 9),
    full_text("full2", UNNUMBERED, None),  # matched by title
    catalogue("alone", "北京市数字技术技能人才培养实施方案", "京人社专技字〔2023〕91号", 17),
    *versions("北京市安全生产条例", {"v2016": "2016-11-25", "v2022": "2022-05-25"}),
    *versions("北京市消防条例", {"f2011": "2011-05-27", "f2023": "2023-09-22"}),
]
# The 2023 text repeals the earlier one by its title, which is its own title too.
DOCUMENTS[-1].meta["repeals"] = [{"title": "北京市消防条例", "doc_number": None}]


@pytest.fixture(scope="module")
def backend() -> Backend:
    return Backend(DOCUMENTS)


@pytest.fixture(scope="module")
def client(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    settings = load_settings(db_path=tmp_path_factory.mktemp("unused"), es_url="")
    with TestClient(create_app(backend, settings=settings)) as test_client:  # type: ignore[arg-type]
        yield test_client


def test_a_catalogue_entry_finds_its_full_text_by_number_then_by_title(backend: Backend) -> None:
    page = views.policy_page(backend, "cat")  # type: ignore[arg-type]
    assert not page.has_full_text and [r.id for r in page.full_texts] == ["full"]
    assert [r.id for r in views.policy_page(backend, "cat2").full_texts] == ["full2"]  # type: ignore[arg-type]
    alone = views.policy_page(backend, "alone")  # type: ignore[arg-type]
    assert not alone.has_full_text and alone.full_texts == [] and [c.number for c in alone.catalogue] == [17]


def test_a_full_text_finds_its_catalogue_lines(backend: Backend) -> None:
    page = views.policy_page(backend, "full")  # type: ignore[arg-type]
    assert page.has_full_text and page.full_texts == []
    assert [(c.record_id, c.number, c.passage.id) for c in page.catalogue] == [("cat", 2, "cat-line")]
    assert page.clause_types == {"general": 1, "condition": 2}


def test_the_pages_link_both_ways(client: Any) -> None:
    entry = client.get("/policies/cat").text
    assert 'data-full-text="elsewhere"' in entry and "全文未收录" not in entry
    assert re.search(r'<a href="/policies/full" class="full-text-link">《' + TITLE + "》</a>", entry)
    assert "现行有效" not in entry and "clause_type=" not in entry
    text = client.get("/policies/full").text
    assert 'class="catalogue-link" href="/policies/cat">政策目录第 2 项（第395页）</a>' in text
    assert "现行有效" in text and 'data-locator="第二条（一）"' in text
    assert text.count("（一）遵守法律法规。") == 1  # the item once, nested under its article
    alone = client.get("/policies/alone").text
    assert 'data-full-text="missing"' in alone and "全文未收录" in alone and "有效期" not in alone


def test_a_policy_page_lists_the_dates_its_header_names(client: Any) -> None:
    # The record is dated by its latest version; how it got there stays on the page, by date.
    text = client.get("/policies/full").text
    history = re.search(r'<ol class="history">(.*?)</ol>', text, re.S)
    assert history is not None
    items = re.findall(r'<time datetime="([\d-]+)">[\d-]+</time> ([^<]+)</li>', history.group(1))
    assert items == [("2019-05-07", "北京市人力资源和社会保障局通过"), ("2019-06-01", "施行"), ("2023-01-10", "修订")]
    assert '<ol class="history">' not in client.get("/policies/cat").text  # a catalogue line names none


def test_an_older_version_says_a_newer_one_is_in_force(client: Any) -> None:
    older = client.get("/policies/v2016").text
    assert re.search(r'已有新版本：<a href="/policies/v2022" class="newer-version">2022-05-25 版本</a>', older)
    assert "现行有效" not in older
    newer = client.get("/policies/v2022").text
    assert "现行有效" in newer and "已有新版本" not in newer


def test_a_text_repealing_its_own_title_repeals_the_version_before_it(client: Any) -> None:
    # Its own page said 已废止 (by itself), and its 废止文件 linked to itself.
    newer = client.get("/policies/f2023").text
    assert "已废止" not in newer and '<li><a href="/policies/f2011">《北京市消防条例》</a></li>' in newer
    assert re.search(r'已废止（被<a href="/policies/f2023">', client.get("/policies/f2011").text)
