"""MetadataExtractor on hand-made documents modelled on the book's policies and report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.enrich.metadata import MetadataExtractor
from ingest.model import Document, Passage
from knowledge.tables import DATA_DIR, DataFileError

HRSS = "北京市人力资源和社会保障局"
SCITECH = "北京市科学技术委员会、中关村科技园区管理委员会"


@pytest.fixture(scope="module")
def extractor() -> MetadataExtractor:
    return MetadataExtractor()


def clause(text: str, *path: str) -> Passage:
    return Passage("policy", text, list(path), locator=path[-1] if path else "")


def skills_policy() -> Document:
    """Clauses of 北京市技能大师工作室建设管理办法 (京人社能发〔2023〕3号)."""
    passages = [
        clause(
            "第二条 本办法所指市级技能大师工作室是经市人力资源社会保障局、市财政局共同认定的技能大师工作室；"
            "技能大师是指在本市某一行业（领域）技能拔尖、技艺精湛、业绩突出的高技能人才。",
            "第一章 总则",
            "第二条",
        ),
        clause("第四条 申报市级工作室应同时符合以下条件：", "第二章 申报条件", "第四条"),
        clause("（一）技能大师的条件。长期在生产服务一线岗位工作，在职在聘。", "第二章 申报条件", "第四条", "（一）"),
        clause("第十二条 领办人是市级工作室日常运行及管理的第一责任人。", "第四章 管理考核", "第十二条"),
        clause(
            "第二十条 初次认定为市级工作室的，按照每个工作室30万元的标准给予一次性资助。",
            "第五章 政策支持",
            "第二十条",
        ),
        clause(
            "第二十八条 本办法自印发之日起执行，执行年限至2030年12月31日。"
            "《关于印发〈北京市技能大师工作室管理办法（试行）〉的通知》（京人社能发〔2019〕125号）同时废止。",
            "第六章 附则",
            "第二十八条",
        ),
    ]
    meta = {"doc_number": "京人社能发[2023]3号", "agencies_raw": ["市人社局"], "date": "2023年3月17日"}
    return Document("policy", "北京市技能大师工作室建设管理办法", "k", "book.txt", passages, meta)


@pytest.fixture(scope="module")
def skills(extractor: MetadataExtractor) -> Document:
    document = skills_policy()
    extractor.enrich(document)
    return document


@pytest.mark.parametrize("alias", ["市人社局", "市人力资源社会保障局", "北京市人社局", "人社局", "市人力社保局", HRSS])
def test_canonical_agency_aliases(extractor: MetadataExtractor, alias: str) -> None:
    assert extractor.canonical_agency(alias) == HRSS


def test_canonical_agency_other(extractor: MetadataExtractor) -> None:
    assert extractor.canonical_agency("市教委") == "北京市教育委员会"
    assert extractor.canonical_agency("中关村管委会") == SCITECH
    assert extractor.canonical_agency(" 市政府办公厅 ") == "北京市人民政府办公厅"
    assert extractor.canonical_agency("某某局") is None


def test_document_metadata(skills: Document) -> None:
    meta = skills.meta
    assert meta["doc_number"] == "京人社能发〔2023〕3号"
    assert meta["date"] == "2023-03-17"
    assert meta["agencies"] == [HRSS]
    assert meta["valid_until"] == "2030-12-31"
    assert meta["repeals"] == [
        {"title": "关于印发〈北京市技能大师工作室管理办法（试行）〉的通知", "doc_number": "京人社能发〔2019〕125号"}
    ]
    assert meta["talent_categories"][:2] == ["高技能人才", "技能人才"]


def test_passage_fields(skills: Document) -> None:
    article2 = skills.passages[0]
    assert article2.doc_number == "京人社能发〔2023〕3号"
    assert article2.date == "2023-03-17"
    # The issuer is the facet value; agencies the clause only names (市财政局) are kept apart.
    assert article2.agencies == [HRSS]
    assert article2.mentioned_agencies == [HRSS, "北京市财政局"]
    assert "mentioned_agencies" not in article2.attrs  # one real field, not an attrs key
    assert "高技能人才" in article2.talent_categories
    assert "技能人才" in article2.talent_categories  # parent of 高技能人才
    assert article2.tokens is not None  # computed once and kept for later stages


def test_eligibility_of_clauses(skills: Document) -> None:
    by_locator = {p.locator: p.eligibility for p in skills.passages}
    assert by_locator["第四条"] is True  # 应同时符合以下条件
    assert by_locator["（一）"] is True  # heading 申报条件 and the lead-in above it
    assert by_locator["第二十条"] is True  # 给予一次性资助
    assert by_locator["第十二条"] is False
    assert by_locator["第二十八条"] is False


def test_item_inherits_from_lead_in(extractor: MetadataExtractor) -> None:
    passages = [
        clause("持有《目录》内境外职业资格的人员享受以下便利化服务：", "一 提供便利服务"),
        clause("1. 中国籍人员办理工作居住证。", "一 提供便利服务", "1."),
        clause("五 完善动态调整机制", "五 完善动态调整机制"),
    ]
    document = Document("policy", "关于印发《目录》的通知", "k", "s", passages)
    extractor.enrich(document)
    assert [p.eligibility for p in document.passages] == [True, True, False]


def chapter(extractor: MetadataExtractor, *paragraphs: tuple[str, str]) -> Document:
    """A report chapter of (text, heading) paragraphs, enriched."""
    passages = [Passage("chapter", text, [heading]) for text, heading in paragraphs]
    document = Document("report_chapter", "B.3 人才发展研究", "B.3", "s", passages)
    extractor.enrich(document)
    return document


def test_report_prose_is_never_eligible(extractor: MetadataExtractor) -> None:
    document = chapter(
        extractor,
        ("2022年北京市地区生产总值达到4.16万亿元，比上年增长0.7%。", "一 总体情况"),
        ("受访者认为符合条件的人才可享受住房补贴。", "二 申报条件"),
    )
    assert [p.eligibility for p in document.passages] == [False, False]
    assert document.meta["agencies"] == []


def test_sentences_bound_the_cues(extractor: MetadataExtractor) -> None:
    # 申请…应 would match across the 「！」 and the line break if sentences were ignored.
    # The eligibility cues apply to catalogue entries; a policy clause's eligibility is its
    # clause type (tests/enrich/test_clause_types.py).
    def entry(text: str) -> Passage:
        return Passage("catalogue_entry", text, ["x"])

    split = Document("timeline", "t", "k", "s", [entry("单位提出申请！\n其他人应注意安全")])
    joined = Document("timeline", "t", "k", "s", [entry("单位提出申请后其他人应注意安全")])
    extractor.enrich(split)
    extractor.enrich(joined)
    assert split.passages[0].eligibility is False
    assert joined.passages[0].eligibility is True


def test_agencies_inferred_from_doc_number(extractor: MetadataExtractor) -> None:
    for number, expected in (("京科资发〔2023〕43号", [SCITECH]), ("京政办发〔2023〕20号", ["北京市人民政府办公厅"])):
        document = Document("policy", "北京市科技计划项目（课题）管理办法", "k", "s", [], {"doc_number": number})
        extractor.enrich(document)
        assert document.meta["agencies"] == expected


def test_agencies_from_title_and_header_number(extractor: MetadataExtractor) -> None:
    passages = [clause("京人社事业发〔2023〕24号", "前言"), clause("一 提供国际专业人员来京便利服务", "一")]
    title = "北京市人力资源和社会保障局 北京市人才工作局 关于 印发《北京市境外职业资格认可目录(3.0版)》的通知"
    document = Document("policy", title, "k", "s", passages)
    extractor.enrich(document)
    assert document.meta["doc_number"] == "京人社事业发〔2023〕24号"
    assert document.meta["agencies"] == [HRSS, "北京市人才工作局"]


def test_raw_agencies_keep_unknown_names(extractor: MetadataExtractor) -> None:
    meta = {"agencies_raw": "中共北京市委办公厅 北京市人民政府办公厅、某某研究会"}
    document = Document("policy", "t", "k", "s", [], meta)
    extractor.enrich(document)
    assert document.meta["agencies"] == ["中共北京市委办公厅", "北京市人民政府办公厅", "某某研究会"]


def test_catalogue_entry_and_event(extractor: MetadataExtractor) -> None:
    entry = Passage(
        "catalogue_entry", "5. 《北京市科技计划项目（课题）管理办法》（京科资发〔2023〕43号，3月15日）", ["x"]
    )
    event = Passage(
        "event",
        "北京市科委、中关村管委会召开推进北京市基础研究高质量发展研讨会。",
        ["2月"],
        attrs={"date": "2023-02-26"},
    )
    document = Document("timeline", "2023年北京人才工作大事记", "t", "s", [entry, event])
    extractor.enrich(document)
    assert entry.doc_number == "京科资发〔2023〕43号"
    assert entry.agencies == [SCITECH]
    assert event.date == "2023-02-26"
    assert event.agencies == [SCITECH]
    assert event.eligibility is False


def test_talent_categories_of_passages(extractor: MetadataExtractor) -> None:
    texts = {
        "支持技能大师领办工作室，培养能工巧匠。": {"高技能人才", "技能人才"},
        "外籍人员可办理工作许可。": {"海外人才"},
        # 外国人 is a talent where it works, not in its funeral or as a buyer of relics.
        "外国人来华工作许可按照国家规定办理。": {"海外人才"},
        "华侨和外国人的殡葬活动及其管理，适用本条例。": set(),
        "非国有不可移动文物不得转让、抵押给外国人。": set(),
        "高校兼职教师聘任制度改革。": {"教师", "专业技术人才"},  # 兼职教师 is one jieba word
        "2022年北京市地区生产总值达到4.16万亿元。": set(),
    }
    for text, expected in texts.items():
        document = Document("report_chapter", "t", "k", "s", [Passage("chapter", text, [])])
        extractor.enrich(document)
        assert set(document.passages[0].talent_categories) == expected, text


def test_malformed_data_file_fails_at_construction(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "talent_categories.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"parent": "技能人才"', '"parent": "不存在"'), "utf-8")
    with pytest.raises(DataFileError) as err:
        MetadataExtractor(data)
    assert "talent_categories.json" in str(err.value)
    assert "unknown parent '不存在'" in str(err.value)


def test_whole_book(book_path: Path) -> None:
    """The book end to end: the 技能大师 policy's lifecycle, a catalogue entry issued by
    a 文号 prefix only, no eligible report prose, and a generous time bound that catches
    pathological matching (every pattern matching every token once cost 25 s)."""

    from analysis.words import get_analyzer
    from ingest.segment.book import segment_book

    documents = segment_book(book_path.read_text(encoding="utf-8"), book_path.name)
    analyzer = get_analyzer()
    for document in documents:
        for passage in document.passages:
            passage.tokens = analyzer.words(passage.text)
    extractor = MetadataExtractor()
    extractor.enrich(Document("report", "warm-up", "w", "s", [Passage("chapter", "市人社局", [])]))
    for document in documents:  # its speed is measured by bench/pipeline_steps.py
        extractor.enrich(document)

    by_number = {d.meta.get("doc_number"): d for d in documents if d.kind == "policy"}
    skills = by_number["京人社能发〔2023〕3号"]
    assert skills.meta["valid_until"] == "2030-12-31"
    assert [r["doc_number"] for r in skills.meta["repeals"]] == ["京人社能发〔2019〕125号"]
    assert any(p.eligibility and "应同时符合以下条件" in p.text for p in skills.passages)
    assert by_number["京科资发〔2023〕43号"].meta["agencies"] == [SCITECH]
    prose = [p for d in documents if d.kind == "report_chapter" for p in d.passages]
    assert prose and not any(p.eligibility for p in prose)
    assert all(p.tokens is not None for d in documents for p in d.passages)


def test_a_local_alias_after_another_place_is_that_place_s(extractor: MetadataExtractor) -> None:
    # B.12 of the book, a Beijing report chapter comparing cities: 上海市人社局 had been
    # tagged 北京市人力资源和社会保障局, its 市人社局 read as the chapter's own city's.
    document = chapter(
        extractor,
        ("上海市人社局积极推进应届毕业生落户。", "四 比较"),
        ("市人社局会同市财政局出台了支持政策。", "四 比较"),
    )
    assert HRSS not in document.passages[0].mentioned_agencies
    assert HRSS in document.passages[1].mentioned_agencies
