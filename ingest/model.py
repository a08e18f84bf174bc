"""The records that flow through the pipeline and into a search backend.

Segmenters produce :class:`Document` objects holding :class:`Passage` objects whose
structural fields (text, path, locator, kind, source line) are filled; the enrichment
step fills the metadata fields (agencies, talent categories, eligibility, ...) and
the pipeline assigns stable ids and citations. Backends store passages and documents
exactly as given here; nothing downstream re-parses text.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from analysis.numerals import int_to_cn
from knowledge.tables import CLAUSE_TYPES as CLAUSE_TYPES  # re-exported

# Passage kinds (the ``doc_type`` facet). Kept as plain strings so data files and the
# search API can name them; this tuple documents the vocabulary.
PASSAGE_KINDS = (
    "chapter",  # prose of a report chapter (paragraphs, section headings)
    "abstract",  # a chapter's 摘要 / English abstract
    "table",  # a table (caption, header and rows)
    "figure",  # a figure caption with its 资料来源
    "footnote",  # a footnote (also attached to its passage as a note)
    "event",  # an entry of a 大事记 timeline
    "catalogue_entry",  # an entry of a 政策目录
    "policy",  # a clause of a policy's full text (条, 款, 项 or numbered item)
    "front_matter",  # book front matter: editors, introductions
)

# The kind of a catalogue line (a policy known by its title, 文号, issuer and date).
CATALOGUE_ENTRY = "catalogue_entry"

# Clause types of a policy passage (``Passage.clause_type``; None for other kinds): the
# vocabulary is knowledge.tables.CLAUSE_TYPES (its cue file's loader: knowledge.clause_cues).
# The types an applicant looks up: ``Passage.eligibility`` of a policy clause.
ELIGIBLE_CLAUSE_TYPES = ("condition", "benefit")
# Between the cells of a table row in a table passage's text: the tab of the source's own
# rows, so the text holds what the source says (a fact looked up across a row's cells is
# found in it); the page shows it as a visible rule, and the reading page the rows as a table.
CELL = "\t"
# How a lead-in that opens a list ends (…应当具备下列条件：): the raw text's "：", the
# normalised text's ":".
LEAD_IN_END = (":", "：")
# Units of a policy whose text holds the units under it: an article its items (项), a
# section of a text without articles the list its lead-in opens (ingest.segment.clauses).
HOLDER_UNITS = ("article", "section", "subsection", "numbered")

# How a paragraph ends when the next one continues its 款 (the unnumbered lines of a
# list after a lead-in, 高级专家 第二条): a colon or a semicolon.
_CONTINUED = (":", "：", ";", "；")


def paragraph_number(paragraphs: list[str], text: str, offset: int) -> int:
    """The 款 (0 for the first) of the character at ``offset`` of an article's ``text``,
    whose paragraphs the segmenter listed in ``attrs["paragraphs"]`` (items with the
    paragraph before them). A paragraph after one ending with a colon or semicolon
    continues the same 款, so 第二款 is the second paragraph that starts a sentence."""
    index, number, pos = 0, 0, 0
    previous = ""
    for k, paragraph in enumerate(paragraphs):
        if k and not previous.rstrip().endswith(_CONTINUED):
            number += 1
        previous = paragraph
        at = text.find(paragraph[:12], pos)
        if at < 0:
            continue
        if at <= offset:
            index = number
        pos = at + 1
    return index


def paragraph_label(paragraphs: list[str], text: str, offset: int) -> str:
    """How the 款 of ``offset`` is cited after its article: "" for the first, 第二款 …"""
    return paragraph_name(paragraph_number(paragraphs, text, offset))


def paragraph_name(number: int) -> str:
    """How the 款 of index ``number`` (0 for the first) is cited: "" for the first, 第二款 …"""
    return f"第{int_to_cn(number + 1)}款" if number else ""


# Document kinds.
DOCUMENT_KINDS = ("report", "report_chapter", "policy", "timeline", "front_matter")


def stable_id(*parts: str, length: int = 16) -> str:
    """Deterministic id from its parts: the same input always gives the same id."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


@dataclass
class SourceLine:
    """One cleaned line of a source: its text, 1-based line number and printed page."""

    text: str
    line: int
    page: int | None = None


