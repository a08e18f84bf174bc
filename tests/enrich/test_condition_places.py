"""Residence ties and honours read from a clause's own wording (7 December, residence and
awards): the residents of a jurisdiction (辖区内…常住居民), a tie negated by 不 (不在本村居住:
no tie to a place), two cases of honours each closed by 的 and a comma (获得勋章…的，荣立…的),
and an honour granted, not held (记三等功)."""

from __future__ import annotations

from typing import Any

import pytest

from analysis.text import normalize
from ingest.enrich.conditions import ConditionExtractor


@pytest.fixture(scope="module")
def extractor() -> ConditionExtractor:
    return ConditionExtractor()


def _found(extractor: ConditionExtractor, text: str) -> list[tuple[str, Any, str]]:
    """(field, value, matched text) of every field pattern's match in ``text``."""
    text = normalize(text)
    return [(f.field, f.value, text[f.start : f.end]) for f in extractor.fields.find(text, 0, len(text))]


def test_residents_of_a_jurisdiction(extractor: ConditionExtractor) -> None:
    found = _found(extractor, "对辖区内六十五周岁以上常住居民，每年进行一次免费体格检查")
    assert ("residence_or_employment", "辖区内常住居民", "辖区内六十五周岁以上常住居民") in found


def test_a_tie_negated_by_bu_is_none(extractor: ConditionExtractor) -> None:
    found = _found(extractor, "户籍在本村，不在本村居住，本人表示参加选举的村民")
    residence = [value for field, value, _ in found if field == "residence_or_employment"]
    assert residence == ["户籍在本村"]  # 不在本村居住 stays `other`


def test_cases_closed_by_de_are_separate_honours(extractor: ConditionExtractor) -> None:
    found = _found(extractor, "退役军人服现役期间个人获得勋章、荣誉称号的，荣立一等战功或者获得一级表彰的，可以放宽")
    awards = [value for field, value, _ in found if field == "awards"]
    assert awards == [["勋章", "荣誉称号"], ["一等战功", "一级表彰"]]


def test_a_comma_alone_goes_on_with_the_same_honours(extractor: ConditionExtractor) -> None:
    found = _found(extractor, "重点从“中华技能大奖”“全国技术能手”，获奖的“老字号工匠”等高技能人才中遴选")
    awards = [value for field, value, _ in found if field == "awards"]
    assert awards == [["中华技能大奖", "全国技术能手", "老字号工匠"]]


def test_an_honour_granted_is_not_held(extractor: ConditionExtractor) -> None:
    granted = _found(extractor, "对见义勇为人员进行嘉奖、记三等功，由县人民政府批准")
    assert [f for f in granted if f[0] == "awards"] == []
    held = _found(extractor, "在服现役期间荣立三等功以上的义务兵")
    assert [value for field, value, _ in held if field == "awards"] == [["三等功"]]
