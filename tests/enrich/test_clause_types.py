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
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from ingest.enrich.clause_model import ClauseModel, ClauseView
from ingest.enrich.clause_types import ClauseTyper
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


# --- the book (always there) --------------------------------------------------------------


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


# --- the labelled regulations (../shared) -------------------------------------------------


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


# --- the rules on hand-made clauses --------------------------------------------------------


@pytest.fixture(scope="module")
def typer() -> ClauseTyper:
    return ClauseTyper.from_data()


def _clause(text: str, path: list[str], unit: str, **attrs: object) -> Passage:
    return Passage("policy", text, path, locator="".join(path[1:]), attrs={"unit": unit, **attrs})


def _typed(typer: ClauseTyper, passages: list[Passage]) -> list[str | None]:
    typer.type_document(Document("policy", "某某办法", "k", "s", passages))
    return [p.clause_type for p in passages]


def test_items_take_the_consequence_of_their_lead_in(typer: ClauseTyper) -> None:
    chapter = "第三章 管理"
    passages = [
        _clause(
            "第十条 有下列情形之一的，不予注册：\n（一）被吊销执业证书不满二年的；", [chapter, "第十条"], "article"
        ),
        _clause("（一）被吊销执业证书不满二年的；", [chapter, "第十条", "（一）"], "item"),
        _clause(
            "第十一条 有下列情形之一的，吊销其执业证书：\n（一）以欺骗手段取得注册的；",
            [chapter, "第十一条"],
            "article",
        ),
        _clause("（一）以欺骗手段取得注册的；", [chapter, "第十一条", "（一）"], "item"),
    ]
    assert _typed(typer, passages) == ["condition", "condition", "obligation", "obligation"]


def test_headings_vote(typer: ClauseTyper) -> None:
    passages = [
        _clause("第五条 本办法自2024年1月1日起施行。", ["第六章 附则", "第五条"], "article"),
        _clause("第六条 领办人应当按时报送年度总结。", ["第四章 法律责任", "第六条"], "article"),
        _clause("第七条 市人力资源社会保障局统一组织评审。", ["第三章 申报程序", "第七条"], "article"),
    ]
    assert _typed(typer, passages) == ["general", "obligation", "procedure"]


def test_numbered_items_inherit_only_from_a_colon_lead_in(typer: ClauseTyper) -> None:
    passages = [
        _clause("一 提供便利服务\n持有证书的人员享受以下便利化服务：", ["一、提供便利服务"], "section"),
        _clause("1. 办理工作居住证。", ["一、提供便利服务", "1."], "numbered"),
        _clause("二 总体要求\n坚持首都城市战略定位。", ["二、总体要求"], "section"),
        _clause("1. 统筹规划全市布局。", ["二、总体要求", "1."], "numbered"),
    ]
    types = _typed(typer, passages)
    assert types[:2] == ["benefit", "benefit"]
    assert types[3] == "general"


def test_lists_that_grant_or_stop_a_benefit(typer: ClauseTyper) -> None:
    chapter = "第三章 失业保险待遇"
    passages = [
        _clause(
            "第十四条 具备下列条件的失业人员，可以领取失业保险金：\n（一）已办理失业登记的；",
            [chapter, "第十四条"],
            "article",
        ),
        _clause("（一）已办理失业登记的；", [chapter, "第十四条", "（一）"], "item"),
        _clause(
            "第十五条 失业人员有下列情形之一的，停止领取失业保险金，"
            "并同时停止享受其他失业保险待遇：\n（一）重新就业的；",
            [chapter, "第十五条"],
            "article",
        ),
        _clause("（一）重新就业的；", [chapter, "第十五条", "（一）"], "item"),
        _clause("第十七条 失业保险金的标准，由省人民政府确定。", [chapter, "第十七条"], "article"),
    ]
    assert _typed(typer, passages) == ["condition", "condition", "obligation", "obligation", "benefit"]


def test_a_heading_only_section_votes_its_own_heading(typer: ClauseTyper) -> None:
    passages = [
        _clause("十一、离休、退休问题", ["十一、离休、退休问题"], "section"),
        _clause("十三、本规定适用于国家机关、事业单位。", ["十三、"], "section"),
    ]
    assert _typed(typer, passages) == ["condition", "general"]


def test_parts_of_a_long_clause_keep_its_type(typer: ClauseTyper) -> None:
    path = ["第五章 政策支持", "第二十条"]
    passages = [
        _clause("第二十条 初次认定的，给予一次性资助30万元。", path, "article", part=1),
        _clause("其余部分的文字。", path, "article", part=2),
    ]
    assert _typed(typer, passages) == ["benefit", "benefit"]


def test_other_kinds_get_no_clause_type(typer: ClauseTyper) -> None:
    prose = Passage("chapter", "符合条件的人才可享受住房补贴。", ["一 概况"])
    typer.type_document(Document("report_chapter", "B.1", "B.1", "s", [prose]))
    assert prose.clause_type is None


def test_new_fields_round_trip(book: list[Document]) -> None:
    passages = [p for d in book for p in d.passages if p.clause_type or p.mentioned_agencies]
    assert passages
    for passage in passages[:200]:
        data = passage.to_dict()
        assert data["clause_type"] == passage.clause_type
        assert data["mentioned_agencies"] == passage.mentioned_agencies
        again = Passage(**data)
        assert again.to_dict() == data


