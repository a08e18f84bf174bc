"""The scanning helpers the condition readers share (ingest/enrich/condition_words.py)."""

from __future__ import annotations

from ingest.enrich.condition_words import first, heads, next_head, starts, verb


def test_starts_finds_every_place_a_word_starts_even_inside_another() -> None:
    pattern = starts(("处以罚款", "罚款", "款"))
    assert [m.start() for m in pattern.finditer("由其处以罚款，罚款")] == [2, 4, 5, 7, 8]
    assert starts(("罚款",)) is starts(("罚款",))  # compiled once per list


def test_a_requirement_verb_is_not_an_attribute_an_adverb_or_the_end_of_another_word() -> None:
    words = ("应当具备", "应当", "应具备")
    assert verb(words, "申请人应当具备下列条件") == (3, 7)
    assert verb(("应当具备",), "公务员应当具备的基本能力，应当具备学历") == (13, 17)  # 具备的: an attribute
    assert verb(words, "应当有计划地开展，应当具备资格") == (9, 13)  # …地: an adverb
    assert verb(("应具备",), "对应具备条件的", not_modal=("对应",)) is None
    assert verb(words, "无此词") is None


def test_clause_heads_and_the_earliest_word() -> None:
    assert heads("甲,乙:丙", 0, 5) == [0, 2, 4]
    assert next_head("甲乙,丙", 0, 4) == 2
    assert first(("具备", "应当具备"), "申请人应当具备") == (3, 7)
