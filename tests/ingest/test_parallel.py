"""ingest.parallel: ordered, bounded fork_map and the collector settings of a bulk run."""

from __future__ import annotations

import gc
import multiprocessing
import time

import pytest

from ingest.parallel import can_fork, fewer_collections, fork_map, set_worker_state, worker_state

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
