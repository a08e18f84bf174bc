"""Certificates and residences read from a clause's own wording (7 December): what one
applies to obtain, a name with a bracketed part, a qualification 相关 to a trade, a defined
profession's own licence, documents one holds or shows (持身份证、…优待证), a 证明, a
certificate one has (有…核发的机动车驾驶证), and a fixed abode (在本市有固定住所)."""

from __future__ import annotations

from typing import Any

import pytest

from ingest.enrich.conditions import ConditionExtractor
from tests.enrich.handmade import article, extract, fields_of


@pytest.fixture(scope="module")
def extractor() -> ConditionExtractor:
    return ConditionExtractor()


def _items(extractor: ConditionExtractor, lead: str, *items: str) -> list[list[tuple[str, Any]]]:
    """The structured conditions of a lead-in and each of its items."""
    return [fields_of(p) for p in extract(extractor, article("第五条", lead, list(items)))]


def test_what_one_applies_to_obtain_is_no_requirement(extractor: ConditionExtractor) -> None:
    lead, item = _items(extractor, "咨询人员申请取得投资咨询从业资格，必须具备下列条件：", "具有大学本科以上学历。")
    assert lead == []  # the 从业资格 is the outcome of the application
    assert item == [("education_min", "本科")]


def test_a_bracketed_part_names_two_qualifications(extractor: ConditionExtractor) -> None:
    (lead, _) = _items(extractor, "具有执业（助理）医师资格的人员，应当具备下列条件：", "品行良好。")
    assert lead == [("certificates", ["执业医师资格", "执业助理医师资格"])]  # not the bare 医师资格证书


def test_a_qualification_related_to_the_trade(extractor: ConditionExtractor) -> None:
    _, first, second = _items(
        extractor,
        "个人申请执业应当具备下列条件：",
        "具有相关的专业执业资格，从事相关工作五年以上；",
        "有与所申请从事的鉴定业务相关专业执业资格。",
    )
    assert ("certificates", ["专业执业资格"]) in first
    assert second == [("certificates", ["专业执业资格"])]


def test_a_defined_professions_own_licence_by_its_stem(extractor: ConditionExtractor) -> None:
    (lead, _) = _items(
        extractor, "本条例所称导游人员，是指依照本条例的规定取得导游证，为旅游者提供向导服务的人员。", "品行良好。"
    )
    assert ("certificates", ["导游证"]) not in lead


def test_documents_held_and_their_alternatives(extractor: ConditionExtractor) -> None:
    (lead, _) = _items(extractor, "老年人持身份证、老年人优待证或者其他有效证件，享受下列优待：", "免费乘车。")
    assert lead == [("certificates", ["身份证", "老年人优待证"])]
    (_, item) = _items(extractor, "申请人应当具备下列条件：", "具有房屋所有权证。")
    assert item == [("certificates", ["房屋所有权证"])]
    (_, item) = _items(extractor, "申请人应当具备下列条件：", "具有从事证券业务两年以上的经历。")
    assert ("certificates", ["从事证"]) not in item  # 证券 is no 证


def test_a_certificate_named_as_a_proof(extractor: ConditionExtractor) -> None:
    (_, item) = _items(extractor, "具备下列条件的人员，可以申请执业注册：", "取得经纪执业资格考核合格证明。")
    assert item == [("certificates", ["经纪执业资格考核合格证明"])]


def test_a_certificate_one_has_as_issued(extractor: ConditionExtractor) -> None:
    (_, item, none) = _items(
        extractor, "驾驶员必须具备下列条件：", "有本市公安部门核发的机动车驾驶证；", "有关部门认定其教师资格。"
    )
    assert item == [("certificates", ["机动车驾驶证"])]
    assert none == []  # 有关 is no 有


def test_a_fixed_abode_in_the_city(extractor: ConditionExtractor) -> None:
    (_, item) = _items(extractor, "具备下列条件的人员，可以申请执业注册：", "在本市有固定住所。")
    assert item == [("residence_or_employment", "在本市有固定住所")]
