"""One error shape for every failure: ``{"error": code, "message": one line}``.

API paths get JSON; web pages get the same message in an HTML page (the web package
registers its renderer on ``app.state.render_error``). Nothing ever returns a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from search_api.errors import EngineUnavailable, PolicyKBError

log = logging.getLogger("policykb.http")

JSON_PATHS = ("/api/", "/healthz", "/readyz", "/openapi.json")
HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 422: "invalid_request"}
RETRY_AFTER_S = "5"


class SafeJSONResponse(JSONResponse):
    """JSON whose bytes never contain ``<`` or ``>``: both are written as ``\\u003c``/``\\u003e``.

    The decoded data is unchanged (JSON puts them only inside strings), but a body that
    a browser mistakes for HTML can carry no tag (document text may hold ``<script>``).
    """

    def render(self, content: Any) -> bytes:
        # orjson: compact UTF-8 (a NaN would become null; scores and counts are finite), about
        # ten times faster than json.dumps on a page of hits with facets.
        body = orjson.dumps(content)
        return body.replace(b"<", b"\\u003c").replace(b">", b"\\u003e")


ErrorRenderer = Callable[[Request, int, dict[str, str]], Response]


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith(JSON_PATHS) or getattr(request.app.state, "render_error", None) is None


def error_response(
    request: Request, status: int, body: dict[str, str], headers: Mapping[str, str] | None = None
) -> Response:
    if _wants_json(request):
        return SafeJSONResponse(body, status_code=status, headers=dict(headers or {}))
    render: ErrorRenderer = request.app.state.render_error
    response = render(request, status, body)
    response.headers.update(headers or {})
    return response


def _field(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("query", "path", "body")]
    return ".".join(parts) or "request"


def validation_message(errors: Sequence[Any]) -> str:
    """``size: Input should be less than or equal to 50; sort: …`` from pydantic's errors."""
    lines = []
    for error in errors[:5]:
        lines.append(f"{_field(error.get('loc', ()))}: {error.get('msg', 'invalid value')}")
    return "invalid parameter " + "; ".join(lines)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(PolicyKBError)
    async def project_error(request: Request, exc: PolicyKBError) -> Response:
        headers = {"Retry-After": RETRY_AFTER_S} if isinstance(exc, EngineUnavailable) else None
        if exc.http_status >= 500:
            log.warning("%s %s -> %s: %s", request.method, request.url.path, exc.code, exc)
        return error_response(request, exc.http_status, exc.to_dict(), headers)

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 422, {"error": "invalid_request", "message": validation_message(exc.errors())})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = HTTP_CODES.get(exc.status_code, "http_error")
        return error_response(request, exc.status_code, {"error": code, "message": str(exc.detail)}, exc.headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        # The traceback goes to the server log only; the client learns nothing internal.
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        body = {"error": "internal_error", "message": "internal error; the server log has the details"}
        return error_response(request, 500, body)
