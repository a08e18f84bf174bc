"""Search-box suggestions: any spelling of a 文号, and the document itself before those
that cite it."""

from __future__ import annotations

from typing import Any

import pytest

from search_api.search.suggest import TitleIndex


def document(title: str, number: str | None = None, date: str = "2020-01-01") -> dict[str, Any]:
    return {"id": title, "title": title, "kind": "policy", "meta": {"doc_number": number, "date": date}}


INDEX = TitleIndex(
    [
        document(
            "最高人民法院关于适用《中华人民共和国民法典》婚姻家庭编的解释（一）", "法释〔2020〕22号", "2020-12-29"
        ),
        document("最高人民法院关于适用《中华人民共和国民法典》时间效力的若干规定", "法释〔2020〕15号", "2020-12-29"),
        document("中华人民共和国民法典", None, "2020-05-28"),
        document("中华人民共和国高等教育法", None, "2018-12-29"),
        document("中华人民共和国教育法", None, "2021-04-29"),
        document("北京市技能大师工作室建设管理办法", "京人社能发〔2023〕3号", "2023-03-01"),
    ]
)


def titles(typed: str) -> list[str]:
    return [entry["title"] for entry in INDEX.match(typed, 8)]


def test_the_document_itself_comes_before_those_citing_it() -> None:
    assert titles("民法典")[0] == "中华人民共和国民法典"
    assert titles("教育法")[:2] == ["中华人民共和国教育法", "中华人民共和国高等教育法"]


@pytest.mark.parametrize(
    "typed",
    ["京人社能发〔2023〕3", "京人社能发[2023]3", "京人社能發〔２０２３〕３號", "京人社能发2023年3号", "京人社能发2023"],
)
def test_a_number_in_any_spelling(typed: str) -> None:
    assert titles(typed) == ["北京市技能大师工作室建设管理办法"]
