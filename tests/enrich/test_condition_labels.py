"""Eligibility conditions (ingest/enrich/conditions.py) against the hand labels of
tests/data/conditions*.jsonl on passages made by the real pipeline
(``scripts/measure_conditions.py``); the hand-made clauses are in test_conditions.py.

The book's policies are always measured; the labelled regulations come from
../shared/corpora/regulations.tar.gz (skipped with a reason when it is absent). Target:
precision and recall ≥ 0.90 for each structured field with at least 5 labels in the tune
split (which the cues were fitted on); the holdout split (which they were not) is reported.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from knowledge.eligibility import FIELDS

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
