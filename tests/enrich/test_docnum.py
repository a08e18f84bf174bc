"""文号 parsing: bracket and spacing variants, finding in text, issuer → agencies."""

from __future__ import annotations

import pytest

from knowledge.docnum import DocNumber, PrefixTable, find_doc_numbers, issuer_agencies, parse_doc_number, spellings

SCITECH = "北京市科学技术委员会、中关村科技园区管理委员会"


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("京政办发〔2023〕20号", "京政办发〔2023〕20号"),
        ("京政办发2023 20号", "京政办发〔2023〕20号"),
        ("京政办发202320号", "京政办发〔2023〕20号"),
        ("京人社能发[2023]3号", "京人社能发〔2023〕3号"),
        ("京人社事业发（2022）51号", "京人社事业发〔2022〕51号"),
        ("京人社事业发(2022)51号", "京人社事业发〔2022〕51号"),
        ("京知局【2023】55号", "京知局〔2023〕55号"),
        ("京教职成［2023］6号", "京教职成〔2023〕6号"),
        ("国发〔2023〕 5 号", "国发〔2023〕5号"),
        ("国发 〔 2023 〕 5 号", "国发〔2023〕5号"),
        ("京政办\n\n发〔2023〕19号", "京政办发〔2023〕19号"),  # PDF line break inside
        ("文号：京科资发〔2023〕43号", "京科资发〔2023〕43号"),
        ("（京人社能发〔2019〕125号）", "京人社能发〔2019〕125号"),
        ("京人社事业发2023年6号", "京人社事业发〔2023〕6号"),  # the year as a year, after 发
        ("京人社事业发2023年第6号", "京人社事业发〔2023〕6号"),
    ],
)
def test_parse_variants(raw: str, normal: str) -> None:
    parsed = parse_doc_number(raw)
    assert parsed is not None
    assert parsed.normal == normal
    assert str(parsed) == normal


def test_parse_fields() -> None:
    assert parse_doc_number("京人社能发[2023]3号") == DocNumber("京人社能发", 2023, 3, "京人社能发〔2023〕3号")


@pytest.mark.parametrize(
    "raw", ["", "第5号", "2023年3月17日", "京政办发〔2023〕", "根据有关规定执行", "京政办发〔2023〕0号"]
)
def test_parse_rejects_non_numbers(raw: str) -> None:
    assert parse_doc_number(raw) is None


def test_parse_rejects_a_sentence_around_a_number() -> None:
    assert parse_doc_number("按照京政办发〔2023〕20号文件执行") is None


def test_a_year_written_as_a_date_is_no_number() -> None:
    # 年 joins a year to its serial only after a 文号's own ending (发, 字, 函).
    assert find_doc_numbers("本条例自2023年6号起施行") == []


def test_find_in_running_text_cuts_left_context() -> None:
    text = (
        "《关于印发〈北京市技能大师工作室管理办法（试行）〉的通知》（京人社能发〔2019〕125号）同时废止。"
        "根据京政办发〔2023〕20号，按照沪人社规〔2021〕3号执行；再引京人社能发[2019]125号。"
    )
    assert [d.normal for d in find_doc_numbers(text)] == [
        "京人社能发〔2019〕125号",
        "京政办发〔2023〕20号",
        "沪人社规〔2021〕3号",
    ]


def test_find_after_a_title_line() -> None:
    text = "北京市人力资源和社会保障局 北京市人才工作局 关于 印发《目录》的通知 京人社事业发〔2023〕24号"
    assert [d.normal for d in find_doc_numbers(text)] == ["京人社事业发〔2023〕24号"]


def test_known_prefix_after_region_code_is_not_cut() -> None:
    # 人社厅 (人社部) and 教 (教育部) are known prefixes, but here they are another region's code.
    assert [d.issuer for d in find_doc_numbers("津人社厅发〔2020〕3号")] == ["津人社厅发"]
    assert [d.issuer for d in find_doc_numbers("沪教委〔2021〕1号")] == ["沪教委"]


@pytest.mark.parametrize(
    ("issuer", "agencies"),
    [
        ("京科资发", [SCITECH]),
        ("京政办发", ["北京市人民政府办公厅"]),
        ("京政发", ["北京市人民政府"]),
        ("京人社能发", ["北京市人力资源和社会保障局"]),
        ("京人社专技字", ["北京市人力资源和社会保障局"]),
        ("京教职成", ["北京市教育委员会"]),
        ("京知局", ["北京市知识产权局"]),
        ("京经信发", ["北京市经济和信息化局"]),
        ("京科协发", ["北京市科学技术协会"]),  # longer prefix beats 京科
        ("国发", ["国务院"]),
        ("国办发", ["国务院办公厅"]),
        ("人社部发", ["人力资源社会保障部"]),
        ("沪人社规", []),
    ],
)
def test_issuer_agencies_longest_prefix(issuer: str, agencies: list[str]) -> None:
    assert issuer_agencies(issuer) == agencies


def test_custom_prefix_table() -> None:
    table = PrefixTable({"京": ["A"], "京人": ["B"]})
    assert issuer_agencies("京人社发", table) == ["B"]
    assert issuer_agencies("京发", table) == ["A"]
    assert issuer_agencies("沪发", table) == []


def test_a_typed_number_or_prefix_is_spelled_in_every_bracket_style() -> None:
    assert spellings("法释[2025]1号")[:2] == ["法释〔2025〕1号", "法释[2025]1号"]
    assert "法释20251号" in spellings("法释〔2025〕1号") and len(spellings("法释〔2025〕1号")) == 7
    assert spellings("京人社能发（2023）")[0] == "京人社能发〔2023〕"
    assert spellings("京人社能发") == ["京人社能发"]
    assert spellings("第5号文件") == [] and spellings("30万元") == []
