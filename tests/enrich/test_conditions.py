"""Eligibility conditions (ingest/enrich/conditions.py) on hand-made clauses: numbers in
words and digits, ladders, alternatives, lists and their items, who a clause is about; and
the vocabulary file's validation (knowledge/eligibility.py). The sentences' other shapes
are in test_condition_sentences.py, the hand labels in test_condition_labels.py."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from ingest.enrich.conditions import ConditionExtractor
from ingest.model import Document, Passage
from knowledge.eligibility import FIELDS, LADDER_OF, NUMERIC_FIELDS, Vocabulary, load_vocabulary, vocabulary
from knowledge.tables import DATA_DIR, DataFileError
from tests.enrich.handmade import article, extract, fields_of, make_clause, read_benefit


@pytest.fixture(scope="module")
def extractor() -> ConditionExtractor:
    return ConditionExtractor()


def test_ages_in_digits_and_words(extractor: ConditionExtractor) -> None:
    passages = extract(
        extractor,
        article(
            "第五条",
            "申请人应当具备下列条件：",
            ["年满十八周岁；", "年龄45周岁以下；", "年龄二十五周岁以上六十五周岁以下；", "年龄不超过四十五周岁；"],
        ),
    )
    assert [fields_of(p) for p in passages[1:]] == [
        [("age_min", 18)],
        [("age_max", 45)],
        [("age_min", 25), ("age_max", 65)],
        [("age_max", 45)],
    ]


def test_strict_bounds_and_what_is_not_an_age(extractor: ConditionExtractor) -> None:
    (passage,) = extract(
        extractor, [make_clause("第九条 未满十六周岁或者超过三十五周岁的，不予受理。", ["第九条"], "article")]
    )
    assert ("age_max", 15) in fields_of(passage) and ("age_min", 36) in fields_of(passage)
    (baby,) = extract(extractor, [make_clause("第十条 哺乳不满一周岁婴儿的，可以延期。", ["第十条"], "article")])
    assert not [f for f, _ in fields_of(baby) if f.startswith("age")]
    # 广州市幼儿园条例 第六十一条 (招收不满三周岁幼儿) had told an applicant of 40 ✗ 未满3周岁,
    # 现役军官法 (延长的年龄最多不得超过五岁) one of 68 ✗ 5周岁以下: a child's age, a span of years.
    for text in (
        "第十条 托育机构招收不满三周岁幼儿的，可以申请补贴。",
        "第十条 经过批准，延长的年龄最多不得超过五岁。",
        # 浙江省学前教育条例 第二条: 对不满三周岁婴幼儿开展早期教育的 (an applicant of 23 ✗).
        "第十条 对不满三周岁婴幼儿开展早期教育的，参照本条例执行。",
    ):
        (other,) = extract(extractor, [make_clause(text, ["第十条"], "article")])
        assert not [f for f, _ in fields_of(other) if f.startswith("age")], text


def test_research_and_development_institutes_are_research_institutes(extractor: ConditionExtractor) -> None:
    # 促进科技成果转化法 names them so throughout (研究开发机构、高等院校): both are
    # alternatives of one unit requirement, a 科研院所's staff among those it is for.
    text = "第十九条 国家设立的研究开发机构、高等院校所取得的职务科技成果，完成人可以依法创办企业。"
    (passage,) = extract(extractor, [make_clause(text, ["第十九条"], "article", "benefit")])
    units = [value for field, value in fields_of(passage) if field == "unit_type"]
    assert units == [["科研院所", "高校"]], fields_of(passage)


def test_members_sharing_a_head_are_each_a_certificate(extractor: ConditionExtractor) -> None:
    text = "三、允许持有《目录》内境外金融、会计职业资格的专业人员，按照相关行业部门实施办法在北京市执业。"
    (passage,) = extract(extractor, [make_clause(text, ["三、"], "section", "benefit")])
    assert ("certificates", ["境外金融职业资格证书", "境外会计职业资格证书"]) in fields_of(passage)


def test_schooling_levels_and_negated_ties(extractor: ConditionExtractor) -> None:
    passages = extract(
        extractor,
        article(
            "第九条",
            "工作人员应当具备下列条件：",
            ["保健员应当具有高中毕业程度；", "达到大学本科毕业文化水平；", "非本市户籍人员在本市居住满一年以上；"],
        ),
    )
    assert fields_of(passages[1]) == [("education_min", "中专/高中")]
    assert fields_of(passages[2]) == [("education_min", "本科")]
    assert ("residence_or_employment", "非本市户籍") in fields_of(passages[3])
    assert ("residence_or_employment", "本市户籍") not in fields_of(passages[3])


def test_ladders_take_the_lowest_alternative(extractor: ConditionExtractor) -> None:
    passages = extract(
        extractor,
        article(
            "第六条",
            "申报人员应当具备下列条件：",
            [
                "具有本科及以上学历；",
                "具有研究生或者大学本科毕业学历；",
                "具有高级职称；",
                "具有技师及以上国家职业资格或技能等级证书；",
                "从事本专业工作满五年；",
            ],
        ),
    )
    assert fields_of(passages[1]) == [("education_min", "本科")]
    assert fields_of(passages[2]) == [("education_min", "本科")]
    assert fields_of(passages[3]) == [("professional_title_min", "副高级")]
    assert ("skill_level_min", "技师") in fields_of(passages[4])
    assert ("certificates", ["国家职业资格证书", "职业技能等级证书"]) in fields_of(passages[4])
    assert fields_of(passages[5]) == [("years_experience_min", 5)]


def test_a_full_senior_title_of_one_series_is_no_associate_one(extractor: ConditionExtractor) -> None:
    """正高级工程师 holds 高级工程师 (副高级): read whole, or a 副高级 applicant is told she
    meets a 正高级 requirement. In journalism 高级记者 is the full senior title, 主任记者 the
    associate one; a school's 高级教师 is associate, 正高级教师 full."""
    passages = extract(
        extractor,
        article(
            "第七条",
            "申报人员应当具备下列条件之一：",
            [
                "具有正高级工程师职称；",
                "具有高级记者职称；",
                "具有主任记者职称；",
                "具有高级教师职称；",
                "具有教授级高级工程师职称；",
            ],
        ),
    )
    titles = [fields_of(p) for p in passages[1:]]
    assert titles == [
        [("professional_title_min", "正高级")],
        [("professional_title_min", "正高级")],
        [("professional_title_min", "副高级")],
        [("professional_title_min", "副高级")],
        [("professional_title_min", "正高级")],  # the older name of 正高级工程师
    ]


