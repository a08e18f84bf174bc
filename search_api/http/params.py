"""Query parameters of the search endpoints, shared by the JSON API and the web page.

The route signatures are built from :class:`Settings`, so the OpenAPI schema states the
real limits (query length, page size, page depth) and FastAPI rejects what exceeds
them with a 422 before any engine is asked; :func:`validate_request` then applies the
checks a schema cannot express (page × size beyond the result window, calendar dates).
"""

# No `from __future__ import annotations`: FastAPI evaluates these signatures, which use
# closure variables (settings limits, dependencies).
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Annotated, Any, Literal, get_args, get_origin
from urllib.parse import urlencode

from fastapi import Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError, create_model

from search_api.search.filters import closed_facets, validate_request
from search_api.search.types import FACET_FIELDS, Filters, SearchRequest
from search_api.settings import Settings

MAX_VALUE_CHARS = 100  # one filter value (an agency name is < 40 characters)
DOC_ID_PATTERN = r"^[0-9a-fA-F]{1,64}$"  # a document id as the index makes it (hex, read lower-case)
MAX_VALUES = 20  # values of one filter field
# Empty is allowed: a web form submits its blank date inputs as "date_from=". Years are
# 1800-2199: the embedded engine cannot represent dates before 1677 (a 500 otherwise).
ISO_DATE_PATTERN = r"^((1[89]|2[01])\d{2}(-\d{2}(-\d{2})?)?)?$"

REPEATED = "given more than once; this parameter takes one value"
UNKNOWN = "not a parameter of this endpoint, which takes: "
FilterValue = Annotated[str, Field(max_length=MAX_VALUE_CHARS)]
Q_DESCRIPTION = "plain text; never engine query syntax"
DOC_NUMBER_DESCRIPTION = "文号, any bracket or spacing variant"
# The facet filters in the order the URL and the OpenAPI schema list them.
URL_FACETS = ("agency", "talent_category", "mentioned_agency", "region", "clause_type", "doc_kind", "doc_type", "year")
# The rules of a filter list and of a date, as FastAPI parameters (Query) of the routes
# that declare them and as fields (Field) of the search model.
VALUES_RULES: dict[str, Any] = {"max_length": MAX_VALUES, "description": "repeatable; any of the values"}
DATE_RULES: dict[str, Any] = {
    "pattern": ISO_DATE_PATTERN,
    "max_length": 10,
    "description": "inclusive ISO date: YYYY, YYYY-MM or YYYY-MM-DD (years 1800-2199)",
}
FilterValues = Annotated[list[FilterValue], Query(**VALUES_RULES)]
DateParam = Annotated[str | None, Query(**DATE_RULES)]


# The parameters that narrow a search (its filters), which other pages narrowing by the same
# (申报自查) read and keep in their URLs.
FILTER_PARAMS = (*FACET_FIELDS, "date_from", "date_to", "doc_number", "eligibility_only")


@dataclass
class SearchParams:
    """A search as it appears in a URL: the web page's whole state, the API's request."""

    q: str = ""
    agency: list[str] = field(default_factory=list)
    talent_category: list[str] = field(default_factory=list)
    mentioned_agency: list[str] = field(default_factory=list)
    region: list[str] = field(default_factory=list)
    clause_type: list[str] = field(default_factory=list)
    doc_kind: list[str] = field(default_factory=list)
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
    spell: bool = True  # False: the words as typed (the page's 仍然搜索 link), no typo corrected
    doc_id: str | None = None  # one document's matches (the page's 「查看全部N处匹配」 link)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    def filters(self) -> Filters:
        return Filters(
            agency=list(self.agency),
            talent_category=list(self.talent_category),
            mentioned_agency=list(self.mentioned_agency),
            region=list(self.region),
            clause_type=list(self.clause_type),
            doc_kind=list(self.doc_kind),
            doc_type=list(self.doc_type),
            year=list(self.year),
            doc_number=self.doc_number or None,
            date_from=self.date_from or None,
            date_to=self.date_to or None,
            eligibility_only=self.eligibility_only,
            doc_id=self.doc_id,
        )

    def to_request(self, settings: Settings, *, facets: bool = True) -> SearchRequest:
        """The backend request; raises InvalidRequest (422) beyond the limits."""
        request = SearchRequest(
            query=self.q.strip(), filters=self.filters(), offset=self.offset, limit=self.size, sort=self.sort
        )
        request.facets = facets
        request.facet_documents = self.facet_docs
        request.group = self.group
        request.spell = self.spell
        return validate_request(request, settings)

    def cleared(self) -> str:
        """This query without any filter (the page's 清除全部)."""
        return self.url(
            **{f: [] for f in FACET_FIELDS},
            **dict(date_from=None, date_to=None, doc_number=None, eligibility_only=False, doc_id=None),
        )

    def has_filters(self) -> bool:
        return any(getattr(self, f) for f in FILTER_PARAMS) or bool(self.doc_id)

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
        if self.doc_id:
            items.append(("doc_id", self.doc_id))
        if self.sort != "relevance":
            items.append(("sort", self.sort))
        if self.page != 1:
            items.append(("page", str(self.page)))
        if self.size != 10:
            items.append(("size", str(self.size)))
        if not self.spell:
            items.append(("spell", "0"))
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


