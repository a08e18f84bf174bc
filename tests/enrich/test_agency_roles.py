"""发文机关 (``Passage.agencies``) holds who issued or acted, ``mentioned_agencies`` whom a
passage names (ingest/enrich/agency_roles.py): on the whole book and on hand-made
passages."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ingest.enrich.agency_roles import signature_agencies
from ingest.enrich.metadata import MetadataExtractor
from ingest.model import Document, Passage

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
import measure_clause_types as measure  # noqa: E402

BOOK = "corpus/北京人才发展报告2023.txt"
HRSS = "北京市人力资源和社会保障局"
SCITECH = "北京市科学技术委员会、中关村科技园区管理委员会"
PARTY = "中共北京市委员会"
GENERIC = {"区人民政府", "区人力资源和社会保障局", "区委组织部"}
REPORT_KINDS = ("report", "report_chapter", "front_matter")


@pytest.fixture(scope="module")
def book() -> list[Document]:
    return measure.ingest_sources([BOOK], None)[BOOK]


@pytest.fixture(scope="module")
def extractor() -> MetadataExtractor:
    return MetadataExtractor()


def _passages(documents: list[Document]) -> list[tuple[Document, Passage]]:
    return [(d, p) for d in documents for p in d.passages]


# --- the book -----------------------------------------------------------------------------


def test_report_passages_carry_no_issuer(book: list[Document]) -> None:
    report = [p for d, p in _passages(book) if d.kind in REPORT_KINDS]
    assert report and not [p.citation for p in report if p.agencies]
    # What they name is kept apart: the court's own chapter names the court.
    assert any("北京市高级人民法院" in p.mentioned_agencies for p in report)
    assert not any(d.meta["agencies"] for d in book if d.kind in REPORT_KINDS)


def test_every_facet_value_issued_or_acted(book: list[Document]) -> None:
    issuers: set[str] = set()
    for document, passage in _passages(book):
        if passage.kind == "policy":
            assert passage.agencies == document.meta["agencies"], passage.citation
        elif passage.kind in ("catalogue_entry", "event"):
            # The agency of a catalogue line or the agency acting in an event is named there
            # (or, for a catalogue line without one, its 文号's issuer).
            named = set(passage.mentioned_agencies) | set(document.meta["agencies"])
            assert set(passage.agencies) <= named or passage.doc_number, passage.citation
        else:
            assert passage.agencies == [], passage.citation
        issuers.update(passage.agencies)
    policy_issuers = {a for d in book if d.kind == "policy" for a in d.meta["agencies"]}
    actors = {a for _, p in _passages(book) if p.kind in ("event", "catalogue_entry") for a in p.agencies}
    assert issuers == policy_issuers | actors
    # Named only by report chapters: not facet values any more.
    assert not {"北京市高级人民法院", "中共中央", "教育部", "最高人民法院"} & issuers
    assert not GENERIC & issuers
    assert not GENERIC & {a for _, p in _passages(book) for a in p.mentioned_agencies}


def test_skills_policy_clauses_carry_its_issuer(book: list[Document]) -> None:
    (policy,) = [d for d in book if d.title == "北京市技能大师工作室建设管理办法"]
    assert policy.meta["agencies"] == [HRSS]
    clauses = [p for p in policy.passages if p.kind == "policy"]
    assert clauses and all(p.agencies == [HRSS] for p in clauses)
    article2 = next(p for p in clauses if p.locator == "第二条")
    assert article2.mentioned_agencies == [HRSS, "北京市财政局"]
    assert all("mentioned_agencies" not in p.attrs for p in policy.passages)


def test_an_allowance_named_after_its_grantor_names_no_agency(
    book: list[Document], extractor: MetadataExtractor
) -> None:
    # 享受国务院政府特殊津贴 and 北京市政府技师特殊津贴 had made 国务院 and 北京市人民政府 涉及机关
    # of the 申报条件 of 技能大师工作室 (第四条), which names no body but its issuer.
    (policy,) = [d for d in book if d.title == "北京市技能大师工作室建设管理办法"]
    article4 = next(p for p in policy.passages if p.locator == "第四条")
    assert "特殊津贴" in article4.text
    assert not {"国务院", "北京市人民政府"} & set(article4.mentioned_agencies)
    events = [
        _event("5日 5名专家获得国务院政府特殊津贴。"),
        _event("8日 国务院批准北京市人民政府关于人才工作的请示。"),
        _event("9日 市人社局发放技师特殊津贴。"),  # a verb between: the bureau acts
    ]
    extractor.enrich(Document("timeline", "2023年北京人才工作大事记", "t", "s", events))
    assert events[0].agencies == [] and events[0].mentioned_agencies == []
    assert events[1].agencies == ["国务院", "北京市人民政府"] == events[1].mentioned_agencies
    assert events[2].agencies == [HRSS] == events[2].mentioned_agencies


def test_catalogue_entries_carry_their_line_agency(book: list[Document]) -> None:
    entries = {p.doc_number: p for _, p in _passages(book) if p.kind == "catalogue_entry"}
    assert entries["京人社事业发〔2022〕51号"].agencies == [HRSS, "北京市教育委员会"]
    assert entries["京科资发〔2023〕43号"].agencies == [SCITECH]  # from its 文号 prefix


def test_party_committee_only_where_it_acts(book: list[Document]) -> None:
    party = [(d, p) for d, p in _passages(book) if PARTY in p.agencies]
    assert party and {p.kind for _, p in party} == {"event"}
    texts = [p.text for _, p in party]
    assert any("市委常委会召开会议" in t for t in texts)
    assert not any("市委书记" in t or "市委副书记" in t for t in texts if "市委常委会" not in t)
    blurb = [p for d, p in _passages(book) if d.kind == "report" and PARTY in p.mentioned_agencies]
    assert blurb and not any(p.agencies for p in blurb)


# --- hand-made passages --------------------------------------------------------------------


def _event(text: str) -> Passage:
    return Passage("event", text, ["大事记", "6月"], attrs={"date": "2023-06-09"})


def test_event_actors(extractor: MetadataExtractor) -> None:
    events = [
        _event("9日 市人社局会同市统计局联合印发《北京市深化统计专业人员职称制度改革实施办法》。"),
        _event("26日 “2023中关村论坛”召开全体会议。北京市委书记尹力讲话。"),
        _event("12日 中共中央政治局常委、国务院总理李强在北京市调研。"),
        _event("29日 市委常委会召开会议，研究《北京市人力资源和社会保障局工作要点》。"),
        _event("25日 由北京市知识产权局指导、百度牵头成立产业联盟。"),
    ]
    extractor.enrich(Document("timeline", "2023年北京人才工作大事记", "t", "s", events))
    assert events[0].agencies == [HRSS, "北京市统计局"]
    assert events[1].agencies == [] and events[1].mentioned_agencies == [PARTY]  # a person's post
    assert events[2].agencies == [] and "国务院" in events[2].mentioned_agencies
    assert events[3].agencies == [PARTY]  # 常委会 acts; the bureau is only in a 《title》
    assert HRSS in events[3].mentioned_agencies
    assert events[4].agencies == ["北京市知识产权局"]


def test_generic_names_are_never_values(extractor: MetadataExtractor) -> None:
    clause = Passage(
        "policy",
        "第九条 各区人力资源社会保障局、区人民政府应当按照公平公正的原则向市人社局推荐。",
        ["第三章 申报程序", "第九条"],
        locator="第九条",
    )
    meta = {"agencies_raw": ["市人社局", "各区人民政府"]}
    document = Document("policy", "某某办法", "k", "s", [clause], meta)
    extractor.enrich(document)
    assert document.meta["agencies"] == [HRSS]
    assert clause.agencies == [HRSS]
    assert clause.mentioned_agencies == [HRSS]


def test_policy_without_known_issuer_names_none(extractor: MetadataExtractor) -> None:
    clause = Passage("policy", "第四条 市财政局负责资金保障。", ["第四条"], locator="第四条")
    document = Document("policy", "某某条例", "k", "s", [clause])
    extractor.enrich(document)
    # Nor is 市财政局 北京市财政局 in a text that nothing places (another city's, or any city's).
    assert clause.agencies == [] and clause.mentioned_agencies == []


def test_an_administrative_regulation_naming_no_issuer_is_the_state_councils(extractor: MetadataExtractor) -> None:
    # 古树名木保护条例 (2025) names no issuer: 未载明, while the law fixes who makes 行政法规.
    def issuers(source: str) -> list[str]:
        clause = Passage("policy", "第一条 为了加强对古树名木的保护，制定本条例。", ["第一条"], locator="第一条")
        extractor.enrich(Document("policy", "古树名木保护条例", "k", source, [clause]))
        return clause.agencies

    assert issuers("regulations/行政法规/古树名木保护条例(2025-01-25).txt") == ["国务院"]
    assert issuers("regulations/地方性法规/古树名木保护条例.txt") == []  # a category of many issuers
    # 部门规章 are filed by the department that made them (机动车登记规定, no header): its
    # folder names the issuer, by the table's name or an alias; a folder the table lacks, none.
    assert issuers("regulations/部门规章/公安部/机动车登记规定(2021-12-17).txt") == ["公安部"]
    assert issuers("regulations/部门规章/市场监管总局/x.txt") == ["国家市场监督管理总局"]
    assert issuers("regulations/部门规章/某某部/x.txt") == []


def test_a_short_form_names_the_agency_of_its_documents_place(extractor: MetadataExtractor) -> None:
    """市人民政府 is 北京市人民政府 in a 北京 regulation, and no table entry in a 上海 one, a
    national law or a text of no known place (another city's government, or any city's); a
    national agency's short form (人民银行) holds everywhere."""

    def named(title: str, text: str, signed: str = "") -> tuple[list[str], list[str]]:
        clause = Passage("policy", text + signed, ["第三条"], locator="第三条")
        document = Document("policy", title, "k", "s", [clause])
        extractor.enrich(document)
        return clause.mentioned_agencies, document.meta["agencies"]

    text = "第三条 市人民政府和市人社局负责组织实施，人民银行给予支持。"
    assert named("北京市人才发展条例", text)[0] == ["北京市人民政府", HRSS, "中国人民银行"]
    assert named("上海市人才发展条例", text)[0] == ["中国人民银行"]
    assert named("中华人民共和国人才法", text)[0] == ["中国人民银行"]
    # A policy text that nothing places is not assumed to be 北京's: in the archive, the 63
    # such texts are national rules and other places' counties (彭水苗族土家族自治县…条例,
    # whose 市人民政府 is 重庆's), none of them 北京's.
    assert named("某某条例", text)[0] == ["中国人民银行"]
    assert named("彭水苗族土家族自治县旅游条例", text)[0] == ["中国人民银行"]
    # A signature of short forms is read in the document's own place too.
    signature = "\n市人社局\n2023年3月17日"
    assert named("上海市某某办法", "第三条 本办法自发布之日起施行。", signature)[1] == []
    assert named("北京市某某办法", "第三条 本办法自发布之日起施行。", signature)[1] == [HRSS]


