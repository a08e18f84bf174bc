"""The 地区 of a document: its place lifted to a province or municipality, 全国 for the
country's texts, a chapter's from its book."""

from __future__ import annotations

from ingest.enrich.regions import apply_regions, document_region
from ingest.model import Document
from knowledge.residence import NATIONWIDE


def test_a_place_is_lifted_to_its_province_or_municipality() -> None:
    assert document_region("广州", ["广州市人民代表大会常务委员会"]) == "广东"
    assert document_region("海淀", []) == "北京"
    assert document_region("北京", ["北京市人力资源和社会保障局"]) == "北京"
    assert document_region("中国", []) == NATIONWIDE
    # Autonomous counties and a city merged since (莱芜, 2019) are in the gazetteer: 23
    # texts of the archive had had no 地区.
    assert document_region("景宁", ["景宁畲族自治县人民代表大会"]) == "浙江"
    assert document_region("酉阳", []) == "重庆"
    assert document_region("莱芜", []) == "山东"


def test_issuers_that_name_no_place_are_central() -> None:
    assert document_region(None, ["海关总署"]) == NATIONWIDE
    assert document_region("", ["国家教育委员会", "水利部"]) == NATIONWIDE
    assert document_region(None, []) is None  # nothing says
    assert document_region(None, ["国家市场监督管理总局"]) == NATIONWIDE  # 市场 is no 市
    # A local body of a place the gazetteer does not hold: local, of no known region.
    assert document_region(None, ["某某县人民代表大会"]) is None


def test_a_chapter_without_a_region_takes_its_books() -> None:
    book = Document(kind="report", title="北京人才发展报告", key="r", source="b.txt", id="book")
    book.meta["region"] = "北京"
    chapter = Document(
        kind="report_chapter", title="人才发展研究", key="B.1", source="b.txt", id="ch", parent_id="book"
    )
    apply_regions([book, chapter])
    assert chapter.meta["region"] == "北京"
