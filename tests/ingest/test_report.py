"""ReportSegmenter / segment_book on the real book: chapters, blocks, coverage, speed."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from ingest.citations import finalize
from ingest.clean import PdfTextCleaner, normalize_width
from ingest.model import Document, Passage
from ingest.pipeline import Pipeline
from ingest.segment.book import segment_book

BOOK = Path(__file__).resolve().parents[2] / "corpus" / "北京人才发展报告2023.txt"
SOURCE = "corpus/北京人才发展报告2023.txt"


@lru_cache(maxsize=1)
def documents() -> tuple[Document, ...]:
    return tuple(segment_book(BOOK.read_text(encoding="utf-8"), SOURCE))


def chapter(key: str) -> Document:
    return next(d for d in documents() if d.kind == "report_chapter" and d.key == key)


def passage_at(doc: Document, line: int, kind: str | None = None) -> Passage:
    return next(p for p in doc.passages if p.line == line and (kind is None or p.kind == kind))


def test_document_kinds() -> None:
    kinds = [d.kind for d in documents()]
    assert kinds.count("report") == 1
    assert kinds.count("report_chapter") == 17
    assert kinds.count("timeline") == 1
    assert kinds.count("policy") == 22
    assert len({d.key for d in documents()}) == len(documents())  # keys are unique


def test_report_document() -> None:
    report = documents()[0]
    assert report.kind == "report"
    assert report.key == "report"
    assert report.title == "北京人才发展报告（2023）"
    assert report.meta["editors"] == ["张天扬"]
    assert report.meta["date"] == "2023-12"
    assert report.meta["isbn"] == "978-7-5228-2928-9"
    assert all(p.kind == "front_matter" for p in report.passages)
    # The CIP record keeps its data (ISBN, 数据核字) but not the cataloguer's subject headings
    # ("I. ①北… II. ①张… III. ①人才-发展战略-研究" and their wrapped "…IV. ①C964.2").
    record = "\n".join(p.text for p in report.passages if p.line < 40)
    assert "ISBN 978-7-5228-2928-9" in record and "CIP 数据核字" in record
    assert "①" not in record and "C964.2" not in record
    toc = [p for p in report.passages if "目 录" in p.path]
    # The Markdown list of the TOC ("- B.1** 新时代……") is stored as printed, under its part.
    b1 = next(p for p in toc if p.text.startswith("B.1 新时代十年北京人才工作成果回顾与展望"))
    assert "/ 001" in b1.text and b1.path[-1] == "I 总报告"
    assert b1.locator == "目录"  # cited 《…》目录第N段, not 第26段 of the whole book
    assert not any(p.text in ("目 录", "I 总报告") for p in toc)  # headings are paths, not passages
    # Dot leaders and the tab after a label had reached the page (..... 北京市…课题组, B. 16 | …).
    assert not any("....." in p.text or "\t" in p.text for p in toc)
    assert any(p.text.startswith("B. 16 北京市国际商务人才集聚意愿") for p in toc)
    # Parts of the book that it names only in English, or not at all, are named in Chinese.
    parts = {p.path[1] for p in report.passages if p.line > 7300}
    assert parts == {"英文摘要", "英文目录", "书末附页"}
    assert next(p for p in report.passages if p.text.startswith("北京市人力资源研究中心是")).path[-1] == (
        "北京市人力资源研究中心简介"
    )


def test_chapters_numbers_parts_titles_pages() -> None:
    chapters = [d for d in documents() if d.kind == "report_chapter"]
    assert [d.key for d in chapters] == [f"B.{n}" for n in range(1, 18)]
    assert all(d.parent_id == "report" for d in chapters)
    # Published with the book: the chapters carry its edition date (版次), for the year filter.
    assert {d.meta["date"] for d in chapters} == {documents()[0].meta["date"]}
    expected = {
        "B.1": ("总报告", "新时代十年北京人才工作成果回顾与展望", "北京市人力资源研究中心课题组", 1),
        "B.2": ("地区篇", "“两区”建设背景下北京海外人才引进对策研究", "北京市科学技术协会课题组", 20),
        "B.4": (
            "地区篇",
            "北京市青年科技人才培育的现状、问题与对策",
            "北京市科学技术委员会 中关村科技园区管理委员会课题组",
            75,
        ),
        "B.6": ("队伍篇", "北京法院系统法官队伍“选、育、管、用”全链条建设研究", "北京市高级人民法院课题组", 107),
        "B.10": ("队伍篇", "新时代首都技能人才队伍培养的“三融”战略", "北京工业职业技术学院课题组", 203),
        "B.13": (
            "生态篇",
            "以制度型开放创新海外人才集聚体制机制助力北京打造世界人才之都",
            "北京市欧美同学会课题组",
            286,
        ),
        "B.16": ("智库篇", "北京市国际商务人才集聚意愿及其影响因素研究", "葛晓琳 于海波 张相林", 343),
        "B.17": ("智库篇", "2023北京新经济行业中高端人才就业观察", "脉脉高聘人才智库课题组", 364),
    }
    for key, (part, title, authors, page) in expected.items():
        meta = chapter(key).meta
        assert (meta["part"], meta["title"], meta["authors"], meta["start_page"]) == (part, title, authors, page), key
        assert chapter(key).title == title
        assert meta["number"] == int(key[2:])
    assert chapter("B.1").meta["subtitle"] == "——2023年北京人才发展报告"
    assert chapter("B.15").meta["subtitle"] == "——基于 FESCO 人才培养与教育服务实践的探索"


def test_abstract_and_keywords() -> None:
    b1 = chapter("B.1")
    assert b1.meta["keywords"] == ["人才高地", "人才队伍建设", "体制机制改革", "自主培养", "人才生态"]
    assert b1.meta["abstract"].startswith("人才是实现民族振兴、赢得国际竞争主动的战略资源。")
    assert "“四个中心”功能建设" in b1.meta["abstract"]  # rejoined across the footnote and page break
    assert b1.meta["abstract"].endswith("为北京率先基本实现社会主义现代化提供坚实人才支撑。")
    abstract = passage_at(b1, 199, "abstract")
    assert abstract.path == ["总报告", "B.1 新时代十年北京人才工作成果回顾与展望", "摘要"]
    assert abstract.locator == "B.1 摘要"
    assert chapter("B.16").meta["keywords"] == ["国际商务人才", "集聚意愿", "影响因素", "logistic 模型"]


def test_english_abstract_linked_by_number() -> None:
    b1 = chapter("B.1")
    assert b1.meta["title_en"] == (
        "Review and Foresight on the Merit of Beijing's Talent Work During the First Decade of the New Era"
    )
    assert b1.meta["keywords_en"] == [
        "Talent Highland",
        "Workforce Construction",
        "Institutional Mechanism Reform",
        "Independent Cultivation",
        "Talent Ecology",
    ]
    assert b1.meta["abstract_en"].startswith("People with talent are a strategic resource")
    english = [p for p in b1.passages if p.kind == "abstract" and p.attrs.get("lang") == "en"]
    assert len(english) == 1
    assert english[0].line == 7347
    assert chapter("B.6").meta["title_en"].endswith("in Beijing’s Court System")
    assert chapter("B.17").meta["keywords_en"][-1] == "Pan-Internet"


def test_paragraph_path_and_locator() -> None:
    paragraph = passage_at(chapter("B.1"), 219, "chapter")
    assert paragraph.path == [
        "总报告",
        "B.1 新时代十年北京人才工作成果回顾与展望",
        "一 新时代十年北京人才队伍建设情况",
        "（一）人才队伍总量不断壮大，集聚效应日益显著",
        "1. 人才资源总量变化情况",
    ]
    assert paragraph.locator == "B.1 一（一）1."
    assert "主动做减法" in paragraph.text
    # A heading is the path of the passages under it, not a passage of its own.
    assert not any(p.line == 314 for p in chapter("B.1").passages)
    under = next(p for p in chapter("B.1").passages if p.line > 314)
    assert under.path[3].startswith("(三) 人才分布") and under.locator.startswith("B.1 一（三）")  # "(三)" normalised
    headings = [p for d in documents() for p in d.passages if p.attrs.get("heading")]
    assert all(p.attrs["level"] == 0 for p in headings)  # only each chapter's title block


def test_lone_dash_line_is_no_heading() -> None:
    """ "-" above a page's footnotes is a rule: the paths keep the real headings (B.10 二（一）)."""
    paths = [p.path for d in documents() for p in d.passages]
    assert not any(label.strip("-– ") == "" for path in paths for label in path)
    paragraph = next(p for p in chapter("B.10").passages if "73.01" in p.text and p.kind == "chapter")
    assert paragraph.locator == "B.10 二（一）2."


