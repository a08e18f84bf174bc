"""``policykb synonyms``: the short forms the indexed documents define, and where each counts.

A module of its own so that ``cli.py`` stays a list of commands. Each line is one
definition: short form → full form, its scope (the whole index when two documents
agree, else the defining document; or none: a full form that holds its short form
adds nothing, a short form many documents define differently is left alone), and the
defining passage's citation and id. ``--json`` prints the same as a list of objects.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from knowledge.abbreviations import AMBIGUOUS, CONTAINED, DOCUMENT, INDEX, LearnedSynonyms
from search_api.search.learned import learned_from
from search_api.search.searcher import Searcher

SCOPES = {
    INDEX: "全库 (index)",
    DOCUMENT: "本文件 (document)",
    CONTAINED: "不扩展：全称已含简称 (contained)",
    AMBIGUOUS: "不扩展：多个文件含义不同 (ambiguous)",
}


def register(
    sub: Any,
    engine_options: Callable[[argparse.ArgumentParser], None],
    open_searcher: Callable[[argparse.Namespace], Searcher],
) -> None:
    """Add the command to the ``policykb`` subcommands."""
    p = sub.add_parser("synonyms", help="short forms the documents define (以下简称…), their full form and scope")
    p.add_argument("--json", action="store_true")
    engine_options(p)
    p.set_defaults(func=lambda args: run(args, open_searcher(args)))


def run(args: argparse.Namespace, searcher: Searcher) -> int:
    entries = listing(learned_from(searcher.engine.documents()))
    if args.json:
        json.dump(entries, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    print(render(entries))
    return 0


def listing(table: LearnedSynonyms) -> list[dict[str, str]]:
    """Every definition with its scope, by short form then document."""
    entries = [
        {
            "short": d.short,
            "full": d.full,
            "scope": table.scope(d),
            "doc_id": d.doc_id,
            "doc_title": d.doc_title,
            "passage": d.passage_id,
            "citation": d.citation,
        }
        for d in table.definitions
    ]
    return sorted(entries, key=lambda e: (e["short"], e["doc_title"], e["passage"]))


def render(entries: list[dict[str, str]]) -> str:
    from ingest.pipeline import printable  # escapes control characters; heavy, so imported here

    lines = [
        f"{printable(e['short'])} → {printable(e['full'])}  [{SCOPES[e['scope']]}]  "
        f"{printable(e['citation'])}  ({e['passage']})"
        for e in entries
    ]
    counted = sum(e["scope"] in (INDEX, DOCUMENT) for e in entries)
    lines.append(
        f"\n共 {len(entries)} 条简称定义，{counted} 条用于检索 ({len(entries)} definitions, {counted} expand queries)"
    )
    return "\n".join(lines)
