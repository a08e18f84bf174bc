"""Search at scale, engine call and HTTP, on an index you built (see README "Benchmarks").

For one engine and one index it measures, in the same run:
  * the raw engine call (``Searcher.search``, top 10 with snippets and facet counts):
    p50/p95/p99 over a fixed keyword mix (judged queries + random index words) and,
    reported apart, over queries as people type them (``bench/queries_people.txt``:
    plain-language questions and full policy titles);
  * ``GET /api/search`` on ``policykb serve [--workers N]`` with the same mix:
    sequential latency, then wrk at 1, 8 and 32 connections (throughput, p50/p95/p99);
  * the peak resident memory of the API process (VmHWM).

    python bench/scale.py --label regulations --db PATH
    python bench/scale.py --label regulations --es URL --es-index NAME
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, process_tree, status_kb, summary_ms, write_result
from http_latency import free_port, wait_ready
from search_latency import measure, query_mix

from search_api.search.searcher import open_searcher
from search_api.settings import load_settings

CONNECTIONS = (1, 8, 32)


def people_queries() -> list[str]:
    """Plain-language questions and full titles (``bench/queries_people.txt``)."""
    lines = (REPO / "bench" / "queries_people.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def start_server(engine: list[str], port: int, env: dict[str, str], workers: int = 1) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "search_api.cli", "serve", "--no-ingest", "--port", str(port), *engine]
    command += ["--workers", str(workers)]
    return subprocess.Popen(command, cwd=REPO, env={**os.environ, **env}, stdout=subprocess.DEVNULL)


def peak_rss_mb(pid: int) -> float:
    """The largest peak resident memory (VmHWM) of the server and its worker processes:
    each worker is an API process of its own."""
    return round(max(status_kb(p, "VmHWM") for p in process_tree(pid)) / 1024, 1)


def http_sequential(url: str, queries: list[str], rounds: int) -> list[float]:
    import httpx

    times: list[float] = []
    with httpx.Client(timeout=30) as client:
        for _ in range(rounds):
            for q in queries:
                started = time.perf_counter()
                response = client.get(f"{url}/api/search", params={"q": q, "size": 10})
                times.append(time.perf_counter() - started)
                response.raise_for_status()
    return times


def wrk_load(url: str, queries: list[str], size: int, seconds: int) -> dict[str, dict[str, Any]]:
    """wrk at each of CONNECTIONS over /api/search for the queries, by connection count."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        for q in queries:
            handle.write(f"/api/search?{urllib.parse.urlencode({'q': q, 'size': size})}\n")
        paths_file = Path(handle.name)
    try:
        return {str(c): wrk(url, paths_file, c, seconds) for c in CONNECTIONS}
    finally:
        paths_file.unlink()


def wrk(url: str, paths_file: Path, connections: int, seconds: int) -> dict[str, Any]:
    threads = min(2, connections)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "-s",
        str(REPO / "bench" / "wrk_mix.lua"),
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "WRK_PATHS": str(paths_file)})
    line = next(x for x in done.stdout.splitlines() if x.startswith("{"))
    data: dict[str, Any] = json.loads(line)
    data["requests_per_s"] = round(data["requests"] / data["seconds"], 1)
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--label", required=True, help="name of the scale (book, regulations, x10)")
    parser.add_argument("--db")
    parser.add_argument("--es")
    parser.add_argument("--es-index", default="policykb")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=15, help="duration of each wrk run")
    parser.add_argument("--workers", type=int, default=1, help="server processes (policykb serve --workers)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    settings = load_settings(db_path=args.db, es_url=args.es, es_index=args.es_index)
    engine_name = "elasticsearch" if args.es else "tantivy"
    backend = open_searcher(settings)
    keywords = query_mix(random.Random(7))
    people = people_queries()
    queries = keywords + people
    measure(backend, queries, 1, True)  # warm-up
    raw = summary_ms(measure(backend, queries, args.rounds, True))
    raw_parts = {
        "keywords": summary_ms(measure(backend, keywords, args.rounds, True)),
        "questions": summary_ms(measure(backend, people, args.rounds, True)),
    }
    passages = backend.stats()["passages"]

    engine = ["--es", args.es] if args.es else ["--db", str(args.db)]
    env = {"POLICYKB_ES_INDEX": args.es_index} if args.es else {}
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_server(engine, port, env, args.workers)
    try:
        import httpx

        with httpx.Client() as client:
            wait_ready(client, url)
        http_sequential(url, queries, 1)  # warm-up
        sequential = summary_ms(http_sequential(url, queries, args.rounds))
        load = wrk_load(url, queries, 10, args.seconds)
        rss = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    result = {
        "label": args.label,
        "engine": engine_name,
        "server_workers": args.workers,
        "passages": passages,
        "queries": len(queries),
        "engine_call": raw,
        "engine_call_parts": raw_parts,
        "http_sequential": sequential,
        "http_over_engine_p50": round(sequential["p50_ms"] / raw["p50_ms"], 2),
        "http_over_engine_p95": round(sequential["p95_ms"] / raw["p95_ms"], 2),
        "wrk": load,
        "api_peak_rss_mb": rss,
    }
    suffix = f"_w{args.workers}" if args.workers > 1 else ""
    path = write_result(f"scale_{args.label}_{engine_name}{suffix}", result)
    print(json.dumps(result, indent=2))
    print(f"-> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
