"""Hand-made policy clauses for the condition tests, stored as the segmenter stores them
(an article passage with its lead-in and items, one passage per item) and run through
:class:`ingest.enrich.conditions.ConditionExtractor`."""

from __future__ import annotations

from typing import Any

from ingest.enrich.conditions import ConditionExtractor
from ingest.model import Document, Passage


def make_clause(text: str, path: list[str], unit: str, clause_type: str = "condition") -> Passage:
    passage = Passage("policy", text, path, locator="".join(path[1:]), attrs={"unit": unit})
    passage.clause_type = clause_type
    return passage


def article(number: str, lead: str, items: list[str], clause_type: str = "condition") -> list[Passage]:
    """An article with a lead-in and its items, as the segmenter stores them."""
    marks = "一二三四五六七八九十"
    lines = [f"（{marks[i]}）{item}" for i, item in enumerate(items)]
    path = ["第二章 条件", number]
    passages = [make_clause("\n".join([f"{number} {lead}", *lines]), path, "article", clause_type)]
    passages += [make_clause(line, [*path, line[:3]], "item", clause_type) for line in lines]
    return passages


def extract(extractor: ConditionExtractor, passages: list[Passage]) -> list[Passage]:
    extractor.extract_document(Document("policy", "某某办法", "k", "s", passages))
    return passages


def fields_of(passage: Passage) -> list[tuple[str, Any]]:
    """(field, value) of a passage's structured conditions."""
    return [(c["field"], c["value"]) for c in passage.conditions if c["field"] != "other"]


def read_benefit(extractor: ConditionExtractor, *paragraphs: str, meta: dict[str, Any] | None = None) -> list[Any]:
    """(field, value, negated) of one benefit article made of ``paragraphs``."""
    passage = make_clause("\n".join(paragraphs), ["第九条"], "article", "benefit")
    document = Document("policy", "某某条例", "k", "s", [passage])
    document.meta.update(meta or {})
    extractor.extract_document(document)
    return [(c["field"], c["value"], c["negated"]) for c in passage.conditions]
