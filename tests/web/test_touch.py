"""What a finger and an eye meet on a phone: controls big enough to tap, labels beside
their boxes, short table cells on one line (found by taking screenshots at 390 and 1280 px:
nav links 27 px tall, the × of a chip 26 px, 性质 broken into 性/质, 日期从 ending a line
with its box on the next)."""

from __future__ import annotations

from typing import Any

from tests.web.pages import QUERY
from tests.web.test_browser import DESKTOP, phone_page

MIN_TAP = 32  # px: the smallest control a finger hits reliably


def heights(page: Any, selector: str) -> list[float]:
    boxes = page.locator(selector)
    return [boxes.nth(i).bounding_box()["height"] for i in range(boxes.count()) if boxes.nth(i).is_visible()]


def test_phone_controls_are_big_enough_to_tap(browser: Any, live_server: str) -> None:
    page = phone_page(browser, live_server)
    for url, selectors in (
        (f"/?q={QUERY}&clause_type=condition", (".site-nav a", ".sort a", ".group-switch a", ".chip-remove")),
        ("/?q=人才", (".pagination a",)),
    ):
        page.goto(url)
        for selector in selectors:
            found = heights(page, selector)
            assert found and min(found) >= MIN_TAP, (url, selector, found)
    page.context.close()


def test_phone_links_in_text_and_lists_are_big_enough_to_tap(browser: Any, live_server: str) -> None:
    # The second audit measured 16-19 px: a result's clause links, 查看全部…处匹配, the home
    # page's examples, breadcrumbs, a policy's clause-type links, the contents, 清空.
    page = phone_page(browser, live_server)
    page.goto("/?q=技能大师工作室")
    policy = page.locator("a[href^='/policies/']").first.get_attribute("href")
    for url, selectors in (
        ("/", (".examples a",)),
        ("/?q=技能大师工作室", (".clause-title a", ".all-matches a")),
        (policy, (".page-crumbs a", ".policy-links a")),
        ("/check", (".check-form > a",)),
    ):
        page.goto(str(url))
        for selector in selectors:
            found = heights(page, selector)
            assert found and min(found) >= MIN_TAP - 0.5, (url, selector, found)
    page.context.close()


def test_phone_date_labels_stay_with_their_boxes(browser: Any, live_server: str) -> None:
    page = phone_page(browser, live_server)
    page.goto("/events")
    for label, box in (("label[for=efrom]", "#efrom"), ("label[for=eto]", "#eto")):
        said, typed = page.locator(label).bounding_box(), page.locator(box).bounding_box()
        assert abs((said["y"] + said["height"] / 2) - (typed["y"] + typed["height"] / 2)) < typed["height"] / 2
    page.context.close()


def test_short_condition_cells_stay_on_one_line(page: Any) -> None:
    page.set_viewport_size(DESKTOP)
    hits = page.request.get("/api/search?q=技师&clause_type=condition&group=passage&size=20").json()["hits"]
    stated = [h["id"] for h in hits if page.request.get(f"/api/passages/{h['id']}").json()["passage"]["conditions"]]
    assert stated, "no 申报条件 clause with extracted conditions"
    page.goto(f"/passages/{stated[0]}")
    cells = page.locator("table.conditions td.short")
    assert cells.count() > 0, page.url
    # The lines a cell's text takes: its ranges' distinct tops (the cell is as tall as its row).
    lines = (
        "e => { const r = document.createRange(); r.selectNodeContents(e);"
        " return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"
    )
    for i in range(cells.count()):
        assert cells.nth(i).evaluate(lines) == 1, cells.nth(i).inner_text()
