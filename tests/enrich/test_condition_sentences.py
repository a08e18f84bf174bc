"""Conditions read from the shape of a sentence (ingest/enrich/conditions.py), on hand-made
clauses: age ranges, refusals, the cases of each post or bracket, sentences about some
applicants only, classes listed among others, what a sentence says of the applicant,
limits lifted for some, a title one is promoted to."""

from __future__ import annotations

from typing import Any

import pytest

from ingest.enrich.conditions import ConditionExtractor
from ingest.model import Document
from tests.enrich.handmade import article, extract, fields_of, make_clause, read_benefit


@pytest.fixture(scope="module")
def extractor() -> ConditionExtractor:
    return ConditionExtractor()


def test_age_ranges_durations_after_a_verb_and_fee_waivers(extractor: ConditionExtractor) -> None:
    ranged = read_benefit(extractor, "第三条 本市提倡十八周岁至五十五周岁的健康公民自愿献血。")
    assert ("age_min", 18, False) in ranged and ("age_max", 55, False) in ranged
    ranged = read_benefit(extractor, "第七条 十八岁至三十五岁的公民可以参加。")
    assert ("age_min", 18, False) in ranged and ("age_max", 35, False) in ranged
    assert ("age_max", 45, False) in read_benefit(extractor, "第八条 年龄可以放宽到四十五周岁的人员，可以担任。")
    driven = article("第十条", "申请人应当具备下列条件：", ["有驾驶出租汽车二年以上的经历；"])
    assert ("years_experience_min", 2) in fields_of(extract(extractor, driven)[1])
    waived = read_benefit(extractor, "第二十九条 六十周岁以上的公民需要医疗临床用血的，免交用血互助金。")
    assert ("age_min", 60, False) in waived
    # A range from birth is read as written, both bounds (the labels' 零至六周岁).
    infants = read_benefit(extractor, "第十八条 对零至六周岁残疾儿童免费提供早期筛查、诊断、康复训练服务。")
    assert ("age_max", 6, False) in infants and ("age_min", 0, False) in infants


def test_a_certificate_one_must_not_hold_is_negated(extractor: ConditionExtractor) -> None:
    text = "第二条 本条例适用于尚未取得执业医师资格，经注册在村医疗卫生机构从事一般医疗服务的乡村医生。"
    passage = make_clause(text, ["第二条"], "article", "general")
    extractor.extract_document(Document("policy", "某某条例", "k", "s", [passage]))
    held = [(c["value"], c["negated"]) for c in passage.conditions if c["field"] == "certificates"]
    assert held == [(["执业医师资格"], True)]
    # The words leading into it are no requirement of their own (「本条例适用于尚未」 had
    # been a row 必备 of its own).
    assert not [c for c in passage.conditions if c["field"] == "other" and c["span"].endswith("尚未")]
    # Refused to those without it (律师法 第十三条: 没有取得律师执业证书的人员，不得…), it is
    # required: a licensed lawyer had been told ✗ 不属于：持有律师执业证书.
    for absent in ("没有", "未"):
        text = f"第十三条 {absent}取得律师执业证书的人员，不得以律师名义从事法律服务业务。"
        refused = make_clause(text, ["第十三条"], "article", "obligation")
        extractor.extract_document(Document("policy", "某某法", "k", "s", [refused]))
        assert [(c["value"], c["negated"]) for c in refused.conditions] == [(["律师执业证书"], False)], absent
    # Also with the step between (乡村医生从业管理条例 第十五条: a village doctor holding the
    # certificate had been told ✗ 不属于：持有乡村医生执业证书).
    text = "第十五条 未经注册取得乡村医生执业证书的，不得执业。"
    unregistered = make_clause(text, ["第十五条"], "article", "obligation")
    extractor.extract_document(Document("policy", "某某条例", "k", "s", [unregistered]))
    held = [(c["value"], c["negated"]) for c in unregistered.conditions if c["field"] == "certificates"]
    assert held == [(["乡村医生执业证书"], False)]


def test_requirements_of_each_post_are_alternatives(extractor: ConditionExtractor) -> None:
    posts = article(
        "第十一条",
        "应聘辅警应当具备下列条件：",
        ["勤务辅警应当具有高中以上文化程度，文职辅警应当具有大专以上文化程度；"],
    )
    item = extract(extractor, posts)[1].conditions
    assert [(c["field"], c["value"], c["group"]) for c in item] == [
        ("other", "勤务辅警", "g1/a"),
        ("education_min", "中专/高中", "g1/a"),
        ("other", "文职辅警", "g1/b"),
        ("education_min", "大专", "g1/b"),
    ]


