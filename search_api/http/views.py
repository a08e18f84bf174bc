"""What the JSON API and the web page compute on top of a backend, in plain data.

Both front ends call these functions, so a page shows exactly what the API returns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from analysis.text import normalize
from ingest.model import CATALOGUE_ENTRY, Document, Passage, PolicyRecord
from search_api.errors import NotFound
from search_api.http.params import SearchParams
from search_api.search.records import document_from_dict
from search_api.search.searcher import Searcher
from search_api.search.suggest import fold
from search_api.search.types import SearchRequest
from search_api.settings import Settings


def document_url(kind: str, doc_id: str) -> str:
    return f"/policies/{doc_id}" if kind == "policy" else f"/documents/{doc_id}"


def passage_ref(p: Passage) -> dict[str, Any]:
    return {
        "id": p.id,
        "kind": p.kind,
        "ord": p.ord,
        "locator": p.locator,
        "citation": p.citation,
        "path": list(p.path),
        "text": p.text,
    }


def _document_info(document: Document) -> dict[str, Any]:
    return document.to_dict()


def _parent(backend: Searcher, document: Document) -> dict[str, Any] | None:
    if not document.parent_id:
        return None
    parent = backend.document_record(document.parent_id)  # its title only, not its passages
    return {"label": parent["title"], "doc_id": parent["id"]} if parent else None


@dataclass
class PassageContext:
    """A passage with the part of its document around it (never the whole of a long one)."""

    passage: Passage
    document: Document  # its passages: the window read around the passage, in reading order
    index: int  # position of the passage in document.passages
    parent: dict[str, Any] | None
    passage_ids: list[str] = field(default_factory=list)  # the whole document's, from its record

    @property
    def previous(self) -> Passage | None:
        return self.document.passages[self.index - 1] if self.index > 0 else None

    @property
    def next(self) -> Passage | None:
        passages = self.document.passages
        return passages[self.index + 1] if self.index + 1 < len(passages) else None

    @property
    def partial(self) -> bool:
        """Whether the window leaves out some of the document's passages."""
        return len(self.document.passages) < len(self.passage_ids)

    @property
    def formal_citation(self) -> str:
        """The citation to copy, on the page and in the API: the 文号 after a policy's title."""
        number = self.passage.doc_number if self.passage.kind == "policy" else None
        return formal_citation(self.passage.citation, number)

    def breadcrumb(self) -> list[dict[str, Any]]:
        crumbs = [self.parent] if self.parent else []
        crumbs.append({"label": self.document.title, "doc_id": self.document.id})
        crumbs += [{"label": label, "doc_id": None} for label in self.passage.path]
        return crumbs

    def to_dict(self) -> dict[str, Any]:
        return {
            "passage": self.passage.to_dict(),
            "formal_citation": self.formal_citation,
            "breadcrumb": self.breadcrumb(),
            "previous": passage_ref(self.previous) if self.previous else None,
            "next": passage_ref(self.next) if self.next else None,
            "document": {**_document_info(self.document), "passage_ids": self.passage_ids},
        }


# 《title》 at the start of a citation: the document, which a clause under it need not repeat.
CITED_TITLE = re.compile(r"^《[^》]*》\s*")


def formal_citation(citation: str, doc_number: str | None) -> str:
    """The citation an official copies: the 文号 after the title, as documents cite each
    other (《北京市技能大师工作室建设管理办法》（京人社能发〔2023〕3号）第四条); the stored
    citation without one, which labels hits compactly."""
    title = CITED_TITLE.match(citation)
    if not doc_number or title is None or doc_number in citation:
        return citation
    head = title.group(0).rstrip()
    return f"{head}（{doc_number}）{citation[len(head) :].lstrip()}"


def passage_context(backend: Searcher, passage_id: str, *, around: int = 1, whole_up_to: int = 0) -> PassageContext:
    """The passage, its ``around`` neighbours on each side and its document's record; the
    whole document when it has at most ``whole_up_to`` passages. Reads those passages only
    (by position), so a passage of a 50 MB document opens as fast as any other."""
    passage = backend.get_passage(passage_id)
    if passage is None:
        raise NotFound(f"没有这条条文 no passage with id {passage_id!r}")
    record = backend.document_record(passage.doc_id)
    if record is None:  # only while a source is being replaced
        raise NotFound(f"这条条文所属的文件已不在索引中 the document of passage {passage_id!r} is gone")
    ids = list(record.get("passage_ids", []))
    first, last = (0, len(ids) - 1) if len(ids) <= whole_up_to else (passage.ord - around, passage.ord + around)
    passages = backend.passages_between(passage.doc_id, max(0, first), last)
    document = document_from_dict(record, passages)
    window = [p.id for p in passages]
    index = window.index(passage.id) if passage.id in window else 0
    return PassageContext(passage, document, index, _parent(backend, document), ids)


