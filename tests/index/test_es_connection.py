"""The Elasticsearch connection as operators configure it (search_api/index/elasticsearch/connection.py).

Settings parsing, one-line errors for bad values, describe()/repr without secrets, and
the translation of client errors: with mocks of the transport's exceptions, with the
real client against a port where nothing listens and against the insecure node
(``es_url``), and against a secure cluster (TLS + credentials) when one is available:

    ES_PORT=9700 POLICYKB_ES_BASE=/var/lib/policykb-es-conn scripts/elasticsearch.sh start --nodes 3 --secure
    POLICYKB_ES_SECURE_ENV=/var/lib/policykb-es-conn/cluster.env .venv/bin/python -m pytest tests/index

``POLICYKB_ES_SECURE_ENV`` names a file of ``NAME=value`` lines as that script writes
them: ``POLICYKB_ES_URL`` (https), ``POLICYKB_ES_CA_CERTS`` and either
``POLICYKB_ES_API_KEY`` or ``POLICYKB_ES_USER`` + ``POLICYKB_ES_PASSWORD``, for
credentials limited to ``policykb*`` indices; without it the secure tests are skipped
with a one-line reason.
"""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import ssl
import subprocess
import sys
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from elastic_transport import ApiResponseMeta, ConnectionError, ConnectionTimeout, HttpHeaders, NodeConfig, TlsError
from elasticsearch import ApiError, AuthenticationException, AuthorizationException, UnsupportedProductError
from elasticsearch.helpers import ScanError

