"""The server-rendered search page (Chinese UI), usable without JavaScript.

Every view is a GET whose whole state is in the URL (:class:`SearchParams`), so a view
can be shared, bookmarked and reached again with the back button. Templates autoescape
everything; the one exception is a hit's snippet, see :func:`highlight_html`.
"""

# No `from __future__ import annotations`: FastAPI evaluates these signatures, which use
# closure variables (settings limits, dependencies).
import math
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from search_api.http import views as service
from search_api.http.deps import IdParam, SearcherDep
from search_api.http.page import labels
from search_api.http.params import DateParam, FilterValues, SearchParams, search_params_dependency
from search_api.search.types import FACET_FIELDS, SearchRequest
from search_api.settings import Settings

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
FULL_DOCUMENT_PASSAGES = 80  # up to this many, a passage page shows its whole document
CONTEXT_PASSAGES = 5  # else this many passages on each side
EXAMPLES = ("技能大师工作室申报条件", "人才公寓", "京人社能发〔2023〕3号", "职称评审", "博士后")

_MARK = re.compile(r"</?mark>")


def highlight_html(snippet: str) -> Markup:
    """A backend snippet as markup, only if it is escaped text plus ``<mark>`` tags.

    :mod:`search_api.search.highlight` guarantees that form; anything else (a future backend
    returning engine highlights, say) is shown as text rather than trusted.
    """
    bare = _MARK.sub("", snippet)
    if "<" in bare or ">" in bare:
        return escape(snippet)
    return Markup(snippet)


def first_passage(node: dict[str, Any]) -> str | None:
    """The first passage under a structure-tree node (the target of its TOC link)."""
    if node["passage_ids"]:
        return str(node["passage_ids"][0])
    for child in node["children"]:
        found = first_passage(child)
        if found:
            return found
    return None


def _asset_version() -> str:
    stamps = [int(p.stat().st_mtime) for p in STATIC.iterdir() if p.is_file()]
    return str(max(stamps, default=0))


def make_templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["highlight_html"] = highlight_html
    env.filters["first_passage"] = first_passage
    env.globals.update(
        facet_fields=FACET_FIELDS,
        facet_label=labels.FACET_LABELS,
        facet_value=labels.facet_value,
        kind_label=labels.kind_label,
        doc_url=service.document_url,
        asset_version=_asset_version(),
    )
    return Jinja2Templates(env=env)


def _pages(current: int, last: int) -> list[int | None]:
    """Page numbers to link: first, last and two around the current; None marks a gap."""
    wanted = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    out: list[int | None] = []
    for n in wanted:
        previous = out[-1] if out else None
        if previous is not None and n - previous > 1:
            out.append(None)
        out.append(n)
    return out


def _chips(state: SearchParams) -> list[tuple[str, str]]:
    """(label, URL without it) for every active filter."""
    chips = [
        (f"{labels.FACET_LABELS[f]}：{labels.facet_value(f, v)}", state.without(f, v))
        for f in FACET_FIELDS
        for v in getattr(state, f)
    ]
    if state.date_from or state.date_to:
        span = f"{state.date_from or '…'} 至 {state.date_to or '…'}"
        chips.append((f"日期：{span}", state.url(date_from=None, date_to=None)))
    if state.doc_number:
        chips.append((f"文号：{state.doc_number}", state.without("doc_number")))
    if state.eligibility_only:
        chips.append(("只看申报条件/适用条款", state.without("eligibility_only")))
    return chips


def _hidden_items(state: SearchParams) -> list[tuple[str, str]]:
    """Filters the search form carries along that have no visible input of their own."""
    visible = {"q", "date_from", "date_to", "doc_number", "eligibility_only", "page"}
    return [(k, v) for k, v in state.query_items() if k not in visible]


