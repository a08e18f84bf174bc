"""The pages beside the search without a browser: passages, policies and their list, the
book, documents and events, hostile documents shown as text, an engine outage."""

from __future__ import annotations

import re
import warnings
from html import unescape
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from ingest.model import PolicyRecord
from search_api.errors import EngineUnavailable
from search_api.http import views as service
from search_api.http.app import create_app
from search_api.http.page import results
from search_api.http.page.routes import POLICIES_PER_PAGE
from search_api.http.views import newest_first
from search_api.search.types import Hit
from search_api.settings import load_settings
from tests.api.index import EVIL_TITLE
from tests.web.pages import (
    QUERY,
    SKILL_MASTER,
    assert_chinese,
    assert_inert,
    catalogue_only,
    facet_names,
    html_of,
    policy_record,
    visible_text,
)


def test_passage_page_marks_the_clause_in_its_document(client: Any) -> None:
    hit = client.get("/api/search", params={"q": QUERY}).json()["hits"][0]
    view = client.get(f"/api/passages/{hit['id']}").json()
    html = html_of(client, f"/passages/{hit['id']}")
    current = re.search(r'<article class="passage clause[^"]* current" id="p-(\w+)"(.*?)</article>', html, re.S)
    assert current and current.group(1) == hit["id"]
    # The citation to copy names the 文号 after the title, as documents cite each other.
    title, place = hit["citation"].split("》", 1)
    formal = f"{title}》（{hit['doc_number']}）{place}"
    assert hit["doc_number"] and f'<cite id="citation" class="citation">{formal}</cite>' in current.group(2)
    assert 'data-copy-from="citation" hidden' in current.group(2)  # shown by JS only
    ids = re.findall(r'<article class="passage[^"]*" id="p-(\w+)"', html)
    assert len(ids) == len(set(ids))  # every clause once
    kinds = {p["id"]: p["kind"] for p in client.get(f"/api/documents/{hit['doc_id']}").json()["passages"]}
    assert set(ids) <= set(kinds) and not [i for i in ids if kinds[i] == "catalogue_entry"]
    assert ".txt:" not in html and "原书约第397页" in html  # the printed page (estimated), not the source line
    if view["next"]:
        assert f'rel="next" href="/passages/{view["next"]["id"]}"' in html


def test_policy_page_lists_number_agencies_validity_and_articles(client: Any) -> None:
    record = policy_record(client, "京人社能发〔2023〕3号")
    html = html_of(client, f"/policies/{record['id']}")
    facts = (SKILL_MASTER, "京人社能发〔2023〕3号", "北京市人力资源和社会保障局", "2023-03-17", "2030-12-31", "29 条")
    for text in facts:
        assert text in html, text
    assert "现行有效" in html
    assert '<dt>地区</dt><dd><a href="/policies?region=%E5%8C%97%E4%BA%AC" class="region">北京</a></dd>' in html
    assert html_of(client, "/policies").count("/policies/") >= 20


def test_the_policy_list_filters_by_region(client: Any) -> None:
    every = client.get("/api/policies").json()
    beijing = client.get("/api/policies", params={"region": "北京"}).json()
    assert beijing["total"] == every["total"] >= 20  # the book's policies and a 北京市… test file
    assert {p["region"] for p in beijing["policies"]} == {"北京"}
    assert client.get("/api/policies", params={"region": "广东"}).json()["total"] == 0
    html = html_of(client, "/policies?region=北京")
    assert f'<option value="北京" selected>北京（{beijing["total"]}）</option>' in html
    assert f"共 {beijing['total']} 份" in html


def test_the_policy_lists_choices_count_under_the_other_filters(client: Any) -> None:
    # 国务院（625） beside 地区 北京 had led to 共 1 份: each 发文机关 counted over everything.
    every = client.get("/api/policies").json()["total"]
    narrowed = client.get("/api/policies", params={"q": "办法"}).json()["total"]
    assert 0 < narrowed < every
    html = html_of(client, "/policies?q=办法")
    select = html.split('<select id="pagency"', 1)[1].split("</select>", 1)[0]
    offered = re.findall(r'<option value="([^"]+)"[^>]*>[^<]+（(\d+)）</option>', select)
    assert offered
    for agency, shown in offered:
        listed = client.get("/api/policies", params={"agency": agency, "q": "办法"}).json()["total"]
        assert int(shown) == listed, (agency, shown, listed)


