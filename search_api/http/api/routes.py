"""The JSON API: search, eligibility, passages, documents, policies, events, suggestions, health.

The routes that read records are plain ``def``: backends block (tantivy in Rust,
Elasticsearch over HTTP), so FastAPI runs them in its thread pool instead of stalling
the event loop. The search, the hot path, is ``async`` and decides per engine
(:meth:`search_api.http.deps.SearcherRef.run`); ``/healthz`` waits for nothing.
"""

# No `from __future__ import annotations`: FastAPI evaluates these signatures, which use
# closure variables (settings limits, dependencies).
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from search_api.errors import EngineUnavailable, PolicyKBError
from search_api.http import views as service
from search_api.http.api import models
from search_api.http.deps import IdParam, SearcherDep, SearcherRef
from search_api.http.errors import SafeJSONResponse
from search_api.http.params import (
    MAX_VALUE_CHARS,
    DateParam,
    FilterValues,
    SearchParams,
    known_parameters,
    openapi_parameters,
    search_params_dependency,
    search_params_parser,
)
from search_api.http.profile_params import ProfileParams, profile_params
from search_api.search import eligibility, profile_reading
from search_api.search.filters import check_year
from search_api.settings import Settings

MAX_SUGGESTIONS = 20

Responses = dict[int | str, dict[str, Any]]
ERROR_422: Responses = {422: {"model": models.ErrorBody, "description": "a parameter is invalid or beyond the limits"}}
ERROR_404: Responses = {404: {"model": models.ErrorBody, "description": "no such record"}}
ERROR_503: Responses = {
    503: {"model": models.ErrorBody, "description": "the search engine is unreachable; message names why"}
}


def build_api_router(settings: Settings) -> APIRouter:
    router = APIRouter()
    # Every route but /api/search, which reads its own parameters (search_params_parser),
    # refuses a parameter it does not take and a single-valued one given twice.
    checked = APIRouter(dependencies=[Depends(known_parameters)])
    _add_search(router, checked, settings)
    _add_documents(checked)
    _add_policies(checked, settings)
    _add_lists(checked, settings)
    _add_health(checked)
    router.include_router(checked)
    return router


def _add_search(router: APIRouter, checked: APIRouter, settings: Settings) -> None:
    """/api/search and /api/eligibility: the two ways to ask."""
    SearchQuery = Annotated[SearchParams, Depends(search_params_dependency(settings))]
    search_parameters = openapi_parameters(settings)  # for /api/search, whose parameters FastAPI does not see
    parse_search = search_params_parser(settings)

    @router.get(
        "/api/search",
        response_model=models.SearchResponseModel,
        responses={**ERROR_422, **ERROR_503},
        tags=["search"],
        summary="Full-text search with filters, facets, sort and pages",
        openapi_extra=search_parameters,
    )
    async def search(http_request: Request) -> Response:
        """The body is exactly what ``policykb search --json`` prints."""
        # Parsed here, not as dependencies: solving them cost more than the rest of the
        # HTTP layer (see search_params_parser); the parameters are checked before the
        # engine is asked for, so a bad request gets its 422 even while the engine is down.
        request = parse_search(http_request).to_request(settings)
        engine = SearcherRef(http_request)
        response = await engine.run(lambda searcher: searcher.search(request))
        # A Response is not validated against the model, which only documents it here
        # (tests/api/test_models.py keeps both in step): validating cost as much as the
        # JSON encoding, in a thread hop of its own.
        return SafeJSONResponse(response.json_content())

    @checked.get(
        "/api/eligibility",
        response_model=models.EligibilityResponse,
        responses={**ERROR_422, **ERROR_503},
        tags=["search"],
        summary="申报自查: policies ranked by fit to a profile, a verdict per condition",
    )
    def eligibility_check(
        params: SearchQuery, profile: Annotated[ProfileParams, Depends(profile_params)], engine: SearcherDep
    ) -> Response:
        """The body is exactly what ``policykb check --json`` prints. ``q`` and the facet
        filters choose the candidate policies; the profile ranks them and judges each
        condition (met / not_met with the reason / unknown)."""
        request = params.to_request(settings, facets=False)
        applicant = profile_reading.profile_from(profile.raw())
        result = eligibility.check(
            engine.get(), applicant, request.query, request.filters, request.offset, request.limit
        )
        return SafeJSONResponse(result.to_dict())