def test_a_bound_in_brackets_is_another_case(extractor: ConditionExtractor) -> None:
    # 境外职业资格认可目录 一、4.: 65, or 70 in 高精尖产业领域. Read as a second hard bound, a
    # 外籍 applicant of 66 was told both ✗ 65 and ✓ 70 were 必备; as a sub-category's, one of
    # 68 in such a field was told ✗ 65. A lifted limit (可不受学历…限制) requires nothing.
    text = "外籍人员办理工作许可可不受学历、学位、工作经历限制，年龄可放宽至65周岁（高精尖产业领域可放宽至70周岁）。"
    item = extract(extractor, article("第四条", "申请人应当具备下列条件：", [text]))[1].conditions
    ages = [(c["field"], c["value"], c["group"]) for c in item if c["field"] == "age_max"]
    assert ages == [("age_max", 65, "g1"), ("age_max", 70, "g1/b")]  # as the labels read it
    assert all(c["group"] == "g1/b" for c in item if "高精尖" in c["span"])
    assert not [c for c in item if "不受" in c["span"]]
    # A bracket that only explains (含本科) leaves the bound before it alone.
    plain = extract(extractor, article("第四条", "申请人应当具备下列条件：", ["具有本科以上学历（含本科）。"]))
    assert [(c["field"], c["group"]) for c in plain[1].conditions] == [("education_min", None)]


def test_the_condition_of_a_further_grant_is_that_grants_only(extractor: ConditionExtractor) -> None:
    # 境外职业资格认可目录 一、4.: 符合外国高端人才（A类）条件的 is the condition of the 5-year
    # permit, not of the item: it had been 必备 for every 外籍 applicant.
    def groups(text: str) -> dict[str, Any]:
        passage = make_clause(text, ["一、", "4."], "item", "benefit")
        extract(extractor, [passage])
        return {c["span"]: c["group"] for c in passage.conditions}

    text = "外籍人员办理工作许可可不受学历、学位、工作经历限制，年龄可放宽至65周岁（高精尖产业领域可放宽至70周岁），"
    found = groups(text + "符合外国高端人才（A类）条件的，可办理5年以内的有效证件。")
    assert found["符合外国高端人才（A类）条件"] == "sub" and found["外籍人员"] is None
    assert found["放宽至65周岁"] == "g1"
    # 许可 and 可靠 grant nothing: the conditions before the grant are everyone's.
    assert set(groups("持有外国人工作许可证，在本市连续工作满3年的，可以申请永久居留。").values()) == {None}
    assert set(groups("在本市工作，具有可靠的政治素质，年满18周岁的，可以申请。").values()) == {None}
    # A condition whose grant is the clause's first keeps it (…的，可以申请).
    assert set(groups("外籍人员年满十八周岁的，可以申请工作许可。").values()) == {None}


def test_a_lead_naming_conditions_with_a_colon_lists_requirements(extractor: ConditionExtractor) -> None:
    # 关于实行技师聘任制的暂行规定 第三条 「技师任职条件：」: its items had held no condition.
    items = extract(extractor, article("第三条", "技师任职条件：", ["具有本科以上学历；", "年龄在五十周岁以下。"]))
    assert fields_of(items[1]) == [("education_min", "本科")] and fields_of(items[2]) == [("age_max", 50)]
    # Not the conditions that end what one holds (退出条件：（一）年满六十周岁的).
    leaving = extract(extractor, article("第九条", "退出条件：", ["年满六十周岁的；", "离开本市的。"]))
    assert not [c for p in leaving for c in p.conditions]


def test_a_sentence_about_some_applicants_is_a_sub_categorys(extractor: ConditionExtractor) -> None:
    # 法官法 第十二条（六）: the degrees are who may serve fewer years, not required of every
    # judge (a 本科 applicant had failed an any-of of 硕士 or 博士); so are the fewer years.
    text = "从事法律工作满五年。其中获得法律硕士、法学硕士学位，或者获得法学博士学位的，"
    text += "从事法律工作的年限可以分别放宽至四年、三年；"
    item = extract(extractor, article("第十二条", "担任法官必须具备下列条件：", [text]))[1].conditions
    assert [(c["field"], c["value"], c["group"]) for c in item if c["field"] != "other"] == [
        ("years_experience_min", 5, None),
        ("education_min", "硕士", "sub"),
        ("education_min", "博士", "sub"),
        ("years_experience_min", 4, "sub"),
        ("years_experience_min", 3, "sub"),
    ]


