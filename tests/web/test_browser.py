"""The search page in a real browser (Debian's Chromium driven by Playwright).

A person's path through the page: type a query, read the documents it finds (the default
view: each document once, its best clauses under it) and all matches of one of them (the
passage view), apply a facet (条款类型, 发文机关, 涉及机关), open a passage, copy its
citation; plus IME composition, keyboard use, back button, the 筛选 button and layout at
phone width (390 px) against desktop (1280 px), Chinese error pages, a policy known only
from the catalogue, no JavaScript, and hostile document text that must never execute.
Screenshots of both widths go to ``test-output/web/``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.api.index import EVIL_TITLE

QUERY = "技能大师工作室申报条件"
SKILL_MASTER = "北京市技能大师工作室建设管理办法"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def params(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def search_from_box(page: Any, text: str) -> None:
    page.goto("/")
    box = page.get_by_role("combobox", name="检索词")
    box.click()
    page.keyboard.insert_text(text)
    with page.expect_navigation():
        box.press("Enter")


def facet_sum(page: Any, facet: str) -> int:
    counts = page.locator(f'[data-facet="{facet}"] .count').evaluate_all("els => els.map(e => +e.dataset.count)")
    return int(sum(counts))


def test_search_shows_the_article_first_with_citation(page: Any, output_dir: Path) -> None:
    search_from_box(page, QUERY)
    assert params(page)["q"] == [QUERY]
    document = page.locator("li.doc-hit").first
    assert document.locator("h2").inner_text() == SKILL_MASTER
    first = document.locator("li.clause-hit").first
    citation = first.locator("cite.citation").inner_text()
    assert citation.startswith(f"《{SKILL_MASTER}》第四条"), citation
    assert first.locator("mark").count() > 0  # the snippet's matches are marked
    total = int(page.locator("[data-total]").get_attribute("data-total"))
    assert total == page.locator("li.doc-hit").count()
    assert facet_sum(page, "doc_kind") == total  # documents, each under its own kind
    page.screenshot(path=str(output_dir / "results.png"), full_page=True)
    assert (output_dir / "results.png").stat().st_size > 10_000
    # The URL alone reproduces the view.
    shown = page.locator("li.clause-hit").evaluate_all("els => els.map(e => e.dataset.id)")
    other = page.context.new_page()
    other.goto(page.url)
    assert other.locator("li.clause-hit").evaluate_all("els => els.map(e => e.dataset.id)") == shown
    other.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_documents_then_all_matches_of_one(
    browser: Any, live_server: str, output_dir: Path, viewport: dict[str, int]
) -> None:
    """The document view at both widths: each document once with at most three clauses,
    its 「查看全部N处匹配」 opening the passage view of that document, and the switch back."""
    context = browser.new_context(base_url=live_server, viewport=viewport, locale="zh-CN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"/?q={QUERY}")
    documents = page.locator("li.doc-hit")
    ids = documents.evaluate_all("els => els.map(e => e.dataset.docId)")
    assert ids and len(ids) == len(set(ids))
    for n in range(documents.count()):
        assert 1 <= documents.nth(n).locator("li.clause-hit").count() <= 3
    assert page.locator('nav.group-switch a[aria-current="true"]').inner_text() == "按文件"
    first = documents.first
    assert first.bounding_box()["y"] < viewport["height"]  # the results come first, also on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.screenshot(path=str(output_dir / f"documents-{viewport['width']}.png"), full_page=True)
    link = first.locator(".all-matches a")
    count = int(re.search(r"查看全部(\d+)处匹配", link.inner_text()).group(1))  # type: ignore[union-attr]
    with page.expect_navigation():
        link.click()
    assert params(page)["group"] == ["passage"] and params(page)["doc_id"] == [ids[0]]
    assert int(page.locator("[data-total]").get_attribute("data-total")) == count
    assert page.locator(".chip", has_text=f"仅看：《{SKILL_MASTER}》").is_visible()
    # Items whose text their article above shows are said, not listed again.
    note = page.locator(".repeated-note")
    repeated = int(re.search(r"另有 (\d+) 条", note.inner_text()).group(1)) if note.count() else 0  # type: ignore[union-attr]
    assert page.locator("li.hit").count() + repeated == min(count, 10)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.screenshot(path=str(output_dir / f"document-matches-{viewport['width']}.png"))
    with page.expect_navigation():
        page.locator("nav.group-switch").get_by_role("link", name="按文件").click()
    assert "group" not in params(page) and page.locator("li.doc-hit").count() == 1
    context.close()


def test_facet_chip_and_back_button(page: Any) -> None:
    page.goto(f"/?q={QUERY}")
    before = int(page.locator("[data-total]").get_attribute("data-total"))
    value = page.locator('[data-facet="talent_category"] .facet-value').first
    name = value.get_attribute("data-value")
    count = int(value.locator(".count").get_attribute("data-count"))
    with page.expect_navigation():
        value.click()
    assert params(page)["talent_category"] == [name]
    assert int(page.locator("[data-total]").get_attribute("data-total")) == count
    chip = page.locator(".chip", has_text=name)
    assert chip.is_visible()
    with page.expect_navigation():
        chip.get_by_role("link").click()  # remove the filter
    assert "talent_category" not in params(page)
    assert int(page.locator("[data-total]").get_attribute("data-total")) == before
    page.go_back()
    assert params(page)["talent_category"] == [name] and page.locator(".chip", has_text=name).is_visible()


def test_clause_type_facet_filters_the_clauses(page: Any) -> None:
    page.goto("/?q=人才公寓&group=passage")
    facet = page.locator('[data-facet="clause_type"]')
    assert facet.locator("h2").inner_text() == "条款类型"
    names = facet.locator(".facet-value .name").all_inner_texts()
    assert names and set(names) <= {"申报条件", "支持措施与待遇", "申报程序与材料", "管理与责任", "总则与附则"}
    condition = facet.locator('.facet-value[data-value="condition"]')
    count = int(condition.locator(".count").get_attribute("data-count"))
    with page.expect_navigation():
        condition.click()
    assert params(page)["clause_type"] == ["condition"] and params(page)["q"] == ["人才公寓"]
    assert int(page.locator("[data-total]").get_attribute("data-total")) == count
    hits = page.locator("li.hit")
    badges = page.locator("li.hit .badge.clause-type").all_inner_texts()
    assert hits.count() > 0 and badges == ["申报条件"] * hits.count()
    assert page.locator(".chip", has_text="条款类型：申报条件").is_visible()
    assert page.get_by_role("checkbox").count() == 0  # the facet replaced the old toggle


def test_both_agency_facets(page: Any, output_dir: Path) -> None:
    page.goto("/?q=技能大师工作室")
    for facet, label in (("agency", "发文机关"), ("mentioned_agency", "涉及机关")):
        section = page.locator(f'[data-facet="{facet}"]')
        assert section.locator("h2").inner_text() == label and section.locator(".facet-hint").is_visible()
        value = section.locator(".facet-value:not(.selected)").first
        name = value.get_attribute("data-value")
        with page.expect_navigation():
            value.click()
        assert name in params(page)[facet]
        assert page.locator(".chip", has_text=f"{label}：{name}").is_visible()
        assert page.locator(f'[data-facet="{facet}"] .facet-value.selected[data-value="{name}"]').is_visible()
    assert page.locator("summary.filter-toggle").is_hidden()  # desktop: the sidebar, no button
    page.screenshot(path=str(output_dir / "agency-facets-1280.png"), full_page=True)


def test_open_passage_and_copy_its_citation(page: Any) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"/?q={QUERY}")
    first = page.locator("li.clause-hit").first
    citation = first.locator("cite.citation").inner_text()
    with page.expect_navigation():
        first.locator("h3 a").click()
    current = page.locator("article.passage.current")
    # The citation to copy is the result's, with the 文号 after the title.
    title, place = citation.split("》", 1)
    formal = current.locator("#citation").inner_text()
    assert current.is_visible() and re.fullmatch(rf"{re.escape(title)}》（[^）]+号）{re.escape(place)}", formal)
    button = page.get_by_role("button", name="复制引用")
    button.click()
    page.get_by_role("status").filter(has_text="已复制引用").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == formal
    # Previous / next stay inside the document.
    following = page.locator('a[rel="next"]')
    if following.count():
        with page.expect_navigation():
            following.click()
        assert page.locator("article.passage.current").is_visible()


def test_no_suggestion_request_while_an_ime_composes(page: Any) -> None:
    page.goto("/")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if "/api/suggest" in r.url else None)
    box = page.get_by_role("combobox", name="检索词")
    box.focus()
    cdp = page.context.new_cdp_session(page)
    # A pinyin IME composing "jineng": compositionstart/update and input events with isComposing.
    for typed in ("j", "ji", "jin", "jine", "jinen", "jineng"):
        cdp.send("Input.imeSetComposition", {"text": typed, "selectionStart": len(typed), "selectionEnd": len(typed)})
        page.wait_for_timeout(60)
    page.wait_for_timeout(500)  # well past the debounce
    assert box.input_value() == "jineng" and requests == []
    with page.expect_response(lambda r: "/api/suggest" in r.url):
        cdp.send("Input.insertText", {"text": "技能大师"})  # the user picks 技能大师: composition ends
    assert box.input_value() == "技能大师" and len(requests) == 1 and "q=%E6%8A%80" in requests[0]
    options = page.get_by_role("option")
    options.first.wait_for()
    assert SKILL_MASTER in page.get_by_role("listbox").inner_text()
    assert box.get_attribute("aria-expanded") == "true"
    # Keyboard: arrow to the first suggestion and open it.
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "suggestion-0"
    with page.expect_navigation():
        box.press("Enter")
    assert page.url.split("?")[0].rsplit("/", 2)[-2] in ("policies", "documents")


def test_keyboard_reaches_the_search_box_and_results(page: Any) -> None:
    page.goto(f"/?q={QUERY}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    for _ in range(40):  # tab order reaches the first result link: its document's page
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('li.doc-hit') !== null"):
            break
    else:
        raise AssertionError("no result link reachable with Tab")
    page.keyboard.press("Tab")  # then its best clause
    assert page.evaluate("document.activeElement.closest('li.clause-hit') !== null")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/passages/" in page.url


def phone_page(browser: Any, live_server: str, **options: Any) -> Any:
    context = browser.new_context(
        base_url=live_server, viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN", **options
    )
    context.set_default_timeout(10_000)
    return context.new_page()


def test_phone_width_has_no_sideways_scroll(browser: Any, live_server: str, output_dir: Path) -> None:
    page = phone_page(browser, live_server)
    urls = (f"/?q={QUERY}&doc_type=policy", "/policies", "/events", "/?q=人才&date_from=2023-13", f"/?q={QUERY}")
    for url in urls:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (url, width)
    page.screenshot(path=str(output_dir / "results-phone.png"))
    page.context.close()


def test_a_tall_passage_opens_at_its_top_on_a_phone(browser: Any, live_server: str) -> None:
    # Centred, a table taller than the screen had opened mid-table, its title and year row
    # above the screen.
    page = phone_page(browser, live_server)
    page.goto("/?q=紧缺岗位&group=passage&doc_type=table")
    with page.expect_navigation():
        page.locator("li.hit h2 a").first.click()
    current = page.locator("article.passage.current")
    box = current.bounding_box()
    assert box is not None and box["height"] > PHONE["height"], box  # a passage taller than the screen
    assert -1 <= page.evaluate("document.querySelector('article.passage.current').getBoundingClientRect().top") < 80
    page.context.close()


def test_phone_advanced_fields_line_up(browser: Any, live_server: str) -> None:
    page = phone_page(browser, live_server)
    page.goto(f"/?q={QUERY}")
    page.locator("details.advanced summary").click()
    inputs = page.locator(".advanced-fields input")
    lefts = {round(inputs.nth(i).bounding_box()["x"]) for i in range(inputs.count())}
    assert inputs.count() == 3 and len(lefts) == 1, lefts  # one column, whatever the label's length
    page.context.close()


def test_phone_filter_button_opens_the_facets(browser: Any, live_server: str, output_dir: Path) -> None:
    page = phone_page(browser, live_server)
    page.goto(f"/?q={QUERY}")
    button = page.locator("summary.filter-toggle")
    facets = page.locator("aside.facets")
    first_hit = page.locator("li.doc-hit").first
    assert button.is_visible() and button.inner_text().strip() == "筛选"
    assert facets.is_hidden() and first_hit.is_visible()
    # The button sits at the top, the results come right after it.
    assert button.bounding_box()["y"] < first_hit.bounding_box()["y"] < PHONE["height"]
    page.screenshot(path=str(output_dir / "results-390.png"))
    button.click()
    assert facets.is_visible()
    clause = page.locator('[data-facet="clause_type"]')
    assert clause.locator("h2").inner_text() == "条款类型"
    assert clause.bounding_box()["y"] < first_hit.bounding_box()["y"]  # open: above the results
    page.screenshot(path=str(output_dir / "filters-open-390.png"))
    value = clause.locator('.facet-value[data-value="condition"]')
    with page.expect_navigation():
        value.click()
    assert params(page)["clause_type"] == ["condition"]
    assert "（已选 1 项）" in page.locator("summary.filter-toggle").inner_text()
    assert page.locator("aside.facets").is_hidden()  # closed again: the results first
    page.context.close()


def test_desktop_shows_the_facets_as_a_sidebar(page: Any, output_dir: Path) -> None:
    page.goto(f"/?q={QUERY}")
    facets = page.locator("aside.facets")
    results = page.locator("section.results")
    assert facets.is_visible() and page.locator("summary.filter-toggle").is_hidden()
    assert facets.bounding_box()["x"] + facets.bounding_box()["width"] <= results.bounding_box()["x"]
    page.screenshot(path=str(output_dir / "results-1280.png"))


def test_the_sidebar_needs_no_javascript(browser: Any, live_server: str) -> None:
    for viewport in (DESKTOP, PHONE):
        context = browser.new_context(base_url=live_server, viewport=viewport, java_script_enabled=False)
        page = context.new_page()
        page.goto(f"/?q={QUERY}")
        facets = page.locator("aside.facets")
        if viewport is PHONE:
            assert facets.is_hidden()
            page.locator("summary.filter-toggle").click()  # <details> opens without JavaScript
        assert facets.is_visible(), viewport
        context.close()


def test_home_text_fits_the_layout(browser: Any, live_server: str, page: Any) -> None:
    page.goto("/")
    assert "左侧可按" in page.locator(".intro").inner_text()
    phone = phone_page(browser, live_server)
    phone.goto("/")
    intro = phone.locator(".intro").inner_text()
    assert "左侧" not in intro and "点上方的「筛选」可按" in intro
    phone.context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_policies_table_wraps_by_words(
    browser: Any, live_server: str, output_dir: Path, viewport: dict[str, int]
) -> None:
    context = browser.new_context(base_url=live_server, viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.goto("/policies")
    cells = page.locator("table.policies td")
    styles = cells.evaluate_all(
        "els => els.map(e => [getComputedStyle(e).wordBreak, getComputedStyle(e).overflowWrap])"
    )
    assert styles and all(s == ["keep-all", "anywhere"] for s in styles)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    # A title wraps between words: no line of it ends in the middle of 职称 or 制度.
    title = page.locator("table.policies td.col-title a", has_text="北京市深化").first
    assert title.inner_text().startswith("北京市深化")
    page.screenshot(path=str(output_dir / f"policies-{viewport['width']}.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_a_bad_date_gives_a_chinese_error_page(
    browser: Any, live_server: str, output_dir: Path, viewport: dict[str, int]
) -> None:
    context = browser.new_context(base_url=live_server, viewport=viewport, locale="zh-CN")
    page = context.new_page()
    response = page.goto("/?q=人才公寓&date_from=2023-13-45")
    assert response.status == 422
    alert = page.get_by_role("alert")
    text = alert.inner_text()
    assert "请求有误" in text and "起始日期" in text and "2023-05-01" in text  # what to write instead
    assert not re.search(r"[A-Za-z]{4,}", text)  # no English message
    assert page.get_by_role("combobox", name="检索词").input_value() == "人才公寓"
    date_input = page.locator('input[name="date_from"]')
    assert date_input.is_visible() and date_input.input_value() == "2023-13-45"
    assert date_input.get_attribute("aria-invalid") == "true"
    page.screenshot(path=str(output_dir / f"error-{viewport['width']}.png"), full_page=True)
    # Correcting the date in the form searches again.
    date_input.fill("2023-03")
    with page.expect_navigation():
        date_input.press("Enter")
    assert params(page)["date_from"] == ["2023-03"] and page.locator("[data-total]").count() == 1
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_a_catalogue_only_policy_says_its_full_text_is_missing(
    browser: Any, live_server: str, output_dir: Path, viewport: dict[str, int]
) -> None:
    context = browser.new_context(base_url=live_server, viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.goto("/policies")
    with page.expect_navigation():
        page.get_by_role("link", name="北京市深化实验技术人才职称制度改革实施办法").click()
    note = page.get_by_role("note").filter(has_text="全文未收录")
    assert note.is_visible()
    main = page.locator("main").inner_text()
    assert "现行有效" not in main and "有效期" not in main and "申报条件" not in main
    assert page.locator("#articles-heading").count() == 0
    assert "京人社事业发〔2022〕52号" in page.locator(".catalogue-line blockquote").inner_text()
    page.screenshot(path=str(output_dir / f"policy-catalogue-only-{viewport['width']}.png"), full_page=True)
    # The full text of another policy: its catalogue line and its articles, each once.
    page.goto("/policies")
    with page.expect_navigation():
        page.get_by_role("link", name=SKILL_MASTER).click()
    assert "现行有效" in page.locator(".policy-facts").inner_text()
    article = page.locator('article[data-locator="第四条"]')
    assert article.locator('.items article[data-locator="第四条（一）"]').is_visible()
    assert page.locator("main").inner_text().count("（一）技能大师的条件") == 1
    page.screenshot(path=str(output_dir / f"policy-{viewport['width']}.png"))
    with page.expect_navigation():
        page.locator("a.catalogue-link").click()
    assert page.locator("article.passage.current").inner_text().count("6. 《北京市技能大师工作室建设管理办法》") == 1
    context.close()


def test_the_query_box_says_how_long_a_query_may_be(page: Any) -> None:
    page.goto("/")
    box = page.get_by_role("combobox", name="检索词")
    hint = page.locator("#q-hint")
    assert box.get_attribute("maxlength") == "200" and hint.inner_text() == "检索词最多200字"
    box.click()
    page.keyboard.insert_text("人" * 185)
    assert hint.inner_text() == "检索词最多200字，还可输入15字"
    page.keyboard.insert_text("人" * 30)
    assert len(box.input_value()) == 200  # maxlength stops the typing
    # A longer query in a URL is cut, with a notice.
    page.goto("/?q=" + "人才" * 120)
    assert page.get_by_role("status").filter(has_text="检索词最多200字，已截取前200字").is_visible()
    assert len(page.get_by_role("combobox", name="检索词").input_value()) == 200


def test_the_book_lists_its_chapters(page: Any, output_dir: Path) -> None:
    page.goto("/")
    with page.expect_navigation():
        page.locator(".browse").get_by_role("link", name="《北京人才发展报告（2023）》").click()
    contents = page.locator(".book-contents")
    assert contents.locator("h3").all_inner_texts()[:5] == [
        "I 总报告",
        "II 地区篇",
        "III 队伍篇",
        "IV 生态篇",
        "V 智库篇",
    ]
    assert contents.locator("a[href^='/documents/']").count() >= 18  # 17 chapters and the 大事记
    page.screenshot(path=str(output_dir / "book-1280.png"))
    with page.expect_navigation():
        contents.get_by_role("link", name=re.compile("全球城市人才黏性指数报告2023")).click()
    assert page.locator("h1").inner_text() == "全球城市人才黏性指数报告2023"
    assert page.locator("nav.crumbs").inner_text().replace("\n", "").count("全球城市人才黏性指数报告2023") == 1


def test_works_without_javascript(browser: Any, live_server: str) -> None:
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.get_by_role("combobox", name="检索词").fill("人才公寓")
    with page.expect_navigation():
        page.get_by_role("button", name="搜索").click()
    assert params(page) == {"q": ["人才公寓"]}
    with page.expect_navigation():
        page.locator('[data-facet="clause_type"] .facet-value[data-value="condition"]').click()
    assert params(page) == {"q": ["人才公寓"], "clause_type": ["condition"]}
    assert page.locator("li.doc-hit").count() > 0
    with page.expect_navigation():  # the passage view is a link too
        page.locator("nav.group-switch").get_by_role("link", name="按段落").click()
    assert params(page)["group"] == ["passage"] and page.locator("li.hit").count() > 0
    with page.expect_navigation():
        page.locator("li.hit h2 a").first.click()
    assert page.locator("#citation").is_visible()
    assert not page.get_by_role("button", name="复制引用").is_visible()  # needs JavaScript
    context.close()


def test_hostile_text_never_executes(page: Any) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.add_init_script("window.__alerts = 0; window.alert = () => { window.__alerts += 1; };")
    page.goto("/?q=" + "<script>alert(1)</script>人才公寓" + "&group=passage")
    assert page.get_by_role("combobox", name="检索词").input_value() == "<script>alert(1)</script>人才公寓"
    hit = page.locator("li.hit", has_text=EVIL_TITLE).first
    assert hit.is_visible()  # the title is shown, as text
    with page.expect_navigation():
        hit.locator("h2 a").click()
    assert EVIL_TITLE in page.locator("h1").inner_text()
    page.locator("nav.crumbs a", has_text="人才公寓").click()  # the policy page
    page.wait_for_load_state()
    # Suggestions are built with textContent: the title stays text in the listbox too.
    page.goto("/")
    box = page.get_by_role("combobox", name="检索词")
    box.click()
    with page.expect_response(lambda r: "/api/suggest" in r.url):
        page.keyboard.insert_text("<script>alert(1)</script>人才")
    with page.expect_response(lambda r: "/api/suggest" in r.url):
        box.fill("")
        page.keyboard.insert_text("北京市<script>")
    page.get_by_role("option").first.wait_for()
    assert EVIL_TITLE in page.get_by_role("listbox").inner_text()
    assert page.evaluate("window.__alerts") == 0 and dialogs == []
    assert page.locator("img").count() == 0
    assert re.search(r"<script>alert", page.content()) is None
