"""Fixtures of the index tests."""

from __future__ import annotations

import pytest

from tests.index.es_secrets import (
    ES_VARIABLES,
)


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A clean environment as far as the Elasticsearch settings go."""
    for name in ES_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch
