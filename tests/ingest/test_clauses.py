"""ClauseSplitter, count_structure, parse_regulation_header and Chinese numerals.

Real texts: the book's 技能大师 办法, 通知 and 行动方案 (sliced from the corpus by their title
lines), three regulations copied from the archive into tests/data/regulations, and the
whole archive when ../shared is present.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.numerals import cn_to_int, int_to_cn
from ingest.model import Passage, SourceLine
from ingest.pipeline import Pipeline
from ingest.segment.clauses import ClauseSplitter, count_structure, parse_regulation_header
from ingest.segment.policy_document import policy_document_from_text
from ingest.segment.reg_header import version_date

REPO = Path(__file__).resolve().parents[2]
REGULATIONS = Path(__file__).resolve().parents[1] / "data" / "regulations"

MEASURES_TITLE = "北京市技能大师工作室建设管理办法"
NOTICE_TITLE = "关于 印发《北京市境外职业资格认可目录(3.0版)》的通知"
PLAN_TITLE = "关于进一步推动首都高质量发展取得 新突破的行动方案"


# -- helpers ------------------------------------------------------------------------------


def split_text(text: str, first_line: int = 1) -> list[Passage]:
    lines = [SourceLine(line, number) for number, line in enumerate(text.split("\n"), start=first_line)]
    return ClauseSplitter().split(lines)


def units(passages: list[Passage], unit: str) -> list[Passage]:
    return [p for p in passages if p.attrs.get("unit") == unit]


def article(passages: list[Passage], number: int) -> Passage:
    return next(p for p in units(passages, "article") if p.attrs["article"] == number)


def items_of(passages: list[Passage], number: int) -> list[Passage]:
    return [p for p in units(passages, "item") if p.attrs["article"] == number]


def regulation(name: str) -> tuple[list[str], list[Passage]]:
    """A fixture regulation: its raw lines and the split of its body (title removed)."""
    path = next(REGULATIONS.glob(f"{name}*.txt"))
    raw = path.read_text(encoding="utf-8").split("\n")
    lines = [SourceLine(text, number) for number, text in enumerate(raw, start=1)]
    return raw, ClauseSplitter().split(lines[1:])


@pytest.fixture(scope="module")
def book_lines(book_path: Path) -> list[SourceLine]:
    text = book_path.read_text(encoding="utf-8")
    return [SourceLine(line, number) for number, line in enumerate(text.split("\n"), start=1)]


def book_slice(lines: list[SourceLine], title: str, next_title: str) -> list[SourceLine]:
    """From the full-text title line (not its mentions in the catalogue) to the next title."""
    start = next(i for i, line in enumerate(lines) if line.text.strip() == title)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].text.strip().startswith(next_title))
    return lines[start:end]


@pytest.fixture(scope="module")
def book_texts(book_lines: list[SourceLine]) -> dict[str, list[SourceLine]]:
    """The lines of the 办法, the 通知 and the 行动方案, each from its title to the next one."""
    notice_start = next(i for i, line in enumerate(book_lines) if line.text.strip().endswith(NOTICE_TITLE))
    notice_end = next(i for i in range(notice_start, len(book_lines)) if book_lines[i].text.startswith(PLAN_TITLE))
    return {
        "measures": book_slice(book_lines, MEASURES_TITLE, "北京市人力资源和社会保障局 北京市人才工作局"),
        "notice": book_lines[notice_start:notice_end],
        "plan": book_slice(book_lines, PLAN_TITLE + "（2023~2025年）", "Abstract"),
    }


@pytest.fixture(scope="module")
def measures(book_texts: dict[str, list[SourceLine]]) -> list[Passage]:
    return ClauseSplitter().split(book_texts["measures"])


@pytest.fixture(scope="module")
def notice(book_texts: dict[str, list[SourceLine]]) -> list[Passage]:
    return ClauseSplitter().split(book_texts["notice"])


@pytest.fixture(scope="module")
def plan(book_texts: dict[str, list[SourceLine]]) -> list[Passage]:
    return ClauseSplitter().split(book_texts["plan"])


# -- numerals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("一百二十三", 123), ("二十", 20), ("十", 10), ("十五", 15), ("一百零五", 105), ("一千零五", 1005),
     ("两千", 2000), ("二〇二三", 2023), ("１２", 12), ("7", 7)],
)  # fmt: skip
def test_cn_to_int(text: str, value: int) -> None:
    assert cn_to_int(text) == value


def test_cn_to_int_rejects_non_numbers() -> None:
    assert cn_to_int("") is None
    assert cn_to_int("总则") is None
    assert cn_to_int("二十之一") is None


def test_int_to_cn_round_trips() -> None:
    assert [int_to_cn(n) for n in (10, 21, 105, 110, 1010)] == ["十", "二十一", "一百零五", "一百一十", "一千零一十"]
    assert all(cn_to_int(int_to_cn(n)) == n for n in range(1, 3000))
    # Amounts go on past 万: 十万零一十五 (一十 after 零, as written), 十二万零五百.
    written = ["一万", "一万二千", "十万零一十五", "十二万零五百"]
    assert [int_to_cn(n) for n in (10_000, 12_000, 100_015, 120_500)] == written
    assert all(cn_to_int(int_to_cn(n)) == n for n in range(9_000, 130_000, 7))
    with pytest.raises(ValueError):
        int_to_cn(100_000_000)


# -- the book's 办法: chapters, articles, 款 and 项 ---------------------------------------


def test_measures_chapters_and_articles(measures: list[Passage]) -> None:
    assert count_structure(measures) == (6, 29)
    assert [p.attrs["article"] for p in units(measures, "article")] == list(range(1, 30))
    assert article(measures, 4).path == ["第二章 申报条件", "第四条"]
    assert article(measures, 4).locator == "第四条"
    assert article(measures, 4).attrs["chapter"] == 2
    assert article(measures, 29).path[0] == "第六章 附则"  # "附 则" with its typographic space


def test_measures_title_is_the_preamble(measures: list[Passage]) -> None:
    assert measures[0].attrs["unit"] == "preamble"
    assert measures[0].path == ["前言"]
    assert measures[0].text == MEASURES_TITLE


def test_measures_article_four_items(measures: list[Passage], book_lines: list[SourceLine]) -> None:
    items = items_of(measures, 4)
    assert [p.locator for p in items] == ["第四条（一）", "第四条（二）"]
    assert items[0].path == ["第二章 申报条件", "第四条", "（一）"]
    assert items[1].attrs["item"] == 2
    assert items[0].text.endswith("人才才中产生。")  # rejoined across the page break
    assert items[1].text.startswith("(二) 所在单位的条件。")  # original punctuation kept
    # Line numbers point at the source line of the article / item.
    assert book_lines[article(measures, 4).line - 1].text.startswith("第四条")
    assert book_lines[items[1].line - 1].text.startswith("(二)")
    # The article holds its items: one 款, so no paragraphs list.
    assert "（一）技能大师的条件" in article(measures, 4).text
    assert "paragraphs" not in article(measures, 4).attrs


def test_measures_article_sixteen_paragraphs(measures: list[Passage]) -> None:
    paragraphs = article(measures, 16).attrs["paragraphs"]
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("市人力资源社会保障局、市财政局建立绩效考核制度。")
    assert paragraphs[1] == "市级工作室每满2年须参加一次绩效考核。"
    assert len(article(measures, 17).attrs["paragraphs"]) == 4


def test_measures_article_eighteen_dash_items(measures: list[Passage]) -> None:
    items = items_of(measures, 18)
    assert [p.locator for p in items] == ["第十八条（一）", "第十八条（二）", "第十八条（三）", "第十八条（四）"]
    assert all(not p.text.startswith("-") for p in items)
    assert items[1].text == "(二) 绩效考核不合格，经整改后仍不合格的；"
    assert "\n- " not in article(measures, 18).text
    assert "取消工作室称号" in article(measures, 18).text  # page break inside the first 款


def test_measures_line_cut_after_a_comma_is_rejoined(measures: list[Passage]) -> None:
    text = article(measures, 24).text
    assert "市属局（总公司）、企业集团可根据本办法" in text
    assert "paragraphs" not in article(measures, 24).attrs


# -- the book's 通知 and 行动方案: sections and numbered items ------------------------------


def test_notice_sections_and_items(notice: list[Passage]) -> None:
    assert units(notice, "article") == []
    assert [p.locator for p in units(notice, "section")] == ["一、", "二、", "三、", "四、", "五、"]
    first = units(notice, "section")[0]
    assert first.path == ["一、提供国际专业人员来京便利服务"]
    # The section's intro paragraph opens a list: the section holds the list, as an
    # article holds its items, and each numbered unit is still a passage of its own.
    lead, listed = first.text.split("\n1. ", 1)
    assert lead.endswith("享受以下便利化服务:") and listed.startswith("中国籍人员可纳入")
    numbered = units(notice, "numbered")
    assert first.text.endswith(numbered[5].text)
    assert [p.locator for p in numbered[:7]] == ["一、1.", "一、2.", "一、3.", "一、4.", "一、5.", "一、6.", "二、1."]
    assert numbered[0].path == ["一、提供国际专业人员来京便利服务", "1."]
    assert "京人社事业发〔2023〕24号" in notice[0].text  # title and 文号 stay in the preamble


def test_action_plan_measures(plan: list[Passage]) -> None:
    measures = units(plan, "numbered")
    assert [p.attrs["item"] for p in measures] == list(range(1, 51))
    assert measures[0].locator == "二、1."
    assert measures[6].locator == "三、7."
    assert measures[-1].locator == "六、50."
    first = measures[0]
    assert first.attrs["title"] == "坚定不移疏解非首都功能"
    assert first.path[-1] == "1. 坚定不移疏解非首都功能"
    # The measure carries its paragraph, not joined to its title line.
    assert first.text.split("\n")[0] == "1. 坚定不移疏解非首都功能"
    assert first.text.split("\n")[1].startswith("深化完善激励约束政策体系")
    sections = units(plan, "section")
    assert [p.locator for p in sections] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert sections[0].path == ["一、总体要求"]
    assert sections[1].path[0].startswith("二、持续强化创新和产业补链强链，推动京津冀")
    assert plan[0].attrs["unit"] == "preamble"  # title and the 为…制定本行动方案 preamble


# -- synthetic texts: 目录, 之一, wrapped and unnumbered headings, page breaks ---------------

TOC_LAW = """某某条例
目录
第一章 总则
第二章 管理
第一节 一般规定
第二节 特别规定
第三章 附则
第一章 总则
第一条 为了……，制定本条例。
第二章 管理
第一节 一般规定
第二条 一般规定。
第二节 特别规定
第三条 特别规定。
第三章 附则
第四条 本条例自2024年1月1日起施行。"""


def test_toc_block_is_not_structure() -> None:
    passages = split_text(TOC_LAW)
    assert count_structure(passages) == (3, 4)
    assert passages[0].attrs["unit"] == "preamble"
    assert "目录\n第一章 总则\n第二章 管理" in passages[0].text  # kept as text, not lost
    assert article(passages, 3).path == ["第二章 管理", "第二节 特别规定", "第三条"]
    assert article(passages, 3).attrs["section"] == 2


def test_toc_on_one_line_is_not_structure() -> None:
    text = "第一章 总则 第二章 附则\n\n第一章 总则\n\n第一条 甲。\n\n第二章 附则\n\n第二条 乙。"
    assert count_structure(split_text(text)) == (2, 2)


def test_zhi_yi_articles() -> None:
    text = "第二十条 甲。\n第二十条之一 乙。\n第二十条之二　丙。\n第二十一条 丁。"
    passages = units(split_text(text), "article")
    assert [(p.attrs["article"], p.attrs.get("article_sub")) for p in passages] == [
        (20, None), (20, 1), (20, 2), (21, None),
    ]  # fmt: skip
    assert [p.locator for p in passages] == ["第二十条", "第二十条之一", "第二十条之二", "第二十一条"]


def test_big_article_numbers() -> None:
    passages = split_text("第一百二十三条 甲。\n第一千零五条 乙。")
    assert [p.attrs["article"] for p in passages] == [123, 1005]


def test_wrapped_chapter_title_is_rejoined() -> None:
    text = "第二章  工作报告的审议，国民经济计划和\n\n财政预决算的审查\n\n第十九条 甲。"
    passages = split_text(text)
    assert passages[0].path == ["第二章 工作报告的审议，国民经济计划和财政预决算的审查", "第十九条"]


def test_unnumbered_heading_stays_under_its_chapter() -> None:
    text = "第三章 业主组织\n\n业主大会\n\n第十三条 甲。\n\n业主委员会\n\n第十四条 乙。\n\n第四章 其他\n\n第十五条 丙。"
    passages = split_text(text)
    assert count_structure(passages) == (2, 3)
    assert article(passages, 14).path == ["第三章 业主组织", "业主委员会", "第十四条"]
    assert article(passages, 15).path == ["第四章 其他", "第十五条"]


def test_a_header_date_above_the_first_article_is_not_its_heading() -> None:
    # With no chapter between the header and 第一条, every article's path began with the
    # header's last line (104 of the archive's 3,423 texts: 「2016年10月1日施行 › 第一条」).
    for last in ("2016年10月1日 施行", "1982年8月30日国务院批准", "（1985年12月30日）"):
        header = "某市养犬管理条例\n\n2016年4月28日 某市人民代表大会常务委员会通过"
        text = f"{header}\n\n{last}\n\n第一条 甲。\n\n第二条 乙。"
        document = policy_document_from_text(text, "x.txt")
        assert document is not None
        assert [p.path for p in document.passages] == [["前言"], ["第一条"], ["第二条"]], last
        assert last in document.passages[0].text


def test_sentence_starting_like_a_heading_is_text() -> None:
    text = "第一条 甲。\n第七节相应改为第八节，第一百二十三条至第一百三十八条相应改为第一百二十八条至第一百四十三条。"
    passages = split_text(text)
    assert count_structure(passages) == (0, 1)
    assert "第七节相应改为第八节" in passages[0].text


def test_enumeration_of_numbers_is_not_an_item() -> None:
    passages = split_text("第五条 规定如下：\n一、二级海塘应当……；\n二、其他。")
    assert [p.locator for p in units(passages, "item")] == ["第五条（二）"]


def test_old_style_items_inside_articles() -> None:
    passages = split_text("第七条 下列人员可以申请：\n一、中国人的近亲属；\n二、定居在中国的。")
    assert [p.locator for p in units(passages, "item")] == ["第七条（一）", "第七条（二）"]


def test_group_headings_above_articles() -> None:
    passages = split_text("为……，解释如下：\n一、一般规定\n第一条 甲。\n二、管辖\n第二条 乙。")
    assert article(passages, 2).path == ["二、管辖", "第二条"]
    assert article(passages, 2).attrs["group"] == 2


def test_page_change_rejoins_a_paragraph() -> None:
    lines = [
        SourceLine("第一条 市级工作室由所在单位向区人力资源社会保障局", 10, page=5),
        SourceLine("提出申请。", 11, page=6),
        SourceLine("区人力资源社会保障局负责审核。", 12, page=6),
    ]
    passage = ClauseSplitter().split(lines)[0]
    assert passage.attrs["paragraphs"] == [
        "市级工作室由所在单位向区人力资源社会保障局提出申请。",
        "区人力资源社会保障局负责审核。",
    ]
    assert (passage.line, passage.page) == (10, 5)


def test_text_before_any_marker_is_one_preamble_passage() -> None:
    passages = split_text("标题\n京人社能发〔2023〕3号\n各有关单位：\n现通知如下。")
    assert len(passages) == 1
    assert passages[0].locator == "前言"
    assert passages[0].text.count("\n") == 3


def test_empty_input() -> None:
    assert ClauseSplitter().split([]) == []
    assert ClauseSplitter().split([SourceLine("", 1), SourceLine("  ", 2)]) == []


def test_subsection_locators_in_notices() -> None:
    text = "一、总体要求\n（一）指导思想\n坚持……。\n1. 第一项\n2. 第二项\n（二）目标\n二、保障"
    passages = split_text(text)
    assert [p.locator for p in passages] == ["一、", "一、（一）", "一、（一）1.", "一、（一）2.", "一、（二）", "二、"]
    assert passages[1].text == "（一）指导思想\n坚持……。"
    assert passages[3].attrs == {"unit": "numbered", "group": 1, "subgroup": 1, "item": 2, "title": "第二项"}


# -- real regulations from the archive ----------------------------------------------------


def test_regulation_with_toc_and_unnumbered_chapters() -> None:
    # Its 目录 lists eight chapters; the body spells the first three without "第N章".
    raw, passages = regulation("重庆市长江防护林体系管理条例")
    assert count_structure(passages) == (8, 44)
    assert article(passages, 1).path == ["第一章 总则", "第一条"]
    assert article(passages, 7).path[0] == "第二章 规划管理"
    assert article(passages, 44).path[0] == "第八章 附则"
    header = parse_regulation_header(raw)
    assert header["title"] == "重庆市长江防护林体系管理条例"
    assert header["agency"] == "重庆市人民代表大会常务委员会"
    assert [(e["event"], e["date"]) for e in header["dates"][:3]] == [
        ("通过", "1998-05-29"), ("修正", "2010-07-23"), ("修正", "2019-05-31"),
    ]  # fmt: skip


def test_regulation_with_one_line_toc() -> None:
    raw, passages = regulation("重庆市各级人民代表大会常务委员会人事任免工作条例")
    assert count_structure(passages) == (6, 37)
    header = parse_regulation_header(raw)
    events = [(e["event"], e["date"]) for e in header["dates"] if e.get("source") != "body"]
    assert events == [
        ("通过", "1997-10-17"), ("修订", "2004-05-30"), ("修正", "2007-07-27"),
        ("修正", "2016-03-31"), ("修正", "2022-06-10"),
    ]  # fmt: skip
    assert header["dates"][3]["agency"] == "重庆市人民代表大会"  # a congress session, not its standing committee


def test_national_law_with_appendix() -> None:
    raw, passages = regulation("国徽法")
    assert count_structure(passages) == (0, 19)
    assert article(passages, 19).text == "第十九条 本法自1991年10月1日起施行。"  # the 附件 is not in it
    appendix = units(passages, "appendix")
    assert len(appendix) == 1
    assert appendix[0].path == ["附件"]
    assert "国徽之涂色为金红二色" in appendix[0].text
    assert len(article(passages, 17).attrs["paragraphs"]) == 3
    assert [p.locator for p in items_of(passages, 4)][-1] == "第四条（九）"
    header = parse_regulation_header(raw)
    assert header["agency"] == "全国人民代表大会常务委员会"
    assert header["dates"][0] == {"event": "通过", "date": "1991-03-02", "agency": "全国人民代表大会常务委员会"}
    assert header["dates"][-1] == {"event": "施行", "date": "1991-10-01", "source": "body"}


# -- headers ----------------------------------------------------------------------------


def test_parenthesised_header() -> None:
    header = parse_regulation_header(
        [
            "北京市实施《中华人民共和国节约能源法》办法",
            "（2004年6月18日北京市第十二届人民代表大会常务委员会第十二次会议通过　根据2010年12月23日"
            "北京市第十三届人民代表大会常务委员会第二十二次会议《关于修改部分地方性法规的决定》修正）",
            "第一条　为了……",
        ]
    )
    assert header["agency"] == "北京市人民代表大会常务委员会"
    assert [(e["event"], e["date"]) for e in header["dates"]] == [("通过", "2004-06-18"), ("修正", "2010-12-23")]


def test_header_with_two_bodies_and_fullwidth_digits() -> None:
    header = parse_regulation_header(
        [
            "某解释",
            "2011年3月28日 最高人民法院审判委员会第1516次会议、"
            "2011年4月13日最高人民检察院第十一届检察委员会第60次会议通过",
            "２０１１年７月２０日 最高人民法院、最高人民检察院公告公布",
            "2011年8月1日 施行",
        ]
    )
    assert [e["event"] for e in header["dates"]] == ["通过", "通过", "公布", "施行"]
    assert header["dates"][2]["date"] == "2011-07-20"
    assert header["agency"] == "最高人民法院审判委员会"
    assert header["agencies"] == [
        "最高人民法院审判委员会",
        "最高人民检察院检察委员会",
        "最高人民法院",
        "最高人民检察院",
    ]


def test_a_body_named_by_its_level_alone_gets_its_place() -> None:
    header = parse_regulation_header(
        [
            "杭州市民用建筑节能条例",
            "2014年8月29日 市十二届人大常委会第二十一次会议通过",
            "2014年11月28日 省十二届人大常委会第十四次会议批准",
            "2014年12月31日 杭州市人民代表大会常务委员会第36号公布",
        ]
    )
    assert header["agency"] == "杭州市人民代表大会常务委员会"  # the fuller name further down
    assert header["agencies"] == ["杭州市人民代表大会常务委员会", "省人民代表大会常务委员会"]
    by_title = parse_regulation_header(["宁波市人民调解条例", "2015年1月1日 市十四届人大常委会第十八次会议通过"])
    assert by_title["agency"] == "宁波市人民代表大会常务委员会"  # the place the title opens with
    unknown = parse_regulation_header(["物业管理条例", "2015年1月1日 市十四届人大常委会第十八次会议通过"])
    assert unknown["agency"] == "市人民代表大会常务委员会"  # no place anywhere: left as written


def test_header_events_and_agencies_of_state_council_rules() -> None:
    header = parse_regulation_header(
        [
            "医疗器械监督管理条例",
            "2000年1月4日 中华人民共和国国务院令第276号公布",
            "2014年2月12日 国务院第39次常务会议修订通过",
            "2017年5月4日 《国务院关于修改〈医疗器械监督管理条例〉的决定》修订",
            "二〇二一年二月九日 国务院第119次常务会议修订通过",
        ]
    )
    assert [(e["event"], e["date"]) for e in header["dates"]] == [
        ("公布", "2000-01-04"), ("修订", "2014-02-12"), ("修订", "2017-05-04"), ("修订", "2021-02-09"),
    ]  # fmt: skip
    assert header["agency"] == "国务院"


def test_a_body_without_the_year_of_its_meeting_and_an_act_that_names_none() -> None:
    header = parse_regulation_header(
        ["某规定", "2021年11月16日 国家互联网信息办公室2021年第20次室务会议审议通过", "2022年3月1日 施行"]
    )
    assert header["agency"] == "国家互联网信息办公室"
    header = parse_regulation_header(
        ["某解释", "1994年10月27日 印发，根据", "2020年12月23日 最高人民法院审判委员会第1823次会议通过"]
    )
    assert header["agencies"] == ["最高人民法院审判委员会"]  # 印发 is what was done, not who did it
    # A header that lost the 次 of its meeting (重庆市动物防疫条例): the body, not 委员会第四.
    header = parse_regulation_header(["某条例", "2013年7月24日 重庆市第四届人民代表大会常务委员会第四会议通过"])
    assert header["agency"] == "重庆市人民代表大会常务委员会"
    # A congress's name one slip away (the archive's own headers) is that name: a facet value
    # of its own hid the text from a filter by the body (北京市邮政通信条例).
    for slip, body in (
        ("北京市第九届人民代表大会常务员会第十次会议通过", "北京市人民代表大会常务委员会"),
        ("广东省第十届人民代表大会常委员会第五次会议通过", "广东省人民代表大会常务委员会"),
        ("洛阳市第十四届人民代表大会常务委员会会第八次会议通过", "洛阳市人民代表大会常务委员会"),
        ("临沂市第十八届人民代表会第三次会议通过", "临沂市人民代表大会"),
        ("郑州市第十三届人民代表大会常务委员第五次会议通过", "郑州市人民代表大会常务委员会"),
    ):
        assert parse_regulation_header(["某条例", f"2013年7月24日 {slip}"])["agency"] == body, slip
    # Who promulgates a text issues it, not the body that only approved it (打捞沉船管理办法,
    # 信访工作条例 had been credited to 国务院 and 中共中央政治局).
    header = parse_regulation_header(["某办法", "1957年9月7日 国务院批准", "1957年10月11日 交通部发布"])
    assert header["agency"] == "交通部" and header["agencies"] == ["国务院", "交通部"]
    header = parse_regulation_header(
        ["某条例", "2022年1月24日 中共中央政治局会议审议批准", "2022年2月25日 中共中央、国务院发布"]
    )
    assert header["agency"] == "中共中央、国务院"
    text = "信访工作条例\n2022年2月25日 中共中央、国务院发布\n第一条 为了加强信访工作，制定本条例。\n"
    document = Pipeline().parse_bytes(Path("x.txt"), text.encode("utf-8"), "x.txt").documents[0]
    assert document.meta["agencies"] == ["中共中央", "国务院"]  # each a facet value
    # An event or an act is no body: 起生效, 《…的决定》修改, 以…号通知印发, 总理办公会议.
    for line in (
        "2019年10月1日 起生效）",
        "2022年3月24日 《国家市场监督管理总局关于修改和废止有关规章的决定》修改",
        "1993年8月7日 最高人民法院以法发〔1993〕15号通知印发）",
        "1998年9月17日，我院以法〔1998〕86号通知印发了《…的意见》",
    ):
        header = parse_regulation_header(["某规定", "2019年3月25日 最高人民法院审判委员会第1763次会议通过", line])
        assert header["agencies"] in (["最高人民法院审判委员会"], ["最高人民法院审判委员会", "最高人民法院"]), line


def test_header_without_dates() -> None:
    header = parse_regulation_header(["北京市技能大师工作室建设管理办法", "京人社能发〔2023〕3号", "第一章 总 则"])
    assert header["title"] == "北京市技能大师工作室建设管理办法"
    assert header["doc_number"] == "京人社能发〔2023〕3号"
    assert header["agency"] is None
    assert header["dates"] == []


def test_a_text_is_dated_by_the_version_it_holds() -> None:
    # Two versions of one regulation share their adoption date; each text's latest
    # amendment or revision tells them apart. 施行 is when a version takes effect.
    head = "北京市安全生产条例\n2004年7月29日 北京市第十二届人民代表大会常务委员会第十三次会议通过\n"
    older = (
        head + "2016年11月25日 北京市第十四届人民代表大会常务委员会第三十一次会议修正\n第一条 为了安全，制定本条例。"
    )
    newer = older.replace("第一条", "2022年5月25日 北京市第十五届人民代表大会常务委员会第三十九次会议修订\n第一条")
    dates = [policy_document_from_text(text, "x.txt").meta["date"] for text in (older, newer)]  # type: ignore[union-attr]
    assert dates == ["2016-11-25", "2022-05-25"]
    assert (
        version_date([{"event": "通过", "date": "2010-01-05"}, {"event": "施行", "date": "2010-03-01"}]) == "2010-01-05"
    )
    assert version_date([{"event": "施行", "date": "2010-03-01"}]) == "2010-03-01"
    assert version_date([]) is None


def test_a_title_quoted_in_a_title_is_cited_with_inner_marks(tmp_path: Path) -> None:
    text = "广东省实施《中华人民共和国消防法》办法\n第一条 为了实施消防法，制定本办法。\n第二条 自公布之日起施行。"
    parsed = Pipeline().parse_bytes(tmp_path / "a.txt", text.encode("utf-8"), "a.txt")
    document = parsed.documents[0]
    assert document.title == "广东省实施《中华人民共和国消防法》办法"  # the title as written
    citations = [p.citation for p in document.passages]
    assert citations[0] == "《广东省实施〈中华人民共和国消防法〉办法》第一条"
    assert all(c.count("《") == 1 and c.count("》") == 1 for c in citations)


# -- the whole archive -------------------------------------------------------------------


def run_measure(*args: str) -> subprocess.CompletedProcess[str]:
    script = REPO / "scripts" / "measure_segmentation.py"
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, timeout=600)


def test_measure_script_reports_a_missing_archive(tmp_path: Path) -> None:
    result = run_measure("--archive", str(tmp_path / "absent.tar.gz"))
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "not found" in result.stderr


@pytest.mark.shared
def test_archive_agreement(shared_dir: Path) -> None:
    archive = shared_dir / "corpora" / "regulations.tar.gz"
    if not archive.is_file():
        pytest.skip(f"{archive} is absent")
    result = run_measure("--archive", str(archive), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["documents"] > 3000
    assert summary["articles_exact_pct"] >= 99.0
    assert summary["chapters_exact_pct"] >= 99.0
    assert summary["chapters_structure_pct"] >= 99.0
    assert summary["title_exact_pct"] >= 99.0


def _lost_lines(lines: list[SourceLine], passages: list[Passage]) -> list[str]:
    """Non-blank input lines found in no passage's text or path (whitespace ignored)."""
    squash = str.maketrans("", "", " \u3000\t\u2002\u2003")
    kept = "".join(p.text + "".join(p.path) for p in passages).translate(squash)
    texts = (line.text.strip().lstrip("-").translate(squash) for line in lines)
    return [text for text in texts if text and text not in kept]