def test_classes_a_list_names_among_others_are_no_requirement(extractor: ConditionExtractor) -> None:
    # 青岛市职业教育条例 第四十一条 names 高校毕业生 and 高中毕业生 among 失业人员 and 退役士兵:
    # a 初中 graduate of that very list had been told 大专 and 高中 were required.
    text = "第四十一条 本市城镇登记失业人员、退役士兵、高校毕业生、未继续升学的应届初中和高中毕业生等参加职业培训，"
    passage = make_clause(text + "符合条件的按照规定享受职业培训补贴。", ["第四十一条"], "article", "benefit")
    extractor.extract_document(Document("policy", "某某条例", "k", "s", [passage]))
    assert [(c["field"], c["group"]) for c in passage.conditions] == [("education_min", "sub")] * 2
    # A class alone is still whom the clause addresses.
    alone = read_benefit(extractor, "第九条 八十周岁以上老年人可以免费乘坐公共交通工具。")
    assert alone == [("age_min", 80, False)]
    # What one person must have, listed (上海市节约能源条例 第五十四条), is no list of people.
    had = read_benefit(
        extractor, "第五十四条 在具有节能专业知识、实际经验以及中级以上技术职称的人员中聘任能源管理负责人。"
    )
    assert had == [("professional_title_min", "中级", False)]
    passage = make_clause(
        "第五十四条 在具有节能专业知识、实际经验以及中级以上技术职称的人员中聘任。", ["第五十四条"], "article"
    )
    extractor.extract_document(Document("policy", "某某条例", "k", "s", [passage]))
    assert [c["group"] for c in passage.conditions] == [None]
    # The beneficiaries of a measure, listed (河南省就业促进条例 第十八条): a laid-off 初中
    # applicant had been told 中专/高中 was required for the 小额担保贷款.
    lent = "第十八条 县级以上人民政府应当为登记失业人员、回乡创业农民工、大中专毕业生、复员转业军人等"
    lent += "自主创业人员提供小额担保贷款和贴息扶持。"
    passage = extract(extractor, [make_clause(lent, ["第十八条"], "article", "benefit")])[0]
    assert [c["group"] for c in passage.conditions if c["field"] == "education_min"] == ["sub"]
    # People named as 人口 or 劳动者 are people too (河南省职业培训条例 第二十五条: a 技师 in a
    # firm, 企业在职职工 of the same list, had been told 大专 was required).
    trained = "第二十五条 参加职业培训的贫困人口、毕业年度高校毕业生、农村转移就业劳动者、城镇登记失业人员，"
    trained += "可以按照国家规定享受职业培训补贴。"
    passage = extract(extractor, [make_clause(trained, ["第二十五条"], "article", "benefit")])[0]
    assert [c["group"] for c in passage.conditions if c["field"] == "education_min"] == ["sub"]


def test_an_article_saying_why_its_text_exists_requires_nothing(extractor: ConditionExtractor) -> None:
    # 基本医疗卫生与健康促进法 第一条 had required 中国公民 of every applicant (保障公民享有…).
    purpose = "第一条 为了发展医疗卫生与健康事业，保障公民享有基本医疗卫生服务，根据宪法，制定本法。"
    assert read_benefit(extractor, purpose) == []
    assert read_benefit(extractor, "第九条 为本市户籍的老年人，可以申请补贴。") != []  # 为 of another sense


def test_who_a_refusal_is_about_is_no_refused_origin(extractor: ConditionExtractor) -> None:
    # 兵役法 第五条 had refused every citizen (不得属于：中国公民), the 劳动争议 interpretation
    # every foreigner; what is refused is the qualifier, 被剥夺政治权利 or 未取得就业证件.
    for text in (
        "第五条 依照法律被剥夺政治权利的公民，不得服兵役。",
        "第十四条 外国人、无国籍人未依法取得就业证件即与用人单位签订劳动合同的，人民法院不予支持。",
    ):
        passage = make_clause(text, ["第九条"], "article", "general")
        extractor.extract_document(Document("policy", "某某条例", "k", "s", [passage]))
        assert not [c for c in passage.conditions if c["field"] == "origin"], text
    residence = make_clause("第十二条 非本市户籍的公民，不得在本市申请举行集会。", ["第十二条"], "article", "general")
    extractor.extract_document(Document("policy", "某某条例", "k", "s", [residence]))
    assert [(c["field"], c["negated"]) for c in residence.conditions] == [("residence_or_employment", True)]


