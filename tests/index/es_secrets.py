"""Secrets as Elasticsearch hands them out and the checks that none leaks, shared by the
connection tests (test_es_settings.py, test_es_connection.py)."""

from __future__ import annotations

import base64
import socket
from contextlib import closing
from typing import Any

from search_api.index.elasticsearch.connection import EsConnection
from search_api.settings import Settings

ES_VARIABLES = [
    "POLICYKB_ES_URL",
    "POLICYKB_ES_INDEX",
    "POLICYKB_ES_TIMEOUT",
    "POLICYKB_ES_API_KEY",
    "POLICYKB_ES_USER",
    "POLICYKB_ES_PASSWORD",
    "POLICYKB_ES_CA_CERTS",
    "POLICYKB_ES_SSL_FINGERPRINT",
    "POLICYKB_ES_RETRIES",
    "POLICYKB_ES_SHARDS",
    "POLICYKB_ES_REPLICAS",
]


# Secrets as Elasticsearch hands them out: the encoded key is base64 of "id:secret".
KEY_ID = "VuaCfGcBCdbkQm-e5aOx"


KEY_SECRET = "ui2lp2axTNmsyakw9tvNnw"


API_KEY = base64.b64encode(f"{KEY_ID}:{KEY_SECRET}".encode()).decode()


PASSWORD = "s3cret-Pa55word"


def conn_of(**settings: Any) -> EsConnection:
    return EsConnection.from_settings(Settings(**settings))


def secret_forms(*keys: str, password: str | None = None, user: str = "") -> list[str]:
    """Every text form of these secrets that must never show: key, decoded key, key secret."""
    forms: list[str] = []
    for key in keys:
        forms.append(key)
        try:
            decoded = base64.b64decode(key).decode()
        except ValueError:
            decoded = key
        forms += [decoded, decoded.partition(":")[2]]
    if password:
        forms += [password, base64.b64encode(f"{user}:{password}".encode()).decode()]
    return [f for f in forms if f]


def error_texts(exc: BaseException) -> str:
    """Everything an exception can print: str and repr of it and of its cause chain."""
    parts: list[str] = []
    seen: BaseException | None = exc
    while seen is not None:
        parts += [str(seen), repr(seen), *(repr(e) for e in getattr(seen, "errors", ()))]
        seen = seen.__cause__ or seen.__context__
    return "\n".join(parts)


def assert_no_secret(text: str, secrets: list[str]) -> None:
    for secret in secrets:
        assert secret not in text, f"a secret ({secret[:3]}…) leaked into: {text[:300]}"


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
