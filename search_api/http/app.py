"""The HTTP application: JSON API under ``/api``, the Chinese search page under ``/``.

    create_app(load_settings())      # opens the configured engine on first use
    create_app(backend)              # serves an engine you already opened

Read-only by design: no route writes (ingest is the CLI's job), so there is no write
token to manage. CORS is off unless ``POLICYKB_CORS_ORIGINS`` (comma-separated origins)
or ``cors_origins`` names the origins allowed to read the API from a browser.
"""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from search_api.http.api.routes import build_api_router
from search_api.http.errors import SafeJSONResponse, install_error_handlers
from search_api.search.searcher import Searcher
from search_api.settings import Settings, load_settings

# Pages load only their own CSS and JS; no inline script can run even if markup slipped
# through escaping (defence in depth: the templates escape everything anyway).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


def app_from_environment() -> FastAPI:
    """The app on the settings of the environment: the factory each worker process of
    ``policykb serve --workers N`` calls."""
    return create_app(load_settings())


class SearcherHolder:
    """Opens the configured engine on first use and keeps it; an engine that cannot be
    opened (no index yet, bad path) raises EngineUnavailable on each request (→ 503)
    and is retried on the next one, so the server starts, and recovers, without it."""

    def __init__(self, settings: Settings, backend: Searcher | None = None) -> None:
        self.settings = settings
        self._backend = backend
        self._lock = threading.Lock()

    def get(self) -> Searcher:
        if self._backend is None:
            with self._lock:
                if self._backend is None:
                    from search_api.search.searcher import open_searcher

                    self._backend = open_searcher(self.settings)
        return self._backend

    def close(self) -> None:
        if self._backend is not None:
            self._backend.close()


class SecurityHeaders:
    """Pure ASGI middleware (no per-request task overhead, unlike BaseHTTPMiddleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in SECURITY_HEADERS if h[0] not in names)]
            await send(message)

        await self.app(scope, receive, with_headers)


def cors_origins_from_env() -> list[str]:
    raw = os.environ.get("POLICYKB_CORS_ORIGINS", "")
    return [o.strip() for o in raw.split(",") if o.strip()]


def create_app(
    source: Settings | Searcher | None = None,
    *,
    settings: Settings | None = None,
    cors_origins: Sequence[str] | None = None,
    web: bool = True,
) -> FastAPI:
    """The app on ``source``: Settings (engine opened lazily) or an open backend."""
    if isinstance(source, Settings):
        settings = source
        holder = SearcherHolder(settings)
    else:
        settings = settings or load_settings()
        holder = SearcherHolder(settings, source)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
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
    origins = list(cors_origins if cors_origins is not None else cors_origins_from_env())
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET"], allow_headers=[])
    app.add_middleware(SecurityHeaders)
    return app
