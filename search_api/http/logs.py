"""The server's error log stays small under a flood: repeated messages are counted, not written.

A client can make the server log at will: each malformed request is one uvicorn warning,
each request on a corrupted index one traceback, each connection over the limit one
notice. :class:`RepeatFilter` lets the first :data:`BURST` records of one message through
per :data:`WINDOW_S`, drops the rest, and says how many it dropped on the next record
let through. The access log (one line per request) is off unless ``--log-level debug``.
"""

from __future__ import annotations

import logging
import time

BURST = 5  # records of one message let through per window
WINDOW_S = 60.0
MAX_MESSAGES = 1_000  # distinct messages tracked; past it the counts start again
# The loggers a client can reach: uvicorn's protocol and server, the event loop's accept
# errors, and ours (errors.py, protocol.py).
LOGGERS = ("uvicorn.error", "asyncio", "policykb.http")


class RepeatFilter(logging.Filter):
    def __init__(self, burst: int = BURST, window_s: float = WINDOW_S) -> None:
        super().__init__()
        self.burst = burst
        self.window_s = window_s
        # message template → (window start, records in the window, records dropped)
        self._seen: dict[tuple[str, str], tuple[float, int, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, str(record.msg))
        now = time.monotonic()
        start, count, dropped = self._seen.get(key, (now, 0, 0))
        if now - start > self.window_s:
            if dropped:
                note = f" ({dropped} more like this in the last {now - start:.0f} s were not logged)"
                record.msg = f"{record.msg}{note}"  # the note holds no % for the record's args
            start, count, dropped = now, 0, 0
        if len(self._seen) >= MAX_MESSAGES and key not in self._seen:
            self._seen.clear()
        count += 1
        keep = count <= self.burst
        self._seen[key] = (start, count, dropped + (not keep))
        return keep


def install() -> None:
    """Put one :class:`RepeatFilter` on each logger of :data:`LOGGERS` (idempotent)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RepeatFilter) for f in logger.filters):
            logger.addFilter(RepeatFilter())
