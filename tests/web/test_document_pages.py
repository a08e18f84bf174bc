"""The search page's document view (the default) and its results without a browser: documents
with their best clauses, counts of documents, citation labels, the clause-type facet."""

from __future__ import annotations

import re
from dataclasses import replace
from html import unescape
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from markupsafe import escape

from ingest.model import PolicyRecord
from search_api.http import views
from search_api.http.page import results
from search_api.http.page.form import PageState
from search_api.http.page.results import document_results, partial_from
from search_api.http.page.templating import make_templates
from search_api.search.types import DocumentHit
from tests.web.pages import (
    QUERY,
    SKILL_MASTER,
    assert_inert,
    doc_blocks,
    facet_names,
    facet_section,
    hit_blocks,
    html_of,
)


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
        # The API's passages, the book's catalogue line about a policy after its own clauses.
        listed = sorted(doc["passages"], key=lambda p: p["doc_type"] == "catalogue_entry" and len(doc["passages"]) > 1)
        assert clauses == [p["id"] for p in listed] and 1 <= len(clauses) <= 3
        if len(listed) > 1:
            assert listed[0]["doc_type"] != "catalogue_entry"
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
    # The 文号 is the document's: its passages are counted, not called matches of it.
    assert re.search(r"共 \d+ 段", blocks[0]) and "处匹配" not in blocks[0]
    assert "处匹配" in doc_blocks(html_of(client, "/?q=京人社能发〔2023〕3号 申报条件"))[0]


def test_a_count_beyond_the_window_says_at_least() -> None:
    doc = DocumentHit("d1", "某办法", "policy", "policy", [], None, None, 1.0, 1, False, [])
    shown = document_results([doc], PageState())[0]
    assert shown.matches == "至少 1" and shown.all_url  # not 「1+」, and all of them one click away
    assert document_results([replace(doc, matches_exact=True)], PageState())[0].matches == "1"
    # A lower bound is no count of all: 查看全部匹配（至少 19 处） had contradicted itself, and
    # 查看更多匹配（至少 1 处） promised more to a document that may have one match.
    typed = document_results([doc], PageState(q="人才"))
    html = make_templates().env.get_template("_document_hits.html").render(documents=typed, offset=0)
    assert "查看此文件的全部匹配" in html and "至少 1 处）" not in html and "查看全部匹配" not in html


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


def test_a_result_says_which_words_it_lacks(client: Any) -> None:
    # Beside a result holding only most of the query's words: 缺少 and the words, struck
    # through; the banner tells words no passage holds (未找到) from words only other
    # passages hold.
    doc = DocumentHit("d1", "某办法", "policy", "policy", [], None, None, 1.0, 1, True, [], missing=["金额"])
    html = (
        make_templates()
        .env.get_template("_document_hits.html")
        .render(documents=document_results([doc], PageState()), offset=0)
    )
    assert '<p class="missing">缺少：<s>金额</s></p>' in html
    # Where the documents holding every word end, a line says the rest hold only some.
    whole = DocumentHit("d0", "某条例", "policy", "policy", [], None, None, 2.0, 1, True, [])
    both = document_results([whole, doc], PageState())
    listed = make_templates().env.get_template("_document_hits.html").render(documents=both, offset=0)
    assert listed.index('data-doc-id="d0"') < listed.index("以下文件只含部分检索词") < listed.index('data-doc-id="d1"')
    assert "只含部分检索词" not in html  # not above a first result: the banner says it
    # Ranked apart (a full match below a partial one), the divider had shown twice, with
    # documents lacking nothing under it: it goes once, above the partial run at the end.
    later = replace(whole, doc_id="d2")
    mixed = document_results([whole, doc, later, replace(doc, doc_id="d3")], PageState())
    listed = make_templates().env.get_template("_document_hits.html").render(documents=mixed, offset=0)
    assert listed.count("以下文件只含部分检索词") == 1
    assert listed.index('data-doc-id="d2"') < listed.index("以下文件只含部分检索词") < listed.index('data-doc-id="d3"')
    assert partial_from([[], ["金额"], [], []]) is None and partial_from([["金额"]]) is None
    page = html_of(client, "/?q=技能大师+一次性资助+设备设施+骆驼&group=passage")
    assert re.search(r'<p class="missing">缺少：<s>[^<]+</s>', page)
    banner = re.search(r'<p class="relaxed" role="status">(.*?)</p>', page, re.S)
    # Several words held: each result holds some of them (the 300-character question's
    # banner had said 只包含 words its only result lacked).
    assert banner and banner.group(1).startswith("未找到：骆驼。以下结果各含这些词中的一部分："), banner.group(1)
    assert "（每条结果下列出它缺少的词）" in banner.group(1)


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
    monkeypatch.setattr(views, "newest_first", lambda records: [record])
    html = html_of(client, "/policies")
    assert re.findall(r'<td data-label="发文机关">(.*?)</td>', html) == ["未载明"]


def test_without_words_a_document_counts_its_passages_not_matches(client: Any) -> None:
    # An official browsing an agency's documents typed nothing to match (「19 处匹配」).
    browsed = "".join(doc_blocks(html_of(client, "/?q=&doc_kind=policy")))
    assert "处匹配" not in browsed and re.search(r'class="match-count">共 \d+ 段<', browsed)
    searched = "".join(doc_blocks(html_of(client, "/?q=" + QUERY)))
    assert re.search(r'class="match-count">\d+ 处匹配<', searched)


