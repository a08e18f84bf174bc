"""A text that a later version of the same policy replaces: in the document view it says
so, with the version in force one click away, and 申报自查 ranks it last with that version
named (no one applies under the 1985 征兵工作条例; an official searching 船员条例 must tell
the 2019 text from the 2023 one)."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from search_api.http.app import create_app
from search_api.search.eligibility import check
from search_api.search.profile import Profile
from search_api.search.searcher import Searcher
from search_api.search.types import Filters, SearchRequest
from search_api.settings import load_settings
from tests.eligibility.small_index import searcher_of

TEXT = (
    "某市青年人才引进条例\n第一条 为了引进青年人才，制定本条例。\n"
    "第二条 申请人才引进，应当具备下列条件：\n（一）年龄在{age}周岁以下；\n（二）具有本科以上学历。\n"
)


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    texts = {
        "某市青年人才引进条例(2016-03-01).txt": TEXT.format(age="四十"),
        "某市青年人才引进条例(2022-07-01).txt": TEXT.format(age="四十五"),
    }
    return searcher_of(tmp_path_factory, texts)


def _ids(searcher: Searcher) -> tuple[str, str]:
    """(the 2016 text, the 2022 text)."""
    dated = sorted((r.date or "", r.id) for r in searcher.policies())
    return dated[0][1], dated[1][1]


def test_the_document_view_names_the_version_in_force(searcher: Searcher) -> None:
    old, new = _ids(searcher)
    found = searcher.search(SearchRequest(query="青年人才引进", group="document")).documents or []
    newer = {doc.doc_id: (doc.newer_id, doc.newer_date) for doc in found}
    assert newer == {old: (new, "2022-07-01"), new: (None, None)}


def test_the_check_ranks_a_replaced_text_last_and_names_its_successor(searcher: Searcher) -> None:
    old, new = _ids(searcher)
    # Both fit a 38-year-old graduate; the older one matches the words as well.
    result = check(searcher, Profile(age=38, education="本科"), "青年人才引进", Filters())
    assert [fit.doc_id for fit in result.policies] == [new, old]
    body = result.to_dict()["policies"]
    assert body[0]["newer_version"] is None
    assert body[1]["newer_version"] == {"doc_id": new, "date": "2022-07-01"}


def test_the_pages_say_which_text_is_replaced(searcher: Searcher, tmp_path_factory: pytest.TempPathFactory) -> None:
    _, new = _ids(searcher)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    settings = load_settings(db_path=tmp_path_factory.mktemp("unused"), es_url="")
    client: Any
    with TestClient(create_app(searcher, settings=settings)) as client:  # type: ignore[arg-type]
        search = client.get("/", params={"q": "青年人才引进"}).text
        check_page = client.get("/check", params={"q": "青年人才引进", "age": "38"}).text
    assert f'<a class="badge superseded" href="/policies/{new}"' in search and "已有 2022-07-01 版本" in search
    assert search.count("badge superseded") == 1
    assert f'已被 <a href="/policies/{new}">2022-07-01 版本</a>取代' in check_page