def test_a_bounded_amount_refuses_no_one(extractor: ConditionExtractor) -> None:
    # 劳动合同法 第十九条: each tier's condition had been read as one the applicant must
    # not meet (不得属于), as if 不得 refused them; it bounds the probation, so the tier is
    # a plain condition. A refusal after the same shape stays one.
    tiers = make_clause(
        "第十九条 劳动合同期限三个月以上不满一年的，试用期不得超过一个月；劳动合同期限一年以上不满三年的，"
        "试用期不得超过二个月。",
        ["第十九条"],
        "article",
    )
    extractor.extract_document(Document("policy", "某某法", "k", "s", [tiers]))
    assert tiers.conditions and not [c for c in tiers.conditions if c["negated"]]
    refused = make_clause("第九条 年满七十周岁的，不得担任陪审员。", ["第九条"], "article")
    extractor.extract_document(Document("policy", "某某法", "k", "s", [refused]))
    assert [(c["field"], c["value"], c["negated"]) for c in refused.conditions] == [("age_min", 70, True)]


def test_the_person_after_alternatives_is_every_alternatives(extractor: ConditionExtractor) -> None:
    # 注册会计师法 第八条: 中国公民 had been read with the title's branch only, so a foreigner
    # with a 大专 diploma was told he might sit the exam.
    text = "第八条 具有高等专科以上学校毕业的学历、或者具有会计或者相关专业中级以上技术职称的中国公民，"
    text += "可以申请参加考试。"
    passage = make_clause(text, ["第八条"], "article", "condition")
    extractor.extract_document(Document("policy", "某某法", "k", "s", [passage]))
    origins = [c["group"] for c in passage.conditions if c["field"] == "origin"]
    assert origins == ["g1/a", "g1/b"]


def test_what_a_sentence_says_of_the_applicant_is_required(extractor: ConditionExtractor) -> None:
    # Nothing was read: no requirement verb (应当具备), no consequence (…的，可以…).
    def fields(text: str) -> list[tuple[str, Any]]:
        return fields_of(extract(extractor, [make_clause(text, ["第十条"], "article")])[0])

    assert fields("第十条 申请人应当年满十八周岁，具有本科以上学历。") == [("age_min", 18), ("education_min", "本科")]
    assert fields("第十条 申请人年龄应当在四十五周岁以下。") == [("age_max", 45)]  # no 年龄应当在 left over
    assert ("years_experience_min", 5) in fields("第十条 申报人员应当在本市从事专业技术工作5年以上。")
    # A duty to act requires nothing of who the applicant is.
    assert fields("第十条 申请人应当向区人力资源社会保障局提交下列材料：") == []
    for duty in ("申请人应当对其申请材料实质内容的真实性负责。", "申请人应当在规定期限内补正材料。"):
        assert extract(extractor, [make_clause("第十条 " + duty, ["第十条"], "article")])[0].conditions == []


def test_a_limit_lifted_for_some_is_a_sub_categorys(extractor: ConditionExtractor) -> None:
    text = "第九条 申请人应当具有本科以上学历。具有博士学位的，可以不受工作年限限制。"
    (passage,) = extract(extractor, [make_clause(text, ["第九条"], "article")])
    groups = {c["value"]: c["group"] for c in passage.conditions if c["field"] == "education_min"}
    assert groups == {"本科": None, "博士": "sub"}  # a 本科 applicant was refused for lacking the 博士


def test_a_unit_that_dismissed_the_applicant_is_no_unit_type(extractor: ConditionExtractor) -> None:
    # 驻外外交人员法 第七条（三）: every civil servant had been told 不属于：单位类型为机关 ✗.
    lead = "有下列情形之一的，不得任用为驻外外交人员："
    item = extract(extractor, article("第七条", lead, ["曾被国家机关辞退的；"]))[1]
    assert [c["field"] for c in item.conditions] == ["other"]


