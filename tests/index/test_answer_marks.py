"""The answer marks an index was built with: another list of answer phrases is refused.

A passage is marked with the answer phrases of knowledge/data/query_intents.json its text
holds (the ranking's answer bonus reads the mark). An index built before a phrase was
added lacks its marks, so opening it with another list says to re-ingest instead of
ranking without them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge.questions import answer_phrases, answer_phrases_in, answer_phrases_key
from search_api.errors import EngineUnavailable
from search_api.index.tantivy.engine import SCHEMA_MARKER, TantivyEngine


def test_the_phrases_a_text_holds() -> None:
    phrases = answer_phrases()
    assert list(phrases) == sorted(set(phrases)) and "下列条件" in phrases and "是指" in phrases
    assert answer_phrases_in("申请人应当具备下列条件：") == ["下列条件", "应当具备"]  # 应具备 is not in it
    assert answer_phrases_in("下列 条件") == []  # characters in a row, as written


def test_an_index_built_with_other_answer_phrases_is_refused(tmp_path: Path) -> None:
    TantivyEngine(tmp_path / "index").close()
    marker = tmp_path / "index" / SCHEMA_MARKER
    built = json.loads(marker.read_text())
    assert built["answer_phrases"] == answer_phrases_key()
    TantivyEngine(tmp_path / "index", create=False).close()
    marker.write_text(json.dumps({**built, "answer_phrases": "0" * 12}))
    with pytest.raises(EngineUnavailable, match="other answer phrases"):
        TantivyEngine(tmp_path / "index", create=False)
