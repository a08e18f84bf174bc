"""The HTTP application: JSON API under ``/api``, the Chinese search page under ``/``.

    create_app(load_settings())      # opens the configured engine on first use
    create_app(backend)              # serves an engine you already opened

Read-only by design: no route writes (ingest is the CLI's job), so there is no write
token to manage. CORS is off unless ``POLICYKB_CORS_ORIGINS`` (comma-separated origins)
or ``cors_origins`` names the origins allowed to read the API from a browser.

Around the routes, from the outside in (:func:`_add_middlewares`): security headers, CORS,
HEAD as GET, relative redirects, gzip, the response size cap, and the request guard (time
budget, one 503 body for unplanned errors); see :mod:`search_api.http.middleware`.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware

from search_api.errors import PolicyKBError
from search_api.http import logs
from search_api.http.api.routes import build_api_router
from search_api.http.errors import SafeJSONResponse, install_error_handlers
from search_api.http.middleware import HeadAsGet, RelativeRedirects, RequestGuard, ResponseCap, SecurityHeaders
from search_api.search.searcher import Searcher
from search_api.settings import Settings, load_settings

# Bodies from this size on are gzipped when the client accepts it: a page of 10 hits is
# 20-60 KB of JSON, a third of that compressed. Level 6 (zlib's default): level 9 costs
# about twice the CPU for a few percent less.
GZIP_MIN_BYTES = 1024
GZIP_LEVEL = 6
# How long closing the app waits for the background warm-up (a second or two at the
# regulations scale) before it closes the engine under it.
WARM_JOIN_S = 30.0

logger = logging.getLogger("policykb.http")


def app_from_environment() -> FastAPI:
    """The app on the settings of the environment: the factory each worker process of
    ``policykb serve --workers N`` calls."""
    return create_app(load_settings(), warm=True)


class SearcherHolder:
    """Opens the configured engine on first use and keeps it; an engine that cannot be
    opened (no index yet, bad path) raises EngineUnavailable on each request (→ 503)
    and is retried on the next one, so the server starts, and recovers, without it."""

    def __init__(self, settings: Settings, backend: Searcher | None = None) -> None:
        self.settings = settings
        self._backend = backend
        self._lock = threading.Lock()
        self._warming: threading.Thread | None = None
        self.warmed = threading.Event()  # set when the warm-up ended, built or not

    def get(self) -> Searcher:
        if self._backend is None:
            with self._lock:
                if self._backend is None:
                    from search_api.search.searcher import open_searcher

                    self._backend = open_searcher(self.settings)
        return self._backend

    def warm_in_background(self) -> None:
        """Open the engine and build what the first search would wait for
        (:meth:`Searcher.warm`), in a thread: the server answers at once, and a search
        that comes first builds what it needs itself (each table is built under a lock,
        so once)."""
        self._warming = threading.Thread(target=self._warm, name="policykb-warm", daemon=True)
        self._warming.start()

    def _warm(self) -> None:
        started = time.perf_counter()
        try:
            self.get().warm()
            settle_heap()
            logger.info("warmed up in %.1f s", time.perf_counter() - started)
        except PolicyKBError as exc:  # no engine yet: the first request opens it (and says why not)
            logger.warning("warm-up skipped: %s", exc)
        except Exception:  # a speed-up only: the requests still build what they need
            logger.exception("warm-up failed")
        finally:
            self.warmed.set()

    def close(self) -> None:
        if self._warming is not None:
            self._warming.join(WARM_JOIN_S)
        if self._backend is not None:
            self._backend.close()


def settle_heap() -> None:
    """Take what the warm-up built out of the garbage collector's reach.

    The warm-up leaves some 640,000 objects at the regulations scale (jieba's dictionary,
    the tables read from every document, the typo index) that live as long as the
    process, and every full collection walked them all: 90 ms, which one search in about
    800 of the benchmark's mix paid (the collector runs a full pass when the long-lived
    objects have grown by a quarter). Frozen (``gc.freeze``), they are still freed by their
    reference counts when a table is rebuilt, only never scanned again: a full collection
    then takes well under a millisecond. The median and p95 do not move (the benchmark,
    one process each way, three times: within 0.2 ms of each other).
    """
    gc.collect()
    gc.freeze()


def cors_origins_from_env() -> list[str]:
    raw = os.environ.get("POLICYKB_CORS_ORIGINS", "")
    return [o.strip() for o in raw.split(",") if o.strip()]


def create_app(
    source: Settings | Searcher | None = None,
    *,
    settings: Settings | None = None,
    cors_origins: Sequence[str] | None = None,
    web: bool = True,
    warm: bool = False,
) -> FastAPI:
    """The app on ``source``: Settings (engine opened lazily) or an open backend; ``warm``
    opens it and builds its tables in the background as the server starts (``serve``)."""
    if isinstance(source, Settings):
        settings = source
        holder = SearcherHolder(settings)
    else:
        settings = settings or load_settings()
        holder = SearcherHolder(settings, source)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            holder.warm_in_background()
        yield
        holder.close()

    app = FastAPI(
        title="policykb",
        version="0.1.0",
        summary="Search Chinese government policy documents: passages, policies, timeline.",
        description=(
            'Read-only JSON API. Every error is `{"error": code, "message": text}`: 422 for bad '
            "parameters, 404 for unknown ids, 503 when the search engine is unreachable."
        ),
        default_response_class=SafeJSONResponse,
        # The interactive docs pages load their scripts from a CDN; the schema is enough.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.searchers = holder
    app.state.settings = settings
    install_error_handlers(app)
    app.include_router(build_api_router(settings))
    if web:
        from search_api.http.page.routes import install_web

        install_web(app, settings)
    _add_middlewares(app, settings, list(cors_origins if cors_origins is not None else cors_origins_from_env()))
    logs.install()
    return app


def _add_middlewares(app: FastAPI, settings: Settings, origins: list[str]) -> None:
    """The middlewares, added from the inside out (each added one wraps the ones before)."""
    app.add_middleware(RequestGuard, timeout_s=settings.request_timeout_s)
    app.add_middleware(ResponseCap, max_bytes=settings.max_response_bytes)  # counts bytes before compression
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES, compresslevel=GZIP_LEVEL)
    app.add_middleware(RelativeRedirects)
    app.add_middleware(HeadAsGet)  # outside gzip: HEAD gets GET's compressed length
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "HEAD"], allow_headers=[])
    app.add_middleware(SecurityHeaders)