def search_params_parser(settings: Settings) -> Callable[[Request], SearchParams]:
    """The search parameters of a request, parsed and bounded.

    They are one model (:func:`search_query_model`) validated in one pydantic call on the
    query string. Declared as sixteen FastAPI parameters (or as FastAPI's query-parameter
    model, which still looks each field up on its own), their solving was about two
    thirds of the HTTP layer's time on a search. FastAPI therefore does not see them: the
    routes declare them for the OpenAPI schema with :func:`openapi_parameters`, and an
    invalid value raises the same :class:`RequestValidationError` (the same 422 body).
    """
    model = search_query_model(settings)
    lists = frozenset(model.model_fields) - frozenset(single_valued(model))

    def parse(request: Request) -> SearchParams:
        raw: dict[str, Any] = {}
        errors: list[dict[str, Any]] = []  # a single-valued parameter given again, an unknown one
        for key, value in request.query_params.multi_items():
            if key in lists:
                raw.setdefault(key, []).append(value)
            elif key in raw:
                # The schema gives it one value; the last of several (FastAPI's reading)
                # would search for something the client did not ask for alone.
                errors.append(_repeated(key, value))
            elif key in model.model_fields:
                raw[key] = value
            else:
                # Ignored, it would answer another question: offset=10 gave page 1 again.
                errors.append(_unknown(key, value, model.model_fields))
        try:
            query = model.model_validate(raw)
        except ValidationError as exc:
            invalid = [{**error, "loc": ("query", *error["loc"])} for error in exc.errors()]
            raise RequestValidationError(errors + invalid) from None
        if errors:
            raise RequestValidationError(errors)
        return _params(query)

    return parse


async def known_parameters(request: Request) -> None:
    """A router dependency: a parameter the matched route does not take, or a
    single-valued one given more than once, is a 422, as on /api/search
    (:func:`search_params_parser`), instead of FastAPI's silence and its reading of the
    last one. ``async``: no thread hop for a loop over the query string."""
    route = request.scope.get("route")
    at = (getattr(route, "path_format", ""), tuple(sorted(getattr(route, "methods", None) or ())))
    declared = _DECLARED.get(at)
    if declared is None:
        declared = _DECLARED[at] = _declared_parameters(route)
    names, singles = declared
    seen: set[str] = set()
    errors: list[dict[str, Any]] = []
    for name, value in request.query_params.multi_items():
        if name not in names:
            errors.append(_unknown(name, value, names))
        elif name in singles and name in seen:
            errors.append(_repeated(name, value))
        seen.add(name)
    if errors:
        raise RequestValidationError(errors)


# A route's query parameters, and those of them that take one value, by path and methods
# (a route object is not hashable; its parameters' names are the same in every app).
_DECLARED: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, ...], frozenset[str]]] = {}


def _declared_parameters(route: Any) -> tuple[tuple[str, ...], frozenset[str]]:
    """The query parameters of ``route`` in declared order, and those that take one value
    (a model's fields included)."""
    names: dict[str, bool] = {}  # name → takes one value
    for param in _query_params(getattr(route, "dependant", None)):
        annotation = param.field_info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            for name, info in annotation.model_fields.items():
                names[info.alias or name] = not takes_many(info.annotation)
        else:
            names[param.alias] = not takes_many(annotation)
    return tuple(names), frozenset(name for name, single in names.items() if single)


def takes_many(annotation: Any) -> bool:
    """A list parameter (``list[str]``, also ``list[str] | None``): it may be repeated."""
    if get_origin(annotation) is list:
        return True
    return any(get_origin(arg) is list for arg in get_args(annotation))


def _repeated(name: str, value: str) -> dict[str, Any]:
    """The validation error of a single-valued parameter given again (pydantic's shape)."""
    return {"type": "value_error", "loc": ("query", name), "msg": REPEATED, "input": value}


def _unknown(name: str, value: str, names: Iterable[str]) -> dict[str, Any]:
    """The validation error of a parameter the endpoint does not take (pydantic's shape)."""
    return {"type": "extra_forbidden", "loc": ("query", name), "msg": UNKNOWN + ", ".join(names), "input": value}


def _query_params(dependant: Any) -> list[Any]:
    """The query parameters a route and its dependencies declare (FastAPI's Dependant)."""
    found: list[Any] = []
    stack = [dependant] if dependant is not None else []
    while stack:
        current = stack.pop()
        found += current.query_params
        stack += current.dependencies
    return found


def search_params_dependency(settings: Settings) -> Callable[..., Awaitable[SearchParams]]:
    """The same parameters as a FastAPI dependency (FastAPI's query-parameter model), for
    routes off the hot path, whose schema FastAPI then writes itself. ``async`` although
    it awaits nothing: FastAPI runs a plain function dependency in its thread pool."""
    model = search_query_model(settings)

    async def dependency(query: Annotated[model, Query()]) -> SearchParams:  # type: ignore[valid-type]
        return _params(query)

    return dependency