def test_an_authoritys_step_leaves_the_rest_of_its_chunk(extractor: ConditionExtractor) -> None:
    # 出境入境管理法 第十四条: 定居国外 had been lost with …财产登记等事务 (登记 is a step).
    text = "第十四条 定居国外的中国公民在中国境内办理金融、财产登记等事务需要提供身份证明的，"
    text += "可以凭本人的护照证明其身份。"
    passage = extract(extractor, [make_clause(text, ["第十四条"], "article", "benefit")])[0]
    assert ("other", "定居国外") in [(c["field"], c["value"]) for c in passage.conditions]


def test_a_title_one_is_promoted_to_and_either_school_of_a_pair(extractor: ConditionExtractor) -> None:
    # 医师法 第四十六条第二款: 副高级 is the title applied for, not one to hold already.
    promoted = "第四十六条 执业医师晋升为副高级技术职称的，应当有累计一年以上在县级以下医疗卫生机构工作的经历。"
    assert "professional_title_min" not in {
        f for f, _ in fields_of(extract(extractor, [make_clause(promoted, ["第四十六条"], "article")])[0])
    }
    # 初高中毕业生 are 初中 or 高中 graduates: 初中 had been told 要求中专/高中及以上学历.
    pair = "第四十二条 对有就业和培训要求的初高中毕业生，实行三个月以上十二个月以内的预备培训。"
    passage = extract(extractor, [make_clause(pair, ["第四十二条"], "article", "benefit")])[0]
    assert ("education_min", "初中") in fields_of(passage)


def test_a_second_age_case_the_law_also_applies_to(extractor: ConditionExtractor) -> None:
    # 广州市青年创新创业促进条例 第二条第二款: ≤35, or 36 to 44 in the listed industries
    # (参照适用本条例); a 40-year-old in them had been told 要求35周岁以下.
    text = "第二条 本条例所称的青年，其年龄在三十五周岁以下。超过三十五周岁不满四十五周岁的个人"
    text += "从事新一代信息技术等战略性新兴产业领域的创新创业，参照适用本条例。"
    passage = extract(extractor, [make_clause(text, ["第二条"], "article", "general")])[0]
    assert [(c["field"], c["group"]) for c in passage.conditions] == [
        ("age_max", "g1/a"),
        ("age_min", "g1/b"),
        ("age_max", "g1/b"),
        ("other", "g1/b"),
    ]
    assert [c["value"] for c in passage.conditions][:3] == [35, 36, 44]


def test_origins_no_one_has_at_once_are_alternatives(extractor: ConditionExtractor) -> None:
    # 山东省人才发展促进条例 第四十条第四款 had required both 外籍 and 港澳台: no applicant
    # could be eligible for the law.
    text = "第四十条 省人民政府人力资源社会保障部门应当建立健全外籍人才、港澳台人才和高层次人才职称直评办法。"
    passage = extract(extractor, [make_clause(text, ["第四十条"], "article", "general")])[0]
    assert [(c["value"], c["group"]) for c in passage.conditions] == [(["外籍"], "g1/a"), (["港澳台"], "g1/b")]
    # 留学回国 goes with 中国公民: both stay required.
    both = "第九条 具有中国国籍的留学回国人员，可以申请。"
    passage = extract(extractor, [make_clause(both, ["第九条"], "article", "benefit")])[0]
    assert all(c["group"] is None for c in passage.conditions if c["field"] == "origin")


def test_examples_of_a_unit_type_name_it_too(extractor: ConditionExtractor) -> None:
    # 北京国际科技创新中心建设条例 第四十条: a hospital, one of the 事业单位 the list means, had
    # been told ✗ 单位类型为科研院所、高校.
    text = "第四十条 科研机构、高等学校、医疗卫生机构等事业单位可以根据需要设置特设岗位，聘用急需紧缺创新人才。"
    assert [(field, value) for field, value, _ in read_benefit(extractor, text) if field == "unit_type"] == [
        ("unit_type", ["科研院所", "高校", "事业单位"])
    ]


def test_a_provision_marked_deleted_requires_nothing(extractor: ConditionExtractor) -> None:
    # 北京市实施《教师法》办法 第十条, kept in the text as （2010年12月23日删除）, had failed teachers.
    text = "第十条 具有大学本科以上学历的教师，可以申请补贴。（2010年12月23日删除）"
    assert read_benefit(extractor, text) == []
    kept = read_benefit(extractor, text.replace("（2010年12月23日删除）", ""))
    assert kept == [("education_min", "本科", False), ("other", "教师", False)]  # the role, to check


