"""Titles, ages, years and units read from a clause's own wording (7 December, second
entry): durations relaxed in turn for several kinds (分别放宽至四年、三年), a duration that
starts at its own 在, two bounds of one class joined by 且, a list of titles that drops the
first 级 (高、中级), a consequence opened by 也可, a lead-in naming 下列单位和个人, a unit that
is a form, an insurance or an issuer, and another subject's duty toward those described
(…的，用人单位应当发给其…)."""

from __future__ import annotations

from typing import Any

import pytest

from analysis.text import normalize
from ingest.enrich.conditions import ConditionExtractor
from tests.enrich.handmade import article, extract, fields_of, read_benefit


@pytest.fixture(scope="module")
def extractor() -> ConditionExtractor:
    return ConditionExtractor()


def _items(extractor: ConditionExtractor, lead: str, *items: str) -> list[list[tuple[str, Any]]]:
    """The structured conditions of a lead-in and each of its items."""
    return [fields_of(p) for p in extract(extractor, article("第五条", lead, list(items)))]


def _found(extractor: ConditionExtractor, text: str) -> list[tuple[str, Any, str]]:
    """(field, value, matched text) of every field pattern's match in ``text``."""
    text = normalize(text)
    return [(f.field, f.value, text[f.start : f.end]) for f in extractor.fields.find(text, 0, len(text))]


def test_durations_relaxed_in_turn_are_one_each(extractor: ConditionExtractor) -> None:
    _, item = _items(
        extractor,
        "担任法官必须具备下列条件：",
        "从事法律工作满五年。其中获得法律硕士学位，或者获得法学博士学位的，从事法律工作的年限可以分别放宽至四年、三年；",
    )
    years = [value for field, value in item if field == "years_experience_min"]
    assert years == [5, 4, 3]  # 三年 is the second kind's, not a second duration to drop


def test_a_duration_starts_at_its_own_place(extractor: ConditionExtractor) -> None:
    found = _found(extractor, "在基层医疗联合体内取得副高以上职称且在社区健康服务机构工作五年以上的中医全科医师")
    assert ("years_experience_min", 5, "在社区健康服务机构工作五年以上") in found
    assert ("professional_title_min", "副高级", "副高以上职称") in found


def test_bounds_joined_by_qie_name_one_class(extractor: ConditionExtractor) -> None:
    found = read_benefit(
        extractor,
        "第九条 在基层取得副高以上职称且在社区健康服务机构工作五年以上的中医全科医师，其岗位聘任不受岗位数量的限制。",
    )
    assert ("professional_title_min", "副高级", False) in found
    assert ("years_experience_min", 5, False) in found


def test_a_title_list_that_drops_the_first_ji(extractor: ConditionExtractor) -> None:
    assert ("professional_title_min", "中级", "高、中级卫生专业技术") in _found(
        extractor, "鼓励和引导退休高、中级卫生专业技术人员到基层医疗卫生机构参与服务。"
    )
    assert not any(f == "professional_title_min" for f, _, _ in _found(extractor, "高、中级技术工人"))


def test_a_consequence_opened_by_ye_ke(extractor: ConditionExtractor) -> None:
    found = read_benefit(
        extractor, "第九条 三十周岁以下，大专以上文化程度、热爱人民武装工作的其他人员也可选拔为专职人民武装干部。"
    )
    assert ("age_max", 30, False) in found
    assert ("education_min", "大专", False) in found


def test_a_lead_in_naming_units_and_persons(extractor: ConditionExtractor) -> None:
    _, item = _items(
        extractor, "下列单位和个人也可以依法设立、加入农民专业合作社：", "农业科学研究单位和农业技术服务组织；"
    )
    assert item == [("unit_type", ["科研院所"])]


def test_a_unit_that_is_a_form_an_insurance_or_an_issuer(extractor: ConditionExtractor) -> None:
    for text in ("以团体形式入境旅游的人员", "参加企业职工养老保险", "有出租汽车经营企业出具的证明"):
        assert not any(f == "unit_type" for f, _, _ in _found(extractor, text))


def test_another_subjects_duty_toward_those_described(extractor: ConditionExtractor) -> None:
    found = read_benefit(
        extractor,
        "第九条 国家机关、社会团体、企业事业单位职工因见义勇为而误工的，用人单位应当按照规定发给其工资、奖金。",
    )
    assert ("unit_type", ["机关", "社会组织", "企业", "事业单位"], False) in found
    # A procedure done for them (为其办理) is no benefit they qualify for.
    assert read_benefit(extractor, "第九条 外国人在中国境内旅馆住宿的，旅馆应当按照规定为其办理住宿登记。") == []