def test_alternatives_form_an_any_of_group(extractor: ConditionExtractor) -> None:
    text = "第七条 具有高级职称的人员，或者具有本科以上学历、从事法律服务满十年的人员，可以申请。"
    (passage,) = extract(extractor, [make_clause(text, ["第七条"], "article")])
    groups = {c["field"]: c["group"] for c in passage.conditions if c["field"] != "other"}
    assert groups["professional_title_min"] == "g1/a" or groups["professional_title_min"] == "g1"
    assert groups["education_min"] == groups["years_experience_min"] == "g1/b"


def test_any_of_lists_share_a_group_and_disqualifiers_are_negated(extractor: ConditionExtractor) -> None:
    any_of = extract(
        extractor,
        article("第八条", "符合下列条件之一的，可以提前退休：", ["工作年限满三十年的；", "符合国家规定的其他情形的。"]),
    )
    assert [c["group"] for p in any_of[1:] for c in p.conditions] == ["x1", "x1"]
    banned = extract(
        extractor,
        article(
            "第二十条", "有下列情形之一的，不得担任公证员：", ["无民事行为能力的；", "被开除公职的。"], "obligation"
        ),
    )
    conditions = [c for p in banned[1:] for c in p.conditions]
    assert [c["span"] for c in conditions] == ["无民事行为能力", "被开除公职"]
    assert all(c["negated"] and c["group"] is None for c in conditions)


def test_unreadable_requirements_stay_text(extractor: ConditionExtractor) -> None:
    passages = extract(
        extractor, article("第九条", "应当具备下列条件：", ["年龄适当，身体健康；", "具有相应的专业能力。"])
    )
    # A list item with nothing structured is one requirement, as the labels read it.
    assert [(c["field"], c["value"]) for p in passages[1:] for c in p.conditions] == [
        ("other", "年龄适当，身体健康"),
        ("other", "具有相应的专业能力"),
    ]


def test_articles_do_not_repeat_their_items(extractor: ConditionExtractor) -> None:
    passages = extract(
        extractor, article("第四条", "申报应同时符合以下条件：", ["年满十八周岁；", "具有本科以上学历。"])
    )
    assert passages[0].conditions == []
    assert all(p.conditions for p in passages[1:])


