"""Ingest of a synthetic ×N regulations archive into one index: passages/s, wall time,
peak memory, index size; with ``--search``, the engine-call latency on the built index.

Each file of the archive is parsed and enriched ONCE, by the real pipeline in forked
workers (as ``policykb ingest`` does), then emitted as N copies:

* copy 0 is the file as ``policykb ingest`` would load it (same source, same ids);
* copy k >= 1 is source ``<source>#copy<k>`` with ids derived from it (documents:
  ``stable_id(source, kind, key)`` as the pipeline does; passages:
  ``stable_id(document id, original passage id)``), its title suffixed with
  ``（副本k）`` (so citations and the heading field differ), and every date (passage
  dates, the document's ``date``, ``valid_until`` and header events) moved k years
  back, so the year facet and date filters spread the copies over N years. The text,
  its tokens, agencies, categories and 文号 stay as they are: a ×N library of similar
  documents, not N byte-identical records, and no second jieba/spaCy pass.

The copies go through the engine's own ``prepare`` (in the workers) and one load
session (``begin_load`` + ``add`` per batch + ``commit``), the path ``policykb ingest``
uses; batches are bounded by passages and the workers' results by a window, so memory
stays bounded whatever N. Peak memory: this process (the writer, VmHWM), the largest
worker, and the sampled sum of the process tree (comparable to ingest_regulations).

    python bench/synthetic_scale.py --db /tmp/x10 [--copies 10] [--search]
    python bench/synthetic_scale.py --es http://127.0.0.1:9200 --es-index policykb-x10 [--search]
    python bench/scale.py --label x10 --db /tmp/x10      # HTTP numbers on the built index
    python bench/scale.py --label x10 --es http://127.0.0.1:9200 --es-index policykb-x10

The target must be new or empty (``--replace`` drops a previous synthetic build there).
``--extra corpus/`` also loads the book once, uncopied, as the regulations scale rows do.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_target import TreeSampler, clear_target, es_node_cpu_s, index_bytes
from common import REPO, summary_ms, write_result
from copies import copy_of, copy_source

from ingest.extract import ExtractionError
from ingest.fingerprint import fingerprint_of
from ingest.parallel import can_fork, fewer_collections, fork_map, set_worker_state, worker_count, worker_state
from ingest.pipeline import Pipeline, iter_input_files, read_bytes, source_name
from search_api.index.engine import Prepared
from search_api.search.searcher import Searcher, open_searcher
from search_api.search.types import SearchRequest
from search_api.settings import load_settings

DEFAULT_ARCHIVE = REPO.parent / "shared" / "corpora" / "regulations.tar.gz"
DEFAULT_ES_INDEX = "policykb-synthetic"
BATCH_SOURCES = 400  # sources (copies) per load batch, as search_api.index.loading's files per batch
BATCH_PASSAGES = 40_000  # passages per load batch, as search_api.index.loading
IN_FLIGHT_SOURCES = 400  # window of the workers, in copies: files in flight = this // copies
CHECK_QUERY = "劳动合同 解除"  # the post-load check: hits from how many copies


# ---------------------------------------------------------------------- workers


Job = tuple[Path, str, int]  # file, source name, copies


@dataclass
class FileCopies:
    """One file as it comes back from a worker: the records of its N copies."""

    file: str
    source: str = ""
    fingerprint: str = ""
    prepared: list[Prepared] = field(default_factory=list)
    failure: str | None = None
    parse_s: float = 0.0
    prepare_s: float = 0.0


def _work_file(job: Job) -> FileCopies:
    """Worker: parse and enrich one file once, then prepare the records of its copies."""
    file, source, copies = job
    pipeline: Pipeline = worker_state("pipeline")
    started = time.process_time()  # CPU time: the machine may be busy with other work
    try:
        parsed = pipeline.segment(file, read_bytes(file), source)
        pipeline.analyse(parsed.documents)
    except ExtractionError as exc:
        return FileCopies(str(file), failure=str(exc))
    except Exception as exc:
        return FileCopies(str(file), failure=f"internal error ({type(exc).__name__}: {exc})")
    parsed_at = time.process_time()
    prepare = worker_state("prepare")
    prepared = [prepare(copy_of(parsed.documents, source, k)) for k in range(copies)]
    return FileCopies(
        str(file), source, parsed.fingerprint, prepared, None, parsed_at - started, time.process_time() - parsed_at
    )


# ---------------------------------------------------------------------- loading


@dataclass
class LoadStats:
    files: int = 0
    failures: list[str] = field(default_factory=list)
    sources: int = 0
    documents: int = 0
    passages: int = 0
    batches: int = 0
    parse_s: float = 0.0  # worker CPU time, summed over files
    prepare_s: float = 0.0  # worker CPU time, summed over files and copies
    write_s: float = 0.0  # this process: Loader.add
    commit_s: float = 0.0  # this process: Loader.commit (Elasticsearch: refresh, merge, alias)
    wall_s: float = 0.0  # from the first file sent to the workers to the end of the commit


def load_copies(backend: Searcher, jobs: list[Job], workers: int, progress: bool) -> LoadStats:
    """Parse each file of ``jobs`` once and load its copies, all in one load session."""
    stats = LoadStats(files=len(jobs))
    pipeline = Pipeline()
    if workers > 1 and can_fork():
        pipeline.prepare()  # spaCy once, before the fork
    set_worker_state(pipeline=pipeline, prepare=backend.engine.prepare)
    announced = [copy_source(source, k) for _, source, copies in jobs for k in range(copies)]
    window = max(2 * workers, IN_FLIGHT_SOURCES // max(copies for *_, copies in jobs))
    parts: list[Prepared] = []
    sources: dict[str, str] = {}
    pending = 0
    next_report = time.perf_counter() + 10
    loader = backend.begin_load(announced)

    def flush() -> None:
        nonlocal parts, sources, pending
        if not parts:
            return
        batch = Prepared(
            parts[0].engine,
            [record for part in parts for record in part.records],
            sum(part.documents for part in parts),
            sum(part.passages for part in parts),
        )
        started = time.perf_counter()
        stats.passages += loader.add(batch, sources=sources)
        stats.write_s += time.perf_counter() - started
        stats.documents += batch.documents
        stats.sources += len(sources)
        stats.batches += 1
        parts, sources, pending = [], {}, 0

    started = time.perf_counter()
    try:
        with fewer_collections():
            for done, result in enumerate(fork_map(_work_file, jobs, workers, window=window), start=1):
                if result.failure is not None:
                    stats.failures.append(f"{result.file}: {result.failure}")
                    continue
                stats.parse_s += result.parse_s
                stats.prepare_s += result.prepare_s
                for k, prepared in enumerate(result.prepared):
                    # Copy 0 keeps the file's fingerprint: `policykb ingest` of the folder skips it.
                    fingerprint = fingerprint_of(f"{result.fingerprint}#copy{k}".encode()) if k else result.fingerprint
                    sources[copy_source(result.source, k)] = fingerprint
                    parts.append(prepared)
                    pending += prepared.passages
                if pending >= BATCH_PASSAGES or len(sources) >= BATCH_SOURCES:
                    flush()
                if progress and time.perf_counter() >= next_report:
                    next_report = time.perf_counter() + 10
                    elapsed = time.perf_counter() - started
                    print(
                        f"  {done}/{len(jobs)} files, {stats.passages:,} passages written, "
                        f"{stats.passages / elapsed:,.0f}/s, {elapsed:.0f} s",
                        file=sys.stderr,
                    )
            flush()
            committing = time.perf_counter()
            loader.commit()
            stats.commit_s = time.perf_counter() - committing
    except BaseException:
        loader.abort()
        raise
    stats.wall_s = time.perf_counter() - started
    return stats


# ---------------------------------------------------------------------- checks


def copies_in_hits(backend: Searcher, query: str, limit: int = 50) -> dict[str, Any]:
    """How many copies the top hits of ``query`` come from (the copy tag of their source)."""
    response = backend.search(SearchRequest(query=query, limit=limit, facets=True))
    tags = [int(m[1]) if (m := re.search(r"#copy(\d+):", hit.source)) else 0 for hit in response.hits]
    years = [v.value for v in response.facets.get("year", [])]
    return {
        "query": query,
        "total": response.total,
        "hits": len(response.hits),
        "copies_in_hits": sorted(set(tags)),
        "year_facet_values": len(years),
        "top_hits": [f"{hit.citation} [{hit.source}]" for hit in response.hits[:3]],
    }


def search_latency(backend: Searcher, rounds: int) -> dict[str, Any]:
    from search_latency import measure, query_mix

    queries = query_mix(random.Random(7))
    measure(backend, queries, 2, True)  # warm caches and the analyzer
    return {
        "queries": len(queries),
        "rounds": rounds,
        "without_facets": summary_ms(measure(backend, queries, rounds, False)),
        "with_facets": summary_ms(measure(backend, queries, rounds, True)),
    }


# ---------------------------------------------------------------------- main


def pick_files(folder: Path, limit: int | None, copies: int) -> list[Job]:
    """The files of the archive, in name order; ``limit`` spreads a subset evenly over
    it (every folder of laws represented), deterministically."""
    files = [(file, source_name(file, root), copies) for file, root in iter_input_files([folder])]
    if limit and limit < len(files):
        step = len(files) / limit
        files = [files[int(i * step)] for i in range(limit)]
    return files


def _mib(kb: int) -> int:
    return round(kb / 1024)


@dataclass
class Built:
    """What one build did: its files, the load's figures and what it cost."""

    engine: str
    workers: int
    jobs: list[Job]
    extra: list[Job]
    stats: LoadStats
    extract_s: float
    node_cpu_s: float
    tree_peak_kb: int
    backend: Searcher


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10, help="N: copies of each file (default 10)")
    parser.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE, help="tar.gz of the laws, or a folder")
    parser.add_argument("--limit-files", type=int, help="only this many files, spread over the archive")
    parser.add_argument(
        "--extra",
        type=Path,
        action="append",
        default=[],
        help="files or folders loaded once, uncopied (e.g. corpus/, as in the regulations scale rows)",
    )
    parser.add_argument("--db", help="embedded index folder to build (new or empty)")
    parser.add_argument("--es", metavar="URL", help="Elasticsearch URL instead of --db")
    parser.add_argument("--es-index", default=DEFAULT_ES_INDEX, help=f"alias to build (default {DEFAULT_ES_INDEX})")
    parser.add_argument("--replace", action="store_true", help="drop a previous build at the target first")
    parser.add_argument("--workers", type=int, help="parsing processes (default: one per core)")
    parser.add_argument("--search", action="store_true", help="then measure the engine call on the built index")
    parser.add_argument("--rounds", type=int, default=10, help="rounds of the query mix with --search")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    return parser


