"""The server-rendered search page (Chinese UI), usable without JavaScript.

Every view is a GET whose whole state is in the URL (:class:`SearchParams`), so a view
can be shared, bookmarked and reached again with the back button. The templates and what
they may show unescaped: :mod:`search_api.http.page.templating`.

The page reads its parameters itself (:mod:`search_api.http.page.form`): a bad one is
reported in Chinese next to the form that still holds the user's input, and a query over
the length limit is cut rather than rejected. The JSON API keeps its strict 422s.
"""

# No `from __future__ import annotations`: FastAPI evaluates these signatures, which use
# closure variables (settings limits, dependencies).
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from ingest.model import CATALOGUE_ENTRY, PolicyRecord
from search_api.errors import InvalidRequest, PolicyKBError
from search_api.http import views as service
from search_api.http.deps import IdParam, SearcherDep, SearcherRef
from search_api.http.page import check, display, form, labels, reading, results
from search_api.http.page.templating import STATIC, make_templates
from search_api.http.params import SearchParams
from search_api.search.profile_reading import stated_profile
from search_api.search.types import SearchRequest, SearchResponse
from search_api.settings import Settings

FULL_DOCUMENT_PASSAGES = 80  # up to this many, a passage page shows its whole document
CONTEXT_PASSAGES = 5  # else this many passages on each side
EXAMPLES = ("技能大师工作室申报条件", "人才公寓", "京人社能发〔2023〕3号", "职称评审", "博士后")
FACET_SHOWN = 8  # values per facet before 更多
POLICIES_PER_PAGE = 50  # rows of the policy list per page (the archive has thousands)


def _form_values(query: Any, settings: Settings) -> dict[str, str]:
    """The search form's inputs as the user typed them (the query cut to the limit)."""
    values = {name: query.get(name) or "" for name in ("q", "date_from", "date_to", "doc_number")}
    values["q"] = values["q"][: settings.max_query_chars]
    return values


Render = Callable[..., Response]  # render(request, template name, context, status=200)


def build_web_router(settings: Settings, templates: Jinja2Templates) -> APIRouter:
    """The page's routes, each built by its own function below with what it reads."""
    router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
    render = _renderer(settings, templates)
    handlers = {
        "/": _search_page(settings, render),
        "/passages/{passage_id}": _passage_page(render),
        "/documents/{doc_id}": _document_page(render),
        "/policies": _policies_page(settings, render),
        "/policies/{policy_id}": _policy_page(render),
        "/events": _events_page(settings, render),
    }
    for path, handler in handlers.items():
        router.api_route(path, methods=["GET", "HEAD"])(handler)
    router.api_route("/search", methods=["GET", "HEAD"])(_to_search_page)
    return router


def _to_search_page(request: Request) -> RedirectResponse:
    """/search?q=… is where people (and other search sites) put a search: the page is /."""
    query = request.url.query
    return RedirectResponse("/" + (f"?{query}" if query else ""), status_code=301)


def _renderer(settings: Settings, templates: Jinja2Templates) -> Render:
    """A template's response with the context every page's form needs."""

    def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
        context.setdefault("max_query", settings.max_query_chars)
        context.setdefault("max_window", settings.max_result_window)
        context.setdefault("form", _form_values(request.query_params, settings))
        context.setdefault("invalid", set())
        context.setdefault("hidden_items", [])
        context.setdefault("notices", [])
        return templates.TemplateResponse(request, name, context, status_code=status)

    return render


def _pages_end(
    engine: SearcherRef, asked: form.PageRequest, settings: Settings
) -> tuple[list[form.Problem], int | None]:
    """The page problem of a page past the result window, told where the results end
    when they end before the window does (counted by a search for its first page), and
    that last page (None when the window's reason stands)."""
    state = asked.state
    try:
        counted = engine.get().search(replace(state.to_request(settings), offset=0, facets=False))
    except PolicyKBError:  # the engine down or the request refused: the window's reason stands
        return asked.problems, None
    last = max(1, math.ceil(counted.total / state.size))
    if asked.beyond_window is None or last * state.size >= settings.max_result_window:
        return asked.problems, None
    return form.pages_end(asked.problems, asked.beyond_window, last), last


