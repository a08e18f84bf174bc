"""The connection to Elasticsearch as operators configure it: nodes, credentials, TLS.

    conn = EsConnection.from_settings(load_settings())   # InvalidRequest on bad settings
    es = make_client(conn)
    with translate_errors(conn):                          # the project's one-line errors
        es.cluster.health()

Settings (environment only for secrets, see ``docs/elasticsearch-cluster.md``):
``POLICYKB_ES_URL`` (or ``--es``) lists one or more node URLs separated by commas;
``POLICYKB_ES_API_KEY`` or ``POLICYKB_ES_USER`` + ``POLICYKB_ES_PASSWORD`` authenticate;
``POLICYKB_ES_CA_CERTS`` (a PEM file) or ``POLICYKB_ES_SSL_FINGERPRINT`` (SHA-256 of the
node certificate) make an ``https://`` node trusted; ``POLICYKB_ES_TIMEOUT`` bounds each
request and ``POLICYKB_ES_RETRIES`` the retries on connection errors (default: one per
further node, so a request tries every node once; never on timeouts, which would
multiply the time a caller waits).

Secrets (API key, password) appear in no repr, :meth:`EsConnection.describe`, log line
or error message of this module: every message goes through :meth:`EsConnection.scrub`.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from elastic_transport import ConnectionTimeout, TlsError, TransportError
from elasticsearch import ApiError, Elasticsearch, UnsupportedProductError
from elasticsearch.helpers import ScanError
from elasticsearch.serializer import OrjsonSerializer

from search_api.errors import EngineAuthError, EngineUnavailable, InvalidRequest, PolicyKBError
from search_api.settings import Settings

__all__ = [
    "EsConnection",
    "api_error",
    "api_reason",
    "make_client",
    "one_line",
    "parse_urls",
    "translate_errors",
    "transport_cause",
]

_URL_SOURCE = "--es / POLICYKB_ES_URL"
_FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")
_MASK = "***"


# ---------------------------------------------------------------------- settings


def parse_urls(text: str | None) -> tuple[str, ...]:
    """Node URLs of ``--es`` / ``POLICYKB_ES_URL``: comma-separated, whitespace and
    trailing slashes dropped; :class:`InvalidRequest` for anything that is not an
    ``http(s)://host:port`` URL. Credentials in a URL are refused (they would show in
    process lists, shell history and logs) without echoing them."""
    urls = tuple(part.strip().rstrip("/") for part in (text or "").split(",") if part.strip().rstrip("/"))
    if not urls:
        raise InvalidRequest(f"no Elasticsearch URL: set {_URL_SOURCE} (e.g. https://127.0.0.1:9200)")
    for url in urls:
        parts = urlsplit(url)
        if "@" in parts.netloc:
            raise InvalidRequest(
                f"an Elasticsearch URL in {_URL_SOURCE} holds credentials: put them in POLICYKB_ES_API_KEY, "
                "or POLICYKB_ES_USER and POLICYKB_ES_PASSWORD (environment only)"
            )
        shown = one_line(url, 80)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidRequest(f"{shown!r} in {_URL_SOURCE} is not a URL like https://127.0.0.1:9200")
        try:
            port = parts.port
        except ValueError:
            raise InvalidRequest(f"{shown!r} in {_URL_SOURCE} has an invalid port") from None
        if port is None and parts.scheme == "http":
            raise InvalidRequest(f"{shown!r} in {_URL_SOURCE} needs a port (e.g. http://{parts.hostname}:9200)")
        if parts.query or parts.fragment:
            raise InvalidRequest(f"{shown!r} in {_URL_SOURCE}: no query or fragment allowed")
    if len({urlsplit(url).scheme for url in urls}) > 1:
        raise InvalidRequest(f"the URLs in {_URL_SOURCE} mix http:// and https://: use one scheme for all nodes")
    return urls


def _normal_fingerprint(value: str) -> str:
    digits = value.strip().replace(":", "").lower()
    if not _FINGERPRINT.match(digits):
        raise InvalidRequest(
            "POLICYKB_ES_SSL_FINGERPRINT must be the SHA-256 fingerprint of the node certificate "
            "(64 hex digits, colons allowed)"
        )
    return digits


@dataclass(frozen=True, repr=False)
class EsConnection:
    """Where and how to reach Elasticsearch; secrets never leave through repr or messages."""

    urls: tuple[str, ...]
    api_key: str | None = None
    user: str | None = None
    password: str | None = None
    ca_certs: str | None = None
    fingerprint: str | None = None
    timeout_s: float = 10.0
    retries: int = 0

    def __post_init__(self) -> None:
        if not self.urls:
            raise InvalidRequest(f"no Elasticsearch URL: set {_URL_SOURCE}")
        if self.api_key and (self.user or self.password):
            raise InvalidRequest(
                "set POLICYKB_ES_API_KEY or POLICYKB_ES_USER and POLICYKB_ES_PASSWORD, not both kinds of credentials"
            )
        if bool(self.user) != bool(self.password):
            missing = "POLICYKB_ES_PASSWORD" if self.user else "POLICYKB_ES_USER"
            raise InvalidRequest(f"POLICYKB_ES_USER and POLICYKB_ES_PASSWORD go together: {missing} is not set")
        if self.ca_certs and self.fingerprint:
            raise InvalidRequest("set POLICYKB_ES_CA_CERTS or POLICYKB_ES_SSL_FINGERPRINT, not both")
        if (self.ca_certs or self.fingerprint) and not self.tls:
            which = "POLICYKB_ES_CA_CERTS" if self.ca_certs else "POLICYKB_ES_SSL_FINGERPRINT"
            raise InvalidRequest(f"{which} is set but the URLs in {_URL_SOURCE} are http://: use https://")
        if self.timeout_s <= 0 or self.retries < 0:
            raise InvalidRequest("the Elasticsearch timeout must be > 0 and the retries >= 0")

    @classmethod
    def from_settings(cls, settings: Settings) -> EsConnection:
        """The connection ``settings`` describe; :class:`InvalidRequest` (one line, naming
        the variable) for a bad URL list, half a credential pair, a missing CA file, ..."""
        urls = parse_urls(settings.es_url)
        ca_certs = settings.es_ca_certs
        if ca_certs is not None:
            path = Path(ca_certs).expanduser()
            if not path.is_file():
                raise InvalidRequest(f"POLICYKB_ES_CA_CERTS: no such file: {one_line(str(path), 160)}")
            ca_certs = str(path)
        fingerprint = None if settings.es_ssl_fingerprint is None else _normal_fingerprint(settings.es_ssl_fingerprint)
        retries = settings.es_retries if settings.es_retries is not None else len(urls) - 1
        return cls(
            urls=urls,
            api_key=settings.es_api_key.strip() if settings.es_api_key else None,
            user=settings.es_user,
            password=settings.es_password,
            ca_certs=ca_certs,
            fingerprint=fingerprint,
            timeout_s=float(settings.es_timeout_s),
            retries=retries,
        )

    # ------------------------------------------------------------------ showing

    @property
    def tls(self) -> bool:
        return self.urls[0].startswith("https://")

    @property
    def where(self) -> str:
        """The nodes in a few words, for messages: the first URL, and how many more."""
        more = len(self.urls) - 1
        return self.urls[0] if not more else f"{self.urls[0]} (+{more} more)"

    @property
    def auth(self) -> str:
        if self.api_key:
            return "api key auth"
        if self.user:
            return f"basic auth as {self.user}"
        return "no auth"

    def describe(self) -> str:
        """One line for logs, ``stats`` and ``/readyz``; names no secret."""
        if not self.tls:
            tls = "no TLS"
        elif self.fingerprint:
            tls = "TLS with certificate fingerprint"
        elif self.ca_certs:
            tls = "TLS with CA file"
        else:
            tls = "TLS with default CAs"
        return self.scrub(f"{self.where}, {self.auth}, {tls}")

    def __repr__(self) -> str:
        def secret(value: str | None) -> str:
            return "None" if value is None else "<set>"

        return self.scrub(
            f"EsConnection(urls={self.urls!r}, api_key={secret(self.api_key)}, user={self.user!r}, "
            f"password={secret(self.password)}, ca_certs={self.ca_certs!r}, fingerprint={self.fingerprint!r}, "
            f"timeout_s={self.timeout_s!r}, retries={self.retries!r})"
        )

    __str__ = __repr__

    def secrets(self) -> list[str]:
        """Every form in which a secret of this connection could show up in a text."""
        found: list[str] = []
        if self.api_key:
            found.append(self.api_key)
            try:
                decoded = base64.b64decode(self.api_key, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                decoded = ""
            # id:secret (the encoded key's content, or the key given that way): the id is
            # public (Elasticsearch names it in 403s), the part after the colon is not.
            pair = decoded or self.api_key
            _, _, key_secret = pair.partition(":")
            found += [decoded, key_secret, base64.b64encode(pair.encode()).decode("ascii")]
        if self.password:
            found.append(self.password)
            user_pair = f"{self.user or ''}:{self.password}".encode()
            found.append(base64.b64encode(user_pair).decode("ascii"))
        # Longest first, so that a secret containing another is masked whole.
        return sorted({s for s in found if len(s) >= 4}, key=len, reverse=True)

    def scrub(self, text: str) -> str:
        """``text`` with any secret of this connection masked."""
        for secret in self.secrets():
            text = text.replace(secret, _MASK)
        return text


def _client_api_key(api_key: str) -> str | tuple[str, str]:
    """The key as the client takes it: the encoded form as is, or ``id:secret`` as a pair."""
    key_id, colon, key_secret = api_key.partition(":")
    return (key_id, key_secret) if colon else api_key


# The JSON the client sends and reads: plain, and the compatibility mode it asks for.
_JSON_MIMETYPES = ("application/json", "application/vnd.elasticsearch+json")


def make_client(conn: EsConnection) -> Elasticsearch:
    """A client on ``conn``: its timeout per request, ``retries`` on connection errors
    (other nodes first), none on timeouts, and its credentials and TLS trust."""
    options: dict[str, Any] = {
        "request_timeout": conn.timeout_s,
        "max_retries": conn.retries,
        "retry_on_timeout": False,
        # orjson instead of the standard library's json (bodies and answers): a document
        # page 0.6-0.8 ms faster at p50 in one process on the regulations index.
        "serializers": {mimetype: OrjsonSerializer() for mimetype in _JSON_MIMETYPES},
    }
    if conn.api_key:
        options["api_key"] = _client_api_key(conn.api_key)
    elif conn.user and conn.password:
        options["basic_auth"] = (conn.user, conn.password)
    if conn.fingerprint:
        options["ssl_assert_fingerprint"] = conn.fingerprint
    elif conn.ca_certs:
        options["ca_certs"] = conn.ca_certs
    try:
        return Elasticsearch(list(conn.urls), **options)
    except ValueError as exc:  # the client's own checks of URLs and TLS options
        raise InvalidRequest(
            conn.scrub(f"Elasticsearch settings rejected by the client: {one_line(str(exc))}")
        ) from None


# ---------------------------------------------------------------------- errors


def one_line(text: str, limit: int = 200) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _texts(exc: BaseException) -> list[str]:
    """The messages of ``exc``, of the errors it carries and of its cause chain."""
    texts = [str(exc.message)] if isinstance(exc, TransportError) else []
    cause: BaseException | None = exc
    while cause is not None and len(texts) < 10:
        texts.append(str(cause))
        texts.extend(str(e) for e in getattr(cause, "errors", ())[:3])
        cause = cause.__cause__ or cause.__context__
    return texts


def _tls_cause(conn: EsConnection, text: str) -> str | None:
    """The TLS failure in ``text`` in a few words, with the setting that fixes it."""
    lower = text.lower()
    if "fingerprints did not match" in lower:
        return "TLS certificate fingerprint does not match POLICYKB_ES_SSL_FINGERPRINT"
    if "wrong version number" in lower or "record layer failure" in lower:
        return "the node does not speak TLS (use http://)"
    if "certificate has expired" in lower:
        return "TLS certificate expired"
    if "hostname mismatch" in lower or "ip address mismatch" in lower:
        return "TLS certificate is not valid for this host name (connect by a name or IP the certificate lists)"
    if "certificate_verify_failed" in lower or "certificate verify failed" in lower:
        if conn.ca_certs:
            return f"TLS certificate not trusted by POLICYKB_ES_CA_CERTS ({one_line(conn.ca_certs, 120)})"
        return "TLS certificate not trusted (set POLICYKB_ES_CA_CERTS)"
    return None


def transport_cause(exc: TransportError, timeout_s: float, conn: EsConnection | None = None) -> str:
    """The root cause of a transport failure in a few words (no urllib3 object dumps).

    Without ``conn`` this is exactly what ``engine._cause`` says today; with it, TLS
    failures are named too (certificate not trusted, fingerprint, plain-HTTP node)."""
    if isinstance(exc, ConnectionTimeout):
        return f"no answer within {timeout_s:g}s"
    # str(exc) is just "Connection error"; the reason sits in .message and the cause chain.
    texts = _texts(exc)
    if conn is not None and isinstance(exc, TlsError):
        for text in texts:
            tls = _tls_cause(conn, text)
            if tls:
                return tls
    for text in texts:
        errno = re.search(r"\[Errno -?\d+\] ([^)\]'\"]+)", text)
        if errno:
            return errno.group(1).strip().lower()
    if conn is not None and any("remote end closed connection" in t.lower() for t in texts):
        hint = " (is it an https:// node?)" if not conn.tls else ""
        return f"connection closed without an answer{hint}"
    return one_line(texts[0])


def api_reason(exc: ApiError, limit: int = 200) -> str:
    """``type: reason`` of the first root cause of an error answer (``engine._api_reason``)."""
    info = exc.info if isinstance(exc.info, dict) else {}
    error = info.get("error", {})
    if isinstance(error, dict):
        causes = error.get("root_cause") or [error]
        return one_line(f"{causes[0].get('type', '')}: {causes[0].get('reason', '')}", limit)
    return one_line(str(exc.message), limit)


def _error_type(exc: ApiError) -> str:
    info = exc.info if isinstance(exc.info, dict) else {}
    error = info.get("error")
    return str(error.get("type", "")) if isinstance(error, dict) else ""


def api_error(conn: EsConnection, exc: ApiError) -> PolicyKBError:
    """The project's error for an error answer of Elasticsearch (secrets masked)."""
    status = exc.meta.status
    where = conn.where
    if isinstance(exc, UnsupportedProductError):
        return EngineUnavailable(
            conn.scrub(f"Elasticsearch at {where} unreachable: the server there is not Elasticsearch")
        )
    if status == 401:
        if conn.api_key:
            check = "check POLICYKB_ES_API_KEY"
        elif conn.user:
            check = "check POLICYKB_ES_USER and POLICYKB_ES_PASSWORD"
        else:
            check = "set POLICYKB_ES_API_KEY, or POLICYKB_ES_USER and POLICYKB_ES_PASSWORD"
        return EngineAuthError(conn.scrub(f"Elasticsearch at {where} rejected the credentials (401): {check}"))
    if status == 403 and _error_type(exc) == "security_exception":
        reason = api_reason(exc, 400).removeprefix("security_exception: ")
        who = "API key" if conn.api_key else f"user {conn.user}" if conn.user else "anonymous user"
        return EngineAuthError(conn.scrub(f"Elasticsearch at {where}: the {who} lacks a privilege (403): {reason}"))
    if status >= 500 or status == 429:
        return EngineUnavailable(conn.scrub(f"Elasticsearch at {where} failed: {status} {api_reason(exc)}"))
    return PolicyKBError(conn.scrub(f"Elasticsearch at {where} refused a request: {status} {api_reason(exc)}"))


@contextmanager
def translate_errors(conn: EsConnection) -> Iterator[None]:
    """Translate client exceptions into the project's one-line errors.

    Unreachable nodes, TLS failures and timeouts → :class:`EngineUnavailable`; 401 and
    403 (missing privilege) → :class:`EngineAuthError`; 5xx and 429 →
    :class:`EngineUnavailable`; other refusals → :class:`PolicyKBError`. The client's
    exception stays the ``__cause__``; secrets are masked in every message.
    """
    try:
        yield
    except TransportError as exc:
        cause = transport_cause(exc, conn.timeout_s, conn)
        raise EngineUnavailable(conn.scrub(f"Elasticsearch at {conn.where} unreachable: {cause}")) from exc
    except ApiError as exc:
        raise api_error(conn, exc) from exc
    except ScanError as exc:
        raise EngineUnavailable(
            conn.scrub(f"Elasticsearch at {conn.where} failed while copying: {one_line(str(exc))}")
        ) from exc
