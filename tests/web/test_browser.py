"""The search page in a real browser (Debian's Chromium driven by Playwright).

A person's path through the page: type a query, apply a facet, toggle eligibility, open
a passage, copy its citation; plus IME composition, keyboard use, back button, phone
width, no JavaScript, and hostile document text that must never execute.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.api.index import EVIL_TITLE

QUERY = "技能大师工作室申报条件"
SKILL_MASTER = "北京市技能大师工作室建设管理办法"


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
    first = page.locator("li.hit").first
    citation = first.locator("cite.citation").inner_text()
    assert citation.startswith(f"《{SKILL_MASTER}》第四条"), citation
    assert first.locator("mark").count() > 0  # the snippet's matches are marked
    total = int(page.locator("[data-total]").get_attribute("data-total"))
    assert total > 0 and facet_sum(page, "doc_type") == total  # one type per passage
    page.screenshot(path=str(output_dir / "results.png"), full_page=True)
    assert (output_dir / "results.png").stat().st_size > 10_000
    # The URL alone reproduces the view.
    shown = page.locator("li.hit").evaluate_all("els => els.map(e => e.dataset.id)")
    other = page.context.new_page()
    other.goto(page.url)
    assert other.locator("li.hit").evaluate_all("els => els.map(e => e.dataset.id)") == shown
    other.close()


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


def test_eligibility_toggle_submits_and_filters(page: Any) -> None:
    page.goto("/?q=人才公寓")
    toggle = page.get_by_role("checkbox", name="只看申报条件/适用条款")
    with page.expect_navigation():
        toggle.check()  # JavaScript submits the form on change
    assert params(page)["eligibility_only"] == ["1"] and params(page)["q"] == ["人才公寓"]
    hits = page.locator("li.hit")
    assert hits.count() > 0
    assert hits.count() == page.locator("li.hit .badge.eligibility").count()
    assert page.get_by_role("checkbox", name="只看申报条件/适用条款").is_checked()


def test_open_passage_and_copy_its_citation(page: Any) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"/?q={QUERY}")
    first = page.locator("li.hit").first
    citation = first.locator("cite.citation").inner_text()
    with page.expect_navigation():
        first.locator("h2 a").click()
    current = page.locator("article.passage.current")
    assert current.is_visible() and current.locator("#citation").inner_text() == citation
    button = page.get_by_role("button", name="复制引用")
    button.click()
    page.get_by_role("status").filter(has_text="已复制引用").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == citation
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
    for _ in range(40):  # tab order reaches the first result link
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('li.hit') !== null"):
            break
    else:
        raise AssertionError("no result link reachable with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/passages/" in page.url


def test_phone_width_has_no_sideways_scroll(browser: Any, live_server: str, output_dir: Path) -> None:
    context = browser.new_context(base_url=live_server, viewport={"width": 375, "height": 800}, is_mobile=True)
    page = context.new_page()
    for url in (f"/?q={QUERY}&doc_type=policy", "/policies", "/events"):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (url, width)
    page.goto(f"/?q={QUERY}")
    page.screenshot(path=str(output_dir / "results-phone.png"))
    context.close()


def test_works_without_javascript(browser: Any, live_server: str) -> None:
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.get_by_role("combobox", name="检索词").fill("人才公寓")
    page.get_by_role("checkbox", name="只看申报条件/适用条款").check()
    with page.expect_navigation():
        page.get_by_role("button", name="搜索").click()
    assert params(page) == {"q": ["人才公寓"], "eligibility_only": ["1"]}
    assert page.locator("li.hit").count() > 0
    with page.expect_navigation():
        page.locator("li.hit h2 a").first.click()
    assert page.locator("#citation").is_visible()
    assert not page.get_by_role("button", name="复制引用").is_visible()  # needs JavaScript
    context.close()


def test_hostile_text_never_executes(page: Any) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.add_init_script("window.__alerts = 0; window.alert = () => { window.__alerts += 1; };")
    page.goto("/?q=" + "<script>alert(1)</script>人才公寓")
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