def _search_page(settings: Settings, render: Render) -> Callable[..., Response]:
    def search_page(request: Request, engine: SearcherDep) -> Response:
        asked = form.read_search(request.query_params, settings)
        state = asked.state
        searching = bool(state.q.strip()) or state.has_filters()
        context: dict[str, Any] = {
            "state": state,
            "form": asked.typed,
            "invalid": asked.invalid,
            "problems": asked.problems,
            "notices": asked.notices,
            "searching": searching,
            "chips": results.filter_chips(state),
            "hidden_items": results.hidden_items(state),
            "examples": EXAMPLES,
            "active_filters": len(results.filter_chips(state)),
        }
        if asked.problems:  # nothing is searched: the form says what to change
            if asked.beyond_window is not None and len(asked.problems) == 1:
                context["problems"], last = _pages_end(engine, asked, settings)
                context["last_page_url"] = state.page_url(last) if last else None
            return render(request, "search.html", {**context, **_nothing_shown()}, status=422)
        backend = engine.get()
        shown = results.sidebar_fields(state.group)  # the only facets the view counts
        if searching:
            try:
                response = backend.search(replace(state.to_request(settings), facet_fields=shown))
            except InvalidRequest:  # a check the form does not know of: said plainly
                problem = form.Problem("request", "检索条件", "这组检索条件无法执行，请减少或修改筛选条件后重试。")
                context.update(problems=[problem], **_nothing_shown())
                return render(request, "search.html", context, status=422)
        else:  # the landing page: counts over everything (in the view's unit), to browse by facet
            landing = SearchRequest(query="", limit=1, group=state.group, facet_documents=True, facet_fields=shown)
            response = backend.search(landing)
            context["books"] = service.books(backend)
        paging = results.pager(response, state, settings.max_result_window)
        hits = results.visible_hits(response.hits) if searching else []
        unrepeated = results.without_repeats(hits, backend.policy_table().text_keys.get)
        scope = results.scope_label(response, state)
        if scope:
            context["chips"] = [*context["chips"], (scope, state.without("doc_id"))]
            context["active_filters"] = len(context["chips"])
        context["check_url"] = _check_url(state.q, response) if searching else None
        documents = results.document_results(response.documents or [], state) if searching else []
        context.update(
            response=response,
            hits=unrepeated,
            documents=documents,
            partial_hits=results.partial_from([h.missing for h in unrepeated]),
            hidden_hits=len(response.hits) - len(hits) if searching else 0,
            repeated_hits=len(hits) - len(unrepeated),
            facets=results.sidebar_facets(response, state.group),
            offset=state.offset,
            pages=results.page_numbers(state.page, paging.last_page) if searching else [],
            last_page=paging.last_page,
            truncated=paging.stop is not None,
            stop=paging.stop,
        )
        return render(request, "search.html", context)

    return search_page


def _nothing_shown() -> dict[str, Any]:
    """The results part of a search page that searched nothing (the form says why)."""
    return {
        "response": None,
        "hits": [],
        "documents": [],
        "facets": [],
        "pages": [],
        "last_page": 1,
        "offset": 0,
        "hidden_hits": 0,
        "repeated_hits": 0,
    }


def _check_url(q: str, response: SearchResponse) -> str | None:
    """申报自查 for a question whose intent seeks the clauses saying who qualifies
    (我今年五十岁了还能申请…吗: clause type ``condition``), else None: the applicant can
    check each condition instead of reading the clauses."""
    if not q.strip() or "condition" not in response.asked_clause_types:
        return None
    # The form filled with what the question says of the asker (我是技师，今年五十岁了).
    return "/check?" + urlencode({"q": q.strip(), **stated_profile(q)})


def _passage_page(render: Render) -> Callable[..., Response]:
    def passage_page(request: Request, passage_id: IdParam, engine: SearcherDep) -> Response:
        backend = engine.get()
        ctx = service.passage_context(backend, passage_id, around=CONTEXT_PASSAGES, whole_up_to=FULL_DOCUMENT_PASSAGES)
        doc = ctx.document
        shown = doc.passages  # the passages read: the whole document, or a window around the passage
        context: dict[str, Any] = {
            "ctx": ctx,
            "doc": doc,
            "crumbs": display.passage_crumbs(ctx),
            "partial": ctx.partial,
            "first_shown": shown[0].ord if shown else 0,
            "clauses": None,
            "entries": None,
        }
        if doc.kind == "policy" and ctx.passage.kind != CATALOGUE_ENTRY:
            context["clauses"] = display.clause_tree(shown, doc.title)
        else:
            parent_title = ctx.parent["label"] if ctx.parent else None
            skip = display.skip_labels(doc, parent_title)
            context["entries"] = reading.reading_order(shown, doc.title, skip, display.title_lines(doc))
        return render(request, "passage.html", context)

    return passage_page


