"""Clause types (ingest/enrich/clause_types.py) against the hand labels of
tests/data/clause_types.jsonl and clause_types-extra.jsonl, on passages made by the real
pipeline.

The book's three policy texts are always measured; the regulations come from
../shared/corpora/regulations.tar.gz (skipped with a reason when it is absent). Targets:
precision and recall of ``condition`` and ``benefit`` ≥ 0.90 on the tune labels of
clause_types.jsonl (which the cues were first fitted on) and ≥ 0.80 on the holdout split
(which they never were). The later tune labels (clause_types-extra.jsonl, six laws on
unemployment insurance, employment aid, training; clause_types-extra2.jsonl and
clause_types-extra3.jsonl and clause_types-extra4.jsonl, five more each; -extra5.jsonl, four;
-extra6.jsonl and -extra7.jsonl, five each; -extra8.jsonl, six; -extra9.jsonl, five; -extra10.jsonl,
eight; -extra11.jsonl, five) keep a floor below their measure.

Since the clause model (ingest/enrich/clause_model.py) is fitted on every tune label, the
tune figures are in-sample: they guard the matching and the model file, not how the types
carry to unseen laws. That is measured by the holdout and by fitting the model without the
latest label file and typing that file (test_model_carries_to_a_label_file_it_did_not_see).

The rules on hand-made clauses are in test_clause_type_rules.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from ingest.model import ELIGIBLE_CLAUSE_TYPES, Document, Passage
from knowledge.tables import DATA_DIR

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
import measure_clause_types as measure  # noqa: E402
import train_clause_model as train  # noqa: E402

BOOK = "corpus/北京人才发展报告2023.txt"


TUNE_TARGET = 0.90


HOLDOUT_TARGET = 0.80


# Measured on the holdout split: condition P 0.88 R 0.78, benefit P 0.95 R 0.84. The floor
# guards against regressions; the target test below is a strict xfail until it is met.
HOLDOUT_FLOOR = 0.75


# Measured on clause_types-extra.jsonl: condition P 0.76 R 0.64 (a definition list of
# 就业困难人员 the cues read as a definition), benefit P 0.76 R 0.86. Before the cues saw
# them: condition 0.67/0.40, benefit 0.45/0.71 (first 177 units).
EXTRA_FLOOR = 0.60


# clause_types-extra2.jsonl (five laws on veterans, employment, continuing education),
# scored before any cue saw them: accuracy 0.60, condition 0.77/0.59, benefit 0.81/0.52;
# after (tax relief, 优待/抚恤, 享受…优惠, funding and review duties): accuracy 0.70,
# condition 0.81/0.59, benefit 0.85/0.71, every other figure unchanged.
EXTRA2_FLOOR = 0.55


# clause_types-extra3.jsonl (five laws on veterans' pensions, rewards for reporting, work
# injury insurance, rewards for bravery, disability), scored before any cue saw them:
# accuracy 0.63, condition 0.71/0.20, benefit 0.65/0.76; after (recognition lists 符合下列
# 情形之一的，批准为…, refusals 不予奖励, 符合下列条件的… before any benefit, 通过下列方式,
# payments 发给…费/金): accuracy 0.78, condition 0.93/0.78, benefit 0.74/0.88.
EXTRA3_FLOOR = 0.70


# clause_types-extra4.jsonl (学位法, 劳动就业服务企业管理规定, two science-promotion laws, the
# 华侨 rights of 广东), scored before any cue saw them: accuracy 0.54, condition 0.67/0.21,
# benefit 0.52/0.48; after (授予条件 headings, 达到下列…水平的, an authority's 的职责是 list,
# 给予…优惠): accuracy 0.65, condition 0.81/0.59, benefit 0.54/0.52. Promotion clauses
# (鼓励…, 应当建立…) stay hard: rule 10 of clause_types.md turns on who they name.
EXTRA4_FLOOR = 0.45


# clause_types-extra5.jsonl (农村五保供养工作条例, 上海市征兵工作条例, 北京市见义勇为人员奖励和
# 保护条例, 自然灾害救助条例), scored at the start of the session: accuracy 0.64, benefit
# 0.76/0.52; with this session's earlier cues, before any saw it: 0.67, benefit 0.71/0.67;
# after (登记/审查/审定 headings, 款物管理, 所需经费…由, a definition of a kind of person by
# its criteria 所称…人员是指): accuracy 0.75, benefit 0.73/0.67, procedure 0.81/0.81. Its
# four condition units are too few for a floor.
EXTRA5_FLOOR = 0.60


# clause_types-extra6.jsonl (河南省警务辅助人员条例, 河南省法律援助条例, 残疾人保障法, 山东省
# 老年教育条例, 广东省散居少数民族权益保障条例), scored at the start of the session:
# accuracy 0.71, condition 0.90/0.32, benefit 0.61/0.72; after (refusals 不得招聘为…, a
# list refusing what it follows 有下列情形之一的，不予法律援助 whatever its chapter, a person
# defined by criteria 残疾人是指…): accuracy 0.74, condition 0.95/0.68. Its benefit
# extras are declarations of rights (国家保障残疾人享有…的权利) the labels read as general.
EXTRA6_FLOOR = 0.45


# clause_types-extra7.jsonl (现役士兵服役条例, 社会救助暂行办法, 宁波市辅警管理规定, 浙江省司法
# 鉴定管理条例, 济南市残疾人权益规定), scored before any cue saw it: accuracy 0.70,
# condition 0.98/0.55, benefit 0.80/0.66; after (a list of who may apply 下列人员可以申请,
# a refusal with its subject 有下列情形之一的，…不得受理, 符合…规定的，可以提前…, relief given
# 给予/提供…救助, then 符合…规定的…可以申请 and a person 有下列情形之一的，可以…): accuracy
# 0.74, condition 0.98/0.71, benefit 0.79/0.71. Military rank and
# promotion rules (授予…军衔) stay general: no cue says who they name.
EXTRA7_FLOOR = 0.65


# clause_types-extra8.jsonl (山东省养老服务条例, 上海市实施残疾人保障法办法, 上海市老年人权益
# 保障条例, 北京市促进中小企业发展条例, 人口与计划生育法, 河南省发展民营科技企业条例), scored
# before any cue saw it: accuracy 0.67, condition 0.25/0.06, benefit 0.62/0.74; after (an
# item that defines a person or household by criteria, (四)失能老年人，是指…; aid to a list
# of people, 对下列老年人…给予; encouragement of third parties, 鼓励单位和个人…, as rule 10's
# general; price deductions and 优先予以 as benefits): accuracy 0.70, condition 0.75/0.50,
# benefit 0.66/0.75. Its benefit extras are duties of government to provide services
# without a named instrument (应当…为残疾人提供…服务), which rule 10 reads as general.
EXTRA8_FLOOR = 0.45


# clause_types-extra9.jsonl (蓄滞洪区运用补偿暂行办法, 退耕还林条例, 杭州市征收集体所有土地房屋
# 补偿条例, 上海市实施归侨侨眷权益保护法办法, 洛阳市专利促进与保护条例), scored before any cue
# saw it: accuracy 0.60, condition 1.00/0.21, benefit 0.55/0.58; after (有下列情形之一的，可以
# 增加/享受…; 不予安置/补偿 refuses; 给予…补偿 with words between; 优先办理): accuracy 0.65,
# condition 1.00/0.55, benefit 0.55/0.63. Its benefit extras are compensation rules the labels
# read as general or procedure, its misses resettlement standards (安置面积为…). Then aid given
# to people the clause describes (国家对…的家庭，给予…): extra7 condition recall 0.71 -> 0.75,
# extra8 0.50 -> 0.56.
EXTRA9_FLOOR = 0.50


# clause_types-extra10.jsonl (401 units of 8 texts: 公安机关组织管理条例, 政府参事工作条例, 河南
# 献血 and 经纪人 and 安置教育, 上海少数民族权益, 济南妇女权益, 汕尾农村建房), scored before
# anything saw it: the cues 0.73, condition 0.87/0.77, benefit 0.83/0.65; the model fitted
# without it 0.77, condition 0.91/0.74, benefit 0.80/0.75.
EXTRA10_FLOOR = 0.70


# clause_types-extra11.jsonl (333 units of 5 texts: 山东 and 景宁 cultural heritage, 宁波
# domestic violence, 浙江 AIDS prevention and village elections), scored before anything saw
# it: the cues 0.70, condition 0.93/0.72, benefit 0.83/0.63; the model fitted before it
# 0.76, condition 0.96/0.75, benefit 0.76/0.68.
EXTRA11_FLOOR = 0.60


# clause_types-holdout3.jsonl (304 units of 5 texts: 居住证暂行条例, 国家科学技术奖励条例,
# 北京市居家养老服务条例, 重庆市城乡居民最低生活保障条例, 上海市人才流动条例), labelled by
# reading only and scored once before anything saw it: accuracy 0.83, condition 0.97/0.69,
# benefit 0.77/0.82. It stays apart (its errors are not read), so its floor guards the
# unseen figure against a cue or model change that would only fit the tune labels.
HOLDOUT3 = measure.REPO / "tests" / "data" / "clause_types-holdout3.jsonl"


HOLDOUT3_FLOOR = 0.65


# A model fitted without one of the latest label files must type that file at least this
# well and at least as well as the cues (extra10: 0.77 against 0.73; extra11: 0.76 against
# 0.70; extra12, five rural and property laws far from talent policy: 0.63 against 0.54;
# extra13, six State Council rules on licences, foundations and investors: 0.78).
UNSEEN_ACCURACY = {
    "clause_types-extra11.jsonl": 0.73,
    "clause_types-extra12.jsonl": 0.60,
    "clause_types-extra13.jsonl": 0.74,
}


# clause_types-extra14.jsonl (395 units of six local rules on farmers' cooperatives, township
# enterprises, development zones, imported technology and farm funds), labelled by reading
# only and scored before anything saw it: accuracy 0.67 (the cues 0.62), condition 0.92/0.37,
# benefit 0.50/0.68. Fitted on, it lowered the holdout's benefit precision below its floor
# (0.75 -> 0.72), so it stays apart: a measure of the committed model on texts it never saw.
# clause_types-extra15.jsonl (406 units of seven 山东 and 河南 rules: private economy,
# wasteland, honorary citizens, 台胞 investment, a city's property market, sport, seed
# maize), scored the same way: accuracy 0.68, condition 0.90/0.45 (53 of its 77 condition
# units list which properties may be sold or mortgaged, rule 1 applied to things), benefit
# 0.67/0.60; without the property rules 0.77. Fitted on together with extra14, the holdout's
# benefit precision fell again (0.75 -> 0.71, holdout3 0.78 -> 0.69): apart too.
APART = {
    "extra14": (measure.REPO / "tests" / "data" / "clause_types-extra14.jsonl", 0.64),
    "extra15": (measure.REPO / "tests" / "data" / "clause_types-extra15.jsonl", 0.65),
}


APPLICANT_TYPES = ("condition", "benefit")


@pytest.fixture(scope="module")
def book() -> list[Document]:
    return measure.ingest_sources([BOOK], None)[BOOK]


@pytest.fixture(scope="module")
def book_matches() -> list[measure.Match]:
    matches, _ = measure.run(None)
    return matches


@pytest.fixture(scope="module")
def archive(shared_dir: Path) -> Path:
    """The regulations archive the labels of regulations were read from."""
    path = shared_dir / "corpora" / "regulations.tar.gz"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return path


@pytest.fixture(scope="module")
def tables(archive: Path) -> dict[str, dict[str, dict[str, float]]]:
    matches, tables = measure.run(archive)
    assert all(m.passage is not None for m in matches), [m.label for m in matches if m.passage is None]
    print("\n" + measure.format_table(tables))
    return tables


def _below(
    table: dict[str, dict[str, float]], target: float, kinds: tuple[str, ...] = APPLICANT_TYPES
) -> dict[str, float]:
    return {
        f"{kind} {metric}": table[kind][metric]
        for kind in kinds
        for metric in ("precision", "recall")
        if table[kind][metric] < target
    }


def test_every_book_label_finds_its_passage(book_matches: list[measure.Match]) -> None:
    assert book_matches and all(m.passage is not None for m in book_matches)
    assert {m.label["document"] for m in book_matches} == {
        "北京市技能大师工作室建设管理办法",
        "北京市人力资源和社会保障局 北京市人才工作局 关于 印发《北京市境外职业资格认可目录(3.0版)》的通知",
        "关于进一步推动首都高质量发展取得 新突破的行动方案（2023~2025年）",
    }


def test_eligibility_means_condition_or_benefit(book: list[Document]) -> None:
    clauses = [p for d in book for p in d.passages if p.kind == "policy"]
    assert clauses and all(p.clause_type is not None for p in clauses)
    assert all(p.eligibility == (p.clause_type in ELIGIBLE_CLAUSE_TYPES) for p in clauses)
    others = [p for d in book for p in d.passages if p.kind != "policy"]
    assert all(p.clause_type is None for p in others)
    # Report prose is never eligible, whatever it says.
    assert not any(p.eligibility for d in book if d.kind == "report_chapter" for p in d.passages)


def test_skills_workshop_policy(book: list[Document]) -> None:
    (policy,) = [d for d in book if d.title == "北京市技能大师工作室建设管理办法"]
    types = {p.locator: p.clause_type for p in policy.passages if p.kind == "policy"}
    assert types["第四条"] == types["第四条（一）"] == types["第四条（二）"] == "condition"
    assert types["第九条"] == types["第九条（一）"] == "procedure"  # 申报材料
    assert types["第二十条"] == "benefit"  # 30万元 一次性资助
    # Name plates and funding-use rules bind the workshop; they are not what it gets.
    assert types["第十一条"] == "obligation"  # 铭牌统一制发
    assert types["第二十三条"] == "obligation"  # 专款专用
    assert types["第十八条"] == types["第十八条（一）"] == "obligation"  # 取消称号, 追回资金
    assert types["第一条"] == types["第二十八条"] == "general"
    eligible = [p for p in policy.passages if p.kind == "policy" and p.eligibility]
    assert len(eligible) < 21  # the old flag marked 21 of its 43 passages


def test_book_notice_items_take_the_section_lead_in(book: list[Document]) -> None:
    (notice,) = [d for d in book if d.title.startswith("北京市境外职业资格认可目录")]
    types = {p.locator: p.clause_type for p in notice.passages if p.kind == "policy"}
    # 一 …享受以下便利化服务： → its numbered items are benefits.
    assert {types[f"一、{n}."] for n in range(1, 7)} == {"benefit"}


@pytest.mark.shared
def test_tune_split_meets_its_targets(tables: dict[str, dict[str, dict[str, float]]]) -> None:
    assert not _below(tables["tune:clause_types"], TUNE_TARGET), measure.format_table(tables)


# The later tune files: (file, fewest units, floor, types held to it, lowest accuracy).
# extra5 has four condition units, too few for a floor: its benefits and accuracy are held.
LATER_TUNE = [
    ("clause_types-extra", 200, EXTRA_FLOOR, APPLICANT_TYPES, 0.0),
    ("clause_types-extra2", 200, EXTRA2_FLOOR, APPLICANT_TYPES, 0.0),
    ("clause_types-extra3", 300, EXTRA3_FLOOR, APPLICANT_TYPES, 0.0),
    ("clause_types-extra4", 300, EXTRA4_FLOOR, APPLICANT_TYPES, 0.0),
    ("clause_types-extra5", 180, EXTRA5_FLOOR, ("benefit",), 0.70),
    ("clause_types-extra6", 330, EXTRA6_FLOOR, APPLICANT_TYPES, 0.70),
    ("clause_types-extra7", 380, EXTRA7_FLOOR, APPLICANT_TYPES, 0.70),
    ("clause_types-extra8", 420, EXTRA8_FLOOR, APPLICANT_TYPES, 0.68),
    ("clause_types-extra9", 280, EXTRA9_FLOOR, APPLICANT_TYPES, 0.63),
    ("clause_types-extra10", 400, EXTRA10_FLOOR, APPLICANT_TYPES, 0.73),
    ("clause_types-extra11", 330, EXTRA11_FLOOR, APPLICANT_TYPES, 0.70),
]


@pytest.mark.shared
@pytest.mark.parametrize(("name", "units", "floor", "kinds", "accuracy"), LATER_TUNE)
def test_later_tune_labels_stay_above_their_floor(
    tables: dict[str, dict[str, dict[str, float]]],
    name: str,
    units: int,
    floor: float,
    kinds: tuple[str, ...],
    accuracy: float,
) -> None:
    table = tables[f"tune:{name}"]
    assert table["all"]["labelled"] >= units and table["all"]["accuracy"] >= accuracy
    assert not _below(table, floor, kinds), measure.format_table(tables)


def test_model_is_fitted_on_every_tune_label_file_and_nothing_else() -> None:
    """A label file added to the measure is fitted on too (retrain: scripts/train_clause_model.py)."""
    trained = json.loads((DATA_DIR / "clause_model.json").read_text(encoding="utf-8"))["trained_on"]
    assert trained["labels"] == sorted(path.name for path in measure.DEFAULT_LABELS)
    assert trained["split"] == "tune"


@pytest.fixture(scope="module")
def examples(archive: Path) -> list[train.Example]:
    """Every tune label's clause as the trainer reads it."""
    return train.examples(measure.DEFAULT_LABELS, archive)