def test_footnote_references_without_caret() -> None:
    texts = [t for d in documents() for p in d.passages for t in [p.text, *p.notes, *p.path]]
    assert not any("^" + chr(mark) in t for t in texts for mark in range(0x2460, 0x2474))
    assert "人才密度①达到" in passage_at(chapter("B.1"), 219, "chapter").text.replace(" ", "")


def test_heading_footnote_goes_to_the_first_passage_under_it() -> None:
    """四 政策建议① : the heading is a path without its mark, its note on the text under it."""
    b17 = chapter("B.17")
    under = [p for p in b17.passages if "四 政策建议" in p.path and p.kind == "chapter"]
    assert under and all("四 政策建议" in p.path for p in under)
    assert under[0].notes and under[0].notes[0].startswith("本节要感谢")


def test_table_with_unit_header_rows_note_and_source() -> None:
    table = passage_at(chapter("B.1"), 244, "table")
    attrs = table.attrs
    assert attrs["number"] == 1
    assert attrs["caption"] == "表1 2013年以来北京地区人才队伍发展情况"
    assert attrs["unit"] == "万人，%"
    assert attrs["header"] == ["队伍类型", *[f"{year}年" for year in range(2013, 2023)], "年均增速"]
    assert len(attrs["rows"]) == 6
    assert attrs["rows"][0] == [
        "党政人才",
        "21.4",
        "21.5",
        "21.4",
        "21.7",
        "21.4",
        "20.8",
        "21.1",
        "22.4",
        "22.8",
        "23.1",
        "0.18",
    ]
    assert attrs["rows"][-1][0] == "社会工作人才"
    assert attrs["notes"] == ["* 专业技术人才中含管理岗位人才，2022年为55.7万人。"]
    assert attrs["source"] == "《北京地区人才资源统计报告（2022）》。"
    assert table.locator == "B.1 一（一）2. 表1"
    assert table.text.startswith("表1 2013年以来北京地区人才队伍发展情况\n单位：万人，%\n队伍类型\t2013年")


