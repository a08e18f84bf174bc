"""Stored JSON → model objects (shared by every backend)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from ingest.model import Document, Passage, PolicyRecord

_PASSAGE_FIELDS = {f.name for f in fields(Passage)} - {"tokens"}
_DOCUMENT_FIELDS = {f.name for f in fields(Document)} - {"passages"}


def passage_from_dict(data: dict[str, Any]) -> Passage:
    return Passage(**{k: v for k, v in data.items() if k in _PASSAGE_FIELDS})


def document_from_dict(data: dict[str, Any], passages: list[Passage] | None = None) -> Document:
    doc = Document(**{k: v for k, v in data.items() if k in _DOCUMENT_FIELDS})
    doc.passages = passages or []
    return doc


def policy_record(data: dict[str, Any]) -> PolicyRecord:
    """The policy view of a stored policy document."""
    meta = data.get("meta", {})
    return PolicyRecord(
        id=data["id"],
        title=data["title"],
        doc_number=meta.get("doc_number"),
        agencies=list(meta.get("agencies", [])),
        date=meta.get("date"),
        articles=meta.get("articles"),
        valid_until=meta.get("valid_until"),
        repeals=list(meta.get("repeals", [])),
        dates=[dict(event) for event in meta.get("header_dates", [])],
    )