def test_spans_are_the_passage_text(extractor: ConditionExtractor) -> None:
    text = "第三条 持有国家职业资格证书、年满１８周岁的外籍人员，在本市工作的，给予补贴。"
    (passage,) = extract(extractor, [make_clause(text, ["第三条"], "article", "benefit")])
    assert {c["field"] for c in passage.conditions} >= {"certificates", "age_min", "origin"}
    for condition in passage.conditions:
        assert condition["span"] == text[condition["start"] : condition["end"]]
        assert condition["field"] in FIELDS


def test_other_kinds_and_general_clauses_get_none(extractor: ConditionExtractor) -> None:
    prose = Passage("chapter", "年满十八周岁的人才可享受住房补贴。", ["一 概况"])
    general = make_clause("第一条 为规范人才工作，制定本办法。", ["第一条"], "article", "general")
    extractor.extract_document(Document("report_chapter", "B.1", "B.1", "s", [prose]))
    extract(extractor, [general])
    assert prose.conditions == [] and general.conditions == []


def test_beneficiaries_of_an_agent_are_read_after_its_marker(extractor: ConditionExtractor) -> None:
    supported = read_benefit(extractor, "第九条 县级以上人民政府应当对从事研发的高等学校、科研机构给予支持。")
    assert ("unit_type", ["高校", "科研院所"], False) in supported
    assert ("other", "给予支持", False) not in supported  # the benefit is not a requirement
    assert ("residence_or_employment", "到本省工作", False) in read_benefit(
        extractor, "第九条 省人民政府应当组织人才交流活动，为省外人才到本省工作创造条件。"
    )


def test_a_pronoun_after_the_marker_refers_back_to_the_condition(extractor: ConditionExtractor) -> None:
    # 对其…给予资助: 其 is whoever the clause before describes, who is the one who qualifies.
    read = read_benefit(
        extractor, "第九条 低收入家庭中六十周岁以上老年人参加基本医疗保险的，对其个人缴费部分给予资助。"
    )
    assert ("age_min", 60, False) in read
    assert not any(value == "其个人缴费部分" for _, value, _ in read)


def test_duties_sanctions_and_plain_targets_state_no_requirement(extractor: ConditionExtractor) -> None:
    assert read_benefit(extractor, "第九条 年满十六周岁的外国人在中国境内停留，应当随身携带本人的护照。") == []
    assert read_benefit(extractor, "第九条 未取得执业证书从事执业活动的，由主管部门责令改正，处五千元以下罚款。") == []
    assert read_benefit(extractor, "第九条 国家鼓励企业到中小学开展科普活动。") == []  # not described by a condition
    # A class named by its schooling is described by one (test_condition_wording.py).
    assert read_benefit(extractor, "第九条 国家鼓励高等学校毕业生到中小学任教。") == [("education_min", "大专", False)]
    described = read_benefit(extractor, "第九条 国家采取措施，鼓励取得执业医师资格的人员开办村医疗卫生机构。")
    assert ("certificates", ["执业医师资格"], False) in described


def test_the_people_a_priority_names_are_preferred_not_required(extractor: ConditionExtractor) -> None:
    passage = make_clause(
        "招聘辅警时，同等条件下优先聘用退役军人、见义勇为人员、警察类或者政法类院校毕业生以及国家规定的其他应当优先聘用人员。",
        ["第十一条"],
        "article",
        "condition",
    )
    extractor.extract_document(Document("policy", "某某条例", "k", "s", [passage]))
    preferred = [c["value"] for c in passage.conditions if c["group"] == "pref" and c["field"] == "other"]
    # One each; 或者 joins two kinds of school inside one kind of person.
    people = ["退役军人", "见义勇为人员", "警察类或者政法类院校毕业生", "国家规定的其他应当优先聘用人员"]
    assert preferred[-4:] == people
    assert all(not c["negated"] for c in passage.conditions)
    # An act whose object is no person (优先安排…入学) names nobody.
    assert not any(
        "入学" in str(value) for _, value, _ in read_benefit(extractor, "第九条 符合条件的，优先安排其子女入学。")
    )
    # 优先推荐为…: what the recommended become, not the people preferred.
    found = read_benefit(extractor, "第九条 年度考核为优秀的，可优先推荐为国家级示范基地。")
    assert not any("示范基地" in str(value) for _, value, _ in found)


