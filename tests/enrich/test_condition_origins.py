"""华侨 and 归侨 read from clauses (ingest/enrich/conditions.py with the origins of
knowledge/data/eligibility.json), and the compounds that name no one's origin: 侨眷 (the
relatives), 外籍华人 (a foreign national), 华侨农场 or 华侨学校 (a place), 华侨在国内的子女."""

from __future__ import annotations

import pytest

from ingest.enrich.conditions import ConditionExtractor
from tests.enrich.handmade import extract, make_clause, read_benefit


@pytest.fixture(scope="module")
def extractor() -> ConditionExtractor:
    return ConditionExtractor()


def origins(extractor: ConditionExtractor, text: str) -> list[list[str]]:
    return [c[1] for c in read_benefit(extractor, text) if c[0] == "origin"]


def test_overseas_and_returned_chinese_are_origins(extractor: ConditionExtractor) -> None:
    # 山东省归侨侨眷权益保护条例 第十条, 第二十九条: 华侨 and 归侨 had been read as nothing.
    assert origins(extractor, "第十条 华侨申请来本省定居的，由县级以上人民政府负责受理。") == [["华侨"]]
    assert origins(extractor, "第十二条 归国华侨申请创业补贴的，给予支持。") == [["归侨"]]
    assert origins(extractor, "第十四条 对生活困难的归侨，给予补助。") == [["归侨"]]
    assert origins(extractor, "第二十九条 对引进的归侨、华侨中的科技创新人才，应当提供便利。") == [["归侨", "华侨"]]


@pytest.mark.parametrize(
    ("compound", "person"),
    [
        # 侨眷 need be no 归侨: 归侨、侨眷 names either, so neither is required.
        ("第二十一条 归侨、侨眷申请补贴的，给予支持。", "第二十一条 归侨申请补贴的，给予支持。"),
        ("第十一条 华侨农场职工符合条件的，可以申请补贴。", "第十一条 华侨职工符合条件的，可以申请补贴。"),
        ("第十五条 华侨学校的教师，可以申请补贴。", "第十五条 华侨教师，可以申请补贴。"),
        ("第十七条 华侨在国内的子女报考普通高中的，给予照顾。", "第十七条 华侨报考普通高中的，给予照顾。"),
        ("第十五条 依法征收归侨、侨眷、华侨的私有房屋，应当给予补偿。", "第十五条 华侨申请征收补偿的，应当给予补偿。"),
        (
            "第三条 同华侨有五年以上扶养关系的其他亲属，可以申请补贴。",
            "第三条 有五年以上扶养关系的华侨，可以申请补贴。",
        ),
    ],
)
def test_what_belongs_to_overseas_chinese_is_no_origin(
    extractor: ConditionExtractor, compound: str, person: str
) -> None:
    # 山东省归侨侨眷权益保护条例: the relatives, a place, a school, a house are no one's origin;
    # the person the same words name is.
    assert not [o for o in origins(extractor, compound) if {"华侨", "归侨"} & set(o)]
    assert [o for o in origins(extractor, person) if {"华侨", "归侨"} & set(o)]


def test_an_institution_of_a_place_is_no_ones_origin(extractor: ConditionExtractor) -> None:
    # 横琴粤澳深度合作区发展促进条例 第三十二条 (与…港澳医疗机构加强交流合作) had given a
    # 港澳 applicant ✓ 身份为港澳.
    text = "第九条 支持本区符合条件的医疗机构与港澳医疗机构、港澳高校开展合作，给予资助。"
    assert origins(extractor, text) == []
    assert origins(extractor, "第九条 港澳医师在本区执业的，给予资助。")


def test_a_foreign_national_of_chinese_descent_is_foreign(extractor: ConditionExtractor) -> None:
    # 外籍华人 is 外籍 whole: 「华人申请来本市工作」 had been a requirement of its own.
    read = read_benefit(extractor, "第十条 外籍华人申请来本市工作的，给予支持。")
    assert ("origin", ["外籍"], False) in read and not [c for c in read if "华人" in str(c[1])]


def test_a_kind_of_citizen_is_an_alternative_to_a_foreign_national(extractor: ConditionExtractor) -> None:
    # A 华侨 is a 中国公民 (origin_is), which no 外籍 applicant is: as two hard conditions no
    # one could meet both.
    text = "第九条 在本市工作的外国人和来本市投资的华侨，可以申请补贴。"
    passage = extract(extractor, [make_clause(text, ["第九条"], "article", "benefit")])[0]
    named = [(c["value"], c["group"]) for c in passage.conditions if c["field"] == "origin"]
    assert named == [(["外籍"], "g1/a"), (["华侨"], "g1/b")]
    # A 华侨 beside 中国公民, which it is, stays required with it.
    text = "第九条 在本市工作的中国公民和来本市投资的华侨，可以申请补贴。"
    passage = extract(extractor, [make_clause(text, ["第九条"], "article", "benefit")])[0]
    assert all(c["group"] is None for c in passage.conditions if c["field"] == "origin")


def test_a_returned_overseas_chinese_as_the_law_defines_one_is_a_returned_one(extractor: ConditionExtractor) -> None:
    # 归侨侨眷权益保护法 第二条 and the local texts after it: 归侨是指回国定居的华侨. Read as
    # 华侨, the definition had told every 归侨 checking the law made for them ✗ 要求身份为华侨.
    definition = "第三条 本条例所称归侨，是指回国定居的华侨。"
    assert origins(extractor, definition) == [["归侨"]]
