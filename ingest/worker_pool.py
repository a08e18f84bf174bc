"""The worker processes behind :func:`ingest.parallel.guarded_map`: one pipe each, a
wall-time deadline per item, a fresh worker for one that is killed or dies.

Split from :mod:`ingest.parallel`, which keeps the maps callers use; this module is the
machinery: handing items out without blocking on a worker that hangs, reading results in
order, killing a worker past its deadline, and sending an exception back across the
pipe (:class:`Raised`).
"""

from __future__ import annotations

import math
import multiprocessing
import os
import pickle
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from ingest import limits
from ingest.extract.errors import ExtractionError


class WorkerFailed(RuntimeError):
    """An item failed without a failure handler: its worker was stopped or died, or the
    function raised something that cannot be sent back."""


# Unread work queued in a worker's pipe stays well under the socket buffer (~200 KB on
# Linux), so that handing out work never blocks this process on a worker that hangs.
QUEUE_BYTES = 32_768
QUEUE_ITEMS = 32  # items queued in one worker beyond the one it works on, at most


@dataclass
class Worker:
    process: Any
    conn: Connection
    clock: Any  # shared with the worker: [index of the item it works on, when it started it]
    sent: deque[int] = field(default_factory=deque)  # indexes handed out, not done, in order
    queued_bytes: int = 0
    since: float = 0.0  # when this worker last finished something or got its first item
    closed: bool = False  # its end of the pipe is closed: it is ending


class WorkerPool:
    """Worker processes with a pipe each; the item at the head of a worker's queue is the
    one it works on, the others wait in its pipe (a few, see :data:`QUEUE_BYTES`)."""

    def __init__(self, func: Callable[[Any], Any], workers: int, window: int, timeout: float) -> None:
        self.func = func
        self.context = multiprocessing.get_context("fork")
        self.window = window
        self.timeout = timeout
        self.prefetch = min(QUEUE_ITEMS, max(1, math.ceil(window / workers)))
        self.workers: list[Worker] = []
        for _ in range(workers):
            self.workers.append(self._start())
        self.items: dict[int, tuple[Any, bytes]] = {}  # in flight or done, not yet consumed
        self.done: dict[int, tuple[bool, Any]] = {}
        self.retry: deque[int] = deque()  # queued in a worker that was stopped: hand out again

    def _start(self) -> Worker:
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
        return Worker(process, parent, clock)

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

    def _worker_for(self, size: int) -> Worker | None:
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

    def _deadline(self, worker: Worker) -> float:
        return (_started(worker) or worker.since) + self.timeout

    def _read(self, worker: Worker) -> None:
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

    def _stopped(self, worker: Worker, current: int | None, reason: str) -> None:
        """A worker was stopped or died while on item ``current``: that item fails with
        ``reason`` if it is still unfinished and had started; the others queued in the
        worker are handed out again, to a fresh worker that takes its place."""
        if worker.sent and worker.sent[0] == current and _started(worker) is not None:
            worker.sent.popleft()
            self.done[current] = (False, reason)
        self.retry.extendleft(reversed(worker.sent))
        worker.sent.clear()
        self._replace(worker)

    def _replace(self, worker: Worker) -> None:
        _stop(worker)
        self.workers[self.workers.index(worker)] = self._start()

    def close(self) -> None:
        for worker in self.workers:
            worker.conn.close()  # an idle worker reads EOF and exits
        for worker in self.workers:
            worker.process.join(timeout=0 if worker.sent else 1.0)
            _stop(worker)


def _stop(worker: Worker) -> None:
    with suppress(OSError):
        worker.conn.close()
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join()
    with suppress(ValueError):
        worker.process.close()


def _started(worker: Worker) -> float | None:
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
            reply = (index, False, Raised.of(exc))
        try:
            conn.send(reply)
        except Exception as exc:  # a result that cannot be pickled
            conn.send((index, False, f"result cannot be sent back ({describe(exc)})"))


@dataclass
class Raised:
    """An exception raised by a worker function: its one-line description, and the
    exception itself when it survives pickling (to raise it again in the parent)."""

    description: str
    pickled: bytes | None

    @classmethod
    def of(cls, exc: BaseException) -> Raised:
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
        return short(message)
    return short(f"{type(exc).__name__}: {message}" if message else type(exc).__name__)


def short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