def _document_page(render: Render) -> Callable[..., Response]:
    def document_page(request: Request, doc_id: IdParam, engine: SearcherDep) -> Response:
        backend = engine.get()
        document = service.load_document(backend, doc_id)
        if document.kind == "policy":
            return RedirectResponse(f"/policies/{doc_id}", status_code=303)
        parent = backend.get_document(document.parent_id) if document.parent_id else None
        skip = display.skip_labels(document, parent.title if parent else None)
        entries = reading.reading_order(document.passages, document.title, skip, display.title_lines(document))
        # The book's own page lists its front matter as it is printed.
        body, notes = reading.notes_apart(entries) if document.kind != "report" else (entries, [])
        context = {
            "doc": document,
            "parent": parent,
            "entries": body,
            "notes": notes,
            "toc": reading.table_of_contents([*body, *notes]),
            "book": service.book_contents(backend, document) if document.kind == "report" else None,
        }
        return render(request, "document.html", context)

    return document_page


def _policies_page(settings: Settings, render: Render) -> Callable[..., Response]:
    def policies_page(request: Request, engine: SearcherDep) -> Response:
        notices: list[str] = []
        problems: list[form.Problem] = []
        form.given_once(request.query_params, ("q", "page"), problems, {})
        q = form.query_text(request.query_params.get("q") or "", settings, notices)
        agency = form.read_values("agency", request.query_params, problems)
        year = form.checked_years(form.read_values("year", request.query_params, problems), problems)
        region = form.read_values("region", request.query_params, problems)
        backend = engine.get()
        everything = backend.policies()
        flt = service.PolicyFilter(q.strip(), tuple(agency), tuple(year), region=tuple(region))
        records = service.policies(backend, flt)  # as /api/policies lists them
        agencies, regions, years = _policy_facets(everything, flt)
        last_page = max(1, math.ceil(len(records) / POLICIES_PER_PAGE))
        # A page past the last is told where the list ends, as the search and 申报自查 pages
        # tell it (a filter narrowing a list shown at page 70 had given 422); an empty list
        # says so, with the way back, on any page.
        asked = request.query_params.get("page")
        past = form.past_last(asked, last_page)
        page = past or form.read_int("page", asked, 1, last_page, problems, "页码") or 1
        first = (page - 1) * POLICIES_PER_PAGE
        context = {
            "records": records[first : first + POLICIES_PER_PAGE],
            "past_last": past if records else None,
            "matched": len(records),
            "first": first,
            "page": page,
            "last_page": last_page,
            "page_url": _pager(request),
            "q": q,
            "agency": agency,
            "agencies": agencies,
            "year": year,
            "years": years,
            "region": region,
            "regions": regions,
            "total": len(everything),
            "notices": notices,
            "problems": problems,
        }
        return render(request, "policies.html", context, status=422 if problems else 200)

    return policies_page


def _policy_facets(
    everything: list[PolicyRecord], flt: service.PolicyFilter
) -> tuple[list[tuple[str, int]], list[tuple[str, int]], list[tuple[str, int]]]:
    """The 发文机关, 地区 and 年份 choices, each counted under the other filters (国务院（625）
    beside 地区 北京 had led to 共 1 份; every year since 1952 had been offered beside 京人社,
    whose texts are of 2023), the issuers of most first, the years newest first; a chosen
    value stays offered."""
    issued = _counted_apart(everything, replace(flt, agency=()), flt.agency, lambda r: r.agencies)
    placed = _counted_apart(everything, replace(flt, region=()), flt.region, lambda r: [r.region] if r.region else [])
    dated = _counted_apart(everything, replace(flt, year=()), flt.year, lambda r: [r.date[:4]] if r.date else [])
    by_count = sorted(issued.items(), key=lambda item: (-item[1], item[0]))
    return by_count, placed.most_common(), sorted(dated.items(), reverse=True)


