"""Documents shown, units and skill ranks read from a clause's own wording (7 December,
session 40): a consequence that is a document shown (…用血的，凭本人《居民身份证》用血: the
condition before it and the document are required; a document shown for a procedure is not),
a unit type heading a later clause (是…职工的, 以及…的企业), a unit one is placed in
(安排到事业单位的) or that acts with its staff (国家机关及其工作人员),
a skill rank naming the people (高级技术工人, …的技师) and a rung of a licence (执业助理医师
以上资格)."""

from __future__ import annotations

from typing import Any

import pytest

from analysis.text import normalize
from ingest.enrich.conditions import ConditionExtractor
from tests.enrich.handmade import read_benefit


@pytest.fixture(scope="module")
def extractor() -> ConditionExtractor:
    return ConditionExtractor()


def _values(extractor: ConditionExtractor, text: str, field: str) -> list[Any]:
    """The values of ``field`` in one benefit article."""
    return [value for f, value, _ in read_benefit(extractor, text) if f == field]


def _found(extractor: ConditionExtractor, text: str, field: str) -> list[Any]:
    """The values of ``field``'s pattern matches in ``text``."""
    text = normalize(text)
    return [f.value for f in extractor.fields.find(text, 0, len(text), (field,))]


def test_a_document_shown_for_a_benefit_is_required_not_for_a_procedure(extractor: ConditionExtractor) -> None:
    text = "第二十九条 六十周岁以上的公民需要医疗临床用血的，凭本人《居民身份证》用血，免交用血互助金。"
    assert _values(extractor, text, "origin") == [["中国公民"]]
    assert _values(extractor, text, "certificates") == [["居民身份证"]]
    shown = "有工作单位的公民需要医疗临床用血的，凭所在单位的完成献血计划证书用血。"
    assert _values(extractor, shown, "certificates") == [["完成献血计划证书"]]
    assert _values(extractor, "外国公民需要用血的，凭本人的有效身份证件用血。", "certificates") == [["有效身份证件"]]
    # Not a document shown for a procedure, nor on an occasion.
    procedure = "无工作单位的公民需要医疗临床用血的，凭本人《居民身份证》向居住地的血液管理机构办理用血证明。"
    assert _values(extractor, procedure, "origin") == [["中国公民"]]
    assert _values(extractor, procedure, "certificates") == []
    occasion = "选举代表时，选民根据选举委员会的规定，凭身份证或者选民证领取选票。"
    assert _values(extractor, occasion, "certificates") == []


def test_a_unit_type_heading_a_later_clause(extractor: ConditionExtractor) -> None:
    copula = "民兵参加军事训练，是国家机关、团体、企业事业单位职工的，原享受的工资、奖金和福利待遇不变。"
    assert _values(extractor, copula, "unit_type") == [["机关", "社会组织", "企业", "事业单位"]]
    added = "具有民事行为能力的公民，以及从事相关经营活动的企业、事业单位或者社会组织，承认并遵守章程的，可以成为成员。"
    assert _values(extractor, added, "unit_type") == [["企业", "事业单位", "社会组织"]]
    acted_on = "申请人应当具备下列条件，通过企业挂职锻炼一年以上。"
    assert _values(extractor, acted_on, "unit_type") == []


def test_a_unit_one_is_placed_in_or_that_acts_is_none(extractor: ConditionExtractor) -> None:
    assert _found(extractor, "对安排到事业单位的退役军士和义务兵，应当合理安排工作岗位", "unit_type") == []
    assert _found(extractor, "安置到机关、群团组织、企业事业单位的退役军人", "unit_type") == []
    assert _found(extractor, "国家机关及其工作人员对在工作过程中知悉的个人信息，应当予以保密", "unit_type") == []
    assert _found(extractor, "在社会组织工作的人员", "unit_type") == [["社会组织"]]


def test_a_skill_rank_naming_the_people(extractor: ConditionExtractor) -> None:
    assert _found(extractor, "优秀的高级技术工人", "skill_level_min") == ["高级工"]
    assert _found(extractor, "有突出贡献的技师", "skill_level_min") == ["技师"]
    assert _found(extractor, "技师学院的学生", "skill_level_min") == []


def test_a_rung_of_a_licence(extractor: ConditionExtractor) -> None:
    found = _found(extractor, "连续工作满两年并取得执业助理医师以上资格的在岗人员", "certificates")
    assert found == [["执业助理医师资格"]]