def test_foreign_students_are_no_returnees(extractor: ConditionExtractor) -> None:
    # 考古涉外工作管理办法 第十二条 had made a 留学回国 founder eligible by 外国留学人员.
    foreign = read_benefit(extractor, "第十二条 外国留学人员以及外国研究学者在中国学习考古学的，可以参加考古调查。")
    assert not [c for c in foreign if c[0] == "origin" and "留学回国" in c[1]]
    returnees = read_benefit(extractor, "第十条 留学人员回国创业的，给予支持。")
    assert ("origin", ["留学回国"], False) in returnees


def test_a_requirement_before_alternatives_is_required_beside_either(extractor: ConditionExtractor) -> None:
    # 教师资格条例 第七条第二款: the degree had gone with the title's branch only, so a 中级工
    # without the degree was told the skill branch alone met the article.
    text = "第七条 申请人应当具备大学本科以上学历，并具有中级以上专业技术职务或者高级工以上职业资格。"
    passage = make_clause(text, ["第七条"], "article")
    extractor.extract_document(Document("policy", "某某条例", "k", "s", [passage]))
    groups = {c["field"]: c["group"] for c in passage.conditions}
    assert groups == {"education_min": None, "professional_title_min": "g1", "skill_level_min": "g1"}


def test_who_a_clause_leaves_out_is_negated(extractor: ConditionExtractor) -> None:
    # 国际收支统计申报办法 第三条（一） (…自然人，外国及香港、澳门、台湾地区在境内的留学生…
    # 及其家属除外) had told a returnee ✗ 要求身份为港澳台, with 「工作人员及其家属除外」 a condition.
    passages = extract(
        extractor,
        article(
            "第三条",
            "本办法所称申报人，是指：",
            [
                "在本市居住1年以上的自然人，外国及香港、澳门、台湾地区在本市的留学生、实习人员及其家属除外；",
                "在本市注册的企业。",
            ],
            "general",
        ),
    )
    found = [(c["field"], c["value"], c["negated"]) for c in passages[1].conditions]
    assert ("origin", ["港澳台"], True) in found
    assert not any(c["field"] == "other" and "除外" in c["span"] for c in passages[1].conditions)
    # Those a requirement spares (…，取得博士学位的除外; 但…除外) are a sub-category's case,
    # neither barred nor required of everyone.
    spared = read_conditions(
        extractor, "第九条 报考人员应当具有大学本科以上学历，年龄不超过35周岁，取得博士学位的除外。"
    )
    assert ("education_min", "博士", False, "sub") in spared
    assert ("age_max", 35, False, None) in spared
    # A clause that does not end with the exception keeps its requirement as stated.
    plain = extract(extractor, article("第三条", "申请人应当具备下列条件：", ["香港、澳门、台湾地区的居民；"]))
    assert ("origin", ["港澳台"], False) in [(c["field"], c["value"], c["negated"]) for c in plain[1].conditions]


def test_a_refusal_after_a_refusal_refuses_no_one_described(extractor: ConditionExtractor) -> None:
    # 广州市幼儿园条例 第三十六条 (…，不得聘任无来华工作许可…的外籍人员，不得聘任…) had told
    # a foreign applicant ✗ 不属于「身份为外籍」: the unit's duties, not who is refused.
    text = "第九条 培训机构聘用外籍教员应当遵守有关规定，不得聘用无工作许可的外籍人员，不得聘用有违法记录的外籍人员。"
    assert ("origin", ["外籍"], True) not in read_benefit(extractor, text)
    # A condition before a refusal still is one (…的外籍人员，不得…).
    text = "第九条 无工作许可的外籍人员，不得在本市从事教学工作。"
    assert ("other", "无工作许可", True) in read_benefit(extractor, text)
    # A first clause opening with a negation is the condition (不能享受…的失业人员，可以…).
    found = read_benefit(extractor, "第九条 不能享受失业保险待遇的失业人员，可以申请临时救助。")
    assert ("other", "不能享受失业保险待遇的失业人员", False) in found


def read_conditions(extractor: ConditionExtractor, text: str) -> list[tuple[str, Any, bool, str | None]]:
    """(field, value, negated, group) of one condition article."""
    (passage,) = extract(extractor, [make_clause(text, ["第九条"], "article", "condition")])
    return [(c["field"], c["value"], c["negated"], c["group"]) for c in passage.conditions]
