"""Chinese dates, validity periods and repeal clauses."""

from __future__ import annotations

import pytest

from ingest.enrich.dates import find_dates, find_repeals, find_valid_until, parse_date

ARTICLE_28 = (
    "第二十八条 本办法自印发之日起执行，执行年限至2030年12月31日。"
    "《关于印发〈北京市技能大师工作室管理办法（试行）〉的通知》（京人社能发〔2019〕125号）同时废止。"
    "对2022年及之前评审确定，仍在项目建设期内的市级工作室建设项目，按之前办法执行到项目建设结束。"
)


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2023年3月17日", "2023-03-17"),
        ("2023 年 3 月 17 日", "2023-03-17"),
        ("二〇二三年三月十七日", "2023-03-17"),
        ("二〇二三年十二月三十一日", "2023-12-31"),
        ("２０２３年３月１７日", "2023-03-17"),
        ("2023-3-7", "2023-03-07"),
        ("2023.03.17", "2023-03-17"),
        ("2023-03-17", "2023-03-17"),
    ],
)
def test_parse_date(raw: str, iso: str) -> None:
    assert parse_date(raw) == iso


def test_parse_date_rejects_impossible_and_partial() -> None:
    assert parse_date("2023年2月30日") is None
    assert parse_date("3月17日") is None
    assert parse_date("3月17日", default_year=2023) == "2023-03-17"
    assert parse_date("2023年3月17日召开会议") is None


def test_dates_in_chinese_numerals() -> None:
    # The numerals are read by analysis.numerals.cn_to_int, the one parser of the tree.
    assert parse_date("二〇二三年十月三十一日") == "2023-10-31"
    assert parse_date("二〇二三年二月三十日") is None  # no such day


def test_find_dates_spans() -> None:
    text = "于2023年3月17日印发，二〇二三年三月二十日施行"
    found = find_dates(text)
    assert [f.iso for f in found] == ["2023-03-17", "2023-03-20"]
    assert text[found[0].start : found[0].end] == "2023年3月17日"


def test_validity_from_article_28() -> None:
    assert find_valid_until(ARTICLE_28) == "2030-12-31"


def test_repeals_from_article_28() -> None:
    assert find_repeals(ARTICLE_28) == [
        {"title": "关于印发〈北京市技能大师工作室管理办法（试行）〉的通知", "doc_number": "京人社能发〔2019〕125号"}
    ]


@pytest.mark.parametrize(
    ("text", "issued", "until"),
    [
        ("本通知自印发之日起施行，有效期三年。", "2023-03-17", "2026-03-16"),
        ("本通知自2024年1月1日起施行，有效期3年。", None, "2026-12-31"),
        ("本规定有效期为5年。", "2020-01-01", "2024-12-31"),
        ("有效期至2025年底。", None, "2025-12-31"),
        ("本方案执行至2025年6月。", None, "2025-06-30"),
        ("本办法自2023年1月1日起施行，有效期至二〇二五年十二月三十一日。", None, "2025-12-31"),
    ],
)
def test_validity_variants(text: str, issued: str | None, until: str) -> None:
    assert find_valid_until(text, issued) == until


def test_validity_of_something_else_is_ignored() -> None:
    text = "外籍人员可办理有效期5年以内的多次签证或居留许可。工作许可有效期至2025年12月31日。"
    assert find_valid_until(text, "2023-01-01") is None
    # A licence's term in a sentence that also names the document (护士条例, 道路交通安全法实施条例).
    renewal = "对具备本条例规定条件的，准予延续，延续执业注册有效期为5年；"
    licence = "第二十二条 机动车驾驶证的有效期为6年，本条例另有规定的除外。"
    assert find_valid_until(renewal, "2008-01-31") is None and find_valid_until(licence, "2004-04-30") is None
    # Said of the document itself, after its name or in a clause of a sentence naming it.
    assert find_valid_until("本办法的有效期为3年。", "2023-03-01") == "2026-02-28"
    assert find_valid_until("本措施自发布之日起实施，有效期为三年。", "2023-03-01") == "2026-02-28"


def test_relative_validity_needs_a_start() -> None:
    assert find_valid_until("本办法有效期3年。") is None


def test_repeal_lists_and_bare_numbers() -> None:
    text = "《A办法》（京人社发（2019）1号）、《B规定》（京教发〔2018〕2号）和京财发〔2017〕3号文件同时废止。"
    assert find_repeals(text) == [
        {"title": "A办法", "doc_number": "京人社发〔2019〕1号"},
        {"title": "B规定", "doc_number": "京教发〔2018〕2号"},
        {"title": None, "doc_number": "京财发〔2017〕3号"},
    ]


def test_repeal_of_a_law_with_date_of_effect() -> None:
    assert find_repeals("本法自公布之日起施行，《中华人民共和国民事诉讼法（试行）》同时废止。") == [
        {"title": "中华人民共和国民事诉讼法（试行）", "doc_number": None}
    ]
    assert find_repeals("《北京市某某办法》自2024年1月1日起废止。") == [{"title": "北京市某某办法", "doc_number": None}]


def test_a_repeal_dates_the_version_it_names() -> None:
    text = "1992年12月12日国务院批准修订、1992年12月21日中国专利局发布的《中华人民共和国专利法实施细则》同时废止。"
    assert find_repeals(text) == [{"title": "中华人民共和国专利法实施细则", "doc_number": None, "date": "1992-12-21"}]


def test_not_a_repeal() -> None:
    text = "行政复议期间不停止执行。依照《立法法》规定的制定、修改和废止程序办理。"
    assert find_repeals(text) == []
