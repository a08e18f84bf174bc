"""Search-box suggestions: document titles and 文号 matching what the user typed so far.

Shared by every backend: a backend lists its documents once per index generation and
hands them to :class:`TitleIndex`; matching is an in-memory scan of compact keys, well
under a millisecond for thousands of documents, so it can run on every keystroke.

Ranking: a title or 文号 that *starts* with the input comes first; then titles and 文号
that contain it (Chinese titles mostly start with 北京市 / 关于, so a strict prefix
alone would hide 《北京市技能大师工作室建设管理办法》 from someone typing 技能大师).
Brackets and spaces are folded, so ``京人社能发[2023]3`` finds ``京人社能发〔2023〕3号``, and so
are traditional characters and full-width digits (京人社能發〔２０２３〕３號) and a year written
as one (京人社能发2023年3号, or no bracket at all: 京人社能发2023). Among titles that contain the
input, those ending with it come first, the shortest first: 民法典 suggests 《中华人民共和国民法典》
before the interpretations that cite it (it had come tenth, after nine of them).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from analysis.text import normalize
from knowledge.docnum import bare_key

# Policies first: an applicant typing a name is usually looking for the policy.
_KIND_ORDER = {"policy": 0, "report_chapter": 1, "timeline": 2, "report": 3, "front_matter": 4}
_OPEN = str.maketrans({c: "〔" for c in "([【〔［（〖"} | {c: "〕" for c in ")]】〕］）〗"})
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Compact comparison key: width-folded, lowercase, one bracket style, no spaces."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).lower().translate(_OPEN))


def _number_key(text: str) -> str:
    """A 文号's key: folded, then written the one way every spelling shares (docnum.bare_key)."""
    return bare_key(fold(text))


@dataclass(frozen=True)
class _Entry:
    id: str
    title: str
    kind: str
    doc_number: str | None
    date: str | None
    title_key: str
    number_key: str

    def rank(self, key: str, number: str) -> int | None:
        """0: starts with the input, 1: title contains it, 2: 文号 contains it, None: no match
        (``number``: the input's 文号 key, :func:`_number_key`)."""
        if self.title_key.startswith(key) or (self.number_key and self.number_key.startswith(number)):
            return 0
        if key in self.title_key:
            return 1
        if self.number_key and number in self.number_key:
            return 2
        return None

    def order(self, key: str) -> tuple[int, int]:
        """Within a rank: titles ending with the input first, the shortest first (the law
        itself, 中华人民共和国民法典, before the interpretations citing it)."""
        return (0, len(self.title_key)) if self.title_key.endswith(key) else (1, 0)

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
                    number_key=_number_key(number) if number else "",
                )
            )
        self._entries = entries

    def __len__(self) -> int:
        return len(self._entries)

    def match(self, prefix: str, limit: int) -> list[dict[str, Any]]:
        key = fold(normalize(prefix))
        if not key or limit < 1:
            return []
        number = _number_key(key)
        found = [(rank, entry) for entry in self._entries if (rank := entry.rank(key, number)) is not None]
        # Then newest first: ISO dates sort as text; undated entries go last.
        found.sort(
            key=lambda x: (x[0], _KIND_ORDER.get(x[1].kind, 9), x[1].order(key), _newest_first(x[1].date), x[1].title)
        )
        return [entry.to_dict() for _, entry in found[:limit]]


def _newest_first(date: str | None) -> str:
    if not date:
        return "~"  # after every digit
    return "".join(chr(ord("9") - int(c) + ord("0")) if c.isdigit() else c for c in date)
