"""What the page tests read in the server-rendered HTML: start tags, the visible text, the
sidebar's facets, the result blocks, and the checks every page must pass (inert markup, no
English message), shared by test_pages.py, test_document_pages.py and test_other_pages.py."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

QUERY = "技能大师工作室申报条件"


SKILL_MASTER = "北京市技能大师工作室建设管理办法"


class Elements(HTMLParser):
    """Start tags with their attributes (to count scripts, handlers, ...)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def html_of(client: Any, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.text[-500:]
    assert response.headers["content-type"].startswith("text/html")
    return str(response.text)


def assert_inert(html: str) -> None:
    """No script but our own file, no event-handler attribute, no injected tag."""
    tags = Elements(html).tags
    scripts = [attrs for tag, attrs in tags if tag == "script"]
    assert scripts == [{"src": scripts[0]["src"], "defer": None}] and scripts[0]["src"].startswith("/static/app.js")
    assert not [(t, a) for t, a in tags for name in a if name.startswith("on")]
    assert not [t for t, _ in tags if t in ("img", "iframe", "object", "embed")]


ENGLISH = re.compile(r"\b(?:[Ss]tring|[Ii]nput|should|must|invalid|parameter|request|ISO|characters|got)\b")


def visible_text(html: str) -> str:
    """The page's text as read: no tags, no attribute values, no script or style."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def assert_chinese(html: str) -> None:
    """No English message reaches the reader (the footer's "JSON" link aside)."""
    text = visible_text(html).replace("JSON", "")
    assert not ENGLISH.search(text), ENGLISH.search(text)


def facet_section(html: str, facet: str) -> str:
    """The sidebar's section of ``facet`` ("" when the page does not show it)."""
    found = re.search(rf'data-facet="{facet}".*?</section>', html, re.S)
    return found.group(0) if found else ""


def facet_names(html: str, facet: str) -> list[str]:
    """The values ``facet`` shows, as named on the page."""
    return re.findall(r'<span class="name">([^<]+)</span>', facet_section(html, facet))


def doc_blocks(html: str) -> list[str]:
    if '<li class="doc-hit"' not in html:
        return []
    return [
        '<li class="doc-hit"' + b
        for b in html.split('<ol class="hits doc-hits"', 1)[1].split('<li class="doc-hit"')[1:]
    ]


def hit_blocks(html: str) -> list[str]:
    if '<li class="hit"' not in html:
        return []
    hits = html.split('<ol class="hits"', 1)[1].split('<li class="hit"')[1:]
    return ['<li class="hit"' + block for block in hits]


def policy_record(client: Any, doc_number: str) -> dict[str, Any]:
    return next(r for r in client.get("/api/policies").json()["policies"] if r["doc_number"] == doc_number)


def catalogue_only(client: Any) -> list[dict[str, Any]]:
    return [
        r
        for r in client.get("/api/policies").json()["policies"]
        if r["articles"] is None and r["doc_number"] != "京人社发〔2023〕99号"
    ]
