"""Paging through documents, with words or without (filters only, newest first), on every
engine: every document the count promises can be paged to, once, in order.

A mixin of the contract suite (each engine's test class inherits it beside
:class:`~tests.contract.contract.BackendContract`, whose ``backend`` fixture is the book).
"""

from __future__ import annotations

from search_api.index.engine import EngineFilters, EngineQuery
from search_api.search.searcher import Searcher
from search_api.search.types import SearchRequest


class ListingContract:
    def test_every_counted_document_can_be_paged_to(self, backend: Searcher) -> None:
        # By date a long document's passages fill a window alone (the timeline's events):
        # the pages still reach every document the count promises, each once, newest first.
        seen: list[str] = []
        dates: list[str] = []
        total = None
        for page in range(50):
            response = backend.search(SearchRequest(query="", group="document", offset=page * 5, limit=5))
            total = response.total
            assert response.reachable is None
            if not response.documents:
                break
            seen += [d.doc_id for d in response.documents]
            dates += [d.date or "" for d in response.documents]
        assert total and len(seen) == len(set(seen)) == total
        dated = [d for d in dates if d]
        assert dated == sorted(dated, reverse=True)

    def test_every_counted_document_of_a_query_can_be_paged_to(self, backend: Searcher) -> None:
        # The book's chapters hold hundreds of 人才 each and fill a window of passages: by
        # date the pages stopped at 18 of the 26 documents counted (by relevance, on the
        # whole archive, at 51 of 479).
        for sort in ("relevance", "date"):
            seen: list[str] = []
            scores: list[float] = []
            total = None
            for page in range(60):
                request = SearchRequest(query="人才", group="document", offset=page * 5, limit=5, sort=sort)
                response = backend.search(request)
                total = response.total
                if not response.documents:
                    break
                seen += [d.doc_id for d in response.documents]
                scores += [d.score for d in response.documents]
            assert total and len(seen) == len(set(seen)) == total, sort
            if sort == "relevance":  # a document ranks by its best passage
                assert scores == sorted(scores, reverse=True)

    def test_documents_left_out_match_nothing(self, backend: Searcher) -> None:
        everything = backend.engine.run(EngineQuery(plan=None, filters=EngineFilters(), limit=50))
        first = everything.hits[0][1]["doc_id"]
        rest = backend.engine.run(EngineQuery(plan=None, filters=EngineFilters(exclude_doc_ids=(first,)), limit=50))
        assert rest.hits and first not in {p["doc_id"] for _, p in rest.hits}
        alone = backend.engine.run(EngineQuery(plan=None, filters=EngineFilters(doc_id=first), limit=1))
        assert rest.total == everything.total - alone.total
