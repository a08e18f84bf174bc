"""Search-box suggestions: document titles and 文号 matching what the user typed so far.

Shared by every backend: a backend lists its documents once per index generation and
hands them to :class:`TitleIndex`; matching is an in-memory scan of compact keys, well
under a millisecond for thousands of documents, so it can run on every keystroke.

Ranking: a title or 文号 that *starts* with the input comes first; then titles and 文号
that contain it (Chinese titles mostly start with 北京市 / 关于, so a strict prefix
alone would hide 《北京市技能大师工作室建设管理办法》 from someone typing 技能大师).
Brackets and spaces are folded, so ``京人社能发[2023]3`` finds ``京人社能发〔2023〕3号``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# Policies first: an applicant typing a name is usually looking for the policy.
_KIND_ORDER = {"policy": 0, "report_chapter": 1, "timeline": 2, "report": 3, "front_matter": 4}
_OPEN = str.maketrans({c: "〔" for c in "([【〔［（〖"} | {c: "〕" for c in ")]】〕］）〗"})
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Compact comparison key: width-folded, lowercase, one bracket style, no spaces."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).lower().translate(_OPEN))


@dataclass(frozen=True)
class _Entry:
    id: str
    title: str
    kind: str
    doc_number: str | None
    date: str | None
    title_key: str
    number_key: str

    def rank(self, key: str) -> int | None:
        """0: starts with the input, 1: title contains it, 2: 文号 contains it, None: no match."""
        if self.title_key.startswith(key) or (self.number_key and self.number_key.startswith(key)):
            return 0
        if key in self.title_key:
            return 1
        if self.number_key and key in self.number_key:
            return 2
        return None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "kind": self.kind, "doc_number": self.doc_number, "date": self.date}


class TitleIndex:
    """The documents' titles and 文号, matched by prefix first, then by substring."""

    def __init__(self, documents: Iterable[dict[str, Any]]) -> None:
        """``documents``: stored document payloads (``Document.to_dict()`` shape)."""
        entries = []
        for doc in documents:
            meta = doc.get("meta") or {}
            number = meta.get("doc_number")
            entries.append(
                _Entry(
                    id=str(doc["id"]),
                    title=str(doc.get("title") or ""),
                    kind=str(doc.get("kind") or ""),
                    doc_number=number,
                    date=meta.get("date"),
                    title_key=fold(str(doc.get("title") or "")),
                    number_key=fold(number) if number else "",
                )
            )
        self._entries = entries

    def __len__(self) -> int:
        return len(self._entries)

    def match(self, prefix: str, limit: int) -> list[dict[str, Any]]:
        key = fold(prefix)
        if not key or limit < 1:
            return []
        found = [(rank, entry) for entry in self._entries if (rank := entry.rank(key)) is not None]
        # Newest first within a rank: ISO dates sort as text; undated entries go last.
        found.sort(key=lambda x: (x[0], _KIND_ORDER.get(x[1].kind, 9), _newest_first(x[1].date), x[1].title))
        return [entry.to_dict() for _, entry in found[:limit]]


def _newest_first(date: str | None) -> str:
    if not date:
        return "~"  # after every digit
    return "".join(chr(ord("9") - int(c) + ord("0")) if c.isdigit() else c for c in date)