@pytest.mark.shared
def test_model_file_is_what_the_trainer_fits_on_the_labels(examples: list[train.Example]) -> None:
    """clause_model.json is reproduced from the labels (weights rounded to 4 places; a
    weight at the pruning edge may fall either side on another machine's arithmetic)."""
    fitted = train.fit(examples)
    committed = json.loads((DATA_DIR / "clause_model.json").read_text(encoding="utf-8"))["weights"]
    edge = 2 * train.PRUNE
    only_one = {n for n in set(fitted) ^ set(committed) if max(map(abs, fitted.get(n) or committed[n])) > edge}
    assert not only_one, sorted(only_one)[:10]
    drift = [
        n
        for n in set(fitted) & set(committed)
        if max(abs(a - b) for a, b in zip(fitted[n], committed[n], strict=True)) > 1e-3
    ]
    assert not drift, drift[:10]


@pytest.mark.shared
@pytest.mark.parametrize("name", sorted(UNSEEN_ACCURACY))
def test_model_carries_to_a_label_file_it_did_not_see(examples: list[train.Example], name: str) -> None:
    unseen = {label["source"] for label in measure.load_labels([measure.REPO / "tests" / "data" / name])}
    fitted = train.as_model(train.fit([e for e in examples if e[2] not in unseen]))
    held = [e for e in examples if e[2] in unseen]
    model = sum(fitted.decide_features(feats) == kind for feats, kind, _ in held) / len(held)
    cues = sum(feats.get(f"cue={kind}") == 1.0 for feats, kind, _ in held) / len(held)
    assert model >= max(UNSEEN_ACCURACY[name], cues), (model, cues)


