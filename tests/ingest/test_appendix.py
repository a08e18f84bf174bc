"""Appendices of the real book: the 大事记 timeline, the 政策目录 and the policy full texts."""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

from ingest.citations import citation
from ingest.enrich.metadata import MetadataExtractor
from ingest.model import Document, Passage, SourceLine
from ingest.segment.appendix import (
    normalize_doc_number,
    normalize_title,
    parse_catalogue_entry,
)
from ingest.segment.book import segment_book

BOOK = Path(__file__).resolve().parents[2] / "corpus" / "北京人才发展报告2023.txt"


@lru_cache(maxsize=1)
def documents() -> tuple[Document, ...]:
    return tuple(segment_book(BOOK.read_text(encoding="utf-8"), "corpus/北京人才发展报告2023.txt"))


def timeline() -> Document:
    return next(d for d in documents() if d.kind == "timeline")


def event_at(line: int) -> Passage:
    return next(p for p in timeline().passages if p.line == line)


def policies() -> list[Document]:
    return [d for d in documents() if d.kind == "policy"]


def policy(number: int) -> Document:
    return next(d for d in policies() if d.meta.get("catalogue_number") == number)


# -- timeline --------------------------------------------------------------------------


def test_timeline_document() -> None:
    doc = timeline()
    assert doc.title == "2023年北京人才工作大事记"
    assert doc.meta["year"] == 2023
    assert doc.parent_id == "report"
    assert len(doc.passages) == 47
    assert all(p.kind == "event" for p in doc.passages)
    assert doc.passages[0].attrs == {"date": "2023-01-06", "date_precision": "day", "page_estimated": True}
    assert doc.passages[0].text == "6日 中关村独角兽企业发展联盟第一次会员大会召开。"
    assert doc.passages[0].path == ["2023年北京人才工作大事记", "1月"]
    assert doc.passages[0].locator == "1月6日"
    assert doc.passages[-1].attrs["date"] == "2023-10-18"


def test_event_rejoined_across_page_break() -> None:
    event = event_at(6732)
    assert event.attrs["date"] == "2023-03-17"
    assert "调研区域创新体系、国家技术创新中心以及科技领军企业发展情况" in event.text


def test_event_ranges() -> None:
    assert event_at(6742).attrs == {
        "date": "2023-03-28",
        "date_precision": "day",
        "date_end": "2023-03-29",
        "page_estimated": True,
    }
    assert event_at(6742).locator == "3月28~29日"
    assert event_at(6800).attrs["date"] == "2023-07-30"
    assert event_at(6800).attrs["date_end"] == "2023-08-04"
    assert event_at(6824).attrs["date"] == "2023-09-11"
    assert event_at(6824).attrs["date_end"] == "2023-09-16"


def test_entries_without_a_day_keep_their_month() -> None:
    event = event_at(6751)
    assert event.text == "2023 中关村论坛工作会议召开，研究论坛筹办工作。"
    assert event.attrs == {
        "date": "2023-04",
        "date_precision": "month",
        "after_date": "2023-04-02",
        "page_estimated": True,
    }
    assert event.path == ["2023年北京人才工作大事记", "4月"]
    assert event_at(6767).attrs["date"] == "2023-05"
    assert event_at(6747 + 2).attrs["date"] == "2023-04-02"  # the month heading after a watermark


# -- catalogue -------------------------------------------------------------------------


def test_twenty_two_catalogue_entries() -> None:
    numbered = sorted(d.meta["catalogue_number"] for d in policies())
    assert numbered == list(range(1, 23))
    for doc in policies():
        entries = [p for p in doc.passages if p.kind == "catalogue_entry"]
        assert len(entries) == 1
        assert entries[0].locator == f"政策目录 {doc.meta['catalogue_number']}"
        assert doc.parent_id == "report"


def test_a_catalogue_line_is_cited_by_the_report_that_prints_it() -> None:
    # It had been cited as 《北京市技能大师工作室建设管理办法》政策目录 6, a line the 办法 lacks.
    doc = Document(kind="policy", title="某办法", key="k", source="book.txt")
    line = Passage("catalogue_entry", "6. 《某办法》（京人社能发〔2023〕3号）", ["某办法"], "政策目录 6", 1, 395)
    clause = Passage("policy", "第二条 本办法所称…", ["第二条"], "第二条", 2, 397)
    assert citation(doc, line, "北京人才发展报告（2023）") == "《北京人才发展报告（2023）》政策目录 6，第395页"
    assert citation(doc, clause, "北京人才发展报告（2023）") == "《某办法》第二条，第397页"


def test_catalogue_entry_fields() -> None:
    first = policy(1)
    assert first.title == "北京市深化高等学校教师职称制度改革实施办法"
    assert first.key == "京人社事业发202251号"
    assert first.meta["doc_number"] == "京人社事业发〔2022〕51号"
    assert first.meta["agencies_raw"] == ["北京市人力资源和社会保障局", "北京市教育委员会"]
    assert first.meta["date"] == "2023-01-10"  # issued in the catalogue's year, not the 文号's
    assert policy(10).title == "北京市人力资源服务业创新发展行动计划（2023-2025年）"
    assert policy(10).meta["doc_number"] == "京人社市场字〔2023〕37号"
    assert policy(10).meta["date"] == "2023-04-27"
    assert policy(21).title == "北京市境外职业资格认可目录(3.0版)"
    assert policy(21).meta["agencies_raw"] == ["北京市人力资源和社会保障局", "北京市人才工作局"]
    assert policy(22).meta["date"] == "2023-09-05"


