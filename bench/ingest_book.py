"""Ingest of the book, jieba start-up included: median wall time of fresh CLI processes.

python bench/ingest_book.py [--runs 5] [--es URL]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, write_result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--es", help="Elasticsearch URL (default: embedded engine)")
    args = parser.parse_args()
    times: list[float] = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            engine = ["--es", args.es] if args.es else ["--db", str(Path(tmp) / "index")]
            cmd = [sys.executable, "-m", "search_api.cli", "ingest", "corpus/", "--force", "--quiet", *engine]
            started = time.perf_counter()
            subprocess.run(cmd, cwd=REPO, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
    result = {
        "engine": "elasticsearch" if args.es else "tantivy",
        "runs_s": [round(t, 3) for t in times],
        "median_s": round(statistics.median(times), 3),
    }
    path = write_result(f"ingest_book_{result['engine']}", result)
    print(f"ingest of corpus/ ({result['engine']}): median {result['median_s']} s over {args.runs} runs -> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
