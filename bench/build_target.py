"""The index a benchmark build writes: made empty first, measured after (its size on disk,
the Elasticsearch node's CPU), and the peak memory of the building process tree.

Split from ``synthetic_scale.py``, which builds the synthetic ×N archive, so that the
build reads as copies → load → report.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import threading
import urllib.request
from pathlib import Path
from typing import Any

from common import tree_rss_kb

from search_api.search.searcher import Searcher


class TreeSampler:
    """The peak of :func:`tree_rss_kb` of this process, sampled every 0.2 s."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, tree_rss_kb(self.pid))
            self._stop.wait(0.2)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.load(response)


def _es_indices(url: str, alias: str) -> list[str]:
    """The indices the backend built behind ``alias`` (``<alias>-v<schema>-…``)."""
    found = _get_json(f"{url.rstrip('/')}/{alias}-v*?allow_no_indices=true&expand_wildcards=all")
    return sorted(found)


def es_node_cpu_s(url: str) -> float:
    """CPU seconds used so far by the Elasticsearch node(s) at ``url`` (not our children)."""
    data = _get_json(f"{url.rstrip('/')}/_nodes/stats/process")
    return sum(node["process"]["cpu"]["total_in_millis"] for node in data["nodes"].values()) / 1000


def index_bytes(backend: Searcher, args: argparse.Namespace) -> int:
    if args.es:
        index = backend.stats().get("index")
        if not index:
            return 0
        data = _get_json(f"{args.es.rstrip('/')}/{index}/_stats/store")
        return int(data["_all"]["primaries"]["store"]["size_in_bytes"])
    return sum(f.stat().st_size for f in Path(args.db).rglob("*") if f.is_file())


def clear_target(args: argparse.Namespace) -> str | None:
    """Make sure the target is empty; with ``--replace``, drop a previous build there.
    Returns an error message, or None."""
    if args.es:
        names = _es_indices(args.es, args.es_index)
        if names and not args.replace:
            return f"{args.es}/{args.es_index} holds {', '.join(names)}: use another --es-index, or --replace"
        if names:
            request = urllib.request.Request(f"{args.es.rstrip('/')}/{','.join(names)}", method="DELETE")
            urllib.request.urlopen(request, timeout=120).close()
        return None
    db = Path(args.db)
    if db.exists() and (not db.is_dir() or any(db.iterdir())):
        if not args.replace:
            return f"{db} is not empty: use another --db, or --replace"
        if not (db / "policykb-schema.json").exists():
            return f"{db} is no policykb index: not deleting it"
        shutil.rmtree(db)
    return None