@pytest.mark.parametrize(
    "name", ["重庆市长江防护林体系管理条例", "重庆市各级人民代表大会常务委员会人事任免工作条例", "国徽法"]
)
def test_no_text_is_lost_in_regulations(name: str) -> None:
    path = next(REGULATIONS.glob(f"{name}*.txt"))
    lines = [SourceLine(text, n) for n, text in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1)]
    assert _lost_lines(lines[1:], ClauseSplitter().split(lines[1:])) == []


@pytest.mark.parametrize("name", ["measures", "notice", "plan"])
def test_no_text_is_lost_in_the_book(book_texts: dict[str, list[SourceLine]], name: str) -> None:
    body = book_texts[name]
    assert _lost_lines(body, ClauseSplitter().split(body)) == []


def test_a_second_list_is_cited_under_its_paragraph() -> None:
    # Two lists in one article: the second's （一） is 第九条第二款（一）, not the first's again.
    passages = split_text(
        "第九条 申请人应当具备下列条件：\n（一）年满十八周岁；\n（二）身体健康。\n"
        "有下列情形之一的，不予受理：\n（一）受过刑事处罚的；\n（二）被吊销证书的。\n第十条 附则。\n"
    )
    assert [p.locator for p in units(passages, "item")] == [
        "第九条（一）",
        "第九条（二）",
        "第九条第二款（一）",
        "第九条第二款（二）",
    ]


