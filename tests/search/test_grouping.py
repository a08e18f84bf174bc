"""The document view: an article and its item are not shown twice, and the documents its
pages can reach are said when the largest window of passages holds fewer than matched."""

from __future__ import annotations

from typing import Any

from search_api.index.engine import EngineResult
from search_api.search.grouping import MAX_WINDOW, distinct_passages, reachable


def payload(text: str) -> dict[str, Any]:
    return {"text": text}


def test_an_item_the_shown_article_holds_is_left_out() -> None:
    article = payload("第四条 申报市级工作室应同时符合以下条件：\n（一）技能大师的条件。\n（二）所在单位的条件。")
    item = payload("（一）技能大师的条件。")
    other = payload("第五条 已被认定为区级技能大师工作室的，同等条件下优先认定。")
    kept = distinct_passages([(3.0, article), (2.5, item), (2.0, other)])
    assert [p for _, p in kept] == [article, other]
    # The better ranked of the two stays, whichever holds the other.
    assert [p for _, p in distinct_passages([(3.0, item), (2.5, article)])] == [item]


def test_the_documents_the_largest_window_holds_are_reachable() -> None:
    window = [(1.0, f"doc{i // 4}") for i in range(MAX_WINDOW)]  # four passages a document
    assert reachable(EngineResult(total=5_000, hits=[], window=window)) == MAX_WINDOW // 4
    # Every match in the window, or a smaller window (a page it filled): nothing to say.
    assert reachable(EngineResult(total=MAX_WINDOW, hits=[], window=window)) is None
    assert reachable(EngineResult(total=5_000, hits=[], window=window[:200])) is None
