"""A hit cites the 款 of its article that holds what its snippet marks (records.snippet_citation)."""

from __future__ import annotations

from typing import Any

from search_api.search.query import analyze_query
from search_api.search.records import hit_from_payload

FIRST = "市人力资源社会保障局、市财政局建立绩效考核制度。绩效考核结果分为优秀、合格和不合格三个等次。"
SECOND = "市级工作室每满2年须参加一次绩效考核。"


def payload(citation: str = "《某办法》第十六条，第400页") -> dict[str, Any]:
    text = f"第十六条 {FIRST}\n{SECOND}"
    return {
        "id": "p",
        "doc_id": "d",
        "doc_title": "某办法",
        "kind": "policy",
        "citation": citation,
        "locator": "第十六条",
        "path": ["第十六条"],
        "text": text,
        "attrs": {"unit": "article", "article": 16, "paragraphs": [FIRST, SECOND]},
        "agencies": [],
        "doc_number": None,
        "date": None,
        "talent_categories": [],
        "eligibility": False,
        "source": "s",
    }


def test_a_hit_cites_the_paragraph_its_marks_are_in() -> None:
    # The whole sentence searched is 第十六条第二款: cited 第十六条, the reader had to find it.
    hit = hit_from_payload(payload(), 1.0, analyze_query("市级工作室每满2年须参加一次绩效考核"))
    assert hit.citation == "《某办法》第十六条第二款，第400页"
    first = hit_from_payload(payload(), 1.0, analyze_query("绩效考核结果分为优秀"))
    assert first.citation == "《某办法》第十六条，第400页"  # the first 款 is cited by its article


def test_a_passage_of_one_paragraph_keeps_its_citation() -> None:
    one = {**payload("《某办法》第十六条"), "attrs": {"unit": "article"}}
    assert hit_from_payload(one, 1.0, analyze_query("绩效考核")).citation == "《某办法》第十六条"
