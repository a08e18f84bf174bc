"""Eligibility conditions (ingest/enrich/conditions.py) on hand-made clauses, the vocabulary
file's validation (knowledge/eligibility.py), and the hand labels of
tests/data/conditions.jsonl, conditions-extra.jsonl, conditions-extra2.jsonl and
conditions-holdout2.jsonl on passages made by the real pipeline.

The book's policies are always measured; the labelled regulations come from
../shared/corpora/regulations.tar.gz (skipped with a reason when it is absent). Target:
precision and recall ≥ 0.90 for each structured field with at least 5 labels in the tune
split (which the cues were fitted on); the holdout split (which they were not) is reported.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from ingest.enrich.conditions import ConditionExtractor
from ingest.model import Document, Passage
from knowledge.eligibility import FIELDS, LADDER_OF, NUMERIC_FIELDS, Vocabulary, load_vocabulary, vocabulary
from knowledge.tables import DATA_DIR, DataFileError

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
import measure_conditions as measure  # noqa: E402

TARGET = 0.90
MIN_SUPPORT = 5
# Measured on the tune split (the first labels, the first holdout's 5 laws folded in once
# the second holdout was written, the extra to extra5 labels, and 法官法/检察官法 of the
# second holdout file), P/R: education_min 1.00/0.84, age_max 1.00/0.68, age_min
# 0.89/0.62, professional_title_min 0.95/0.75, years_experience_min 1.00/0.74, origin
# 0.82/0.79, residence_or_employment 0.77/0.55, unit_type 0.48/0.64, certificates
# 0.71/0.68, awards 0.79/0.61. The floors guard against regressions; fields below the
# target are strict xfails.
# The tune split's figures less a margin: a regression guard. Each labelled file added
# (extra6, extra7: laws whose conditions the rules read least) lowers them, as it should.
TUNE_FLOORS = {
    "education_min": (0.95, 0.85),
    "age_max": (0.95, 0.72),
    "age_min": (0.90, 0.88),
    "professional_title_min": (0.90, 0.70),
    "years_experience_min": (0.95, 0.88),
    "origin": (0.68, 0.60),
    "residence_or_employment": (0.72, 0.55),
    "unit_type": (0.50, 0.52),
    "certificates": (0.66, 0.50),
    "awards": (0.70, 0.60),
}
# Below the target on the tune split, with the labels that keep them there: unit_type's
# extras are units the policy supports but the labels leave out (支持科技领军企业…,
# 为科技创新企业提供…); certificates' extras are a licence a duty requires that the labels
# leave out (教师资格条例第二条 「…应当依法取得教师资格」, while 船员条例第五条 「船员应当…
# 取得相应的船员适任证书」 is labelled) and 居住证持有人 as the object of a government's
# work; origin's extras are 外国人 where a law binds or grants to foreigners without a
# labelled record (出境入境管理法第三十二条、第四十一条), its misses the recipients of a visa
# (发给…外国常驻记者); the ages and years missed are a child's age (未满18周岁的子女), a
# scope clause (参照适用本条例), a duty of parents (凡年满六周岁的儿童，其父母…应当送其
# 入学) and durations relaxed for a degree (可以分别放宽至四年、三年); education misses the
# graduates a measure encourages (鼓励高等学校毕业生…到农村…任教). extra3 (注册建筑师条例,
# 导游人员管理条例, 上海市社会救助条例, 退役军人安置条例), scored before any change:
# years_experience_min 0/20, awards 0/14, education 1.00/0.79, residence 0.50/0.33; after
# (业务 and 服现役/军龄 durations, honours as awards, items that grant on their own
# condition, circumstances that define who someone is): years 1.00/0.75, awards
# 0.73/0.57, residence 0.50/0.50, certificates 0.50/0.50; its misses are clauses not read
# as requirements (面向…高校毕业生招考, 本市户籍家庭 in a list of aid measures). extra4
# (乡村医生从业管理条例, 证券、期货投资咨询管理暂行办法, 北京市征兵工作条例, 汕头经济特区基层
# 医疗卫生服务条例), scored before any change: certificates 0.40/0.13, origin 0.40/0.25,
# residence 0/7, education 1.00/0.50; after (a passive 应当被征集 is who qualifies, not a
# duty; 必须/方可 end a condition; 取得…颁发的…证书, …从业资格/执业资格, a certificate the
# requirement verb governs; 中等…专业学历): certificates 0.53/0.53, origin 0.50/0.38,
# education 1.00/0.67, age_min 1 of 3; the holdout moved with it (age_min 0 → 0.20, origin 0.36/0.29 →
# 0.45/0.36) without its errors being read. Its misses are definitions (用语的含义) and
# scope clauses that state who a law covers, and household types (农业户口). extra5
# (消防救援衔条例, 深圳经济特区学前教育条例, 上海市司法鉴定管理条例, 山东省老年人权益保障
# 条例), scored before any change: years 0/11, age_min 1.00/0.14, titles 0/5, education
# 1.00/0.78, certificates 0.60/0.33; after (an item that is itself a lead-in, （二）符合下列
# …条件之一： 1. … 2. …, gives one record per line, alternatives of one group; an age
# bound right before a grant, 六十五周岁以上免费乘坐; 、N年以上…经历 in a list; 免费/免购/
# 半价 end a condition): years 1.00/0.36, age_min 1.00/0.29, titles 1.00/0.20, education
# 1.00/0.89, certificates 0.57/0.44. Its misses are rank tables (工作满二十四年的：一级消防长)
# and ages in plans (逐步建立…八十周岁以上老年人高龄津贴制度). extra9 (道路运输条例, 中医药
# 条例, 幼儿园管理条例, 普通高等学校设置暂行条例, 山东省司法鉴定条例, two election rules,
# 上海 农民专业合作社 办法), scored before any change: education 1.00/0.38, titles
# 1.00/0.43, residence 0.71/0.45, other 0.58/0.34; after (…毕业程度 / …毕业文化水平 /
# 高级中学毕业学生 as schooling, 非本市户籍 and 户籍不在本村 as negated ties, not 本市户籍):
# education 1.00/0.69, residence 0.88/0.64. Its misses are staffing rules of a school
# (配备具有讲师职务以上的专任教师) and registration rules. Adding it lowered the title recall
# and unit-type precision floors. Then members sharing a head (持有…境外金融、会计、医师、教师
# 职业资格 → four certificates) and 允许 before the people it lets act: the book's certificates
# 0.75 → 1.00 recall; the holdout's education recall 0.43 → 0.57 with this session's rules
# (its errors not read). The subject of a 凡 sentence (凡年满六周岁的儿童，其父母…; 凡…的
# 公民，都应当…) as who the clause is about, whatever its consequence binds: tune age_min
# 0.61 → 0.68, age_max 0.63 → 0.66, origin recall 0.64 → 0.66, nothing lower; holdout
# unchanged. Session of 4 December: a shared ，并… on every branch, classes of people a
# clause names by a bound (八十周岁以上老年人, 高等学校毕业生), each 款 keeping its own:
# education 0.99/0.90 (at the target), age_min 0.94/0.87, age_max 1.00/0.71, years
# 1.00/0.79, titles 0.96/0.67, residence 0.76/0.62, unit_type 0.38/0.61, awards 0.78/0.70.
# Then a unit type only from the clauses of who qualifies and what they get (a unit a
# procedure or duty names acts there): unit_type 0.38/0.61 → 0.55/0.55, its floor raised.
# Later on 4 December: a condition before a colon that names its outcome (the rank table
# above), the holder of a duty by 作出 and age bounds before a grant in a later clause
# (七十周岁以上免购门票), an item defining a kind of person under 下列用语的含义 (家庭医生
# 是指…): years 1.00/0.90 (at the target), titles 0.96/0.72, age_max 1.00/0.74, age_min
# 0.94/0.89. Then conditions-holdout3.jsonl (6 texts labelled by reading; its first score
# is in its .md), half of it tune: a degree before 课程/论文 or after 授予/审查/报请 is no
# requirement, a unit before 研究生 the school, and a definition by a list (…是指…，具体范围
# 包括：) any one of its items: age_min 0.95/0.90 (at the target), education 0.99/0.91.
TUNE_AT_TARGET: set[str] = {"education_min", "years_experience_min", "age_min"}
TUNE_SHORT = set(TUNE_FLOORS) - TUNE_AT_TARGET


# --- hand-made clauses ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def extractor() -> ConditionExtractor:
    return ConditionExtractor()


def _clause(text: str, path: list[str], unit: str, clause_type: str = "condition") -> Passage:
    passage = Passage("policy", text, path, locator="".join(path[1:]), attrs={"unit": unit})
    passage.clause_type = clause_type
    return passage


def _article(number: str, lead: str, items: list[str], clause_type: str = "condition") -> list[Passage]:
    """An article with a lead-in and its items, as the segmenter stores them."""
    marks = "一二三四五六七八九十"
    lines = [f"（{marks[i]}）{item}" for i, item in enumerate(items)]
    path = ["第二章 条件", number]
    passages = [_clause("\n".join([f"{number} {lead}", *lines]), path, "article", clause_type)]
    passages += [_clause(line, [*path, line[:3]], "item", clause_type) for line in lines]
    return passages


def _extract(extractor: ConditionExtractor, passages: list[Passage]) -> list[Passage]:
    extractor.extract_document(Document("policy", "某某办法", "k", "s", passages))
    return passages


def _fields(passage: Passage) -> list[tuple[str, Any]]:
    return [(c["field"], c["value"]) for c in passage.conditions if c["field"] != "other"]


def test_ages_in_digits_and_words(extractor: ConditionExtractor) -> None:
    passages = _extract(
        extractor,
        _article(
            "第五条",
            "申请人应当具备下列条件：",
            ["年满十八周岁；", "年龄45周岁以下；", "年龄二十五周岁以上六十五周岁以下；", "年龄不超过四十五周岁；"],
        ),
    )
    assert [_fields(p) for p in passages[1:]] == [
        [("age_min", 18)],
        [("age_max", 45)],
        [("age_min", 25), ("age_max", 65)],
        [("age_max", 45)],
    ]


def test_strict_bounds_and_what_is_not_an_age(extractor: ConditionExtractor) -> None:
    (passage,) = _extract(
        extractor, [_clause("第九条 未满十六周岁或者超过三十五周岁的，不予受理。", ["第九条"], "article")]
    )
    assert ("age_max", 15) in _fields(passage) and ("age_min", 36) in _fields(passage)
    (baby,) = _extract(extractor, [_clause("第十条 哺乳不满一周岁婴儿的，可以延期。", ["第十条"], "article")])
    assert not [f for f, _ in _fields(baby) if f.startswith("age")]


def test_members_sharing_a_head_are_each_a_certificate(extractor: ConditionExtractor) -> None:
    text = "三、允许持有《目录》内境外金融、会计职业资格的专业人员，按照相关行业部门实施办法在北京市执业。"
    (passage,) = _extract(extractor, [_clause(text, ["三、"], "section", "benefit")])
    assert ("certificates", ["境外金融职业资格证书", "境外会计职业资格证书"]) in _fields(passage)


def test_schooling_levels_and_negated_ties(extractor: ConditionExtractor) -> None:
    passages = _extract(
        extractor,
        _article(
            "第九条",
            "工作人员应当具备下列条件：",
            ["保健员应当具有高中毕业程度；", "达到大学本科毕业文化水平；", "非本市户籍人员在本市居住满一年以上；"],
        ),
    )
    assert _fields(passages[1]) == [("education_min", "中专/高中")]
    assert _fields(passages[2]) == [("education_min", "本科")]
    assert ("residence_or_employment", "非本市户籍") in _fields(passages[3])
    assert ("residence_or_employment", "本市户籍") not in _fields(passages[3])


def test_ladders_take_the_lowest_alternative(extractor: ConditionExtractor) -> None:
    passages = _extract(
        extractor,
        _article(
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
    assert _fields(passages[1]) == [("education_min", "本科")]
    assert _fields(passages[2]) == [("education_min", "本科")]
    assert _fields(passages[3]) == [("professional_title_min", "副高级")]
    assert ("skill_level_min", "技师") in _fields(passages[4])
    assert ("certificates", ["国家职业资格证书", "职业技能等级证书"]) in _fields(passages[4])
    assert _fields(passages[5]) == [("years_experience_min", 5)]


def test_alternatives_form_an_any_of_group(extractor: ConditionExtractor) -> None:
    text = "第七条 具有高级职称的人员，或者具有本科以上学历、从事法律服务满十年的人员，可以申请。"
    (passage,) = _extract(extractor, [_clause(text, ["第七条"], "article")])
    groups = {c["field"]: c["group"] for c in passage.conditions if c["field"] != "other"}
    assert groups["professional_title_min"] == "g1/a" or groups["professional_title_min"] == "g1"
    assert groups["education_min"] == groups["years_experience_min"] == "g1/b"


def test_any_of_lists_share_a_group_and_disqualifiers_are_negated(extractor: ConditionExtractor) -> None:
    any_of = _extract(
        extractor,
        _article(
            "第八条", "符合下列条件之一的，可以提前退休：", ["工作年限满三十年的；", "符合国家规定的其他情形的。"]
        ),
    )
    assert [c["group"] for p in any_of[1:] for c in p.conditions] == ["x1", "x1"]
    banned = _extract(
        extractor,
        _article(
            "第二十条", "有下列情形之一的，不得担任公证员：", ["无民事行为能力的；", "被开除公职的。"], "obligation"
        ),
    )
    conditions = [c for p in banned[1:] for c in p.conditions]
    assert [c["span"] for c in conditions] == ["无民事行为能力", "被开除公职"]
    assert all(c["negated"] and c["group"] is None for c in conditions)


def test_unreadable_requirements_stay_text(extractor: ConditionExtractor) -> None:
    passages = _extract(
        extractor, _article("第九条", "应当具备下列条件：", ["年龄适当，身体健康；", "具有相应的专业能力。"])
    )
    # A list item with nothing structured is one requirement, as the labels read it.
    assert [(c["field"], c["value"]) for p in passages[1:] for c in p.conditions] == [
        ("other", "年龄适当，身体健康"),
        ("other", "具有相应的专业能力"),
    ]


def test_articles_do_not_repeat_their_items(extractor: ConditionExtractor) -> None:
    passages = _extract(
        extractor, _article("第四条", "申报应同时符合以下条件：", ["年满十八周岁；", "具有本科以上学历。"])
    )
    assert passages[0].conditions == []
    assert all(p.conditions for p in passages[1:])


def test_spans_are_the_passage_text(extractor: ConditionExtractor) -> None:
    text = "第三条 持有国家职业资格证书、年满１８周岁的外籍人员，在本市工作的，给予补贴。"
    (passage,) = _extract(extractor, [_clause(text, ["第三条"], "article", "benefit")])
    assert {c["field"] for c in passage.conditions} >= {"certificates", "age_min", "origin"}
    for condition in passage.conditions:
        assert condition["span"] == text[condition["start"] : condition["end"]]
        assert condition["field"] in FIELDS


def test_other_kinds_and_general_clauses_get_none(extractor: ConditionExtractor) -> None:
    prose = Passage("chapter", "年满十八周岁的人才可享受住房补贴。", ["一 概况"])
    general = _clause("第一条 为规范人才工作，制定本办法。", ["第一条"], "article", "general")
    extractor.extract_document(Document("report_chapter", "B.1", "B.1", "s", [prose]))
    _extract(extractor, [general])
    assert prose.conditions == [] and general.conditions == []


def _read(extractor: ConditionExtractor, *paragraphs: str, meta: dict[str, Any] | None = None) -> list[Any]:
    """(field, value, negated) of one benefit article made of ``paragraphs``."""
    passage = _clause("\n".join(paragraphs), ["第九条"], "article", "benefit")
    document = Document("policy", "某某条例", "k", "s", [passage])
    document.meta.update(meta or {})
    extractor.extract_document(document)
    return [(c["field"], c["value"], c["negated"]) for c in passage.conditions]


def test_beneficiaries_of_an_agent_are_read_after_its_marker(extractor: ConditionExtractor) -> None:
    supported = _read(extractor, "第九条 县级以上人民政府应当对从事研发的高等学校、科研机构给予支持。")
    assert ("unit_type", ["高校", "科研院所"], False) in supported
    assert ("other", "给予支持", False) not in supported  # the benefit is not a requirement
    assert ("residence_or_employment", "到本省工作", False) in _read(
        extractor, "第九条 省人民政府应当组织人才交流活动，为省外人才到本省工作创造条件。"
    )


def test_a_pronoun_after_the_marker_refers_back_to_the_condition(extractor: ConditionExtractor) -> None:
    # 对其…给予资助: 其 is whoever the clause before describes, who is the one who qualifies.
    read = _read(extractor, "第九条 低收入家庭中六十周岁以上老年人参加基本医疗保险的，对其个人缴费部分给予资助。")
    assert ("age_min", 60, False) in read
    assert not any(value == "其个人缴费部分" for _, value, _ in read)


def test_duties_sanctions_and_plain_targets_state_no_requirement(extractor: ConditionExtractor) -> None:
    assert _read(extractor, "第九条 年满十六周岁的外国人在中国境内停留，应当随身携带本人的护照。") == []
    assert _read(extractor, "第九条 未取得执业证书从事执业活动的，由主管部门责令改正，处五千元以下罚款。") == []
    assert _read(extractor, "第九条 国家鼓励企业到中小学开展科普活动。") == []  # not described by a condition
    # A class named by its schooling is described by one (test_condition_wording.py).
    assert _read(extractor, "第九条 国家鼓励高等学校毕业生到中小学任教。") == [("education_min", "大专", False)]
    described = _read(extractor, "第九条 国家采取措施，鼓励取得执业医师资格的人员开办村医疗卫生机构。")
    assert ("certificates", ["执业医师资格"], False) in described


def test_the_people_a_priority_names_are_preferred_not_required(extractor: ConditionExtractor) -> None:
    passage = _clause(
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
    assert not any("入学" in str(value) for _, value, _ in _read(extractor, "第九条 符合条件的，优先安排其子女入学。"))


def test_definitions_pools_and_scopes(extractor: ConditionExtractor) -> None:
    assert ("residence_or_employment", "在本市工作", False) in _read(
        extractor, "第九条 技能大师是指在本市某一行业技能拔尖的高技能人才。"
    )
    # The defined profession's own licence is what the word means, not a requirement.
    licensed = _read(extractor, "第九条 本法所称医师，是指依法取得医师资格，在医疗机构中执业的专业医务人员。")
    assert not [c for c in licensed if c[0] == "certificates"]
    pool = _read(extractor, "第九条 机构负责人应当在有三年以上执业经历的公证员中推选产生。")
    assert ("years_experience_min", 3, False) in pool
    scope = _read(extractor, "第九条 已取得教师资格的公民拟取得更高等级教师资格的，应当通过相应的考试。")
    assert ("certificates", ["教师资格证书"], False) in scope and not [c for c in scope if c[0] == "origin"]


def test_named_certificates_classes_of_talent_and_unit_heads(extractor: ConditionExtractor) -> None:
    short = {"abbreviations": [{"short": "许可证", "full": "人才中介服务许可证"}]}
    named = _read(extractor, "第九条 主办单位必须是持有《许可证》的中介服务机构。", meta=short)
    assert ("certificates", ["人才中介服务许可证"], False) in named
    talent = _read(extractor, "第九条 省人力资源社会保障部门应当建立外籍人才、港澳台人才职称直评办法。")
    assert [c[:2] for c in talent if c[0] == "origin"] == [("origin", ["外籍"]), ("origin", ["港澳台"])]
    units = _read(extractor, "第九条 高等学校、科研机构的专业技术人员通过企业挂职等方式创业，可以享受相应待遇。")
    assert [c[1] for c in units if c[0] == "unit_type"] == [["高校", "科研院所"]]


def test_who_is_selected_and_what_a_licence_rule_requires(extractor: ConditionExtractor) -> None:
    # 应当被征集: done to those described, who thus qualify; not a duty of theirs.
    drafted = _read(extractor, "第九条 每年12月31日前年满18岁的男性公民，符合条件的，应当被征集服现役。")
    assert ("age_min", 18, False) in drafted and ("origin", ["中国公民"], False) in drafted
    # 必须取得…后，方可…: the licence is the condition of what follows.
    licensed = _read(extractor, "第九条 从事咨询业务的人员，必须取得证券投资咨询从业资格后，方可从事咨询业务。")
    assert ("certificates", ["证券投资咨询从业资格"], False) in licensed
    issued = _read(extractor, "第九条 取得县级以上人民政府卫生行政部门颁发的乡村医生证书的，可以申请注册。")
    assert ("certificates", ["乡村医生证书"], False) in issued
    schooled = _read(extractor, "第九条 具有中等医学专业学历的人员，可以申请执业注册。")
    assert ("education_min", "中专/高中", False) in schooled


def test_nested_lists_and_benefits_bound_by_age(extractor: ConditionExtractor) -> None:
    passages = _article(
        "第十二条",
        "个人申请执业应当具备下列条件：",
        ["中华人民共和国公民；", "符合下列条件之一：\n1. 具有相关的高级专业技术职称；\n2. 从事相关工作五年以上；"],
    )
    nested = _fields(_extract(extractor, passages)[2])
    assert ("professional_title_min", "副高级") in nested and ("years_experience_min", 5) in nested
    groups = {c["group"] for c in passages[2].conditions if c["field"] != "other"}
    assert len(groups) == 2 and len({g.split("/")[0] for g in groups}) == 1  # one any-of, two branches
    granted = _article("第四十六条", "老年人享受下列优待：", ["六十五周岁以上免费乘坐市内公共交通工具；"], "benefit")
    assert ("age_min", 65) in _fields(_extract(extractor, granted)[1])
    listed = _read(extractor, "第九条 园长应当具有本科以上学历、五年以上幼儿园管理工作经历。")
    assert ("years_experience_min", 5, False) in listed


def test_ages_scoped_by_sex_are_alternatives(extractor: ConditionExtractor) -> None:
    both = _article("第九条", "驾驶员应当具备下列条件：", ["有本市常住户口，男60岁、女50岁以下，身体健康；"])
    item = _extract(extractor, both)[1].conditions
    scoped = [(c["field"], c["value"], c["group"]) for c in item if c["group"]]
    assert scoped == [
        ("other", "男", "g1/a"),
        ("age_max", 60, "g1/a"),
        ("other", "女", "g1/b"),
        ("age_max", 50, "g1/b"),
    ]
    one = _read(extractor, "第九条 女职工年满五十周岁的，可以申请退休。")
    assert ("other", "女", False) in one and ("age_min", 50, False) in one
    after = _read(extractor, "第四条 年满18岁的男性公民，符合条件的，可以报名；在22岁前仍可以报名。")
    assert ("other", "男", False) in after and ("age_max", 22, False) in after
    # 男性年龄在六十周岁以下 (郑州市客运出租汽车管理条例 第十一条): a 58-year-old man had failed
    # the women's 55, and 男性年龄在 and 女性年龄在 stood as requirements of their own.
    ages = "男性年龄在六十周岁以下，女性年龄在五十五周岁以下，身体健康；"
    worded = _article("第十一条", "驾驶员应当具备下列条件：", [ages])
    item = _extract(extractor, worded)[1].conditions
    assert [(c["field"], c["value"], c["group"]) for c in item if c["group"]] == [
        ("other", "男", "g1/a"),
        ("age_max", 60, "g1/a"),
        ("other", "女", "g1/b"),
        ("age_max", 55, "g1/b"),
    ]
    assert not [c for c in item if "年龄在" in str(c["value"])]
    both = _read(extractor, "第五条 年满17岁的男女公民，本人自愿的，可以报名。")
    assert not [c for c in both if c[1] in ("男", "女")]  # 男女: either sex


def test_an_article_states_a_requirement_once(extractor: ConditionExtractor) -> None:
    both = _read(
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
    assert vocab.canonical("education", "研究生") is None
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
    (passage,) = _extract(extractor, [_clause(text, ["第五条"], "article")])
    assert ("unit_type", ["企业"]) in _fields(passage)
    assert ("origin", ["外籍"]) in _fields(passage) and ("origin", ["中国公民"]) not in _fields(passage)


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
        (lambda d: d.update({"exclusive_origins": ["火星人"]}), "exclusive_origins"),
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


# --- the labels ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tables(shared_dir: Path) -> dict[str, dict[str, dict[str, float]]]:
    """The per-split tables over the book and the labelled regulations of ../shared."""
    archive = shared_dir / "corpora" / "regulations.tar.gz"
    if archive.is_file():
        measured = measure.run(archive)[1]
        print("\n" + measure.format_table(measured))
        return measured
    pytest.skip(f"{archive} is absent")


def test_book_labels_are_measured() -> None:
    pairs, tables = measure.run(None)
    assert tables["tune"]["groups"]["matched"] > 0
    assert any(p.label is not None and p.predicted is not None for p in pairs)


def _below(
    table: dict[str, dict[str, float]], floors: dict[str, tuple[float, float]] | None = None
) -> dict[str, float]:
    out = {}
    for field in FIELDS:
        row = table[field]
        if field == "other" or row["labelled"] < MIN_SUPPORT:
            continue
        low_p, low_r = floors[field] if floors else (TARGET, TARGET)
        if row["precision"] < low_p:
            out[f"{field} precision"] = row["precision"]
        if row["recall"] < low_r:
            out[f"{field} recall"] = row["recall"]
    return out


@pytest.mark.shared
def test_tune_split_stays_above_its_floors(tables: dict[str, dict[str, dict[str, float]]]) -> None:
    assert set(TUNE_FLOORS) >= {f for f in FIELDS if f != "other" and tables["tune"][f]["labelled"] >= MIN_SUPPORT}
    assert not _below(tables["tune"], TUNE_FLOORS), measure.format_table(tables)


def _targeted(field: str) -> Any:
    if field in TUNE_SHORT:
        return pytest.param(field, marks=pytest.mark.xfail(strict=True, reason=f"tune {field} below 0.90"))
    return field


@pytest.mark.shared
@pytest.mark.parametrize("field", [_targeted(f) for f in TUNE_FLOORS])
def test_tune_split_meets_its_targets(tables: dict[str, dict[str, dict[str, float]]], field: str) -> None:
    row = tables["tune"][field]
    assert row["precision"] >= TARGET and row["recall"] >= TARGET, measure.format_table(tables)


@pytest.mark.shared
@pytest.mark.xfail(
    strict=True, reason="holdout below 0.90: education_min 0.80/0.57, age_max R 0.83, age_min R 0.67, origin 0.50/0.36"
)
def test_holdout_split_meets_its_targets(tables: dict[str, dict[str, dict[str, float]]]) -> None:
    assert not _below(tables["holdout"]), measure.format_table(tables)


def test_age_ranges_durations_after_a_verb_and_fee_waivers(extractor: ConditionExtractor) -> None:
    ranged = _read(extractor, "第三条 本市提倡十八周岁至五十五周岁的健康公民自愿献血。")
    assert ("age_min", 18, False) in ranged and ("age_max", 55, False) in ranged
    ranged = _read(extractor, "第七条 十八岁至三十五岁的公民可以参加。")
    assert ("age_min", 18, False) in ranged and ("age_max", 35, False) in ranged
    assert ("age_max", 45, False) in _read(extractor, "第八条 年龄可以放宽到四十五周岁的人员，可以担任。")
    driven = _article("第十条", "申请人应当具备下列条件：", ["有驾驶出租汽车二年以上的经历；"])
    assert ("years_experience_min", 2) in _fields(_extract(extractor, driven)[1])
    waived = _read(extractor, "第二十九条 六十周岁以上的公民需要医疗临床用血的，免交用血互助金。")
    assert ("age_min", 60, False) in waived


def test_a_certificate_one_must_not_hold_is_negated(extractor: ConditionExtractor) -> None:
    text = "第二条 本条例适用于尚未取得执业医师资格，经注册在村医疗卫生机构从事一般医疗服务的乡村医生。"
    passage = _clause(text, ["第二条"], "article", "general")
    extractor.extract_document(Document("policy", "某某条例", "k", "s", [passage]))
    held = [(c["value"], c["negated"]) for c in passage.conditions if c["field"] == "certificates"]
    assert held == [(["执业医师资格"], True)]


def test_requirements_of_each_post_are_alternatives(extractor: ConditionExtractor) -> None:
    posts = _article(
        "第十一条",
        "应聘辅警应当具备下列条件：",
        ["勤务辅警应当具有高中以上文化程度，文职辅警应当具有大专以上文化程度；"],
    )
    item = _extract(extractor, posts)[1].conditions
    assert [(c["field"], c["value"], c["group"]) for c in item] == [
        ("other", "勤务辅警", "g1/a"),
        ("education_min", "中专/高中", "g1/a"),
        ("other", "文职辅警", "g1/b"),
        ("education_min", "大专", "g1/b"),
    ]


# conditions-extra8.jsonl (现役军官法, 军官军衔条例, 重庆市司法鉴定条例, 洛阳见义勇为人员条例,
# 资产评估法; 169 records, 338 conditions), written by reading only and scored once, before
# any change: education_min 0.40/0.20, age_max 0/23 found, professional_title_min
# 1.00/0.13, years_experience_min 1.00/0.17, origin 0.75/0.60, other 0.68/0.16. Most of its
# requirements are the age and years limits of military posts (担任团级职务的，四十五岁) and
# recusal lists, clauses the clause typer does not read as who qualifies, so nothing is
# extracted from them. It is kept apart from the tune split (not fitted on yet) and held
# to these figures, so that a later change shows what it does on laws of this kind.
EXTRA8 = REPO / "tests" / "data" / "conditions-extra8.jsonl"
EXTRA8_FLOORS = {
    "education_min": (0.35, 0.15),
    "age_max": (0.0, 0.0),  # none of the 23 read yet
    "professional_title_min": (0.90, 0.10),
    "years_experience_min": (0.95, 0.15),
    "origin": (0.70, 0.55),
}


# conditions-extra10.jsonl (香港 and 澳门 Basic Laws, travel rules for 台湾 and 港澳, a Beijing
# election rule, 河南 村民委员会 rules, 上海 义务教育, 浦东 建筑师; 167 records, 322 conditions),
# written by reading only and scored once, before any change: origin 0.27/0.14, residence
# 0.70/0.11, age_min 1.00/0.38, certificates 0/13. Most of it is who may hold an office of a
# special administrative region (永久性居民 labelled as residence, 中国公民 担任), far from
# what applicants ask; it is kept apart like extra8. After 非中国籍 as 外籍 (not 中国籍), no
# origin after 非, and a Hong Kong or Macao permanent resident as 港澳台 only with 身份 (取得
# 香港永久居民身份, not the Basic Laws' own residents): origin 0.33/0.14.
EXTRA10 = REPO / "tests" / "data" / "conditions-extra10.jsonl"
EXTRA10_FLOORS = {
    "age_min": (0.95, 0.35),
    "origin": (0.30, 0.12),
    "residence_or_employment": (0.65, 0.10),
    "certificates": (0.0, 0.0),  # none of the 13 read yet (出入境通行证, 往来台湾通行证 …)
}


# conditions-extra11.jsonl (驻外外交人员法, 未成年人保护法, 农业技术推广法, 教育督导 rules,
# 扫除文盲工作条例, 广东 司法鉴定, 上海 精神卫生, 北京 义务教育, a 山东 election rule; 256 records,
# 402 conditions, 336 `other`), written by reading only and scored once before any change:
# age_max 1.00/0.43, age_min 1.00/0.56, titles 1.00/0.29, origin 0.88/0.70, residence
# 1.00/0.44, certificates 1.00/0.29, unit types 0 of 7. Kept apart like extra8 and extra10.
EXTRA11 = REPO / "tests" / "data" / "conditions-extra11.jsonl"
EXTRA11_FLOORS = {
    "education_min": (0.95, 0.95),
    "age_max": (0.95, 0.40),
    "age_min": (0.95, 0.55),
    "professional_title_min": (0.95, 0.25),
    "origin": (0.85, 0.65),
    "residence_or_employment": (0.95, 0.40),
    "certificates": (0.95, 0.25),
    "unit_type": (0.0, 0.0),  # none of the 7 read yet (企业和事业单位职工, 国家机关…在编人员)
}


# conditions-extra12.jsonl (a 上海 election rule, 青岛 tree planting, 河南 residents'
# committees, the central bank's monetary policy committee, nuclear safety, 重庆 silkworm
# eggs, hazardous waste permits, 河南 forensic appraisal, 洛阳 real estate, 郑州 private
# firms, 济南 buses, 山东 Taiwan investors; 184 records, 360 conditions, 127 of them not
# `other`), written by reading only and scored once before any change: education
# 0.67/0.40, age_max 1.00/0.60, age_min 0.80/0.80, titles 1.00/0.80, years 1.00/0.80,
# origin 0.38/0.43, residence 0 of 15, unit types 0.18/0.13, certificates 0.80/0.18 (most
# are licences of one trade named in full: 蚕种生产许可证, 司法鉴定人执业证书). Kept apart.
EXTRA12 = REPO / "tests" / "data" / "conditions-extra12.jsonl"
EXTRA12_FLOORS = {
    "education_min": (0.60, 0.35),
    "age_max": (0.95, 0.55),
    "age_min": (0.75, 0.75),
    "professional_title_min": (0.95, 0.75),
    "years_experience_min": (0.95, 0.75),
    "origin": (0.35, 0.40),
    "residence_or_employment": (0.95, 0.05),  # 本市户口 read since (具有本市户口)
    "unit_type": (0.15, 0.10),
    "certificates": (0.75, 0.15),
}

# conditions-extra13.jsonl (浙江 silkworm eggs and crop pests, 重庆 tendering, 广东 works
# supervision, 上海 religious affairs and farm extension, 北京 minors and village elections,
# 淄博 pig slaughter, police inspection, the SME promotion law, 杭州 fisheries; 196 records,
# 313 conditions, 75 not `other`), written by reading only and scored once before any
# change: education 1.00/0.80, age_max 1.00/0.33, age_min 1.00/0.50, titles 1.00/1.00, years
# 0.80/0.80, origin 0.50/0.36, residence 0.62/0.42, unit types 0.17/0.20, certificates
# 0.50/0.08; after (中等职业教育 as 中专/高中, 从事…教职N年以上): education 1.00/1.00, years
# 0.83/1.00. Kept apart.
EXTRA13 = REPO / "tests" / "data" / "conditions-extra13.jsonl"
EXTRA13_FLOORS = {
    "education_min": (0.95, 0.95),
    "age_max": (0.95, 0.30),
    "age_min": (0.95, 0.45),
    "professional_title_min": (0.95, 0.95),
    "years_experience_min": (0.80, 0.95),
    "origin": (0.45, 0.30),
    "residence_or_employment": (0.55, 0.40),
    "unit_type": (0.15, 0.15),
    "certificates": (0.45, 0.05),
}

# conditions-extra14.jsonl (five State Council rules: fossils, cosmetics, wild animals, plant
# equipment, state enterprises; 上海 village committees, energy saving, SMEs; 北京 statistics
# and ecological zones; 浙江 farm extension, 杭州 science progress; 150 records, 262
# conditions, 73 not `other`), written by reading only and scored once before any change:
# education 1.00/0.60, age_min 0.83/1.00, titles 1.00/1.00, years 1.00/0.40, origin
# 1.00/0.33, residence 0 of 10, unit types 0.06/0.10 (企业 as the actor of enterprise law,
# typed benefit, against 企业 named in general clauses), certificates 1.00/0.29; after
# (…经验 up to 20 characters after N年以上, 从事…工作累计N年以上): years 1.00/0.60. Kept apart.
EXTRA14 = REPO / "tests" / "data" / "conditions-extra14.jsonl"
EXTRA14_FLOORS = {
    "education_min": (0.95, 0.55),
    "age_min": (0.80, 0.95),
    "professional_title_min": (0.95, 0.95),
    "years_experience_min": (0.95, 0.55),
    "origin": (0.95, 0.30),
    "residence_or_employment": (0.0, 0.0),  # none of the 10 read (原住居民, 非本村户籍居民)
    "unit_type": (0.05, 0.05),
    "certificates": (0.95, 0.25),
}


@pytest.mark.shared
@pytest.mark.parametrize(
    ("path", "limits"),
    [
        (EXTRA8, EXTRA8_FLOORS),
        (EXTRA10, EXTRA10_FLOORS),
        (EXTRA11, EXTRA11_FLOORS),
        (EXTRA12, EXTRA12_FLOORS),
        (EXTRA13, EXTRA13_FLOORS),
        (EXTRA14, EXTRA14_FLOORS),
    ],
    ids=["extra8", "extra10", "extra11", "extra12", "extra13", "extra14"],
)
def test_apart_labels_stay_above_their_floors(
    shared_dir: Path, path: Path, limits: dict[str, tuple[float, float]]
) -> None:
    archive = shared_dir / "corpora" / "regulations.tar.gz"
    if not archive.is_file():
        pytest.skip(f"{archive} is absent")
    measured = measure.run(archive, [path])[1]
    print("\n" + measure.format_table(measured))
    assert measured["tune"]["groups"]["matched"] >= 50
    assert not _below(measured["tune"], limits), measure.format_table(measured)


def test_a_bound_in_brackets_is_another_case(extractor: ConditionExtractor) -> None:
    # 境外职业资格认可目录 一、4.: 65, or 70 in 高精尖产业领域. Read as a second hard bound, a
    # 外籍 applicant of 66 was told both ✗ 65 and ✓ 70 were 必备; as a sub-category's, one of
    # 68 in such a field was told ✗ 65. A lifted limit (可不受学历…限制) requires nothing.
    text = "外籍人员办理工作许可可不受学历、学位、工作经历限制，年龄可放宽至65周岁（高精尖产业领域可放宽至70周岁）。"
    item = _extract(extractor, _article("第四条", "申请人应当具备下列条件：", [text]))[1].conditions
    ages = [(c["field"], c["value"], c["group"]) for c in item if c["field"] == "age_max"]
    assert ages == [("age_max", 65, "g1"), ("age_max", 70, "g1/b")]  # as the labels read it
    assert all(c["group"] == "g1/b" for c in item if "高精尖" in c["span"])
    assert not [c for c in item if "不受" in c["span"]]
    # A bracket that only explains (含本科) leaves the bound before it alone.
    plain = _extract(extractor, _article("第四条", "申请人应当具备下列条件：", ["具有本科以上学历（含本科）。"]))
    assert [(c["field"], c["group"]) for c in plain[1].conditions] == [("education_min", None)]


def test_a_sentence_about_some_applicants_is_a_sub_categorys(extractor: ConditionExtractor) -> None:
    # 法官法 第十二条（六）: the degrees are who may serve fewer years, not required of every
    # judge (a 本科 applicant had failed an any-of of 硕士 or 博士).
    text = "从事法律工作满五年。其中获得法律硕士、法学硕士学位，或者获得法学博士学位的，"
    text += "从事法律工作的年限可以分别放宽至四年、三年；"
    item = _extract(extractor, _article("第十二条", "担任法官必须具备下列条件：", [text]))[1].conditions
    assert [(c["field"], c["value"], c["group"]) for c in item if c["field"] != "other"] == [
        ("years_experience_min", 5, None),
        ("education_min", "硕士", "sub"),
        ("education_min", "博士", "sub"),
    ]


def test_classes_a_list_names_among_others_are_no_requirement(extractor: ConditionExtractor) -> None:
    # 青岛市职业教育条例 第四十一条 names 高校毕业生 and 高中毕业生 among 失业人员 and 退役士兵:
    # a 初中 graduate of that very list had been told 大专 and 高中 were required.
    text = "第四十一条 本市城镇登记失业人员、退役士兵、高校毕业生、未继续升学的应届初中和高中毕业生等参加职业培训，"
    passage = _clause(text + "符合条件的按照规定享受职业培训补贴。", ["第四十一条"], "article", "benefit")
    extractor.extract_document(Document("policy", "某某条例", "k", "s", [passage]))
    assert [(c["field"], c["group"]) for c in passage.conditions] == [("education_min", "sub")] * 2
    # A class alone is still whom the clause addresses.
    alone = _read(extractor, "第九条 八十周岁以上老年人可以免费乘坐公共交通工具。")
    assert alone == [("age_min", 80, False)]
    # What one person must have, listed (上海市节约能源条例 第五十四条), is no list of people.
    had = _read(extractor, "第五十四条 在具有节能专业知识、实际经验以及中级以上技术职称的人员中聘任能源管理负责人。")
    assert had == [("professional_title_min", "中级", False)]
    passage = _clause(
        "第五十四条 在具有节能专业知识、实际经验以及中级以上技术职称的人员中聘任。", ["第五十四条"], "article"
    )
    extractor.extract_document(Document("policy", "某某条例", "k", "s", [passage]))
    assert [c["group"] for c in passage.conditions] == [None]
    # The beneficiaries of a measure, listed (河南省就业促进条例 第十八条): a laid-off 初中
    # applicant had been told 中专/高中 was required for the 小额担保贷款.
    lent = "第十八条 县级以上人民政府应当为登记失业人员、回乡创业农民工、大中专毕业生、复员转业军人等"
    lent += "自主创业人员提供小额担保贷款和贴息扶持。"
    passage = _extract(extractor, [_clause(lent, ["第十八条"], "article", "benefit")])[0]
    assert [c["group"] for c in passage.conditions if c["field"] == "education_min"] == ["sub"]


def test_an_article_saying_why_its_text_exists_requires_nothing(extractor: ConditionExtractor) -> None:
    # 基本医疗卫生与健康促进法 第一条 had required 中国公民 of every applicant (保障公民享有…).
    purpose = "第一条 为了发展医疗卫生与健康事业，保障公民享有基本医疗卫生服务，根据宪法，制定本法。"
    assert _read(extractor, purpose) == []
    assert _read(extractor, "第九条 为本市户籍的老年人，可以申请补贴。") != []  # 为 of another sense


def test_who_a_refusal_is_about_is_no_refused_origin(extractor: ConditionExtractor) -> None:
    # 兵役法 第五条 had refused every citizen (不得属于：中国公民), the 劳动争议 interpretation
    # every foreigner; what is refused is the qualifier, 被剥夺政治权利 or 未取得就业证件.
    for text in (
        "第五条 依照法律被剥夺政治权利的公民，不得服兵役。",
        "第十四条 外国人、无国籍人未依法取得就业证件即与用人单位签订劳动合同的，人民法院不予支持。",
    ):
        passage = _clause(text, ["第九条"], "article", "general")
        extractor.extract_document(Document("policy", "某某条例", "k", "s", [passage]))
        assert not [c for c in passage.conditions if c["field"] == "origin"], text
    residence = _clause("第十二条 非本市户籍的公民，不得在本市申请举行集会。", ["第十二条"], "article", "general")
    extractor.extract_document(Document("policy", "某某条例", "k", "s", [residence]))
    assert [(c["field"], c["negated"]) for c in residence.conditions] == [("residence_or_employment", True)]


def test_the_person_after_alternatives_is_every_alternatives(extractor: ConditionExtractor) -> None:
    # 注册会计师法 第八条: 中国公民 had been read with the title's branch only, so a foreigner
    # with a 大专 diploma was told he might sit the exam.
    text = "第八条 具有高等专科以上学校毕业的学历、或者具有会计或者相关专业中级以上技术职称的中国公民，"
    text += "可以申请参加考试。"
    passage = _clause(text, ["第八条"], "article", "condition")
    extractor.extract_document(Document("policy", "某某法", "k", "s", [passage]))
    origins = [c["group"] for c in passage.conditions if c["field"] == "origin"]
    assert origins == ["g1/a", "g1/b"]


def test_what_a_sentence_says_of_the_applicant_is_required(extractor: ConditionExtractor) -> None:
    # Nothing was read: no requirement verb (应当具备), no consequence (…的，可以…).
    def fields(text: str) -> list[tuple[str, Any]]:
        return _fields(_extract(extractor, [_clause(text, ["第十条"], "article")])[0])

    assert fields("第十条 申请人应当年满十八周岁，具有本科以上学历。") == [("age_min", 18), ("education_min", "本科")]
    assert fields("第十条 申请人年龄应当在四十五周岁以下。") == [("age_max", 45)]  # no 年龄应当在 left over
    assert ("years_experience_min", 5) in fields("第十条 申报人员应当在本市从事专业技术工作5年以上。")
    # A duty to act requires nothing of who the applicant is.
    assert fields("第十条 申请人应当向区人力资源社会保障局提交下列材料：") == []
    for duty in ("申请人应当对其申请材料实质内容的真实性负责。", "申请人应当在规定期限内补正材料。"):
        assert _extract(extractor, [_clause("第十条 " + duty, ["第十条"], "article")])[0].conditions == []


def test_a_limit_lifted_for_some_is_a_sub_categorys(extractor: ConditionExtractor) -> None:
    text = "第九条 申请人应当具有本科以上学历。具有博士学位的，可以不受工作年限限制。"
    (passage,) = _extract(extractor, [_clause(text, ["第九条"], "article")])
    groups = {c["value"]: c["group"] for c in passage.conditions if c["field"] == "education_min"}
    assert groups == {"本科": None, "博士": "sub"}  # a 本科 applicant was refused for lacking the 博士


def test_a_unit_that_dismissed_the_applicant_is_no_unit_type(extractor: ConditionExtractor) -> None:
    # 驻外外交人员法 第七条（三）: every civil servant had been told 不属于：单位类型为机关 ✗.
    lead = "有下列情形之一的，不得任用为驻外外交人员："
    item = _extract(extractor, _article("第七条", lead, ["曾被国家机关辞退的；"]))[1]
    assert [c["field"] for c in item.conditions] == ["other"]


def test_an_authoritys_step_leaves_the_rest_of_its_chunk(extractor: ConditionExtractor) -> None:
    # 出境入境管理法 第十四条: 定居国外 had been lost with …财产登记等事务 (登记 is a step).
    text = "第十四条 定居国外的中国公民在中国境内办理金融、财产登记等事务需要提供身份证明的，"
    text += "可以凭本人的护照证明其身份。"
    passage = _extract(extractor, [_clause(text, ["第十四条"], "article", "benefit")])[0]
    assert ("other", "定居国外") in [(c["field"], c["value"]) for c in passage.conditions]


def test_a_title_one_is_promoted_to_and_either_school_of_a_pair(extractor: ConditionExtractor) -> None:
    # 医师法 第四十六条第二款: 副高级 is the title applied for, not one to hold already.
    promoted = "第四十六条 执业医师晋升为副高级技术职称的，应当有累计一年以上在县级以下医疗卫生机构工作的经历。"
    assert "professional_title_min" not in {
        f for f, _ in _fields(_extract(extractor, [_clause(promoted, ["第四十六条"], "article")])[0])
    }
    # 初高中毕业生 are 初中 or 高中 graduates: 初中 had been told 要求中专/高中及以上学历.
    pair = "第四十二条 对有就业和培训要求的初高中毕业生，实行三个月以上十二个月以内的预备培训。"
    passage = _extract(extractor, [_clause(pair, ["第四十二条"], "article", "benefit")])[0]
    assert ("education_min", "初中") in _fields(passage)


def test_a_second_age_case_the_law_also_applies_to(extractor: ConditionExtractor) -> None:
    # 广州市青年创新创业促进条例 第二条第二款: ≤35, or 36 to 44 in the listed industries
    # (参照适用本条例); a 40-year-old in them had been told 要求35周岁以下.
    text = "第二条 本条例所称的青年，其年龄在三十五周岁以下。超过三十五周岁不满四十五周岁的个人"
    text += "从事新一代信息技术等战略性新兴产业领域的创新创业，参照适用本条例。"
    passage = _extract(extractor, [_clause(text, ["第二条"], "article", "general")])[0]
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
    passage = _extract(extractor, [_clause(text, ["第四十条"], "article", "general")])[0]
    assert [(c["value"], c["group"]) for c in passage.conditions] == [(["外籍"], "g1/a"), (["港澳台"], "g1/b")]
    # 留学回国 goes with 中国公民: both stay required.
    both = "第九条 具有中国国籍的留学回国人员，可以申请。"
    passage = _extract(extractor, [_clause(both, ["第九条"], "article", "benefit")])[0]
    assert all(c["group"] is None for c in passage.conditions if c["field"] == "origin")