def structure_tree(document: Document) -> dict[str, Any]:
    """Heading tree from the passages' paths; each passage hangs at the end of its path."""
    root: dict[str, Any] = {"label": document.title, "passage_ids": [], "children": []}
    index: dict[tuple[str, ...], dict[str, Any]] = {(): root}
    for p in document.passages:
        node = root
        for depth in range(1, len(p.path) + 1):
            key = tuple(p.path[:depth])
            child = index.get(key)
            if child is None:
                child = {"label": p.path[depth - 1], "passage_ids": [], "children": []}
                node["children"].append(child)
                index[key] = child
            node = child
        node["passage_ids"].append(p.id)
    return root


def load_document(backend: Searcher, doc_id: str) -> Document:
    document = backend.get_document(doc_id)
    if document is None:
        raise NotFound(f"没有这份文件 no document with id {doc_id!r}")
    return document


def document_view(backend: Searcher, doc_id: str) -> dict[str, Any]:
    document = load_document(backend, doc_id)
    return {
        "document": _document_info(document),
        "parent": _parent(backend, document),
        "tree": structure_tree(document),
        "passages": [passage_ref(p) for p in document.passages],
    }


@dataclass
class PolicyFilter:
    q: str = ""
    agency: tuple[str, ...] = ()
    year: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    doc_number: str | None = None
    region: tuple[str, ...] = ()

    @cached_property
    def _key(self) -> str:
        """The words asked for, as the search box reads them (技能大師 is 技能大师): folded
        once, not per record."""
        return fold(normalize(self.q))

    def matches(self, r: PolicyRecord) -> bool:
        from search_api.search.filters import date_bounds

        if self.q:
            named = self._key in fold(r.title) or self._key in fold(r.doc_number or "")
            if not named and not same_doc_number(self.q, r.doc_number):  # 〔2023〕第6号, 06号
                return False
        if self.agency and not set(self.agency) & set(r.agencies):
            return False
        if self.year and (r.date or "")[:4] not in self.year:
            return False
        if self.region and r.region not in self.region:
            return False
        if self.doc_number and not same_doc_number(self.doc_number, r.doc_number):
            return False
        if self.date_from or self.date_to:
            low, high = date_bounds(self.date_from, self.date_to)
            if not r.date or (low and r.date < low) or (high and r.date > high):
                return False
        return True


def same_doc_number(asked: str, stored: str | None) -> bool:
    """Any bracket, spacing or zero-padding variant of a 文号 names the same policy
    (【2023】第3号, 2023 3号, 〔2023〕03号), as in ``/api/search``."""
    from search_api.search.filters import normal_doc_number

    return bool(stored) and fold(normal_doc_number(asked)) == fold(normal_doc_number(stored or ""))


def check_dates(settings: Settings, date_from: str | None, date_to: str | None) -> None:
    """The search validator's date rules (calendar dates, ISO forms) for other endpoints."""
    SearchParams(date_from=date_from, date_to=date_to).to_request(settings)


def policies(backend: Searcher, flt: PolicyFilter) -> list[PolicyRecord]:
    """The records ``flt`` keeps, as the page lists them (:func:`newest_first`): an
    integrator reading /api/policies gets the order a user sees."""
    return newest_first([r for r in backend.policies() if flt.matches(r)])


def newest_first(records: list[PolicyRecord]) -> list[PolicyRecord]:
    """A policy list as officials read it: the newest first, the undated at the end."""
    dated = sorted((r for r in records if r.date), key=lambda r: (r.date or "", r.title), reverse=True)
    return dated + [r for r in records if not r.date]


@dataclass
class PolicyPage:
    record: PolicyRecord
    document: Document
    repealed_by: list[PolicyRecord]
    repeal_links: list[tuple[dict[str, str | None], str | None]]  # (repealed item, its policy id if indexed)
    # Whether the policy's own text (its clauses) is indexed, not only a catalogue line.
    has_full_text: bool = False
    # The 政策目录 lines naming this policy: its own, and those of other catalogue-only records.
    catalogue: list[CatalogueLine] = field(default_factory=list)
    # A catalogue-only record: the indexed policies holding its full text (matched by 文号,
    # else by title); a full text: empty.
    full_texts: list[PolicyRecord] = field(default_factory=list)
    # A full text: the later versions of it indexed (full texts of the same title and
    # 文号, dated after it), newest first; it is then no longer the text in force.
    newer: list[PolicyRecord] = field(default_factory=list)

    @property
    def clause_types(self) -> dict[str, int]:
        """Clauses of each type (condition, benefit, …) in the policy's own text."""
        counts: dict[str, int] = {}
        for p in self.document.passages:
            if p.kind == "policy" and p.clause_type:
                counts[p.clause_type] = counts.get(p.clause_type, 0) + 1
        return counts


@dataclass
class CatalogueLine:
    """A 政策目录 entry: the passage, and the policy record it belongs to."""

    passage: Passage
    record_id: str  # the policy whose document holds the line (this one, or a catalogue-only record)
    number: int | None  # its number in the catalogue


