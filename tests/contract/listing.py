"""Paging through documents, with words or without (filters only, newest first), on every
engine: every document the count promises can be paged to, once, in order; a text filed
twice is one document with its copy.

A mixin of the contract suite (each engine's test class inherits it beside
:class:`~tests.contract.contract.BackendContract`, whose ``backend`` fixture is the book).
"""

from __future__ import annotations

import pytest

from ingest.fingerprint import text_key
from ingest.model import Document
from search_api.index.engine import EngineFilters, EngineQuery
from search_api.search import learned
from search_api.search.searcher import Searcher
from search_api.search.types import Filters, SearchRequest
from tests.contract.documents import article_document, place_document


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

    def test_a_text_filed_twice_is_one_document_with_a_copy(
        self, backend: Searcher, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # The archive files 13 texts twice (one dated by its adoption, one by its entry into
        # force, or with and without its 文号): both were results in a row, and the later
        # dated copy read as a later version of the other. A text one article apart is not
        # a copy.
        monkeypatch.setattr(learned, "CHECK_S", -1.0)  # the policy table is rebuilt at once
        articles = {"第一条": "第一条 为了保护骆驼，制定本规定。", "第二条": "第二条 骆驼饲养人可以申请补贴。"}
        changed = {**articles, "第二条": "第二条 骆驼饲养人可以申请补贴和保险。"}
        adopted = _policy("x/a.txt", articles, "2022-02-15")
        in_force = _policy("x/b.txt", {k: v.replace("，", ", ") for k, v in articles.items()}, "2022-03-15")
        amended = _policy("x/c.txt", changed, "2023-05-01")
        sources = {"x/a.txt": "a1", "x/b.txt": "b1", "x/c.txt": "c1"}
        loader = backend.begin_load(list(sources))
        loader.add(backend.engine.prepare([adopted, in_force, amended]), sources=sources)
        loader.commit()
        try:
            response = backend.search(SearchRequest(query="骆驼饲养人 补贴", group="document"))
            assert response.documents is not None
            found = {d.doc_id: d.copies for d in response.documents}
            first = adopted.id if adopted.id in found else in_force.id
            assert found[first] == [in_force.id if first == adopted.id else adopted.id]
            assert amended.id in found and found[amended.id] == []
            assert len(found) == 2
            table = backend.policy_table()
            assert table.later_version(table.by_id[adopted.id]) == table.by_id[amended.id]  # not its copy
            assert (
                table.text_keys.get(adopted.id) == table.text_keys.get(in_force.id) != table.text_keys.get(amended.id)
            )
        finally:
            backend.remove_sources(list(sources))

    def test_pages_are_full_and_reach_every_copy(self, backend: Searcher, monkeypatch: pytest.MonkeyPatch) -> None:
        # Copies fold into the best ranked document holding their text. By date two copies
        # of one text can stand far apart (filed as of its adoption and of a later year):
        # the later copy's page left it out and the page of the first did not list it; and
        # where copies had folded above a page, its last documents were left out (browsing
        # 最高人民法院 by date reached 160 of 426 documents, pages of 9, 7 and 2).
        monkeypatch.setattr(learned, "CHECK_S", -1.0)  # the policy table is rebuilt at once
        texts = {f"t{i}": _articles(i) for i in range(7)}
        filed = [(f"t{i}", f"{2022 - i}-06-01") for i in range(7)]  # one text a year, newest t0
        filed += [(f"t{i}", f"{2022 - i}-06-01") for i in range(1, 5)]  # copies beside t1..t4
        filed.append(("t0", "2009-01-01"))  # and t0 filed again, dated before every other
        docs = [
            _titled(f"y/{n}.txt", f"骆驼饲养办法{text[1]}", texts[text], date) for n, (text, date) in enumerate(filed)
        ]
        sources = {doc.source: doc.source for doc in docs}
        loader = backend.begin_load(list(sources))
        loader.add(backend.engine.prepare(docs), sources=sources)
        loader.commit()
        try:
            shown: list[str] = []
            folded: list[str] = []
            sizes = []
            for page in range(20):
                request = SearchRequest(query="骆驼饲养人", group="document", offset=page * 2, limit=2, sort="date")
                response = backend.search(request)
                assert response.documents is not None and response.total == len(docs)
                if not response.documents:
                    break
                sizes.append(len(response.documents))
                shown += [d.doc_id for d in response.documents]
                folded += [c for d in response.documents for c in d.copies]
            assert sizes == [2, 2, 2, 1], sizes  # seven texts, each shown once
            assert sorted(shown + folded) == sorted(d.id for d in docs)
            assert len(folded) == 5
        finally:
            backend.remove_sources(list(sources))

    def test_the_region_facet_counts_and_narrows_on_every_engine(self, backend: Searcher) -> None:
        # The book is Beijing's (its chapters by their book); two texts of elsewhere join it.
        book = backend.search(SearchRequest(query="", group="document", limit=1))
        regions = {f.value: f.count for f in book.facets["region"]}
        assert set(regions) == {"北京"} and regions["北京"] == book.total
        sources = ["x/gd.txt", "x/cn.txt"]
        guangdong = place_document(sources[0], "广州市测试地区条例", "鹦鹉螺测试的条款。")
        national = place_document(sources[1], "测试地区法", "鹦鹉螺测试的条款。")
        _load_regional(backend, {"广东": guangdong, "全国": national})
        try:
            response = backend.search(SearchRequest(query="鹦鹉螺测试", group="document", limit=5))
            assert {f.value: f.count for f in response.facets["region"]} == {"广东": 1, "全国": 1}
            for group in ("document", "passage"):
                only = backend.search(
                    SearchRequest(query="鹦鹉螺测试", filters=Filters(region=["广东"]), group=group, limit=5)
                )
                assert only.total == 1 and {h.doc_id for h in only.hits or only.documents} == {guangdong.id}
            beijing = backend.search(SearchRequest(query="", filters=Filters(region=["北京"]), group="document"))
            assert beijing.total == book.total
        finally:
            backend.remove_sources(sources)

    def test_the_home_region_comes_first_unless_a_place_is_named(self, backend: Searcher) -> None:
        # The same clause in a 广东 and a 北京 text: the 广东 one repeats a word, so it
        # scores a little higher; a Beijing service puts the text that binds its users
        # first, except for a question that names a place.
        clause = "鹦鹉螺测试人才的安家补贴"
        sources = ["x/home-gd.txt", "x/home-bj.txt"]
        guangdong = place_document(sources[0], "广州市鹦鹉螺测试办法", f"{clause}，安家。")
        beijing = place_document(sources[1], "北京市鹦鹉螺测试办法", f"{clause}。")
        _load_regional(backend, {"广东": guangdong, "北京": beijing})
        try:
            neutral = [h.doc_id for h in backend.search(SearchRequest(query="鹦鹉螺测试 安家补贴", limit=2)).hits]
            assert neutral == [guangdong.id, beijing.id]
            home = Searcher(backend.engine, home_region="北京")
            first = [h.doc_id for h in home.search(SearchRequest(query="鹦鹉螺测试 安家补贴", limit=2)).hits]
            assert first == [beijing.id, guangdong.id]
            named = [h.doc_id for h in home.search(SearchRequest(query="广州 鹦鹉螺测试 安家补贴", limit=2)).hits]
            assert named[0] == guangdong.id
        finally:
            backend.remove_sources(sources)


def _load_regional(backend: Searcher, documents: dict[str, Document]) -> None:
    """Load one-article documents, each with its region (地区)."""
    for region, document in documents.items():
        document.meta["region"] = region
    sources = {document.source: "r1" for document in documents.values()}
    loader = backend.begin_load(list(sources))
    loader.add(backend.engine.prepare(list(documents.values())), sources=sources)
    loader.commit()


def _articles(variant: int) -> dict[str, str]:
    """Thirty articles naming 骆驼饲养人, their amounts told apart by ``variant``."""
    return {f"第{n}条": f"第{n}条 骆驼饲养人可以申请第{n}项补贴{variant * 100 + n}元。" for n in range(1, 31)}


def _titled(source: str, title: str, articles: dict[str, str], date: str) -> Document:
    """A policy of ``articles`` as ingest gives it (units, date, text key)."""
    doc = article_document(source, title, articles)
    for passage in doc.passages:
        passage.attrs["unit"] = "article"
        passage.date = date
    doc.meta.update(date=date, articles=len(articles), text_key=text_key(doc))
    return doc


def _policy(source: str, articles: dict[str, str], date: str) -> Document:
    """A policy of the same title, its articles' units and text key as ingest gives them."""
    doc = article_document(source, "骆驼饲养补贴规定", articles)
    for passage in doc.passages:
        passage.attrs["unit"] = "article"
        passage.date = date
    doc.meta.update(date=date, articles=len(articles), text_key=text_key(doc))
    return doc