from search_api.errors import EngineAuthError, EngineUnavailable, InvalidRequest, PolicyKBError
from search_api.index.elasticsearch.connection import EsConnection, make_client, parse_urls, translate_errors
from search_api.settings import Settings, load_settings, read_env_file
from tests.conftest import REPO

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


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A clean environment as far as the Elasticsearch settings go."""
    for name in ES_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


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


# ---------------------------------------------------------------------- settings


def test_several_urls_whitespace_and_trailing_slashes(env: pytest.MonkeyPatch) -> None:
    env.setenv("POLICYKB_ES_URL", " https://10.0.0.1:9200/ ,https://10.0.0.2:9200// ,, https://es3.internal:9200/es/ ,")
    conn = EsConnection.from_settings(load_settings())
    assert conn.urls == ("https://10.0.0.1:9200", "https://10.0.0.2:9200", "https://es3.internal:9200/es")
    assert conn.retries == 2  # one per further node: a request tries each node once
    assert conn.timeout_s == 10.0
    assert conn.where == "https://10.0.0.1:9200 (+2 more)"


def test_the_flag_overrides_the_environment(env: pytest.MonkeyPatch) -> None:
    env.setenv("POLICYKB_ES_URL", "http://127.0.0.1:9200")
    conn = EsConnection.from_settings(load_settings(es_url="http://127.0.0.1:9201/"))
    assert conn.urls == ("http://127.0.0.1:9201",)
    assert conn.retries == 0  # a single node: fail fast, as before


def test_numeric_settings_from_the_environment(env: pytest.MonkeyPatch) -> None:
    defaults = load_settings()
    assert (defaults.es_timeout_s, defaults.es_retries, defaults.es_shards, defaults.es_replicas) == (10.0, None, 1, 0)
    env.setenv("POLICYKB_ES_TIMEOUT", " 2.5 ")
    env.setenv("POLICYKB_ES_RETRIES", "4")
    env.setenv("POLICYKB_ES_SHARDS", "3")
    env.setenv("POLICYKB_ES_REPLICAS", "1")
    settings = load_settings(es_url="http://a:9200,http://b:9200")
    assert (settings.es_timeout_s, settings.es_retries, settings.es_shards, settings.es_replicas) == (2.5, 4, 3, 1)
    assert EsConnection.from_settings(settings).retries == 4  # explicit wins over one per node


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("POLICYKB_ES_TIMEOUT", "abc"),
        ("POLICYKB_ES_TIMEOUT", "0"),
        ("POLICYKB_ES_TIMEOUT", "-1"),
        ("POLICYKB_ES_TIMEOUT", "nan"),
        ("POLICYKB_ES_TIMEOUT", "inf"),
        ("POLICYKB_ES_RETRIES", "x"),
        ("POLICYKB_ES_RETRIES", "1.5"),
        ("POLICYKB_ES_RETRIES", "-1"),
        ("POLICYKB_ES_SHARDS", "0"),
        ("POLICYKB_ES_SHARDS", "three"),
        ("POLICYKB_ES_REPLICAS", "-1"),
        ("POLICYKB_ES_REPLICAS", "1e3"),
    ],
)
def test_invalid_numbers_give_one_line_naming_the_variable(env: pytest.MonkeyPatch, variable: str, value: str) -> None:
    env.setenv(variable, value)
    with pytest.raises(InvalidRequest) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(f"{variable} must be ") and "\n" not in message
    assert repr(value) in message


def test_invalid_numbers_given_in_code_are_refused_too(env: pytest.MonkeyPatch) -> None:
    with pytest.raises(InvalidRequest, match=r"^POLICYKB_ES_TIMEOUT must be"):
        load_settings(es_timeout_s=0)
    with pytest.raises(InvalidRequest, match=r"^POLICYKB_ES_RETRIES must be"):
        load_settings(es_retries=2.5)


def test_cli_reports_a_bad_number_in_one_line_and_help_still_works(env: pytest.MonkeyPatch) -> None:
    run_env = {**os.environ, "POLICYKB_ES_TIMEOUT": "abc"}
    cli = [sys.executable, "-m", "search_api.cli"]
    done = subprocess.run([*cli, "stats", "--es", "http://127.0.0.1:9"], env=run_env, capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "错误 error: POLICYKB_ES_TIMEOUT must be a number of seconds greater than 0, got 'abc'"
    ]
    helped = subprocess.run([*cli, "--help"], env=run_env, capture_output=True, text=True, cwd=REPO)
    assert helped.returncode == 0 and "Traceback" not in helped.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "no Elasticsearch URL"),
        (" , ", "no Elasticsearch URL"),
        ("127.0.0.1:9200", "is not a URL like https://"),
        ("ftp://127.0.0.1:9200", "is not a URL like https://"),
        ("http://127.0.0.1", "needs a port"),
        ("http://127.0.0.1:99999", "invalid port"),
        ("http://127.0.0.1:9200?x=1", "no query or fragment"),
        ("http://127.0.0.1:9200,https://127.0.0.1:9201", "mix http:// and https://"),
    ],
)
def test_invalid_urls(value: str, expected: str) -> None:
    with pytest.raises(InvalidRequest, match=expected) as caught:
        parse_urls(value)
    assert "\n" not in str(caught.value)


def test_credentials_in_a_url_are_refused_without_echoing_them() -> None:
    with pytest.raises(InvalidRequest, match="holds credentials") as caught:
        parse_urls(f"https://10.0.0.1:9200,https://elastic:{PASSWORD}@10.0.0.2:9200")
    assert PASSWORD not in str(caught.value)


def test_inconsistent_credentials_and_tls_settings(tmp_path: Path) -> None:
    ca = tmp_path / "ca.crt"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    https = "https://127.0.0.1:9200"
    cases: list[tuple[dict[str, Any], str]] = [
        ({"es_user": "elastic"}, "POLICYKB_ES_PASSWORD is not set"),
        ({"es_password": PASSWORD}, "POLICYKB_ES_USER is not set"),
        ({"es_api_key": API_KEY, "es_user": "elastic", "es_password": PASSWORD}, "not both kinds of credentials"),
        ({"es_ca_certs": str(ca), "es_ssl_fingerprint": "ab" * 32}, "not both"),
        ({"es_ca_certs": str(tmp_path / "missing.crt")}, "POLICYKB_ES_CA_CERTS: no such file"),
        ({"es_ssl_fingerprint": "12:34"}, "POLICYKB_ES_SSL_FINGERPRINT must be the SHA-256"),
        ({"es_url": "http://127.0.0.1:9200", "es_ca_certs": str(ca)}, "POLICYKB_ES_CA_CERTS is set but"),
    ]
    for settings, expected in cases:
        with pytest.raises(InvalidRequest, match=expected) as caught:
            conn_of(**{"es_url": https, **settings})
        assert_no_secret(str(caught.value), secret_forms(API_KEY, password=PASSWORD, user="elastic"))
    fingerprint = ":".join(["AB"] * 32)
    assert conn_of(es_url=https, es_ssl_fingerprint=fingerprint).fingerprint == "ab" * 32


# ---------------------------------------------------------------------- describe, repr


def test_describe_names_nodes_auth_and_tls_only(tmp_path: Path) -> None:
    ca = tmp_path / "ca.crt"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    three = "https://127.0.0.1:9200,https://127.0.0.1:9201,https://127.0.0.1:9202"
    assert (
        conn_of(es_url=three, es_api_key=API_KEY, es_ca_certs=str(ca)).describe()
        == "https://127.0.0.1:9200 (+2 more), api key auth, TLS with CA file"
    )
    assert (
        conn_of(es_url="https://es:9200", es_user="policykb", es_password=PASSWORD, es_ssl_fingerprint="0f" * 32)
    ).describe() == "https://es:9200, basic auth as policykb, TLS with certificate fingerprint"
    assert conn_of(es_url="https://es:9200").describe() == "https://es:9200, no auth, TLS with default CAs"
    assert conn_of(es_url="http://127.0.0.1:9200").describe() == "http://127.0.0.1:9200, no auth, no TLS"


def test_no_secret_in_repr_describe_or_settings(env: pytest.MonkeyPatch) -> None:
    env.setenv("POLICYKB_ES_URL", "https://127.0.0.1:9200")
    env.setenv("POLICYKB_ES_API_KEY", API_KEY)
    settings = load_settings()
    conn = EsConnection.from_settings(settings)
    shown = "\n".join([repr(conn), str(conn), conn.describe(), repr(settings), str(settings)])
    assert_no_secret(shown, secret_forms(API_KEY))
    assert "api_key=<set>" in repr(conn)

    env.delenv("POLICYKB_ES_API_KEY")
    env.setenv("POLICYKB_ES_USER", "policykb")
    env.setenv("POLICYKB_ES_PASSWORD", PASSWORD)
    settings = load_settings()
    conn = EsConnection.from_settings(settings)
    shown = "\n".join([repr(conn), str(conn), conn.describe(), repr(settings), str(settings)])
    assert_no_secret(shown, secret_forms(password=PASSWORD, user="policykb"))
    assert "password=<set>" in repr(conn) and "policykb" in conn.describe()


def test_scrub_masks_every_form_of_a_secret() -> None:
    for key in (API_KEY, f"{KEY_ID}:{KEY_SECRET}", f"  {API_KEY}\n"):
        conn = conn_of(es_url="https://es:9200", es_api_key=key)
        text = f"header ApiKey {API_KEY}; pair {KEY_ID}:{KEY_SECRET}; secret {KEY_SECRET}; id {KEY_ID}"
        scrubbed = conn.scrub(text)
        assert_no_secret(scrubbed, secret_forms(API_KEY))
        assert f"id {KEY_ID}" in scrubbed  # the key id is public: Elasticsearch names it in 403s
    basic = conn_of(es_url="https://es:9200", es_user="policykb", es_password=PASSWORD)
    header = base64.b64encode(f"policykb:{PASSWORD}".encode()).decode()
    assert basic.scrub(f"Basic {header} / {PASSWORD}") == "Basic *** / ***"


def test_make_client_passes_the_options() -> None:
    conn = EsConnection(
        urls=("https://127.0.0.1:9200", "https://127.0.0.1:9201"),
        api_key=API_KEY,
        fingerprint="ab" * 32,
        timeout_s=3,
        retries=1,
    )
    es = make_client(conn)
    try:
        assert es._headers["authorization"] == f"ApiKey {API_KEY}"
        assert es._max_retries == 1 and es._retry_on_timeout is False and es._request_timeout == 3
        nodes = sorted(n.config.port for n in es.transport.node_pool.all())
        assert nodes == [9200, 9201]
        assert all(n.config.ssl_assert_fingerprint == "ab" * 32 for n in es.transport.node_pool.all())
    finally:
        es.close()
    # An "id:secret" key is accepted too (sent encoded).
    es = make_client(EsConnection(urls=("http://127.0.0.1:9200",), api_key=f"{KEY_ID}:{KEY_SECRET}"))
    try:
        assert es._headers["authorization"] == f"ApiKey {API_KEY}"
    finally:
        es.close()


# ---------------------------------------------------------------------- error translation (mocks)

ONE = EsConnection(urls=("http://127.0.0.1:9200",), api_key=API_KEY, timeout_s=2)


def api_error(cls: type[ApiError], status: int, body: Any) -> ApiError:
    node = NodeConfig("http", "127.0.0.1", 9200)
    meta = ApiResponseMeta(status=status, http_version="1.1", headers=HttpHeaders(), duration=0.01, node=node)
    return cls(message="error", meta=meta, body=body)


def security_403(reason: str) -> dict[str, Any]:
    cause = {"type": "security_exception", "reason": reason}
    return {"error": {"root_cause": [cause], **cause}, "status": 403}


def translated(conn: EsConnection, exc: BaseException) -> PolicyKBError:
    with pytest.raises(PolicyKBError) as caught, translate_errors(conn):
        raise exc
    assert "\n" not in str(caught.value)
    return caught.value


def test_401_names_the_variable_to_check() -> None:
    body = {"error": {"type": "security_exception", "reason": "unable to authenticate with provided credentials"}}
    error = translated(ONE, api_error(AuthenticationException, 401, body))
    assert type(error) is EngineAuthError and isinstance(error, EngineUnavailable)
    assert (
        str(error) == "Elasticsearch at http://127.0.0.1:9200 rejected the credentials (401): check POLICYKB_ES_API_KEY"
    )
    assert (error.code, error.http_status, error.exit_code) == ("engine_auth", 503, 2)
    user = EsConnection(urls=ONE.urls, user="policykb", password=PASSWORD)
    assert str(translated(user, api_error(AuthenticationException, 401, body))).endswith(
        "check POLICYKB_ES_USER and POLICYKB_ES_PASSWORD"
    )
    nobody = EsConnection(urls=ONE.urls)
    assert str(translated(nobody, api_error(AuthenticationException, 401, body))).endswith(
        "set POLICYKB_ES_API_KEY, or POLICYKB_ES_USER and POLICYKB_ES_PASSWORD"
    )


def test_403_names_the_missing_privilege_without_secrets() -> None:
    reason = (
        f"action [indices:admin/create] is unauthorized for API key id [{KEY_ID}] of user [policykb_admin] "
        "on indices [policykb-v1-20260101000000-abcdef], this action is granted by the index privileges "
        f"[create_index,manage,all] (key {API_KEY}, secret {KEY_SECRET})"
    )
    error = translated(ONE, api_error(AuthorizationException, 403, security_403(reason)))
    assert type(error) is EngineAuthError
    message = str(error)
    assert message.startswith(
        "Elasticsearch at http://127.0.0.1:9200: the API key lacks a privilege (403): action [indices:admin/create] "
        f"is unauthorized for API key id [{KEY_ID}] of user [policykb_admin] on indices [policykb-v1-"
    )
    assert "granted by the index privileges [create_index,manage,all]" in message
    assert_no_secret(message, secret_forms(API_KEY))


def test_other_answers_keep_the_engine_wording() -> None:
    block = {"error": {"root_cause": [{"type": "cluster_block_exception", "reason": "index [x] blocked"}]}}
    refused = translated(ONE, api_error(AuthorizationException, 403, block))
    assert type(refused) is PolicyKBError
    assert str(refused) == (
        "Elasticsearch at http://127.0.0.1:9200 refused a request: 403 cluster_block_exception: index [x] blocked"
    )
    busy = {"error": {"root_cause": [{"type": "es_rejected_execution_exception", "reason": "queue full"}]}}
    failed = translated(ONE, api_error(ApiError, 429, busy))
    assert type(failed) is EngineUnavailable
    assert (
        str(failed) == "Elasticsearch at http://127.0.0.1:9200 failed: 429 es_rejected_execution_exception: queue full"
    )
    other = translated(ONE, api_error(UnsupportedProductError, 200, {}))
    assert type(other) is EngineUnavailable and "is not Elasticsearch" in str(other)
    copy = translated(ONE, ScanError("scroll-id", "Scroll request has only succeeded on 1 (+0 skipped) shards"))
    assert str(copy).startswith("Elasticsearch at http://127.0.0.1:9200 failed while copying: Scroll request")


def test_transport_failures() -> None:
    timeout = translated(ONE, ConnectionTimeout("Connection timed out during request"))
    assert str(timeout) == "Elasticsearch at http://127.0.0.1:9200 unreachable: no answer within 2s"
    https = EsConnection(urls=("https://127.0.0.1:9200", "https://127.0.0.1:9201"))
    verify = ssl.SSLCertVerificationError(
        1,
        "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
        "self-signed certificate in certificate chain (_ssl.c:1000)",
    )
    untrusted = translated(https, TlsError(str(verify), errors=(verify,)))
    assert type(untrusted) is EngineUnavailable
    assert str(untrusted) == (
        "Elasticsearch at https://127.0.0.1:9200 (+1 more) unreachable: TLS certificate not trusted "
        "(set POLICYKB_ES_CA_CERTS)"
    )
    pinned = EsConnection(urls=("https://127.0.0.1:9200",), fingerprint="ab" * 32)
    mismatch = TlsError('Fingerprints did not match. Expected "abab", got "cdcd"')
    assert str(translated(pinned, mismatch)).endswith("fingerprint does not match POLICYKB_ES_SSL_FINGERPRINT")
    refused = ConnectionRefusedError(111, "Connection refused")
    wrapped = ConnectionError(
        f"Failed to establish a new connection: [Errno 111] {refused.strerror}", errors=(refused,)
    )
    assert str(translated(ONE, wrapped)) == "Elasticsearch at http://127.0.0.1:9200 unreachable: connection refused"


# ---------------------------------------------------------------------- the real client


def test_nothing_listening_is_unreachable() -> None:
    port = free_port()
    conn = EsConnection.from_settings(Settings(es_url=f"http://127.0.0.1:{port}", es_timeout_s=2))
    es = make_client(conn)
    try:
        with pytest.raises(EngineUnavailable) as caught, translate_errors(conn):
            es.cluster.health()
    finally:
        es.close()
    assert str(caught.value) == f"Elasticsearch at http://127.0.0.1:{port} unreachable: connection refused"


@pytest.mark.elasticsearch
def test_the_insecure_node_works(es_url: str) -> None:
    conn = EsConnection.from_settings(Settings(es_url=f" {es_url}/ ", es_timeout_s=5))
    assert conn.describe() == f"{es_url.rstrip('/')}, no auth, no TLS"
    es = make_client(conn)
    try:
        with translate_errors(conn):
            assert es.cluster.health()["status"] in ("green", "yellow")
    finally:
        es.close()


@pytest.mark.elasticsearch
def test_a_dead_node_is_skipped_for_a_live_one(es_url: str) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    conn = EsConnection.from_settings(Settings(es_url=f"{dead},{es_url}", es_timeout_s=5))
    assert conn.retries == 1
    es = make_client(conn)
    try:
        with translate_errors(conn):
            for _ in range(4):  # whichever node the pool picks first
                assert es.cluster.health()["status"] in ("green", "yellow")
    finally:
        es.close()


# ---------------------------------------------------------------------- a secure cluster
# The cluster's credentials must be limited to policykb* indices (as the role
# policykb_writer of scripts/elasticsearch.sh --secure): an API key, or a user and password.


def secure_conn(values: dict[str, str], **changes: Any) -> EsConnection:
    settings: dict[str, Any] = {
        "es_url": values["POLICYKB_ES_URL"],
        "es_api_key": values.get("POLICYKB_ES_API_KEY"),
        "es_user": values.get("POLICYKB_ES_USER"),
        "es_password": values.get("POLICYKB_ES_PASSWORD"),
        "es_ca_certs": values["POLICYKB_ES_CA_CERTS"],
        "es_timeout_s": 10,
    }
    settings.update(changes)
    return EsConnection.from_settings(Settings(**settings))


def cluster_secrets(values: dict[str, str]) -> list[str]:
    keys = [values["POLICYKB_ES_API_KEY"]] if values.get("POLICYKB_ES_API_KEY") else []
    return secret_forms(*keys, password=values.get("POLICYKB_ES_PASSWORD"), user=values.get("POLICYKB_ES_USER", ""))


@pytest.fixture(scope="module")
def secure() -> dict[str, str]:
    """The connection lines of a secure cluster (POLICYKB_ES_SECURE_ENV: its cluster.env)."""
    where = os.environ.get("POLICYKB_ES_SECURE_ENV")
    if not where:
        pytest.skip("no secure cluster: set POLICYKB_ES_SECURE_ENV to the cluster.env of `elasticsearch.sh --secure`")
    path = Path(where)
    if not path.is_file():
        pytest.skip(f"no secure cluster: {path} does not exist")
    values = read_env_file(path)
    credentials = values.get("POLICYKB_ES_API_KEY") or (
        values.get("POLICYKB_ES_USER") and values.get("POLICYKB_ES_PASSWORD")
    )
    if not (values.get("POLICYKB_ES_URL", "").startswith("https://") and values.get("POLICYKB_ES_CA_CERTS")):
        pytest.skip(f"no secure cluster: {path} lacks an https:// POLICYKB_ES_URL or POLICYKB_ES_CA_CERTS")
    if not credentials:
        pytest.skip(f"no secure cluster: {path} has neither an API key nor a user and password")
    conn = secure_conn(values)
    es = make_client(conn)
    try:
        with translate_errors(conn):
            es.cluster.health()
    except PolicyKBError as exc:
        message = f"secure cluster of {path} not usable: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    finally:
        es.close()
    return values


def failure(conn: EsConnection, call: str = "health", **kwargs: Any) -> PolicyKBError:
    """The project's error for one request on ``conn`` (the request must fail)."""
    es = make_client(conn)
    try:
        with pytest.raises(PolicyKBError) as caught, translate_errors(conn):
            if call == "health":
                es.cluster.health()
            elif call == "create":
                es.indices.create(**kwargs)
            else:
                raise AssertionError(call)
    finally:
        es.close()
    assert "\n" not in str(caught.value)
    return caught.value


