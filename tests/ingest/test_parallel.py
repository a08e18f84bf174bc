"""ingest.parallel: ordered, bounded fork_map/guarded_map (timeouts, dead workers) and the
collector settings of a bulk run."""

from __future__ import annotations

import faulthandler
import gc
import multiprocessing
import os
import re
import signal
import time

import pytest

from ingest.limits import LimitError
from ingest.parallel import (
    WorkerFailed,
    can_fork,
    fewer_collections,
    fork_map,
    guarded_map,
    set_worker_state,
    worker_count,
    worker_state,
)

pytestmark = pytest.mark.skipif(not can_fork(), reason="needs fork")


def _square_and_count(item: int) -> int:
    started = worker_state("started")
    with started.get_lock():
        started.value += 1
    return item * item


def test_fork_map_keeps_order_and_bounds_the_work_ahead_of_the_consumer() -> None:
    started = multiprocessing.get_context("fork").Value("i", 0)
    set_worker_state(started=started)
    window = 4
    results = fork_map(_square_and_count, range(40), workers=2, window=window)
    assert next(results) == 0
    # Only `window` items were handed out before the first result came back; give the
    # workers time to run ahead if they could, then check they did not.
    deadline = time.monotonic() + 5
    while started.value < window and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)
    assert started.value == window
    assert list(results) == [i * i for i in range(1, 40)]
    assert started.value == 40


def test_fork_map_with_one_worker_runs_here() -> None:
    set_worker_state(started=multiprocessing.get_context("fork").Value("i", 0))
    assert list(fork_map(_square_and_count, [3, 1, 2], workers=1)) == [9, 1, 4]


def test_fewer_collections_restores_the_thresholds() -> None:
    before = gc.get_threshold()
    with fewer_collections(12_345):
        assert gc.get_threshold()[0] == 12_345
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), fewer_collections(54_321):
        raise RuntimeError("boom")
    assert gc.get_threshold() == before


def _troublesome(item: int) -> int:
    """Worker: item 3 hangs, 5 crashes its process, 7 recurses without end, 9 raises,
    11 is killed (as the kernel's OOM killer does)."""
    if item == 3:
        time.sleep(3600)
    if item == 5:
        faulthandler.disable()  # pytest's handler would print the crash
        os.kill(os.getpid(), signal.SIGSEGV)
    if item == 7:

        def recurse(depth: int) -> int:
            return recurse(depth + 1)

        recurse(0)
    if item == 9:
        raise ValueError("bad\nvalue")
    if item == 11:
        os.kill(os.getpid(), signal.SIGKILL)
    return os.getpid()


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_guarded_map_stops_a_hung_or_dead_worker_and_goes_on(workers: int) -> None:
    results = list(
        guarded_map(_troublesome, range(13), workers, window=4, timeout=1.0, on_failure=lambda item, reason: reason)
    )
    assert results[3] == "parse took longer than 1 s (POLICYKB_FILE_TIMEOUT_S)"
    assert results[5] == "worker process crashed (SIGSEGV)"
    assert results[7].startswith("RecursionError: maximum recursion depth exceeded")
    assert results[9] == "ValueError: bad value"  # one line
    assert results[11] == "worker process was killed (SIGKILL; out of memory?)"
    pids = [r for i, r in enumerate(results) if i not in (3, 5, 7, 9, 11)]
    # Every other item has its result, from a worker process (one worker is a process too).
    assert len(pids) == 8 and all(isinstance(pid, int) and pid != os.getpid() for pid in pids)
    assert not multiprocessing.active_children()


def test_guarded_map_stops_its_workers_when_the_consumer_stops() -> None:
    results = guarded_map(_troublesome, [1, 2, 3, 4], 2, timeout=60.0)
    assert isinstance(next(results), int)
    results.close()  # item 3 still hangs in a worker
    assert not multiprocessing.active_children()


def test_guarded_map_without_a_failure_handler_raises() -> None:
    with pytest.raises(ValueError, match="bad"):
        list(guarded_map(_troublesome, [1, 9], 2, timeout=5.0))
    with pytest.raises(WorkerFailed, match=r"item 1 \(3\): parse took longer than 0.5 s"):
        list(fork_map(_troublesome, [1, 3], 2, timeout=0.5))


def test_guarded_map_keeps_order_and_bounds_the_work_ahead_with_one_worker() -> None:
    started = multiprocessing.get_context("fork").Value("i", 0)
    set_worker_state(started=started)
    results = guarded_map(_square_and_count, range(20), workers=1, window=3)
    assert next(results) == 0
    time.sleep(0.3)
    assert started.value == 3
    assert list(results) == [i * i for i in range(1, 20)]


def test_a_bad_timeout_variable_is_reported_by_guarded_map(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYKB_FILE_TIMEOUT_S", "soon")
    with pytest.raises(LimitError, match="POLICYKB_FILE_TIMEOUT_S='soon' is not valid"):
        list(guarded_map(_square_and_count, [1], 1))


def test_guarded_map_runs_meanwhile_once_while_the_workers_work() -> None:
    """``meanwhile`` runs here once the workers have items: what it does overlaps theirs."""
    started = multiprocessing.get_context("fork").Value("i", 0)
    set_worker_state(started=started)
    seen: list[int] = []

    def meanwhile() -> None:
        deadline = time.monotonic() + 5
        while started.value == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        seen.append(started.value)

    results = list(guarded_map(_square_and_count, range(6), 2, window=6, timeout=30.0, meanwhile=meanwhile))
    assert results == [i * i for i in range(6)]
    assert len(seen) == 1 and seen[0] >= 1  # a worker had started while it ran


@pytest.mark.parametrize("value", ["abc", "0", "-2", "1.5"])
def test_a_bad_worker_count_is_one_line_naming_its_variable(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYKB_WORKERS", value)
    with pytest.raises(LimitError, match=rf"^POLICYKB_WORKERS='{re.escape(value)}' is not valid"):
        worker_count()
    assert worker_count(3) == 3  # asked for: the variable is not read
    monkeypatch.setenv("POLICYKB_WORKERS", " 2 ")
    assert worker_count() == 2