def build(args: argparse.Namespace) -> Built:
    """Unpack the archive, then parse each file once and load its copies (the book and
    other ``--extra`` files first, once)."""
    engine = "elasticsearch" if args.es else "tantivy"
    workers = worker_count(args.workers)
    with tempfile.TemporaryDirectory() as tmp:
        if args.archive.is_dir():
            folder, extract_s = args.archive, 0.0
        else:
            started = time.perf_counter()
            with tarfile.open(args.archive) as tar:
                tar.extractall(tmp, filter="data")
            extract_s = time.perf_counter() - started
            folder = next((p for p in Path(tmp).iterdir() if p.is_dir()), Path(tmp))
        jobs = pick_files(folder, args.limit_files, args.copies)
        # Loaded once, uncopied, first (a big file, the book, then overlaps the rest).
        extra = [(file, source_name(file, root), 1) for file, root in iter_input_files(args.extra)]
        backend = open_searcher(load_settings(db_path=args.db, es_url=args.es, es_index=args.es_index), create=True)
        print(
            f"synthetic ×{args.copies}: {len(jobs)} files (+{len(extra)} once) into {engine}, {workers} workers",
            file=sys.stderr,
        )
        node_cpu = es_node_cpu_s(args.es) if args.es else 0.0
        with TreeSampler() as sampler:
            stats = load_copies(backend, extra + jobs, workers, not args.quiet)
        node_cpu = es_node_cpu_s(args.es) - node_cpu if args.es else 0.0
    return Built(engine, workers, jobs, extra, stats, extract_s, node_cpu, sampler.peak_kb, backend)


