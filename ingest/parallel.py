"""Work on every core: forked worker processes that inherit the parent's loaded state.

jieba's dictionary (~0.6 s to load) and spaCy (~0.6 s to import) are loaded once in the
parent; ``fork`` hands them to the workers for free (copy-on-write), where ``spawn``
would pay for them again in every worker. Where fork is unavailable (or one worker is
asked for) the work runs in this process, with the same results.

Worker functions are module-level functions that read what they need from state set
with :func:`set_worker_state` before the pool starts.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

ENV_WORKERS = "POLICYKB_WORKERS"
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


def fork_map(func: Callable[[T], R], items: Iterable[T], workers: int, chunksize: int = 1) -> Iterator[R]:
    """``map(func, items)`` over ``workers`` forked processes, results in order."""
    if workers < 2 or not can_fork():
        yield from map(func, items)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        yield from pool.imap(func, items, chunksize)


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
