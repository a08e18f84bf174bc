"""Leftovers that require nothing of an applicant (7 December, `other`): a way a measure is
taken, a reference to the list below, the holder of a right, a thing or a region acting, a
purpose, what a measure promotes or relies on, an authority's own circumstance, and a
nationality the origin after it holds. Each stays out of ``other``; the requirement beside
it stays in."""

from __future__ import annotations

import pytest

from ingest.enrich.conditions import ConditionExtractor
from ingest.model import Document
from tests.enrich.handmade import article, extract, make_clause


@pytest.fixture(scope="module")
def extractor() -> ConditionExtractor:
    return ConditionExtractor()


def _others(extractor: ConditionExtractor, text: str, clause_type: str = "benefit") -> list[str]:
    """The ``other`` spans of one article."""
    passage = make_clause(text, ["第九条"], "article", clause_type)
    extractor.extract_document(Document("policy", "某某条例", "k", "s", [passage]))
    return [c["span"] for c in passage.conditions if c["field"] == "other"]


def _item_others(extractor: ConditionExtractor, lead: str, *items: str) -> list[list[str]]:
    """The ``other`` spans of each item of a list."""
    passages = extract(extractor, article("第五条", lead, list(items)))
    return [[c["span"] for c in p.conditions if c["field"] == "other"] for p in passages[1:]]


def test_a_way_a_measure_is_taken(extractor: ConditionExtractor) -> None:
    found = _others(extractor, "第九条 对符合条件的困难家庭成员，通过发放租金补贴、配租实物房源等方式，给予住房救助。")
    assert not any(span.endswith("方式") for span in found)


def test_a_reference_to_the_list_below(extractor: ConditionExtractor) -> None:
    found = _others(extractor, "第九条 法官有下列表现之一的，应当给予奖励：")
    assert found == []


def test_the_holder_of_a_right(extractor: ConditionExtractor) -> None:
    assert _others(extractor, "第九条 执业经纪人有权在其执业的经纪合同上签名。") == []
    assert _others(extractor, "第九条 学前儿童依法享有生命安全和健康、平等接受教育的权利。") == []


def test_a_thing_or_a_region_acting(extractor: ConditionExtractor) -> None:
    found = _others(extractor, "第九条 企业建设创新创业服务平台，政府财政应当按照规定给予补贴。")
    assert found and "政府财政" not in found
    assert _others(extractor, "第九条 有条件的地方可以逐步覆盖全体老年人。") == []


def test_a_purpose(extractor: ConditionExtractor) -> None:
    text = "第九条 为保障教师完成教育教学任务，各级人民政府应当为教师提供符合国家安全标准的教育教学设施。"
    assert not any(span.startswith("保障") for span in _others(extractor, text))


def test_what_a_measure_promotes_or_relies_on(extractor: ConditionExtractor) -> None:
    text = "第九条 各级人民政府应当关心爱护医师，支持开拓创新，帮助解决困难。"
    assert _others(extractor, text) == []
    text = "第九条 有关部门应当依托区域性股权市场打造青年创新创业金融服务平台，为青年创新创业提供服务。"
    assert not any("股权市场" in span for span in _others(extractor, text))
    # A means in quotes is a means (the book's action plan 三、13. had shown 「服务包”平台」).
    text = "第九条 与投资机构建立联合赋能机制，依托“服务包”平台，形成重点被投资企业服务体系。"
    assert not any("服务包" in span for span in _others(extractor, text))
    # 为 + a subject and what it is to do (提升, 发挥) + 创造条件: the measure's purpose.
    text = "第九条 各区教育部门要为名师工作室进一步提升带教能力、发挥示范作用创造条件。"
    assert _others(extractor, text) == []
    # People and what they are to do: who gets the measure.
    text = "第九条 为残疾人提高就业能力提供职业培训补贴。"
    assert any(span.startswith("残疾人") for span in _others(extractor, text))
    # Described people stay, a purpose verb inside their description too.
    text = "第九条 有关部门应当为在本市开展提升技能培训的外籍专家提供便利。"
    assert "在本市开展提升技能培训" in _others(extractor, text)


