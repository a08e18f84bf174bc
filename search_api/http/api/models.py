"""Pydantic response models: the OpenAPI schema of the JSON API.

They mirror the dataclasses of :mod:`search_api.search.types` and :mod:`ingest.model` field
for field (``tests/api/test_models.py`` fails when one side gains a field), so a
``/api/search`` body is exactly what ``policykb search --json`` prints.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    # A dataclass field the schema does not describe yet is left out of the response
    # rather than turning it into a 500; tests/api/test_models.py flags the drift.
    model_config = ConfigDict(extra="ignore")


class ErrorBody(_Model):
    """The one error shape of every non-2xx JSON response (``PolicyKBError.to_dict``)."""

    error: str = Field(description="machine-readable code, e.g. invalid_request, not_found, engine_unavailable")
    message: str = Field(description="one line for a person: what was wrong, or which engine failed and why")


class FacetValueModel(_Model):
    value: str
    count: int = Field(description="matching passages carrying the value")
    doc_count: int | None = Field(
        default=None, description="distinct documents among them; only with facet_docs=true, else null"
    )
    selected: bool = False


class HitModel(_Model):
    id: str
    doc_id: str
    doc_title: str
    doc_type: str
    citation: str
    path: list[str]
    text: str
    highlight: str = Field(description="HTML-escaped text with <mark> around matched terms")
    agencies: list[str]
    doc_number: str | None
    date: str | None
    talent_categories: list[str]
    eligibility: bool
    source: str
    score: float
    clause_type: str | None = Field(default=None, description="condition, benefit, procedure, obligation or general")
    missing: list[str] = Field(
        default_factory=list,
        description="the query's units this passage lacks (缺少), when it needed only most of them",
    )


class DocumentHitModel(_Model):
    """A document of a document-mode result (``group=document``)."""

    doc_id: str
    doc_title: str
    doc_kind: str = Field(description="the document's own kind: policy, report_chapter, timeline or report")
    doc_type: str = Field(description="the kind of its best matching passage")
    agencies: list[str]
    doc_number: str | None
    date: str | None
    score: float
    matches: int = Field(description="its matching passages (a lower bound when matches_exact is false)")
    matches_exact: bool
    passages: list[HitModel] = Field(description="its best matching passages (at most 3), best first")
    copies: list[str] = Field(
        default_factory=list, description="ids of other documents holding the same text word for word, ranked below it"
    )
    newer_id: str | None = Field(
        default=None, description="a later full text of the same policy that replaces this one (its id), else null"
    )
    newer_date: str | None = Field(default=None, description="that later version's date")
    catalogue_only: bool = Field(default=False, description="a policy known only by its catalogue line (全文未收录)")
    missing: list[str] = Field(default_factory=list, description="the query's units none of its shown passages holds")


class QueryInfoModel(_Model):
    """What the search understood and what matched."""

    text: str = Field(description="the query as typed")
    normalized: str = Field(description="as searched: folded, traditional → simplified, question forms out")
    terms: list[str] = Field(description="the units a passage is asked to hold")
    matched: list[str]
    unmatched: list[str] = Field(description="units no result holds")
    absent: list[str] = Field(
        description="units no passage holds under the filters (未找到); the rest of unmatched are elsewhere"
    )
    relaxed: bool = Field(description="true when the results hold only part of the units")
    corrections: list[dict[str, str]] = Field(description="typo corrections applied: {from, to}")


class SearchResponseModel(_Model):
    total: int = Field(description="matching passages, or documents with group=document")
    hits: list[HitModel] | list[DocumentHitModel] = Field(description="passages, or documents with group=document")
    facets: dict[str, list[FacetValueModel]] = Field(
        description=(
            "per facet field: agency, mentioned_agency, region, year, talent_category, doc_kind, doc_type, clause_type"
        )
    )
    query: QueryInfoModel | None = None
    reachable: int | None = Field(
        None,
        description="group=document only: how many documents the pages can show when fewer than "
        "total (the windows of passages read stopped at their bound before the page was full), else null",
    )


class PassageModel(_Model):
    """A stored passage (``Passage.to_dict()``)."""

    kind: str
    text: str
    path: list[str]
    locator: str
    line: int
    page: int | None
    notes: list[str]
    attrs: dict[str, Any]
    id: str
    doc_id: str
    ord: int
    citation: str
    agencies: list[str]
    mentioned_agencies: list[str] = []
    doc_number: str | None
    date: str | None
    talent_categories: list[str]
    eligibility: bool
    clause_type: str | None = None
    conditions: list[StoredCondition] = Field(default=[], description="requirements the clause states")
    source: str


class StoredCondition(_Model):
    """One requirement a clause states (``Passage.conditions``), with its span."""

    field: str = Field(description="education_min, age_max, age_min, …, other")
    value: int | str | list[str]
    span: str = Field(description="the words of the clause that state it")
    start: int = Field(description="offset of the span in the passage text")
    end: int
    group: str | None = Field(description="None: hard; gN/xN: any-of group (gN/a a branch); pref, sub")
    negated: bool = Field(description="a disqualifier: the requirement is that it does not apply")


class JudgedCondition(StoredCondition):
    requirement: str = Field(description="the rule in Chinese, e.g. 45周岁以下")
    verdict: str = Field(description="met | not_met | unknown")
    reason: str = Field(description="要求45周岁以下, 未填写年龄, …")


class JudgedClause(_Model):
    id: str
    citation: str
    locator: str
    article: str
    clause_type: str | None
    text: str
    conditions: list[JudgedCondition]


class PolicyFitModel(_Model):
    doc_id: str
    title: str
    eligible: bool | None = Field(description="every hard condition of one alternative met; null: undecided")
    counts: dict[str, int] = Field(description="met / not_met / unknown conditions")
    clauses: list[JudgedClause]
    route: str | None = Field(
        default=None, description="when eligible: the article (条) whose route (情形) is met, e.g. 第十八条"
    )
    newer_version: dict[str, str | None] | None = Field(
        default=None, description="the later full text that replaces this one ({doc_id, date}), ranked last; else null"
    )


class EligibilityResponse(_Model):
    profile: dict[str, Any] = Field(description="the profile as understood (canonical values)")
    total: int = Field(description="candidate policies with conditions")
    policies: list[PolicyFitModel]
    notice: str
    broadened: bool = Field(
        description="without q, no word of the profile is in a condition: every policy stating conditions was read"
    )


class PassageRef(_Model):
    """A neighbouring passage, enough to show and link it."""

    id: str
    kind: str
    ord: int
    locator: str
    citation: str
    path: list[str]
    text: str


class DocumentInfo(_Model):
    """A stored document's record (``Document.to_dict()``)."""

    kind: str
    title: str
    key: str
    source: str
    meta: dict[str, Any]
    parent_id: str | None
    id: str
    passage_ids: list[str]


