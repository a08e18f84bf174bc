"""Both engines in one run on the same queries: engine call, HTTP and throughput, with targets.

On indexes you built from the same files (README "Benchmarks"), in one process:

  * the engine call (``Searcher.search``, top 10 with snippets and facet counts) of
    both engines, a round of every query on one engine and then on the other, the order
    swapped every round, so that both see the same load: the keyword mix (judged queries
    + random index words) and the questions (``bench/queries_people.txt``) reported
    apart. Interleaved query by query instead (``engine_call_parts_per_query``, also
    measured), each call runs while the other engine's last one is still being cleaned
    up (the JVM's threads on the other core, where tantivy's facet pass runs; the Python
    client's garbage): both engines slow down by half or more, so those figures measure
    the neighbour as much as the engine;
  * ``GET /api/search`` on ``policykb serve --workers N`` for each engine, sequential
    over one kept-alive connection (``http.client``, the lightest client), each request
    interleaved with the same engine call in this process: HTTP p50 minus engine p50;
  * wrk at 1, 8 and 32 connections, and the peak resident memory of the API processes;
  * the targets of issue 10 item 3, each with its figure and whether it was met.

``--group document`` measures the document view instead (issue 12): the engine call of
``group=document`` (one hit per document with its best passages, facet counts of
documents) on both engines, interleaved the same way, against the targets of issue 12;
the HTTP and wrk parts, which issue 10 covers, are left out.

    python bench/engines_side_by_side.py --db /tmp/regs-index \\
        --es http://127.0.0.1:9200 --es-index policykb-bench-regs [--workers 2] [--group document]

Both engines are warmed and the heap settled first, as ``policykb serve`` does when it
starts (:func:`search_api.http.app.settle_heap`). The machine is shared and small: the
JSON records the load average before and after.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import sys
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import summary_ms, write_result
from http_latency import free_port, wait_ready
from scale import peak_rss_mb, people_queries, start_server, wrk_load
from search_latency import query_mix

from search_api.http.app import settle_heap
from search_api.http.page.results import sidebar_fields
from search_api.search.searcher import Searcher, open_searcher
from search_api.search.types import SearchRequest
from search_api.settings import load_settings

PAGE_SIZE = 10
# Issue 12: the document view with facet counts of documents, p95 of the engine call (ms).
DOCUMENT_TARGETS = {"tantivy": 3.0, "elasticsearch": 15.0}


def engine_call(backend: Searcher, query: str) -> float:
    return timed_call(backend, query)[0]


def search_request(query: str, group: str) -> SearchRequest:
    """The API's request: top 10 with every facet; in document mode the page's (grouped,
    counted in documents, the facets its sidebar shows)."""
    if group == "document":
        shown = sidebar_fields("document")
        return SearchRequest(query=query, limit=PAGE_SIZE, group="document", facet_documents=True, facet_fields=shown)
    return SearchRequest(query=query, limit=PAGE_SIZE)


def timed_call(backend: Searcher, query: str, group: str = "passage") -> tuple[float, float]:
    """Wall time and this thread's CPU time of one search. The CPU time leaves out the
    waits for a core on a busy machine; for Elasticsearch it is only the client's part."""
    started, cpu = time.perf_counter(), time.thread_time()
    backend.search(search_request(query, group))
    return time.perf_counter() - started, time.thread_time() - cpu


def interleaved(
    backends: dict[str, Searcher], queries: list[str], rounds: int, group: str = "passage", *, per_query: bool = False
) -> dict[str, dict[str, Any]]:
    """Every query on one engine, then on the other, the order of the engines swapped every
    round; ``per_query``: each query on every engine in turn instead."""
    wall: dict[str, list[float]] = {name: [] for name in backends}
    cpu: dict[str, list[float]] = {name: [] for name in backends}
    names = list(backends)
    for round_ in range(rounds):
        order = names if round_ % 2 == 0 else names[::-1]
        if per_query:
            turns = [(query, name) for query in queries for name in order]
        else:
            turns = [(query, name) for name in order for query in queries]
        for query, name in turns:
            elapsed, used = timed_call(backends[name], query, group)
            wall[name].append(elapsed)
            cpu[name].append(used)
    return {name: {**summary_ms(wall[name]), "cpu_in_process": summary_ms(cpu[name])} for name in names}


def http_against_engine(backend: Searcher, port: int, queries: list[str], rounds: int) -> dict[str, Any]:
    """``GET /api/search`` and the engine call in this process, alternating per query."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def http_call(query: str) -> float:
        path = f"/api/search?{urllib.parse.urlencode({'q': query, 'size': PAGE_SIZE})}"
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200:
            raise SystemExit(f"/api/search answered {response.status} for {query!r}")
        return elapsed

    raw: list[float] = []
    over_http: list[float] = []
    for round_ in range(rounds + 1):  # round 0 warms the server processes
        for query in queries:
            raw_s, http_s = engine_call(backend, query), http_call(query)
            if round_:
                raw.append(raw_s)
                over_http.append(http_s)
    connection.close()
    engine, served = summary_ms(raw), summary_ms(over_http)
    return {
        "engine_call": engine,
        "http_sequential": served,
        "http_minus_engine_p50_ms": round(served["p50_ms"] - engine["p50_ms"], 3),
    }


def serve_and_measure(
    name: str, engine_args: list[str], env: dict[str, str], backend: Searcher, queries: list[str], args: Any
) -> dict[str, Any]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_server(engine_args, port, env, args.workers)
    try:
        import httpx

        with httpx.Client() as client:
            wait_ready(client, url)
        measured = http_against_engine(backend, port, queries, args.rounds)
        measured["wrk"] = wrk_load(url, queries, PAGE_SIZE, args.seconds)
        measured["api_peak_rss_mb"] = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"{name}: HTTP and wrk done", file=sys.stderr)
    return measured


def targets(parts: dict[str, dict[str, dict[str, Any]]], served: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The targets of issue 10 item 3, each with its figure and whether it was met."""
    found: list[dict[str, Any]] = []

    def target(what: str, figure: float, limit: float, met: Callable[[float, float], bool]) -> None:
        found.append({"target": what, "figure": round(figure, 3), "limit": round(limit, 3), "met": met(figure, limit)})

    at_most = float.__le__
    for part, limit in (("keywords", 2.0), ("questions", 4.0)):
        embedded, server = parts[part]["tantivy"]["p95_ms"], parts[part]["elasticsearch"]["p95_ms"]
        target(f"embedded engine call p95 on the {part} (ms)", embedded, limit, at_most)
        target(f"embedded p95 ÷ Elasticsearch p95 on the {part}", embedded / server, 1 / 3, at_most)
    target("HTTP p50 minus engine p50, embedded (ms)", served["tantivy"]["http_minus_engine_p50_ms"], 0.7, at_most)
    target("embedded searches/s at 8 connections", served["tantivy"]["wrk"]["8"]["requests_per_s"], 500, float.__ge__)
    return found