def test_a_policy_known_only_by_its_catalogue_line_says_so_in_the_results(client: Any) -> None:
    # 19 of the book's 22 policies are one line of its 政策目录: the results had looked alike.
    blocks = doc_blocks(html_of(client, "/?q=职称&agency=北京市人力资源和社会保障局"))
    listed = [b for b in blocks if "仅目录，全文未收录" in b]
    assert listed and all("/policies/" in b for b in listed)
    skills = doc_blocks(html_of(client, "/?q=" + QUERY))[0]
    assert SKILL_MASTER in skills and "仅目录" not in skills
    body = client.get("/api/search", params={"q": "职称", "group": "document"}).json()
    assert {doc["catalogue_only"] for doc in body["hits"]} == {True, False}


def test_the_landing_page_counts_documents(client: Any) -> None:
    html = html_of(client, "/")
    titles = re.findall(r'title="(\d+) 份文件"', facet_section(html, "doc_kind"))
    documents = len(client.get("/api/policies").json()["policies"])
    assert titles and all(int(n) <= 45 for n in titles) and documents > 0


@pytest.mark.parametrize("query", [QUERY, "人才黏性指数", "境外职业资格", "北京人才发展报告", "技能大师", "大事记"])
def test_a_result_is_titled_by_its_citation_label(client: Any, query: str) -> None:
    api = {h["id"]: h for h in client.get("/api/search", params={"q": query, "size": 50}).json()["hits"]}
    html = html_of(client, f"/?q={query}&size=50&group=passage")
    blocks = hit_blocks(html)
    assert blocks
    for block in blocks:
        hit = api[re.search(r'data-id="(\w+)"', block).group(1)]  # type: ignore[union-attr]
        title = unescape(re.search(r'<h2 class="hit-title"><a [^>]*>([^<]+)</a>', block).group(1))  # type: ignore[union-attr]
        label = re.sub(r"，约?第\d+页$", "", hit["citation"]).replace(" Abstract", " 英文摘要")
        assert title.startswith("《") and title == label, (title, hit["citation"])
        assert " · " not in title
        crumbs = (
            [unescape(c) for c in re.findall(r"<li>([^<]+)</li>", block.split("</nav>")[0])] if "<nav" in block else []
        )
        assert len(crumbs) == len(set(crumbs)), crumbs  # no doubled breadcrumb
        if hit["agencies"]:  # who issued it, as in the document view
            assert f'<span class="agencies">{escape("、".join(hit["agencies"]))}</span>' in block
        assert "-" not in crumbs and "Abstract" not in crumbs
        # Nor what the title shows: the document it cites, the article and item it names
        # (the 办法's 第九条（一） had read 办法 › 第三章 申报程序 › 第九条 › （一） above its title).
        cited = re.match(r"《([^》]+)》(.*)", title)
        assert cited and cited.group(1) not in crumbs, crumbs
        assert not crumbs or not cited.group(2).replace(" ", "").endswith(crumbs[-1].replace(" ", "")), crumbs


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


def test_a_policys_clauses_come_before_the_catalogue_line_about_it() -> None:
    # Asked by its name, 技能大师工作室 办法 had shown the book's 政策目录 6 first: a line
    # repeating the title, 文号, issuer and date printed just above it.
    def hit(kind: str, text: str) -> Any:
        return SimpleNamespace(doc_type=kind, text=text, path=["办法", text[:3]], doc_title="办法")

    line, article = hit("catalogue_entry", "6 北京市技能大师工作室建设管理办法"), hit("policy", "第二条 本办法所指…")
    assert results.visible_hits([line, article]) == [article, line]
    assert results.visible_hits([line]) == [line]  # a catalogue-only policy keeps its line


def test_passage_view_shows_no_text_twice(client: Any) -> None:
    # 第十二条 lists its items; listed after it, 第十二条（一）–（四） had shown its sentences again.
    params = {"q": "技能大师工作室", "group": "passage", "size": 50}
    api = client.get("/api/search", params=params).json()["hits"]
    shown, repeated = [], []
    for hit in api:
        inside = [h for h in shown if h["doc_id"] == hit["doc_id"] and len(h["text"]) > len(hit["text"])]
        own = re.sub(r"\s", "", hit["text"])
        (repeated if any(own in re.sub(r"\s", "", h["text"]) for h in inside) else shown).append(hit)
    assert repeated  # the case is on the page
    html = html_of(client, "/?q=技能大师工作室&group=passage&size=50")
    ids = [re.search(r'data-id="(\w+)"', b).group(1) for b in hit_blocks(html)]  # type: ignore[union-attr]
    assert sorted(ids) == sorted(h["id"] for h in shown)  # (the book's catalogue line moves after the clauses)
    assert f"本页另有 {len(repeated)} 条结果的全文已在上方列出" in html


def test_the_same_clause_of_a_copy_is_not_listed_again() -> None:
    # 居民身份证法 filed twice in the archive: its 第十一条 had shown twice in a row.
    def hit(doc: str, citation: str, text: str) -> Any:
        return SimpleNamespace(doc_id=doc, citation=citation, text=text)

    first = hit("a", "《居民身份证法》第十一条", "第十一条 居民身份证丢失的，应当申请补领。")
    copy = hit("b", "《居民身份证法》第十一条", "第十一条 居民身份证丢失的，应当申请补领。")
    amended = hit("c", "《居民身份证法》第十一条", "第十一条 居民身份证丢失的，应当申请补领。")
    other = hit("d", "《某市居民身份证办法》第十一条", "第十一条 居民身份证丢失的，应当申请补领。")
    text_keys = {"a": "k1", "b": "k1", "c": "k2", "d": "k3"}  # c: another version, an unchanged article
    assert results.without_repeats([first, copy, amended, other], text_keys.get) == [first, amended, other]
    assert results.without_repeats([first, copy]) == [first, copy]  # copies unknown: both shown
