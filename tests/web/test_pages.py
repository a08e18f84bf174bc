"""The server-rendered pages without a browser: content, escaping, URL state, no-JS forms."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from search_api.http.page.routes import highlight_html
from search_api.http.params import SearchParams
from search_api.search.highlight import highlight
from tests.api.index import EVIL_TITLE

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


# ------------------------------------------------------------------ snippets


def test_snippets_are_trusted_only_in_the_highlighter_form() -> None:
    snippet = highlight("条件 <script>alert(1)</script> & 申报", ["条件", "script"])
    assert str(highlight_html(snippet)) == snippet and "&lt;" in snippet
    assert str(highlight_html("<b>x</b><mark>y</mark>")) == "&lt;b&gt;x&lt;/b&gt;&lt;mark&gt;y&lt;/mark&gt;"
    assert str(highlight_html('<mark onclick="x">y</mark>')).startswith("&lt;mark")


# ------------------------------------------------------------------ search page


def test_results_page_shows_the_clause_with_citation_and_facets(client: Any) -> None:
    api = client.get("/api/search", params={"q": QUERY}).json()
    html = html_of(client, f"/?q={QUERY}")
    assert f'value="{QUERY}"' in html
    first = re.search(r'<li class="hit" data-id="([0-9a-f]+)"', html)
    assert first and first.group(1) == api["hits"][0]["id"]
    assert f'<cite class="citation">{api["hits"][0]["citation"]}</cite>' in html
    total = int(re.search(r'data-total="(\d+)"', html).group(1))  # type: ignore[union-attr]
    assert total == api["total"]
    doc_types = re.search(r'data-facet="doc_type".*?</section>', html, re.S).group(0)  # type: ignore[union-attr]
    assert sum(int(n) for n in re.findall(r'data-count="(\d+)"', doc_types)) == total
    for label in ("发文机关", "年份", "人才类别", "文档类型", "只看申报条件/适用条款"):
        assert label in html
    assert_inert(html)


def test_the_url_is_the_whole_state(client: Any) -> None:
    url = "/?q=人才&agency=北京市人力资源和社会保障局&year=2023&eligibility_only=1&sort=date&page=2"
    html = html_of(client, url)
    assert html == html_of(client, url)  # the same view again
    chips = re.findall(r'class="chip"><span>([^<]+)</span><a href="([^"]+)"', html)
    assert [c[0] for c in chips] == ["发文机关：北京市人力资源和社会保障局", "年份：2023年", "只看申报条件/适用条款"]
    removed = dict(parse_qsl(urlsplit(chips[0][1].replace("&amp;", "&")).query))
    assert "agency" not in removed and removed["year"] == "2023" and "page" not in removed
    assert 'aria-current="page">2<' in html
    assert re.search(r'<input type="checkbox" id="eligibility_only"[^>]* checked>', html)
    # The form carries the facet filters and sort along; page goes back to 1.
    hidden = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', html)
    assert hidden == [("agency", "北京市人力资源和社会保障局"), ("year", "2023"), ("sort", "date")]


def test_search_params_urls() -> None:
    state = SearchParams(q="人才", agency=["甲"], page=3)
    assert state.toggle("agency", "乙") == "/?q=%E4%BA%BA%E6%89%8D&agency=%E7%94%B2&agency=%E4%B9%99"
    assert state.toggle("agency", "甲") == "/?q=%E4%BA%BA%E6%89%8D"
    assert state.page_url(4).endswith("&page=4")
    assert SearchParams().url() == "/"


def test_landing_page_browses_by_facet(client: Any) -> None:
    html = html_of(client, "/")
    assert "查政策、找条款、看出处" in html and 'data-facet="agency"' in html
    assert 'href="/?q=%E6%8A%80' in html  # example queries are links


def test_bad_parameters_and_unknown_pages_in_chinese(client: Any) -> None:
    assert "请求有误" in html_of(client, "/?page=0", 422)
    assert "请求有误" in html_of(client, "/?q=人才&page=500", 422)
    assert "未找到" in html_of(client, "/passages/0000000000000000", 404)
    assert "未找到" in html_of(client, "/no/such/page", 404)


# ------------------------------------------------------------------ other pages


def test_passage_page_marks_the_clause_in_its_document(client: Any) -> None:
    hit = client.get("/api/search", params={"q": QUERY}).json()["hits"][0]
    view = client.get(f"/api/passages/{hit['id']}").json()
    html = html_of(client, f"/passages/{hit['id']}")
    current = re.search(r'<article class="passage current" id="p-(\w+)"(.*?)</article>', html, re.S)
    assert current and current.group(1) == hit["id"]
    assert 'id="citation"' in current.group(2) and hit["citation"] in current.group(2)
    assert 'data-copy-from="citation" hidden' in current.group(2)  # shown by JS only
    assert html.count('<article class="passage') == len(view["document"]["passage_ids"])  # the whole policy
    if view["next"]:
        assert f'rel="next" href="/passages/{view["next"]["id"]}"' in html


def test_policy_page_lists_number_agencies_validity_and_articles(client: Any) -> None:
    record = next(
        r for r in client.get("/api/policies").json()["policies"] if r["doc_number"] == "京人社能发〔2023〕3号"
    )
    html = html_of(client, f"/policies/{record['id']}")
    facts = (SKILL_MASTER, "京人社能发〔2023〕3号", "北京市人力资源和社会保障局", "2023-03-17", "2030-12-31", "29 条")
    for text in facts:
        assert text in html, text
    assert "第四条 申报市级工作室应同时符合以下条件" in html
    assert html_of(client, "/policies").count("/policies/") >= 20


def test_document_and_events_pages(client: Any) -> None:
    chapter = client.get("/api/search", params={"q": "人才黏性指数", "doc_type": "chapter"}).json()["hits"][0]
    html = html_of(client, f"/documents/{chapter['doc_id']}")
    assert 'aria-label="目录"' in html and chapter["doc_title"] in html
    html = html_of(client, "/events?date_from=2023-05&date_to=2023-05")
    assert "大事记" in html and re.search(r"共 \d+ 条", html)
    assert client.get("/documents/" + chapter["doc_id"], follow_redirects=False).status_code == 200


@pytest.mark.parametrize("kind", ["search", "passage", "policy", "policies"])
def test_hostile_document_is_shown_as_text(client: Any, kind: str) -> None:
    hits = client.get("/api/search", params={"q": "<script>alert(1)</script>人才公寓"}).json()["hits"]
    evil = next(h for h in hits if h["doc_title"] == EVIL_TITLE)
    url = {
        "search": "/?q=%3Cscript%3Ealert(1)%3C/script%3E人才公寓",
        "passage": f"/passages/{evil['id']}",
        "policy": f"/policies/{evil['doc_id']}",
        "policies": "/policies?q=%3Cscript%3E",
    }[kind]
    html = html_of(client, url)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert_inert(html)
