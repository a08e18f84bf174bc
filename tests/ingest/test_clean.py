"""PdfTextCleaner on the real book: watermarks, rights notice, page-break rejoining, pages."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ingest.clean import PdfTextCleaner, normalize_width
from ingest.model import SourceLine
from ingest.segment.toc import parse_toc
from ingest.sentence_joins import is_terminal, join_text

BOOK = Path(__file__).resolve().parents[2] / "corpus" / "北京人才发展报告2023.txt"
WATERMARK = "社会科学文献出版社版权所有"


@lru_cache(maxsize=1)
def raw_text() -> str:
    return BOOK.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def cleaned() -> tuple[SourceLine, ...]:
    text = raw_text()
    toc = parse_toc(text.split("\n"))
    assert toc is not None
    return tuple(PdfTextCleaner().clean(text, toc.page_anchors(text.split("\n"))))


def line_at(number: int) -> SourceLine:
    return next(line for line in cleaned() if line.line == number)


def test_normalize_width_is_one_to_one() -> None:
    text = "（一）ＡＢＣ１２３，：；　！"
    assert normalize_width(text) == "(一)ABC123,:; !"
    assert len(normalize_width(text)) == len(text)
    assert normalize_width("京人社事业发〔2023〕24号") == "京人社事业发〔2023〕24号"  # not ASCII: kept


def test_terminal_punctuation_and_joining() -> None:
    assert is_terminal("……集聚效应稳步凸显。")
    assert is_terminal("高达70%。^①")  # a footnote marker after the full stop
    assert not is_terminal("持续推进人才领域改革创新，打出")
    assert not is_terminal("（见图 29）")
    assert join_text("主动", "做减法") == "主动做减法"
    assert join_text("solid talent", "support for") == "solid talent support for"


def test_watermark_found_by_repetition() -> None:
    lines = raw_text().split("\n")
    assert PdfTextCleaner().find_watermarks(lines) == {WATERMARK}


def test_no_watermark_or_rights_notice_left() -> None:
    texts = [line.text for line in cleaned()]
    assert not any(WATERMARK in text for text in texts)
    assert not any("本电子文件之权利归" in text for text in texts)
    dropped = PdfTextCleaner().find_duplicate_blocks(raw_text().split("\n"))
    assert dropped == {15, 68, 69, 70, 71, 72}  # 0-based: line 16 and the wrapped copy 69-73


def test_glued_watermark_prefix_removed() -> None:
    assert line_at(4950).text == "(二) 北京国际人才服务评价体系构建"


def test_line_numbers_point_into_the_source() -> None:
    raw = raw_text().split("\n")
    for line in cleaned():
        source = raw[line.line - 1].strip().replace("^", "")  # the caret of ^① is dropped
        source = re.sub(r"^- (?=\[\d+\])", "", source)  # and the bullet of "- [1] …"
        if WATERMARK in source:
            continue
        assert line.text.strip().startswith(source[:10]), (line.line, line.text[:30])


def test_markdown_caret_and_bare_rules_dropped() -> None:
    """^① is a superscript reference (the mark stays, the caret goes); a lone "-" above a
    page's footnotes is a rule, not text, and no line of its own."""
    assert line_at(238).text.startswith("① 人才密度指")
    assert "（339 人次）①。" in line_at(308).text
    assert not any(line.text.strip() in ("-", "*", "---") for line in cleaned())
    assert line_at(539).text.startswith("- ① 谭新雨")  # the footnote after the rule is kept
    text = "正文甲^②，乙。\n\n-\n- ② 注释。\n"
    assert [line.text for line in PdfTextCleaner().clean(text)] == ["正文甲②，乙。", "- ② 注释。"]


def test_paragraph_rejoined_across_page_break() -> None:
    assert "谋发展，主动做减法，成为全国第一个减量发展的超大城市" in line_at(219).text
    assert all(line.line != 223 for line in cleaned())  # the second half was absorbed


def test_a_paragraph_cut_inside_a_word_is_rejoined() -> None:
    # A page break that left one blank line after a short paragraph: 职工队伍 chapter read
    # "…向第二个百年奋" ¶ "斗目标进军的新征程" on its page.
    assert "向第二个百年奋斗目标进军的新征程" in line_at(2393).text
    assert "在银行服务领域特别是消费金融" in line_at(732).text
    # A heading ends on a whole word: the paragraph after it stays its own.
    text = "坚持全球视野，把引进人才作为当务之急\n\n加快推进高水平科技自立自强，破解关键核心技术。\n"
    assert len(PdfTextCleaner().clean(text)) == 2


def test_a_character_the_page_break_repeats_is_dropped() -> None:
    # The book repeats a page's last character on the next (…优秀高技能人才 | 才中产生): the
    # 技能大师工作室 办法's 第四条（一）, the clause applicants cite, read 人才才中产生.
    assert "等符合条件的优秀高技能人才中产生。" in line_at(6890).text
    assert "要加大对高精尖产业领域" in line_at(1858).text
    # A doubled character that is one word (常常, 年年有余) stays.
    prose = "这是一段很长的正文，用来说明分页处的段落会被重新连接起来，而不会因为分页被切断成两半，"
    cases = [("读者们常", "常在这里停下来。", "读者们常常在这里停下来。"), ("祝大家年", "年有余。", "祝大家年年有余。")]
    cases.append(("从优秀的青年人才", "才中选拔。", "从优秀的青年人才中选拔。"))
    for left, right, read in cases:
        assert PdfTextCleaner().clean(f"{prose}{left}\n\n\n\n{right}\n")[0].text == prose + read