def test_recognition_lists_refusals_and_channels(typer: ClauseTyper) -> None:
    chapter = "第二章 奖励条件"
    passages = [
        # Who is recognised (and so receives what follows): a condition, however many
        # benefit words the chapter holds.
        _clause(
            "第八条 有下列情形之一的，应当确认为见义勇为：\n（一）制止违法犯罪的；", [chapter, "第八条"], "article"
        ),
        _clause("（一）制止违法的；", [chapter, "第八条", "（一）"], "item"),
        _clause("第九条 有下列情形之一的，不予奖励：\n（一）无法验证举报人身份的；", [chapter, "第九条"], "article"),
        _clause(
            "第十六条 对符合下列条件之一的遗属，另发给定期抚恤金：\n（一）无生活费来源的；",
            [chapter, "第十六条"],
            "article",
        ),
        _clause("第四条 公民可以通过下列方式举报：\n（一）拨打举报电话；", ["第一章 总则", "第四条"], "article"),
        _clause("第三十条 对残疾军人发给护理费，护理费的标准为：", ["第三章 残疾抚恤", "第三十条"], "article"),
    ]
    types = _typed(typer, passages)
    assert types == ["condition", "condition", "condition", "condition", "procedure", "benefit"]


def test_refusals_of_a_post_or_of_aid_and_persons_defined_by_criteria(typer: ClauseTyper) -> None:
    passages = [
        _clause("第十二条 应聘人员有下列情形之一的，不得招聘为辅警：", ["第二章 招聘", "第十二条"], "article"),
        _clause(
            "第二十三条 对符合本条例规定的申请事项，法律援助机构应当受理。\n有下列情形之一的，不予法律援助：",
            ["第四章 法律援助的程序", "第二十三条"],
            "article",
        ),
        _clause("第二条 残疾人是指在心理、生理上，某种功能丧失或者不正常的人。", ["第一章 总则", "第二条"], "article"),
    ]
    assert _typed(typer, passages) == ["condition", "condition", "condition"]


def test_a_list_of_persons_defined_and_a_list_one_applies_under(typer: ClauseTyper) -> None:
    """A definition of whom a programme serves that opens a list (具体范围包括：) states
    who qualifies, like its items; so does a list one applies under (根据本人申请，可以…)."""
    passages = [
        _clause(
            "第二条 本规定适用于对本市就业困难人员的就业援助。\n本规定所称就业困难人员，是指在法定劳动年龄内，"
            "有劳动能力和就业愿望，处于无业状态并难以实现就业的本市城乡劳动者，具体范围包括：",
            ["第二条"],
            "article",
        ),
        _clause(
            "第十二条 退役士兵有下列情形之一的，根据本人申请，可以由省级以上人民政府安排工作：",
            ["第二章 移交和接收", "第十二条"],
            "article",
        ),
    ]
    assert _typed(typer, passages) == ["condition", "condition"]


def test_the_matters_one_may_apply_under(typer: ClauseTyper) -> None:
    """The matters that open a right to apply (公民对下列需要代理的事项，…的，可以向法律援助
    机构申请) say who qualifies, not how to apply."""
    lead = "第九条 公民对下列需要代理的事项，因经济困难没有委托代理人的，可以向法律援助机构申请法律援助："
    passages = [_clause(lead, ["第二章 法律援助范围", "第九条"], "article")]
    assert _typed(typer, passages) == ["condition"]


def test_a_chapter_on_whom_a_programme_covers_and_the_forms_of_aid(typer: ClauseTyper) -> None:
    """A chapter on who is covered (…范围、对象…) makes its clauses conditions; the forms
    aid takes (采取以下形式) are what one gets, whatever the chapter."""
    chapter = "第三章 法律援助的范围、对象、形式"
    passages = [
        _clause("第十一条 法律援助的范围包括：", [chapter, "第十一条"], "article"),
        _clause("第十五条 法律援助主要采取以下形式：", [chapter, "第十五条"], "article"),
    ]
    assert _typed(typer, passages) == ["condition", "benefit"]


def test_model_weighs_the_features_a_clause_has() -> None:
    """A hand-made model: a bigram of the lead outweighs the cues' own decision."""
    view = ClauseView("第四条 申报人应当具备下列条件", (), "general", {}, {}, (), False, None)
    types = ("condition", "benefit", "procedure", "obligation", "general")
    model = ClauseModel(types, {"cue=general": (0, 0, 0, 0, 1.0), "t2:申报": (2.0, 0, 0, 0, 0)})
    assert model.decide(view) == "condition"
    assert ClauseModel(types, {"cue=general": (0, 0, 0, 0, 1.0)}).decide(view) == "general"


def test_a_criminal_penalty_binds_it_grants_nothing(typer: ClauseTyper) -> None:
    # An offence and its sentence is no 申报条件 and no 待遇 (刑法 had 故意杀人 as a benefit).
    chapter = "第四章 侵犯公民人身权利、民主权利罪"
    passages = [
        _clause(
            "第二百三十二条 故意杀人的，处死刑、无期徒刑或者十年以上有期徒刑；情节较轻的，处三年以上十年以下有期徒刑。",
            [chapter, "第二百三十二条"],
            "article",
        ),
        _clause(
            "第一条 个人非法储存枪支，具有下列情形之一的，依照刑法第一百二十五条的规定定罪处罚："
            "\n（一）储存军用枪支1支以上的；",
            ["第一条"],
            "article",
        ),
        _clause("（一）储存军用枪支1支以上的；", ["第一条", "（一）"], "item"),
    ]
    assert _typed(typer, passages) == ["obligation", "obligation", "obligation"]
