"""The ``policykb`` command line: ingest, search, show, policies, stats, serve.

Every error reaches the terminal as one line (``错误 error: …``) and an exit code, never a
traceback (``POLICYKB_DEBUG=1`` shows the traceback of an unexpected error): 2 for a bad
request, setting, limit or data file, or an engine that cannot be reached; 1 for files
that failed and the rest. Names and messages are printed escaped (:func:`printable`), so
a file name holding a newline or an ANSI escape can neither forge a line nor colour one.
Environment variables are read by the commands that use them, when they use them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from search_api.errors import PolicyKBError
from search_api.search.searcher import Searcher
from search_api.search_command import register as register_search
from search_api.settings import Settings, load_settings
from search_api.synonyms_command import register as register_synonyms


def _engine_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="embedded index folder (env POLICYKB_DB; default data/index in the repo)")
    parser.add_argument(
        "--es",
        metavar="URL[,URL…]",
        help="use Elasticsearch at these node URLs instead (env POLICYKB_ES_URL; credentials: environment only)",
    )


def printable(text: object) -> str:
    """``text`` as one terminal line: control characters, bidi controls and undecodable
    bytes escaped (``\\n``, ``\\x1b``), see :func:`ingest.pipeline.printable`."""
    from ingest.pipeline import printable as escape

    return escape(str(text))


def _error(message: object) -> None:
    print(f"错误 error: {printable(message)}", file=sys.stderr)


def _env_int(name: str, default: int) -> int:
    """A whole number from the environment; a bad value is one line, never a traceback."""
    from search_api.errors import InvalidRequest

    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise InvalidRequest(f"{name} must be a whole number of at least 1, got {value!r}")
    return int(value)


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(db_path=args.db, es_url=args.es)


def _open(args: argparse.Namespace, *, create: bool = False) -> Searcher:
    from search_api.search.searcher import open_searcher

    return open_searcher(_settings(args), create=create)


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


# ---------------------------------------------------------------------- commands


def cmd_ingest(args: argparse.Namespace) -> int:
    from ingest.limits import current as current_limits
    from ingest.parallel import worker_count
    from search_api.index.loading import ingest_paths

    current_limits()  # a bad limit is one line before any work
    worker_count(args.workers)  # and so is a bad POLICYKB_WORKERS
    backend = _open(args, create=True)
    started = time.perf_counter()
    report = ingest_paths(
        backend.engine,
        [Path(p) for p in args.paths],
        prune=args.prune,
        force=args.force,
        progress=not args.quiet,
        workers=args.workers,
    )
    elapsed = time.perf_counter() - started
    for warning in report.warnings:
        print(f"警告 warning: {warning}", file=sys.stderr)  # FileFailure: printed escaped
    for failure in report.failures:
        print(f"错误 error: {failure}", file=sys.stderr)
    if report.did_nothing:
        unchanged = report.skipped_unchanged
        parts = [f"{unchanged} file{'' if unchanged == 1 else 's'} unchanged"] if unchanged else []
        if report.failures:
            print(f"nothing ingested: {', '.join([*parts, f'{len(report.failures)} failed'])}", file=sys.stderr)
        else:
            print(f"nothing to do: {parts[0] if parts else 'no files found'}", file=sys.stderr)
    else:
        print(
            f"ingested {report.files} files ({report.skipped_unchanged} unchanged), "
            f"{report.documents} documents, {report.passages} passages, "
            f"{len(report.failures)} failed, {len(report.removed_sources)} removed in {elapsed:.2f}s",
            file=sys.stderr,
        )
    return 1 if report.failures else 0


def cmd_remove(args: argparse.Namespace) -> int:
    from search_api.index.loading import remove_sources

    removed, unknown = remove_sources(_open(args).engine, args.sources)
    for name in unknown:
        _error(f"{name}: not an indexed source")
    print(f"removed {len(removed)} sources: {printable(', '.join(removed) or '-')}", file=sys.stderr)
    return 1 if unknown else 0


def cmd_show(args: argparse.Namespace) -> int:
    backend = _open(args)
    passage = backend.get_passage(args.id)
    if passage is not None:
        data = passage.to_dict()
        if args.json:
            _print_json(data)
        else:
            print(f"{passage.citation}\n{' › '.join(passage.path)}\n\n{passage.text}")
            for note in passage.notes:
                print(f"  注: {note}")
            print(f"\n{printable(passage.source)}")
        return 0
    document = backend.get_document(args.id)
    if document is None:
        print(f"未找到 not found: {printable(args.id)}", file=sys.stderr)
        return 1
    if args.json:
        data = document.to_dict()
        data["passages"] = [p.to_dict() for p in document.passages]
        _print_json(data)
    else:
        print(f"{document.title} ({document.kind}, {len(document.passages)} passages)")
        for key, value in document.meta.items():
            print(f"  {key}: {value}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from search_api import check_command

    return check_command.run(args, _open(args), _print_json)


def cmd_policies(args: argparse.Namespace) -> int:
    records = _open(args).policies()
    if args.json:
        _print_json([r.to_dict() for r in records])
        return 0
    for r in records:
        articles = f"{r.articles}{r.article_measure}" if r.articles else "-"
        number = r.doc_number or "(无文号)"
        print(f"{r.date or '----------'}  {number:<24} {r.title}  [{articles}] {'、'.join(r.agencies)}")
    print(f"\n{len(records)} policies")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from ingest.limits import current as current_limits
    from search_api.http.server import DEFAULT_CORPUS, serve

    current_limits()  # the corpus is ingested first: a bad limit is one line now
    corpus = None if args.no_ingest else Path(args.corpus) if args.corpus else DEFAULT_CORPUS
    workers = args.workers if args.workers is not None else _env_int("POLICYKB_WORKERS", 1)
    return serve(_settings(args), host=args.host, port=args.port, corpus=corpus, workers=workers)


def cmd_stats(args: argparse.Namespace) -> int:
    _print_json(_open(args).stats())
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from search_api.evaluation import evaluate, format_report, load_queries

    try:
        queries = load_queries(Path(args.queries))
    except UnicodeDecodeError as exc:
        from search_api.errors import InvalidRequest

        raise InvalidRequest(
            f"{args.queries}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})"
        ) from None
    report = evaluate(_open(args), queries)
    if args.json:
        _print_json(report)
    else:
        print(format_report(report))
    return 0


# ---------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policykb", description="Search Chinese policy documents.")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_loading(sub)
    _add_search(sub)
    _add_reading(sub)
    _add_serve(sub)
    register_synonyms(sub, _engine_options, _open)  # policykb synonyms: its own module
    p = sub.add_parser("stats", help="index statistics")
    _engine_options(p)
    p.set_defaults(func=cmd_stats)
    return parser


# argparse names the type of add_subparsers() only privately.
Subparsers = argparse._SubParsersAction


def _add_loading(sub: Subparsers) -> None:
    """ingest and remove: what the index holds."""
    p = sub.add_parser("ingest", help="ingest files or folders into the index")
    p.add_argument("paths", nargs="+")
    p.add_argument("--prune", action="store_true", help="remove indexed sources that no longer exist")
    p.add_argument("--force", action="store_true", help="re-ingest unchanged files too")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--workers", type=int, help="parsing processes (env POLICYKB_WORKERS; default: one per core)")
    _engine_options(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("remove", help="remove indexed sources (files) from the index")
    p.add_argument("sources", nargs="+", help="source names as ingested (paths relative to the ingested folder)")
    _engine_options(p)
    p.set_defaults(func=cmd_remove)


def _add_search(sub: Subparsers) -> None:
    """search and check: the two ways to ask (each command in a module of its own)."""
    register_search(sub, _engine_options, _settings, _open, _print_json)
    p = sub.add_parser("check", help="申报自查: policies a profile may apply for, a verdict per condition")
    from search_api.check_command import add_arguments

    add_arguments(p)
    _engine_options(p)
    p.set_defaults(func=cmd_check)


def _add_reading(sub: Subparsers) -> None:
    """show, policies and eval: records and judged relevance."""
    p = sub.add_parser("show", help="show a passage or document by id")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    _engine_options(p)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("policies", help="list policy records")
    p.add_argument("--json", action="store_true")
    _engine_options(p)
    p.set_defaults(func=cmd_policies)

    p = sub.add_parser("eval", help="relevance of judged queries: Success@1/5, MRR@10, answers shown in snippets")
    p.add_argument("--queries", required=True, help="judged queries (JSON lines)")
    p.add_argument("--json", action="store_true")
    _engine_options(p)
    p.set_defaults(func=cmd_eval)


def _add_serve(sub: Subparsers) -> None:
    p = sub.add_parser("serve", help="ingest corpus/ if missing or changed, then serve the web page and JSON API")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--corpus", help="folder to ingest before serving (default corpus/ in the repo)")
    p.add_argument("--no-ingest", action="store_true", help="serve the index as it is")
    p.add_argument(
        "--workers",
        type=int,
        help="server processes (default 1, env POLICYKB_WORKERS); one per core for throughput",
    )
    _engine_options(p)
    p.set_defaults(func=cmd_serve)


def main(argv: list[str] | None = None) -> int:
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit:
            sys.stdout.flush()  # --help into a closed pipe: a BrokenPipeError, handled below
            raise
        code = int(args.func(args))
        sys.stdout.flush()  # here, where a reader that left is handled, not at exit
        return code
    except PolicyKBError as exc:
        _error(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader left (policykb search … | head): not an error. Point stdout at
        # devnull so the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        return _unexpected(exc)


def _unexpected(exc: Exception) -> int:
    """A bad setting or data file (exit 2), else an internal error (exit 1): one line."""
    from ingest.limits import LimitError
    from ingest.parallel import describe
    from knowledge.tables import DataFileError

    if isinstance(exc, LimitError):
        _error(exc)
        return 2
    if isinstance(exc, DataFileError):
        _error(f"data file {exc}")
        return 2
    if os.environ.get("POLICYKB_DEBUG"):
        raise exc
    _error(f"internal error ({describe(exc)}); POLICYKB_DEBUG=1 shows the traceback")
    return 1


if __name__ == "__main__":
    sys.exit(main())
