"""A value built from the whole index, rebuilt only when the index changes.

Title suggestions and the learned short forms are each built from every document
record, which costs more than a search; rebuilding them per request would make a
keystroke or a query pay for it. :class:`PerGeneration` keeps the value with the
engine's generation it was built at, looks at the generation at most every ``check_s``
seconds (another process may ingest; the generation check itself is an engine call), and
rebuilds only when it changed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from search_api.index.engine import Engine

T = TypeVar("T")


class PerGeneration(Generic[T]):
    """One value per engine generation, shared by the requests (thread-safe)."""

    def __init__(self, build: Callable[[Engine], T]) -> None:
        self._build = build
        self._cached: tuple[float, object, T] | None = None
        self._lock = threading.Lock()

    def get(self, engine: Engine, check_s: float) -> T:
        """The value, rebuilt when the generation changed (looked at after ``check_s``)."""
        now = time.monotonic()
        cached = self._cached
        if cached is None or now - cached[0] > check_s:
            with self._lock:
                generation = engine.generation()
                value = cached[2] if cached is not None and cached[1] == generation else self._build(engine)
                cached = self._cached = (now, generation, value)
        return cached[2]