@pytest.mark.elasticsearch
def test_secure_cluster_with_credentials_and_ca_works(secure: dict[str, str]) -> None:
    conn = secure_conn(secure)
    assert conn.describe().endswith(", TLS with CA file")
    assert_no_secret(conn.describe() + repr(conn), cluster_secrets(secure))
    es = make_client(conn)
    try:
        with translate_errors(conn):
            assert es.cluster.health()["number_of_nodes"] >= 1
            who = es.security.authenticate()
        assert who["authentication_type"] == ("api_key" if conn.api_key else "realm")
    finally:
        es.close()


@pytest.mark.elasticsearch
def test_secure_wrong_credentials_are_401(secure: dict[str, str]) -> None:
    real = secure.get("POLICYKB_ES_API_KEY")
    key_id = base64.b64decode(real).decode().partition(":")[0] if real else "VuaCfGcBCdbkQm-e5aOx"
    wrong = base64.b64encode(f"{key_id}:{'x' * 22}".encode()).decode()
    conn = secure_conn(secure, es_api_key=wrong, es_user=None, es_password=None)
    error = failure(conn)
    assert type(error) is EngineAuthError
    assert str(error) == f"Elasticsearch at {conn.where} rejected the credentials (401): check POLICYKB_ES_API_KEY"
    assert_no_secret(error_texts(error), [*secret_forms(wrong), *cluster_secrets(secure)])

    bad_user = failure(secure_conn(secure, es_api_key=None, es_user="policykb", es_password=PASSWORD))
    assert str(bad_user).endswith("(401): check POLICYKB_ES_USER and POLICYKB_ES_PASSWORD")
    assert_no_secret(error_texts(bad_user), secret_forms(password=PASSWORD, user="policykb"))

    if secure.get("POLICYKB_ES_USER"):
        wrong_password = failure(secure_conn(secure, es_password=PASSWORD))
        assert type(wrong_password) is EngineAuthError
        assert_no_secret(error_texts(wrong_password), [*cluster_secrets(secure), PASSWORD])

    nobody = failure(secure_conn(secure, es_api_key=None, es_user=None, es_password=None))
    assert str(nobody).endswith("(401): set POLICYKB_ES_API_KEY, or POLICYKB_ES_USER and POLICYKB_ES_PASSWORD")


