"""The search page's result list in its two views: documents (the default) and passages.

A document result is what an official looks for: the policy or chapter once, its best
matching clauses under it (each with its citation and highlight) and a link to all its
matches, which opens the passage view filtered to that document. The pager of either
view stops where the result window does, and says so.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from analysis.text import compact
from ingest.model import CATALOGUE_ENTRY
from knowledge.docnum import parse_doc_number
from search_api.http.page import display, labels
from search_api.http.page.form import PageState
from search_api.http.params import SearchParams
from search_api.http.views import document_url
from search_api.search.types import DocumentHit, FacetValue, Hit, SearchResponse


@dataclass
class ClauseResult:
    """A matching passage under its document: titled by its place in it (第四条（一）)."""

    hit: Hit
    label: str


@dataclass
class DocumentResult:
    """One document of the document view, ready for the template."""

    hit: DocumentHit
    title: str
    url: str  # its page: the policy page or the document page
    kind: str  # what the document is, in Chinese
    clauses: list[ClauseResult]  # its best matching passages shown (no bare headings)
    matches: str  # how many passages matched: "14", or "至少 3" beyond the grouping window
    all_url: str | None  # the passage view of this document, when more matched than shown
    copy_urls: list[str]  # the pages of the documents holding the same text (DocumentHit.copies)
    # Without words typed every passage the filters keep "matches": counted as 段, not 匹配.
    # So does every passage of the document a 文号 names (the 文号 is the document's).
    typed: bool = True
    # The first of the documents that each lack a word, up to the end of the page: the
    # divider 「以下文件只含部分检索词」 goes above it (partial_from).
    partial_start: bool = False


@dataclass
class Pager:
    last_page: int
    stop: int | None  # where the view stops before the results do (the pager says so), else None


def visible_hits(hits: Sequence[Hit]) -> list[Hit]:
    """The hits worth a line, in the order shown: not a heading alone (an index built
    before ingest kept headings as passages; their section's passages carry them)."""
    shown = [h for h in hits if not display.heading_only(h.text, h.path, h.doc_title)]
    # A policy's own clauses before the book's catalogue line about it, which only repeats
    # the title, 文号, issuer and date shown above it.
    return sorted(shown, key=lambda h: h.doc_type == CATALOGUE_ENTRY and len(shown) > 1)


def words_typed(q: str) -> bool:
    """Whether ``q`` holds words a passage's text matches, not only 文号 (京人社能发〔2023〕3号
    matches every passage of its document: 42 of them are not "42 处匹配")."""
    parts = q.split()
    return bool(parts) and not all(parse_doc_number(part) for part in parts)


def without_repeats(hits: Sequence[Hit], text_key: Callable[[str], str | None] = lambda _: None) -> list[Hit]:
    """The hits of a page without those whose whole text a hit above shows already: an
    item or a 款 listed after its article (第十二条, then 第十二条（一）–（四）), which had
    shown the same sentences twice, and the same clause of a copy of the document (a law
    filed twice in the archive: 居民身份证法 第十一条 had shown twice in a row, where the
    document view folds the copy; ``text_key``: a document's text, the policy table's,
    which the copies share). An item above its article stays: it is the exact clause, and
    the article below it the context."""
    kept: list[tuple[Hit, str]] = []  # each hit shown, with its compacted text
    for hit in hits:
        own = compact(hit.text)
        inside = (text for k, text in kept if k.doc_id == hit.doc_id and len(text) > len(own))
        key = text_key(hit.doc_id)
        copied = key is not None and any(text == own and text_key(k.doc_id) == key for k, text in kept)
        if not own or not (copied or any(own in text for text in inside)):
            kept.append((hit, own))
    return [hit for hit, _ in kept]


def partial_from(missing: Sequence[Sequence[str]]) -> int | None:
    """Where the divider 「以下…只含部分检索词」 goes among results whose lacking units are
    ``missing``: before the run of results that each lack one, up to the end of the page,
    after one that lacks none; None when there is no such run. Ranking can put a full
    match below a partial one (a document's best passage lacks a word another passage
    holds): the divider had shown twice, above documents lacking nothing."""
    at = len(missing)
    while at > 0 and missing[at - 1]:
        at -= 1
    return at if 0 < at < len(missing) else None


def document_results(documents: Sequence[DocumentHit], state: PageState) -> list[DocumentResult]:
    out = []
    partial = partial_from([doc.missing for doc in documents])
    for at, doc in enumerate(documents):
        clauses = [ClauseResult(h, display.locator_label(h.citation)) for h in visible_hits(doc.passages)]
        # Beyond the grouping window the count is a lower bound, and says so in words.
        matches = f"{doc.matches}" if doc.matches_exact else f"至少 {doc.matches}"
        more = doc.matches > len(clauses) or not doc.matches_exact
        out.append(
            DocumentResult(
                hit=doc,
                title=display.clean_label(doc.doc_title) or doc.doc_title,
                url=document_url(doc.doc_kind, doc.doc_id),
                kind=labels.kind_label(doc.doc_kind),
                clauses=clauses,
                matches=matches,
                all_url=state.url(group="passage", doc_id=doc.doc_id) if more else None,
                copy_urls=[document_url(doc.doc_kind, copy) for copy in doc.copies],
                typed=words_typed(state.q),
                partial_start=at == partial,
            )
        )
    return out


def pager(response: SearchResponse, state: PageState, window: int) -> Pager:
    """The last page to link, and whether the view stops before the results do.

    Passages stop at the result window. Documents are grouped from a window of the best
    passages, so a deep page of documents may come back short or empty although more
    documents matched: the pager then ends at the last page the window's documents fill
    (``SearchResponse.reachable``), or, where that is not known, at the short page.
    """
    window_pages = max(1, window // state.size)
    last = max(1, min(math.ceil(response.total / state.size), window_pages))
    stop = window if response.total > window else None
    if state.group == "document" and response.documents is not None:
        shown = state.offset + len(response.documents)
        if response.reachable is not None and response.reachable < response.total:
            # The largest window of passages holds these documents: no page goes past them.
            last, stop = max(1, min(last, math.ceil(response.reachable / state.size))), response.reachable
        elif len(response.documents) < state.size and shown < response.total:
            last, stop = min(last, state.page), shown
    return Pager(last, stop)


def scope_label(response: SearchResponse, state: PageState) -> str | None:
    """The chip of a ``doc_id`` filter: the document's title when a hit names it."""
    if not state.doc_id:
        return None
    title = next((h.doc_title for h in response.hits if h.doc_id == state.doc_id), None)
    if title is None and response.documents:
        title = next((d.doc_title for d in response.documents if d.doc_id == state.doc_id), None)
    return f"仅看：《{display.clean_label(title) or title}》" if title else "仅看所选文档"


def page_numbers(current: int, last: int) -> list[int | None]:
    """Page numbers to link: first, last and two around the current; None marks a gap."""
    wanted = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    out: list[int | None] = []
    for n in wanted:
        previous = out[-1] if out else None
        if previous is not None and n - previous > 1:
            out.append(None)
        out.append(n)
    return out


def filter_chips(state: SearchParams) -> list[tuple[str, str]]:
    """(label, URL without it) for every active filter."""
    chips = [
        (f"{labels.FACET_LABELS[f]}：{labels.facet_value(f, v)}", state.without(f, v))
        for f in labels.FACET_ORDER
        for v in getattr(state, f)
    ]
    if state.date_from or state.date_to:
        span = f"{state.date_from or '…'} 至 {state.date_to or '…'}"
        chips.append((f"日期：{span}", state.url(date_from=None, date_to=None)))
    if state.doc_number:
        chips.append((f"文号：{state.doc_number}", state.without("doc_number")))
    if state.eligibility_only:
        chips.append((labels.ELIGIBILITY_LABEL, state.without("eligibility_only")))
    return chips


def hidden_items(state: SearchParams) -> list[tuple[str, str]]:
    """Filters the search form carries along that have no visible input of their own
    (not ``spell``: newly typed words are checked for typos again)."""
    dropped = {"q", "date_from", "date_to", "doc_number", "page", "spell"}
    return [(k, v) for k, v in state.query_items() if k not in dropped]


# Facets a view does not show, though its filters still apply (and show as chips): in the
# document view a document counts under every kind of its matching passages (a chapter
# under 脚注 when a footnote matches), so its type is the document's own (doc_kind);
# the passage view lists passages and names their kind (doc_type).
HIDDEN_FACETS = {"document": ("doc_type",), "passage": ("doc_kind",)}


def sidebar_fields(group: str) -> tuple[str, ...]:
    """The facet fields the ``group`` view shows, in the page's order: the only ones its
    search counts (each is a column read per match)."""
    hidden = HIDDEN_FACETS.get(group, ())
    return tuple(facet for facet in labels.FACET_ORDER if facet not in hidden)


def sidebar_facets(response: Any, group: str) -> list[tuple[str, list[FacetValue]]]:
    """The sidebar's facets of the ``group`` view in the page's order; clause types in
    their own order."""
    out = []
    for facet in sidebar_fields(group):
        values = list(response.facets.get(facet, []))
        if facet == "clause_type":
            order = list(labels.CLAUSE_TYPE_LABELS)
            values.sort(key=lambda v: order.index(v.value) if v.value in order else len(order))
        if values:
            out.append((facet, values))
    return out


# The day a 大事记 entry opens with (18日 第三届…), unless a range begins there (30日至8月4日:
# the date beside it says 30日 only, and 「至8月4日」 had been left dangling).
DAY_OPENING = re.compile(r"^(\d{1,2})日(?!\s*[至到~～\-—])\s*")


def event_text(text: str, date: str | None) -> str:
    """A 大事记 entry without the day it opens with (18日 …) when its date, shown beside
    it, says that day: the timeline had read each date three times."""
    day = DAY_OPENING.match(text)
    if day and date and len(date) == 10 and int(day.group(1)) == int(date[8:]):
        return text[day.end() :]
    return text


def source_link_label(citation: str) -> str:
    """The words of a link to an entry's source: its page (查看原文（第393页）), not the
    whole citation again on every line of a list."""
    page = display.PAGE_SUFFIX.search(citation.strip())
    return f"查看原文（{page.group(0).lstrip('，, ')}）" if page else "查看原文"
