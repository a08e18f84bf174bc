"""The headings of every page as a screen reader lists them: one h1, before every other
heading, and no level skipped on the way down (the search page's facet h2s had come before
its h1 「共 N 条结果」, a passage page's 章 headings were h3s under the h1)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from itertools import pairwise
from typing import Any

import pytest

from tests.web.pages import QUERY, catalogue_only, html_of, policy_record


class Headings(HTMLParser):
    """The page's h1–h6 in document order: their level and what they say."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[int, str]] = []
        self._open: int | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self._open = int(tag[1])
            self.found.append((self._open, ""))

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == f"h{self._open}":
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            level, text = self.found[-1]
            self.found[-1] = (level, (text + data.strip())[:40])


def outline_faults(headings: list[tuple[int, str]]) -> list[str]:
    """What is wrong with an outline: not one h1, a heading before it, a level skipped."""
    faults = []
    h1s = [text for level, text in headings if level == 1]
    if len(h1s) != 1:
        faults.append(f"{len(h1s)} h1: {h1s}")
    if headings and headings[0][0] != 1:
        faults.append(f"h{headings[0][0]} 「{headings[0][1]}」 before the h1")
    for (above, _), (level, text) in pairwise(headings):
        if level > above + 1:
            faults.append(f"h{above} then h{level} 「{text}」")
    return faults


def test_the_outline_check_finds_each_fault() -> None:
    assert outline_faults([(1, "a"), (2, "b"), (3, "c"), (2, "d"), (2, "e")]) == []
    assert outline_faults([(2, "分面"), (1, "共 3 条结果")]) == ["h2 「分面」 before the h1"]
    assert outline_faults([(1, "a"), (1, "b")]) == ["2 h1: ['a', 'b']"]
    assert outline_faults([(1, "a"), (3, "第一章")]) == ["h1 then h3 「第一章」"]
    assert outline_faults([]) == ["0 h1: []"]
    assert Headings('<h1 id="x">共 <strong>3</strong> 条</h1><p>x</p><h2>甲</h2>').found == [(1, "共3条"), (2, "甲")]


@pytest.fixture(scope="module")
def pages(client: Any) -> dict[str, tuple[str, int]]:
    """One URL (and its status) of each kind of page the site serves."""
    skill = policy_record(client, "京人社能发〔2023〕3号")
    clauses = client.get(f"/api/documents/{skill['id']}").json()["passages"]
    conditions = client.get("/api/search", params={"q": QUERY, "clause_type": "condition", "group": "passage"})
    condition = next(
        h for h in conditions.json()["hits"] if client.get(f"/api/passages/{h['id']}").json()["passage"]["conditions"]
    )
    chapter = client.get("/api/search", params={"q": "人才黏性指数", "doc_type": "chapter"}).json()["hits"][0]
    chapter_passages = client.get(f"/api/documents/{chapter['doc_id']}").json()["passages"]
    book = client.get("/api/search", params={"q": "北京人才发展报告", "doc_type": "front_matter"}).json()["hits"][0]
    missing = "0" * 16
    return {
        "search: landing": ("/", 200),
        "search: documents": (f"/?q={QUERY}&group=document", 200),
        "search: passages": (f"/?q={QUERY}&group=passage", 200),
        "search: filters only": ("/?clause_type=condition", 200),
        "search: nothing found": ("/?q=锟斤拷烫烫烫", 200),
        "search: problems": ("/?q=人才&date_from=不是日期", 422),
        "search: past the last page": (f"/?q={QUERY}&page=999", 422),
        "check": ("/check", 200),
        "check: results": ("/check?q=技能大师工作室&skill_level=技师&age=52", 200),
        "check: problem": ("/check?age=999", 422),
        "policies": ("/policies", 200),
        "policies: problems": ("/policies?year=不是年份", 422),
        "events": ("/events", 200),
        "events: problems": ("/events?date_from=不是日期", 422),
        # A clause with its conditions (an h2 above the 章 headings) and one without.
        "passage: clause with conditions": (f"/passages/{condition['id']}", 200),
        "passage: clause": (f"/passages/{[p for p in clauses if p['kind'] == 'policy'][-1]['id']}", 200),
        "passage: catalogue line": (
            f"/passages/{next(p for p in clauses if p['kind'] == 'catalogue_entry')['id']}",
            200,
        ),
        "passage: book": (f"/passages/{chapter['id']}", 200),
        "passage: table": (f"/passages/{next(p for p in chapter_passages if p['kind'] == 'table')['id']}", 200),
        "document: book": (f"/documents/{book['doc_id']}", 200),
        "document: chapter": (f"/documents/{chapter['doc_id']}", 200),
        "document: policy": (f"/documents/{skill['id']}", 200),
        "policy": (f"/policies/{skill['id']}", 200),
        "policy: catalogue only": (f"/policies/{catalogue_only(client)[0]['id']}", 200),
        "error: no such passage": (f"/passages/{missing}", 404),
        "error: no such document": (f"/documents/{missing}", 404),
        "error: no such policy": (f"/policies/{missing}", 404),
        "error: no such page": ("/no-such-page", 404),
    }


PAGES = [
    "search: landing",
    "search: documents",
    "search: passages",
    "search: filters only",
    "search: nothing found",
    "search: problems",
    "search: past the last page",
    "check",
    "check: results",
    "check: problem",
    "policies",
    "policies: problems",
    "events",
    "events: problems",
    "passage: clause with conditions",
    "passage: clause",
    "passage: catalogue line",
    "passage: book",
    "passage: table",
    "document: book",
    "document: chapter",
    "document: policy",
    "policy",
    "policy: catalogue only",
    "error: no such passage",
    "error: no such document",
    "error: no such policy",
    "error: no such page",
]


def test_every_kind_of_page_is_listed(pages: dict[str, tuple[str, int]]) -> None:
    assert sorted(pages) == sorted(PAGES)


@pytest.mark.parametrize("name", PAGES)
def test_one_h1_comes_first_and_no_level_is_skipped(client: Any, pages: dict[str, tuple[str, int]], name: str) -> None:
    url, status = pages[name]
    headings = Headings(html_of(client, url, status)).found
    assert not outline_faults(headings), (url, outline_faults(headings), headings[:12])


@pytest.mark.parametrize("group", ["document", "passage"])
def test_the_count_spans_the_page_above_the_facets_and_labels_the_results(client: Any, group: str) -> None:
    html = html_of(client, f"/?q={QUERY}&group={group}")
    head = html.index('<div class="results-head">')
    assert head < html.index('id="results-heading"') < html.index('<div class="layout">')
    assert html.index('<div class="layout">') < html.index('class="filter-panel"') < html.index('id="facet-')
    # The results still carry the count as their name, and 筛选 follows the count at once.
    assert 'id="results" aria-labelledby="results-heading"' in html
    between = html[html.index("</div>", head) : html.index('<summary class="filter-toggle">')]
    assert re.fullmatch(r'</div>\s*<div class="layout">\s*<details class="filter-panel" id="filters">\s*', between)