def build_web_router(settings: Settings, templates: Jinja2Templates) -> APIRouter:
    router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
    SearchQuery = Annotated[SearchParams, Depends(search_params_dependency(settings))]

    def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
        context.setdefault("max_query", settings.max_query_chars)
        return templates.TemplateResponse(request, name, context, status_code=status)

    @router.api_route("/", methods=["GET", "HEAD"])
    def search_page(request: Request, state: SearchQuery, engine: SearcherDep) -> Response:
        searching = bool(state.q.strip()) or state.has_filters()
        if searching:
            # The page shows document counts too (in each facet value's tooltip).
            response = engine.get().search(replace(state, facet_docs=True).to_request(settings))
        else:  # the landing page: counts over everything, to browse by facet
            response = engine.get().search(SearchRequest(query="", limit=1))
        window_pages = max(1, settings.max_result_window // state.size)
        last = max(1, min(math.ceil(response.total / state.size), window_pages))
        return render(
            request,
            "search.html",
            {
                "state": state,
                "searching": searching,
                "response": response,
                "offset": state.offset,
                "pages": _pages(state.page, last) if searching else [],
                "last_page": last,
                "chips": _chips(state),
                "hidden_items": _hidden_items(state),
                "examples": EXAMPLES,
            },
        )

    @router.api_route("/passages/{passage_id}", methods=["GET", "HEAD"])
    def passage_page(request: Request, passage_id: IdParam, engine: SearcherDep) -> Response:
        ctx = service.passage_context(engine.get(), passage_id)
        passages = ctx.document.passages
        if len(passages) <= FULL_DOCUMENT_PASSAGES:
            shown, start = passages, 0
        else:
            start = max(0, ctx.index - CONTEXT_PASSAGES)
            shown = passages[start : ctx.index + CONTEXT_PASSAGES + 1]
        return render(
            request,
            "passage.html",
            {"ctx": ctx, "shown": shown, "partial": len(shown) < len(passages), "first_shown": start},
        )

    @router.api_route("/documents/{doc_id}", methods=["GET", "HEAD"])
    def document_page(request: Request, doc_id: IdParam, engine: SearcherDep) -> Response:
        view = service.document_view(engine.get(), doc_id)
        if view["document"]["kind"] == "policy":
            return RedirectResponse(f"/policies/{doc_id}", status_code=303)
        return render(request, "document.html", {"view": view, "doc": view["document"]})

    @router.api_route("/policies", methods=["GET", "HEAD"])
    def policies_page(
        request: Request,
        engine: SearcherDep,
        q: Annotated[str, Query(max_length=settings.max_query_chars)] = "",
        agency: FilterValues = [],  # noqa: B006 - FastAPI copies defaults per request
        year: FilterValues = [],  # noqa: B006
    ) -> Response:
        everything = engine.get().policies()
        flt = service.PolicyFilter(q.strip(), tuple(a for a in agency if a), tuple(y for y in year if y))
        records = [r for r in everything if flt.matches(r)]
        agencies = sorted({a for r in everything for a in r.agencies})
        return render(
            request,
            "policies.html",
            {"records": records, "q": q, "agency": agency, "agencies": agencies, "total": len(everything)},
        )

    @router.api_route("/policies/{policy_id}", methods=["GET", "HEAD"])
    def policy_page(request: Request, policy_id: IdParam, engine: SearcherDep) -> Response:
        page = service.policy_page(engine.get(), policy_id)
        today = date.today().isoformat()
        expired = bool(page.record.valid_until and page.record.valid_until < today)
        return render(request, "policy.html", {"page": page, "r": page.record, "expired": expired})

    @router.api_route("/events", methods=["GET", "HEAD"])
    def events_page(
        request: Request,
        engine: SearcherDep,
        date_from: DateParam = None,
        date_to: DateParam = None,
        page: Annotated[int, Query(ge=1, le=settings.max_result_window)] = 1,
    ) -> Response:
        state = SearchParams(date_from=date_from or None, date_to=date_to or None, page=page, size=50)
        total, items = service.events(engine.get(), settings, state)
        last = max(1, min(math.ceil(total / state.size), settings.max_result_window // state.size))
        return render(request, "events.html", {"state": state, "total": total, "events": items, "last_page": last})

    return router


def install_web(app: FastAPI, settings: Settings) -> None:
    templates = make_templates()

    def render_error(request: Request, status: int, body: dict[str, str]) -> Response:
        context = {"status": status, "body": body, "title": labels.error_title(status, body["error"])}
        return templates.TemplateResponse(request, "error.html", context, status_code=status)

    app.state.render_error = render_error
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(build_web_router(settings, templates))