def test_the_policy_list_is_paged_newest_first() -> None:
    def record(title: str, date: str | None) -> PolicyRecord:
        return PolicyRecord(title, title, None, [], date, None, None, [])

    listed = newest_first([record("甲", None), record("乙", "2019-01-01"), record("丙", "2023-03-17")])
    assert [r.title for r in listed] == ["丙", "乙", "甲"]  # the undated at the end


def test_the_api_lists_policies_in_the_pages_order(client: Any) -> None:
    # /api/policies had listed the oldest first, the undated before them.
    records = client.get("/api/policies").json()["policies"]
    dates = [r["date"] for r in records]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True) and dates == dated + [None] * (len(dates) - len(dated))
    page = html_of(client, "/policies")
    shown = re.findall(r'<a href="/policies/([0-9a-f]+)">', page)
    assert shown and shown == [r["id"] for r in records][: len(shown)]


def test_a_policy_page_past_the_last_is_said_in_chinese(client: Any) -> None:
    rows = html_of(client, "/policies").count('data-label="版本日期"')
    assert 0 < rows <= POLICIES_PER_PAGE
    # A page past the last says where the list ends, as the search page does (it was a 422).
    past = html_of(client, "/policies?page=2")
    assert "第2页没有结果：结果到第1页为止" in past and 'class="policies"' not in past
    assert re.search(r'<a href="[^"]*page=1[^"]*">转到第1页</a>', past)
    assert "页码应为 1 到 1 之间的整数" in html_of(client, "/policies?page=0", 422)
    assert "没有符合条件的政策文件" in html_of(client, "/policies?q=京人社&year=1999&page=2")
    assert "<strong>页码</strong>：只能填写一个值" in html_of(client, "/policies?page=1&page=2", 422)
    # A year that is no year had listed 共 0 份 without a word; /api/policies refuses it.
    assert "<strong>年份</strong>：“abcd”不是年份" in html_of(client, "/policies?year=abcd", 422)
    # Nothing found says so, with the way back, instead of an empty table under 共 0 份.
    empty = html_of(client, "/policies?q=京人社&year=1999")
    assert "没有符合条件的政策文件" in empty and 'href="/policies">清除全部条件' in empty
    assert 'class="policies"' not in empty


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
    # The clause-type links list the clauses that exist, as passages (段, each article's lead
    # and each item), whatever the 文号; 条文 counts articles.
    links = re.findall(r'<a href="(/\?doc_id=[^"]+)" data-clause-type="(\w+)">[^<]+（(\d+) 段）</a>', html)
    assert links and sum(int(count) for _, _, count in links) > 29 and "<dt>条文</dt><dd>29 条" in html
    for url, value, count in links:
        listing = html_of(client, unescape(url))
        assert f'data-total="{count}"' in listing and '<li class="hit"' in listing, value


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
    line = re.search(r'class="catalogue-link" href="/passages/(\w+)">政策目录第 6 项（约第395页）', html)
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
    # Its ¶ opens the caption, not a line of its own above the figure.
    assert '<figcaption><a class="passage-link"' in html and '">¶</a> <figure' not in html
    assert text.count("黏性指数是一个可以直观") == 1  # the abstract once, not in the facts too
    assert "Reports on Ecology" not in text  # the chapter's title page repeats the heading
    assert "生态篇 › B.11" not in text and " › - " not in text
    # A figure is only its caption here: the page says where the picture is printed.
    assert re.search(r'> 图 ?\d+[^<]*<span class="muted figure-note">（图略，见原书约?第\d+页）</span>', html)
    # The footnotes printed at the page feet come after the text, under 注释.
    notes = client.get("/api/documents/" + chapter["doc_id"]).json()["passages"]
    footnotes = [p["id"] for p in notes if p["kind"] == "footnote"]
    body, _, after = html.partition('<h2 id="notes-heading">注释</h2>')
    assert footnotes and all(f'id="p-{i}"' in after and f'id="p-{i}"' not in body for i in footnotes)
    html = html_of(client, "/events?date_from=2023-05&date_to=2023-05")
    assert "大事记" in html and re.search(r"共 \d+ 条", html)
    # A page past the last says where they end (共 47 条 over an empty list had said nothing).
    past = html_of(client, "/events?page=2")
    assert "第 2 页没有大事记：共" in past and "到第 1 页为止" in past and 'page=1">转到第 1 页</a>' in past
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
    assert re.search(f'<option value="{year}" selected>{year}（\\d+）</option>', html)  # the form keeps the choice
    # The years offered are those of the texts the other filters keep, each counted.
    narrowed = html_of(client, "/policies?q=京人社")
    offered = re.findall(r'<option value="(\d{4})"[^>]*>\d{4}（(\d+)）</option>', narrowed)
    listed = client.get("/api/policies", params={"q": "京人社"}).json()["policies"]
    assert offered and {y for y, _ in offered} == {r["date"][:4] for r in listed if r.get("date")}
    shown = re.findall(r'data-label="版本日期">([^<]*)<', html)
    assert shown and all(d.startswith(year) for d in shown)


