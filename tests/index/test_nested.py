"""The document view's page (search_api.index.engine.nested_indices) and the tantivy
column it reads the window's documents from (load.doc_key / load.doc_ids)."""

from __future__ import annotations

from search_api.index.engine import Nested, nested_indices
from search_api.index.tantivy import load


def test_the_first_passages_of_the_first_documents_are_shown() -> None:
    window = ["a", "a", "b", "a", "c", "b", "b", "d"]
    assert nested_indices(window, Nested(per_document=2, documents=2)) == [0, 1, 2, 5]
    assert nested_indices(window, Nested(per_document=1, documents=4)) == [0, 2, 4, 7]
    assert nested_indices([], Nested(3, 10)) == []


def test_a_doc_key_is_the_id_when_the_id_is_a_stable_id() -> None:
    assert load.doc_ids([load.doc_key("00ff00ff00ff00ff"), load.doc_key("ce90c9f9188c37ca")]) == [
        "00ff00ff00ff00ff",
        "ce90c9f9188c37ca",
    ]
    # Any other id (a test's, a future scheme's) is unknown: the search decodes payloads.
    assert load.doc_key("session-x/a.txt-doc") == 0
    assert load.doc_ids([load.doc_key("ce90c9f9188c37ca"), 0]) is None
    assert load.doc_ids([None]) is None


def test_every_id_has_a_distinct_doc_hash_for_counting_documents() -> None:
    # Stable ids count by their doc_key; any other id by its digest, never 0 (the value a
    # missing column reads as), so distinct documents are counted right whatever the id.
    assert load.doc_hash("ce90c9f9188c37ca") == load.doc_key("ce90c9f9188c37ca")
    others = [load.doc_hash(f"session-x/{n}.txt-doc") for n in range(1000)]
    assert 0 not in others and len(set(others)) == 1000
    assert load.doc_hash("session-x/a.txt-doc") == load.doc_hash("session-x/a.txt-doc")
