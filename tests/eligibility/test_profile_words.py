"""Without a keyword, 申报自查 finds the policies that name any of the applicant's words.

The profile's words (学历, 身份, 单位类型 …) each choose policies on their own: a policy for
foreigners need not also name 博士 and 企业. Searched as one query, they needed three of
four, and a 高级技师 with 全国技术能手 working in 北京 found one policy of the archive (河南省职业
培训条例), not the 北京市技能大师工作室建设管理办法 that names both. What the applicant holds (学历,
职称, 技能等级, 证书, 奖励, an uncommon 身份) chooses before what everyone is (中国公民).
"""

from __future__ import annotations

import pytest

from search_api.search.eligibility import check
from search_api.search.profile_reading import profile_from, stated_age, stated_rungs
from search_api.search.searcher import Searcher
from search_api.search.types import Filters
from tests.eligibility.small_index import searcher_of

FOREIGNERS = """外籍人员来京工作办法

第一条 为了服务外籍人员来京工作，制定本办法。

第二条 申请工作许可的外籍人员应当具备下列条件：
（一）年满十八周岁；
（二）具有本科以上学历。
"""
DOCTORS = """博士后工作站管理办法

第一条 为了加强博士后工作站管理，制定本办法。

第二条 设立工作站的企业应当具备下列条件：
（一）具有独立法人资格的企业；
（二）招收的研究人员具有博士学位。
"""


def two_articles(title: str, first: str) -> str:
    """A policy's title and 第一条; its 第二条 is added by each test."""
    return f"{title}\n\n第一条 {first}\n\n"


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    return searcher_of(tmp_path_factory, {"外籍人员来京工作办法.txt": FOREIGNERS, "博士后工作站管理办法.txt": DOCTORS})


def test_each_of_the_profiles_words_chooses_policies(searcher: Searcher) -> None:
    applicant = profile_from({"education": "博士", "origin": ["外籍"], "unit_type": "企业", "age": 40})
    titles = {p.title for p in check(searcher, applicant, "", Filters()).policies}
    assert titles == {"外籍人员来京工作办法", "博士后工作站管理办法"}


def test_a_keyword_still_needs_its_words(searcher: Searcher) -> None:
    applicant = profile_from({"education": "博士", "origin": ["外籍"]})
    titles = [p.title for p in check(searcher, applicant, "外籍人员 工作许可", Filters()).policies]
    assert titles == ["外籍人员来京工作办法"]


def test_when_no_word_of_the_profile_is_in_a_condition_every_policy_is_read(searcher: Searcher) -> None:
    # A 硕士 of 35 in an 企业 had been told 共 0 项政策 on the book, whose three policy texts
    # name no degree: what they hold is tried first, then what else they gave, then all.
    titled = check(searcher, profile_from({"professional_title": "副高级", "unit_type": "企业"}), "", Filters())
    assert [p.title for p in titled.policies] == ["博士后工作站管理办法"] and not titled.broadened
    nothing = check(searcher, profile_from({"professional_title": "副高级", "age": 30}), "", Filters())
    assert {p.title for p in nothing.policies} == {"外籍人员来京工作办法", "博士后工作站管理办法"}
    assert nothing.broadened and nothing.to_dict()["broadened"] is True
    # A profile naming no word (an age alone) reads them all too, with nothing to say.
    aged = check(searcher, profile_from({"age": 30}), "", Filters())
    assert len(aged.policies) == 2 and not aged.broadened
    # Words typed still choose: nothing found is nothing.
    assert check(searcher, profile_from({"age": 30}), "护士执业", Filters()).total == 0


