"""The Elasticsearch connection's settings as operators give them
(search_api/index/elasticsearch/connection.py): parsing, one-line errors for bad values,
describe()/repr without secrets, the client's options."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from search_api.errors import InvalidRequest
from search_api.index.elasticsearch.connection import EsConnection, make_client, parse_urls
from search_api.settings import load_settings
from tests.conftest import REPO
from tests.index.es_secrets import (
    API_KEY,
    KEY_ID,
    KEY_SECRET,
    PASSWORD,
    assert_no_secret,
    conn_of,
    secret_forms,
)


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