def has_full_text(document: Document) -> bool:
    """A policy document with clauses of its own, not just a catalogue line."""
    return any(p.kind != CATALOGUE_ENTRY for p in document.passages)


def _catalogue_lines(document: Document, record_id: str) -> list[CatalogueLine]:
    lines = []
    for p in document.passages:
        if p.kind == CATALOGUE_ENTRY:
            number = str(p.attrs.get("number", document.meta.get("catalogue_number")) or "")
            lines.append(CatalogueLine(p, record_id, int(number) if number.isdigit() else None))
    return lines


def policy_page(backend: Searcher, policy_id: str) -> PolicyPage:
    """A policy with what links to it: repeals both ways, and a catalogue entry with its
    full text both ways (matched by 文号, else by title, as repeals are)."""
    table = backend.policy_table()
    record = table.by_id.get(policy_id)
    if record is None:
        raise NotFound(f"没有这项政策 no policy with id {policy_id!r}")
    document = load_document(backend, policy_id)
    repealed_by = table.repealed_by.get(record.id, [])
    full = has_full_text(document)
    catalogue = _catalogue_lines(document, record.id)
    full_texts: list[PolicyRecord] = []
    newer: list[PolicyRecord] = []
    for other in table.same_policy(record):
        other_doc = backend.get_document(other.id)
        if other_doc is None:
            continue
        if full and not has_full_text(other_doc):  # the catalogue lines of this policy's other records
            catalogue += _catalogue_lines(other_doc, other.id)
        elif full and (other.date or "") > (record.date or "~"):  # a later version of this text
            newer.append(other)
        elif not full and has_full_text(other_doc):
            full_texts.append(other)
    return PolicyPage(
        record,
        document,
        repealed_by,
        [(item, table.indexed(item, record)) for item in record.repeals],
        has_full_text=full,
        catalogue=catalogue,
        full_texts=full_texts,
        newer=sorted(newer, key=lambda r: r.date or "", reverse=True),
    )


@dataclass
class BookPart:
    label: str  # 总报告, 地区篇, …
    number: str | None  # its roman numeral, I … V
    chapters: list[dict[str, Any]]  # document payloads of its chapters, in order


@dataclass
class BookContents:
    """What a report holds, for its page: parts and chapters, then appendices."""

    parts: list[BookPart]
    appendices: list[dict[str, Any]]  # timelines and other child documents but policies
    policies: int  # policies (catalogue entries and full texts) it holds


def book_contents(backend: Searcher, document: Document) -> BookContents:
    """The child documents of a report (its chapters by part, its appendices)."""
    children = [d for d in backend.engine.documents() if d.get("parent_id") == document.id]
    chapters = sorted(
        (d for d in children if d["kind"] == "report_chapter"),
        key=lambda d: (_number(d["meta"].get("number")), d["title"]),
    )
    parts: list[BookPart] = []
    for chapter in chapters:
        label = chapter["meta"].get("part") or ""
        if not parts or parts[-1].label != label:
            parts.append(BookPart(label, chapter["meta"].get("part_number"), []))
        parts[-1].chapters.append(chapter)
    appendices = [d for d in children if d["kind"] not in ("report_chapter", "policy")]
    policies = sum(1 for d in children if d["kind"] == "policy")
    return BookContents(parts, sorted(appendices, key=lambda d: d["title"]), policies)


def _number(value: Any) -> int:
    text = str(value or "")
    return int(text) if text.isdigit() else 10**6


def books(backend: Searcher) -> list[dict[str, Any]]:
    """The reports in the index (title and id), for links to their contents pages."""
    return [{"id": d["id"], "title": d["title"]} for d in backend.engine.documents("report")]


def events(
    backend: Searcher, settings: Settings, params: SearchParams, *, agencies: bool = False
) -> tuple[int, list[dict[str, Any]], list[str]]:
    """Timeline entries (大事记), newest first, with the search's date and agency filters; with
    ``agencies``, the agencies acting in the entries the words and dates find, most entries
    first (the 大事记 page's filter choices: the same search counts them, its own agency
    selection left out, see search.own_facets)."""
    params.doc_type = ["event"]
    params.sort = "date"
    request: SearchRequest = replace(
        params.to_request(settings, facets=agencies), facet_fields=("agency",), text_only=True
    )
    response = backend.search(request)
    items = [
        {
            "id": h.id,
            "doc_id": h.doc_id,
            "date": h.date,
            "text": h.text,
            "citation": h.citation,
            "path": h.path,
            "agencies": h.agencies,
            "talent_categories": h.talent_categories,
        }
        for h in response.hits
    ]
    return response.total, items, [value.value for value in response.facets.get("agency", [])]


def suggestions(backend: Searcher, q: str, limit: int) -> list[dict[str, Any]]:
    return [{**s, "url": document_url(s["kind"], s["id"])} for s in backend.suggest(q, limit)]
