"""The embedded engine call on two builds of tantivy: PyPI's wheel and the installed one.

``scripts/build_tantivy.sh`` installs tantivy with the project's patch (``vendor/tantivy/``);
this measures what the patch buys and checks that it changes no answer. PyPI's wheel of the
same version goes into a folder of its own (pip ``--target``), and each build answers the
benchmark's two query parts (the keyword mix and ``bench/queries_people.txt``) in a fresh
process, the builds alternating, ``--runs`` processes each: engine call p50 / p95 per part
and build, the slowest queries of each, and every query's hits, scores, total and facets
compared (scores to 1e-5: the patch sums a passage's clauses in another order).

    python bench/tantivy_builds.py --db /tmp/regs [--runs 2] [--rounds 5]
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import summary_ms, write_result


def child(db: str, rounds: int) -> dict[str, Any]:
    """One build's answers and per-query times (run in a fresh process)."""
    # The request and its timing are engines_side_by_side's: one definition of the engine call.
    from engines_side_by_side import engine_call, search_request
    from scale import people_queries
    from search_latency import query_mix

    from search_api.search.searcher import open_searcher
    from search_api.settings import load_settings

    searcher = open_searcher(load_settings(db_path=db, es_url=""))
    parts = {"keywords": query_mix(random.Random(7)), "questions": people_queries()}
    answers: dict[str, Any] = {}
    for queries in parts.values():
        for query in queries:
            response = searcher.search(search_request(query, "passage")).to_dict()
            hits = [(hit["id"], hit["score"]) for hit in response["hits"]]
            answers[query] = {"total": response["total"], "hits": hits, "facets": response["facets"]}
    times: dict[str, dict[str, list[float]]] = {part: {q: [] for q in queries} for part, queries in parts.items()}
    for _ in range(rounds):
        for part, queries in parts.items():
            for query in queries:
                times[part][query].append(engine_call(searcher, query))
    return {"version": importlib.metadata.version("tantivy"), "answers": answers, "times": times}


def run_child(db: str, rounds: int, site: str | None) -> dict[str, Any]:
    env = dict(os.environ)
    if site:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [site, env.get("PYTHONPATH")]))
    code = [sys.executable, __file__, "--child", "--db", db, "--rounds", str(rounds)]
    done = subprocess.run(code, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def differences(first: dict[str, Any], second: dict[str, Any]) -> list[str]:
    """Queries whose answers differ beyond the order of a sum."""
    differ = []
    for query, a in first.items():
        b = second[query]
        same_ids = [h[0] for h in a["hits"]] == [h[0] for h in b["hits"]]
        close = all(abs(x[1] - y[1]) <= 1e-5 * max(1.0, abs(x[1])) for x, y in zip(a["hits"], b["hits"], strict=False))
        if not (same_ids and close and a["total"] == b["total"] and a["facets"] == b["facets"]):
            differ.append(query)
    return differ


def report(runs: list[dict[str, Any]]) -> dict[str, Any]:
    parts: dict[str, Any] = {}
    for part in runs[0]["times"]:
        every = [t for run in runs for times in run["times"][part].values() for t in times]
        medians = {
            q: statistics.median(t for run in runs for t in run["times"][part][q]) for q in runs[0]["times"][part]
        }
        slowest = sorted(medians, key=medians.__getitem__, reverse=True)[:5]
        parts[part] = {**summary_ms(every), "slowest_p50_ms": {q: round(medians[q] * 1000, 2) for q in slowest}}
    return parts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="the embedded index")
    parser.add_argument("--runs", type=int, default=2, help="fresh processes per build, alternating")
    parser.add_argument("--rounds", type=int, default=5, help="passes over the queries per process")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.db, args.rounds), ensure_ascii=False))
        return 0
    installed = importlib.metadata.version("tantivy")
    pypi = installed.split("+", 1)[0]
    with tempfile.TemporaryDirectory() as site:
        pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--only-binary", "tantivy"]
        subprocess.run([*pip, "--target", site, f"tantivy=={pypi}"], check=True)
        builds: dict[str, list[dict[str, Any]]] = {"pypi": [], "installed": []}
        for _ in range(args.runs):
            builds["pypi"].append(run_child(args.db, args.rounds, site))
            builds["installed"].append(run_child(args.db, args.rounds, None))
    result = {
        "index": args.db,
        "versions": {name: runs[0]["version"] for name, runs in builds.items()},
        "runs": args.runs,
        "rounds": args.rounds,
        "parts": {name: report(runs) for name, runs in builds.items()},
        "answers_differ": differences(builds["pypi"][0]["answers"], builds["installed"][0]["answers"]),
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    path = write_result("tantivy_builds", result)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"-> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
