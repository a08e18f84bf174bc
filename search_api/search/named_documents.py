"""Documents a query names: by title (劳动合同法, 《消防法》第十条) or by 文号 prefix (京人社能发).

An official who types a law's name expects that law first, as a 文号 finds its policy.
Matched as words, a title loses to the documents that cite it: 《劳动合同法实施条例》
holds 劳动合同法 in its own title and in almost every article, and 中华人民共和国 is in the
title of every national law. So the searcher looks the query's parts up in a table of
the indexed titles, and the ranking gives every passage of a named document a fixed
bonus (``ranking.BOOST_TITLE``), as it does for a 文号.

A part of the query names a document when, width, script and brackets folded, it is the
document's title, or its title without the place it starts with: a law is cited without
中华人民共和国 (劳动合同法), and 安全生产条例 is the name each province's regulation shares.
The query is cut into parts at spaces, punctuation and title brackets, and an article
reference after a name (劳动合同法第十四条) is no part of it. A part is never a piece of a
longer run: 劳动法 is not named by 工会劳动法律监督, nor by a question that mentions it.

A query that is the start of indexed 文号 without their serial, the issuer code alone
(京人社能发) or with the year (京人社能发〔2023〕, any bracket), names every document whose
文号 starts so: they match whatever their words (their text need not hold the code),
first among the results.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from analysis.text import compact, normalize, without_part
from knowledge.docnum import bare_key, parse_doc_number
from knowledge.residence import leading_place
from knowledge.tables import default_lifecycle
from search_api.index.engine import EngineFilters
from search_api.search.references import ARTICLE

MIN_CHARS = 2  # 宪法, 刑法: the national laws with the shortest names
MAX_DOCUMENTS = 20  # a title more documents share names none of them in particular
MAX_NUMBERED = 500  # documents one 文号 prefix may name (each is a clause of the query)
# Where a query's parts end: spaces, punctuation, title and other brackets.
_CUT = re.compile(r"[\s《》〈〉<>「」『』“”\"'‘’，,。.；;：:、？?！!()（）\[\]【】〔〕]+")
_ARTICLE_TAIL = re.compile(rf"(?:{ARTICLE.pattern}.*)$")


@dataclass(frozen=True)
class Named:
    """The documents a query names: by title (a bonus) and by 文号 prefix (a match)."""

    titled: list[str]
    numbered: list[str]


def title_keys(title: str) -> list[str]:
    """The keys a query part may name ``title`` by: the title, and the title without the
    place it starts with (中华人民共和国劳动合同法 → 劳动合同法); for a part of a code, the
    code's title too."""
    keys: list[str] = []
    # A part of a code (中华人民共和国民法典（合同编）) is named by the code too.
    for whole in dict.fromkeys((title, without_part(title))):
        key = compact(whole).strip("《》")
        place = leading_place(key)
        keys += [key, key[len(place) :]] if place else [key]
    # A document-type noun alone (条例 of 北京经济技术开发区条例) names no document.
    return [k for k in keys if len(k) >= MIN_CHARS and k not in default_lifecycle().doc_types]


def number_keys(doc_number: str) -> list[str]:
    """The prefixes a query may name a 文号 by: its issuer code, the code with the year,
    and the whole number without 号 (京人社能发, 京人社能发2023, 京人社能发20233 for
    京人社能发〔2023〕3号: 京人社能发〔2023〕3 typed without its last character)."""
    parsed = parse_doc_number(doc_number)
    if parsed is None:
        return []
    return [parsed.issuer, f"{parsed.issuer}{parsed.year}", f"{parsed.issuer}{parsed.year}{parsed.serial}"]


def query_parts(query: str) -> list[str]:
    """The parts of a query that may each be a title, an article reference cut off."""
    parts = (_ARTICLE_TAIL.sub("", part) for part in _CUT.split(normalize(query)))
    return [p for p in dict.fromkeys(parts) if len(p) >= MIN_CHARS]


class NamedDocuments:
    """Title keys and 文号 prefixes of the indexed documents, for :meth:`named_by`."""

    def __init__(self, documents: Iterable[dict[str, Any]]) -> None:
        """``documents``: stored document payloads (``Document.to_dict()`` shape)."""
        titles: dict[str, list[str]] = {}
        numbers: dict[str, list[str]] = {}
        for doc in documents:
            for key in title_keys(str(doc.get("title") or "")):
                titles.setdefault(key, []).append(str(doc["id"]))
            for key in number_keys(str((doc.get("meta") or {}).get("doc_number") or "")):
                numbers.setdefault(key, []).append(str(doc["id"]))
        self._titles = {k: tuple(dict.fromkeys(ids)) for k, ids in titles.items() if len(set(ids)) <= MAX_DOCUMENTS}
        self._numbers = {k: tuple(dict.fromkeys(ids)) for k, ids in numbers.items() if len(set(ids)) <= MAX_NUMBERED}

    def named_by(self, query: str) -> Named:
        """The documents whose title a part of ``query`` is, and those whose 文号 starts
        with the whole query."""
        titled = (doc for part in query_parts(query) for doc in self._titles.get(part, ()))
        prefix = bare_key(compact(query))  # any bracket style, or 年 (京人社能发2023年)
        return Named(list(dict.fromkeys(titled)), list(self._numbers.get(prefix, ())))


def numbered_filter(filters: EngineFilters, named: NamedDocuments) -> EngineFilters:
    """A 文号 filter that is the start of 文号 (京人社事业发〔2023〕) keeps the documents
    numbered so, as the search box does: it had matched none. An unknown start, or a whole
    文号, stays as given."""
    typed = filters.doc_number
    if not typed or parse_doc_number(typed) is not None:
        return filters
    numbered = named.named_by(typed).numbered
    return replace(filters, doc_number=None, doc_ids=tuple(numbered)) if numbered else filters
