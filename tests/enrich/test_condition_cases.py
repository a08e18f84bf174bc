"""Lists whose items each state their own case: 取得教师资格应当具备的相应学历是：（一）取得
幼儿园教师资格，应当具备…；（二）取得小学教师资格，应当具备… An applicant for one kind of
certificate needs that item's schooling, not every item's: the items are alternatives."""

from __future__ import annotations

import pytest

from ingest.enrich.conditions import ConditionExtractor
from tests.enrich.handmade import article, extract


@pytest.fixture(scope="module")
def extractor() -> ConditionExtractor:
    return ConditionExtractor()


def test_items_stating_their_own_case_are_alternatives(extractor: ConditionExtractor) -> None:
    items = [
        "取得幼儿园教师资格，应当具备幼儿师范学校毕业及其以上学历；",
        "取得高级中学教师资格和中等专业学校、技工学校、职业高中文化课、专业课教师资格，应当具备高等师范院校本科或者其他大学本科毕业及其以上学历；",
        "申请人为个人的，应当具有大学专科以上学历。",
    ]
    passages = extract(extractor, article("第十一条", "取得教师资格应当具备的相应学历是：", items))
    found = [(c["field"], c["value"], c["group"]) for p in passages[1:] for c in p.conditions]
    assert found == [
        ("education_min", "中专/高中", "x1"),
        ("education_min", "本科", "x1"),
        ("education_min", "大专", "x1"),
    ]


def test_items_of_one_application_stay_all_required(extractor: ConditionExtractor) -> None:
    items = ["年满十八周岁；", "取得律师资格，并在律师事务所实习满一年；"]
    passages = extract(extractor, article("第五条", "申请律师执业，应当具备下列条件：", items))
    assert all(c["group"] is None for p in passages[1:] for c in p.conditions)
