"""One error shape for every failure: ``{"error": code, "message": one line}``.

API paths get JSON; web pages get the same message in an HTML page (the web package
registers its renderer on ``app.state.render_error``). Nothing ever returns a traceback,
and no server error (5xx) names a local path: the index folder, a segment file or the
engine's source file become ``…/name``. The only server error status is 503: the engine
unreachable or failing (a corrupted index makes tantivy raise, or panic), a request past
its time budget, a response past its size cap, or an error of our own.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from search_api.errors import EngineUnavailable, PolicyKBError
from search_api.http.params import REPEATED

log = logging.getLogger("policykb.http")

JSON_PATHS = ("/api/", "/healthz", "/readyz", "/openapi.json")
HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 422: "invalid_request"}
HTTP_CHINESE = {404: "没有这个地址", 405: "此地址不接受这种请求方法"}
# pydantic's error types as the rule the value broke ({le}, {max_length}: its ctx).
_CHINESE_RULES = {
    "less_than_equal": "应不大于{le}",
    "greater_than_equal": "应不小于{ge}",
    "less_than": "应小于{lt}",
    "greater_than": "应大于{gt}",
    "string_too_long": "最多{max_length}字",
    "string_too_short": "至少{min_length}字",
    "too_long": "最多{max_length}项",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为 1（是）或 0（否）",
    "literal_error": "应为以下之一：{expected}",
    "enum": "应为以下之一：{expected}",
    "missing": "必须填写",
    "string_pattern_mismatch": "格式不对",
    "date_from_datetime_parsing": "应为日期，如 2023-05-01",
    "date_parsing": "应为日期，如 2023-05-01",
    "extra_forbidden": "不是本接口的参数",
    "multiple_of": "应为{multiple_of}的整数倍，且与 page 一致",
}
RETRY_AFTER_S = "5"
# An absolute POSIX path, not the path of a URL (http://host:9200/index keeps its path);
# quoted, it may hold spaces.
_QUOTED_PATH = re.compile(r"(['\"])/(?:[^'\"\n]*/)?([^'\"\n/]*)\1")
_LOCAL_PATH = re.compile(r"(?<![\w.:/~…-])/(?:[^\s'\"`<>:;,()\[\]{}|/]+/)*([^\s'\"`<>:;,()\[\]{}|/]*)")
_ENGINE_CODE = str(Path(__file__).resolve().parents[1] / "index")  # search_api/index: the engines
INTERNAL_MESSAGE = "内部错误，请稍后再试 internal error; the server log has the details"
# What uvicorn's request parser rejects (search_api/http/protocol.py sends it).
PROTOCOL_MESSAGE = (
    "请求无法解析：请求行或请求头格式错误，网址中的中文须按UTF-8百分号编码 "
    "invalid HTTP request: malformed request line or headers (percent-encode non-ASCII characters in the URL)"
)


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


def without_paths(text: str) -> str:
    """``text`` with each absolute local path cut to its last part (``…/segment.idx``)."""
    text = _QUOTED_PATH.sub(lambda m: f"{m.group(1)}…/{m.group(2)}{m.group(1)}", text)
    return _LOCAL_PATH.sub(lambda m: "…/" + m.group(1), text)


def error_response(
    request: Request, status: int, body: dict[str, str], headers: Mapping[str, str] | None = None
) -> Response:
    if status >= 500:
        body = {**body, "message": without_paths(body.get("message", ""))}
    if _wants_json(request):
        return SafeJSONResponse(body, status_code=status, headers=dict(headers or {}))
    render: ErrorRenderer = request.app.state.render_error
    response = render(request, status, body)
    response.headers.update(headers or {})
    return response


def _field(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("query", "path", "body")]
    return ".".join(parts) or "request"


def _chinese(error: Mapping[str, Any]) -> str:
    """What pydantic's error asks of the value, in Chinese (its English follows it)."""
    if error.get("msg") == REPEATED:
        return "只能给一次"
    template = _CHINESE_RULES.get(str(error.get("type", "")), "取值无效")
    try:
        said = template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return "取值无效"
    return said.replace("' or '", "'、'")  # pydantic's list of choices: 'relevance' or 'date'


def validation_message(errors: Sequence[Any]) -> str:
    """``参数无效：size 应不大于50 invalid parameter size: Input should be …`` from
    pydantic's errors: Chinese for the user, the English for the developer."""
    chinese = "；".join(f"{_field(e.get('loc', ()))} {_chinese(e)}" for e in errors[:5])
    english = "; ".join(f"{_field(e.get('loc', ()))}: {e.get('msg', 'invalid value')}" for e in errors[:5])
    return f"参数无效：{chinese} invalid parameter {english}"


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
        message = f"{HTTP_CHINESE.get(exc.status_code, '')} {exc.detail}".strip()
        return error_response(request, exc.status_code, {"error": code, "message": message}, exc.headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        # Errors of the app itself are answered by RequestGuard (search_api/http/middleware.py);
        # this one answers for the middlewares around it.
        return fault_response(request, exc)


def engine_fault(exc: BaseException) -> bool:
    """Whether ``exc`` is a panic of tantivy's Rust code (pyo3's ``PanicException``, a
    BaseException), or an error tantivy raises (ValueError, OSError) from inside an engine
    (its traceback passes through search_api/index). A bug of ours there (AttributeError,
    KeyError, ...) is an internal error, whose message says nothing."""
    if type(exc).__name__ == "PanicException":
        return True
    if not isinstance(exc, (ValueError, OSError)):
        return False
    trace: TracebackType | None = exc.__traceback__
    while trace is not None:
        if os.path.realpath(trace.tb_frame.f_code.co_filename).startswith(_ENGINE_CODE):
            return True
        trace = trace.tb_next
    return False


def fault_response(request: Request, exc: BaseException) -> Response:
    """503 for an error nobody planned for: the engine's (naming its cause, without local
    paths) or our own (naming nothing). The traceback goes to the server log only."""
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    if engine_fault(exc):
        cause = " ".join(str(exc).split())[:300] or type(exc).__name__
        body = {"error": "engine_error", "message": f"搜索引擎出错，请稍后再试 the search engine failed: {cause}"}
    else:
        body = {"error": "internal_error", "message": INTERNAL_MESSAGE}
    return error_response(request, 503, body, {"Retry-After": RETRY_AFTER_S})


def protocol_error_body() -> bytes:
    """The JSON body of a request the HTTP parser rejected (the one error shape)."""
    return bytes(SafeJSONResponse({"error": "bad_request", "message": PROTOCOL_MESSAGE}).body)
