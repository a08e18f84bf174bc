"""The server-rendered search page without a browser: content, escaping, URL state, no-JS
forms, and errors a citizen can read."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from search_api.http.page.templating import highlight_html
from search_api.http.params import SearchParams
from search_api.search.highlight import highlight
from tests.web.pages import (
    QUERY,
    assert_chinese,
    assert_inert,
    doc_blocks,
    facet_section,
    html_of,
)


def test_snippets_are_trusted_only_in_the_highlighter_form() -> None:
    snippet = highlight("条件 <script>alert(1)</script> & 申报", ["条件", "script"])
    assert str(highlight_html(snippet)) == snippet and "&lt;" in snippet
    assert str(highlight_html("<b>x</b><mark>y</mark>")) == "&lt;b&gt;x&lt;/b&gt;&lt;mark&gt;y&lt;/mark&gt;"
    assert str(highlight_html('<mark onclick="x">y</mark>')).startswith("&lt;mark")


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


def test_a_page_past_the_results_links_the_last_one(client: Any) -> None:
    # The problem named 第N页 without a link to it.
    html = html_of(client, "/?q=人才&page=9999", 422)
    last = re.search(r"结果到第(\d+)页为止", html)
    assert last and f'page={last.group(1)}">转到最后一页</a>' in html


@pytest.mark.parametrize(
    ("url", "param", "says"),
    [
        ("/?q=人才&date_from=2023-13", "date_from", "不是有效的日期"),
        ("/?q=人才&date_from=abc", "date_from", "不是日期"),
        ("/?q=人才&date_from=202305011", "date_from", "不是日期"),  # nine digits are no date
        ("/?q=人才&date_from=20231301", "date_from", "不是有效的日期"),
        ("/?q=人才&date_to=2023-02-30", "date_to", "不是有效的日期"),
        ("/?q=人才&date_from=1200", "date_from", "超出范围"),
        ("/?q=人才&date_from=2023-06&date_to=2023-01", "date_to", "请对调两个日期"),
        ("/?q=人才&page=0", "page", "页码应为 1 到 100 之间的整数"),
        # Past the result window: where the results end when they end before it (仅显示前
        # 1000条 had been said of a few dozen documents), else where the window does.
        ("/?q=人才&page=9999", "page", "第9999页没有结果：结果到第"),
        ("/?q=人才&page=abc", "page", "页码应为"),
        ("/?q=人才&group=passage&page=500", "page", "仅显示前1000条（每页 10 条时到第 100 页为止）"),
        ("/?q=人才&size=99", "size", "每页条数应为 1 到 50 之间的整数"),
        ("/?q=人才&sort=newest", "sort", "只能按相关度"),
        ("/?q=人才&group=chapters", "group", "只能按文件"),
        ("/?q=人才&group=passage&doc_id=not-an-id", "doc_id", "文档编号无效"),
        ("/?q=人才&eligibility_only=maybe", "eligibility_only", "应为 1（是）或 0（否）"),
        ("/?q=人才&doc_number=" + "京" * 101, "doc_number", "文号最多 100 字"),
        ("/?q=人才" + "".join(f"&agency=机关{i}" for i in range(21)), "agency", "最多可选 20 项"),
        ("/?q=人才&talent_category=" + "人" * 101, "talent_category", "每项最多 100 字"),
        ("/?q=人才&year=abc", "year", "不是年份"),  # had been a chip 年份：abc年 and no results
        ("/?q=人才&clause_type=support", "clause_type", "没有条款类型“support”，可选：申报条件"),  # the same
        ("/?q=人才&doc_kind=zzz", "doc_kind", "没有文档类型“zzz”，可选：报告、报告章节、政策文件"),
        ("/?q=人才&talent_category=不存在", "talent_category", "没有人才类别“不存在”，可选：党政人才"),
        ("/events?date_from=2023-99", "date_from", "不是有效的日期"),
        ("/events?date_from=2024&date_to=2020", "date_to", "请对调两个日期"),
        ("/events?page=0", "page", "页码应为"),
        # Given twice: the page had answered for the last value alone, the API refused it.
        ("/?q=人才&size=10&size=20", "size", "只能填写一个值，收到“10”、“20”"),
        ("/events?date_from=2020&date_from=2021", "date_from", "只能填写一个值"),
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


def test_every_parameter_is_named_in_chinese(client: Any) -> None:
    # spell had been named by the parameter itself: 「spell：应为 1（是）或 0（否）」.
    html = html_of(client, "/?q=人才&spell=2", 422)
    assert '<li data-param="spell"><strong>拼写纠正</strong>：应为 1（是）或 0（否）。</li>' in html


def test_dates_as_people_write_them_are_understood(client: Any) -> None:
    html = html_of(client, "/?q=人才&date_from=2023/5/1&date_to=2023年6月")
    chips = re.findall(r'class="chip"><span>([^<]+)</span>', html)
    assert chips == ["日期：2023-05-01 至 2023-06"]
    assert 'name="date_from" value="2023-05-01"' in html
    # Eight digits in a row, as many date boxes take them, had been 「不是日期」.
    compact = html_of(client, "/?q=人才&date_from=20230501&date_to=２０２３０６３０")
    assert re.findall(r'class="chip"><span>([^<]+)</span>', compact) == ["日期：2023-05-01 至 2023-06-30"]


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
    # 上一页 leads to the last page, not to the page before this one (as empty as it).
    far = html_of(client, "/?doc_type=figure&doc_type=chapter&page=5")
    assert re.search(r'<a rel="prev" href="[^"]*page=2[^"]*">上一页</a>', far)


def test_a_filter_that_excludes_everything_is_not_blamed_on_the_words(client: Any) -> None:
    html = html_of(client, f"/?q={QUERY}&agency=火星人民政府")
    assert "在所选筛选条件下未找到" in html and "移除全部筛选条件" in html
    unfiltered = html_of(client, "/?q=zyxwvutq")
    assert "未找到：zyxwvutq" in unfiltered and "在所选筛选条件下" not in unfiltered


def test_the_count_names_a_range_only_when_there_are_more_results(client: Any) -> None:
    # 「共 1 份文件，第 1–1 份」 had said the one document's range.
    one = html_of(client, "/?q=京人社能发〔2023〕3号")
    assert re.search(r"共 <strong[^>]*>1</strong> 份文件</h1>", one), one[:3000]
    many = html_of(client, "/?q=人才")
    assert re.search(r"份文件，第 1–10 份", many)
    assert re.search(r"份文件，第 11–20 份", html_of(client, "/?q=人才&page=2"))