def test_what_the_applicant_holds_chooses_before_what_everyone_is(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 中国公民, 企业 and 在京工作 name half the laws: beside 技师 they had brought 征兵工作条例
    # first and 北京市技能大师工作室建设管理办法 not on the page.
    drafted = two_articles("某市征兵办法", "中国公民应当依法服兵役，企业应当支持中国公民服兵役。")
    drafted += "第二条 年满十八周岁的中国公民，企业职工和在京工作的中国公民，应当按时登记。\n"
    masters = two_articles("某市技能大师工作室管理办法", "为了发挥技能大师作用，制定本办法。")
    masters += "第二条 申报人应当具备下列条件：\n（一）具有技师以上职业资格；\n（二）在企业一线岗位工作。\n"
    searcher = searcher_of(tmp_path_factory, {"征兵.txt": drafted, "大师.txt": masters})
    monkeypatch.setattr("search_api.search.eligibility.CANDIDATES", 1)  # the search's first alone
    raw = {"skill_level": "技师", "unit_type": "企业", "origin": ["中国公民"], "residence": "在京工作", "age": 45}
    assert [p.title for p in check(searcher, profile_from(raw), "", Filters()).policies] == [
        "某市技能大师工作室管理办法"
    ]
    # With nothing held, the rest still chooses.
    rest = {"unit_type": "企业", "origin": ["中国公民"]}
    assert [p.title for p in check(searcher, profile_from(rest), "", Filters()).policies] == ["某市征兵办法"]


def test_a_policy_whose_title_holds_the_words_comes_before_one_that_fits(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # A nurse asking 护士 had got 幼儿园管理条例 (a clause names 护士; its age is met) before
    # 护士条例: fitting better must not push the policy the words are about down.
    kindergarten = two_articles("某市幼儿园管理办法", "为了加强幼儿园管理，制定本办法。")
    kindergarten += "第二条 申请到幼儿园工作的，应当具备下列条件：\n（一）持有护士执业证书；\n（二）年满十八周岁。\n"
    nurses = two_articles("某市护士管理办法", "为了加强护士管理，制定本办法。")
    nurses += "第二条 申请护士执业注册，应当具备下列条件：\n（一）通过护士执业资格考试；\n"
    nurses += "（二）符合国务院卫生主管部门规定的健康标准。\n"
    searcher = searcher_of(tmp_path_factory, {"幼儿园.txt": kindergarten, "护士.txt": nurses})
    nurse = profile_from({"education": "本科", "age": 32, "certificates": ["护士执业证书"]})
    found = check(searcher, nurse, "护士", Filters()).policies
    assert [p.title for p in found] == ["某市护士管理办法", "某市幼儿园管理办法"]
    assert found[1].eligible is True and found[0].eligible is not True  # fit alone had put it first


def test_a_higher_rung_finds_the_policies_asking_for_a_lower_one(tmp_path_factory: pytest.TempPathFactory) -> None:
    # A 高级技师 meets 技师以上, whose text names 技师 only: searched by 高级技师 alone, a
    # 高级技师 had found fewer policies than a 技师; so had a 研究生 (硕士) with 本科以上.
    masters = two_articles("某市技能大师工作室管理办法", "为了发挥技能大师作用，制定本办法。")
    masters += "第二条 申报人应当具备下列条件：\n（一）具有技师以上职业资格；\n（二）在企业一线岗位工作。\n"
    searcher = searcher_of(tmp_path_factory, {"大师.txt": masters, "外籍人员来京工作办法.txt": FOREIGNERS})
    senior = check(searcher, profile_from({"skill_level": "高级技师"}), "", Filters()).policies
    assert [p.title for p in senior] == ["某市技能大师工作室管理办法"]
    graduate = check(searcher, profile_from({"education": "研究生"}), "", Filters()).policies
    assert [p.title for p in graduate] == ["外籍人员来京工作办法"]


@pytest.mark.parametrize(
    ("question", "age"),
    [
        ("我今年五十岁了还能申请技能大师工作室吗", 50),
        ("今年五十六了，能领办工作室吗", 56),
        ("我45岁可以申请吗", 45),
        ("我今年十七，暑假想去KTV打工", 17),
        ("五十岁以下的人能申请吗", None),  # a limit asked about
        ("年满十八周岁的公民可以吗", None),
        ("今年五十家企业入选", None),
        ("我今年3岁", None),  # no applicant's age
        ("今年45岁以下的技师能申请吗", None),  # limits asked about
        ("今年60岁以上的老人能领取高龄津贴吗", None),
        ("我35岁以下能申请吗", None),
        ("我父亲八十岁了能领高龄津贴吗", None),  # another person's age
        ("孩子今年十五了能打工吗", None),
        ("我已经五十岁了，还能申请吗", 50),
    ],
)
def test_the_age_a_question_states_of_the_asker(question: str, age: int | None) -> None:
    assert stated_age(question) == age


@pytest.mark.parametrize(
    ("question", "rungs"),
    [
        # The link to 申报自查 had kept the age and dropped the skill level or degree.
        ("我是技师，今年50岁，能申请技能大师工作室吗", {"skill_level": "技师"}),
        ("我是博士，来北京工作有什么补贴？", {"education": "博士"}),
        ("我今年35岁，硕士学历，能落户吗", {"education": "硕士"}),
        ("本人持有高级工程师职称，有什么待遇", {"professional_title": "高级工程师"}),  # not 高级工
        ("我是高级技师", {"skill_level": "高级技师"}),
        ("我儿子是博士，能落户吗", {}),  # another person's
        ("我是硕士，要求本科以上吗", {"education": "硕士"}),  # 本科以上 is asked about
        ("技能大师工作室申报条件", {}),
        ("我有高级职称", {"professional_title": "高级职称"}),
        # What the review found: a grade of another thing, a rung asked about later, a school.
        ("我是一级建造师，能落户吗", {}),
        ("我在三级医院工作，是主治医师", {"professional_title": "主治医师"}),
        ("我是中级工程师，能评高级工程师吗", {"professional_title": "工程师"}),
        ("我是硕士，想问本科生能落户吗", {"education": "硕士"}),
        ("我今年30岁，想考技师", {}),
        ("我是技师学院的老师", {}),
        ("我是否符合硕士的要求", {}),
    ],
)
def test_the_rungs_a_question_states_of_the_asker(question: str, rungs: dict[str, str]) -> None:
    assert stated_rungs(question) == rungs
