"""Extraction debris: scan every stored passage of the book's index, and the pages showing them.

The book in ``corpus/`` is text extracted from a PDF, with marks of that extraction. Each
kind once found in the stored passages is listed in ``DEBRIS`` with an example and where
it came from; ingest now removes them (``ingest/clean.py``, ``ingest/segment/``), and the
scan of every stored passage checks that none is left. The reader must not see them
either: every passage, title, heading path and citation goes through the page's
rendering (:mod:`search_api.http.page.display`, which also cleans indexes built before)
and must come out clean, and so must every document, policy and passage page. Headings
are the paths of the passages under them, never passages of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup

from ingest.model import Document, Passage
from search_api.http.page import display
from search_api.index.tantivy.engine import TantivyEngine
from search_api.search.searcher import Searcher


@dataclass(frozen=True)
class Debris:
    pattern: re.Pattern[str]
    fields: tuple[str, ...]  # where it occurs: text, path, title, citation
    example: str
    origin: str
    # A raw value it was written from, in its first field: the scan must see it, so a
    # pattern that stops matching its debris (and would pass on anything) fails.
    sample: str


DEBRIS = {
    # 人才密度^①达到 70.4%, 北京新经济行业中高端人才就业观察 › 四 政策建议^①
    "footnote_caret": Debris(
        re.compile(r"\^[\u2460-\u2473*]"),
        ("text", "path", "title"),
        "人才密度^①达到 70.4%（B.1）; heading 四 政策建议^①（B.17）",
        "corpus/北京人才发展报告2023.txt writes superscript footnote references as ^①; ingest now removes them",
        "人才密度^①达到 70.4%",
    ),
    # - B.1** 新时代十年北京人才工作成果回顾与展望
    "markdown_toc": Debris(
        re.compile(r"(?m)^[-*+]\s+B\.\s?\d+\*+"),
        ("text",),
        "- B.1** 新时代十年北京人才工作成果回顾与展望（front matter, 目 录）",
        "the corpus's table of contents is a Markdown list with stray ** after each B.N; ingest now removes it",
        "- B.1** 新时代十年北京人才工作成果回顾与展望",
    ),
    # *Beijing Talent Development Report 2023*
    "markdown_emphasis": Debris(
        re.compile(r"(?<![\w*\\])\*{1,2}[A-Za-z\"“][^*\n]*(?:\n[^*\n]+)?\*{1,2}(?![\w*])"),
        ("text",),
        "— *Beijing Talent Development Report 2023*（English abstracts, kind abstract）",
        "Markdown italics of the corpus's English abstracts; ingest now removes them",
        "— *Beijing Talent Development Report 2023*",
    ),
    # - [1] 吴官蔚：《对消防救援队伍中年轻干部考察培养的几点思考》…
    "markdown_reference_bullet": Debris(
        re.compile(r"(?m)^[-*+]\s+\[\d+\]"),
        ("text",),
        "- [1] 吴官蔚：《对消防救援队伍中年轻干部考察培养的几点思考》…（参考文献 of B.14 and others）",
        "the corpus's bibliographies are Markdown lists; ingest now removes the bullet",
        "- [1] 吴官蔚：《对消防救援队伍中年轻干部考察培养的几点思考》",
    ),
    # a heading that is only a dash
    "empty_heading": Debris(
        re.compile(r"^[\s\-–—*.·]*$"),
        ("path",),
        "path ['地区篇', 'B.2 “两区”建设背景下北京海外人才引进对策研究', '-', …]（68 passages of B.2 and B.10）",
        "a line holding only '-' (the rule above a page's footnotes) became a heading in the report segmenter",
        "-",
    ),
    # Abstract, Contents, back matter
    "english_label": Debris(
        re.compile(r"^(?:Abstract|Contents|back matter|front matter)$", re.I),
        ("path",),
        "path ['北京人才发展报告（2023）', 'back matter']（the book's front and back matter）",
        "the report segmenter names these parts of the book in English",
        "back matter",
    ),
}
# The display issue of the page itself, fixed there: the source position shown as
# "原文位置：北京人才发展报告2023.txt:6888" on a passage page.
SOURCE_REF = re.compile(r"\.txt:\d+")


@pytest.fixture(scope="module")
def documents(index_path: Path) -> Iterator[list[Document]]:
    backend = Searcher(TantivyEngine(index_path))
    try:
        docs = [backend.get_document(d["id"]) for d in backend.engine.documents()]
        yield [d for d in docs if d is not None]
    finally:
        backend.close()


def passages(documents: list[Document]) -> Iterator[tuple[Document, Passage]]:
    for doc in documents:
        for p in doc.passages:
            yield doc, p


def found(name: str, values: dict[str, list[str]]) -> list[str]:
    debris = DEBRIS[name]
    hits = []
    for field in debris.fields:
        for value in values.get(field, []):
            if debris.pattern.search(value):
                hits.append(f"{field}: {value[:80]!r}")
    return hits


def stored(doc: Document, p: Passage) -> dict[str, list[str]]:
    return {"text": [p.text, *p.notes], "path": list(p.path), "title": [doc.title], "citation": [p.citation]}


def rendered(doc: Document, p: Passage) -> dict[str, list[str]]:
    """What the page shows of a passage: its text, title, breadcrumb, headings, citation label."""
    text = re.sub(r"<[^>]+>", "", str(display.text_markup(p.text)))
    labels = display.crumbs(doc.title, p.path) + display.section_path(doc.title, p.path)
    return {
        "text": [text, *(re.sub(r"<[^>]+>", "", str(display.text_markup(n))) for n in p.notes)],
        "path": labels,
        "title": [display.clean_label(doc.title), display.citation_title(p.citation)],
    }


@pytest.mark.parametrize("name", list(DEBRIS))
def test_stored_passages_hold_no_debris(documents: list[Document], name: str) -> None:
    assert len(documents) > 30 and sum(1 for _ in passages(documents)) > 1000
    hits = [f"{doc.title[:20]} {p.id}: {hit}" for doc, p in passages(documents) for hit in found(name, stored(doc, p))]
    assert not hits, f"{len(hits)} passages with {name} ({DEBRIS[name].origin}):\n" + "\n".join(hits[:10])


@pytest.mark.parametrize("name", list(DEBRIS))
def test_the_scan_finds_each_kind_of_debris(name: str) -> None:
    debris = DEBRIS[name]
    assert found(name, {debris.fields[0]: [debris.sample]}), (name, debris.sample)


def test_no_passage_is_only_a_heading(documents: list[Document]) -> None:
    """A heading is the path of the passages under it: no passage repeats only its heading
    or its document's title (each chapter's title block, with its authors, is the exception)."""
    bare = [
        f"{doc.title[:20]} {p.id}: {p.text[:40]!r}"
        for doc, p in passages(documents)
        if display.heading_only(p.text, p.path, doc.title) or (p.attrs.get("heading") and p.attrs.get("level") != 0)
    ]
    assert not bare, f"{len(bare)} heading-only passages:\n" + "\n".join(bare[:10])


@pytest.mark.parametrize("name", list(DEBRIS))
def test_no_debris_is_rendered(documents: list[Document], name: str) -> None:
    hits = [
        f"{doc.title[:20]} {p.id}: {hit}" for doc, p in passages(documents) for hit in found(name, rendered(doc, p))
    ]
    assert not hits, "\n".join(hits[:10])


def page_text(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = re.sub(r"<(script|style)\b.*?</\1>", "", response.text, flags=re.S)
    return re.sub(r"<[^>]+>", "", html)


def test_no_page_shows_debris(client: Any, documents: list[Document]) -> None:
    """Every document and policy page, and the passage page of every passage where the book
    had debris: those with footnotes, the abstracts, the front and back matter."""
    marks = [d.pattern for name, d in DEBRIS.items() if "text" in d.fields]
    urls = [f"/policies/{d.id}" if d.kind == "policy" else f"/documents/{d.id}" for d in documents]
    had = [p for _, p in passages(documents) if p.notes or p.kind in ("abstract", "front_matter", "footnote")]
    urls += [f"/passages/{p.id}" for p in had]
    assert len(urls) > 200
    for url in urls:
        text = page_text(client, url)
        for mark in [*marks, SOURCE_REF]:
            match = mark.search(text)
            assert match is None, (url, text[max(0, match.start() - 40) : match.end() + 40])
        assert " › - " not in text and "back matter" not in text, url


@pytest.mark.parametrize("group", ["document", "passage"])
@pytest.mark.parametrize("query", ["人才密度", "政策建议", "Beijing Talent Development Report", "课题组", "目录"])
def test_no_result_shows_debris(client: Any, query: str, group: str) -> None:
    text = page_text(client, f"/?q={query}&size=50&group={group}")
    assert ("份文件" if group == "document" else "条结果") in text
    for mark in [*(d.pattern for d in DEBRIS.values() if "text" in d.fields), SOURCE_REF]:
        assert not mark.search(text), (query, mark.pattern)


def test_a_table_rows_cells_are_ruled_apart_on_the_page() -> None:
    """The text keeps the source's tab between cells (a fact read across the row is found in
    it); HTML would run the cells together, so the page rules them apart."""
    row = "子女入学\t81\t35.22"
    assert "子女入学8135.22" in re.sub(r"\s+", "", row)
    assert str(display.text_markup(row)) == "子女入学 | 81 | 35.22"
    assert str(display.snippet_markup(Markup("<mark>子女入学</mark>\t81"))) == "<mark>子女入学</mark> | 81"
