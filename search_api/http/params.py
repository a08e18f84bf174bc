"""Query parameters of the search endpoints, shared by the JSON API and the web page.

The route signatures are built from :class:`Settings`, so the OpenAPI schema states the
real limits (query length, page size, page depth) and FastAPI rejects what exceeds
them with a 422 before any engine is asked; :func:`validate_request` then applies the
checks a schema cannot express (page × size beyond the result window, calendar dates).
"""

# No `from __future__ import annotations`: FastAPI evaluates these signatures, which use
# closure variables (settings limits, dependencies).
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import Query
from pydantic import Field

from search_api.search.filters import validate_request
from search_api.search.types import FACET_FIELDS, Filters, SearchRequest
from search_api.settings import Settings

MAX_VALUE_CHARS = 100  # one filter value (an agency name is < 40 characters)
MAX_VALUES = 20  # values of one filter field
# Empty is allowed: a web form submits its blank date inputs as "date_from=". Years are
# 1800-2199: the embedded engine cannot represent dates before 1677 (a 500 otherwise).
ISO_DATE_PATTERN = r"^((1[89]|2[01])\d{2}(-\d{2}(-\d{2})?)?)?$"

FilterValue = Annotated[str, Field(max_length=MAX_VALUE_CHARS)]
FilterValues = Annotated[list[FilterValue], Query(max_length=MAX_VALUES, description="repeatable; any of the values")]
DateParam = Annotated[
    str | None,
    Query(
        pattern=ISO_DATE_PATTERN,
        max_length=10,
        description="inclusive ISO date: YYYY, YYYY-MM or YYYY-MM-DD (years 1800-2199)",
    ),
]


@dataclass
class SearchParams:
    """A search as it appears in a URL: the web page's whole state, the API's request."""

    q: str = ""
    agency: list[str] = field(default_factory=list)
    talent_category: list[str] = field(default_factory=list)
    mentioned_agency: list[str] = field(default_factory=list)
    clause_type: list[str] = field(default_factory=list)
    doc_type: list[str] = field(default_factory=list)
    year: list[str] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    doc_number: str | None = None
    eligibility_only: bool = False
    sort: str = "relevance"
    page: int = 1
    size: int = 10
    facet_docs: bool = False  # count distinct documents per facet value too
    group: str = "passage"  # "document": one hit per document with its best passages

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    def filters(self) -> Filters:
        return Filters(
            agency=list(self.agency),
            talent_category=list(self.talent_category),
            mentioned_agency=list(self.mentioned_agency),
            clause_type=list(self.clause_type),
            doc_type=list(self.doc_type),
            year=list(self.year),
            doc_number=self.doc_number or None,
            date_from=self.date_from or None,
            date_to=self.date_to or None,
            eligibility_only=self.eligibility_only,
        )

    def to_request(self, settings: Settings, *, facets: bool = True) -> SearchRequest:
        """The backend request; raises InvalidRequest (422) beyond the limits."""
        request = SearchRequest(
            query=self.q.strip(), filters=self.filters(), offset=self.offset, limit=self.size, sort=self.sort
        )
        request.facets = facets
        request.facet_documents = self.facet_docs
        request.group = self.group
        return validate_request(request, settings)

    def cleared(self) -> str:
        """This query without any filter (the page's 清除全部)."""
        return self.url(
            **{f: [] for f in FACET_FIELDS}, date_from=None, date_to=None, doc_number=None, eligibility_only=False
        )

    def has_filters(self) -> bool:
        return bool(
            any(getattr(self, f) for f in FACET_FIELDS)
            or self.date_from
            or self.date_to
            or self.doc_number
            or self.eligibility_only
        )

    # ---------------------------------------------------------------- URLs (web page)

    def query_items(self) -> list[tuple[str, str]]:
        """The canonical query string items: defaults left out, so URLs stay short."""
        items: list[tuple[str, str]] = []
        if self.q:
            items.append(("q", self.q))
        for facet in FACET_FIELDS:
            items += [(facet, v) for v in getattr(self, facet)]
        for name in ("date_from", "date_to", "doc_number"):
            value = getattr(self, name)
            if value:
                items.append((name, value))
        if self.eligibility_only:
            items.append(("eligibility_only", "1"))
        if self.sort != "relevance":
            items.append(("sort", self.sort))
        if self.page != 1:
            items.append(("page", str(self.page)))
        if self.size != 10:
            items.append(("size", str(self.size)))
        return items

    def url(self, **changes: Any) -> str:
        """This state with ``changes`` applied; any change of filters goes back to page 1."""
        if "page" not in changes:
            changes["page"] = 1
        state = replace(self, **changes)
        query = urlencode(state.query_items())
        return f"/?{query}" if query else "/"

    def toggle(self, facet: str, value: str) -> str:
        values: list[str] = list(getattr(self, facet))
        values = [v for v in values if v != value] if value in values else [*values, value]
        return self.url(**{facet: values})

    def without(self, name: str, value: str | None = None) -> str:
        if name in FACET_FIELDS:
            return self.url(**{name: [v for v in getattr(self, name) if v != value]})
        if name == "eligibility_only":
            return self.url(eligibility_only=False)
        return self.url(**{name: None})

    def page_url(self, page: int) -> str:
        return self.url(page=page)