@dataclass
class Passage:
    """The unit of retrieval: one paragraph, clause, table, event or entry."""

    kind: str  # one of PASSAGE_KINDS
    text: str  # display text (cleaned, rejoined, original punctuation kept)
    path: list[str]  # labels from the document root down, e.g. ["第二章 申报条件", "第四条", "（一）"]
    locator: str = ""  # short citation locator inside the document, e.g. "第四条（一）"
    line: int = 0  # 1-based line of the source file where the passage starts
    page: int | None = None  # printed page number when known
    notes: list[str] = field(default_factory=list)  # footnotes attached to this passage
    attrs: dict[str, Any] = field(default_factory=dict)  # kind-specific (date_end, rows, ...)

    # Filled by enrichment / the pipeline.
    id: str = ""
    doc_id: str = ""
    ord: int = 0  # position inside the document (previous/next navigation)
    citation: str = ""
    agencies: list[str] = field(default_factory=list)  # issuers (the 发文机关 facet)
    mentioned_agencies: list[str] = field(default_factory=list)  # every agency the text names
    doc_number: str | None = None  # normalised 文号 of the document
    date: str | None = None  # ISO date (event day, policy issue date, ...)
    talent_categories: list[str] = field(default_factory=list)
    eligibility: bool = False
    clause_type: str | None = None  # one of CLAUSE_TYPES for a policy clause, else None
    # Requirements the clause states (ingest.enrich.conditions): [{"field", "value", "span",
    # "start", "end", "group", "negated"}], fields from knowledge.eligibility.FIELDS.
    conditions: list[dict[str, Any]] = field(default_factory=list)
    source: str = ""  # "relative/path.txt:123"
    # Transient: the analyzer's tokens of ``text`` (see analysis.words), computed once by
    # the pipeline and shared by enrichment and the embedded index; never stored.
    tokens: list[Any] | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        # Not dataclasses.asdict: it deep-copies every field, tokens included.
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "tokens"}
        data["path"] = list(self.path)
        data["notes"] = list(self.notes)
        data["attrs"] = dict(self.attrs)
        data["agencies"] = list(self.agencies)
        data["mentioned_agencies"] = list(self.mentioned_agencies)
        data["talent_categories"] = list(self.talent_categories)
        data["conditions"] = [dict(c) for c in self.conditions]
        return data


@dataclass
class Document:
    """A logical document: a report chapter, a policy, a timeline, the report itself."""

    kind: str  # one of DOCUMENT_KINDS
    title: str
    key: str  # stable key inside its source (e.g. "B.4", a normalised 文号); with source gives the id
    source: str  # source file, relative to the ingest root
    passages: list[Passage] = field(default_factory=list)
    # Metadata. Policies: doc_number, agencies, date, valid_until, repeals.
    # Report chapters: part, number, subtitle, authors, keywords, start_page, abstract.
    meta: dict[str, Any] = field(default_factory=dict)
    parent_id: str | None = None  # e.g. a chapter's report
    id: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "passages"}
        data["meta"] = dict(self.meta)
        data["passage_ids"] = [p.id for p in self.passages]
        return data


# What a policy's ``articles`` counts, and the word a reader counts it by: 条 (articles),
# 项 (numbered items of a text without 条), 部分 (its sections 一、二、…).
ARTICLE_MEASURES = {"article": "条", "numbered": "项", "section": "部分"}


@dataclass
class PolicyRecord:
    """What ``policykb policies`` lists; derived from a policy Document."""

    id: str
    title: str
    doc_number: str | None
    agencies: list[str]
    date: str | None
    articles: int | None  # number of 条 / numbered items when the full text is known
    valid_until: str | None
    repeals: list[dict[str, str | None]]  # [{"title": ..., "doc_number": ..., "date": the version's, when given}]
    # Dated events of a regulation's header: [{"event": "通过" | "修正" | "修订" | "施行" | ...,
    # "date": "YYYY-MM-DD", "agency": ... (when named)}], in header order.
    dates: list[dict[str, str]] = field(default_factory=list)
    # What copies of the same text share (ingest.fingerprint.text_key); None without units.
    text_key: str | None = None
    # Whether the index holds its clauses, not only its catalogue line; None: an index
    # built before this was recorded.
    full_text: bool | None = None
    region: str | None = None  # 地区: where it applies (ingest.enrich.regions)
    article_unit: str | None = None  # what ``articles`` counts (ARTICLE_MEASURES' keys)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def article_measure(self) -> str:
        """The word ``articles`` counts by: 条, 项 or 部分 (an index built before the unit
        was recorded counted 条)."""
        return ARTICLE_MEASURES.get(self.article_unit or "article", "条")
