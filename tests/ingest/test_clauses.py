"""ClauseSplitter, count_structure and Chinese numerals.

Real texts: the book's 技能大师 办法, 通知 and 行动方案 (sliced from the corpus by their title
lines), hand-made structures, and the whole archive when ../shared is present. Regulations
and their headers are in test_regulation_clauses.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.numerals import cn_to_int, int_to_cn
from ingest.citations import count_articles
from ingest.model import Document, Passage, PolicyRecord, SourceLine
from ingest.segment.clauses import ClauseSplitter, count_structure
from ingest.segment.policy_document import policy_document_from_text
from tests.ingest.clause_texts import REGULATIONS, REPO, article, items_of, split_text, units

MEASURES_TITLE = "北京市技能大师工作室建设管理办法"


NOTICE_TITLE = "关于 印发《北京市境外职业资格认可目录(3.0版)》的通知"


PLAN_TITLE = "关于进一步推动首都高质量发展取得 新突破的行动方案"


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


def test_a_text_without_articles_counts_its_items_as_items(notice: list[Passage], measures: list[Passage]) -> None:
    # A notice of sections 一、… and items 1. had been listed as 「条文 12 条」.
    count, unit = count_articles(Document("policy", "关于…的通知", "k", "s", notice))
    assert unit == "numbered" and count == len(units(notice, "numbered"))
    assert count_articles(Document("policy", "某办法", "k", "s", measures))[1] == "article"
    record = PolicyRecord("x", "关于…的通知", None, [], None, count, None, [], article_unit=unit)
    assert record.article_measure == "项"
    assert PolicyRecord("y", "某办法", None, [], None, 29, None, []).article_measure == "条"  # as indexed before


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