@pytest.mark.shared
def test_holdout_split_stays_above_its_floor(tables: dict[str, dict[str, dict[str, float]]]) -> None:
    assert not _below(tables["holdout"], HOLDOUT_FLOOR), measure.format_table(tables)


@pytest.mark.shared
@pytest.mark.parametrize(
    ("path", "split", "floor", "accuracy"),
    [(HOLDOUT3, "holdout", HOLDOUT3_FLOOR, 0.0), *((path, "tune", 0.0, floor) for path, floor in APART.values())],
    ids=["holdout3", *APART],
)
def test_label_files_kept_apart_stay_above_their_floors(
    archive: Path, path: Path, split: str, floor: float, accuracy: float
) -> None:
    """The model was never fitted on these files: per type (``floor``) and overall."""
    _, tables = measure.run(archive, [path], splits=(split,))
    table = tables[split]
    assert table["all"]["matched"] == table["all"]["labelled"], table["all"]
    assert table["all"]["accuracy"] >= accuracy and not _below(table, floor), measure.format_table(tables)


@pytest.mark.shared
@pytest.mark.xfail(strict=True, reason="holdout below 0.80: condition recall 0.78")
def test_holdout_split_meets_its_targets(tables: dict[str, dict[str, dict[str, float]]]) -> None:
    assert not _below(tables["holdout"], HOLDOUT_TARGET), measure.format_table(tables)


def test_new_fields_round_trip(book: list[Document]) -> None:
    passages = [p for d in book for p in d.passages if p.clause_type or p.mentioned_agencies]
    assert passages
    for passage in passages[:200]:
        data = passage.to_dict()
        assert data["clause_type"] == passage.clause_type
        assert data["mentioned_agencies"] == passage.mentioned_agencies
        again = Passage(**data)
        assert again.to_dict() == data