@pytest.mark.elasticsearch
def test_secure_missing_privilege_is_403(secure: dict[str, str]) -> None:
    conn = secure_conn(secure)
    index = f"forbidden-{uuid.uuid4().hex[:8]}"  # the credentials may create policykb* indices only
    error = failure(conn, "create", index=index)
    assert type(error) is EngineAuthError
    message = str(error)
    who = "API key" if conn.api_key else f"user {conn.user}"
    assert message.startswith(f"Elasticsearch at {conn.where}: the {who} lacks a privilege (403): ")
    assert "action [indices:admin/create] is unauthorized for " in message
    assert f"on indices [{index}]" in message and "granted by the index privileges [create_index" in message
    assert_no_secret(error_texts(error), cluster_secrets(secure))


@pytest.mark.elasticsearch
def test_secure_untrusted_certificate(secure: dict[str, str]) -> None:
    conn = secure_conn(secure, es_ca_certs=None)  # the default CAs do not know the cluster's own CA
    error = failure(conn)
    assert type(error) is EngineUnavailable
    expected = f"Elasticsearch at {conn.where} unreachable: TLS certificate not trusted (set POLICYKB_ES_CA_CERTS)"
    assert str(error) == expected
    assert_no_secret(error_texts(error), cluster_secrets(secure))

    import certifi

    other = failure(secure_conn(secure, es_ca_certs=certifi.where()))
    assert "TLS certificate not trusted by POLICYKB_ES_CA_CERTS" in str(other)


