"""Both engines on the book, same machine, same run: index build time and query latency.

Parsing is done once; what is timed is ``backend.index`` (the engine's build: records,
commit / bulk + refresh + alias swap) and ``backend.search`` (raw engine call with facets).

    python bench/compare_engines.py [--es URL] [--builds 3] [--rounds 10]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, summary_ms, write_result
from search_latency import measure, query_mix

from ingest.pipeline import Pipeline, iter_input_files


def parsed_book() -> tuple[list, dict[str, str]]:  # type: ignore[type-arg]
    pipeline = Pipeline()
    parsed = [pipeline.parse_file(f, root) for f, root in iter_input_files([REPO / "corpus"])]
    return [d for p in parsed for d in p.documents], {p.source: p.fingerprint for p in parsed}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--es", default="http://127.0.0.1:9200")
    parser.add_argument("--builds", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    from search_api.index.elasticsearch.engine import ElasticsearchEngine
    from search_api.index.tantivy.engine import TantivyEngine
    from search_api.search.searcher import Searcher

    documents, sources = parsed_book()
    tmp = Path(tempfile.mkdtemp())
    engines = {
        "tantivy": lambda i: Searcher(TantivyEngine(tmp / f"index{i}")),
        "elasticsearch": lambda i: Searcher(
            ElasticsearchEngine(args.es, index=f"policykb-bench-{uuid.uuid4().hex[:8]}")
        ),
    }
    queries = query_mix(random.Random(7))
    results: dict[str, dict] = {}  # type: ignore[type-arg]
    for name, make in engines.items():
        builds: list[float] = []
        backend = None
        for i in range(args.builds):
            backend = make(i)
            started = time.perf_counter()
            backend.index(documents, sources=sources)
            builds.append(time.perf_counter() - started)
        assert backend is not None
        measure(backend, queries, 2, True)  # warm-up
        results[name] = {
            "passages": backend.stats()["passages"],
            "build_s": {"median": round(statistics.median(builds), 3), "runs": [round(b, 3) for b in builds]},
            "search_with_facets": summary_ms(measure(backend, queries, args.rounds, True)),
            "search_without_facets": summary_ms(measure(backend, queries, args.rounds, False)),
        }
        if name == "elasticsearch":
            es = backend._es  # type: ignore[attr-defined]
            for alias_index in list(es.indices.get(index="policykb-bench-*").body):
                es.indices.delete(index=alias_index)
    t, e = results["tantivy"], results["elasticsearch"]
    results["ratio_es_over_tantivy"] = {
        "build": round(e["build_s"]["median"] / t["build_s"]["median"], 2),
        "search_p50": round(e["search_with_facets"]["p50_ms"] / t["search_with_facets"]["p50_ms"], 1),
        "search_p95": round(e["search_with_facets"]["p95_ms"] / t["search_with_facets"]["p95_ms"], 1),
    }
    path = write_result("compare_engines_book", {"queries": len(queries), **results})
    print(json.dumps(results, indent=2))
    print(f"-> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
