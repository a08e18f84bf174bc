"""HTTP latency of ``GET /api/search`` against the raw engine call, same machine, same run.

The server is ``policykb serve`` in its own process (as deployed: uvicorn, one worker);
the raw call is ``backend.search`` in this process on the same index. Each query of the
mix (the judged dev queries plus random words of the book, see search_latency.py) is
sent both ways in turn, facets included, so both series see the same load and caches.

    python bench/http_latency.py [--db PATH] [--rounds 10]

Without --db the book is ingested into a temporary index first.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, summary_ms, write_result
from search_latency import query_mix

from search_api.search.searcher import open_searcher
from search_api.search.types import SearchRequest
from search_api.settings import load_settings

PAGE_SIZE = 10


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "POLICYKB_ES_URL"}  # the embedded engine
    command = [sys.executable, "-m", "search_api.cli", "serve", "--no-ingest", "--db", str(db), "--port", str(port)]
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_ready(client: object, url: str, timeout_s: float = 60) -> None:
    import httpx

    assert isinstance(client, httpx.Client)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if client.get(f"{url}/readyz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"server at {url} not ready within {timeout_s:g}s")


def main() -> int:
    import httpx

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="an ingested embedded index (default: ingest the book into a temp dir)")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="policykb-bench-") as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "index"
        backend = open_searcher(load_settings(db_path=db, es_url=""), create=not args.db)
        if not args.db:
            from search_api.index.loading import ingest_paths

            ingest_paths(backend.engine, [REPO / "corpus"])
        port = free_port()
        server = start_server(db, port)
        url = f"http://127.0.0.1:{port}"
        try:
            with httpx.Client(timeout=30) as client:  # one keep-alive connection, like a page's fetches
                wait_ready(client, url)
                queries = query_mix(random.Random(7))

                def raw(q: str) -> float:
                    started = time.perf_counter()
                    backend.search(SearchRequest(query=q, limit=PAGE_SIZE, facets=True))
                    return time.perf_counter() - started

                def http(q: str) -> float:
                    started = time.perf_counter()
                    response = client.get(f"{url}/api/search", params={"q": q, "size": PAGE_SIZE})
                    response.json()
                    elapsed = time.perf_counter() - started
                    response.raise_for_status()
                    return elapsed

                for q in queries * 2:  # warm caches, the analyzer and the server's imports
                    raw(q)
                    http(q)
                raw_times: list[float] = []
                http_times: list[float] = []
                for _ in range(args.rounds):
                    for q in queries:
                        raw_times.append(raw(q))
                        http_times.append(http(q))
        finally:
            server.terminate()
            server.wait(timeout=20)
        raw_summary, http_summary = summary_ms(raw_times), summary_ms(http_times)
        result = {
            "engine": getattr(backend, "name", "?"),
            "passages": backend.stats()["passages"],
            "queries": len(queries),
            "rounds": args.rounds,
            "page_size": PAGE_SIZE,
            "raw_engine_call": raw_summary,
            "http_api_search": http_summary,
            "http_overhead_ms": {
                "p50": round(http_summary["p50_ms"] - raw_summary["p50_ms"], 3),
                "p95": round(http_summary["p95_ms"] - raw_summary["p95_ms"], 3),
            },
        }
        backend.close()
    path = write_result(f"http_latency_{result['engine']}", result)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"-> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