@pytest.mark.elasticsearch
def test_secure_certificate_fingerprint(secure: dict[str, str]) -> None:
    first = urlsplit(secure["POLICYKB_ES_URL"].split(",")[0])
    pem = ssl.get_server_certificate((first.hostname or "127.0.0.1", first.port or 443))
    fingerprint = hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).hexdigest()
    url = f"https://{first.hostname}:{first.port}"
    pinned = secure_conn(secure, es_url=url, es_ca_certs=None, es_ssl_fingerprint=fingerprint)
    es = make_client(pinned)
    try:
        with translate_errors(pinned):
            assert es.cluster.health()["number_of_nodes"] >= 1
    finally:
        es.close()
    wrong = failure(secure_conn(secure, es_url=url, es_ca_certs=None, es_ssl_fingerprint="0" * 64))
    expected = (
        f"Elasticsearch at {url} unreachable: TLS certificate fingerprint does not match POLICYKB_ES_SSL_FINGERPRINT"
    )
    assert str(wrong) == expected


@pytest.mark.elasticsearch
def test_secure_node_spoken_to_in_plain_http(secure: dict[str, str]) -> None:
    first = urlsplit(secure["POLICYKB_ES_URL"].split(",")[0])
    url = f"http://{first.hostname}:{first.port}"
    error = failure(EsConnection.from_settings(Settings(es_url=url, es_timeout_s=5)))
    assert type(error) is EngineUnavailable
    assert str(error) in (
        f"Elasticsearch at {url} unreachable: connection closed without an answer (is it an https:// node?)",
        f"Elasticsearch at {url} unreachable: connection reset by peer",
    )


@pytest.mark.elasticsearch
def test_secure_cluster_survives_a_dead_node_in_the_list(secure: dict[str, str]) -> None:
    urls = f"https://127.0.0.1:{free_port()},{secure['POLICYKB_ES_URL']}"
    conn = secure_conn(secure, es_url=urls)
    assert conn.retries == len(conn.urls) - 1
    es = make_client(conn)
    try:
        with translate_errors(conn):
            for _ in range(6):
                assert es.cluster.health()["status"] in ("green", "yellow")
    finally:
        es.close()