class Crumb(_Model):
    label: str
    doc_id: str | None = Field(default=None, description="set when the crumb is a document")


class PassageView(_Model):
    passage: PassageModel
    formal_citation: str = Field(
        description="the citation to copy: a policy's 文号 after its title, as the page's copy button gives it"
    )
    breadcrumb: list[Crumb] = Field(description="parent document › document › the passage's heading path")
    previous: PassageRef | None
    next: PassageRef | None
    document: DocumentInfo


class TreeNode(_Model):
    label: str
    passage_ids: list[str] = Field(description="passages whose heading path ends at this node, in reading order")
    children: list[TreeNode]


class DocumentView(_Model):
    document: DocumentInfo
    parent: Crumb | None
    tree: TreeNode = Field(description="the heading structure; the root is the document itself")
    passages: list[PassageRef]


class PolicyModel(_Model):
    """A policy record (``PolicyRecord``)."""

    id: str
    title: str
    doc_number: str | None
    agencies: list[str]
    date: str | None
    articles: int | None
    valid_until: str | None
    repeals: list[dict[str, str | None]]
    dates: list[dict[str, str]] = Field(
        default_factory=list, description="dated header events (通过, 修正, 施行, ...) in header order"
    )
    text_key: str | None = Field(
        default=None, description="shared by the copies of one text (the same 条 word for word); null without 条"
    )
    full_text: bool | None = Field(
        default=None, description="false: only its catalogue line (政策目录) is indexed, not its clauses"
    )
    region: str | None = Field(default=None, description="地区 where it applies: 全国, 北京, 广东 …")
    article_unit: str | None = Field(
        default=None,
        description="what articles counts: article (条), numbered (项, a text without 条), section (部分)",
    )


class PolicyList(_Model):
    total: int
    policies: list[PolicyModel]


class EventModel(_Model):
    id: str
    doc_id: str
    date: str | None
    text: str
    citation: str
    path: list[str]
    agencies: list[str]
    talent_categories: list[str]


class EventList(_Model):
    total: int
    events: list[EventModel]


class Suggestion(_Model):
    id: str
    title: str
    kind: str
    doc_number: str | None
    date: str | None
    url: str = Field(description="the page of the document (a policy page for policies)")


class SuggestionList(_Model):
    suggestions: list[Suggestion]


class Health(_Model):
    status: str


class Readiness(_Model):
    status: str
    engine: str
    passages: int
    documents: int
