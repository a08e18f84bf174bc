"""What every request goes through, whatever its route: pure ASGI middlewares.

* :class:`RequestGuard`: the request's time budget (``POLICYKB_REQUEST_TIMEOUT_S``,
  :mod:`search_api.search.budget`), and one JSON (or page) 503 for any error nobody
  planned for, a panic of the engine's Rust code included (a ``BaseException``, which
  Starlette's own error middleware lets through to uvicorn's plain-text 500).
* :class:`ResponseCap`: no body larger than ``POLICYKB_MAX_RESPONSE_BYTES`` is sent.
* :class:`HeadAsGet`: HEAD is answered wherever GET is (FastAPI routes list GET only),
  with GET's headers and no body.
* :class:`RelativeRedirects`: a redirect to this server (the trailing-slash one) names a
  path, never the ``Host`` header the client sent (a forged one must not reach a cache).
* :class:`SecurityHeaders`: the Content-Security-Policy, ``nosniff`` and framing headers.

Pure ASGI, not ``BaseHTTPMiddleware``: no extra task per request.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from search_api.http.errors import error_response, fault_response
from search_api.search import budget

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

# Not faults of a request: the server is stopping or the client went away.
_NOT_FAULTS = (asyncio.CancelledError, KeyboardInterrupt, SystemExit, GeneratorExit)


class _HttpMiddleware:
    """A pure ASGI middleware for HTTP requests; other scopes (lifespan) pass through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
        else:
            await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


class RequestGuard(_HttpMiddleware):
    """Runs the request within its time budget; an exception out of the app, before its
    response has started, becomes the one 503 body (:func:`fault_response`)."""

    def __init__(self, app: ASGIApp, timeout_s: float) -> None:
        super().__init__(app)
        self.timeout_s = timeout_s

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        with budget.time_budget(self.timeout_s):
            try:
                await self.app(scope, receive, watch)
            except _NOT_FAULTS:
                raise
            except BaseException as exc:
                if started:  # too late for another status: uvicorn closes the connection
                    raise
                response = fault_response(Request(scope), exc)
                await response(scope, receive, send)


class ResponseTooLarge(Exception):
    """A streamed body went past the cap after its status was sent: the connection is cut."""


class ResponseCap(_HttpMiddleware):
    """Holds the status line until the body's size is known (a ``Content-Length`` header or
    the first body part, which is the whole body for every JSON and HTML response); a
    body over the cap is replaced by a 503 naming the limit."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        held: Message | None = None
        sent = 0
        refused = False

        async def capped(message: Message) -> None:
            nonlocal held, sent, refused
            if refused:
                return
            if message["type"] == "http.response.start":
                held = message
                if _content_length(message) <= self.max_bytes:
                    return
                size = _content_length(message)
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
                if sent <= self.max_bytes:
                    if held is not None:
                        await send(held)
                        held = None
                    await send(message)
                    return
                if held is None:
                    raise ResponseTooLarge(f"response body past {self.max_bytes} bytes")
                size = sent
            else:
                await send(message)
                return
            refused, held = True, None
            await self._refuse(scope, receive, send, size)

        await self.app(scope, receive, capped)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, size: int) -> None:
        message = (
            f"结果过大，请减少每页条数 the response would be {size:,} bytes, "
            f"more than {self.max_bytes:,} (POLICYKB_MAX_RESPONSE_BYTES): ask for fewer results"
        )
        body = {"error": "response_too_large", "message": message}
        await error_response(Request(scope), 503, body)(scope, receive, send)


def _content_length(message: Message) -> int:
    for name, value in message.get("headers", []):
        if name.lower() == b"content-length":
            return int(value) if value.isdigit() else 0
    return 0


class HeadAsGet(_HttpMiddleware):
    """Runs a HEAD request as GET and drops the body; the headers (length, type, encoding)
    are GET's. Place it outside the compression, so they are the compressed ones."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


class _StartRewriter(_HttpMiddleware):
    """A middleware that rewrites the status line and headers of each HTTP response."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def rewritten(message: Message) -> None:
            await send(self.rewrite(scope, message) if message["type"] == "http.response.start" else message)

        await self.app(scope, receive, rewritten)

    def rewrite(self, scope: Scope, start: Message) -> Message:
        raise NotImplementedError


class SecurityHeaders(_StartRewriter):
    def rewrite(self, scope: Scope, start: Message) -> Message:
        headers = start.get("headers", [])
        names = {name for name, _ in headers}
        return {**start, "headers": [*headers, *(h for h in SECURITY_HEADERS if h[0] not in names)]}


class RelativeRedirects(_StartRewriter):
    """Rewrites a ``Location`` that points at the request's own host to its path (and
    query): Starlette builds the trailing-slash redirect from the ``Host`` header."""

    def rewrite(self, scope: Scope, start: Message) -> Message:
        if not 300 <= start["status"] < 400:
            return start
        return {**start, "headers": [_relative(scope, h) for h in start.get("headers", [])]}


def _relative(scope: Scope, header: tuple[bytes, bytes]) -> tuple[bytes, bytes]:
    name, value = header
    if name.lower() != b"location":
        return header
    url = urlsplit(value.decode("latin-1"))
    if not url.netloc or url.netloc not in _own_hosts(scope):
        return header
    # One leading slash: "//evil.example/" would be read as another host.
    path = "/" + url.path.lstrip("/\\")
    return name, (path + (f"?{url.query}" if url.query else "")).encode("latin-1")


def _own_hosts(scope: Scope) -> set[str]:
    """The names a URL built from this request gives the server: its Host header, else its
    address (what Starlette's ``URL(scope=...)`` uses)."""
    hosts = {value.decode("latin-1") for name, value in scope.get("headers", []) if name == b"host"}
    server = scope.get("server")
    if server:
        host, port = server
        hosts.add(host if port in (None, 80, 443) else f"{host}:{port}")
    return hosts