def test_continued_table_joined() -> None:
    table = passage_at(chapter("B.1"), 320, "table")
    attrs = table.attrs
    assert attrs["continued"] == 1
    assert len(attrs["rows"]) == 21  # 17 rows + 4 on the 续表 page, whose repeated header is dropped
    assert [row[0] for row in attrs["rows"][-4:]] == ["平谷区", "怀柔区", "密云区", "延庆区"]
    assert attrs["source"] == "《北京地区人才资源统计报告（2022）》。"
    assert sum(1 for p in chapter("B.1").passages if p.kind == "table" and p.attrs["number"] == 3) == 1
    long_table = next(p for p in chapter("B.11").passages if p.kind == "table" and p.attrs["number"] == 2)
    assert long_table.attrs["continued"] == 4
    assert len(long_table.attrs["rows"]) == 118  # the 118 cities over five pages


def test_table_rows_with_empty_first_cells() -> None:
    b3 = chapter("B.3")
    table = passage_at(b3, 814, "table")
    assert len(table.attrs["rows"]) == 21
    assert table.attrs["rows"][1] == ["", "", "高新技术企业中 R&D 人员数量(人)"]
    # A last row whose only text is in its first cell (its other cells are tabs) stays a
    # row: it is not a heading over the sections after the table.
    assert table.attrs["rows"][-1] == ["电子商务销售额(亿元)"]
    assert not [p for p in b3.passages if any("电子商务销售额(亿元)" in label for label in p.path)]


def test_figure_with_source_and_note() -> None:
    figure = passage_at(chapter("B.1"), 228, "figure")
    assert figure.attrs["number"] == 1
    assert figure.attrs["caption"] == "图 1 2013 年以来北京地区人才资源及密度变化情况"
    assert figure.attrs["source"] == "《北京地区人才资源统计报告（2022）》。"
    assert figure.attrs["notes"][0].startswith("2020 年以前，北京市统计局三次统计产业从业人员")
    # A sentence that starts with "图 14 展示了" is prose, not a caption.
    assert passage_at(chapter("B.3"), 965).kind == "chapter"


def test_footnote_attached_and_emitted() -> None:
    b1 = chapter("B.1")
    paragraph = passage_at(b1, 219, "chapter")
    assert paragraph.notes == ["人才密度指在一定区域或系统内人才数量在从业人员中所占的比重。"]
    footnote = passage_at(b1, 238, "footnote")
    assert footnote.attrs == {"marker": "①", "anchor_line": 219, "page_estimated": True}  # pages 1–19: 17 breaks
    assert footnote.locator == "B.1 一（一）1. 注①"
    header = b1.passages[0]
    assert header.attrs == {"heading": True, "level": 0}
    assert header.notes and header.notes[0].startswith("课题组长：张若冰")  # the author-group note "*"


