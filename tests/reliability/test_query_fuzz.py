"""Any user string and any filter combination is safe: no crash, no engine syntax error."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search_api.errors import InvalidRequest
from search_api.index.loading import ingest_paths
from search_api.index.tantivy.engine import TantivyEngine
from search_api.search.filters import validate_request
from search_api.search.query import analyze_query
from search_api.search.searcher import Searcher
from search_api.search.types import Filters, SearchRequest
from search_api.settings import Settings

# Query text mixes Chinese, ASCII operators of common query languages and odd Unicode.
OPERATORS = ['"', "(", ")", "*", "?", "~", "^", ":", "-", "+", "\\", "/", "[", "]", "{", "}", "OR", "AND", "NOT",
             "NEAR", "<script>", "&", "|", "!", "'", ";", "%", "\x00", "\u3000", "〔", "〕"]  # fmt: skip
query_text = st.lists(
    st.one_of(
        st.sampled_from(OPERATORS),
        st.sampled_from(["技能大师", "工作室", "申报条件", "京人社能发〔2023〕3号", "人才", "talent", "2023"]),
        st.text(max_size=8),
    ),
    max_size=8,
).map(" ".join)

filters = st.builds(
    Filters,
    agency=st.lists(st.text(max_size=12), max_size=2),
    talent_category=st.lists(st.text(max_size=8), max_size=2),
    doc_type=st.lists(st.sampled_from(["policy", "event", "chapter", "x"]), max_size=2),
    year=st.lists(st.sampled_from(["2023", "1999", "abcd"]), max_size=2),
    doc_number=st.one_of(st.none(), st.text(max_size=20), st.just("京人社能发[2023]3号")),
    date_from=st.one_of(st.none(), st.sampled_from(["2023", "2023-05", "2023-05-01", "2023-13-40", "x"])),
    date_to=st.one_of(st.none(), st.sampled_from(["2023", "2023-06", "2023-06-30", "0000-00-00"])),
    eligibility_only=st.booleans(),
)


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[Searcher]:
    engine = Searcher(TantivyEngine(tmp_path_factory.mktemp("fuzz") / "index"))
    ingest_paths(engine.engine, [corpus_dir])
    yield engine
    engine.close()


@settings(max_examples=300, deadline=None)
@given(query_text)
def test_analysis_never_fails(text: str) -> None:
    analyzed = analyze_query(text)
    assert analyzed.min_match <= len(analyzed.required)
    for word in analyzed.words:
        assert word and not word.isspace()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=query_text,
    chosen=filters,
    page=st.one_of(st.integers(0, 60), st.integers(-5, 2000)),
    size=st.one_of(st.integers(1, 50), st.integers(-1, 80)),
)
def test_search_never_fails(backend: Searcher, text: str, chosen: Filters, page: int, size: int) -> None:
    request = SearchRequest(query=text, filters=chosen, offset=page, limit=size)
    try:
        validate_request(request, Settings())
    except InvalidRequest as exc:
        assert str(exc)  # a clear reason, and the engine never sees the request
        return
    response = backend.search(request)
    assert response.total >= 0 and len(response.hits) <= request.limit
    for hit in response.hits:
        assert "<" not in re.sub(r"</?mark>", "", hit.highlight)