def _counted_apart(
    everything: list[PolicyRecord],
    others: service.PolicyFilter,
    chosen: tuple[str, ...],
    values: Callable[[PolicyRecord], list[str]],
) -> Counter[str]:
    """The values of one facet of the records the ``others`` filters keep, counted; a
    ``chosen`` value they leave no record of stays, at 0."""
    counted = Counter(v for r in everything if others.matches(r) for v in values(r))
    counted.update({v: 0 for v in chosen if v not in counted})
    return counted


def _pager(request: Request) -> Callable[[int], str]:
    """Page ``n`` of this listing: its path with every parameter but the page, which a
    pager link keeps (the policy list and the 大事记)."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    return lambda n: f"{request.url.path}?" + urlencode([*kept, ("page", str(n))])


def _policy_page(render: Render) -> Callable[..., Response]:
    def policy_page(request: Request, policy_id: IdParam, engine: SearcherDep) -> Response:
        page = service.policy_page(engine.get(), policy_id)
        today = date.today().isoformat()
        expired = bool(page.record.valid_until and page.record.valid_until < today)
        clauses = display.clause_tree(page.document.passages, page.document.title) if page.has_full_text else []
        context = {"page": page, "r": page.record, "expired": expired, "clauses": clauses}
        return render(request, "policy.html", context)

    return policy_page


def _events_page(settings: Settings, render: Render) -> Callable[..., Response]:
    def events_page(request: Request, engine: SearcherDep) -> Response:
        problems: list[form.Problem] = []
        query = request.query_params
        form.given_once(query, ("q", "date_from", "date_to", "page"), problems, {})
        date_from, date_to = form.read_dates(query.get("date_from"), query.get("date_to"), problems)
        size = 50
        window = max(1, settings.max_result_window // size)
        page = form.read_int("page", query.get("page"), 1, window, problems, "页码") or 1
        notices: list[str] = []
        q = form.query_text(query.get("q") or "", settings, notices)  # words, as the API's q
        agency = form.read_values("agency", query, problems)
        state = SearchParams(q=q.strip(), agency=agency, date_from=date_from, date_to=date_to, page=page, size=size)
        typed = {"q": q, "date_from": query.get("date_from") or "", "date_to": query.get("date_to") or ""}
        context: dict[str, Any] = {"state": state, "typed": typed, "problems": problems, "notices": notices}
        context["max_query"] = settings.max_query_chars
        context["page_url"] = _pager(request)
        if problems:
            context.update(total=0, events=[], last_page=1, agencies=agency)
            return render(request, "events.html", context, status=422)
        total, items, acting = service.events(engine.get(), settings, state, agencies=True)
        context.update(total=total, events=items, last_page=max(1, min(math.ceil(total / size), window)))
        # The filter's choices, and an agency the URL asks for that acts in no entry (shown chosen).
        context["agencies"] = list(dict.fromkeys([*acting, *agency]))
        return render(request, "events.html", context)

    return events_page


def install_web(app: FastAPI, settings: Settings) -> None:
    templates = make_templates()

    def render_error(request: Request, status: int, body: dict[str, str]) -> Response:
        """Every error as a Chinese page: what went wrong, what to change, the search form
        still holding the user's input. The English message stays in the server's log."""
        problems = form.read_search(request.query_params, settings).problems if status == 422 else []
        context = {
            "status": status,
            "body": body,
            "title": labels.error_title(status, body["error"]),
            "message": labels.error_message(status, request.url.path),
            "problems": problems,
            "form": _form_values(request.query_params, settings),
            "invalid": {p.param for p in problems},
            "hidden_items": [],
            "notices": [],
            "max_query": settings.max_query_chars,
        }
        return templates.TemplateResponse(request, "error.html", context, status_code=status)

    app.state.render_error = render_error
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> RedirectResponse:
        """Browsers and tools ask for the icon here whatever the page's link says."""
        return RedirectResponse("/static/favicon.svg", status_code=301)

    app.include_router(build_web_router(settings, templates))
    app.include_router(check.build_check_router(settings, templates))
