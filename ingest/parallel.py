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
Where fork is unavailable the work runs in this process, with the same results but no
such protection.

Worker functions are module-level functions that read what they need from state set
with :func:`set_worker_state` before the workers start.
"""

from __future__ import annotations

import gc
import math
import multiprocessing
import os
import pickle
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

from ingest import limits
from ingest.extract.errors import ExtractionError

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


class WorkerFailed(RuntimeError):
    """An item failed without a failure handler: its worker was stopped or died, or the
    function raised something that cannot be sent back."""


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
    pool = _Pool(func, max(1, workers), max(1, window), seconds)
    try:
        for index, item, ok, value in pool.run(items, meanwhile):
            if ok:
                yield value
            elif on_failure is not None:
                yield on_failure(item, value.description if isinstance(value, _Raised) else value)
            elif isinstance(value, _Raised):
                raise value.exception()
            else:
                raise WorkerFailed(f"item {index} ({_short(repr(item))}): {value}")
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


# Unread work queued in a worker's pipe stays well under the socket buffer (~200 KB on
# Linux), so that handing out work never blocks this process on a worker that hangs.
QUEUE_BYTES = 32_768
QUEUE_ITEMS = 32  # items queued in one worker beyond the one it works on, at most


@dataclass
class _Worker:
    process: Any
    conn: Connection
    clock: Any  # shared with the worker: [index of the item it works on, when it started it]
    sent: deque[int] = field(default_factory=deque)  # indexes handed out, not done, in order
    queued_bytes: int = 0
    since: float = 0.0  # when this worker last finished something or got its first item
    closed: bool = False  # its end of the pipe is closed: it is ending


class _Pool:
    """Worker processes with a pipe each; the item at the head of a worker's queue is the
    one it works on, the others wait in its pipe (a few, see :data:`QUEUE_BYTES`)."""

    def __init__(self, func: Callable[[Any], Any], workers: int, window: int, timeout: float) -> None:
        self.func = func
        self.context = multiprocessing.get_context("fork")
        self.window = window
        self.timeout = timeout
        self.prefetch = min(QUEUE_ITEMS, max(1, math.ceil(window / workers)))
        self.workers: list[_Worker] = []
        for _ in range(workers):
            self.workers.append(self._start())
        self.items: dict[int, tuple[Any, bytes]] = {}  # in flight or done, not yet consumed
        self.done: dict[int, tuple[bool, Any]] = {}
        self.retry: deque[int] = deque()  # queued in a worker that was stopped: hand out again

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe(duplex=True)
        # The child closes its copies of the other workers' pipe ends (and of its own
        # parent end), so that each worker sees the end of its input when this process
        # closes its end.
        others = [w.conn for w in self.workers] + [parent]
        # Shared memory, not a message: telling this process when an item starts would
        # wake it twice per item.
        clock = self.context.RawArray("d", [-1.0, 0.0])
        process = self.context.Process(target=_serve, args=(self.func, child, others, clock, os.getpid()), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent, clock)

    def run(
        self, items: Iterable[Any], meanwhile: Callable[[], object] | None = None
    ) -> Iterator[tuple[int, Any, bool, Any]]:
        source = enumerate(items)
        exhausted = False
        consumed = 0
        while True:
            exhausted = self._hand_out(source, exhausted)
            if meanwhile is not None:
                meanwhile()
                meanwhile = None
            if consumed in self.done:
                ok, value = self.done.pop(consumed)
                item = self.items.pop(consumed)[0]
                consumed += 1
                yield consumed - 1, item, ok, value
                continue
            if exhausted and not self.items:
                return
            self._wait()

    def _hand_out(self, source: Iterator[tuple[int, Any]], exhausted: bool) -> bool:
        while len(self.items) < self.window or self.retry:
            if self.retry:
                index = self.retry[0]
            elif exhausted:
                break
            else:
                try:
                    index, item = next(source)
                except StopIteration:
                    return True
                self.items[index] = (item, pickle.dumps((index, item), pickle.HIGHEST_PROTOCOL))
                self.retry.append(index)
            message = self.items[index][1]
            worker = self._worker_for(len(message))
            if worker is None:
                break
            self.retry.popleft()
            try:
                worker.conn.send_bytes(message)
            except OSError:  # it died: what it was on fails, the rest is handed out again
                self.retry.appendleft(index)
                self._read(worker)
                self._stopped(worker, worker.sent[0] if worker.sent else None, _death(worker.process))
                continue
            if not worker.sent:
                worker.since = time.monotonic()
            worker.sent.append(index)
            worker.queued_bytes += len(message)
        return exhausted

    def _worker_for(self, size: int) -> _Worker | None:
        """The least busy worker that can take a message of ``size`` bytes without blocking."""
        best = min(self.workers, key=lambda w: len(w.sent))
        if not best.sent:
            return best  # idle: it reads the message at once, however big
        if len(best.sent) > self.prefetch or best.queued_bytes + size > QUEUE_BYTES:
            return None
        return best

    def _wait(self) -> None:
        """Wait for a message, a worker's end or the first deadline, and act on them."""
        busy = [w for w in self.workers if w.sent]
        now = time.monotonic()
        deadline = min((self._deadline(w) for w in busy), default=now + 1.0)
        handles: list[Any] = [w.conn for w in busy if not w.closed] + [w.process.sentinel for w in self.workers]
        ready = set(wait(handles, timeout=max(0.0, deadline - now)))
        for worker in list(self.workers):
            if worker.conn in ready:
                self._read(worker)
            if worker.process.sentinel in ready:
                self._read(worker)  # what it sent before it died
                self._stopped(worker, worker.sent[0] if worker.sent else None, _death(worker.process))
            elif worker.sent and time.monotonic() >= self._deadline(worker):
                current = worker.sent[0]
                worker.process.kill()
                worker.process.join()
                self._read(worker)  # it may have finished just now
                self._stopped(worker, current, limits.timed_out(self.timeout))

    def _deadline(self, worker: _Worker) -> float:
        return (_started(worker) or worker.since) + self.timeout

    def _read(self, worker: _Worker) -> None:
        """Every message the worker has sent so far."""
        try:
            while worker.conn.poll():
                index, ok, value = worker.conn.recv()
                if worker.sent and worker.sent[0] == index:
                    worker.sent.popleft()
                    worker.queued_bytes -= len(self.items[index][1])
                self.done[index] = (ok, value)
                worker.since = time.monotonic()
        except (EOFError, OSError, pickle.UnpicklingError):
            worker.closed = True  # it is ending: wait for its exit, not for this pipe

    def _stopped(self, worker: _Worker, current: int | None, reason: str) -> None:
        """A worker was stopped or died while on item ``current``: that item fails with
        ``reason`` if it is still unfinished and had started; the others queued in the
        worker are handed out again, to a fresh worker that takes its place."""
        if worker.sent and worker.sent[0] == current and _started(worker) is not None:
            worker.sent.popleft()
            self.done[current] = (False, reason)
        self.retry.extendleft(reversed(worker.sent))
        worker.sent.clear()
        self._replace(worker)

    def _replace(self, worker: _Worker) -> None:
        _stop(worker)
        self.workers[self.workers.index(worker)] = self._start()

    def close(self) -> None:
        for worker in self.workers:
            worker.conn.close()  # an idle worker reads EOF and exits
        for worker in self.workers:
            worker.process.join(timeout=0 if worker.sent else 1.0)
            _stop(worker)


