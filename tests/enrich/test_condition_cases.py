"""Lists whose items each state their own case: 取得教师资格应当具备的相应学历是：（一）取得
幼儿园教师资格，应当具备…；（二）取得小学教师资格，应当具备… An applicant for one kind of
certificate needs that item's schooling, not every item's: the items are alternatives."""

from __future__ import annotations

import pytest

from ingest.enrich.conditions import ConditionExtractor
from tests.enrich.handmade import article, extract, make_clause


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


def test_an_items_own_alternatives_are_branches_of_the_lists_group(extractor: ConditionExtractor) -> None:
    # 北京市就业援助规定 第二条（三）: a woman of 45 had needed both 年满40 and 年满50 (the
    # sexes' bounds, one item of a 下列情形之一 list), and failed the one route she meets.
    lead = "本规定所称就业困难人员，是指具有本市户籍、在法定劳动年龄内，且具有下列情形之一的失业人员："
    items = ["残疾人员；", "女满四十周岁以上、男满五十周岁以上的；"]
    aged = extract(extractor, article("第二条", lead, items))[2]
    assert [(c["value"], c["group"]) for c in aged.conditions] == [
        ("女", "x1/ba"),
        (40, "x1/ba"),
        ("男", "x1/bb"),
        (50, "x1/bb"),
    ]


def test_sentences_each_granting_on_their_own_case_are_alternatives(extractor: ConditionExtractor) -> None:
    # 工人考核条例 第十一条: a 高级工 had been told ✗ 要求技师 on the very clause that lets him
    # apply, as both sentences' rungs were required.
    text = (
        "第十一条 优秀的高级技术工人，可以按照国家有关规定申请参加技师任职资格的考评。"
        "有突出贡献的技师，可以按照国家有关规定参加高级技师任职资格的考评。"
    )
    passage = make_clause(text, ["第十一条"], "article", "benefit")
    extract(extractor, [passage])
    rungs = [(c["value"], c["group"]) for c in passage.conditions if c["field"] == "skill_level_min"]
    assert rungs == [("高级工", "g1"), ("技师", "g1/b")]
    # Two requirements of one applicant in two sentences stay both required.
    duty = make_clause("第五条 申请人应当具有本科以上学历。申请人应当年满二十五周岁。", ["第五条"], "article")
    extract(extractor, [duty])
    assert all(c["group"] is None for c in duty.conditions)


def test_a_later_sentence_adding_requirements_for_a_class_is_a_sub_category(extractor: ConditionExtractor) -> None:
    # 北京市出租汽车管理条例 第九条（一）: every taxi driver had needed 3 years of coach driving,
    # which the text asks of 旅游客运汽车驾驶员 only.
    items = [
        "有本市常住户口，身体健康，取得驾驶证3年以上。旅游客运汽车驾驶员还必须连续从事3年以上大、中型客车驾驶工作；"
    ]
    passages = extract(extractor, article("第九条", "出租汽车驾驶员应当具备下列条件：", items))
    years = [c["group"] for p in passages[1:] for c in p.conditions if c["field"] == "years_experience_min"]
    assert years == ["sub"]
    # The applicant's own further requirement stays required of every applicant.
    for also in ("申请人还应当", "同时还应当", "此外，还应当"):  # the applicant, or a link
        duty = make_clause(f"第五条 申请人应当年满十八周岁。{also}具有本科以上学历。", ["第五条"], "article")
        extract(extractor, [duty])
        assert [(c["field"], c["group"]) for c in duty.conditions] == [("age_min", None), ("education_min", None)]
    foreign = make_clause("第五条 申请人应当年满十八周岁。外籍申请人还应当具有本科以上学历。", ["第五条"], "article")
    extract(extractor, [foreign])
    assert [(c["field"], c["group"]) for c in foreign.conditions] == [("age_min", None), ("education_min", "sub")]
