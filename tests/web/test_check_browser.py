"""申报自查 in Chromium: fill the form as an applicant would, at desktop and phone widths.

The form is a plain GET (no JavaScript needed); its state must survive in the URL, the
results must tick conditions ✓ / ✗ / ？ with citations, and the table must stay inside a
390 px screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

SKILL_MASTER = "北京市技能大师工作室建设管理办法"


def fill_and_submit(page: Any) -> None:
    page.goto("/check")
    page.fill('input[name="q"]', "技能大师工作室")
    page.select_option('select[name="skill_level"]', "技师")
    page.fill('input[name="years_to_retirement"]', "1")
    page.fill('input[name="residence"]', "在京工作")
    page.click('button[type="submit"]')
    page.wait_for_load_state()


def test_check_form_to_ticked_conditions(page: Any, output_dir: Path) -> None:
    fill_and_submit(page)
    query = parse_qs(urlsplit(page.url).query)
    assert query["skill_level"] == ["技师"] and query["years_to_retirement"] == ["1"]
    first = page.locator("article.fit").first
    assert SKILL_MASTER in first.locator("h2").inner_text()
    rows = first.locator("table.conditions tbody tr")
    marks = set(rows.locator("td:first-child").all_inner_texts())
    assert any(m.startswith("✓") for m in marks) and any(m.startswith("✗") for m in marks)
    assert "以原文为准" in first.inner_text()
    assert page.locator('select[name="skill_level"]').input_value() == "技师"  # the form keeps its state
    page.screenshot(path=str(output_dir / "check.png"), full_page=True)


def test_check_fits_a_phone(page: Any, output_dir: Path) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    fill_and_submit(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, overflow
    # Each condition reads across the screen, not one character a line in a squeezed column.
    reason = page.locator('table.conditions td[data-label="说明"]').first
    assert reason.bounding_box()["width"] > 250
    # Form text of 16 px: a phone does not zoom in on focus.
    assert page.locator('input[name="age"]').evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 16
    page.screenshot(path=str(output_dir / "check-phone.png"), full_page=True)
