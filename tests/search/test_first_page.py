"""What a first page shows below the rest (search.first_page): other places' policies, a
question's bare figure captions."""

from __future__ import annotations

from typing import Any

from search_api.search import first_page
from search_api.search.query import analyze_query


def _hit(ident: str, title: str, kind: str = "policy") -> tuple[float, dict[str, Any]]:
    return 1.0, {"id": ident, "doc_title": title, "kind": kind}


def test_a_place_holds_its_cities_and_the_country_holds_all() -> None:
    named = first_page.named_places(analyze_query("洛阳市的物业能强制推销装修材料吗"))
    assert named == {"洛阳"}
    assert first_page.elsewhere(named, _hit("a", "泰安市物业管理条例")[1])
    assert first_page.elsewhere(named, _hit("a", "郑州市物业管理条例")[1])  # a sister city
    for title in ("河南省物业管理条例", "洛阳市物业管理条例", "中华人民共和国民法典", "物业管理条例"):
        assert not first_page.elsewhere(named, _hit("a", title)[1]), title
    # A report compares cities: never moved.
    assert not first_page.elsewhere(named, _hit("a", "上海市人才发展报告", kind="report")[1])
    assert not first_page.elsewhere(set(), _hit("a", "泰安市物业管理条例")[1])


def test_a_title_without_a_place_is_placed_by_its_region() -> None:
    # A 通知 of 山东's issuers names no place in its title; its 地区 says where it holds.
    named = {"洛阳"}
    notice = _hit("a", "关于加强物业服务管理的通知")[1]
    assert first_page.elsewhere(named, {**notice, "region": "山东"})
    for region in ("河南", "全国", None):
        assert not first_page.elsewhere(named, {**notice, "region": region}), region


def test_the_page_keeps_its_passages_and_their_order() -> None:
    named = {"洛阳"}

    def elsewhere(payload: dict[str, Any]) -> bool:
        return first_page.elsewhere(named, payload)

    page = [_hit("t1", "泰安市条例"), _hit("h1", "河南省条例"), _hit("t2", "泰安市条例"), _hit("l1", "洛阳市条例")]
    moved = first_page.reordered(page, elsewhere)
    assert moved is not None and [p["id"] for _, p in moved] == ["h1", "l1", "t1", "t2"]
    assert first_page.reordered([_hit("h1", "河南省条例")], elsewhere) is None


def test_a_question_is_not_answered_by_a_figure_caption_alone() -> None:
    figure = {"kind": "report", "attrs": {"caption": "图1 城市人才黏性指数逻辑概念"}}
    figure["text"] = "图1 城市人才黏性指数逻辑概念\n资料来源：课题组自制。"
    table = {"kind": "report", "attrs": {"caption": "表5 职工平均工资"}}
    table["text"] = "表5 职工平均工资\n行业 | 2019年\n金融 | 100"
    assert first_page.caption_only(figure) and not first_page.caption_only(table)
    question = first_page.below(analyze_query("城市人才黏性是什么意思"))
    assert question is not None and question(figure) and not question(table)
    # An official typing keywords may look for the figure itself; nothing is moved.
    assert first_page.below(analyze_query("城市人才黏性指数 逻辑概念")) is None


def test_a_question_shows_a_replaced_version_below_the_version_in_force() -> None:
    page = [
        (2.0, {"id": "o", "doc_id": "v2013", "kind": "policy"}),
        (1.0, {"id": "n", "doc_id": "v2020", "kind": "policy"}),
    ]
    question = first_page.below(analyze_query("奖金数额是不是国务院定的"), frozenset({"v2013"}))
    assert question is not None
    moved = first_page.reordered(page, question)
    assert moved is not None and [p["id"] for _, p in moved] == ["n", "o"]
    # Whether a query's replaced versions move is the searcher's (questions, a named title):
    # given none, keywords stay.
    assert first_page.below(analyze_query("奖金数额 国务院"), frozenset()) is None


def test_the_document_view_moves_whole_documents_only() -> None:
    taian = {"id": "t", "doc_id": "taian", "doc_title": "泰安市物业管理条例", "kind": "policy"}
    caption = {"id": "c", "doc_id": "report", "kind": "chapter", "attrs": {"caption": "图1 物业"}, "text": "图1 物业"}
    moved = first_page.documents_below(analyze_query("洛阳市的物业能强制推销装修材料吗"), frozenset())
    assert moved is not None and moved(taian) and not moved(caption)  # a caption is one passage of many
    replaced = first_page.documents_below(analyze_query("奖金数额是不是国务院定的"), frozenset({"v2013"}))
    assert replaced is not None and replaced({"doc_id": "v2013", "kind": "policy"})
    assert first_page.documents_below(analyze_query("奖金数额是不是国务院定的"), frozenset()) is None


def test_a_named_article_comes_before_its_items() -> None:
    # 行政许可法 第十二条: its item （六） carries its heading and scored above it.
    def hit(doc: str, locator: str) -> tuple[float, dict[str, Any]]:
        return 1.0, {"doc_id": doc, "locator": locator}

    hits = [
        hit("law", "第十二条（六）"),
        hit("other", "第十二条"),
        hit("law", "第十二条"),
        hit("law", "第十二条（一）"),
    ]
    order = first_page.articles_first(hits, ["第十二条"])
    assert order is not None
    assert [(p["doc_id"], p["locator"]) for _, p in order] == [
        ("law", "第十二条"),
        ("law", "第十二条（六）"),
        ("other", "第十二条"),
        ("law", "第十二条（一）"),
    ]
    assert first_page.articles_first(order, ["第十二条"]) is None  # already so
