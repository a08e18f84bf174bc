"""The search page's result list in its two views: documents (the default) and passages.

A document result is what an official looks for: the policy or chapter once, its best
matching clauses under it (each with its citation and highlight) and a link to all its
matches, which opens the passage view filtered to that document. The pager of either
view stops where the result window does, and says so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from search_api.http.page import display, labels
from search_api.http.page.form import PageState
from search_api.search.types import DocumentHit, Hit, SearchResponse

POLICY_KINDS = ("policy", "catalogue_entry")  # passages whose document is a policy page


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
    matches: str  # how many passages matched: "14", or "200+" beyond the grouping window
    all_url: str | None  # the passage view of this document, when more matched than shown


@dataclass
class Pager:
    last_page: int
    stop: int | None  # where the view stops before the results do (the pager says so), else None


def visible_hits(hits: Sequence[Hit]) -> list[Hit]:
    """The hits worth a line: not a heading alone (an index built before ingest kept
    headings as passages; their section's passages carry them)."""
    return [h for h in hits if not display.heading_only(h.text, h.path, h.doc_title)]


def document_results(documents: Sequence[DocumentHit], state: PageState) -> list[DocumentResult]:
    out = []
    for doc in documents:
        clauses = [ClauseResult(h, display.locator_label(h.citation)) for h in visible_hits(doc.passages)]
        matches = f"{doc.matches}" if doc.matches_exact else f"{doc.matches}+"
        url = f"/policies/{doc.doc_id}" if doc.doc_type in POLICY_KINDS else f"/documents/{doc.doc_id}"
        more = doc.matches > len(clauses) or not doc.matches_exact
        out.append(
            DocumentResult(
                hit=doc,
                title=display.clean_label(doc.doc_title) or doc.doc_title,
                url=url,
                kind=labels.document_label(doc.doc_type),
                clauses=clauses,
                matches=matches,
                all_url=state.url(group="passage", doc_id=doc.doc_id) if more else None,
            )
        )
    return out


def pager(response: SearchResponse, state: PageState, window: int) -> Pager:
    """The last page to link, and whether the view stops before the results do.

    Passages stop at the result window. Documents are grouped from a window of the best
    passages, so a deep page of documents may come back short although more documents
    matched: the pager then ends at that page.
    """
    window_pages = max(1, window // state.size)
    last = max(1, min(math.ceil(response.total / state.size), window_pages))
    stop = window if response.total > window else None
    if state.group == "document" and response.documents is not None:
        shown = state.offset + len(response.documents)
        if len(response.documents) < state.size and shown < response.total:
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
