"""The Jinja environment of the web page: its filters and globals, in one place.

Templates autoescape everything; the exceptions are a hit's snippet, trusted only as
escaped text plus ``<mark>`` tags (:func:`highlight_html`), and the superscript footnote
marks of :mod:`search_api.http.page.display`. Split from
:mod:`search_api.http.page.routes`, which renders the views with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from analysis.text import has_traditional
from search_api.http import views as service
from search_api.http.page import check, display, labels, results
from search_api.search.highlight import MARK
from search_api.search.types import FACET_FIELDS
from search_api.search.verdicts import requirement_text

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


def highlight_html(snippet: str) -> Markup:
    """A backend snippet as markup, only if it is escaped text plus ``<mark>`` tags.

    :mod:`search_api.search.highlight` guarantees that form; anything else (a future backend
    returning engine highlights, say) is shown as text rather than trusted.
    """
    bare = MARK.sub("", snippet)
    if "<" in bare or ">" in bare:
        return escape(snippet)
    return Markup(snippet)


def snippet_html(snippet: str) -> Markup:
    """The snippet as trusted above, with extraction debris out (footnote marks raised)."""
    return display.snippet_markup(highlight_html(snippet))


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
    env.filters["highlight_html"] = snippet_html
    env.filters["first_passage"] = first_passage
    env.filters["snippet_text"] = display.snippet_markup
    env.filters["text"] = display.text_markup
    env.filters["source_link_label"] = results.source_link_label
    env.filters["label"] = display.clean_label
    env.filters["citation_title"] = display.citation_title
    env.filters["printed_page"] = display.printed_page
    env.filters["without_label"] = display.without_label
    env.globals.update(
        facet_fields=FACET_FIELDS,
        facet_label=labels.FACET_LABELS,
        facet_hint=labels.FACET_HINTS,
        facet_value=labels.facet_value,
        kind_label=labels.kind_label,
        clause_label=labels.CLAUSE_TYPE_LABELS,
        eligibility_label=labels.ELIGIBILITY_LABEL,
        doc_url=service.document_url,
        crumbs=display.crumbs,
        hit_crumbs=display.hit_crumbs,
        event_text=results.event_text,
        has_traditional=has_traditional,
        asset_version=_asset_version(),
        condition_label=check.CONDITION_LABELS,
        group_label=check.group_label,
        requirement_of=requirement_text,
        marked_text=check.marked_text,
        conditions_in_place=check.conditions_in_place,
    )
    return Jinja2Templates(env=env)
