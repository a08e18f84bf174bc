"""CueIndex finds exactly the cues a plain ``re.search`` of each finds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.text import normalize
from ingest.enrich.cue_index import CueIndex, first_characters
from knowledge.clause_cues import load_clause_cues

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("不得", {"不"}),
        ("(应当?|须)(同时)?具备", {"应", "须"}),
        ("(?<!反)补贴", {"补"}),
        ("^(第\\S+条\\s*)?为了", {"第", "为"}),
        ("(给予)?奖励", {"给", "奖"}),
        ("[0-9]+万元", set("0123456789")),
        (".{0,3}条件", None),  # any character
        ("\\d+万元", None),  # \d is wider than ASCII
        ("(资助)?", None),  # may be empty
    ],
)
def test_first_characters(pattern: str, expected: set[str] | None) -> None:
    found = first_characters(pattern)
    assert (found if found is None else set(found)) == expected


def test_same_cues_as_searching_each() -> None:
    patterns = [alt for alt, _, _ in load_clause_cues().alternatives("text")]
    patterns += ["\\d+(\\.\\d+)?\\s*万元", "(?<![无毋])须(?!知)"]
    index = CueIndex((pattern, i) for i, pattern in enumerate(patterns))
    compiled = [re.compile(p) for p in patterns]
    book = (REPO / "corpus" / "北京人才发展报告2023.txt").read_text(encoding="utf-8")
    lines = [normalize(line) for line in book.splitlines() if line.strip()][::3]
    assert len(lines) > 1000  # a third of the book
    for line in lines:
        assert index.found(line) == {i for i, c in enumerate(compiled) if c.search(line)}, line
