"""The server's limits are named settings: read from the environment, checked, and the
README's "Limits on the server" table gives their real defaults."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from search_api.errors import InvalidRequest
from search_api.settings import Settings, load_settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
FIELDS = {
    "POLICYKB_REQUEST_TIMEOUT_S": "request_timeout_s",
    "POLICYKB_MAX_RESPONSE_BYTES": "max_response_bytes",
    "POLICYKB_MAX_CONNECTIONS": "max_connections",
    "POLICYKB_HEADER_TIMEOUT_S": "header_timeout_s",
}


def _table() -> dict[str, str]:
    start = README.index("**Limits on the server.**")
    rows = re.findall(r"^\| `(POLICYKB_[A-Z_]+)` \| ([0-9,.]+) \|", README[start : start + 4000], re.M)
    return dict(rows)


def test_the_readme_table_gives_every_limit_and_its_default(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in FIELDS:
        monkeypatch.delenv(variable, raising=False)
    table = _table()
    assert set(table) == set(FIELDS)
    defaults = Settings()
    for variable, field in FIELDS.items():
        assert float(table[variable].replace(",", "")) == getattr(defaults, field), variable


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYKB_REQUEST_TIMEOUT_S", "2.5")
    monkeypatch.setenv("POLICYKB_MAX_CONNECTIONS", "64")
    settings = load_settings()
    assert settings.request_timeout_s == 2.5 and settings.max_connections == 64


@pytest.mark.parametrize("variable", list(FIELDS))
@pytest.mark.parametrize("value", ["abc", "0", "-1", "nan"])
def test_a_bad_limit_is_one_error_naming_it(monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(InvalidRequest, match=variable):
        load_settings()


def test_the_connection_limit_stays_under_the_descriptor_limit() -> None:
    import resource

    from search_api.http import protocol

    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    limits = protocol.configure(Settings(max_connections=10**9))
    assert limits.max_connections <= max(1, soft - protocol.FD_RESERVE)
    assert protocol.configure(Settings(max_connections=5)).max_connections == 5
    protocol.configure(Settings())  # back to this process's own limits


def test_the_home_region_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from search_api.search.searcher import open_searcher

    monkeypatch.delenv("POLICYKB_HOME_REGION", raising=False)
    assert load_settings().home_region == "北京"  # Beijing's service prefers its own texts
    monkeypatch.setenv("POLICYKB_HOME_REGION", "上海")
    assert load_settings().home_region == "上海"
    monkeypatch.setenv("POLICYKB_HOME_REGION", "")  # none preferred
    settings = load_settings()
    assert settings.home_region == ""
    monkeypatch.setattr("search_api.index.open_engine", lambda settings, create=False: object())
    assert open_searcher(settings).home_region is None
