"""The synonym table and the English analyzer, on their own."""

from __future__ import annotations

from analysis.english import english_terms, stem
from analysis.text import Token
from knowledge.synonyms import SynonymTable, default_table


def test_groups_are_symmetric_and_not_transitive() -> None:
    table = SynonymTable.from_groups([["人社局", "人力资源社会保障局"], ["人社局", "劳动局"], ["甲", "乙、丙"]])
    assert set(table.lookup("人社局")) == {"人力资源社会保障局", "劳动局"}
    assert table.lookup("劳动局") == ("人社局",)  # not 人力资源社会保障局: no chains
    assert table.lookup("甲") == ()  # an entry with punctuation is no query word


def test_longest_entry_on_whole_tokens() -> None:
    table = SynonymTable.from_groups([["延长工作时间", "加班"], ["工作", "劳动"]])
    text = "延长工作时间工资"
    tokens = [Token("延长", 0, 2), Token("工作", 2, 4), Token("时间", 4, 6), Token("工资", 6, 8)]
    assert table.longest_at(text, tokens, 0) == 3
    assert table.longest_at(text, tokens, 1) == 1
    assert table.longest_at(text, tokens, 3) == 0


def test_default_table_holds_agencies_and_everyday_words() -> None:
    table = default_table()
    assert "北京市人力资源和社会保障局" in table.lookup("市人社局")
    assert "永久居留身份证" in table.lookup("绿卡")
    assert "外国人" in table.lookup("外籍")


def test_english_terms_are_stemmed_without_stop_words() -> None:
    assert english_terms("Beijing ranks 6th out of 118 cities in the Talent Retention Index") == [
        "beij", "rank", "6th", "out", "118", "citi", "talent", "retent", "index",
    ]  # fmt: skip
    assert stem("ranking") == stem("ranks") == stem("ranked") == "rank"
    assert stem("the") is None


def test_only_latin_script_is_english() -> None:
    assert english_terms("HICOOL 2023全球创业者峰会") == ["hicool", "2023"]
    assert english_terms("人才公寓面向高层次人才。") == []
    assert english_terms("Ｔａｌｅｎｔｓ") == ["talent"]  # full-width folded first
