"""The server-rendered pages without a browser: content, escaping, URL state, no-JS forms."""

from __future__ import annotations

import re
import warnings
from dataclasses import replace
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from markupsafe import escape

from ingest.model import PolicyRecord
from search_api.errors import EngineUnavailable
from search_api.http.app import create_app
from search_api.http.page import results
from search_api.http.page.form import PageState
from search_api.http.page.results import document_results, newest_first
from search_api.http.page.routes import POLICIES_PER_PAGE, highlight_html, make_templates
from search_api.http.params import SearchParams
from search_api.search.highlight import highlight
from search_api.search.types import DocumentHit, Hit
from search_api.settings import load_settings
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
    html = html_of(client, f"/?q={QUERY}&group=passage")
    assert f'value="{QUERY}"' in html
    first = re.search(r'<li class="hit" data-id="([0-9a-f]+)"', html)
    assert first and first.group(1) == api["hits"][0]["id"]
    assert f'<cite class="citation">{api["hits"][0]["citation"]}</cite>' in html
    total = int(re.search(r'data-total="(\d+)"', html).group(1))  # type: ignore[union-attr]
    assert total == api["total"]
    assert sum(int(n) for n in re.findall(r'data-count="(\d+)"', facet_section(html, "doc_type"))) == total
    for label in ("条款类型", "发文机关", "涉及机关", "年份", "人才类别", "内容类型"):
        assert label in html
    assert 'type="checkbox"' not in html  # the 条款类型 facet replaced the eligibility toggle
    assert_inert(html)


def test_the_url_is_the_whole_state(client: Any) -> None:
    url = "/?q=人才&agency=北京市人力资源和社会保障局&year=2023&eligibility_only=1&group=passage&sort=date&page=2"
    html = html_of(client, url)
    assert html == html_of(client, url)  # the same view again
    chips = re.findall(r'class="chip"><span>([^<]+)</span><a href="([^"]+)"', html)
    assert [c[0] for c in chips] == ["发文机关：北京市人力资源和社会保障局", "年份：2023年", "只看申报条件与支持措施"]
    removed = dict(parse_qsl(urlsplit(chips[0][1].replace("&amp;", "&")).query))
    assert "agency" not in removed and removed["year"] == "2023" and "page" not in removed
    assert 'aria-current="page">2<' in html
    # The form carries the facet filters, the old eligibility flag, the view and sort along;
    # page goes back to 1.
    hidden = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', html)
    assert hidden == [
        ("agency", "北京市人力资源和社会保障局"),
        ("year", "2023"),
        ("eligibility_only", "1"),
        ("group", "passage"),
        ("sort", "date"),
    ]


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


@pytest.mark.parametrize("group", ["document", "passage"])
def test_words_not_found_are_said_in_both_views(client: Any, group: str) -> None:
    html = html_of(client, f"/?q=技能大师工作室 火锅&group={group}")
    assert "未找到：火锅" in html and "以下结果只包含：技能大师工作室" in html


def test_the_facet_panel_ends_with_a_way_back_to_the_results(client: Any) -> None:
    # On a phone the opened panel is long: its end links to the results below it.
    html = html_of(client, "/?q=人才公寓")
    assert '<a href="#results">查看结果</a>' in html and 'id="results"' in html
    assert "查看结果" not in html_of(client, "/")  # the landing page lists no results


def test_a_corrected_typo_is_offered_and_the_typed_word_named(client: Any) -> None:
    html = html_of(client, "/?q=技能大帅工作室")
    assert "您是不是要找：<strong>技能大师</strong>？" in html and "原词：“技能大帅”未找到" in html
    # The words as typed are one click away, and searched so: nothing holds 技能大帅.
    link = re.search(r'<a href="([^"]+)">仍然搜索“技能大帅工作室”</a>', html)
    assert link and "spell=0" in link.group(1)
    typed = html_of(client, link.group(1).replace("&amp;", "&"))
    assert "您是不是要找" not in typed and "未找到：大帅" in typed
    # A query typed anew in the box is checked again: the form does not carry spell=0.
    assert 'name="spell"' not in typed


def test_a_homophone_typo_is_corrected_on_the_page(client: Any) -> None:
    html = html_of(client, "/?q=户藉")
    assert "您是不是要找：<strong>户籍</strong>？" in html


def test_unknown_pages_in_chinese_with_the_search_form(client: Any) -> None:
    for url, says in (
        ("/passages/0000000000000000", "没有找到这段条文"),
        ("/policies/0000000000000000", "没有找到这份政策文件"),
        ("/documents/0000000000000000", "没有找到这份文件"),
        ("/no/such/page?q=人才公寓", "没有这个页面"),
    ):
        html = html_of(client, url, 404)
        assert "未找到" in html and says in html, url
        assert 'id="search-form"' in html and "检索词最多200字" in html
        assert_chinese(html)
    assert 'value="人才公寓"' in html_of(client, "/no/such/page?q=人才公寓", 404)  # the input is kept