def test_definitions_pools_and_scopes(extractor: ConditionExtractor) -> None:
    assert ("residence_or_employment", "在本市工作", False) in read_benefit(
        extractor, "第九条 技能大师是指在本市某一行业技能拔尖的高技能人才。"
    )
    # The defined profession's own licence is what the word means, not a requirement.
    licensed = read_benefit(extractor, "第九条 本法所称医师，是指依法取得医师资格，在医疗机构中执业的专业医务人员。")
    assert not [c for c in licensed if c[0] == "certificates"]
    pool = read_benefit(extractor, "第九条 机构负责人应当在有三年以上执业经历的公证员中推选产生。")
    assert ("years_experience_min", 3, False) in pool
    scope = read_benefit(extractor, "第九条 已取得教师资格的公民拟取得更高等级教师资格的，应当通过相应的考试。")
    assert ("certificates", ["教师资格证书"], False) in scope and not [c for c in scope if c[0] == "origin"]


def test_named_certificates_classes_of_talent_and_unit_heads(extractor: ConditionExtractor) -> None:
    short = {"abbreviations": [{"short": "许可证", "full": "人才中介服务许可证"}]}
    named = read_benefit(extractor, "第九条 主办单位必须是持有《许可证》的中介服务机构。", meta=short)
    assert ("certificates", ["人才中介服务许可证"], False) in named
    talent = read_benefit(extractor, "第九条 省人力资源社会保障部门应当建立外籍人才、港澳台人才职称直评办法。")
    assert [c[:2] for c in talent if c[0] == "origin"] == [("origin", ["外籍"]), ("origin", ["港澳台"])]
    units = read_benefit(extractor, "第九条 高等学校、科研机构的专业技术人员通过企业挂职等方式创业，可以享受相应待遇。")
    assert [c[1] for c in units if c[0] == "unit_type"] == [["高校", "科研院所"]]


def test_who_is_selected_and_what_a_licence_rule_requires(extractor: ConditionExtractor) -> None:
    # 应当被征集: done to those described, who thus qualify; not a duty of theirs.
    drafted = read_benefit(extractor, "第九条 每年12月31日前年满18岁的男性公民，符合条件的，应当被征集服现役。")
    assert ("age_min", 18, False) in drafted and ("origin", ["中国公民"], False) in drafted
    # 必须取得…后，方可…: the licence is the condition of what follows.
    licensed = read_benefit(extractor, "第九条 从事咨询业务的人员，必须取得证券投资咨询从业资格后，方可从事咨询业务。")
    assert ("certificates", ["证券投资咨询从业资格"], False) in licensed
    issued = read_benefit(extractor, "第九条 取得县级以上人民政府卫生行政部门颁发的乡村医生证书的，可以申请注册。")
    assert ("certificates", ["乡村医生证书"], False) in issued
    schooled = read_benefit(extractor, "第九条 具有中等医学专业学历的人员，可以申请执业注册。")
    assert ("education_min", "中专/高中", False) in schooled


def test_nested_lists_and_benefits_bound_by_age(extractor: ConditionExtractor) -> None:
    passages = article(
        "第十二条",
        "个人申请执业应当具备下列条件：",
        ["中华人民共和国公民；", "符合下列条件之一：\n1. 具有相关的高级专业技术职称；\n2. 从事相关工作五年以上；"],
    )
    nested = fields_of(extract(extractor, passages)[2])
    assert ("professional_title_min", "副高级") in nested and ("years_experience_min", 5) in nested
    groups = {c["group"] for c in passages[2].conditions if c["field"] != "other"}
    assert len(groups) == 2 and len({g.split("/")[0] for g in groups}) == 1  # one any-of, two branches
    granted = article("第四十六条", "老年人享受下列优待：", ["六十五周岁以上免费乘坐市内公共交通工具；"], "benefit")
    assert ("age_min", 65) in fields_of(extract(extractor, granted)[1])
    listed = read_benefit(extractor, "第九条 园长应当具有本科以上学历、五年以上幼儿园管理工作经历。")
    assert ("years_experience_min", 5, False) in listed


