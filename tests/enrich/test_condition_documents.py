"""Documents shown, units and skill ranks read from a clause's own wording (7 December,
session 40): a consequence that is a document shown (…用血的，凭本人《居民身份证》用血: the
condition before it and the document are required; a document shown for a procedure is not),
a unit type heading a later clause (是…职工的, 以及…的企业), a unit one is placed in
(安排到事业单位的) or that acts with its staff (国家机关及其工作人员),
a skill rank naming the people (高级技术工人, …的技师) and a rung of a licence (执业助理医师
以上资格). Second round: the case of a schedule's item (按照下列职务等级编制…：（一）高级专业
技术职务：…), several cases before one consequence (…的，获得二级表彰并经批准享受相关待遇的，…),
a provision after the clause 对 opens (对…人员，要提供…) and a catch-all outside a list of
alternatives (…规定的其他情形 in a disqualifier list). Fourth round: a bracketed aside inside a
schooling (…学校（包括…）毕业程度) and a catch-all qualified in between (其他不得辞退的情形)."""

from __future__ import annotations

from typing import Any

import pytest

from analysis.text import normalize
from ingest.enrich.conditions import ConditionExtractor
from tests.enrich.handmade import article, extract, read_benefit


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


# Second round (7 December, session 40): a schedule's items, several cases before one
# consequence, a provision after the clause 对 opens, and a catch-all outside a list.


def _items(extractor: ConditionExtractor, lead: str, items: list[str], clause_type: str = "general") -> list[Any]:
    """(field, value) of the conditions on the item passages of one article."""
    passages = extract(extractor, article("第十一条", lead, items, clause_type))
    return [(c["field"], c["value"]) for p in passages[1:] for c in p.conditions]


def test_the_case_of_a_schedules_item_is_its_requirement(extractor: ConditionExtractor) -> None:
    lead = "专业技术人员按照下列职务等级编制消防救援衔："
    items = ["高级专业技术职务：高级指挥长至三级指挥长；", "中级专业技术职务：一级指挥长至二级指挥员。"]
    assert _items(extractor, lead, items) == [("professional_title_min", "副高级"), ("professional_title_min", "中级")]
    ranks = _items(extractor, "管理指挥人员按照下列职务等级编制消防救援衔：", ["总队级正职：高级指挥长；"])
    assert ranks == [("other", "总队级正职")]
    # A topic heading its item (…的期限：) is no case, nor is a classification's item.
    topic = _items(extractor, "军官军衔晋级的期限按照下列规定：", ["平时军官军衔晋级的期限：少尉晋升中尉为二年；"])
    assert ("other", "平时军官军衔晋级的期限") not in topic
    assert _items(extractor, "军官军衔依照下列规定区分：", ["专业技术军官：中将、少将。"]) == []


def test_several_cases_before_one_consequence(extractor: ConditionExtractor) -> None:
    text = (
        "退役军人服现役期间个人荣立二等战功或者一等功的，获得二级表彰并经批准享受相关待遇的，"
        "在艰苦边远地区服现役累计满15年的，可以在符合安置条件的省级行政区域内选择安置地。"
    )
    assert _values(extractor, text, "awards") == [["二等战功", "一等功"], ["二级表彰"]]
    assert _values(extractor, text, "years_experience_min") == [15]


def test_a_provision_after_the_clause_dui_opens(extractor: ConditionExtractor) -> None:
    text = "对本省及来本省工作的国外、省外各类专业技术人员和管理人员，要提供良好的工作、生活环境。"
    assert _values(extractor, text, "residence_or_employment") == ["到本省工作"]


def test_a_catch_all_outside_a_list_of_alternatives_is_dropped(extractor: ConditionExtractor) -> None:
    lead = "申请人有下列情形之一的，不予注册："
    items = ["受刑事处罚，自刑罚执行完毕之日起至申请注册之日止不满二年的；", "法律、行政法规规定的其他情形。"]
    others = [value for field, value in _items(extractor, lead, items, "condition") if field == "other"]
    assert others and not any("其他情形" in value for value in others)


def test_an_absence_after_a_contrast_is_negated(extractor: ConditionExtractor) -> None:
    text = "具有医学专业学历但未取得医师资格证书或者医师执业证书的人员，可以在中医师指导下非独立提供中医药服务。"
    certificates = [
        (value, negated) for field, value, negated in read_benefit(extractor, text) if field == "certificates"
    ]
    assert certificates == [(["医师资格证书", "医师执业证书"], True)]


def test_an_origin_owning_a_thing_is_no_requirement(extractor: ConditionExtractor) -> None:
    checked = "金融、教育、医疗、电信等单位在办理业务时需要核实外国人身份信息的，可以向公安机关出入境管理机构申请核实。"
    assert _values(extractor, checked, "origin") == []
    defined = (
        "本条例所称精神健康促进，是指通过普及精神卫生知识、处置心理问题和干预心理危机等方式，提高公民的心理健康水平。"
    )
    assert _values(extractor, defined, "origin") == []
    # Still a requirement where the origin is who the clause is about.
    assert _values(extractor, "外国人申请居留证件，符合规定条件的，可以申请。", "origin") == [["外籍"]]


def test_a_duty_that_names_a_prerequisite(extractor: ConditionExtractor) -> None:
    text = (
        "以师承方式学习中医学的人员，应当按照国务院卫生行政部门的规定，通过执业医师资格考核考试，"
        "并经注册取得医师执业证书后，方可从事中医医疗活动。"
    )
    assert _values(extractor, text, "certificates") == [["医师执业证书"]]
    # A duty with no prerequisite states no requirement of who bears it.
    assert _values(extractor, "中医从业人员，应当遵守执业规范。", "certificates") == []


def test_a_bracketed_aside_inside_a_schooling(extractor: ConditionExtractor) -> None:
    text = "幼儿园园长、教师应当具有幼儿师范学校（包括职业学校幼儿教育专业）毕业程度。"
    assert _found(extractor, text, "education_min") == ["中专/高中"]
    assert _found(extractor, "具有大学本科（含同等学力）以上学历。", "education_min") == ["本科"]


def test_a_qualified_catch_all_outside_a_list_of_alternatives_is_dropped(extractor: ConditionExtractor) -> None:
    lead = "公务员有下列情形之一的，不得辞退："
    items = ["因公致残，被确认丧失或者部分丧失工作能力的；", "法律、行政法规规定的其他不得辞退的情形。"]
    others = [value for field, value in _items(extractor, lead, items, "condition") if field == "other"]
    assert others and not any("情形" in value for value in others)
