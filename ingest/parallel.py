"""Work on every core: forked worker processes that inherit the parent's loaded state.

jieba's dictionary (~0.6 s to load) and spaCy (~0.6 s to import) are loaded once in the
parent; ``fork`` hands them to the workers for free (copy-on-write), where ``spawn``
would pay for them again in every worker.

Input files are untrusted, so parsing runs in :func:`guarded_map`'s workers, one item at
a time under a wall-time limit (``POLICYKB_FILE_TIMEOUT_S``, see :mod:`ingest.limits`),
with one worker as with many: an item that passes the limit has its worker killed, an
item whose worker dies (a crash in a C parser, the kernel's OOM killer) is reported, and
in both cases a fresh worker takes over the rest. :func:`fork_map` is the same without
a failure handler (a failure raises :class:`WorkerFailed`); it runs here for one worker.
The worker processes themselves are :mod:`ingest.worker_pool`.
Where fork is unavailable the work runs in this process, with the same results but no
such protection.

Worker functions are module-level functions that read what they need from state set
with :func:`set_worker_state` before the workers start.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from ingest import limits
from ingest.worker_pool import Raised, WorkerFailed, WorkerPool, describe, short

__all__ = [
    "WorkerFailed",
    "balanced_groups",
    "can_fork",
    "describe",
    "fewer_collections",
    "fork_map",
    "guarded_map",
    "set_worker_state",
    "worker_count",
    "worker_state",
]

T = TypeVar("T")
R = TypeVar("R")

ENV_WORKERS = "POLICYKB_WORKERS"
GC_THRESHOLD = 50_000  # allocations between young-generation collections (default 700)
_STATE: dict[str, Any] = {}


def worker_count(requested: int | None = None) -> int:
    """Workers to use: ``requested``, else $POLICYKB_WORKERS, else the usable cores.

    Read when called, not at import: a bad value stops only what needs it, with
    :class:`~ingest.limits.LimitError` (one line naming the variable).
    """
    if requested is None:
        env = os.environ.get(ENV_WORKERS, "").strip()
        if env:
            if not env.isdigit() or int(env) < 1:
                raise limits.LimitError(
                    f"{ENV_WORKERS}={env[:40]!r} is not valid: expected a whole number above 0 (default: one per core)"
                )
            requested = int(env)
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


def fork_map(
    func: Callable[[T], R],
    items: Iterable[T],
    workers: int,
    window: int = 64,
    *,
    timeout: float | None = None,
    on_failure: Callable[[T, str], R] | None = None,
) -> Iterator[R]:
    """``map(func, items)`` over ``workers`` forked processes, results in order; with
    fewer than two workers (or without fork) in this process. See :func:`guarded_map`."""
    if workers < 2 or not can_fork():
        yield from _map_here(func, items, on_failure)
        return
    if timeout is None:
        try:
            timeout = limits.current().file_timeout_s
        except limits.LimitError:
            # Every file reports the bad variable (ingest.extract reads the limits too).
            timeout = limits.Limits().file_timeout_s
    yield from guarded_map(func, items, workers, window, timeout=timeout, on_failure=on_failure)


def guarded_map(
    func: Callable[[T], R],
    items: Iterable[T],
    workers: int,
    window: int = 64,
    *,
    timeout: float | None = None,
    on_failure: Callable[[T, str], R] | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> Iterator[R]:
    """``map(func, items)`` in ``workers`` forked processes (one is a process too), results
    in order, each item within ``timeout`` seconds of wall time (default: the limit
    ``POLICYKB_FILE_TIMEOUT_S``).

    An item that passes the timeout has its worker killed; an item whose worker dies is
    lost with it. Either gives ``on_failure(item, reason)`` as the item's result (reason:
    one line, e.g. "parse took longer than 60 s (POLICYKB_FILE_TIMEOUT_S)"), a fresh
    worker takes over and the other items go on. An exception raised by ``func`` gives
    ``on_failure(item, "Type: message")`` too; without ``on_failure`` it is raised here,
    and a stopped or dead worker raises :class:`WorkerFailed`.

    At most ``window`` items are in flight or done but not yet consumed: a consumer
    slower than the workers holds them back instead of letting every result pile up in
    its memory. The window should cover what the workers finish while the consumer is
    busy elsewhere (e.g. a commit), or they idle.

    ``meanwhile`` is called once in this process, once the workers have their first
    items (e.g. to import what this process needs next while they work); the workers'
    deadlines are enforced when it returns.
    """
    if not can_fork():
        if meanwhile is not None:
            meanwhile()
        yield from _map_here(func, items, on_failure)
        return
    seconds = timeout if timeout is not None else limits.current().file_timeout_s
    # Everything alive now (spaCy, jieba's dictionary) leaves the collector's view: the
    # workers then neither scan it at each full collection nor, by touching its object
    # headers, copy its pages that fork shared with them.
    gc.freeze()
    pool = WorkerPool(func, max(1, workers), max(1, window), seconds)
    try:
        for index, item, ok, value in pool.run(items, meanwhile):
            if ok:
                yield value
            elif on_failure is not None:
                yield on_failure(item, value.description if isinstance(value, Raised) else value)
            elif isinstance(value, Raised):
                raise value.exception()
            else:
                raise WorkerFailed(f"item {index} ({short(repr(item))}): {value}")
    finally:
        pool.close()
        gc.unfreeze()


def _map_here(func: Callable[[T], R], items: Iterable[T], on_failure: Callable[[T, str], R] | None) -> Iterator[R]:
    for item in items:
        if on_failure is None:
            yield func(item)
            continue
        try:
            result = func(item)
        except Exception as exc:
            result = on_failure(item, describe(exc))
        yield result


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
