"""Ingest of the whole regulations archive (../shared) into a fresh embedded index, or
with ``--es URL`` into a fresh Elasticsearch alias: median wall time of fresh CLI
processes, and the peak memory of the process tree (the CLI and its workers, summed,
sampled every 0.2 s; not the Elasticsearch node, which is no child of the CLI).

    python bench/ingest_regulations.py [--runs 3] [--archive PATH] [--workers N] [--es URL]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, tree_rss_kb, write_result

DEFAULT_ARCHIVE = REPO.parent / "shared" / "corpora" / "regulations.tar.gz"


def run_once(folder: Path, db: Path, workers: int | None, es: str | None) -> tuple[float, int, str]:
    cmd = [sys.executable, "-m", "search_api.cli", "ingest", str(folder), "--force", "--quiet"]
    cmd += ["--es", es] if es else ["--db", str(db)]
    if workers:
        cmd += ["--workers", str(workers)]
    env = dict(os.environ)
    alias = f"policykb-bench-{uuid.uuid4().hex[:8]}"
    if es:
        env["POLICYKB_ES_INDEX"] = alias
    peak = 0
    started = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def sample() -> None:
        nonlocal peak
        while process.poll() is None:
            peak = max(peak, tree_rss_kb(process.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    elapsed = time.perf_counter() - started
    sampler.join()
    if es:
        _drop_indices(es, alias)
    if process.returncode != 0:
        raise SystemExit(f"ingest failed ({process.returncode}): {err.strip()[-500:]}")
    return elapsed, peak, err.strip().splitlines()[-1]


def _drop_indices(url: str, alias: str) -> None:
    """Delete the indices a run built behind ``alias`` (the node keeps no benchmark data)."""
    base = url.rstrip("/")
    with urllib.request.urlopen(f"{base}/{alias}-*?allow_no_indices=true&expand_wildcards=all", timeout=30) as r:
        names = list(json.load(r))
    if names:
        request = urllib.request.Request(f"{base}/{','.join(names)}", method="DELETE")
        urllib.request.urlopen(request, timeout=60).close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE)
    parser.add_argument("--workers", type=int)
    parser.add_argument("--es", help="Elasticsearch URL (default: the embedded engine)")
    args = parser.parse_args()
    if not args.archive.is_file():
        print(f"ingest_regulations: not found: {args.archive}", file=sys.stderr)
        return 2
    times: list[float] = []
    peaks: list[int] = []
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(args.archive) as tar:
            tar.extractall(tmp, filter="data")
        folder = Path(tmp) / "regulations"
        for run in range(args.runs):
            elapsed, peak, summary = run_once(folder, Path(tmp) / f"index{run}", args.workers, args.es)
            times.append(elapsed)
            peaks.append(peak)
            print(f"run {run + 1}: {elapsed:.1f} s, peak {peak / 1024:.0f} MiB ({summary})", file=sys.stderr)
    result = {
        "engine": "elasticsearch" if args.es else "tantivy",
        "files": sum(1 for _ in folder.rglob("*.txt")) if folder.exists() else 3423,
        "runs_s": [round(t, 2) for t in times],
        "median_s": round(statistics.median(times), 2),
        "peak_rss_mib": round(max(peaks) / 1024),
        "last_run": summary,
    }
    path = write_result("ingest_regulations_elasticsearch" if args.es else "ingest_regulations", result)
    print(
        f"regulations ingest ({result['engine']}): median {result['median_s']} s over {args.runs} runs, "
        f"peak {result['peak_rss_mib']} MiB -> {path}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
