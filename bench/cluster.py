"""Elasticsearch on one node against the secure three-node cluster (3 shards, 1 replica).

Two parts, each writing its own result file:

``ranking``: the judged sets on the cluster with 1 shard and with 3 shards, the latter
with and without the DFS phase (``search_type=dfs_query_then_fetch``, which the engine
uses for ranked searches on an index of several shards): Success@1, Success@5 and
MRR@10 of each, as ``policykb eval`` computes them. The dev and extra-book sets run on
the book (``corpus/``), the regulations set on the files that
``tests/relevance/test_extra_sets.py`` indexes (from ``--archive``).
-> ``bench/results/cluster_ranking.json``

``speed``: at the scale of the whole regulations archive (``--folder``, the unpacked
archive: 3,423 files, ~245k passages), for the single node (1 shard, 0 replicas) and the
cluster (3 shards, 1 replica): the ingest time of a fresh ``policykb ingest`` process;
the engine call (``Searcher.search``, top 10 with facet counts) p50/p95 on the query mix
of ``bench/search_latency.py``, on the cluster with and without the DFS phase; and
searches/s of ``policykb serve`` under wrk at 8 connections (``bench/scale.py``). Both
indices exist side by side; the engine calls take turns (one pass of the mix each, the
order rotating every round) and the wrk runs alternate (single, cluster, single,
cluster), so that the machine's changing load hits both alike. The load average is
recorded beside the figures.
-> ``bench/results/cluster_regulations.json``

    ES_PORT=9600 POLICYKB_ES_BASE=/var/lib/policykb-es-cluster scripts/elasticsearch.sh start --nodes 3 --secure
    python bench/cluster.py ranking --cluster-env /var/lib/policykb-es-cluster/cluster.env
    python bench/cluster.py speed --cluster-env /var/lib/policykb-es-cluster/cluster.env \\
        --single http://127.0.0.1:9200 --folder /tmp/regs/regulations

Every index built here is deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import REPO, summary_ms, write_result
from http_latency import free_port, wait_ready
from scale import start_server
from search_latency import query_mix

from search_api.evaluation import evaluate, load_queries
from search_api.index.loading import ingest_paths
from search_api.search.searcher import Searcher, open_searcher
from search_api.search.types import SearchRequest
from search_api.settings import Settings, read_env_file

DATA = REPO / "tests" / "data"
DEFAULT_ARCHIVE = REPO.parent / "shared" / "corpora" / "regulations.tar.gz"
METRICS = ("success_at_1", "success_at_5", "mrr_at_10")
TIMEOUT_S = "60"  # requests on busy cores while shards move


# ---------------------------------------------------------------------- targets


class Target:
    """Where the indices go: the connection variables and the index shape."""

    def __init__(self, name: str, connection: dict[str, str], shards: int, replicas: int) -> None:
        self.name = name
        self.connection = connection
        self.shards = shards
        self.replicas = replicas

    def environment(self, alias: str, shards: int | None = None) -> dict[str, str]:
        return {
            **self.connection,
            "POLICYKB_ES_INDEX": alias,
            "POLICYKB_ES_SHARDS": str(shards or self.shards),
            "POLICYKB_ES_REPLICAS": str(self.replicas),
            "POLICYKB_ES_TIMEOUT": TIMEOUT_S,
        }

    def searcher(self, alias: str, shards: int | None = None) -> Searcher:
        env = self.environment(alias, shards)
        return open_searcher(
            Settings(
                es_url=env["POLICYKB_ES_URL"],
                es_api_key=env.get("POLICYKB_ES_API_KEY"),
                es_ca_certs=env.get("POLICYKB_ES_CA_CERTS"),
                es_index=alias,
                es_timeout_s=float(TIMEOUT_S),
                es_shards=int(env["POLICYKB_ES_SHARDS"]),
                es_replicas=self.replicas,
            )
        )

    def drop(self, alias: str) -> None:
        backend = self.searcher(alias)
        client = backend.engine.versions.client  # type: ignore[attr-defined]
        try:
            names = list(client.indices.get(index=f"{alias}-*", allow_no_indices=True).body)
            if names:
                client.indices.delete(index=",".join(names))
        finally:
            backend.close()


def cluster_target(env_file: Path) -> Target:
    values = read_env_file(env_file)
    wanted = ("POLICYKB_ES_URL", "POLICYKB_ES_API_KEY", "POLICYKB_ES_CA_CERTS")
    return Target("cluster", {k: values[k] for k in wanted if k in values}, shards=3, replicas=1)


def load() -> float:
    return round(os.getloadavg()[0], 1)


# ---------------------------------------------------------------------- ranking


def regulations_subset(archive: Path, target: Path) -> Path:
    from tests.relevance.test_extra_sets import REGULATIONS

    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if m.name in REGULATIONS]
        tar.extractall(target, members=members, filter="data")
    return target / "regulations"


def figures(report: dict[str, Any]) -> dict[str, Any]:
    return {**{m: report[m] for m in METRICS}, "n": report["n"]}


def ranking(args: argparse.Namespace) -> int:
    cluster = cluster_target(args.cluster_env)
    sets = {
        "dev": ("book", "queries-dev.jsonl"),
        "extra-book": ("book", "queries-extra-book.jsonl"),
        "extra-regulations": ("regulations", "queries-extra-regulations.jsonl"),
    }
    made: list[str] = []
    result: dict[str, Any] = {"sets": {}}
    with tempfile.TemporaryDirectory() as scratch:
        folders = {"book": REPO / "corpus", "regulations": regulations_subset(args.archive, Path(scratch))}
        backends: dict[tuple[str, int], Searcher] = {}
        try:
            for corpus, folder in folders.items():
                for shards in (1, 3):
                    alias = f"policykb-bench-rank-{corpus}{shards}-{uuid.uuid4().hex[:8]}"
                    made.append(alias)
                    backend = backends[corpus, shards] = cluster.searcher(alias, shards)
                    assert not ingest_paths(backend.engine, [folder]).failures
            for name, (corpus, file) in sets.items():
                queries = load_queries(DATA / file)
                one, three = backends[corpus, 1], backends[corpus, 3]
                three.engine.dfs = False  # type: ignore[attr-defined]
                without = figures(evaluate(three, queries))
                three.engine.dfs = True  # type: ignore[attr-defined]
                row = {"1_shard": figures(evaluate(one, queries)), "3_shards": without}
                row["3_shards_dfs"] = figures(evaluate(three, queries))
                row["largest_difference"] = {
                    kind: round(max(abs(row[kind][m] - row["1_shard"][m]) for m in METRICS), 4)
                    for kind in ("3_shards", "3_shards_dfs")
                }
                result["sets"][name] = row
                print(name, json.dumps(row), file=sys.stderr)
        finally:
            for backend in backends.values():
                backend.close()
            for alias in made:
                cluster.drop(alias)
    result["choice"] = "search_type=dfs_query_then_fetch for ranked searches on an index of more than one shard"
    result["cluster"] = {"nodes": 3, "replicas": 1, "url": cluster.connection["POLICYKB_ES_URL"]}
    path = write_result("cluster_ranking", result)
    print(json.dumps(result, indent=2))
    print(f"-> {path}")
    return 0


# ---------------------------------------------------------------------- speed


def ingest(target: Target, folder: Path, alias: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "search_api.cli", "ingest", str(folder), "--quiet"]
    env = {**os.environ, **target.environment(alias)}
    before = load()
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{target.name}: ingest failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return {"seconds": round(elapsed, 1), "summary": done.stderr.strip().splitlines()[-1], "load_before": before}


def timed(backend: Searcher, queries: list[str]) -> list[float]:
    times = []
    for q in queries:
        started = time.perf_counter()
        backend.search(SearchRequest(query=q, limit=10, facets=True))
        times.append(time.perf_counter() - started)
    return times


def engine_calls(backends: dict[str, Searcher], queries: list[str], rounds: int) -> dict[str, Any]:
    """p50/p95 of the engine call on each (name, searcher, dfs) in turn, one pass of the mix
    each per round, the order rotating, so that a change of the machine's load hits all
    alike. A name ending in ``without_dfs`` runs with the DFS phase turned off."""
    times: dict[str, list[float]] = {name: [] for name in backends}
    names = list(backends)
    for backend in backends.values():
        timed(backend, queries)  # warm-up: caches, global ordinals of the facet fields
    for round_ in range(rounds):
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            backend = backends[name]
            backend.engine.dfs = not name.endswith("without_dfs")  # type: ignore[attr-defined]
            times[name].extend(timed(backend, queries))
    return {name: summary_ms(values) for name, values in times.items()}


def wrk(url: str, paths_file: Path, connections: int, seconds: int) -> dict[str, Any]:
    """As ``bench/scale.py`` runs wrk, with a 30 s timeout: a slow answer is counted as
    slow, not as an error (wrk's default gives up after 2 s)."""
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s"]
    command += ["-s", str(REPO / "bench" / "wrk_mix.lua"), url]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "WRK_PATHS": str(paths_file)})
    data: dict[str, Any] = json.loads(next(x for x in done.stdout.splitlines() if x.startswith("{")))
    data["requests_per_s"] = round(data["requests"] / data["seconds"], 1)
    return data