def test_ages_scoped_by_sex_are_alternatives(extractor: ConditionExtractor) -> None:
    both = article("第九条", "驾驶员应当具备下列条件：", ["有本市常住户口，男60岁、女50岁以下，身体健康；"])
    item = extract(extractor, both)[1].conditions
    scoped = [(c["field"], c["value"], c["group"]) for c in item if c["group"]]
    assert scoped == [
        ("other", "男", "g1/a"),
        ("age_max", 60, "g1/a"),
        ("other", "女", "g1/b"),
        ("age_max", 50, "g1/b"),
    ]
    one = read_benefit(extractor, "第九条 女职工年满五十周岁的，可以申请退休。")
    assert ("other", "女", False) in one and ("age_min", 50, False) in one
    after = read_benefit(extractor, "第四条 年满18岁的男性公民，符合条件的，可以报名；在22岁前仍可以报名。")
    assert ("other", "男", False) in after and ("age_max", 22, False) in after
    # 男性年龄在六十周岁以下 (郑州市客运出租汽车管理条例 第十一条): a 58-year-old man had failed
    # the women's 55, and 男性年龄在 and 女性年龄在 stood as requirements of their own.
    ages = "男性年龄在六十周岁以下，女性年龄在五十五周岁以下，身体健康；"
    worded = article("第十一条", "驾驶员应当具备下列条件：", [ages])
    item = extract(extractor, worded)[1].conditions
    assert [(c["field"], c["value"], c["group"]) for c in item if c["group"]] == [
        ("other", "男", "g1/a"),
        ("age_max", 60, "g1/a"),
        ("other", "女", "g1/b"),
        ("age_max", 55, "g1/b"),
    ]
    assert not [c for c in item if "年龄在" in str(c["value"])]
    both = read_benefit(extractor, "第五条 年满17岁的男女公民，本人自愿的，可以报名。")
    assert not [c for c in both if c[1] in ("男", "女")]  # 男女: either sex


def test_an_article_states_a_requirement_once(extractor: ConditionExtractor) -> None:
    both = read_benefit(
        extractor,
        "第九条 省人民政府应当为留学人员到本省创新创业提供服务。",
        "留学人员到本省创新创业的，可以享受优惠政策。",
    )
    assert [c[:2] for c in both if c[0] != "other"] == [
        ("origin", ["留学回国"]),
        ("residence_or_employment", "到本省创新创业"),
    ]


# --- the vocabulary ------------------------------------------------------------------------


def test_vocabulary_ladders_and_spellings() -> None:
    vocab = vocabulary()
    assert FIELDS[0] == "education_min" and FIELDS[-1] == "other"
    assert {"age_max", "age_min", "retirement_margin_min", "years_experience_min"} == NUMERIC_FIELDS
    assert set(LADDER_OF.values()) == set(vocab.ladders)
    assert vocab.ladders["education"] == ("初中", "中专/高中", "大专", "本科", "硕士", "博士")
    assert vocab.ladders["professional_title"] == ("初级", "中级", "副高级", "正高级")
    assert vocab.ladders["skill_level"] == ("初级工", "中级工", "高级工", "技师", "高级技师")
    assert vocab.canonical("education", "硕士研究生") == "硕士"
    # 研究生 is how an applicant names a master's degree; in a text it may be a student
    # (高等学校和科学研究机构的研究生): read in a profile only.
    assert vocab.canonical("education", "研究生") == "硕士" and "研究生" not in vocab.aliases["education"]
    assert vocab.canonical("professional_title", "高级职称") == "副高级"
    assert vocab.canonical("skill_level", "高级技术工人") == "高级工"
    assert vocab.canonical("origin", "外国人") == "外籍"
    assert vocab.canonical("residence", "在京工作") == "在本市工作"
    assert vocab.rank("education", "博士") == 5 and vocab.rank("education", "小学") is None
    assert set(vocab.choices) == {"origin", "residence", "unit_type", "certificates", "awards"}
    assert vocab.closed == {"origin"}  # the others take free text
    # 国企 is how a person says it; in a text it is part of 外国企业 or 中国企业.
    assert vocab.canonical("unit_type", "国企") == "企业" and "国企" not in vocab.aliases["unit_type"]