def search_params_dependency(settings: Settings) -> Callable[..., Awaitable[SearchParams]]:
    """A FastAPI dependency parsing and bounding the search parameters.

    ``async`` although it awaits nothing: FastAPI runs a plain function dependency in its
    thread pool, a hop per request for a few assignments.
    """
    max_pages = settings.max_result_window

    async def dependency(
        q: Annotated[
            str, Query(max_length=settings.max_query_chars, description="plain text; never engine query syntax")
        ] = "",
        agency: FilterValues = [],  # noqa: B006 - FastAPI copies defaults per request
        talent_category: FilterValues = [],  # noqa: B006
        mentioned_agency: FilterValues = [],  # noqa: B006
        clause_type: FilterValues = [],  # noqa: B006
        doc_type: FilterValues = [],  # noqa: B006
        year: FilterValues = [],  # noqa: B006
        date_from: DateParam = None,
        date_to: DateParam = None,
        doc_number: Annotated[
            str | None, Query(max_length=MAX_VALUE_CHARS, description="文号, any bracket or spacing variant")
        ] = None,
        eligibility_only: Annotated[bool, Query(description="only eligibility / applicability clauses")] = False,
        sort: Annotated[Literal["relevance", "date"], Query()] = "relevance",
        page: Annotated[
            int, Query(ge=1, le=max_pages, description=f"1-based; page × size ≤ {settings.max_result_window}")
        ] = 1,
        size: Annotated[int, Query(ge=1, le=settings.max_page_size)] = 10,
        facet_docs: Annotated[
            bool, Query(description="also count distinct documents per facet value (doc_count); slower at scale")
        ] = False,
        group: Annotated[
            Literal["passage", "document"],
            Query(description="document: one hit per document with its best passages; facet counts are documents"),
        ] = "passage",
    ) -> SearchParams:
        return SearchParams(
            q=q,
            agency=_present(agency),
            talent_category=_present(talent_category),
            mentioned_agency=_present(mentioned_agency),
            clause_type=_present(clause_type),
            doc_type=_present(doc_type),
            year=_present(year),
            date_from=date_from or None,
            date_to=date_to or None,
            doc_number=(doc_number or "").strip() or None,
            eligibility_only=eligibility_only,
            sort=sort,
            page=page,
            size=size,
            facet_docs=facet_docs,
            group=group,
        )

    return dependency


def _present(values: list[str]) -> list[str]:
    """Drop blank values (``agency=`` from a hand-edited URL), keep order, no duplicates."""
    return list(dict.fromkeys(v for v in values if v.strip()))
