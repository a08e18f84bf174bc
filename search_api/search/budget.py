"""A time budget for one request: its work stops at the deadline with a 503, not later.

The embedded engine answers in this process and holds the GIL for the whole call, so no
timer can interrupt a search from outside. The searcher instead checks the budget between
its engine calls (the first search, each relaxation pass, each spelling candidate, before
building the hits), and raises :class:`TimeBudgetExceeded` once the deadline has passed.
The HTTP layer sets the deadline for each request (``POLICYKB_REQUEST_TIMEOUT_S``); the
CLI sets none, so its searches run to the end.

The deadline is a context variable: it follows the request into the thread pool (anyio
copies the context), and requests running side by side each see their own.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from search_api.errors import PolicyKBError

# (deadline on the monotonic clock, the budget in seconds), or None: no budget.
_deadline: ContextVar[tuple[float, float] | None] = ContextVar("policykb_deadline", default=None)


class TimeBudgetExceeded(PolicyKBError):
    """The request's work went past its time budget (HTTP 503, JSON error body)."""

    code = "timeout"
    http_status = 503
    exit_code = 2


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Work inside the block must end within ``seconds`` (None: no limit)."""
    token = _deadline.set(None if seconds is None else (time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _deadline.reset(token)


def remaining() -> float | None:
    """Seconds left in the current budget (never below 0), or None without a budget."""
    budget = _deadline.get()
    return None if budget is None else max(0.0, budget[0] - time.monotonic())


def check() -> None:
    """Raise :class:`TimeBudgetExceeded` when the current budget is spent."""
    if remaining() == 0.0:
        raise exceeded()


def exceeded() -> TimeBudgetExceeded:
    """The error for the current budget, naming its length and its setting."""
    budget = _deadline.get()
    seconds = f"{budget[1]:g} s" if budget is not None else "its time budget"
    return TimeBudgetExceeded(
        f"请求超时，请缩短查询或减少筛选条件 the request took longer than {seconds} (POLICYKB_REQUEST_TIMEOUT_S)"
    )
