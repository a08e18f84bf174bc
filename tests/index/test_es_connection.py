"""The Elasticsearch connection as operators configure it (search_api/index/elasticsearch/connection.py).

The translation of client errors: with mocks of the transport's exceptions, with the
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
import ssl
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from elastic_transport import ApiResponseMeta, ConnectionError, ConnectionTimeout, HttpHeaders, NodeConfig, TlsError
from elasticsearch import ApiError, AuthenticationException, AuthorizationException, UnsupportedProductError
from elasticsearch.helpers import ScanError

from search_api.errors import EngineAuthError, EngineUnavailable, PolicyKBError
from search_api.index.elasticsearch.connection import EsConnection, make_client, translate_errors
from search_api.settings import Settings, read_env_file
from tests.index.es_secrets import (
    API_KEY,
    KEY_ID,
    KEY_SECRET,
    PASSWORD,
    assert_no_secret,
    error_texts,
    free_port,
    secret_forms,
)

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