def test_a_question_about_qualifying_points_to_the_check(client: Any) -> None:
    question = "我今年五十岁了还能申请技能大师工作室吗"
    html = html_of(client, "/?" + urlencode({"q": question}))
    link = re.search(r'<p class="check-hint">[^<]*<a href="([^"]+)">', html)
    # The form comes filled with the age the question states.
    assert link and dict(parse_qsl(urlsplit(unescape(link.group(1))).query)) == {"q": question, "age": "50"}
    assert 'value="50"' in html_of(client, unescape(link.group(1)))
    limit = "五十岁以下的人能申请技能大师工作室吗"  # a limit asked about, no age of the asker
    link = re.search(r'<p class="check-hint">[^<]*<a href="([^"]+)">', html_of(client, "/?" + urlencode({"q": limit})))
    assert link and dict(parse_qsl(urlsplit(unescape(link.group(1))).query)) == {"q": limit}
    assert 'class="check-hint"' not in html_of(client, "/?q=人才公寓")  # a topic, no question of fit
    # The skill level too (it had kept the age only, and the check then said 未填写职业技能等级).
    skilled = "我是技师，今年50岁，能申请技能大师工作室吗"
    link = re.search(
        r'<p class="check-hint">[^<]*<a href="([^"]+)">', html_of(client, "/?" + urlencode({"q": skilled}))
    )
    assert link and dict(parse_qsl(urlsplit(unescape(link.group(1))).query)) == {
        "q": skilled,
        "skill_level": "技师",
        "age": "50",
    }


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


def test_the_timeline_says_each_date_once(client: Any) -> None:
    # Each entry had read its date three times (2023-10-18, 18日 …, the citation's 10月18日)
    # and the book's whole citation on every line.
    html = html_of(client, "/events")
    entries = re.findall(
        r'<li><time datetime="([\d-]+)">[^<]*</time>\s*<p>(.*?)</p>\s*<p class="hit-meta">(.*?)</p>', html, re.S
    )
    assert entries
    for date, text, meta in entries:
        assert len(date) < 10 or not re.match(rf"{int(date[8:])}日(?!至)", text), text
        assert "北京人才发展报告" not in re.sub(r'title="[^"]*"', "", meta) and "查看原文" in meta
    # A range keeps its start: 「至8月4日 北京市…」 had been left of 30日至8月4日.
    assert any(text.startswith("30日至8月4日") for _, text, _ in entries)
    assert results.event_text("30日 至8月4日 北京…", "2023-07-30") == "30日 至8月4日 北京…"  # spaced too
    assert results.event_text("18日 第三届…", "2023-07-18") == "第三届…"


def test_the_timeline_is_filtered_by_agency_as_the_api_is(client: Any) -> None:
    # /events?agency=… had been ignored (共 47 条 still) while /api/events filters by it.
    every = html_of(client, "/events")
    choices = re.findall(r"<option>([^<]+)</option>", every)
    assert choices, "the agency filter offers the agencies acting in the timeline"
    agency = choices[-1]
    html = html_of(client, f"/events?agency={agency}")
    found = int(re.search(r"共 (\d+) 条", html).group(1))  # type: ignore[union-attr]
    api = client.get("/api/events", params={"agency": agency}).json()
    assert 0 < found == api["total"] < int(re.search(r"共 (\d+) 条", every).group(1))  # type: ignore[union-attr]
    assert f"<option selected>{agency}</option>" in html


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


def test_a_query_in_traditional_characters_says_how_it_was_searched(client: Any) -> None:
    # 職業資格 found 职业资格 without a word: the reader could not tell why the marks differ.
    assert "已按简体“职业资格”检索" in html_of(client, "/?q=職業資格")
    assert "已按简体" not in html_of(client, "/?q=职业资格")


def test_the_formal_citation_names_the_number_once() -> None:
    number = "京人社能发〔2023〕3号"
    assert (
        service.formal_citation("《办法》第四条（一），第397页", number) == f"《办法》（{number}）第四条（一），第397页"
    )
    assert service.formal_citation(f"《关于印发（{number}）的通知》第一条", number).count(number) == 1
    assert service.formal_citation("《办法》第四条", None) == "《办法》第四条"
    assert service.formal_citation("前言", number) == "前言"
