"""Search latency of the raw engine call on an ingested index: p50/p95/p99.

The query mix is the judged dev queries plus random terms drawn from the index's own
text, each run with and without facets.

    python bench/search_latency.py [--db PATH | --es URL] [--rounds 20]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, summary_ms, write_result

from search_api.search.searcher import open_searcher
from search_api.search.types import SearchRequest
from search_api.settings import load_settings


def query_mix(rng: random.Random, n_random: int = 30) -> list[str]:
    lines = (REPO / "tests" / "data" / "queries-dev.jsonl").read_text(encoding="utf-8").splitlines()
    judged = [json.loads(line)["q"] for line in lines if line.strip()]
    from analysis.words import get_analyzer

    book = next((REPO / "corpus").glob("*.txt")).read_text(encoding="utf-8")
    words = [t.text for t in get_analyzer().words(book[:200_000]) if len(t.text) > 1]
    randoms = [" ".join(rng.sample(words, rng.choice((1, 2)))) for _ in range(n_random)]
    return judged + randoms


def measure(backend, queries: list[str], rounds: int, facets: bool) -> list[float]:  # type: ignore[no-untyped-def]
    times: list[float] = []
    for _ in range(rounds):
        for q in queries:
            started = time.perf_counter()
            backend.search(SearchRequest(query=q, limit=10, facets=facets))
            times.append(time.perf_counter() - started)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db")
    parser.add_argument("--es")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    backend = open_searcher(load_settings(db_path=args.db, es_url=args.es))
    queries = query_mix(random.Random(7))
    measure(backend, queries, 2, True)  # warm caches and the analyzer
    result = {
        "engine": getattr(backend, "name", "?"),
        "passages": backend.stats()["passages"],
        "queries": len(queries),
        "without_facets": summary_ms(measure(backend, queries, args.rounds, False)),
        "with_facets": summary_ms(measure(backend, queries, args.rounds, True)),
    }
    path = write_result(f"search_latency_{result['engine']}", result)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"-> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