def test_entry_without_agency() -> None:
    entry = policy(5)
    assert entry.title == "北京市科技计划项目（课题）管理办法"
    assert entry.meta["doc_number"] == "京科资发〔2023〕43号"
    assert entry.meta["agencies_raw"] == []
    assert entry.meta["date"] == "2023-03-15"


def test_entry_without_doc_number() -> None:
    entry = policy(18)
    assert entry.meta["doc_number"] is None
    assert entry.key == "关于进一步推动首都高质量发展取得新突破的行动方案（2023-2025年）"
    assert entry.meta["agencies_raw"] == ["中共北京市委办公厅", "北京市人民政府办公厅"]
    assert entry.meta["date"] == "2023-07-22"


def test_entry_broken_across_page_break_comes_out_whole() -> None:
    entry = policy(20)
    assert entry.title == "北京市关于进一步支持外资研发中心发展的若干措施"
    assert entry.meta["doc_number"] == "京政办发〔2023〕19号"
    assert entry.meta["agencies_raw"] == ["北京市人民政府办公厅"]
    assert entry.meta["date"] == "2023-08-22"
    assert entry.passages[0].text.startswith(
        "20. 《北京市关于进一步支持外资研发中心发展的若干措施》（京政办发〔2023〕19号"
    )


def test_parse_catalogue_entry_variants() -> None:
    entry = parse_catalogue_entry(SourceLine("3. 《关于X的通知》(京教函[2023]20号, 甲局、乙局 丙局, 1月8日)", 1), 2024)
    assert entry is not None
    assert (entry.number, entry.title, entry.doc_number) == (3, "关于X的通知", "京教函[2023]20号")
    assert entry.agencies_raw == ["甲局", "乙局", "丙局"]
    assert entry.date == "2024-01-08"
    assert parse_catalogue_entry(SourceLine("3. 人才工作取得新进展。", 1), 2024) is None


def test_normalisations() -> None:
    assert normalize_doc_number("京政办发〔2023〕19号") == normalize_doc_number("京政办发 [2023] 19号")
    assert normalize_title("《行动方案（2023~2025年）》") == normalize_title("行动方案（2023-2025年）")


# -- full texts ------------------------------------------------------------------------


def clauses(doc: Document) -> list[Passage]:
    return [p for p in doc.passages if p.kind == "policy"]


def test_measures_full_text_linked_by_title() -> None:
    doc = policy(6)
    assert doc.key == "京人社能发20233号"
    articles = [p for p in clauses(doc) if p.attrs.get("unit") == "article"]
    assert [p.attrs["article"] for p in articles] == list(range(1, 30))
    assert {p.path[0] for p in articles} == {
        "第一章 总则",
        "第二章 申报条件",
        "第三章 申报程序",
        "第四章 管理考核",
        "第五章 政策支持",
        "第六章 附则",
    }
    items = [p for p in clauses(doc) if p.attrs.get("article") == 4 and p.attrs.get("unit") == "item"]
    assert [p.locator for p in items] == ["第四条（一）", "第四条（二）"]
    assert items[0].path == ["第二章 申报条件", "第四条", "（一）"]
    assert "才中产生。" in items[0].text  # rejoined across the page break
    meta = enriched(doc).meta  # validity and repeals are read from the linked clauses
    assert meta["valid_until"] == "2030-12-31"
    assert meta["repeals"] == [
        {"title": "关于印发〈北京市技能大师工作室管理办法（试行）〉的通知", "doc_number": "京人社能发〔2019〕125号"}
    ]


def test_notice_full_text_linked_by_doc_number() -> None:
    doc = policy(21)
    assert doc.meta["full_text_title"].endswith("关于 印发《北京市境外职业资格认可目录(3.0版)》的通知")
    sections = [p.locator for p in clauses(doc) if p.attrs.get("unit") == "section"]
    assert sections == ["一、", "二、", "三、", "四、", "五、"]
    meta = enriched(doc).meta
    assert meta["repeals"][0]["doc_number"] == "京人社事业发〔2022〕19号"
    assert meta["valid_until"] is None


def test_action_plan_measures_numbered_one_to_fifty() -> None:
    doc = policy(18)
    measures = [p for p in clauses(doc) if p.attrs.get("unit") == "numbered"]
    assert [p.attrs["item"] for p in measures] == list(range(1, 51))
    assert measures[0].locator == "二、1."
    assert measures[-1].text.startswith("50. 更好统筹发展与安全")
    assert enriched(doc).meta["repeals"] == []


def test_policies_without_full_text_hold_only_their_entry() -> None:
    assert [p.kind for p in policy(1).passages] == ["catalogue_entry"]
    assert "valid_until" not in policy(1).meta


def enriched(doc: Document) -> Document:
    """A copy of ``doc`` after the enrichment step (the cached segmentation stays as it is)."""
    copied = copy.deepcopy(doc)
    MetadataExtractor().enrich(copied)
    return copied
