"""``policykb search``: full-text search with filters and facets, from the terminal.

A module of its own so that ``cli.py`` stays a list of commands (as ``policykb check``
and ``policykb synonyms``). The options are the API's parameters (``/api/search``),
validated by the same :func:`~search_api.search.filters.validate_request`; ``--json``
prints the API's body, else each hit (or, with ``--group document``, each document and
its best passages) as text with the marks as ``**``, then the facets.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from search_api.search.filters import validate_request
from search_api.search.highlight import MARK
from search_api.search.searcher import Searcher
from search_api.search.types import Filters, SearchRequest
from search_api.settings import Settings


def register(
    sub: Any,
    engine_options: Callable[[argparse.ArgumentParser], None],
    settings_of: Callable[[argparse.Namespace], Settings],
    open_searcher: Callable[[argparse.Namespace], Searcher],
    print_json: Callable[[Any], None],
) -> None:
    """Add the command to the ``policykb`` subcommands."""
    p = sub.add_parser("search", help="full-text search with filters and facets")
    p.add_argument("query")
    p.add_argument("--agency", action="append", help="issuing agency (repeatable)")
    p.add_argument("--mentioned-agency", action="append", help="an agency the passage names (repeatable)")
    p.add_argument("--region", action="append", help="where the document applies: 全国, 北京, 广东, … (repeatable)")
    p.add_argument("--talent-category", action="append")
    p.add_argument("--clause-type", action="append", help="condition, benefit, procedure, obligation, general")
    p.add_argument("--doc-kind", action="append", help="the document's kind: policy, report_chapter, timeline, report")
    p.add_argument("--doc-type", action="append", help="the passage's kind: chapter, footnote, event, policy, …")
    p.add_argument("--year", action="append")
    p.add_argument("--date-from")
    p.add_argument("--date-to")
    p.add_argument("--doc-number")
    p.add_argument("--eligibility-only", action="store_true")
    p.add_argument("--sort", choices=["relevance", "date"], default="relevance")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument(
        "--facet-docs", action="store_true", help="count distinct documents per facet value too (slower at scale)"
    )
    p.add_argument(
        "--group",
        choices=("passage", "document"),
        default="passage",
        help="document: one hit per document with its best passages (facet counts are documents)",
    )
    p.add_argument("--no-spell", action="store_true", help="search the words as typed: no typo is corrected")
    p.add_argument("--json", action="store_true")
    engine_options(p)
    p.set_defaults(func=lambda args: run(args, settings_of(args), open_searcher, print_json))


def _request(args: argparse.Namespace) -> SearchRequest:
    filters = Filters(
        agency=args.agency or [],
        mentioned_agency=args.mentioned_agency or [],
        region=args.region or [],
        talent_category=args.talent_category or [],
        clause_type=args.clause_type or [],
        doc_kind=args.doc_kind or [],
        doc_type=args.doc_type or [],
        year=args.year or [],
        doc_number=args.doc_number,
        date_from=args.date_from,
        date_to=args.date_to,
        eligibility_only=args.eligibility_only,
    )
    return SearchRequest(
        query=args.query,
        filters=filters,
        limit=args.limit,
        offset=args.offset,
        sort=args.sort,
        facet_documents=args.facet_docs,
        group=args.group,
        spell=not args.no_spell,
    )


def run(
    args: argparse.Namespace,
    settings: Settings,
    open_searcher: Callable[[argparse.Namespace], Searcher],
    print_json: Callable[[Any], None],
) -> int:
    """The search, printed: as the API's JSON body with ``--json``, else as text. The
    request is validated before the engine is opened: a bad parameter is told as such."""
    request = validate_request(_request(args), settings)
    response = open_searcher(args).search(request)
    if args.json:
        print_json(response.to_dict())
        return 0
    unit = "份文件 (documents)" if response.documents is not None else "条结果 (results)"
    print(f"共 {response.total} {unit}")
    for rank, document in enumerate(response.documents or [], start=request.offset + 1):
        print(f"\n{rank}. 《{document.doc_title}》 {document.matches} 处匹配 ({document.matches} matching passages)")
        if document.missing:
            print(f"   缺少 (lacks): {'、'.join(document.missing)}")
        for hit in document.passages:
            print(f"   - {hit.citation}: {MARK.sub('**', hit.highlight)}")
    for rank, hit in enumerate(response.hits, start=request.offset + 1):
        snippet = MARK.sub("**", hit.highlight)
        print(f"\n{rank}. {hit.citation}  [{hit.doc_type}{' · 申报条件' if hit.eligibility else ''}]")
        print(f"   {' › '.join(hit.path)}" if hit.path else "", end="\n" if hit.path else "")
        print(f"   {snippet}")
        if hit.missing:
            print(f"   缺少 (lacks): {'、'.join(hit.missing)}")
        meta = " · ".join(x for x in [hit.date or "", "、".join(hit.agencies[:3])] if x)
        print(f"   {meta}  id={hit.id}")
    for facet, values in response.facets.items():
        if values:
            shown = ", ".join(
                f"{v.value}({v.count}{'' if v.doc_count is None else f'/{v.doc_count}'})" for v in values[:8]
            )
            print(f"\n[{facet}] {shown}")
    return 0