def test_abbreviations_of_a_profile_are_not_read_inside_longer_words(extractor: ConditionExtractor) -> None:
    text = "第五条 外国企业和外国公民在本市设立研发中心的，可以申请奖励。"
    (passage,) = extract(extractor, [make_clause(text, ["第五条"], "article")])
    assert ("unit_type", ["企业"]) in fields_of(passage)
    assert ("origin", ["外籍"]) in fields_of(passage) and ("origin", ["中国公民"]) not in fields_of(passage)


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda d: d["ladders"].pop("education"), "ladders.education"),
        (lambda d: d["cues"]["patterns"]["age_max"].append("(?P<n>[0-9"), "not a valid regex"),
        (lambda d: d["choices"]["origin"].append({"value": "外籍", "aliases": []}), "choices.origin"),
        (lambda d: d["cues"]["patterns"].update({"height_min": ["x"]}), "not a field"),
        (lambda d: d["choices"]["unit_type"][0].update({"profile_aliases": "国企"}), "profile_aliases"),
        (lambda d: d.update({"closed_choices": ["nationality"]}), "closed_choices"),
        (lambda d: d.update({"held_with": {"skill_level": ["技师证"]}}), "held_with"),
        (lambda d: d.update({"retirement_ages": {"男": [63, 60]}}), "retirement_ages"),
        (lambda d: d.update({"certificates_one_of": {"医师资格证书": ["医师资格证书"]}}), "certificates_one_of"),
        (lambda d: d.update({"exclusive_origins": ["火星人"]}), "exclusive_origins"),
        (lambda d: d.update({"origin_parts": {"港澳台": {"香港": ["香港"]}}}), "origin_parts"),
        (lambda d: d.update({"common_origins": ["地球人"]}), "common_origins"),
        (lambda d: d.update({"unit_within": {"高校": ["高校"]}}), "unit_within"),
        (lambda d: d.update({"certificates_imply": {"护士执业证书": ["护士执业证书"]}}), "certificates_imply"),
        (lambda d: d.update({"origin_may_be": {"港澳台": ["留学回国"], "留学回国": ["中国公民"]}}), "origin_may_be"),
        (lambda d: d.update({"unit_qualifiers": {"企业": []}}), "unit_qualifiers"),
        (lambda d: d.update({"level_titles": ["高级", "院士"]}), "level_titles"),
        (lambda d: d.update({"title_grades": ["副", ""]}), "title_grades"),
        (lambda d: d.update({"school_leavers": {"levels": ["小学"], "words": ["毕业生"]}}), "school_leavers.levels"),
        (lambda d: d.update({"school_leavers": {"levels": ["初中"], "words": []}}), "school_leavers.words"),
        (lambda d: d["cues"].pop("generic_experience"), "cues.generic_experience"),
        (lambda d: d.update({"origin_parts": {"港澳台": {"外籍": ["外籍"], "台湾": ["台湾"]}}}), "origin_parts"),
    ],
)
def test_a_broken_vocabulary_names_the_file(tmp_path: Path, damage: Any, problem: str) -> None:
    path = tmp_path / "eligibility.json"
    shutil.copy(DATA_DIR / "eligibility.json", path)
    assert isinstance(load_vocabulary(path), Vocabulary)
    data = json.loads(path.read_text(encoding="utf-8"))
    damage(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DataFileError) as raised:
        load_vocabulary(path)
    assert str(path) in str(raised.value) and problem in str(raised.value)


def test_a_degree_one_is_treated_as_is_no_requirement(extractor: ConditionExtractor) -> None:
    # 河南省职业培训条例 第三十八条: graduates of a 技工院校 class are treated as 中专、大专、本科
    # holders; the 学历 is what they get, not what they must have (a 中专 applicant had ✓).
    text = (
        "第三十八条 全日制技工院校中级工班、高级工班、预备技师（技师）班毕业生分别参照中专、大专、"
        "本科学历，在参加公务员招录、企业事业单位招聘等方面享受相关待遇。"
    )
    (passage,) = extract(extractor, [make_clause(text, ["第三十八条"], "article", "benefit")])
    assert not [f for f in fields_of(passage) if f[0] == "education_min"]
    # Only the degree right after 参照: a body managed 参照公务员法 keeps its requirement.
    text = "第十条 参照公务员法管理的事业单位中具有大学本科以上学历的人员，可以申请。"
    (passage,) = extract(extractor, [make_clause(text, ["第十条"], "article", "condition")])
    assert ("education_min", "本科") in fields_of(passage)


def test_how_long_a_certificate_is_held_is_a_requirement_beside_it(extractor: ConditionExtractor) -> None:
    # 北京市出租汽车管理条例 第九条（一） (取得驾驶证3年以上): the 3 years had been lost.
    passages = extract(extractor, article("第五条", "申请人应当具备下列条件：", ["持有导游证满二年；"]))
    found = [(c["field"], c["span"]) for c in passages[1].conditions]
    assert ("other", "持有导游证满二年") in found
    assert any(field == "certificates" for field, _ in found)
    # The duration is not a leftover of its own too, and a year is no duration.
    sentence = read_benefit(extractor, "第九条 持有导游证满二年的导游人员，可以申请补贴。")
    assert [v for f, v, _ in sentence if f == "other"] == ["持有导游证满二年"]
    dated = read_benefit(extractor, "第九条 持有教师资格证书2020年以前取得的，可以申请补贴。")
    assert not any(f == "other" and str(v).startswith("持有") for f, v, _ in dated)