def _stop(worker: _Worker) -> None:
    with suppress(OSError):
        worker.conn.close()
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join()
    with suppress(ValueError):
        worker.process.close()


def _started(worker: _Worker) -> float | None:
    """When the worker started the first item it was sent, if it has."""
    if worker.sent and worker.clock[0] == worker.sent[0]:
        return float(worker.clock[1])
    return None


def _die_with_parent(parent: int) -> None:
    """Linux: be killed when the parent dies (killed itself, it cannot stop a worker that
    hangs; its other workers see their pipe close and end by themselves)."""
    with suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it died before that took effect
        os._exit(1)


def _serve(func: Callable[[Any], Any], conn: Connection, others: list[Connection], clock: Any, parent: int) -> None:
    """A worker: run ``func`` on each item it is sent, in order, and send back the results."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ^C reaches the parent, which stops us
    _die_with_parent(parent)
    for other in others:
        with suppress(OSError):
            other.close()
    while True:
        try:
            index, item = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return
        clock[1] = time.monotonic()
        clock[0] = index  # written last: the parent reads the index first
        try:
            reply: tuple[Any, ...] = (index, True, func(item))
        except BaseException as exc:  # RecursionError, MemoryError, SystemExit: one item fails
            reply = (index, False, _Raised.of(exc))
        try:
            conn.send(reply)
        except Exception as exc:  # a result that cannot be pickled
            conn.send((index, False, f"result cannot be sent back ({describe(exc)})"))


@dataclass
class _Raised:
    """An exception raised by a worker function: its one-line description, and the
    exception itself when it survives pickling (to raise it again in the parent)."""

    description: str
    pickled: bytes | None

    @classmethod
    def of(cls, exc: BaseException) -> _Raised:
        pickled: bytes | None = None
        with suppress(Exception):
            data = pickle.dumps(exc, pickle.HIGHEST_PROTOCOL)
            pickle.loads(data)  # some exceptions pickle but cannot be rebuilt
            pickled = data
        return cls(describe(exc), pickled)

    def exception(self) -> BaseException:
        if self.pickled is not None:
            with suppress(Exception):
                exc = pickle.loads(self.pickled)
                if isinstance(exc, BaseException):
                    return exc
        return WorkerFailed(self.description)


def _death(process: Any) -> str:
    process.join()
    code = process.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        if -code == signal.SIGKILL:
            return f"worker process was killed ({name}; out of memory?)"
        return f"worker process crashed ({name})"
    return f"worker process exited (code {code})"


def describe(exc: BaseException) -> str:
    """``Type: message`` on one line; an ExtractionError's message alone."""
    message = " ".join(str(exc).split())
    if isinstance(exc, ExtractionError):
        return _short(message)
    return _short(f"{type(exc).__name__}: {message}" if message else type(exc).__name__)


def _short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
