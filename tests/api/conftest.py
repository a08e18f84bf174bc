"""Fixtures of the API tests: the app on the shared index, an in-process client."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from search_api.app import create_app
from search_api.settings import Settings, load_settings
from tests.api.index import shared_index

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's notice about httpx vs httpx2
    from fastapi.testclient import TestClient


@pytest.fixture(scope="session")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_index(tmp_path_factory)


@pytest.fixture(scope="session")
def settings(index_path: Path) -> Settings:
    return load_settings(db_path=index_path, es_url="")


@pytest.fixture(scope="session")
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client