def _add_documents(router: APIRouter) -> None:
    """A passage and a document by id."""

    @router.get(
        "/api/passages/{passage_id}",
        response_model=models.PassageView,
        responses={**ERROR_404, **ERROR_422, **ERROR_503},
        tags=["documents"],
        summary="A passage with its heading path, neighbours and document",
    )
    def passage(passage_id: IdParam, engine: SearcherDep) -> dict[str, Any]:
        return service.passage_context(engine.get(), passage_id).to_dict()

    @router.get(
        "/api/documents/{doc_id}",
        response_model=models.DocumentView,
        responses={**ERROR_404, **ERROR_422, **ERROR_503},
        tags=["documents"],
        summary="A document's metadata, structure tree and passages in reading order",
    )
    def document(doc_id: IdParam, engine: SearcherDep) -> dict[str, Any]:
        return service.document_view(engine.get(), doc_id)


def _add_policies(router: APIRouter, settings: Settings) -> None:
    """Policy records, filtered."""

    @router.get(
        "/api/policies",
        response_model=models.PolicyList,
        responses={**ERROR_422, **ERROR_503},
        tags=["documents"],
        summary="Policy records (文号, agencies, date, articles, validity, repeals), filtered",
    )
    def policies(
        engine: SearcherDep,
        q: Annotated[str, Query(max_length=settings.max_query_chars, description="in the title or 文号")] = "",
        agency: FilterValues = [],  # noqa: B006 - FastAPI copies defaults per request
        year: FilterValues = [],  # noqa: B006
        date_from: DateParam = None,
        date_to: DateParam = None,
        doc_number: Annotated[str | None, Query(max_length=MAX_VALUE_CHARS)] = None,
        region: FilterValues = [],  # noqa: B006
    ) -> dict[str, Any]:
        date_from, date_to = date_from or None, date_to or None  # blank form fields
        service.check_dates(settings, date_from, date_to)
        for value in year:  # as /api/search: year=abc had listed nothing, said nowhere why
            check_year(value)
        flt = service.PolicyFilter(
            q.strip(), tuple(agency), tuple(year), date_from, date_to, doc_number or None, tuple(region)
        )
        records = service.policies(engine.get(), flt)
        return {"total": len(records), "policies": [r.to_dict() for r in records]}


def _add_lists(router: APIRouter, settings: Settings) -> None:
    """Timeline entries and title suggestions, filtered."""

    @router.get(
        "/api/events",
        response_model=models.EventList,
        responses={**ERROR_422, **ERROR_503},
        tags=["documents"],
        summary="Timeline (大事记) entries, newest first, filtered by date, agency or words",
    )
    def events(
        engine: SearcherDep,
        q: Annotated[str, Query(max_length=settings.max_query_chars)] = "",
        agency: FilterValues = [],  # noqa: B006
        date_from: DateParam = None,
        date_to: DateParam = None,
        page: Annotated[int, Query(ge=1, le=settings.max_result_window)] = 1,
        size: Annotated[int, Query(ge=1, le=settings.max_page_size)] = 20,
    ) -> dict[str, Any]:
        params = SearchParams(q=q, agency=agency, date_from=date_from or None, date_to=date_to or None)
        params.page, params.size = page, size
        total, items, _ = service.events(engine.get(), settings, params)
        return {"total": total, "events": items}

    @router.get(
        "/api/suggest",
        response_model=models.SuggestionList,
        responses={**ERROR_422, **ERROR_503},
        tags=["search"],
        summary="Document titles and 文号 starting with (then containing) q",
    )
    def suggest(
        engine: SearcherDep,
        q: Annotated[str, Query(max_length=MAX_VALUE_CHARS)] = "",
        limit: Annotated[int, Query(ge=1, le=MAX_SUGGESTIONS)] = 8,
    ) -> dict[str, Any]:
        return {"suggestions": service.suggestions(engine.get(), q, limit)}


def _add_health(router: APIRouter) -> None:
    """Liveness and readiness."""

    @router.get("/healthz", response_model=models.Health, tags=["health"], summary="The process answers")
    async def healthz() -> dict[str, str]:  # async: nothing to wait for, so no thread hop
        return {"status": "ok"}

    @router.get(
        "/readyz",
        response_model=models.Readiness,
        responses=ERROR_503,
        tags=["health"],
        summary="The search engine answers (503 naming the cause when not)",
    )
    def readyz(engine: SearcherDep) -> dict[str, Any]:
        try:
            stats = engine.get().stats()
        except EngineUnavailable:
            raise
        except PolicyKBError as exc:  # e.g. Elasticsearch refusing the request
            raise EngineUnavailable(str(exc)) from exc
        return {
            "status": "ready",
            "engine": str(stats.get("engine", "?")),
            "passages": int(stats.get("passages", 0)),
            "documents": int(stats.get("documents", 0)),
        }