def node_cpu_ms(backend: Searcher) -> int:
    """CPU time the target's Elasticsearch processes have used so far (all nodes)."""
    client = backend.engine.versions.client  # type: ignore[attr-defined]
    stats = client.nodes.stats(metric="process", filter_path="nodes.*.process.cpu.total_in_millis")
    return sum(int(n["process"]["cpu"]["total_in_millis"]) for n in stats["nodes"].values())


def http_load(
    target: Target, alias: str, paths_file: Path, queries: list[str], seconds: int, backend: Searcher
) -> dict[str, Any]:
    """wrk at 8 connections on ``policykb serve --no-ingest`` on the target's index, and
    the CPU time the Elasticsearch nodes spent per search meanwhile."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_server([], port, target.environment(alias))
    try:
        import httpx

        with httpx.Client(timeout=30) as client:
            wait_ready(client, url)
            for q in queries:  # warm-up
                client.get(f"{url}/api/search", params={"q": q, "size": 10})
        before, cpu = load(), node_cpu_ms(backend)
        result = wrk(url, paths_file, 8, seconds)
        result["es_cpu_ms_per_search"] = round((node_cpu_ms(backend) - cpu) / max(1, result["requests"]), 2)
        result["load_before"] = before
        return result
    finally:
        server.terminate()
        server.wait(timeout=30)


def settle(backend: Searcher) -> None:
    """Wait until every copy of the index is placed and none is moving (after an ingest)."""
    client = backend.engine.versions.client  # type: ignore[attr-defined]
    index = backend.engine.versions.current()  # type: ignore[attr-defined]
    client.cluster.health(
        index=index, wait_for_status="green", wait_for_no_initializing_shards=True,
        wait_for_no_relocating_shards=True, timeout="300s",
    )  # fmt: skip


def speed(args: argparse.Namespace) -> int:
    single = Target("single_node", {"POLICYKB_ES_URL": args.single}, shards=1, replicas=0)
    cluster = cluster_target(args.cluster_env)
    queries = query_mix(random.Random(7))
    result: dict[str, Any] = {"folder": str(args.folder), "queries": len(queries), "rounds": args.rounds}
    aliases = {t.name: f"policykb-bench-cluster-{uuid.uuid4().hex[:8]}" for t in (single, cluster)}
    backends: dict[str, Searcher] = {}
    try:
        for target in (single, cluster):
            row = result[target.name] = {"url": target.connection["POLICYKB_ES_URL"], "shards": target.shards}
            row["replicas"] = target.replicas
            row["ingest"] = ingest(target, args.folder, aliases[target.name])
            print(target.name, "ingest", row["ingest"], file=sys.stderr)
        backends["single_node"] = single.searcher(aliases["single_node"])
        backends["cluster"] = cluster.searcher(aliases["cluster"])
        backends["cluster_without_dfs"] = cluster.searcher(aliases["cluster"])
        for backend in backends.values():
            settle(backend)
        result["single_node"]["passages"] = backends["single_node"].stats()["passages"]
        result["cluster"]["passages"] = backends["cluster"].stats()["passages"]
        result["load_before_search"] = load()
        calls = engine_calls(backends, queries, args.rounds)
        result["load_after_search"] = load()
        result["single_node"]["engine_call"] = calls["single_node"]
        result["cluster"]["engine_call_dfs"] = calls["cluster"]
        result["cluster"]["engine_call_without_dfs"] = calls["cluster_without_dfs"]
        result["cluster"]["dfs_cost_ms"] = {
            p: round(calls["cluster"][p] - calls["cluster_without_dfs"][p], 3) for p in ("p50_ms", "p95_ms")
        }
        print("engine calls", json.dumps(calls), file=sys.stderr)
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
            for q in queries:
                handle.write(f"/api/search?{urllib.parse.urlencode({'q': q, 'size': 10})}\n")
        paths_file = Path(handle.name)
        # Twice each, alternating: the machine's load changes over a minute.
        for target in (single, cluster, single, cluster):
            run = http_load(target, aliases[target.name], paths_file, queries, args.seconds, backends[target.name])
            result[target.name].setdefault("wrk_8_connections", []).append(run)
            print(target.name, "wrk", run, file=sys.stderr)
        paths_file.unlink()
        for target in (single, cluster):
            runs = result[target.name]["wrk_8_connections"]
            result[target.name]["searches_per_s_8_connections"] = round(
                sum(r["requests"] for r in runs) / sum(r["seconds"] for r in runs), 1
            )
    finally:
        for backend in backends.values():
            backend.close()
        single.drop(aliases["single_node"])
        cluster.drop(aliases["cluster"])
    path = write_result("cluster_regulations", result)
    print(json.dumps(result, indent=2))
    print(f"-> {path}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="part", required=True)
    for name in ("ranking", "speed"):
        p = sub.add_parser(name)
        p.add_argument("--cluster-env", type=Path, required=True, help="cluster.env of elasticsearch.sh --secure")
        if name == "ranking":
            p.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE)
        else:
            p.add_argument("--single", default="http://127.0.0.1:9200", help="URL of the single node")
            p.add_argument("--folder", type=Path, default=Path("/tmp/regs/regulations"))
            p.add_argument("--rounds", type=int, default=6, help="rounds of the query mix per figure")
            p.add_argument("--seconds", type=int, default=20, help="duration of the wrk run")
    args = parser.parse_args()
    for name in [k for k in os.environ if k.startswith("POLICYKB_ES_")]:
        del os.environ[name]  # only a target's own connection reaches settings and processes
    return ranking(args) if args.part == "ranking" else speed(args)


if __name__ == "__main__":
    sys.exit(main())
