"""Engines for the relevance tests: the book on both engines, and small hand-made corpora."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ingest.model import Document, Passage
from search_api.index.elasticsearch.engine import ElasticsearchEngine
from search_api.index.tantivy.engine import TantivyEngine
from search_api.search.searcher import Searcher
from search_api.search.types import SearchRequest
from tests.conftest import drop_es_indices
from tests.parsed_folders import load_folder

ENGINES = ["tantivy", "elasticsearch"]


def drop_indices(backend: Searcher) -> None:
    backend.close()
    drop_es_indices(backend.engine.url, backend.engine.alias)


@pytest.fixture(scope="session")
def book_tantivy(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    backend = Searcher(TantivyEngine(tmp_path_factory.mktemp("relevance") / "index"))
    assert not load_folder(backend.engine, corpus_dir).failures
    yield backend
    backend.close()


@pytest.fixture(scope="session")
def book_elasticsearch(es_url: str, corpus_dir: Path) -> Iterator[Searcher]:
    backend = Searcher(ElasticsearchEngine(es_url, index=f"policykb-relevance-{uuid.uuid4().hex[:10]}"))
    assert not load_folder(backend.engine, corpus_dir).failures
    yield backend
    drop_indices(backend)


@pytest.fixture(params=ENGINES)
def make_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[list[Document]], Searcher]]:
    """Factory: an engine of the parametrised kind holding exactly the given documents."""
    made: list[Any] = []

    def make(documents: list[Document]) -> Searcher:
        backend: Any
        if request.param == "tantivy":
            backend = Searcher(TantivyEngine(tmp_path / f"index{len(made)}"))
        else:
            url = request.getfixturevalue("es_url")
            backend = Searcher(ElasticsearchEngine(url, index=f"policykb-relevance-{uuid.uuid4().hex[:10]}"))
        made.append(backend)
        backend.index(documents, sources={d.source: d.source for d in documents})
        return backend

    yield make
    for backend in made:
        if isinstance(backend.engine, ElasticsearchEngine):  # a Searcher around the engine
            drop_indices(backend)
        else:
            backend.close()


def document(key: str, title: str, clauses: dict[str, str], **meta: Any) -> Document:
    """A policy whose passages are ``{locator: text}`` in order, e.g. {"第四条": "…"}.

    ``eligible`` (a set of locators) marks passages as condition clauses (eligible); ``kind``
    sets the passage kind; ``doc_number`` the 文号 of every passage.
    """
    eligible = meta.pop("eligible", set())
    kind = meta.pop("kind", "policy")
    doc = Document(kind="policy", title=title, key=key, source=f"{key}.txt", id=f"{key}-doc", meta=meta)
    for order, (locator, text) in enumerate(clauses.items()):
        doc.passages.append(
            Passage(
                kind=kind,
                text=text,
                path=[locator],
                locator=locator,
                id=f"{key}-{order}",
                doc_id=doc.id,
                ord=order,
                citation=f"《{title}》{locator}",
                doc_number=meta.get("doc_number"),
                eligibility=locator in eligible,
                clause_type="condition" if locator in eligible else None,
                source=f"{key}.txt:{order + 1}",
            )
        )
    return doc


def ids(backend: Searcher, query: str, limit: int = 10) -> list[str]:
    return [h.id for h in backend.search(SearchRequest(query=query, limit=limit, facets=False)).hits]
