"""What the JSON API and the web page both take from a request: the searcher, ids.

Neither front end imports the other; both import this module, the request parameters
(:mod:`search_api.http.params`) and the view models (:mod:`search_api.http.views`).
"""

# No `from __future__ import annotations`: FastAPI evaluates these signatures.
from collections.abc import Callable
from typing import Annotated, TypeVar

import anyio
import anyio.to_thread
from fastapi import Depends, Path, Request

from search_api.search import budget
from search_api.search.searcher import Searcher

MAX_ID_CHARS = 64

IdParam = Annotated[str, Path(max_length=MAX_ID_CHARS, description="a passage or document id (hex)")]

T = TypeVar("T")


class SearcherRef:
    """The app's searcher, opened only when an endpoint asks for it.

    Not a dependency that opens it: FastAPI solves dependencies before it reports
    invalid parameters, and a bad request must get its 422 even while the engine is down.
    """

    def __init__(self, request: Request) -> None:
        self._holder = request.app.state.searchers

    def get(self) -> Searcher:
        backend: Searcher = self._holder.get()
        return backend

    async def run(self, work: Callable[[Searcher], T]) -> T:
        """``work(searcher)`` from an ``async def`` route, where it costs least.

        An engine that answers in-process (the embedded index: ``in_process``) holds the
        GIL for the whole call, so a worker thread would add its hop (two context
        switches, ~0.1 ms, more under load) and no concurrency: it runs here. An engine
        that waits on the network (Elasticsearch) runs in the thread pool, so the event
        loop keeps serving other requests meanwhile, and the answer is a 503 when the
        request's time budget runs out first: the thread is left to finish (each engine
        call has its own timeout, and the searcher stops at its next budget check).
        """
        backend = self.get()
        if getattr(backend.engine, "in_process", False):
            return work(backend)
        left = budget.remaining()
        with anyio.move_on_after(float("inf") if left is None else left):
            return await anyio.to_thread.run_sync(work, backend, abandon_on_cancel=True)
        raise budget.exceeded()


async def searcher_ref(request: Request) -> SearcherRef:
    # ``async``: FastAPI runs a plain function dependency in its thread pool (a hop per request).
    return SearcherRef(request)


SearcherDep = Annotated[SearcherRef, Depends(searcher_ref)]