def report(args: argparse.Namespace, built: Built) -> dict[str, Any]:
    """The build's figures, checked against what the index itself reports."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    stats, backend = built.stats, built.backend
    counts = backend.stats()
    return {
        "engine": built.engine,
        "copies": args.copies,
        "files": len(built.jobs),
        "extra_files": len(built.extra),
        "failed_files": len(stats.failures),
        "failures": stats.failures[:10],
        "workers": built.workers,
        "target": args.es.rstrip("/") + "/" + args.es_index if args.es else str(args.db),
        "passages": stats.passages,
        "documents": stats.documents,
        "sources": stats.sources,
        "batches": stats.batches,
        "wall_s": round(stats.wall_s, 2),
        "passages_per_s": round(stats.passages / stats.wall_s) if stats.wall_s else None,
        "extract_s": round(built.extract_s, 2),
        "worker_parse_s": round(stats.parse_s, 2),
        "worker_prepare_s": round(stats.prepare_s, 2),
        "write_s": round(stats.write_s, 2),
        "commit_s": round(stats.commit_s, 2),
        "cpu_s": {
            "this_process": round(own.ru_utime + own.ru_stime, 1),
            "workers": round(children.ru_utime + children.ru_stime, 1),
            **({"elasticsearch_node": round(built.node_cpu_s, 1)} if args.es else {}),
        },
        "load_average": [round(x, 2) for x in os.getloadavg()],  # other work on the machine
        "peak_rss_mib": _mib(own.ru_maxrss),
        "worker_peak_rss_mib": _mib(children.ru_maxrss),
        "tree_peak_rss_mib": _mib(built.tree_peak_kb),
        "index_mib": round(index_bytes(backend, args) / 2**20, 1),
        "stats": {k: counts.get(k) for k in ("passages", "documents", "sources")},
        "stats_match": counts.get("passages") == stats.passages and counts.get("sources") == stats.sources,
        "check": copies_in_hits(backend, CHECK_QUERY),
    }


def main() -> int:
    parser = _parser()
    args = parser.parse_args()
    if bool(args.db) == bool(args.es):
        parser.error("choose one engine: --db PATH or --es URL")
    if args.copies < 1:
        parser.error("--copies must be at least 1")
    if not args.archive.exists():
        print(f"synthetic_scale: not found: {args.archive}", file=sys.stderr)
        return 2
    if error := clear_target(args):
        print(f"synthetic_scale: {error}", file=sys.stderr)
        return 2
    built = build(args)
    result = report(args, built)
    if args.search:
        result["search"] = search_latency(built.backend, args.rounds)
    built.backend.close()
    name = f"synthetic_scale_x{args.copies}_{built.engine}"
    if args.limit_files:
        name += f"_{len(built.jobs)}files"
    path = write_result(name, result)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(
        f"synthetic ×{args.copies} ({built.engine}): {built.stats.passages:,} passages in {built.stats.wall_s:.1f} s "
        f"({result['passages_per_s']}/s), peak {result['peak_rss_mib']} MiB "
        f"(tree {result['tree_peak_rss_mib']} MiB), index {result['index_mib']} MiB -> {path}",
        file=sys.stderr,
    )
    if not result["stats_match"]:
        print(f"synthetic_scale: the index reports {result['stats']}, not what was written", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