def test_rejoined_across_footnotes_and_figures() -> None:
    # The 摘要 continues after the author footnote and the page break.
    assert "当前，北京正紧紧围绕“四个中心”功能建设" in line_at(199).text
    # A figure caption and its source sit between the two halves.
    assert "《自然》集团发布的《国际科技创新中心指数 2022》" in line_at(383).text
    order = [line.line for line in cleaned()]
    assert order.index(388) == order.index(383) + 1  # the figure follows the rejoined paragraph


def test_rejoined_event_catalogue_entry_and_clause() -> None:
    assert "调研区域创新体系、国家技术创新中心以及科技领军企业发展情况" in line_at(6732).text
    assert line_at(6864).text.endswith("（京政办发〔2023〕19号，北京市人民政府办公厅，8月22日)")
    assert line_at(6934).text.endswith("企业集团负责市级工作室的日常指导和管理。") is False
    assert "企业集团负责市级工作室的日常指导和管理。" in line_at(6934).text
    assert line_at(7305).text.endswith("提升“北京外包”服务水平。")


def test_headings_captions_and_titles_not_joined() -> None:
    assert line_at(217).text == "1. 人才资源总量变化情况"
    assert line_at(901).text == "图6 北京、上海和深圳的专利授权量"
    assert line_at(3785).text == "关键词： 人才黏性 问卷调查 人才感知体验"
    assert line_at(6870).text.endswith("9月5日)")
    assert line_at(6876).text == "北京市技能大师工作室建设管理办法"
    assert line_at(7359).text.startswith("Keywords:") and "II Reports" not in line_at(7359).text


def test_table_rows_keep_their_empty_leading_cells() -> None:
    assert line_at(818).text == "\t\t高新技术企业中 R&D 人员数量(人)"
    assert line_at(837).text == "电子商务销售额(亿元)\t\t"  # and its empty last cells
    assert PdfTextCleaner().clean("一段正文。\t \n")[0].text == "一段正文。"  # one tab is layout


def test_pages_from_the_table_of_contents() -> None:
    assert line_at(191).page == 1  # B.1 starts on page 001
    assert line_at(498).page == 20  # B.2 on 020
    assert line_at(6710).page == 389  # 附录一
    assert line_at(7343).page == 424  # Contents
    assert all(line.page is None for line in cleaned() if line.line < 191)
    pages = [line.page for line in cleaned() if line.page is not None]
    assert pages == sorted(pages)
    last_of_b1 = line_at(492).page
    assert last_of_b1 is not None and 18 <= last_of_b1 <= 19  # the end of B.1 is before page 20


def test_a_long_title_is_not_joined_with_the_dated_header_below_it() -> None:
    # A title of 70 characters with 、 in it reads like a long prose line; the header's
    # first event had been glued to it (…若干问题的解释2004年9月1日 最高人民法院…通过).
    title = (
        "最高人民法院、最高人民检察院关于办理利用互联网、移动通讯终端、声讯台制作、复制、出版、"
        "贩卖、传播淫秽电子信息刑事案件具体应用法律若干问题的解释"
    )
    held = "2004年9月1日 最高人民法院审判委员会第1323次会议、2004年9月2日最高人民检察院第十届检察委员会第26次会议通过"
    text = f"{title}\n\n{held}\n\n2004年9月6日 施行\n"
    lines = [line.text for line in PdfTextCleaner().clean(text) if line.text.strip()]
    assert lines[0] == title and lines[1].startswith("2004年9月1日")


def test_a_markdown_link_shows_its_label() -> None:
    # 劳动仲裁和劳动诉讼的攻略 (the archive's 其他) was converted from Markdown: its source
    # showed as [https://github.com/…](https://github.com/…).
    text = "该攻略出自\n\n[https://example.org/996.law](https://example.org/996.law)\n\n见[说明](https://example.org/a)。\n"
    lines = [line.text for line in PdfTextCleaner().clean(text) if line.text.strip()]
    assert lines == ["该攻略出自", "https://example.org/996.law", "见说明。"]


def test_a_page_is_marked_estimated_where_breaks_and_pages_differ() -> None:
    # Between two anchors, 3 pages and 3 breaks seen: each page is known. Between the next
    # two, 4 pages and 1 break: the pages are spread, an estimate a citation says is one
    # (the 大事记's 20 entries had all been cited 第392页 as if read off the page).
    rows = iter(f"第{n}页的正文。" for n in range(1, 10))
    page = lambda: next(rows)  # noqa: E731 - each line its own text (a repeated line is a running head)
    text = "\n".join([page(), "", "", "", page(), "", "", "", page(), "", "", "", page(), "", "", "", page()])
    text += "\n" + "\n".join([page(), page(), ""])
    cleaner = PdfTextCleaner()
    lines = cleaner.clean(text, {1: 10, 13: 13, 18: 17})
    assert [line.page for line in lines][:4] == [10, 11, 12, 13]
    assert cleaner.estimated_pages == [(14, 18), (19, 21)]  # the last anchor has no end: a lower bound