def _params(query: BaseModel) -> SearchParams:
    """SearchParams from a validated :func:`search_query_model` instance (the same field
    names): blank filter values and blank dates or 文号 are no filter; an ``offset`` is
    its page (a page given too may not contradict it)."""
    values = query.model_dump()
    for facet in URL_FACETS:
        values[facet] = _present(values[facet])
    for name in ("date_from", "date_to", "doc_number", "doc_id"):
        values[name] = (values[name] or "").strip() or None
    values["doc_id"] = values["doc_id"] and values["doc_id"].lower()  # as the page reads it
    offset = values.pop("offset", None)
    if offset is not None:
        paged = "page" in query.model_fields_set
        values["page"] = _page_of(offset, values["size"], values["page"] if paged else None)
    return SearchParams(**values)


def _page_of(offset: int, size: int, page: int | None) -> int:
    """The page an ``offset`` starts (a client paging by offset, as Elasticsearch's
    ``from``): a multiple of ``size``, agreeing with ``page`` when one is given."""
    if offset % size or (page is not None and page != offset // size + 1):
        rule = f"must be a multiple of size ({size})" + (" and agree with page" if page is not None else "")
        error = {"type": "multiple_of", "loc": ("query", "offset"), "msg": rule, "input": offset}
        raise RequestValidationError([{**error, "ctx": {"multiple_of": size}}])
    return offset // size + 1


def openapi_parameters(settings: Settings) -> dict[str, Any]:
    """The search parameters as the OpenAPI ``parameters`` of a route (``openapi_extra``):
    what FastAPI would have written for them as declared query parameters."""
    schema = search_query_model(settings).model_json_schema()
    parameters = []
    for name, field_schema in schema["properties"].items():
        parameter: dict[str, Any] = {"name": name, "in": "query", "required": False, "schema": field_schema}
        if "description" in field_schema:
            parameter["description"] = field_schema["description"]
        parameters.append(parameter)
    return {"parameters": parameters}


@lru_cache(maxsize=8)
def single_valued(model: type[BaseModel]) -> tuple[str, ...]:
    """The parameters of a query model that take one value (the facets take several): read
    once per model, for the API's parser and the page's check of repeated values alike."""
    return tuple(name for name, info in model.model_fields.items() if not takes_many(info.annotation))


def search_query_model(settings: Settings) -> type[BaseModel]:
    """The search parameters as one model, with the limits of ``settings`` (so the
    OpenAPI schema states the real query length, page size and page depth): one model per
    set of limits, shared by the parser, the dependency and the schema."""
    return _query_model(settings.max_query_chars, settings.max_page_size, settings.max_result_window)


@lru_cache(maxsize=8)
def _query_model(max_query_chars: int, max_page_size: int, window: int) -> type[BaseModel]:
    date = Annotated[str | None, Field(**DATE_RULES)]
    doc_number = Annotated[str | None, Field(max_length=MAX_VALUE_CHARS, description=DOC_NUMBER_DESCRIPTION)]
    fields: dict[str, Any] = {
        "q": (Annotated[str, Field(max_length=max_query_chars, description=Q_DESCRIPTION)], ""),
        **{facet: (_facet_values(facet), []) for facet in URL_FACETS},
        "date_from": (date, None),
        "date_to": (date, None),
        "doc_number": (doc_number, None),
        "eligibility_only": (Annotated[bool, Field(description="only eligibility / applicability clauses")], False),
        "sort": (Literal["relevance", "date"], "relevance"),
        "page": (Annotated[int, Field(ge=1, le=window, description=f"1-based; page × size ≤ {window}")], 1),
        "size": (Annotated[int, Field(ge=1, le=max_page_size)], 10),
        "offset": (
            Annotated[
                int | None,
                Field(ge=0, lt=window, description="0-based index of the first hit, a multiple of size (or use page)"),
            ],
            None,
        ),
        "facet_docs": (
            Annotated[
                bool, Field(description="also count distinct documents per facet value (doc_count); slower at scale")
            ],
            False,
        ),
        "group": (
            Annotated[
                Literal["passage", "document"],
                Field(description="document: one hit per document with its best passages; facet counts are documents"),
            ],
            "passage",
        ),
        "spell": (
            Annotated[bool, Field(description="false: search the words as typed, no typo corrected (您是不是要找)")],
            True,
        ),
        "doc_id": (
            Annotated[str | None, Field(pattern=DOC_ID_PATTERN, description="only this document's passages")],
            None,
        ),
    }
    return create_model("SearchQuery", **fields)


def _facet_values(facet: str) -> Any:
    """A facet's parameter: repeatable, and its closed list in the schema where it has one
    (doc_kind, doc_type, clause_type, talent_category: another value is a 422)."""
    closed = closed_facets().get(facet)
    description = VALUES_RULES["description"] + (f"; one of: {', '.join(closed)}" if closed else "")
    return Annotated[list[FilterValue], Field(**{**VALUES_RULES, "description": description})]


def _present(values: list[str]) -> list[str]:
    """Drop blank values (``agency=`` from a hand-edited URL), keep order, no duplicates."""
    return list(dict.fromkeys(v for v in values if v.strip()))
