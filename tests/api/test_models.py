"""The response models mirror the dataclasses field for field (the API is the CLI's JSON)."""

from __future__ import annotations

from dataclasses import fields

import pytest
from pydantic import BaseModel

from ingest.model import Document, Passage, PolicyRecord
from search_api.http.api import models
from search_api.search.matching import QueryInfo
from search_api.search.types import DocumentHit, FacetValue, Hit, SearchResponse


@pytest.mark.parametrize(
    ("model", "dataclass", "extra", "missing"),
    [
        (models.HitModel, Hit, set(), set()),
        (models.FacetValueModel, FacetValue, set(), set()),
        # Document mode puts the documents under "hits" (SearchResponse.to_dict); the
        # clause types the query asked for serve the page only, never the body.
        (models.SearchResponseModel, SearchResponse, set(), {"documents", "asked_clause_types"}),
        (models.DocumentHitModel, DocumentHit, set(), set()),
        (models.QueryInfoModel, QueryInfo, set(), set()),
        (models.PassageModel, Passage, set(), {"tokens"}),  # tokens are transient, never stored
        (models.DocumentInfo, Document, {"passage_ids"}, {"passages"}),  # Document.to_dict() shape
        (models.PolicyModel, PolicyRecord, set(), set()),
    ],
)
def test_models_mirror_dataclasses(model: type[BaseModel], dataclass: type, extra: set[str], missing: set[str]) -> None:
    names = {f.name for f in fields(dataclass)}
    assert set(model.model_fields) == (names - missing) | extra


def test_error_body_is_the_error_tree_shape() -> None:
    from search_api.errors import EngineUnavailable

    assert set(models.ErrorBody.model_fields) == set(EngineUnavailable("x").to_dict())


@pytest.mark.parametrize("group", ["passage", "document"])
@pytest.mark.parametrize("query", ["技能大师工作室申报条件", "境外职业资格", "火锅量子"])
def test_the_api_body_is_the_cli_json(settings: object, query: str, group: str) -> None:
    # The API writes SearchResponse.json_content() (dataclasses, written by orjson), the CLI
    # SearchResponse.to_dict(): the same bytes, whatever the mode and however much matched.
    import orjson

    from search_api.search.searcher import open_searcher
    from search_api.search.types import SearchRequest

    searcher = open_searcher(settings)  # type: ignore[arg-type]
    try:
        request = SearchRequest(query=query)
        request.group = group
        response = searcher.search(request)
        assert orjson.dumps(response.json_content()) == orjson.dumps(response.to_dict())
    finally:
        searcher.close()
