"""Other places' policies go below the rest of a question's first page (search.places)."""

from __future__ import annotations

from typing import Any

from search_api.search import places
from search_api.search.query import analyze_query


def _hit(ident: str, title: str, kind: str = "policy") -> tuple[float, dict[str, Any]]:
    return 1.0, {"id": ident, "doc_title": title, "kind": kind}


def test_a_place_holds_its_cities_and_the_country_holds_all() -> None:
    named = places.named_places(analyze_query("洛阳市的物业能强制推销装修材料吗"))
    assert named == {"洛阳"}
    assert places.elsewhere(named, _hit("a", "泰安市物业管理条例")[1])
    assert places.elsewhere(named, _hit("a", "郑州市物业管理条例")[1])  # a sister city
    for title in ("河南省物业管理条例", "洛阳市物业管理条例", "中华人民共和国民法典", "物业管理条例"):
        assert not places.elsewhere(named, _hit("a", title)[1]), title
    # A report compares cities: never moved.
    assert not places.elsewhere(named, _hit("a", "上海市人才发展报告", kind="report")[1])
    assert not places.elsewhere(set(), _hit("a", "泰安市物业管理条例")[1])


def test_the_page_is_filled_from_the_window_only_when_something_moves() -> None:
    named = {"洛阳"}
    asked: list[int] = []

    def window() -> list[tuple[float, dict[str, Any]]]:
        asked.append(1)
        return [_hit("t1", "泰安市条例"), _hit("h1", "河南省条例"), _hit("h2", "河南省条例"), _hit("l1", "洛阳市条例")]

    page = [_hit("t1", "泰安市条例"), _hit("h1", "河南省条例")]
    moved = places.reordered(page, named, window, limit=3)
    assert moved is not None and [p["id"] for _, p in moved] == ["h1", "h2", "l1"]
    assert places.reordered([_hit("h1", "河南省条例")], named, window, limit=3) is None
    assert len(asked) == 1
    # Nothing better in the window: the moved passages stay, below the rest.
    only = places.reordered(page, named, lambda: page, limit=3)
    assert only is not None and [p["id"] for _, p in only] == ["h1", "t1"]
