"""Wordings of conditions met in laws the first rules were not fitted on
(tests/data/conditions-extra.jsonl): who a list's lead-in names, schooling stated as
文化程度 or 初中, certificates named by their own name or by their holder, and origins
that name a ship, a relative or a nationality one acquires."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ingest.enrich.condition_scopes import make_condition
from ingest.enrich.conditions import ConditionExtractor
from ingest.model import Document, Passage
from ingest.pipeline import Pipeline


@pytest.fixture(scope="module")
def extractor() -> ConditionExtractor:
    return ConditionExtractor()


def _fields(extractor: ConditionExtractor, *lines: str) -> list[list[tuple[str, Any]]]:
    """The structured conditions of each line, as one article and its items."""
    number = "第七条"
    path = ["第一章 总则", number]
    article = Passage("policy", "\n".join([f"{number} {lines[0]}", *lines[1:]]), path, locator=number)
    article.attrs["unit"] = "article"
    passages = [article]
    for line in lines[1:]:
        item = Passage("policy", line, [*path, line[:3]], locator=number + line[:3], attrs={"unit": "item"})
        passages.append(item)
    for passage in passages:
        passage.clause_type = "condition"
    extractor.extract_document(Document("policy", "某某条例", "k", "s", passages))
    return [[(c["field"], c["value"]) for c in p.conditions if c["field"] != "other"] for p in passages]


def test_the_subject_of_a_qualifying_lead_in(extractor: ConditionExtractor) -> None:
    lead, *items = _fields(
        extractor, "中国公民具有下列条件之一的，可以经申请批准：", "（一）外国人的近亲属；", "（二）定居在外国的。"
    )
    assert lead == [("origin", ["中国公民"])]
    assert items == [[], []]  # 外国人的近亲属 is a relative, not a foreigner
    (company, _) = _fields(extractor, "保安服务公司应当具备下列条件：", "（一）有住所。")
    assert company == []  # the role the items qualify for
    (circumstance, _) = _fields(extractor, "外国人有下列情形之一的，可以免办签证：", "（一）持有效的居留证件的。")
    assert circumstance == []


def test_schooling_certificates_and_acquired_nationality(extractor: ConditionExtractor) -> None:
    (article,) = _fields(extractor, "担任陪审员，一般应当具有高中以上文化程度。")
    assert article == [("education_min", "中专/高中")]
    (article,) = _fields(extractor, "年满18周岁，具有初中以上学历的中国公民可以申领保安员证。")
    assert ("education_min", "初中") in article
    (article,) = _fields(extractor, "居住证持有人符合落户条件的，可以迁入居住地。")
    assert article == [("certificates", ["居住证"])]
    (article,) = _fields(extractor, "持有国际航行船舶船员适任证书的船员，可以申请海员证。")
    assert article == [("certificates", ["国际航行船舶船员适任证书"])]
    (article,) = _fields(extractor, "取得相应学历证书的人员，可以申请。")
    assert article == []
    (article,) = _fields(extractor, "外国人申请加入中国国籍获得批准的，可以申领护照。")
    assert article == [("origin", ["外籍"])]
    (article,) = _fields(extractor, "曾有过中国国籍的外国人，具有正当理由，可以申请恢复中国国籍。")
    assert article == [("origin", ["外籍"])]
    (article,) = _fields(
        extractor, "持有中华人民共和国海员证的船员，在其他国家、地区享有按照当地法律规定的权利和通行便利。"
    )
    assert article == [("certificates", ["中华人民共和国海员证"])]


def test_the_subject_a_universal_sentence_describes(extractor: ConditionExtractor) -> None:
    """凡 names everyone its subject describes, even when the consequence binds someone
    else (the parents) or is a plain duty; not a means (凡通过…等途径) or a sanction."""
    (article,) = _fields(extractor, "凡年满六周岁的儿童，其父母或者其他法定监护人应当送其入学。")
    assert article == [("age_min", 6)]
    (article,) = _fields(extractor, "凡年满十八周岁具备选民资格的中华人民共和国公民，都应当按选区进行选民登记。")
    assert ("age_min", 18) in article and ("origin", ["中国公民"]) in article
    (article,) = _fields(extractor, "凡年满十八周岁的公民都应当进行兵役登记。")
    assert ("age_min", 18) in article
    (article,) = _fields(extractor, "凡十八岁至三十五岁的男性公民（以下称适龄人员），编入民兵组织。")
    assert ("age_min", 18) in article and ("age_max", 35) in article
    (article,) = _fields(extractor, "凡通过现有高等学校的扩大招生等途径，能够满足需求的，不另行增设。")
    assert article == []
    (article,) = _fields(extractor, "凡年满十八周岁的人员违反本条例规定的，由公安机关责令改正。")
    assert article == []


def test_a_condition_before_a_time_phrase(extractor: ConditionExtractor) -> None:
    """…的，退出现役后可以…: the condition ends at the comma before the time phrase, and a
    later clause about something else (其工资…不得低于…) does not make it a disqualifier."""
    sentence = (
        "自主就业的退役士兵入伍前是机关、团体、事业单位或者国有企业人员的，退出现役后可以选择复职复工，"
        "其工资、福利待遇不得低于本单位同等条件人员的平均水平。"
    )
    extractor.extract_document(document := _document(sentence))
    (unit,) = [c for c in document.passages[0].conditions if c["field"] == "unit_type"]
    assert unit["value"] == ["机关", "社会组织", "事业单位", "企业"]
    assert unit["negated"] is False
    (article,) = _fields(extractor, "在岗人员有下列行为的，退出现役后不得复职：擅自离岗。")
    assert article == []  # a refusal is no requirement of the applicant's


def test_vocabulary_wordings(extractor: ConditionExtractor) -> None:
    """Wordings the vocabulary reads: 团体 as a kind of unit, 户籍在本市, 工作满N年, an age
    range without the first 岁, 或者以上学历; a unit that only qualifies another noun
    (企业主管部门, 公司章程) is no requirement."""
    (article,) = _fields(extractor, "户籍在本市的公民，工作满五年的，可以申请。")
    assert ("residence_or_employment", "本市户籍") in article and ("years_experience_min", 5) in article
    (article,) = _fields(extractor, "年龄在十八至三十五岁的青年，可以申请。")
    assert ("age_min", 18) in article and ("age_max", 35) in article
    (article,) = _fields(extractor, "具有高级中学、中等专业学校或者以上学历的人员，可以报考。")
    assert article == [("education_min", "中专/高中")]
    (article,) = _fields(extractor, "企业主管部门规定的人员，可以参加考核。")
    assert article == []


def test_a_requirement_every_alternative_shares(extractor: ConditionExtractor) -> None:
    """取得A或者B，并从事…N年以上: the years are required on every branch, not only the
    last (else a 硕士 without the years would qualify); 并 inside one branch stays there."""
    text = "取得建筑学硕士以上学位或者相近专业工学博士学位，并从事建筑设计或者相关业务2年以上的，可以报考。"
    extractor.extract_document(document := _document(text))
    structured = [
        (c["field"], c["value"], c["group"]) for c in document.passages[0].conditions if c["field"] != "other"
    ]
    assert structured == [
        ("education_min", "硕士", "g1/a"),
        ("years_experience_min", 2, "g1/a"),
        ("education_min", "博士", "g1/b"),
        ("years_experience_min", 2, "g1/b"),
    ]
    text = "具有本科学历并从事设计工作5年以上的，或者具有硕士学位并从事设计工作3年以上的，可以报考。"
    extractor.extract_document(document := _document(text))
    years = [(c["value"], c["group"]) for c in document.passages[0].conditions if c["field"] == "years_experience_min"]
    assert years == [(5, "g1/a"), (3, "g1/b")]


def test_people_of_an_age_a_clause_names(extractor: ConditionExtractor) -> None:
    """An age bound before a class of people names who the clause is about, wherever it
    stands; not the people a prohibition protects, nor an age without a person."""
    (article,) = _fields(extractor, "逐步建立和完善具有本省户籍的八十周岁以上老年人高龄津贴制度。")
    assert article == [("residence_or_employment", "本省户籍"), ("age_min", 80)]  # a chain of bounds
    (article,) = _fields(extractor, "村民会议由本村十八周岁以上的村民组成。")
    assert article == [("age_min", 18)]
    (article,) = _fields(extractor, "任何组织或者个人不得摘取未满18周岁公民的活体器官用于移植。")
    assert article == []
    (article,) = _fields(extractor, "本市应当在十八周岁以上开展宣传。")
    assert article == []
    (article,) = _fields(extractor, "服预备役的最高年龄可以适当延长，但是延长的年龄不得超过五岁。")
    assert ("age_max", 5) not in article  # how long it may be extended, not an age
    (article,) = _fields(extractor, "国家鼓励高等学校毕业生到农村地区从事义务教育工作。")
    assert article == [("education_min", "大专")]
    (article,) = _fields(extractor, "企业接收军龄10年以上的退役军人的，应当与其签订无固定期限劳动合同。")
    assert ("years_experience_min", 10) in article
    (article,) = _fields(extractor, "具有本市户籍的适龄儿童、少年，在户籍所在地学校就近入学。")
    assert ("residence_or_employment", "本市户籍") in article
    (article,) = _fields(extractor, "经认定并备案的非本省户籍的宗教教职人员，其户籍需要迁入本省的，按规定办理。")
    assert ("residence_or_employment", "本省户籍") not in article  # 非本省户籍 is not 本省户籍


def test_each_paragraph_keeps_the_class_it_names(extractor: ConditionExtractor) -> None:
    """A class named in 第一款 stays there when 第二款 states the same as a condition: the
    check cites each 款 apart, so the first would show no requirement."""
    first = "对送来的患者，应当由二名具有主治医师以上职称的精神科医师对其进行诊断。"
    second = "经二名具有主治医师以上职称的精神科医师诊断，认为患者可以出院的，由医疗机构办理出院手续。"
    passage = Passage("policy", f"第七条 {first}\n{second}", ["第七条"], locator="第七条")
    passage.attrs.update(unit="article", paragraphs=[f"第七条 {first}", second])
    passage.clause_type = "procedure"
    extractor.extract_document(Document("policy", "某某条例", "k", "s", [passage]))
    titles = [c["start"] for c in passage.conditions if c["field"] == "professional_title_min"]
    assert len(titles) == 2 and titles[0] < len(first) + 4 < titles[1]


def _document(text: str) -> Document:
    passage = Passage("policy", f"第七条 {text}", ["第七条"], locator="第七条", attrs={"unit": "article"})
    passage.clause_type = "benefit"
    return Document("policy", "某某条例", "k", "s", [passage])


def _spans(extractor: ConditionExtractor, *lines: str) -> list[str]:
    """The spans of every condition (``other`` too) of one article and its items."""
    number = "第七条"
    passages = [Passage("policy", "\n".join([f"{number} {lines[0]}", *lines[1:]]), [number], locator=number)]
    passages[0].attrs["unit"] = "article"
    for line in lines[1:]:
        passages.append(Passage("policy", line, [number, line[:3]], locator=number + line[:3], attrs={"unit": "item"}))
    for passage in passages:
        passage.clause_type = "condition"
    extractor.extract_document(Document("policy", "某某条例", "k", "s", passages))
    return [c["span"] for p in passages for c in p.conditions]


def test_spans_keep_whole_words(extractor: ConditionExtractor) -> None:
    # An edge word is stripped only where it is a word of its own: 其他 and 经营 stay
    # whole, 患者 keeps 者, the 的 of a described subject goes.
    lines = ("有下列情形之一的，不得聘用：", "（一）受过刑事处罚的；", "（二）其他不宜从事教学工作的情形。")
    spans = _spans(extractor, *lines)
    assert "其他不宜从事教学工作的情形" in spans
    spans = _spans(extractor, "经营管理成绩显著的驾驶员，由市交通委员会给予表彰。")
    assert "经营管理成绩显著的驾驶员" in spans
    assert "需要急救的精神疾病患者" in _spans(extractor, "对需要急救的精神疾病患者，医疗机构应当给予救治。")
    # A consequence verb inside another word ends nothing: 许可办理 holds no 可办理,
    # 所有权人 no 有权; nor is 对外 (foreign) a beneficiary's mark.
    assert not any(s.endswith("许") for s in _spans(extractor, "便利外籍人才工作许可办理，下放审批权限。"))
    assert not any(s.endswith("所") for s in _spans(extractor, "历史建筑的所有权人应当按照规定维护。"))
    assert not any(s.startswith("外") for s in _spans(extractor, "对外贸易经营者可以依法成立行业协会。"))


def test_a_unit_type_only_where_a_clause_says_who_qualifies(extractor: ConditionExtractor) -> None:
    # The same words: in a clause of who qualifies the unit is the applicant's, in a
    # procedure it is who acts (…的企业，应当向…提出申请).
    text = "第十三条 从事客运服务的企业，符合本条例规定的，可以申请经营许可。"
    units = {}
    for kind in ("condition", "procedure"):
        passage = Passage("policy", text, ["第十三条"], locator="第十三条", attrs={"unit": "article"})
        passage.clause_type = kind
        extractor.extract_document(Document("policy", "某某条例", "k", "s", [passage]))
        units[kind] = [c["value"] for c in passage.conditions if c["field"] == "unit_type"]
    assert units == {"condition": [["企业"]], "procedure": []}


def test_a_region_named_after_an_origin_is_none(extractor: ConditionExtractor) -> None:
    (article,) = _fields(extractor, "支持粤港澳大湾区的高等院校在本市合作建设中医药研究中心。")
    assert all(field != "origin" for field, _ in article)
    (article,) = _fields(extractor, "支持港澳居民在本市合作建设中医药研究中心。")
    assert ("origin", ["港澳台"]) in article


def _paragraph(extractor: ConditionExtractor, text: str) -> Passage:
    """One article of one paragraph, typed condition, with its conditions read."""
    passage = Passage("policy", f"第七条 {text}", ["第七条"], locator="第七条", attrs={"unit": "article"})
    passage.clause_type = "condition"
    extractor.extract_document(Document("policy", "某某条例", "k", "s", [passage]))
    return passage


def test_ages_no_one_has_at_once_are_tiers(extractor: ConditionExtractor) -> None:
    def ages(*lines: str) -> list[tuple[str, int, str | None]]:
        passage = Passage("policy", "\n".join(lines), ["第七条"], locator="第七条", attrs={"unit": "article"})
        passage.clause_type = "condition"
        extractor.extract_document(Document("policy", "某某条例", "k", "s", [passage]))
        return [(c["field"], c["value"], c["group"]) for c in passage.conditions if c["field"].startswith("age")]

    # Two tiers: as hard conditions every applicant would fail one.
    tiers = ages("第七条 六十五周岁以上免费乘坐公共交通工具，不满六十五周岁按照规定半价乘坐。")
    assert tiers == [("age_min", 65, "g1/a"), ("age_max", 64, "g1/b")]
    # A later bound that holds with the first joins it (18 to 22); a range stays whole.
    draft = ages(
        "第七条 每年12月31日前年满18岁的男性公民，应当被征集服现役。当年未被征集的，在22岁前仍可以被征集服现役。",
        "每年12月31日前年满17岁未满18岁的男女公民，根据军队需要和本人自愿的原则，可以被征集服现役。",
    )
    assert draft == [
        ("age_min", 18, "g1/a"),
        ("age_max", 22, "g1/a"),
        ("age_min", 17, "g1/b"),
        ("age_max", 17, "g1/b"),
    ]
    # Bounds that hold together stay hard.
    held = ages("第七条 年满十八周岁、不超过三十五周岁的公民，可以申请。")
    assert held == [("age_min", 18, None), ("age_max", 35, None)]


def test_a_requirement_never_carries_half_a_bracket(extractor: ConditionExtractor) -> None:
    # 在本市某一行业 is read as where one works; the words after it keep no stray "）".
    text = "技能大师是指在本市某一行业（领域）技能拔尖、技艺精湛、业绩突出的高技能人才。"
    passage = Passage("policy", text, ["第二条"], locator="第二条", attrs={"unit": "article"})
    passage.clause_type = "condition"
    extractor.extract_document(Document("policy", "某某办法", "k", "s", [passage]))
    spans = [c["span"] for c in passage.conditions if c["field"] == "other"]
    assert spans and not any(s.startswith(("）", ")")) or s.count("（") != s.count("）") for s in spans), spans


def test_a_condition_whose_outcome_follows_a_colon(extractor: ConditionExtractor) -> None:
    # A table of outcomes (按照下列工作年限编制…：（一）工作满二十四年的：一级消防长): each
    # line's condition comes before the colon, whatever the clause is typed.
    lines = _fields(
        extractor,
        "消防员按照下列工作年限编制衔级：",
        "（一）工作满二十四年的：一级消防长；",
        "（二）工作满二年的：消防员。",
    )
    assert lines[1:] == [[("years_experience_min", 24)], [("years_experience_min", 2)]]
    # A colon that opens a list is no outcome: its lead-in states nothing.
    assert _fields(extractor, "申请人应当具备下列条件：", "（一）年满十八周岁；")[0] == []


def test_the_holder_who_makes_a_decision(extractor: ConditionExtractor) -> None:
    # 由…作出, like 由…担任: who may do it is a requirement of the clause.
    (held,) = _fields(extractor, "诊断复核结论应当由具有副主任医师以上职称的精神科医师作出。")
    assert held == [("professional_title_min", "副高级")]


def test_age_bounds_right_before_a_grant_in_a_later_clause(extractor: ConditionExtractor) -> None:
    # The item's first clause grants to everyone; the later ones by age, as tiers.
    lines = _fields(
        extractor,
        "老年人持有效证件，享受下列优待：",
        "（一）政府兴办或者支持的公园、景点免购门票，社会力量兴办的公园、景点，七十周岁以上免购门票，不满七十周岁半价购买门票；",
    )
    assert lines[1] == [("age_min", 70), ("age_max", 69)]
    # Not in a sanction: those it names are not applicants.
    (punished,) = _fields(extractor, "因不满十六周岁不予刑事处罚的，责令其父母加以管教。")
    assert punished == []


def test_an_item_that_defines_a_kind_of_person(extractor: ConditionExtractor) -> None:
    lines = _fields(
        extractor,
        "本条例中下列用语的含义：",
        "（一）家庭医生是指注册全科医生，或者经全科医生培训合格的中级以上职称退休临床医师。",
        "（二）法律援助服务，是指对符合法律援助条件的公民提供的法律咨询等服务。",
    )
    assert lines[1] == [("professional_title_min", "中级")]
    assert lines[2] == []  # a service is defined, not who may have it


def test_a_definition_by_a_list_means_any_of_its_items(extractor: ConditionExtractor) -> None:
    article = "本规定所称就业困难人员，是指有劳动能力的本市城乡劳动者，具体范围包括："
    lines = _fields(extractor, article, "（一）属于零就业家庭成员的；", "（二）女满四十周岁以上的；")
    assert lines[2] == [("age_min", 40)]
    number = "第七条"
    path = ["第一章 总则", number]
    passages = [Passage("policy", f"{number} {article}\n（一）连续失业一年以上的；", path, locator=number)]
    passages.append(Passage("policy", "（一）连续失业一年以上的；", [*path, "（一）"], locator=number + "（一）"))
    passages[0].attrs["unit"], passages[1].attrs["unit"] = "article", "item"
    for passage in passages:
        passage.clause_type = "condition"
    extractor.extract_document(Document("policy", "某某规定", "k", "s", passages))
    assert {c["group"] for c in passages[1].conditions} == {"x1"}  # an alternative, not required of all
    # A service defined by a list names no one (保安服务是指：…).
    service = _fields(extractor, "本条例所称保安服务是指：", "（一）在物业管理区域内开展的门卫服务，年满十八周岁；")
    assert service[1] == []


def test_a_step_joins_the_result_it_leads_to(extractor: ConditionExtractor) -> None:
    # 经绩效考核后，等次为优秀的: one requirement, not 绩效考核后 and 等次为优秀 apart.
    text = "已经认定的市级工作室，经绩效考核后，等次为优秀的，可按照每个工作室20万元的标准给予追加资助。"
    passage = _paragraph(extractor, text)
    spans = [c["span"] for c in passage.conditions if c["field"] == "other"]
    assert "绩效考核后，等次为优秀" in spans and "等次为优秀" not in spans


def _article(extractor: ConditionExtractor, lead: str, *items: str) -> list[list[tuple[str, Any, Any]]]:
    """Every condition (``other`` too) of an article and its items, with its group."""
    number = "第九条"
    path = ["第二章 范围", number]
    passages = [Passage("policy", "\n".join([f"{number} {lead}", *items]), path, locator=number)]
    passages += [Passage("policy", item, [*path, item[:3]], locator=number + item[:3]) for item in items]
    for index, passage in enumerate(passages):
        passage.attrs["unit"] = "item" if index else "article"
        passage.clause_type = "condition"
    extractor.extract_document(Document("policy", "某某条例", "k", "s", passages))
    return [[(c["field"], c["value"], c["group"]) for c in p.conditions] for p in passages]


def test_the_matters_one_may_apply_under_are_alternatives(extractor: ConditionExtractor) -> None:
    lead = "公民对下列需要代理的事项，因经济困难没有委托代理人的，可以向法律援助机构申请法律援助："
    article, first, second = _article(extractor, lead, "（一）请求国家赔偿的；", "（二）请求支付劳动报酬的。")
    assert ("other", "下列需要代理的事项", None) not in article  # the list named, not a requirement
    assert ("other", "因经济困难没有委托代理人", None) in article
    assert first == [("other", "请求国家赔偿", "x1")] and second == [("other", "请求支付劳动报酬", "x1")]
    # Matters an assembly decides, or an agency reports, are no one's conditions.
    decided = "涉及村民利益的下列事项，经村民会议讨论决定方可办理："
    for lead in (decided, "机构应当就下列事项提交报告；经批准，可以向社会公布："):
        _, item = _article(extractor, lead, "（一）本村享受误工补贴的人员及补贴标准；")
        assert item == []


def test_a_requirement_in_words_is_never_cut_at_a_conjunction() -> None:
    from ingest.enrich.condition_words import wording

    assert wording("具有良好的职业道德") and wording("熟悉有关法律法规")
    assert not wording("职业学校和") and not wording("其他社会组织及") and not wording("本市企业或者")


def _others(extractor: ConditionExtractor, text: str) -> list[str]:
    number = "第七条"
    passage = Passage("policy", f"{number} {text}", ["第一章 总则", number], locator=number)
    passage.attrs["unit"] = "article"
    passage.clause_type = "condition"
    extractor.extract_document(Document("policy", "某某条例", "k", "s", [passage]))
    return [c["value"] for c in passage.conditions if c["field"] == "other"]


def test_references_to_rules_and_everyone_require_nothing(extractor: ConditionExtractor) -> None:
    # How a measure is taken (按照国家有关规定) and everybody (任何单位和个人) are no
    # requirement of an applicant; 105 and 99 'other' conditions of the archive were these.
    others = _others(extractor, "对参加职业技能培训的失业人员，按照国家有关规定给予职业培训补贴。")
    assert others and not any("规定" in o for o in others)
    assert _others(extractor, "符合条件的，依照本条例第十条规定享受补贴。") == ["符合条件"]
    assert not any(o.startswith("任何") for o in _others(extractor, "任何单位和个人发现违法行为的，有权举报。"))


def test_an_authoritys_means_are_no_requirement(extractor: ConditionExtractor) -> None:
    # 应当通过 is a requirement verb (应当通过…考试), but an authority's 应当通过…等形式 is how
    # it acts: the 山东省人才发展促进条例's 第五十二条 listed 「新建、购买…等形式」 as 必备.
    assert _others(extractor, "县级以上人民政府应当通过新建、购买人才公寓等形式，解决人才居住需求。") == []
    assert _others(extractor, "申请人应当通过国家统一法律职业资格考试。") != []


def test_an_exemptions_conditions_are_a_sub_category(extractor: ConditionExtractor) -> None:
    # 注册会计师法 第八条: 高级技术职称 spares some exams; it had read as required, and a 初级
    # 本科 citizen, who may sit the exam, was told 有必备条件不符合.
    number = "第八条"
    text = (
        f"{number} 具有高等专科以上学校毕业的学历的中国公民，可以申请参加统一考试；"
        "具有会计或者相关专业高级技术职称的人员，可以免予部分科目的考试。"
    )
    passage = Passage("policy", text, [number], locator=number)
    passage.attrs["unit"] = "article"
    passage.clause_type = "condition"
    extractor.extract_document(Document("policy", "某某法", "k", "s", [passage]))
    groups = {c["field"]: c["group"] for c in passage.conditions}
    assert groups["professional_title_min"] == "sub" and groups["education_min"] != "sub"


def test_a_span_of_quoted_names_holds_its_outer_quotes() -> None:
    # 技能大师工作室建设管理办法 第四条（一）: the awards' span had opened after the first “
    # and closed before the last ”, shown as 中华技能大奖”“…“老字号工匠.
    display = "重点从我市“中华技能大奖”“全国技术能手”“老字号工匠”等人才中产生"
    start, end = display.index("中华"), display.index("工匠") + 2
    assert make_condition(display, "awards", ["x"], start, end)["span"] == "“中华技能大奖”“全国技术能手”“老字号工匠”"
    one = display.index("全国"), display.index("能手") + 2  # one quoted name: as found
    assert make_condition(display, "awards", ["x"], *one)["span"] == "全国技术能手"


def test_a_school_one_studies_at_is_no_unit_type(extractor: ConditionExtractor) -> None:
    # 退役军人保障法 第三十五条: 正在普通高等学校就学的学生 had given unit_type 高校 (✗ for an
    # applicant at a company) and the fragment 「是正在普通」 as a requirement.
    text = "某某保障法\n\n第三十五条 现役军人入伍前已被普通高等学校录取或者是正在普通高等学校就学的学生，"
    text += "服现役期间保留入学资格或者学籍，退役后两年内允许入学或者复学，可以按照国家有关规定转入本校其他专业学习。\n"
    parsed = Pipeline().parse_bytes(Path("regulations/某某保障法.txt"), text.encode(), "regulations/某某保障法.txt")
    found = [c for d in parsed.documents for p in d.passages for c in p.conditions]
    assert found and not [c for c in found if c["field"] == "unit_type" or c["span"] == "是正在普通"]
    assert ("unit_type", ["高校"]) in _fields(extractor, "在高等学校工作满五年的教师，可以申请。")[0]


def test_a_role_a_bound_describes_is_kept_to_check(extractor: ConditionExtractor) -> None:
    # 上海市村民委员会选举办法 第三条: 年满十八周岁的村民 had given the age alone, so a
    # 50-year-old engineer was told he met it (the labels: age_min 18 and other 村民).
    text = "某某选举办法\n\n第三条 年满十八周岁的村民，不分民族、种族、性别，都有选举权和被选举权。\n"
    parsed = Pipeline().parse_bytes(Path("regulations/某某选举办法.txt"), text.encode(), "regulations/某某选举办法.txt")
    found = [(c["field"], c["value"]) for d in parsed.documents for p in d.passages for c in p.conditions]
    assert ("age_min", 18) in found and ("other", "村民") in found
