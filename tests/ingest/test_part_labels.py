"""The Chinese names of a book's parts come from a validated data file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.segment.part_labels import PART_ROLES, load_part_labels
from knowledge.tables import DataFileError


def test_every_part_has_a_chinese_name() -> None:
    labels = load_part_labels()
    assert set(labels) == set(PART_ROLES)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in label) for label in labels.values())


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ({"labels": {"english_abstract": "英文摘要", "english_contents": "英文目录"}}, "missing ['back_matter']"),
        ({"labels": {**dict.fromkeys(PART_ROLES, "名"), "appendix": "附录"}}, "unknown ['appendix']"),
        ({"labels": {**dict.fromkeys(PART_ROLES, "名"), "back_matter": " "}}, "non-empty string"),
        ([], "needs an object 'labels'"),
    ],
)
def test_a_bad_file_is_named_with_its_problem(tmp_path: Path, content: object, says: str) -> None:
    path = tmp_path / "book_parts.json"
    path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"book_parts\.json") as raised:
        load_part_labels(path)
    assert says in str(raised.value)