def test_an_authority_s_own_circumstance(extractor: ConditionExtractor) -> None:
    items = _item_others(
        extractor,
        "有下列情形之一的，司法鉴定机构可以根据办案机关的委托进行重新鉴定：",
        "原司法鉴定人应当回避没有回避的；",
        "办案机关认为需要重新鉴定的。",
    )
    assert items[1] == []
    # …部门制定的标准 is a rule the applicant must meet, the authority only made it.
    text = "第九条 开办医疗机构，应当符合国务院卫生行政部门制定的医疗机构设置标准。"
    assert _others(extractor, text, "condition") == ["国务院卫生行政部门制定的医疗机构设置标准"]


def test_the_nationality_an_origin_holds(extractor: ConditionExtractor) -> None:
    items = _item_others(extractor, "申请人应当具备下列条件：", "是中华人民共和国公民；", "品行良好。")
    assert items == [[], ["品行良好"]]


def test_a_requirement_joined_to_the_next_by_and(extractor: ConditionExtractor) -> None:
    # 仲裁法 第十三条（四）: the work 从事法律研究、教学工作 had been dropped as a piece cut off
    # at 并, so a 副高级 applicant of any trade was told he met the item.
    items = ["从事法律研究、教学工作并具有高级职称的；"]
    item = extract(extractor, article("第十三条", "仲裁员应当符合下列条件之一：", items))[1]
    fields = [(c["field"], c["span"]) for c in item.conditions]
    assert fields == [("other", "从事法律研究、教学工作"), ("professional_title_min", "高级职称")]
    # Whole words only: 而且 is cut whole, not its 且 (身体健康而).
    items = ["身体健康而且具有大学本科以上学历；"]
    item = extract(extractor, article("第十三条", "申请人应当符合下列条件之一：", items))[1]
    assert [c["span"] for c in item.conditions if c["field"] == "other"] == ["身体健康"]


def test_a_modal_before_the_structured_part(extractor: ConditionExtractor) -> None:
    # The book's 境外职业资格认可目录 一、4.: the condition of the wider age was shown as
    # 「高精尖产业领域可」, its 可 belonging to 放宽至70周岁.
    text = (
        "外籍人员办理工作许可可不受学历、学位、工作经历限制，年龄可放宽至 65 周岁（高精尖产业领域"
        "可放宽至 70 周岁），符合外国高端人才（A 类）条件的，可办理 5 年以内的有效证件。"
    )
    assert _others(extractor, text) == ["高精尖产业领域", "符合外国高端人才（A 类）条件"]
    # 许可 and 认可 are words, not a modal: kept whole.
    assert _others(extractor, "经行业主管部门认可，年满三十周岁以上的，可以申请。", "condition") == ["行业主管部门认可"]


def test_a_piece_ending_with_a_preposition_or_also_leads_into_the_rest(extractor: ConditionExtractor) -> None:
    # 律师法 第十六条 had shown 「设立人还」 as a requirement, 医师法 「幼儿园对」 too.
    text = "第九条 设立专业事务所，除应当符合本条例第七条规定的条件外，设立人还应当是具有三年以上执业经历的会计师。"
    assert not any(span.endswith("还") for span in _others(extractor, text, "condition"))
    text = "第九条 符合条件的培训学校对取得职业资格证书的学员，给予补贴。"
    assert not any(span.endswith("对") for span in _others(extractor, text))


def test_conditions_a_clause_does_not_state_stay_a_requirement(extractor: ConditionExtractor) -> None:
    # 残疾人教育条例 第四十条 (鼓励具备条件的高等学校毕业生到特殊教育学校…任教) had made a 大专
    # graduate eligible by the degree alone.
    text = "第九条 区人民政府可以采取补助等措施，鼓励具备条件的高等学校毕业生到乡村学校任教。"
    assert "具备条件" in _others(extractor, text)
    assert "具备条件" not in _others(
        extractor, "第九条 区人民政府可以采取补助等措施，鼓励高等学校毕业生到乡村学校任教。"
    )
    assert "具备条件" not in _others(extractor, "第九条 区人民政府鼓励不具备条件的高等学校毕业生参加培训。")
