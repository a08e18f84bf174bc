"""Short forms a document defines (以下简称 / 简称 / 下称), read from the text's own markers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.enrich.abbreviations import AbbreviationFinder
from ingest.model import Document, Passage
from ingest.pipeline import segment_file
from knowledge.abbreviations import load_rules
from knowledge.tables import DataFileError


@pytest.fixture(scope="module")
def finder() -> AbbreviationFinder:
    return AbbreviationFinder()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # The phrase since the clause punctuation, after its lead-in (所指).
        (
            "第二条 本办法所指市级技能大师工作室（以下简称“市级工作室”）是经市人力资源社会保障局认定的。",
            [("市级工作室", "市级技能大师工作室")],
        ),
        # 在 leads in; 、 inside a name is part of it.
        (
            "北京法院员额法官的遴选是在北京市法官、检察官遴选委员会（以下简称“遴选委员会”）的统一部署下开展",
            [("遴选委员会", "北京市法官、检察官遴选委员会")],
        ),
        # One definition after another: the previous parenthesis and 和 end the phrase.
        (
            "北京已支持建设北京量子信息科学研究院（简称“量子院”）和北京生命科学研究院（简称“北生所”）等机构。",
            [("量子院", "北京量子信息科学研究院"), ("北生所", "北京生命科学研究院")],
        ),
        # The preceding 《》 title, its 文号 in brackets skipped.
        (
            "最高人民法院《关于深化司法责任制综合配套改革的实施意见》（法发〔2020〕26号）（以下简称《实施意见》）出台后",
            [("实施意见", "关于深化司法责任制综合配套改革的实施意见")],
        ),
        # Quoted names joined by 和, for a short form that counts them.
        (
            "中央支持北京打造“国家服务业扩大开放综合示范区”和“中国（北京）自由贸易试验区”（以下简称“两区”）。",
            [("两区", "国家服务业扩大开放综合示范区和中国（北京）自由贸易试验区")],
        ),
        # A bracketed group inside a name is part of it; a bare short form; 下称.
        (
            "第五条 中国（上海）自由贸易试验区（下称自贸试验区）管理委员会负责",
            [("自贸试验区", "中国（上海）自由贸易试验区")],
        ),
        # Two quoted short forms joined by 或; text after the short form is not part of it.
        (
            "设立北京市人才工作局（以下简称“市人才局”或“人才局”，见附件）",
            [("市人才局", "北京市人才工作局"), ("人才局", "北京市人才工作局")],
        ),
        # 本条例所称 is cut by jieba as 所/称 and still leads in.
        ("本条例所称单用途预付卡（以下简称预付卡），是指", [("预付卡", "单用途预付卡")]),
        # A Latin acronym shares no character with its full name.
        ("结合北京外企人力资源服务有限公司（简称“FESCO”）在全生命周期", [("FESCO", "北京外企人力资源服务有限公司")]),
        # A role name that takes nothing from the name before it is no abbreviation.
        ("本合同由北京某某科技有限公司（以下简称甲方）签订", []),
        # 统称 names a class: not learned.
        ("机关、团体、企业（以下统称单位）应当", []),
        # A cue not at the start of the parenthesis is another kind of remark.
        ("使用自建设施供水的单位(含个体经营者,以下简称用水单位)", []),
    ],
)
def test_definitions_on_literal_strings(finder: AbbreviationFinder, text: str, found: list[tuple[str, str]]) -> None:
    assert finder.find(text) == found


def test_a_document_keeps_each_short_form_with_its_first_defining_passage(finder: AbbreviationFinder) -> None:
    doc = Document(kind="policy", title="办法", key="k", source="k.txt", id="doc")
    texts = [
        "第二条 本办法所指市级技能大师工作室（以下简称“市级工作室”）。",
        "申报市级工作室（以下简称“市级工作室”）的条件",
    ]
    for i, text in enumerate(texts):
        doc.passages.append(Passage(kind="policy", text=text, path=[], id=f"p{i}", citation=f"《办法》第{i + 2}条"))
    finder.extract_document(doc)
    assert doc.meta["abbreviations"] == [
        {"short": "市级工作室", "full": "市级技能大师工作室", "passage": "p0", "citation": "《办法》第2条"}
    ]
    plain = Document(kind="policy", title="办法", key="x", source="x.txt", id="x")
    plain.passages.append(Passage(kind="policy", text="本办法自印发之日起施行。", path=[]))
    finder.extract_document(plain)
    assert "abbreviations" not in plain.meta


def test_the_book_defines_its_short_forms(finder: AbbreviationFinder, book_path: Path) -> None:
    parsed = segment_file(book_path, book_path.read_bytes(), book_path.name)
    found: dict[str, dict[str, str]] = {}
    for doc in parsed.documents:
        finder.extract_document(doc)
        found.update({e["short"]: {**e, "doc": doc.title} for e in doc.meta.get("abbreviations", [])})
    workshop = found["市级工作室"]
    assert workshop["full"] == "市级技能大师工作室" and workshop["doc"] == "北京市技能大师工作室建设管理办法"
    assert workshop["citation"].startswith("《北京市技能大师工作室建设管理办法》第二条")
    assert found["两区"]["full"] == "国家服务业扩大开放综合示范区和中国（北京）自由贸易试验区"
    assert found["量子院"]["full"] == "北京量子信息科学研究院"
    assert found["FESCO"]["full"] == "北京外企人力资源服务有限公司"


def test_a_malformed_rules_file_fails_naming_the_problem(tmp_path: Path) -> None:
    good = json.loads((Path(__file__).parents[2] / "knowledge" / "data" / "abbreviations.json").read_text("utf-8"))
    cues = load_rules().cues
    assert cues.index("以下简称") < cues.index("简称")  # longest first: 以下 is never left over
    for key, value, problem in [
        ("cues", [], "'cues' must not be empty"),
        ("max_full", 0, "'max_full' must be a whole number"),
        ("lead_ins", "所称", "lead_ins must be a list"),
        ("surprise", 1, "unknown keys surprise"),
    ]:
        path = tmp_path / f"{key}.json"
        path.write_text(json.dumps({**good, key: value}, ensure_ascii=False), encoding="utf-8")
        with pytest.raises(DataFileError, match=problem):
            load_rules(path)