def test_no_watermark_text_in_any_passage() -> None:
    for doc in documents():
        for passage in doc.passages:
            assert "社会科学文献出版社版权所有" not in passage.text
            assert "本电子文件之权利归" not in passage.text


def test_every_content_line_lands_in_a_passage() -> None:
    """Coverage: share of the book's non-watermark characters found in passage texts or paths."""
    raw = BOOK.read_text(encoding="utf-8").split("\n")
    cleaner = PdfTextCleaner()
    watermarks = cleaner.find_watermarks(raw)
    dropped = cleaner.find_duplicate_blocks(raw)

    def squash(text: str) -> str:
        # Markdown marks (^①, **, list bullets) are extraction debris, not content.
        return re.sub(r"[\s|*^]+", "", normalize_width(text)).lstrip("-")

    blob = "\n".join(squash(text) for doc in documents() for p in doc.passages for text in [p.text, *p.path])
    total = found = 0
    for index, line in enumerate(raw):
        text = line.strip()
        for mark in watermarks:
            text = text.removeprefix(mark).strip()
        if not text or index in dropped:
            continue
        total += len(squash(text))
        found += len(squash(text)) if squash(text) in blob else 0
    assert found / total >= 0.999


def test_text_without_book_structure_gives_nothing() -> None:
    policy = "关于印发《某办法》的通知\n\n第一条 为了规范管理，制定本办法。\n\n第二条 本办法自发布之日起施行。\n"
    assert segment_book(policy, "policy.txt") == []


def test_every_report_paragraph_has_a_citation_of_its_own() -> None:
    # Several paragraphs under one heading are numbered (…B.2 一（二）第3段，第22页): a
    # citation names one passage, never two.
    parsed = Pipeline().segment(BOOK, BOOK.read_bytes(), f"corpus/{BOOK.name}")
    citations = Counter(p.citation for d in parsed.documents for p in d.passages)
    assert [c for c, n in citations.items() if n > 1] == []
    numbered = [c for c in citations if re.search(r"第\d+段(，约?第\d+页)?$", c)]
    assert numbered and all(c.startswith("《北京人才发展报告（2023）》") for c in numbered)
    # A section's mark does not stand before the page's comma: 一，第402页, not 一、，第402页.
    assert not [c for c in citations if re.search(r"[、.]，约?第\d+页$", c)]
    assert any(re.search(r"》[一二三四五六七八九十]+、\d+，约?第\d+页$", c) for c in citations)  # 二、1，第403页


def test_the_parts_of_one_long_paragraph_share_its_number() -> None:
    heading = ["B.9 某某研究", "一 总体情况"]
    passages = [
        Passage("chapter", "第一段。", heading, locator="B.9 一", line=3, page=5),
        Passage("chapter", "第二段的前一半。", heading, locator="B.9 一", line=5, page=5, attrs={"part": 1}),
        Passage("chapter", "第二段的后一半。", heading, locator="B.9 一", line=5, page=5, attrs={"part": 2}),
    ]
    chapter = Document("report_chapter", "某某研究", "B.9", "s", passages, parent_id="book")
    book = Document("report", "某某报告", "book", "s")
    finalize([book, chapter], "s")
    assert [p.citation for p in passages] == ["《某某报告》B.9 一第1段，第5页", *["《某某报告》B.9 一第2段，第5页"] * 2]


def test_a_chapters_first_paragraph_is_its_first() -> None:
    # The title block (智库篇 / Reports on Think Tank / B.15 / title / authors) had counted
    # as 第1段, so the first paragraph of every chapter was cited 第2段.
    book = segment_book(BOOK.read_text(encoding="utf-8"), SOURCE)
    finalize(book, SOURCE)
    chapter = next(d for d in book if d.kind == "report_chapter" and d.key == "B.15")
    block, first = [p for p in chapter.passages if p.kind == "chapter"][:2]
    assert block.text.startswith("智 库 篇") and block.citation.endswith("B.15 标题，约第327页")
    assert "pages_estimated" not in chapter.meta  # a working list, not a field of the document
    assert first.text.startswith("十年树木") and first.citation.endswith("B.15 第1段，约第328页")
