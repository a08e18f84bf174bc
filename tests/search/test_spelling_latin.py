"""Latin typos on their own: the neighbours of a word, and the whole-word replacement."""

from __future__ import annotations

from search_api.search.spelling import apply, latin_corrections, latin_neighbours


def test_neighbours_are_one_edit_away_likelier_first() -> None:
    found = latin_neighbours("talnet")
    assert found[0] == "atlnet"  # transpositions first
    assert {"talent", "tlnet", "talnets", "tadnet"} <= set(found)  # swap, deletion, insertion, replacement
    assert "talnet" not in found and len(found) == len(set(found))
    assert "tablet" not in found  # two edits


def test_only_latin_units_of_four_letters_or_more_are_looked_up() -> None:
    asked: list[str] = []

    def closest(candidates: list[str]) -> str | None:
        asked.append(candidates[0])
        return "talent"

    assert latin_corrections(["talnet", "abc", "人才", "2023"], closest) == [("talnet", "talent")]
    assert len(asked) == 1
    assert latin_corrections(["talnet"], lambda candidates: None) == []


def test_a_latin_fix_replaces_whole_words_only() -> None:
    assert apply("talnet talnets 人才", [("talnet", "talent")]) == "talent talnets 人才"
    assert apply("技能大帅工作室", [("技能大帅", "技能大师")]) == "技能大师工作室"
