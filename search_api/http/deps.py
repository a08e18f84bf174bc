"""What the JSON API and the web page both take from a request: the searcher, ids.

Neither front end imports the other; both import this module, the request parameters
(:mod:`search_api.http.params`) and the view models (:mod:`search_api.http.views`).
"""

# No `from __future__ import annotations`: FastAPI evaluates these signatures.
from typing import Annotated

from fastapi import Depends, Path, Request

from search_api.search.searcher import Searcher

MAX_ID_CHARS = 64

IdParam = Annotated[str, Path(max_length=MAX_ID_CHARS, description="a passage or document id (hex)")]


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


SearcherDep = Annotated[SearcherRef, Depends(SearcherRef)]