def test_a_regulation_s_own_doc_number_is_never_one_its_preamble_cites() -> None:
    own = "某某规定\n\n法释〔2025〕1号\n\n第一条 为了……，制定本规定。\n"
    assert policy_document_from_text(own, "own.txt").meta["doc_number"] == "法释〔2025〕1号"  # type: ignore[union-attr]
    bracketed = "某某解答\n\n（1993年8月7日 最高人民法院以法发〔1993〕15号通知印发）\n\n一、问：……\n"
    assert policy_document_from_text(bracketed, "b.txt").meta["doc_number"] == "法发〔1993〕15号"  # type: ignore[union-attr]
    cited = (
        "某某规定\n\n1999年12月1日 最高人民法院审判委员会第1090次会议通过\n\n"
        "1998年9月17日，我院以法〔1998〕86号通知印发了《关于……的意见》，现重新作如下规定：\n\n第一条 ……\n"
    )
    assert "doc_number" not in policy_document_from_text(cited, "c.txt").meta  # type: ignore[union-attr]


def test_a_text_without_header_dates_is_dated_by_its_file_name() -> None:
    # 30 of the archive's 33 texts without a dated header carry their date so.
    text = "保护海底电缆规定\n\n(一) 保护海底电缆是加强海防建设的重要措施。\n"
    dated = policy_document_from_text(text, "regulations/行政法规/保护海底电缆规定(1973-05-30).txt")
    assert dated is not None and dated.meta["date"] == "1973-05-30"
    undated = policy_document_from_text(text, "regulations/行政法规/保护海底电缆规定.txt")
    assert undated is not None and "date" not in undated.meta
    impossible = policy_document_from_text(text, "regulations/保护海底电缆规定(1973-02-30).txt")
    assert impossible is not None and "date" not in impossible.meta
    # A header's own date wins over the name's.
    headed = "某条例\n（2001年1月2日某省人民代表大会常务委员会通过）\n第一条 为了规范，制定本条例。\n"
    assert policy_document_from_text(headed, "x/某条例(1999-09-09).txt").meta["date"] == "2001-01-02"  # type: ignore[union-attr]