# ------------------------------------------------------------------ errors a citizen can read

ENGLISH = re.compile(r"\b(?:[Ss]tring|[Ii]nput|should|must|invalid|parameter|request|ISO|characters|got)\b")


def visible_text(html: str) -> str:
    """The page's text as read: no tags, no attribute values, no script or style."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def assert_chinese(html: str) -> None:
    """No English message reaches the reader (the footer's "JSON" link aside)."""
    text = visible_text(html).replace("JSON", "")
    assert not ENGLISH.search(text), ENGLISH.search(text)


@pytest.mark.parametrize(
    ("url", "param", "says"),
    [
        ("/?q=人才&date_from=2023-13", "date_from", "不是有效的日期"),
        ("/?q=人才&date_from=abc", "date_from", "不是日期"),
        ("/?q=人才&date_to=2023-02-30", "date_to", "不是有效的日期"),
        ("/?q=人才&date_from=1200", "date_from", "超出范围"),
        ("/?q=人才&date_from=2023-06&date_to=2023-01", "date_to", "请对调两个日期"),
        ("/?q=人才&page=0", "page", "页码应为 1 到 100 之间的整数"),
        ("/?q=人才&page=9999", "page", "到第 100 页为止"),
        ("/?q=人才&page=abc", "page", "页码应为"),
        ("/?q=人才&page=500", "page", "仅显示前1000条"),
        ("/?q=人才&size=99", "size", "每页条数应为 1 到 50 之间的整数"),
        ("/?q=人才&sort=newest", "sort", "只能按相关度"),
        ("/?q=人才&group=chapters", "group", "只能按文件"),
        ("/?q=人才&group=passage&doc_id=not-an-id", "doc_id", "文档编号无效"),
        ("/?q=人才&eligibility_only=maybe", "eligibility_only", "应为 1（是）或 0（否）"),
        ("/?q=人才&doc_number=" + "京" * 101, "doc_number", "文号最多 100 字"),
        ("/?q=人才" + "".join(f"&agency=机关{i}" for i in range(21)), "agency", "最多可选 20 项"),
        ("/?q=人才&talent_category=" + "人" * 101, "talent_category", "每项最多 100 字"),
        ("/?q=人才&year=abc", "year", "不是年份"),  # had been a chip 年份：abc年 and no results
        ("/events?date_from=2023-99", "date_from", "不是有效的日期"),
        ("/events?date_from=2024&date_to=2020", "date_to", "请对调两个日期"),
        ("/events?page=0", "page", "页码应为"),
    ],
)
def test_bad_parameters_are_said_in_chinese_per_parameter(client: Any, url: str, param: str, says: str) -> None:
    html = html_of(client, url, 422)
    assert "请求有误" in html
    problem = re.search(rf'<li data-param="{param}"><strong>([^<]+)</strong>：([^<]+)</li>', html)
    assert problem, html[-3000:]
    assert says in problem.group(2), problem.group(2)
    assert_chinese(html)
    if url.startswith("/?"):  # the search form keeps what the user typed
        assert 'value="人才"' in html
        if param in ("date_from", "date_to"):
            typed = dict(parse_qsl(urlsplit(url).query))[param]
            assert f'name="{param}" value="{typed}"' in html and 'aria-invalid="true"' in html
            assert '<details class="advanced" open>' in html  # the date fields are shown
        assert 'href="/?q=%E4%BA%BA%E6%89%8D' in html  # 去掉有误的条件继续检索


def test_dates_as_people_write_them_are_understood(client: Any) -> None:
    html = html_of(client, "/?q=人才&date_from=2023/5/1&date_to=2023年6月")
    chips = re.findall(r'class="chip"><span>([^<]+)</span>', html)
    assert chips == ["日期：2023-05-01 至 2023-06"]
    assert 'name="date_from" value="2023-05-01"' in html


def test_the_json_api_keeps_its_422(client: Any) -> None:
    long = "人" * 201
    assert client.get("/api/search", params={"q": long}).status_code == 422
    body = client.get("/api/search", params={"q": "人才", "date_from": "2023-13"}).json()
    assert body["error"] == "invalid_request" and "date_from" in body["message"]


def test_a_path_too_long_is_said_in_chinese(client: Any) -> None:
    html = html_of(client, "/passages/" + "a" * 80, 422)
    assert "链接中的参数有误" in html and 'id="search-form"' in html
    assert_chinese(html)


def test_a_long_query_is_cut_not_rejected(client: Any) -> None:
    query = "技能大师工作室申报条件" * 20  # 220 characters
    html = html_of(client, "/?q=" + query)
    assert "检索词最多200字，已截取前200字" in html
    assert f'value="{query[:200]}"' in html and 'maxlength="200"' in html
    assert re.search(r'data-total="[1-9]', html)  # the cut query was searched
    html = html_of(client, "/policies?q=" + "人" * 300)
    assert "检索词最多200字，已截取前200字" in html


def test_the_box_says_how_long_a_query_may_be(client: Any) -> None:
    html = html_of(client, "/")
    box = re.search(r'<input id="q"[^>]*>', html, re.S)
    assert box and 'maxlength="200"' in box.group(0) and 'aria-describedby="q-hint"' in box.group(0)
    assert re.search(r'<p class="field-hint" id="q-hint"[^>]*>检索词最多200字</p>', html)


def test_the_pager_says_where_it_stops(client: Any) -> None:
    html = html_of(client, "/?doc_type=figure&doc_type=chapter&group=passage")  # more than 1000 passages
    total = int(re.search(r'data-total="(\d+)"', html).group(1))  # type: ignore[union-attr]
    assert total > 1000
    assert "仅显示前1000条，请增加筛选条件" in html and 'aria-label="第 100 页"' in html
    assert "仅显示前1000条" in html_of(client, "/?doc_type=figure&doc_type=chapter&group=passage&page=100")
    assert "仅显示前1000条" not in html_of(client, f"/?q={QUERY}&group=passage")
    assert "仅显示前1000条" not in html_of(client, "/?doc_type=figure&doc_type=chapter")  # 17 documents


def test_documents_stop_where_their_window_does(client: Any) -> None:
    """17 chapters listed by date: each page full until the grouped passages run out, and
    the pager then says how many documents it shows."""
    first = html_of(client, "/?doc_type=figure&doc_type=chapter")
    assert "仅显示前1000条" not in first and len(doc_blocks(first)) == 10
    total = int(re.search(r'data-total="(\d+)"', first).group(1))  # type: ignore[union-attr]
    second = html_of(client, "/?doc_type=figure&doc_type=chapter&page=2")
    shown = 10 + len(doc_blocks(second))
    assert total == 17 and shown > 10
    assert (shown == total) != (f"仅显示前{shown}份文件，请增加筛选条件" in second)


def test_a_page_past_the_results_says_so(client: Any) -> None:
    """17 chapters fill two pages: the third is not "nothing found" but past the end, with
    a link back to the last page."""
    html = html_of(client, "/?doc_type=figure&doc_type=chapter&page=3")
    assert "没有找到匹配的结果" not in html and "第3页没有结果" in html
    assert re.search(r'<a href="[^"]*page=2[^"]*">转到第2页</a>', html)


def test_a_filter_that_excludes_everything_is_not_blamed_on_the_words(client: Any) -> None:
    html = html_of(client, f"/?q={QUERY}&agency=火星人民政府")
    assert "在所选筛选条件下未找到" in html and "移除全部筛选条件" in html
    unfiltered = html_of(client, "/?q=zyxwvutq")
    assert "未找到：zyxwvutq" in unfiltered and "在所选筛选条件下" not in unfiltered


# ------------------------------------------------------------------ documents (the default view)


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


def test_the_page_shows_documents_by_default(client: Any) -> None:
    api = client.get("/api/search", params={"q": QUERY, "group": "document"}).json()
    html = html_of(client, f"/?q={QUERY}")
    blocks = doc_blocks(html)
    ids = [re.search(r'data-doc-id="(\w+)"', b).group(1) for b in blocks]  # type: ignore[union-attr]
    assert ids == [d["doc_id"] for d in api["hits"]] and len(set(ids)) == len(ids)  # one per document, best first
    assert f'data-total="{api["total"]}"' in html and "份文件" in html
    assert '<li class="hit"' not in html  # no passage list
    for block, doc in zip(blocks, api["hits"], strict=True):
        clauses = re.findall(r'<li class="clause-hit" data-id="(\w+)"', block)
        assert clauses == [p["id"] for p in doc["passages"]] and 1 <= len(clauses) <= 3
        for passage in doc["passages"]:
            assert f'<cite class="citation">{escape(passage["citation"])}</cite>' in block
        assert "<mark>" in block
        assert f"{doc['matches']} 处匹配" in block
    first = blocks[0]
    assert SKILL_MASTER in first and 'href="/policies/' in first
    # A clause is titled by its place in the document, which is named once above it.
    assert (
        '<h3 class="clause-title"><a href="/passages/' in first
        and "》第" not in first.split("<h3")[1].split("</h3>")[0]
    )
    assert_inert(html)


def test_all_matches_of_a_document_open_its_passages(client: Any) -> None:
    html = html_of(client, f"/?q={QUERY}")
    block = doc_blocks(html)[0]
    link = re.search(r'<p class="all-matches"><a href="([^"]+)">查看全部(\d+)处匹配</a>', block)
    assert link, block
    url, count = unescape(link.group(1)), int(link.group(2))
    params = dict(parse_qsl(urlsplit(url).query))
    doc_id = re.search(r'data-doc-id="(\w+)"', block).group(1)  # type: ignore[union-attr]
    assert params == {"q": QUERY, "group": "passage", "doc_id": doc_id}
    passages = html_of(client, url)
    assert f'data-total="{count}"' in passages
    assert f"仅看：《{SKILL_MASTER}》" in passages  # the chip that removes the narrowing
    api = client.get("/api/search", params={"q": QUERY, "size": 50}).json()["hits"]
    in_doc = {h["id"] for h in api if h["doc_id"] == doc_id}
    shown = set(re.findall(r'<li class="hit" data-id="(\w+)"', passages))
    assert shown and shown <= in_doc
    chip = re.search(r'class="chip"><span>仅看：[^<]+</span><a href="([^"]+)"', passages)
    assert chip and "doc_id" not in unescape(chip.group(1)) and "group=passage" in unescape(chip.group(1))


def test_the_view_switch_keeps_the_search(client: Any) -> None:
    html = html_of(client, f"/?q={QUERY}&agency=北京市人力资源和社会保障局")
    switch = re.search(r'<nav class="group-switch" aria-label="显示方式">(.*?)</nav>', html, re.S)
    assert switch
    links = re.findall(r'<a href="([^"]+)"( aria-current="true")?[^>]*>(按文件|按段落)</a>', switch.group(1))
    assert [(label, bool(current)) for _, current, label in links] == [("按文件", True), ("按段落", False)]
    passage_url = unescape(links[1][0])
    assert dict(parse_qsl(urlsplit(passage_url).query)) == {
        "q": QUERY,
        "agency": "北京市人力资源和社会保障局",
        "group": "passage",
    }
    passages = html_of(client, passage_url)
    assert '<li class="hit"' in passages and '<li class="doc-hit"' not in passages
    back = re.search(r'<a href="([^"]+)"[^>]*>按文件</a>', passages)
    assert back and "group" not in unescape(back.group(1))  # documents are the default


def test_document_facet_counts_are_documents(client: Any) -> None:
    api = client.get("/api/search", params={"q": "人才公寓", "group": "document", "facet_docs": "true"}).json()
    html = html_of(client, "/?q=人才公寓")
    for facet, values in api["facets"].items():
        section = facet_section(html, facet)
        if not values or not section:
            continue
        shown = dict(re.findall(r'data-value="([^"]+)" title="(\d+) 份文件"', section))
        assert shown, facet
        for v in values:
            if unescape(v["value"]) in shown or v["value"] in shown:
                assert int(shown.get(v["value"], shown.get(unescape(v["value"]), "0"))) == v["count"]
    counts = [int(n) for n in re.findall(r'data-count="(\d+)"', facet_section(html, "doc_kind"))]
    assert sum(counts) == api["total"]  # documents, each under its own kind


def test_a_doc_number_finds_its_policy_first(client: Any) -> None:
    html = html_of(client, "/?q=京人社能发〔2023〕3号")
    blocks = doc_blocks(html)
    assert 1 <= len(blocks) <= 3 and SKILL_MASTER in blocks[0]


def test_a_count_beyond_the_window_says_at_least() -> None:
    doc = DocumentHit("d1", "某办法", "policy", "policy", [], None, None, 1.0, 1, False, [])
    shown = document_results([doc], PageState())[0]
    assert shown.matches == "至少 1" and shown.all_url  # not 「1+」, and all of them one click away
    assert document_results([replace(doc, matches_exact=True)], PageState())[0].matches == "1"


def test_a_document_links_the_copies_of_its_text() -> None:
    # A law filed twice is one result (search.grouping.fold_copies), its copy one click away.
    doc = DocumentHit("d1", "某办法", "policy", "policy", [], None, None, 1.0, 1, True, [], copies=["d2"])
    shown = document_results([doc], PageState())
    assert shown[0].copy_urls == ["/policies/d2"]
    html = make_templates().env.get_template("_document_hits.html").render(documents=shown, offset=0)
    assert '<p class="copies">另有相同文本：<a href="/policies/d2">文本2</a></p>' in html
    alone = document_results([replace(doc, copies=[])], PageState())
    assert 'class="copies"' not in make_templates().env.get_template("_document_hits.html").render(
        documents=alone, offset=0
    )


def test_the_site_has_an_icon(client: Any) -> None:
    assert '<link rel="icon" href="/static/favicon.svg"' in html_of(client, "/")
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")


def test_search_at_slash_search_is_the_search_page(client: Any) -> None:
    # People and other sites put a search at /search?q=…: it was a 404 page.
    moved = client.get("/search?q=%E4%BA%BA%E6%89%8D&group=passage", follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["location"] == "/?q=%E4%BA%BA%E6%89%8D&group=passage"
    assert client.get("/search", follow_redirects=False).headers["location"] == "/"


def test_a_policy_without_an_issuer_says_so(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # A regulation whose text names no issuer (no header, no 文号, no signature).
    record = PolicyRecord("0123456789abcdef", "古树名木保护条例", None, [], "2025-03-15", 30, None, [])
    monkeypatch.setattr(results, "newest_first", lambda records: [record])
    html = html_of(client, "/policies")
    assert re.findall(r'<td data-label="发文机关">(.*?)</td>', html) == ["未载明"]


def test_the_landing_page_counts_documents(client: Any) -> None:
    html = html_of(client, "/")
    titles = re.findall(r'title="(\d+) 份文件"', facet_section(html, "doc_kind"))
    documents = len(client.get("/api/policies").json()["policies"])
    assert titles and all(int(n) <= 45 for n in titles) and documents > 0


# ------------------------------------------------------------------ results


def hit_blocks(html: str) -> list[str]:
    if '<li class="hit"' not in html:
        return []
    hits = html.split('<ol class="hits"', 1)[1].split('<li class="hit"')[1:]
    return ['<li class="hit"' + block for block in hits]


@pytest.mark.parametrize("query", [QUERY, "人才黏性指数", "境外职业资格", "北京人才发展报告", "技能大师", "大事记"])
def test_a_result_is_titled_by_its_citation_label(client: Any, query: str) -> None:
    api = {h["id"]: h for h in client.get("/api/search", params={"q": query, "size": 50}).json()["hits"]}
    html = html_of(client, f"/?q={query}&size=50&group=passage")
    blocks = hit_blocks(html)
    assert blocks
    for block in blocks:
        hit = api[re.search(r'data-id="(\w+)"', block).group(1)]  # type: ignore[union-attr]
        title = unescape(re.search(r'<h2 class="hit-title"><a [^>]*>([^<]+)</a>', block).group(1))  # type: ignore[union-attr]
        label = re.sub(r"，第\d+页$", "", hit["citation"]).replace(" Abstract", " 英文摘要")
        assert title.startswith("《") and title == label, (title, hit["citation"])
        assert " · " not in title
        crumbs = (
            [unescape(c) for c in re.findall(r"<li>([^<]+)</li>", block.split("</nav>")[0])] if "<nav" in block else []
        )
        assert len(crumbs) == len(set(crumbs)), crumbs  # no doubled breadcrumb
        assert "-" not in crumbs and "Abstract" not in crumbs


@pytest.mark.parametrize("query", ["人才黏性指数", "人才队伍建设", "技能大师", "对策建议"])
def test_no_result_is_only_a_heading(client: Any, query: str) -> None:
    api = client.get("/api/search", params={"q": query, "size": 50}).json()
    headings = {
        h["id"]
        for h in api["hits"]
        if re.sub(r"\s", "", h["text"]) in {re.sub(r"\s", "", x) for x in h["path"] + [h["doc_title"]]}
    }
    html = html_of(client, f"/?q={query}&size=50&group=passage")
    shown = set(re.findall(r'<li class="hit" data-id="(\w+)"', html))
    assert shown and not shown & headings
    if headings:
        assert f"本页另有 {len(headings)} 条结果只是章节标题，已略去" in html


def test_eligibility_only_still_works_in_urls(client: Any) -> None:
    html = html_of(client, "/?q=人才公寓&eligibility_only=1&group=passage")
    assert "只看申报条件与支持措施" in html  # its chip
    hits = hit_blocks(html)
    assert hits and all("eligibility" in h and ("申报条件" in h or "支持措施与待遇" in h) for h in hits)


def test_a_hit_shows_its_clause_type_not_one_label_for_two(client: Any) -> None:
    # A policy clause says whether it states who qualifies or what they get.
    for kind, label in (("condition", "申报条件"), ("benefit", "支持措施与待遇")):
        hits = hit_blocks(html_of(client, f"/?q=技能大师工作室&clause_type={kind}&group=passage"))
        badge = r'<span class="badge clause-type[^"]*" data-clause-type="(\w+)">([^<]+)<'
        badges = [re.findall(badge, h) for h in hits]
        assert hits and all(found == [(kind, label)] for found in badges), kind


def test_clause_type_and_agency_facets(client: Any) -> None:
    html = html_of(client, "/?q=技能大师工作室")
    names = facet_names(html, "clause_type")
    assert names[:2] == ["申报条件", "支持措施与待遇"]
    assert set(names) <= {"申报条件", "支持措施与待遇", "申报程序与材料", "管理与责任", "总则与附则"}
    order = [m for m in re.findall(r'data-facet="(\w+)"', html)]
    assert order[:3] == ["clause_type", "agency", "mentioned_agency"]
    html = html_of(
        client,
        "/?q=技能大师工作室&clause_type=condition&mentioned_agency=北京市财政局&agency=北京市人力资源和社会保障局",
    )
    chips = re.findall(r'class="chip"><span>([^<]+)</span>', html)
    assert chips == ["条款类型：申报条件", "发文机关：北京市人力资源和社会保障局", "涉及机关：北京市财政局"]
    assert '筛选</span><span class="filter-count">（已选 3 项）' in html


def test_the_filter_button_opens_the_facets_without_javascript(client: Any) -> None:
    html = html_of(client, f"/?q={QUERY}")
    panel = re.search(
        r'<details class="filter-panel" id="filters">\s*<summary class="filter-toggle">(.*?)</summary>\s*<aside',
        html,
        re.S,
    )
    assert panel and "筛选" in panel.group(1)
    assert html.index('class="filter-panel"') < html.index('class="results"')
    landing = html_of(client, "/")
    assert '<span class="only-wide">左侧</span><span class="only-narrow">点上方的「筛选」</span>' in landing


# ------------------------------------------------------------------ other pages


def test_passage_page_marks_the_clause_in_its_document(client: Any) -> None:
    hit = client.get("/api/search", params={"q": QUERY}).json()["hits"][0]
    view = client.get(f"/api/passages/{hit['id']}").json()
    html = html_of(client, f"/passages/{hit['id']}")
    current = re.search(r'<article class="passage clause[^"]* current" id="p-(\w+)"(.*?)</article>', html, re.S)
    assert current and current.group(1) == hit["id"]
    assert 'id="citation"' in current.group(2) and hit["citation"] in current.group(2)
    assert 'data-copy-from="citation" hidden' in current.group(2)  # shown by JS only
    ids = re.findall(r'<article class="passage[^"]*" id="p-(\w+)"', html)
    assert len(ids) == len(set(ids))  # every clause once
    kinds = {p["id"]: p["kind"] for p in client.get(f"/api/documents/{hit['doc_id']}").json()["passages"]}
    assert set(ids) <= set(kinds) and not [i for i in ids if kinds[i] == "catalogue_entry"]
    assert ".txt:" not in html and "原书第397页" in html  # the printed page, not the source line
    if view["next"]:
        assert f'rel="next" href="/passages/{view["next"]["id"]}"' in html


def policy_record(client: Any, doc_number: str) -> dict[str, Any]:
    return next(r for r in client.get("/api/policies").json()["policies"] if r["doc_number"] == doc_number)


def test_policy_page_lists_number_agencies_validity_and_articles(client: Any) -> None:
    record = policy_record(client, "京人社能发〔2023〕3号")
    html = html_of(client, f"/policies/{record['id']}")
    facts = (SKILL_MASTER, "京人社能发〔2023〕3号", "北京市人力资源和社会保障局", "2023-03-17", "2030-12-31", "29 条")
    for text in facts:
        assert text in html, text
    assert "现行有效" in html
    assert html_of(client, "/policies").count("/policies/") >= 20


def test_the_policy_list_is_paged_newest_first() -> None:
    def record(title: str, date: str | None) -> PolicyRecord:
        return PolicyRecord(title, title, None, [], date, None, None, [])

    listed = newest_first([record("甲", None), record("乙", "2019-01-01"), record("丙", "2023-03-17")])
    assert [r.title for r in listed] == ["丙", "乙", "甲"]  # the undated at the end


def test_a_policy_page_past_the_last_is_said_in_chinese(client: Any) -> None:
    rows = html_of(client, "/policies").count('data-label="版本日期"')
    assert 0 < rows <= POLICIES_PER_PAGE
    assert "页码应为 1 到 1 之间的整数" in html_of(client, "/policies?page=2", 422)


def test_policy_page_shows_each_article_once_with_its_items_nested(client: Any) -> None:
    record = policy_record(client, "京人社能发〔2023〕3号")
    html = html_of(client, f"/policies/{record['id']}")
    articles = html[html.index('id="articles-heading"') :]
    assert (
        articles.count("（一）技能大师的条件") == 1 and articles.count("第四条 申报市级工作室应同时符合以下条件") == 1
    )
    article = articles[articles.index('data-locator="第四条"') : articles.index('data-locator="第五条"')]
    lead, items = article.split('<div class="items">')
    assert "技能大师的条件" not in lead  # the lead only, its items below it
    assert 'data-locator="第四条（一）"' in items and 'data-locator="第四条（二）"' in items
    assert articles.index('data-locator="第一条"') < articles.index('data-locator="第四条"')
    first = re.search(
        r'<article class="passage[^"]*" id="p-\w+" data-clause-type="\w*" data-locator="([^"]+)"', articles
    )
    assert first and first.group(1) == "第一条"  # not the catalogue line, not the bare title
    assert "政策目录" not in articles.split('data-locator="第一条"')[0]
    # The clause-type links lead to clauses that exist.
    # The clause-type links list the clauses that exist, as passages, whatever the 文号.
    links = re.findall(r'<a href="(/\?doc_id=[^"]+)" data-clause-type="(\w+)">[^<]+（(\d+)）</a>', html)
    assert links
    for url, value, count in links:
        listing = html_of(client, unescape(url))
        assert f'data-total="{count}"' in listing and '<li class="hit"' in listing, value


def catalogue_only(client: Any) -> list[dict[str, Any]]:
    return [
        r
        for r in client.get("/api/policies").json()["policies"]
        if r["articles"] is None and r["doc_number"] != "京人社发〔2023〕99号"
    ]


def test_catalogue_only_policies_say_their_full_text_is_missing(client: Any) -> None:
    records = catalogue_only(client)
    assert len(records) == 19  # of the book's 22 policies
    for record in records:
        html = html_of(client, f"/policies/{record['id']}")
        assert "全文未收录" in html and 'data-full-text="missing"' in html, record["title"]
        assert "现行有效" not in html and "有效期" not in html  # the catalogue states no validity
        assert "clause_type=" not in html and "eligibility_only" not in html  # no link to nothing
        assert 'id="articles-heading"' not in html
        assert "目录原文" in html and record["doc_number"] in html
        assert re.search(r'class="catalogue-link" href="/passages/\w+">政策目录第 \d+ 项', html)


def test_a_full_text_and_its_catalogue_line_link_both_ways(client: Any) -> None:
    record = policy_record(client, "京人社能发〔2023〕3号")
    html = html_of(client, f"/policies/{record['id']}")
    line = re.search(r'class="catalogue-link" href="/passages/(\w+)">政策目录第 6 项（第395页）', html)
    assert line
    passage = html_of(client, f"/passages/{line.group(1)}")
    assert f'href="/policies/{record["id"]}">查看这份政策的信息和条文' in passage
    assert "全文未收录" not in html


def test_book_page_lists_its_parts_and_chapters(client: Any) -> None:
    report = client.get("/api/search", params={"q": "北京人才发展报告", "doc_type": "front_matter"}).json()["hits"][0]
    html = html_of(client, f"/documents/{report['doc_id']}")
    contents = html[
        html.index('id="book-contents-heading"') : html.index("</nav>", html.index('id="book-contents-heading"'))
    ]
    for part in ("总报告", "地区篇", "队伍篇", "生态篇", "智库篇", "附录"):
        assert part in contents, part
    chapters = re.findall(r'<a href="/documents/(\w+)"><span class="chapter-number">B\.(\d+)</span>', contents)
    assert [int(n) for _, n in chapters] == list(range(1, 18))
    assert "2023年北京人才工作大事记" in contents and 'href="/policies">政策目录（' in contents
    for chapter_id, _ in chapters[:3]:
        chapter = html_of(client, f"/documents/{chapter_id}")
        assert f'href="/documents/{report["doc_id"]}"' in chapter  # and back up
    # Labels (headings, contents, breadcrumbs) are Chinese; the book's own text may hold
    # English (its Chinese table of contents lists "Abstract / 423").
    labels = visible_text(re.sub(r'<div class="passage-text">.*?</div>', "", html, flags=re.S))
    for english in ("Abstract", "back matter", "Contents"):
        assert english not in labels, english
    assert "英文摘要" in labels and "书末附页" in labels


def test_document_and_events_pages(client: Any) -> None:
    chapter = client.get("/api/search", params={"q": "人才黏性指数", "doc_type": "chapter"}).json()["hits"][0]
    html = html_of(client, f"/documents/{chapter['doc_id']}")
    assert 'aria-label="本章目录"' in html and chapter["doc_title"] in html
    text = visible_text(html)
    assert text.count("1. 人才黏性指数总分排名") == 2  # in the table of contents and as the heading, once
    assert '<th scope="col">城市</th>' in html  # a table passage as a table
    assert text.count("黏性指数是一个可以直观") == 1  # the abstract once, not in the facts too
    assert "Reports on Ecology" not in text  # the chapter's title page repeats the heading
    assert "生态篇 › B.11" not in text and " › - " not in text
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


class DownBackend:
    """A searcher whose engine cannot be reached."""

    def close(self) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        def down(*args: Any, **kwargs: Any) -> Any:
            raise EngineUnavailable("connection refused: http://127.0.0.1:9200")

        return down


def test_an_engine_outage_is_said_in_chinese(tmp_path: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    settings = load_settings(db_path=tmp_path, es_url="")
    with TestClient(create_app(DownBackend(), settings=settings)) as down:  # type: ignore[arg-type]
        for url in ("/?q=人才公寓", "/policies", f"/policies/{'0' * 16}", "/events"):
            html = html_of(down, url, 503)
            assert "检索服务暂不可用" in html and "请稍后刷新重试" in html, url
            assert "connection refused" not in html and 'id="search-form"' in html
            assert_chinese(html)
        assert 'value="人才公寓"' in html_of(down, "/?q=人才公寓", 503)


def test_the_document_view_counts_documents_by_their_own_kind(client: Any) -> None:
    # Its 文档类型 counted a chapter under 脚注 when one of its footnotes matched.
    documents = html_of(client, "/?q=人才黏性指数")
    assert "报告章节" in facet_names(documents, "doc_kind") and not facet_names(documents, "doc_type")
    assert all(name not in ("脚注", "图", "表格") for name in facet_names(documents, "doc_kind"))
    assert 'id="facet-doc_kind">文档类型<' in documents
    passages = html_of(client, "/?q=人才黏性指数&group=passage")
    assert "脚注" in facet_names(passages, "doc_type") and not facet_names(passages, "doc_kind")
    assert 'id="facet-doc_type">内容类型<' in passages


def test_the_policy_list_filters_by_year_and_keeps_it(client: Any) -> None:
    records = client.get("/api/policies").json()["policies"]
    year = next(r["date"][:4] for r in records if r.get("date"))
    html = html_of(client, f"/policies?year={year}")
    assert f'<option value="{year}" selected>{year}</option>' in html  # the form keeps the choice
    shown = re.findall(r'data-label="版本日期">([^<]*)<', html)
    assert shown and all(d.startswith(year) for d in shown)


def test_a_question_about_qualifying_points_to_the_check(client: Any) -> None:
    question = "我今年五十岁了还能申请技能大师工作室吗"
    html = html_of(client, "/?" + urlencode({"q": question}))
    link = re.search(r'<p class="check-hint">[^<]*<a href="([^"]+)">', html)
    assert link and dict(parse_qsl(urlsplit(unescape(link.group(1))).query)) == {"q": question}
    assert 'class="check-hint"' not in html_of(client, "/?q=人才公寓")  # a topic, no question of fit


def test_a_passage_result_cites_once_unless_the_citation_says_more(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def hit(citation: str) -> Hit:
        path = ["某某条例", "第四条"]
        return Hit(
            "0123456789abcdef",
            "d",
            "某某条例",
            "policy",
            citation,
            path,
            "第四条 …",
            "第四条 …",
            [],
            None,
            None,
            [],
            False,
            "s",
            1.0,
        )

    monkeypatch.setattr(results, "visible_hits", lambda hits: [hit("《某某条例》第四条")])
    html = html_of(client, "/?q=人才&group=passage")
    assert html.count("《某某条例》第四条") == 1  # the title says it; no second line
    monkeypatch.setattr(results, "visible_hits", lambda hits: [hit("《某某报告》B.1 一，第3页")])
    assert '<cite class="citation">《某某报告》B.1 一，第3页</cite>' in html_of(client, "/?q=人才&group=passage")


def test_the_timeline_is_searched_by_words(client: Any) -> None:
    every = html_of(client, "/events")
    total = int(re.search(r"共 (\d+) 条", every).group(1))  # type: ignore[union-attr]
    word = "氢能"
    html = html_of(client, f"/events?q={word}")
    found = int(re.search(r"共 (\d+) 条", html).group(1))  # type: ignore[union-attr]
    entries = re.findall(r"<li><time[^>]*>[^<]*</time>\s*<p>(.*?)</p>", html, re.S)
    assert 0 < found < total and entries and all(word in unescape(e) for e in entries)
    assert f'value="{word}"' in html  # the box keeps the words
    assert "没有符合条件的大事记" in html_of(client, "/events?q=火锅")


def test_a_clause_snippet_does_not_repeat_its_title(client: Any) -> None:
    # 「第四条」 as the title, 「第四条 申报…」 as the snippet and 《…》第四条 as the citation:
    # the place was said three times.
    for group in ("document", "passage"):
        html = html_of(client, f"/?q=技能大师工作室申报条件&group={group}", 200)
        pairs = re.findall(
            r'class="(?:clause|hit)-title"><a [^>]*>([^<]*)</a></h[23]>\s*<p class="snippet">([^<]*)', html
        )
        assert pairs, group
        for title, snippet in pairs:
            place = title.rsplit("》", 1)[-1]
            assert not (place.startswith("第") and snippet.startswith(place + " ")), (group, title, snippet[:20])