def test_one_body_one_name(extractor: MetadataExtractor) -> None:
    """Headers call the Central Military Commission three ways; the facet shows one."""
    names = ("中央军委", "中央军事委员会", "中华人民共和国中央军事委员会")
    assert {extractor.canonical_agency(name) for name in names} == {"中央军事委员会"}


def test_signature_gives_the_issuers(extractor: MetadataExtractor) -> None:
    last = Passage(
        "policy",
        "五 本通知自发布之日起实施。\n北京市人力资源和社会保障局\n北京市财政局\n2023年3月17日",
        ["五、"],
        locator="五、",
    )
    document = Document("policy", "某某通知", "k", "s", [Passage("policy", "一 总体要求", ["一、"]), last])
    extractor.enrich(document)
    assert document.meta["agencies"] == [HRSS, "北京市财政局"]
    assert last.agencies == [HRSS, "北京市财政局"]


def test_signature_needs_agencies_above_a_date() -> None:
    canonical = MetadataExtractor().canonical_agency
    assert signature_agencies("正文。\n市人社局 市财政局\n2023年3月17日", canonical) == [HRSS, "北京市财政局"]
    assert signature_agencies("正文。\n市人社局\n特此通知。", canonical) == []
    assert signature_agencies("市人社局负责解释。\n2023年3月17日", canonical) == []
