"""Typed settings: environment variables override the defaults; CLI flags override both."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from search_api.errors import InvalidRequest

REPO_ROOT = Path(__file__).resolve().parents[1]


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


# Numeric settings: environment variable -> (type, smallest allowed value, what it is).
_NUMBERS: dict[str, tuple[type, float, str]] = {
    "POLICYKB_ES_TIMEOUT": (float, 0.0, "a number of seconds greater than 0"),
    "POLICYKB_ES_RETRIES": (int, 0, "a whole number of retries, 0 or more"),
    "POLICYKB_ES_SHARDS": (int, 1, "a whole number of primary shards, 1 or more"),
    "POLICYKB_ES_REPLICAS": (int, 0, "a whole number of replicas, 0 or more"),
    # The server's limits (README "Limits on the server"): what one request or client may cost.
    "POLICYKB_REQUEST_TIMEOUT_S": (float, 0.0, "a number of seconds greater than 0"),
    "POLICYKB_MAX_RESPONSE_BYTES": (int, 1, "a whole number of bytes, 1 or more"),
    "POLICYKB_MAX_CONNECTIONS": (int, 1, "a whole number of connections, 1 or more"),
    "POLICYKB_HEADER_TIMEOUT_S": (float, 0.0, "a number of seconds greater than 0"),
}


def _bad_number(variable: str, value: object) -> InvalidRequest:
    shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:39] + "…"
    return InvalidRequest(f"{variable} must be {_NUMBERS[variable][2]}, got {shown}")


def check_number(variable: str, value: object) -> float | int:
    """``value`` (text from the environment, or a number given in code) as the setting's
    type; :class:`InvalidRequest` naming ``variable`` when it is not one, or out of range."""
    kind, minimum, _ = _NUMBERS[variable]
    if isinstance(value, bool):
        raise _bad_number(variable, value)
    try:
        number = kind(value.strip()) if isinstance(value, str) else kind(value)
    except (TypeError, ValueError, OverflowError):
        raise _bad_number(variable, value) from None
    if kind is int and not isinstance(value, str) and number != value:
        raise _bad_number(variable, value)  # 2.5 retries
    if not math.isfinite(number) or number < minimum or (kind is float and number <= minimum):
        raise _bad_number(variable, value)
    return number


def _env_float(variable: str, default: float) -> float:
    raw = _env(variable)
    return default if raw is None else float(check_number(variable, raw))


def _env_int(variable: str, default: int) -> int:
    raw = _env(variable)
    return default if raw is None else int(check_number(variable, raw))


def _env_optional_int(variable: str) -> int | None:
    raw = _env(variable)
    return None if raw is None else int(check_number(variable, raw))


@dataclass(frozen=True)
class Settings:
    db_path: Path = field(default_factory=lambda: Path(_env("POLICYKB_DB") or REPO_ROOT / "data" / "index"))
    es_url: str | None = field(default_factory=lambda: _env("POLICYKB_ES_URL"))
    es_index: str = field(default_factory=lambda: _env("POLICYKB_ES_INDEX", "policykb") or "policykb")
    es_timeout_s: float = field(default_factory=lambda: _env_float("POLICYKB_ES_TIMEOUT", 10.0))
    # Connection to an Elasticsearch cluster (search_api/index/elasticsearch/connection.py;
    # docs/elasticsearch-cluster.md). Secrets come from the environment only, never a flag,
    # and stay out of repr().
    es_api_key: str | None = field(default_factory=lambda: _env("POLICYKB_ES_API_KEY"), repr=False)
    es_user: str | None = field(default_factory=lambda: _env("POLICYKB_ES_USER"))
    es_password: str | None = field(default_factory=lambda: _env("POLICYKB_ES_PASSWORD"), repr=False)
    es_ca_certs: str | None = field(default_factory=lambda: _env("POLICYKB_ES_CA_CERTS"))
    es_ssl_fingerprint: str | None = field(default_factory=lambda: _env("POLICYKB_ES_SSL_FINGERPRINT"))
    # Retries on connection errors; None: one per further node (0 for a single node).
    es_retries: int | None = field(default_factory=lambda: _env_optional_int("POLICYKB_ES_RETRIES"))
    # Shape of the indices a load builds: 1 shard, 0 replicas suit a single node.
    es_shards: int = field(default_factory=lambda: _env_int("POLICYKB_ES_SHARDS", 1))
    es_replicas: int = field(default_factory=lambda: _env_int("POLICYKB_ES_REPLICAS", 0))
    # The region whose texts and the nation's a search prefers at similar scores (a 地区
    # value: 北京, 上海, 广东 …); POLICYKB_HOME_REGION= (empty) prefers none.
    home_region: str = field(default_factory=lambda: os.environ.get("POLICYKB_HOME_REGION", "北京").strip())
    max_query_chars: int = 200
    max_page_size: int = 50
    max_result_window: int = 1000
    # A request's work past this many seconds ends in a 503 (search_api/search/budget.py).
    request_timeout_s: float = field(default_factory=lambda: _env_float("POLICYKB_REQUEST_TIMEOUT_S", 10.0))
    # A JSON or HTML body larger than this (before compression) is not sent: 503 instead.
    # 50 hits of the longest passages (~40,000 characters each) are about 6 MB of JSON.
    max_response_bytes: int = field(default_factory=lambda: _env_int("POLICYKB_MAX_RESPONSE_BYTES", 10_000_000))
    # Open client connections per server process; past it the longest-idle one is closed
    # (search_api/http/protocol.py). Also kept under the process's descriptor limit.
    max_connections: int = field(default_factory=lambda: _env_int("POLICYKB_MAX_CONNECTIONS", 1000))
    # A connection that has not sent a whole request head this long after connecting
    # (or after its last response, once it starts sending) is closed: slow or silent clients.
    header_timeout_s: float = field(default_factory=lambda: _env_float("POLICYKB_HEADER_TIMEOUT_S", 20.0))

    def __post_init__(self) -> None:
        # Values given in code (load_settings overrides, tests) obey the same ranges.
        check_number("POLICYKB_ES_TIMEOUT", self.es_timeout_s)
        if self.es_retries is not None:
            check_number("POLICYKB_ES_RETRIES", self.es_retries)
        check_number("POLICYKB_ES_SHARDS", self.es_shards)
        check_number("POLICYKB_ES_REPLICAS", self.es_replicas)
        check_number("POLICYKB_REQUEST_TIMEOUT_S", self.request_timeout_s)
        check_number("POLICYKB_MAX_RESPONSE_BYTES", self.max_response_bytes)
        check_number("POLICYKB_MAX_CONNECTIONS", self.max_connections)
        check_number("POLICYKB_HEADER_TIMEOUT_S", self.header_timeout_s)


def read_env_file(path: Path) -> dict[str, str]:
    """``NAME=value`` lines of a connection file (cluster.env); blank names or values skipped."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.partition("=")
        if sep and name.strip() and value.strip():
            values[name.strip()] = value.strip()
    return values


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit (non-None) overrides applied.

    An explicit ``db_path`` selects the embedded engine even when ``POLICYKB_ES_URL`` is
    set in the environment (the flag is the more specific choice); explicit ``db_path``
    and ``es_url`` together are contradictory and rejected.
    """
    base = Settings()
    clean = {k: v for k, v in overrides.items() if v is not None}
    if "db_path" in clean:
        if clean.get("es_url"):
            raise InvalidRequest("choose one engine: --db PATH (embedded) or --es URL (Elasticsearch), not both")
        clean["db_path"] = Path(str(clean["db_path"]))
        clean.setdefault("es_url", None)
    return replace(base, **clean)  # type: ignore[arg-type]