def document_targets(parts: dict[str, dict[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Issue 12's targets of the document view, on the keywords and on the questions."""
    return [
        {
            "target": f"{engine} document-mode engine call p95 on the {part} (ms)",
            "figure": parts[part][engine]["p95_ms"],
            "limit": limit,
            "met": parts[part][engine]["p95_ms"] <= limit,
        }
        for part in parts
        for engine, limit in DOCUMENT_TARGETS.items()
    ]


def document_run(backends: dict[str, Searcher], queries: dict[str, list[str]], args: Any) -> dict[str, Any]:
    """The document view's engine calls on both engines, and its targets."""
    interleaved(backends, [q for part in queries.values() for q in part], 1, "document")  # warm-up
    parts, per_query = engine_calls(backends, queries, args.rounds, "document")
    return {"engine_call_parts": parts, "engine_call_parts_per_query": per_query, "targets": document_targets(parts)}


def engine_calls(
    backends: dict[str, Searcher], queries: dict[str, list[str]], rounds: int, group: str
) -> tuple[dict[str, dict[str, dict[str, Any]]], dict[str, dict[str, dict[str, Any]]]]:
    """Each part's engine calls in rounds per engine (the figures the targets read), and
    interleaved query by query, as measured before (see the module's docstring)."""
    parts: dict[str, dict[str, dict[str, Any]]] = {}
    per_query: dict[str, dict[str, dict[str, Any]]] = {}
    for part, chosen in queries.items():
        parts[part] = interleaved(backends, chosen, rounds, group)
        per_query[part] = interleaved(backends, chosen, rounds, group, per_query=True)
        print(f"{group} engine call, {part}: {json.dumps(parts[part])}", file=sys.stderr)
    return parts, per_query


def passage_run(backends: dict[str, Searcher], queries: dict[str, list[str]], args: Any) -> dict[str, Any]:
    """The passage view: engine calls of both engines, then each served over HTTP and wrk."""
    every = [q for part in queries.values() for q in part]
    interleaved(backends, every, 1)  # warm-up: analyzer, caches, page cache
    parts, per_query = engine_calls(backends, queries, args.rounds, "passage")
    engines = {
        "tantivy": (["--db", args.db], {}),
        "elasticsearch": (["--es", args.es], {"POLICYKB_ES_INDEX": args.es_index}),
    }
    served = {
        name: serve_and_measure(name, engine_args, env, backends[name], every, args)
        for name, (engine_args, env) in engines.items()
    }
    return {
        "server_workers": args.workers,
        "engine_call_parts": parts,
        "engine_call_parts_per_query": per_query,
        "ratio_tantivy_over_es_p95": {
            part: round(by["tantivy"]["p95_ms"] / by["elasticsearch"]["p95_ms"], 3) for part, by in parts.items()
        },
        "served": served,
        "targets": targets(parts, served),
    }


def parse_args() -> Any:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="the embedded index")
    parser.add_argument("--es", required=True, help="Elasticsearch URL")
    parser.add_argument("--es-index", required=True, help="the alias holding the same files")
    parser.add_argument("--label", default="regulations")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=15, help="duration of each wrk run")
    parser.add_argument("--workers", type=int, default=2, help="server processes (policykb serve --workers)")
    parser.add_argument("--group", choices=("passage", "document"), default="passage", help="the view measured")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    if args.group == "passage" and not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    load_before = os.getloadavg()
    backends = {
        "tantivy": open_searcher(load_settings(db_path=args.db, es_url="")),
        "elasticsearch": open_searcher(load_settings(es_url=args.es, es_index=args.es_index)),
    }
    for backend in backends.values():
        backend.warm()
    settle_heap()  # as the server does once warm (search_api.http.app)
    counts = {name: backend.stats()["passages"] for name, backend in backends.items()}
    queries = {"keywords": query_mix(random.Random(7)), "questions": people_queries()}
    run = document_run if args.group == "document" else passage_run
    measured = run(backends, queries, args)
    result = {
        "label": args.label,
        "group": args.group,
        "passages": counts,
        "queries": {part: len(chosen) for part, chosen in queries.items()},
        "rounds": args.rounds,
        **measured,
        "load_average": {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in os.getloadavg()]},
    }
    suffix = "_documents" if args.group == "document" else ""
    path = write_result(f"engines_side_by_side_{args.label}{suffix}", result)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"-> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
