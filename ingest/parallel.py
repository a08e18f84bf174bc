"""Work on every core: forked worker processes that inherit the parent's loaded state.

jieba's dictionary (~0.6 s to load) and spaCy (~0.6 s to import) are loaded once in the
parent; ``fork`` hands them to the workers for free (copy-on-write), where ``spawn``
would pay for them again in every worker. Where fork is unavailable (or one worker is
asked for) the work runs in this process, with the same results.

Worker functions are module-level functions that read what they need from state set
with :func:`set_worker_state` before the pool starts.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

ENV_WORKERS = "POLICYKB_WORKERS"
GC_THRESHOLD = 50_000  # allocations between young-generation collections (default 700)
_STATE: dict[str, Any] = {}


def worker_count(requested: int | None = None) -> int:
    """Workers to use: ``requested``, else $POLICYKB_WORKERS, else the usable cores."""
    if requested is None:
        env = os.environ.get(ENV_WORKERS, "").strip()
        requested = int(env) if env.isdigit() else None
    if requested is None:
        try:
            requested = len(os.sched_getaffinity(0))
        except AttributeError:  # not Linux
            requested = os.cpu_count() or 1
    return max(1, requested)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def set_worker_state(**state: Any) -> None:
    """State the worker functions read (set in the parent, inherited by fork)."""
    _STATE.clear()
    _STATE.update(state)


def worker_state(name: str) -> Any:
    return _STATE[name]


def fork_map(func: Callable[[T], R], items: Iterable[T], workers: int, window: int = 64) -> Iterator[R]:
    """``map(func, items)`` over ``workers`` forked processes, results in order.

    At most ``window`` items are in flight or done but not yet consumed: a consumer
    slower than the workers holds them back instead of letting every result pile up in
    its memory (``Pool.imap`` has no such bound). The window should cover what the
    workers finish while the consumer is busy elsewhere (e.g. a commit), or they idle.
    """
    if workers < 2 or not can_fork():
        yield from map(func, items)
        return
    context = multiprocessing.get_context("fork")
    # Everything alive now (spaCy, jieba's dictionary) leaves the collector's view: the
    # workers then neither scan it at each full collection nor, by touching its object
    # headers, copy its pages that fork shared with them.
    gc.freeze()
    try:
        with context.Pool(workers) as pool:
            pending: deque[Any] = deque()
            for item in items:
                pending.append(pool.apply_async(func, (item,)))
                if len(pending) >= max(1, window):
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()
    finally:
        gc.unfreeze()


@contextmanager
def fewer_collections(threshold: int = GC_THRESHOLD) -> Iterator[None]:
    """Run the cyclic garbage collector rarely (forked workers inherit the setting).

    Parsing and indexing allocate millions of short-lived containers and free them by
    reference counting; with the default threshold (700 allocations) the collector still
    runs thousands of times per run for nothing: ~6% of an ingest's CPU, measured on
    the regulations archive.
    """
    old = gc.get_threshold()
    gc.set_threshold(threshold, *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


class Pending:
    """Results of work started in forked processes (or done already, without fork)."""

    def __init__(self, pool: Any = None, handle: Any = None, results: list[Any] | None = None) -> None:
        self._pool, self._handle, self._results = pool, handle, results

    def get(self) -> list[Any]:
        if self._handle is not None:
            try:
                self._results = self._handle.get()
            finally:
                self._pool.close()
                self._pool.join()
            self._handle = None
        return list(self._results or [])


def fork_map_async(func: Callable[[T], R], items: list[T], workers: int) -> Pending:
    """Start ``map(func, items)`` in ``workers`` forked processes and return at once, so
    this process can do other work meanwhile (without fork: done here, before returning)."""
    if workers < 2 or not can_fork():
        return Pending(results=[func(item) for item in items])
    pool = multiprocessing.get_context("fork").Pool(workers)
    return Pending(pool, pool.map_async(func, items, chunksize=1))


def balanced_groups(sizes: list[int], groups: int) -> list[list[int]]:
    """Indexes of ``sizes`` in ``groups`` groups of about equal total size (largest first,
    each to the lightest group), each group in index order."""
    loads = [0] * groups
    members: list[list[int]] = [[] for _ in range(groups)]
    for index in sorted(range(len(sizes)), key=lambda i: -sizes[i]):
        lightest = loads.index(min(loads))
        members[lightest].append(index)
        loads[lightest] += sizes[index]
    return [sorted(group) for group in members if group]
