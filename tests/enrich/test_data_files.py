"""The domain tables in knowledge/data/: they load, hold what the brief needs, and a broken
file fails with a message naming the file and the problem."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from analysis.words import Analyzer
from ingest.enrich.clause_model import ClauseModel
from knowledge import categories, tables
from knowledge.clause_cues import CUE_PLACES, load_clause_cues
from knowledge.tables import DATA_DIR, DataFileError
from knowledge.userdict import USERDICT, build_userdict

SIX_TEAMS = {"党政人才", "企业经营管理人才", "专业技术人才", "高技能人才", "农村实用人才", "社会工作人才"}


def test_agencies_table() -> None:
    agencies = tables.load_agencies()
    assert len(agencies) >= 60
    by_name = {a.name: a for a in agencies}
    assert {"national", "municipal", "district"} == {a.level for a in agencies}
    assert "京人社" in by_name["北京市人力资源和社会保障局"].docnum_prefixes
    assert "市人社局" in by_name["北京市人力资源和社会保障局"].aliases
    assert by_name["国务院"].level == "national"
    assert tables.load_region_codes() >= {"京", "沪"}


def test_talent_categories_table() -> None:
    categories = {c.name: c for c in tables.load_talent_categories()}
    assert {n for n, c in categories.items() if c.group == "national_team"} == SIX_TEAMS
    assert "技能大师" in categories["高技能人才"].aliases
    assert "外籍人员" in categories["海外人才"].in_context and "人才" in categories["海外人才"].context


def test_cues_and_lifecycle() -> None:
    cues = tables.load_eligibility_cues()
    regex = cues.sentence_regex()
    assert regex.search("申报市级工作室应同时符合以下条件：")
    assert regex.search("按照每个工作室30万元的标准给予一次性资助")
    assert not regex.search("2022年北京市地区生产总值达到4.16万亿元")
    # Policy clauses are eligible by clause type (clause_cues.json), not by these cues.
    assert "catalogue_entry" in cues.kinds and not {"policy", "chapter"} & cues.kinds
    assert "办法" in tables.load_lifecycle().doc_types


def test_clause_cues_table() -> None:
    cues = load_clause_cues()
    assert sorted(cues.types) == sorted(tables.CLAUSE_TYPES) and cues.default in cues.types
    assert {c.where for c in cues.cues} == set(CUE_PLACES)
    assert {c.type for c in cues.cues} == set(tables.CLAUSE_TYPES)  # every type has a cue
    text = "申报市级工作室应同时符合以下条件:"
    votes = {kind for pattern, kind, _ in cues.alternatives("text") if re.search(pattern, text)}
    assert "condition" in votes


def test_generic_agencies_and_official_titles() -> None:
    generic = {a.name for a in tables.load_agencies() if a.generic}
    assert {"区人民政府", "区人力资源和社会保障局", "区委组织部"} <= generic
    assert "北京市人民政府" not in generic
    assert {"书记", "市长", "总理"} <= set(tables.load_official_titles())
    assert "政府特殊津贴" in tables.load_named_after()


def test_query_side_files() -> None:
    stop = tables.load_word_list(DATA_DIR / "query_stopwords.txt")
    assert {"怎么办", "多少", "哪些", "什么", "如何", "吗", "呢", "的"} <= set(stop)
    groups = tables.load_synonyms()
    assert any({"绿卡", "永久居留身份证"} <= set(g) for g in groups)
    assert tables.load_word_list(DATA_DIR / "terms.txt")


def test_userdict_is_up_to_date() -> None:
    current = USERDICT.read_text(encoding="utf-8").splitlines()
    assert current == build_userdict(None), "userdict.txt is stale: run scripts/build_userdict.py"


def test_userdict_words_stay_whole_and_no_name_is_mis_split() -> None:
    analyzer = Analyzer(USERDICT)
    taught = [line.split()[0] for line in USERDICT.read_text(encoding="utf-8").splitlines()]
    assert [w for w in taught if len(analyzer.words(w)) != 1] == []
    assert [t.text for t in analyzer.words("由市人社局负责")] == ["由", "市人社局", "负责"]
    # Every name is either one word or a sequence of real words (技能大师工作室 → 技能/大师/
    # 工作室), never cut into a one-character fragment (市人社局 → 市/人社/局 without the
    # dictionary).
    names = [w for a in tables.load_agencies() for w in (a.name, *a.aliases)]
    names += [w for c in tables.load_talent_categories() for w in (c.name, *c.aliases)]
    fragmented = {
        w: [t.text for t in analyzer.words(w)]
        for w in names
        if re.fullmatch(r"[\u4e00-\u9fff]+", w) and any(len(t.text) < 2 for t in analyzer.words(w))
    }
    assert fragmented == {}


def test_domain_terms_are_taught_compounds_included() -> None:
    # Compounds of real words are taught too (技能大师工作室 = 技能/大师/工作室): the query
    # side reaches their parts through sub-words and character phrases.
    taught = {line.split()[0] for line in USERDICT.read_text(encoding="utf-8").splitlines()}
    assert {"技能大师工作室", "工作居住证", "境外职业资格", "职称", "高精尖"} <= taught
    assert {"市人社局", "人社局", "领办人"} <= taught


# --- malformed files -------------------------------------------------------------------


def _broken(tmp_path: Path, name: str, edit: Callable[[Any], Any]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(edit(json.loads((DATA_DIR / name).read_text("utf-8"))), ensure_ascii=False), "utf-8")
    return path


def _set_first(key: str, field: str, value: Any) -> Callable[[Any], Any]:
    def edit(doc: Any) -> Any:
        doc[key][0][field] = value
        return doc

    return edit


@pytest.mark.parametrize(
    ("name", "edit", "loader", "message"),
    [
        ("agencies.json", _set_first("agencies", "level", "provincial"), tables.load_agencies, "level must be one of"),
        (
            "agencies.json",
            _set_first("agencies", "aliases", ["市教委"]),
            tables.load_agencies,
            "'市教委' is claimed by both",
        ),
        ("agencies.json", _set_first("agencies", "aliases", "市委"), tables.load_agencies, "aliases must be a list"),
        ("agencies.json", _set_first("agencies", "docnum_prefixes", ["京人社"]), tables.load_agencies, "docnum prefix"),
        ("agencies.json", lambda d: {"agencies": []}, tables.load_agencies, "non-empty list"),
        (
            "agencies.json",
            _set_first("agencies", "generic", "yes"),
            tables.load_agencies,
            "generic must be true or false",
        ),
        ("agencies.json", _set_first("agencies", "generic", True), tables.load_agencies, "is generic and cannot issue"),
        ("agencies.json", lambda d: {**d, "official_titles": "书记"}, tables.load_official_titles, "must be a list"),
        ("agencies.json", lambda d: {**d, "named_after": [""]}, tables.load_named_after, "named_after"),
        (
            "agencies.json",
            lambda d: {**d, "category_issuers": {"行政法规": ["国务院办公室"]}},
            categories.load_category_issuers,
            "is not an agency of the table",
        ),
        (
            "agencies.json",
            lambda d: {**d, "issuer_folders": {"categories": "部门规章"}},
            categories.load_issuer_folders,
            "issuer_folders.categories",
        ),
        ("clause_cues.json", _set_first("cues", "type", "perk"), load_clause_cues, "type must be one of"),
        ("clause_cues.json", _set_first("cues", "where", "title"), load_clause_cues, "where must be one of"),
        ("clause_cues.json", _set_first("cues", "weight", 0), load_clause_cues, "must be a positive integer"),
        (
            "clause_cues.json",
            _set_first("cues", "patterns", ["给予(资助"]),
            load_clause_cues,
            "not a valid regex",
        ),
        ("clause_cues.json", _set_first("cues", "patterns", ["(资助)?"]), load_clause_cues, "empty string"),
        ("clause_cues.json", _set_first("cues", "phrases", ["法律责任", "法律责任"]), load_clause_cues, "twice"),
        ("clause_cues.json", _set_first("cues", "phrases", ["考核", "管理考核"]), load_clause_cues, "contains"),
        ("clause_cues.json", lambda d: {**d, "types": d["types"][:-1]}, load_clause_cues, "must list each of"),
        ("clause_cues.json", lambda d: {**d, "default": "perk"}, load_clause_cues, "'default' must be one of"),
        (
            "clause_cues.json",
            lambda d: {k: v for k, v in d.items() if k != "rest_divisor"},
            load_clause_cues,
            "missing rest_divisor",
        ),
        (
            "talent_categories.json",
            _set_first("categories", "name", ""),
            tables.load_talent_categories,
            "non-empty string",
        ),
        (
            "talent_categories.json",
            _set_first("categories", "colour", "x"),
            tables.load_talent_categories,
            "unknown keys",
        ),
        (
            "eligibility_cues.json",
            lambda d: {**d, "patterns": ["给予(资助"]},
            tables.load_eligibility_cues,
            "not a valid regex",
        ),
        ("doc_lifecycle.json", lambda d: {**d, "repeal_verbs": []}, tables.load_lifecycle, "must not be empty"),
        ("synonyms.json", lambda d: {"groups": [["绿卡"]]}, tables.load_synonyms, "at least two words"),
        ("clause_model.json", lambda d: {**d, "feature_version": 0}, ClauseModel.load, "feature_version must be"),
        ("clause_model.json", lambda d: {**d, "types": d["types"][:-1]}, ClauseModel.load, "must list each of"),
        ("clause_model.json", lambda d: {**d, "weights": {"bias": [1, 2]}}, ClauseModel.load, "5 finite numbers"),
        ("clause_model.json", lambda d: {**d, "weights": {}}, ClauseModel.load, "non-empty object"),
    ],
)
def test_malformed_file_is_reported(
    tmp_path: Path, name: str, edit: Callable[[Any], Any], loader: Callable[[Path], Any], message: str
) -> None:
    path = _broken(tmp_path, name, edit)
    with pytest.raises(DataFileError) as err:
        loader(path)
    assert str(path) in str(err.value)
    assert message in str(err.value)


def test_invalid_json_names_line(tmp_path: Path) -> None:
    path = tmp_path / "agencies.json"
    path.write_text('{\n  "agencies": [\n    {"name": "x",}\n  ]\n}\n', "utf-8")
    with pytest.raises(DataFileError, match=r"agencies\.json: invalid JSON at line 3"):
        tables.load_agencies(path)


def test_parent_cycle_is_reported(tmp_path: Path) -> None:
    def cycle(doc: Any) -> Any:
        by_name = {c["name"]: c for c in doc["categories"]}
        by_name["技能人才"]["parent"] = "高技能人才"
        return doc

    with pytest.raises(DataFileError, match="parent cycle"):
        tables.load_talent_categories(_broken(tmp_path, "talent_categories.json", cycle))


def test_word_list_rejects_spaces(tmp_path: Path) -> None:
    path = tmp_path / "terms.txt"
    path.write_text("职称\n技能 大师\n", "utf-8")
    with pytest.raises(DataFileError, match="line 2"):
        tables.load_word_list(path)


def test_aliases_in_context_need_their_context_words(tmp_path: Path) -> None:
    bad = tmp_path / "talent_categories.json"
    entry = {"name": "海外人才", "aliases": [], "in_context": ["外国人"], "group": "cross_cutting"}
    bad.write_text(json.dumps({"categories": [entry]}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DataFileError, match="in_context and context go together"):
        tables.load_talent_categories(bad)


def test_the_clause_model_is_read_once_per_version_of_its_file(tmp_path: Path) -> None:
    """Every ingest builds a pipeline: the model is read once, and again when it changes."""
    path = tmp_path / "clause_model.json"
    root = json.loads((DATA_DIR / "clause_model.json").read_text(encoding="utf-8"))
    path.write_text(json.dumps(root, ensure_ascii=False), encoding="utf-8")
    first = ClauseModel.load(path)
    assert ClauseModel.load(path) is first
    root["weights"] = {"bias": [1, 0, 0, 0, 0]}
    path.write_text(json.dumps(root, ensure_ascii=False), encoding="utf-8")
    changed = ClauseModel.load(path)
    assert changed is not first and changed.weights == {"bias": (1.0, 0.0, 0.0, 0.0, 0.0)}
