"""The behaviour every Searcher must show, on the real book.

A test class for an engine inherits :class:`BackendContract` and overrides only the
``empty_backend`` fixture (a fresh, empty engine). Everything else is shared.
"""

from __future__ import annotations

import pickle
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from analysis.text import normalize
from ingest.model import DOCUMENT_KINDS
from knowledge.questions import answer_phrases
from search_api.errors import InvalidRequest
from search_api.index.engine import EngineFilters, EngineQuery, Nested, Prepared, nested_result
from search_api.index.loading import ingest_paths
from search_api.index.plan import ANSWER, TEXT, Flag, Match, Plan, chars
from search_api.search import learned, ranking
from search_api.search.query import analyze_query
from search_api.search.searcher import Searcher
from search_api.search.types import Filters, SearchRequest
from tests.contract.documents import article_document, place_document, session_document

SKILL_MASTER_TITLE = "北京市技能大师工作室建设管理办法"


def relevant(hit_text: str, expect_any: list[str]) -> bool:
    squeeze = re.compile(r"\s+")
    text = squeeze.sub("", hit_text)
    return any(squeeze.sub("", e) in text for e in expect_any)


def plan_nodes(plan: Plan) -> list[Any]:
    """Every node of ``plan``, depth first."""
    found: list[Any] = []
    stack: list[Any] = [plan.must, *plan.should]
    while stack:
        node = stack.pop()
        found.append(node)
        stack += [getattr(node, "clause", None), *getattr(node, "clauses", ())]
        stack = [n for n in stack if n is not None]
    return found


def search(backend: Searcher, query: str, **kwargs: Any) -> Any:
    filters = kwargs.pop("filters", Filters())
    return backend.search(SearchRequest(query=query, filters=filters, **kwargs))


class BackendContract:
    @pytest.fixture(scope="class")
    @classmethod
    def empty_backend(cls, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
        raise NotImplementedError("each engine's test class provides a fresh empty backend")

    @pytest.fixture(scope="class")
    @classmethod
    def backend(cls, empty_backend: Searcher, corpus_dir: Path) -> Searcher:
        report = ingest_paths(empty_backend.engine, [corpus_dir])
        assert not report.failures, report.failures
        assert report.passages > 1000
        return empty_backend

    # ------------------------------------------------------------- loading

    def test_stats_count_what_was_loaded(self, backend: Searcher) -> None:
        stats = backend.stats()
        assert stats["passages"] > 1000
        assert stats["sources"] == 1
        kinds = stats["passages_by_type"]
        for kind in ("chapter", "table", "event", "catalogue_entry", "policy", "abstract", "footnote"):
            assert kinds.get(kind, 0) > 0, kind

    def test_reingest_is_idempotent(self, backend: Searcher, corpus_dir: Path) -> None:
        before = backend.stats()
        first = [h.id for h in search(backend, "技能大师工作室", limit=20).hits]
        unchanged = ingest_paths(backend.engine, [corpus_dir])
        assert unchanged.skipped_unchanged == 1 and unchanged.passages == 0
        forced = ingest_paths(backend.engine, [corpus_dir], force=True)
        assert forced.passages == before["passages"]
        assert backend.stats()["passages"] == before["passages"]
        assert [h.id for h in search(backend, "技能大师工作室", limit=20).hits] == first

    def test_reingest_under_concurrent_searches(self, backend: Searcher, corpus_dir: Path) -> None:
        """A reader during a re-ingest sees the old or the new index: no error, never empty."""
        import threading

        problems: list[str] = []
        searches = 0
        done = threading.Event()

        def reader() -> None:
            nonlocal searches
            while not done.is_set():
                try:
                    if search(backend, "技能大师工作室", limit=1, facets=False).total == 0:
                        problems.append("empty result")
                except Exception as exc:  # any error at all is a finding here
                    problems.append(repr(exc))
                searches += 1

        thread = threading.Thread(target=reader)
        thread.start()
        try:
            ingest_paths(backend.engine, [corpus_dir], force=True)
        finally:
            done.set()
            thread.join()
        assert searches > 0
        assert problems == []

    # ------------------------------------------------------------- ranking

    def test_eligibility_question_finds_the_article(self, backend: Searcher) -> None:
        top = search(backend, "技能大师工作室申报条件").hits[0]
        assert top.citation.startswith(f"《{SKILL_MASTER_TITLE}》第四条")
        assert top.doc_title == SKILL_MASTER_TITLE

    @pytest.mark.parametrize("phrase", ["以下条件", "应具备", "是指", "日内"])
    def test_answer_marks_are_the_passages_holding_the_phrase(self, backend: Searcher, phrase: str) -> None:
        """The index marks each passage with the answer phrases its text holds
        (knowledge.questions.answer_phrases_in), and the plan's answer bonus reads the mark."""
        assert phrase in answer_phrases()
        filters = EngineFilters()
        marked = backend.engine.run(EngineQuery(plan=Plan(Flag(ANSWER, phrase, 1.0), ()), filters=filters, limit=500))
        spelled = backend.engine.run(
            EngineQuery(plan=Plan(Match(TEXT, chars(phrase), 1.0), ()), filters=filters, limit=500)
        )
        holding = {p["id"] for _, p in spelled.hits if phrase in normalize(p["text"])}
        assert holding and {p["id"] for _, p in marked.hits} == holding, (len(holding), marked.total, spelled.total)
        bonus = ranking.plan(analyze_query("技能大师工作室申报需要什么条件"))
        assert bonus is not None and Flag(ANSWER, "以下条件", 1.0) in plan_nodes(bonus)

    def test_doc_number_in_any_bracket_style(self, backend: Searcher) -> None:
        for query in ("京人社能发〔2023〕3号", "京人社能发[2023]3号", "京人社能发（2023）3号"):
            top = search(backend, query).hits[0]
            assert top.doc_number == "京人社能发〔2023〕3号", query

    def test_dev_queries_mostly_found_in_top_ten(self, backend: Searcher, dev_queries: list[dict]) -> None:
        found = 0
        for q in dev_queries:
            hits = search(backend, q["q"], limit=10).hits
            found += any(relevant(h.text, q["expect_any"]) for h in hits)
        assert found / len(dev_queries) >= 0.8

    # ------------------------------------------------------------- filters

    def test_filters_restrict_every_hit(self, backend: Searcher) -> None:
        agency = "北京市人力资源和社会保障局"
        hits = search(backend, "职称", filters=Filters(agency=[agency]), limit=50).hits
        assert hits and all(agency in h.agencies for h in hits)
        hits = search(backend, "人才", filters=Filters(doc_type=["event"]), limit=50).hits
        assert hits and all(h.doc_type == "event" for h in hits)
        hits = search(backend, "", filters=Filters(date_from="2023-05", date_to="2023-06"), limit=50).hits
        # A month-precision date ("2023-05") lies inside the range too.
        assert hits and all("2023-05" <= (h.date or "")[:7] <= "2023-06" for h in hits)
        hits = search(backend, "工作室", filters=Filters(eligibility_only=True), limit=50).hits
        assert hits and all(h.eligibility for h in hits)
        hits = search(backend, "", filters=Filters(doc_number="京人社能发 [2023] 3 号"), limit=50).hits
        assert hits and all(h.doc_number == "京人社能发〔2023〕3号" for h in hits)

    def test_empty_query_lists_newest_first(self, backend: Searcher) -> None:
        hits = search(backend, "", filters=Filters(doc_type=["event"]), limit=20).hits
        dates = [h.date for h in hits]
        assert dates == sorted(dates, reverse=True)

    # ------------------------------------------------------------- facets

    def test_facet_counts_add_up(self, backend: Searcher) -> None:
        response = search(backend, "人才公寓", limit=50, facet_documents=True)
        by_type = response.facets["doc_type"]
        assert sum(v.count for v in by_type) == response.total  # one type per passage
        for facet in response.facets.values():
            for value in facet:
                assert value.doc_count is not None and 1 <= value.doc_count <= value.count

    def test_document_counts_only_when_asked_for(self, backend: Searcher) -> None:
        plain = search(backend, "人才公寓", limit=50)
        counted = search(backend, "人才公寓", limit=50, facet_documents=True)
        assert plain.facets["doc_type"]
        for facet, values in plain.facets.items():
            assert all(v.doc_count is None for v in values)
            assert [(v.value, v.count) for v in values] == [(v.value, v.count) for v in counted.facets[facet]]

    def test_only_the_asked_facets_are_counted(self, backend: Searcher) -> None:
        plan = ranking.plan(analyze_query("人才公寓"))
        asked = ("doc_kind",)
        for limit in (1, 200):  # counted by the engine, and from a page that holds every match
            query = EngineQuery(plan=plan, filters=EngineFilters(), limit=limit, facets=True, facet_fields=asked)
            found = backend.engine.run(query).aggregations or {}
            assert set(found) == {"doc_kind"} and found["doc_kind"]["buckets"], limit
        response = search(backend, "人才公寓", facet_fields=("doc_kind", "year"))
        assert set(response.facets) == {"doc_kind", "year"}

    def test_document_counts_are_distinct_documents(self, backend: Searcher) -> None:
        response = search(backend, "人才公寓", limit=50, facet_documents=True)
        assert response.total <= 50
        all_hits = response.hits
        for value in response.facets["doc_type"]:
            docs = {h.doc_id for h in all_hits if h.doc_type == value.value}
            assert value.doc_count == len(docs)

    def test_selected_facet_values_are_marked(self, backend: Searcher) -> None:
        response = search(backend, "人才", filters=Filters(doc_type=["event"]))
        assert [v.value for v in response.facets["doc_type"] if v.selected] == ["event"]

    @pytest.mark.parametrize("group", ["passage", "document"])
    def test_a_facets_values_stay_choices_when_one_is_chosen(self, backend: Searcher, group: str) -> None:
        # The values of one facet are alternatives: beside each the count it has alone, and
        # choosing it too gives the union (it had counted the passages of both).
        def counts(filters: Filters) -> tuple[int, dict[str, int]]:
            found = search(backend, "人才", filters=filters, group=group, facet_documents=True)
            return found.total, {
                v.value: v.count if group == "passage" else v.doc_count or 0 for v in found.facets["doc_type"]
            }

        total, alone = counts(Filters())
        first, second = list(alone)[:2]
        chosen_total, beside = counts(Filters(doc_type=[first]))
        assert chosen_total == alone[first] < total
        assert beside == alone
        both, _ = counts(Filters(doc_type=[first, second]))  # a document may hold passages of both
        assert max(alone[first], alone[second]) <= both <= alone[first] + alone[second]
        # Another facet is counted over the result, the chosen value applied.
        narrowed = search(backend, "人才", filters=Filters(doc_type=[first]), group=group, facet_documents=True)
        assert sum(v.count for v in narrowed.facets["doc_kind"]) <= sum(
            v.count for v in search(backend, "人才", group=group).facets["doc_kind"]
        )

    # ------------------------------------------------------------- safety

    @pytest.mark.parametrize(
        "query",
        ['"人才', "(人才", "人才*", "人才 NEAR 政策", "人才 OR", "-人才", "<script>alert(1)</script>", "\\", ":"],
    )
    def test_query_syntax_is_searched_as_text(self, backend: Searcher, query: str) -> None:
        response = search(backend, query)
        for hit in response.hits:
            assert "<script>" not in hit.highlight
            assert re.sub(r"</?mark>", "", hit.highlight).count("<") == 0

    def test_pages_do_not_overlap(self, backend: Searcher) -> None:
        whole = [h.id for h in search(backend, "人才", limit=30).hits]
        paged = [h.id for offset in (0, 10, 20) for h in search(backend, "人才", limit=10, offset=offset).hits]
        assert paged == whole

    # ------------------------------------------------------------- records

    def test_policies_hold_the_catalogue(self, backend: Searcher) -> None:
        records = {r.doc_number or r.title: r for r in backend.policies()}
        record = records["京人社能发〔2023〕3号"]
        assert record.title == SKILL_MASTER_TITLE
        assert record.articles == 29
        assert record.date == "2023-03-17"
        assert record.agencies == ["北京市人力资源和社会保障局"]
        assert record.valid_until == "2030-12-31"

    def test_passage_and_document_lookup(self, backend: Searcher) -> None:
        hit = search(backend, "技能大师工作室申报条件").hits[0]
        passage = backend.get_passage(hit.id)
        assert passage is not None and passage.text == hit.text
        document = backend.get_document(hit.doc_id)
        assert document is not None and document.title == SKILL_MASTER_TITLE
        assert [p.ord for p in document.passages] == sorted(p.ord for p in document.passages)
        assert hit.id in {p.id for p in document.passages}
        assert backend.get_passage("no-such-id") is None
        assert backend.get_document("no-such-id") is None

    def test_passage_range_reads_positions_of_one_document(self, backend: Searcher) -> None:
        hit = search(backend, "技能大师工作室申报条件").hits[0]
        document = backend.get_document(hit.doc_id)
        assert document is not None and len(document.passages) > 10
        ids = [p.id for p in document.passages]
        last = len(ids) - 1
        for first, end in ((0, 2), (4, 9), (last - 1, last + 5), (-3, 0), (last, last)):
            found = backend.engine.passage_range(hit.doc_id, first, end)
            assert [p["id"] for p in found] == ids[max(0, first) : end + 1], (first, end)
            assert [p["ord"] for p in found] == list(range(max(0, first), min(end, last) + 1))
        assert backend.engine.passage_range(hit.doc_id, 5, 4) == []
        assert backend.engine.passage_range("no-such-id", 0, 10) == []
        # What a passage view reads: the passage with its neighbours, and the record's ids.
        middle = document.passages[5]
        around = backend.passages_between(hit.doc_id, middle.ord - 1, middle.ord + 1)
        assert [p.id for p in around] == ids[4:7]
        record = backend.document_record(hit.doc_id)
        assert record is not None and record["passage_ids"] == ids

    # ------------------------------------------------------------- suggestions

    def test_suggest_titles_and_doc_numbers(self, backend: Searcher) -> None:
        first = backend.suggest("北京市技能大师", 5)[0]
        assert first["title"] == SKILL_MASTER_TITLE and first["kind"] == "policy"
        assert first["doc_number"] == "京人社能发〔2023〕3号"
        # A 文号 typed with other brackets and no 号 yet; a word from inside the title.
        assert backend.suggest("京人社能发[2023]3", 5)[0]["id"] == first["id"]
        assert first["id"] in {s["id"] for s in backend.suggest("技能大师工作室", 5)}
        # Prefix matches rank above substring matches.
        ranked = backend.suggest("北京", 50)
        starts = [s["title"].startswith("北京") for s in ranked]
        assert starts == sorted(starts, reverse=True) and starts[0]
        assert len(backend.suggest("北京", 3)) == 3
        assert backend.suggest("", 5) == [] and backend.suggest("<script>", 5) == []

    # ------------------------------------------------------------- load sessions

    def test_load_session_replaces_added_sources_and_keeps_the_rest(self, backend: Searcher) -> None:
        before = backend.stats()
        book = set(backend.sources())
        # Batches travel from the workers pickled: load what came through pickle.
        first = pickle.loads(pickle.dumps(backend.engine.prepare([session_document("x/a.txt", "骆驼", 3)])))
        loader = backend.begin_load(["x/a.txt", "x/b.txt", "x/c.txt"])
        assert loader.add(first, sources={"x/a.txt": "a1"}) == 3
        second = backend.engine.prepare([session_document("x/b.txt", "海豚", 2)])
        assert loader.add(second, sources={"x/b.txt": "b1"}) == 2
        loader.commit()
        assert {s: f for s, f in backend.sources().items() if s.startswith("x/")} == {"x/a.txt": "a1", "x/b.txt": "b1"}
        assert book <= set(backend.sources())
        assert backend.stats()["passages"] == before["passages"] + 5
        assert search(backend, "骆驼", limit=10).total == 3

        # Announced but never added (a file that failed): b keeps its version; a shrinks.
        loader = backend.begin_load(["x/a.txt", "x/b.txt"])
        loader.add(backend.engine.prepare([session_document("x/a.txt", "骆驼", 1)]), sources={"x/a.txt": "a2"})
        loader.commit()
        assert {s: f for s, f in backend.sources().items() if s.startswith("x/")} == {"x/a.txt": "a2", "x/b.txt": "b1"}
        assert search(backend, "骆驼", limit=10).total == 1
        assert search(backend, "海豚", limit=10).total == 2
        document = backend.get_document(session_document("x/a.txt", "骆驼", 1).id)
        assert document is not None and len(document.passages) == 1

        loader = backend.begin_load(["x/a.txt", "x/b.txt"])
        loader.remove(["x/a.txt", "x/b.txt"])
        loader.commit()
        assert set(backend.sources()) == book
        assert backend.stats()["passages"] == before["passages"]
        assert search(backend, "海豚", limit=10).total == 0

    def test_another_places_policy_is_no_answer_to_a_question_naming_a_place(self, backend: Searcher) -> None:
        # 泰安's rule repeats the words more often, so it scores higher; a question about 洛阳
        # is answered by 河南省's (洛阳 lies in it), and 泰安's comes after it.
        clause = "物业服务企业不得强行推销装饰装修材料"
        taian = place_document("x/ta.txt", "泰安市物业服务条例", f"{clause}；{clause}。")
        henan = place_document("x/hn.txt", "河南省物业服务条例", f"{clause}。")
        loader = backend.begin_load(["x/ta.txt", "x/hn.txt"])
        loader.add(backend.engine.prepare([taian, henan]), sources={"x/ta.txt": "t1", "x/hn.txt": "h1"})
        loader.commit()
        try:
            unplaced = [h.doc_title for h in search(backend, "物业强行推销装饰装修材料", limit=5).hits]
            assert unplaced[:2] == [taian.title, henan.title]
            titles = [h.doc_title for h in search(backend, "洛阳的物业能强行推销装饰装修材料吗", limit=5).hits]
            assert titles.index(henan.title) < titles.index(taian.title)
            # The first page is reordered within itself: pages of one passage show each once.
            question = "洛阳的物业能强行推销装饰装修材料吗"
            pages = [h.doc_title for offset in (0, 1) for h in search(backend, question, offset=offset, limit=1).hits]
            assert sorted(pages) == sorted([taian.title, henan.title])
        finally:
            backend.remove_sources(["x/ta.txt", "x/hn.txt"])

    def test_every_issuing_agency_is_a_facet_value(self, backend: Searcher) -> None:
        # 120 issuers more than the book's, one short policy each: the engines kept the 100
        # values with the most passages, and the page, counting documents, lost the rest.
        sources = [f"x/issuer{i}.txt" for i in range(120)]
        documents = []
        for i, source in enumerate(sources):
            document = place_document(source, f"第{i}号测试办法", "会话测试发文机关的条款。")
            for passage in document.passages:
                passage.agencies = [f"测试机关{i:03d}"]
            documents.append(document)
        loader = backend.begin_load(sources)
        loader.add(backend.engine.prepare(documents), sources={source: "a1" for source in sources})
        loader.commit()
        try:
            facets = search(backend, "", group="document", limit=1).facets["agency"]
            issuers = {f.value for f in facets if f.value.startswith("测试机关")}
            assert len(issuers) == 120
        finally:
            backend.remove_sources(sources)

    def test_a_named_article_comes_before_its_items_and_local_namesakes(
        self, backend: Searcher, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # 工伤保险条例 第十四条: the national article, not its item （七） (more of the query's
        # words), nor the 河南省 regulation of the same name, nor an article citing it.
        clause = "职工有下列情形之一的，应当认定为工伤保障"
        national = article_document(
            "x/nat.txt",
            "工伤保障条例",
            {
                "第十四条": f"第十四条 {clause}：（七）法律、行政法规规定应当认定为工伤保障的其他情形。",
                "第十四条（七）": "（七）法律、行政法规规定应当认定为工伤保障的其他情形" + "，工伤保障" * 6,
                "第六十条": "第六十条 违反工伤保障条例第十四条、第十四条规定的" + "，工伤保障" * 6,
            },
        )
        local = article_document(
            "x/hn.txt", "河南省工伤保障条例", {"第十四条": f"第十四条 {clause}" + "，工伤保障" * 6}
        )
        sources = ["x/nat.txt", "x/hn.txt"]
        loader = backend.begin_load(sources)
        loader.add(backend.engine.prepare([national, local]), sources={"x/nat.txt": "n1", "x/hn.txt": "h1"})
        loader.commit()
        monkeypatch.setattr(learned, "CHECK_S", -1.0)  # the table of titles is rebuilt at once
        try:
            hits = search(backend, "工伤保障条例 第十四条", limit=5).hits
            assert hits[0].citation == "《工伤保障条例》第十四条", [h.citation for h in hits]
            documents = search(backend, "工伤保障条例 第十四条", group="document", limit=5).documents or []
            assert documents[0].doc_title == "工伤保障条例"
            assert documents[0].passages[0].citation == "《工伤保障条例》第十四条"
            placed = search(backend, "河南 工伤保障条例 第十四条", limit=5).hits
            assert placed[0].doc_title == "河南省工伤保障条例"
        finally:
            backend.remove_sources(sources)

    def test_aborted_load_leaves_no_partial_source(self, backend: Searcher) -> None:
        before = backend.stats()["passages"]
        loader = backend.begin_load(["x/d.txt"])
        loader.add(backend.engine.prepare([session_document("x/d.txt", "企鹅", 4)]), sources={"x/d.txt": "d1"})
        loader.abort()
        loader.abort()  # idempotent
        # Tantivy has committed the batch, Elasticsearch never swapped: all or nothing.
        assert search(backend, "企鹅", limit=10).total in (0, 4)
        backend.remove_sources(["x/d.txt"])
        assert backend.stats()["passages"] == before
        assert search(backend, "技能大师工作室申报条件").hits[0].doc_title == SKILL_MASTER_TITLE

    def test_records_of_another_engine_are_refused(self, backend: Searcher) -> None:
        before = backend.stats()["passages"]
        foreign = Prepared("another-engine", [], 0, 0)
        loader = backend.begin_load(["x/e.txt"])
        with pytest.raises(ValueError, match="another-engine"):
            loader.add(foreign, sources={"x/e.txt": "e1"})
        loader.abort()
        assert backend.stats()["passages"] == before
        assert "x/e.txt" not in backend.sources()

    # ------------------------------------------------------------- documents

    def test_a_doc_number_in_document_mode_is_the_policy(self, backend: Searcher) -> None:
        response = backend.search(SearchRequest(query="京人社能发[2023]3号", group="document"))
        assert response.documents and response.documents[0].doc_title == SKILL_MASTER_TITLE
        assert 1 <= response.total <= 3 and len(response.documents) == response.total
        first = response.documents[0]
        assert 1 <= len(first.passages) <= 3 and first.matches >= len(first.passages)
        assert all(p.doc_id == first.doc_id and p.citation and p.highlight for p in first.passages)

    def test_document_mode_counts_documents(self, backend: Searcher) -> None:
        passages = backend.search(SearchRequest(query="技能大师工作室", facet_documents=True))
        documents = backend.search(SearchRequest(query="技能大师工作室", group="document"))
        assert documents.documents is not None and documents.hits == []
        assert len({d.doc_id for d in documents.documents}) == len(documents.documents)
        assert documents.total <= passages.total
        by_value = {v.value: v for v in passages.facets["doc_type"]}
        for value in documents.facets["doc_type"]:
            assert value.count == by_value[value.value].doc_count
        ranked = [d.score for d in documents.documents]
        assert ranked == sorted(ranked, reverse=True)

    def test_a_document_counts_under_its_own_kind(self, backend: Searcher) -> None:
        # By the kinds of its matching passages, a chapter counted under 脚注 and 图 as well.
        query = "人才黏性指数"
        response = backend.search(SearchRequest(query=query, group="document", limit=50))
        assert response.documents is not None and 0 < response.total <= 50
        kinds = {v.value: v.count for v in response.facets["doc_kind"]}
        assert kinds == dict(Counter(d.doc_kind for d in response.documents))  # once each
        assert set(kinds) <= set(DOCUMENT_KINDS) and kinds.get("report_chapter", 0) >= 2
        passage_kinds = sum(v.count for v in response.facets["doc_type"])
        assert passage_kinds > response.total  # what the document view's 文档类型 showed
        chapters = backend.search(
            SearchRequest(query=query, group="document", filters=Filters(doc_kind=["report_chapter"]))
        )
        assert chapters.total == kinds["report_chapter"]
        assert chapters.documents and {d.doc_kind for d in chapters.documents} == {"report_chapter"}

    def test_a_page_of_documents_decodes_only_what_it_shows(self, backend: Searcher) -> None:
        # The window is counted whole; the payloads are those of the shown passages: the
        # first 2 of each of the first 3 documents, as if every payload had been read.
        plan = ranking.plan(analyze_query("人才"))
        full = backend.engine.run(EngineQuery(plan=plan, filters=EngineFilters(), limit=200, facets=True))
        shown = backend.engine.run(
            EngineQuery(plan=plan, filters=EngineFilters(), limit=200, facets=True, nested=Nested(2, 3))
        )
        expected = nested_result(full, Nested(2, 3))
        assert shown.window is not None and len(shown.window) == len(full.hits) == 200 < shown.total
        assert [doc for _, doc in shown.window] == [doc for _, doc in expected.window or []]
        assert [p["id"] for _, p in shown.hits] == [p["id"] for _, p in expected.hits]
        assert len(shown.hits) <= 6 and len({p["doc_id"] for _, p in shown.hits}) == 3
        assert shown.aggregations == full.aggregations

    # ------------------------------------------------------------- the same errors

    @pytest.mark.parametrize(
        ("filters", "message"),
        [
            (Filters(date_from="2023-13-01"), "date_from must be an ISO date"),
            (Filters(date_to="2023-02-30"), "date_to must be an ISO date"),
            (Filters(date_from="1600"), "date_from must be a year between 1800 and 2199"),
            (Filters(date_from="2024", date_to="2020-06"), "date_to must not be earlier than date_from"),
            # A closed facet's value off its list had matched nothing, silently.
            (Filters(doc_kind=["zzz"]), "doc_kind must be one of report, report_chapter"),
            (Filters(talent_category=["不存在"]), "talent_category must be one of 党政人才"),
        ],
    )
    def test_an_invalid_filter_is_the_same_error(self, backend: Searcher, filters: Filters, message: str) -> None:
        with pytest.raises(InvalidRequest, match=message):
            search(backend, "人才", filters=filters)

    def test_an_unknown_facet_field_is_the_same_error(self, backend: Searcher) -> None:
        with pytest.raises(InvalidRequest, match="unknown facet field 'colour'"):
            backend.search(SearchRequest(query="人才", facet_fields=("agency", "colour")))

    def test_an_unannounced_source_is_the_same_error(self, backend: Searcher) -> None:
        before = backend.stats()["passages"]
        loader = backend.begin_load(["x/f.txt"])
        records = backend.engine.prepare([session_document("x/g.txt", "海象", 2)])
        with pytest.raises(InvalidRequest, match=r"sources not announced to begin_load: x/g\.txt"):
            loader.add(records, sources={"x/g.txt": "g1"})
        with pytest.raises(InvalidRequest, match="sources not announced"):
            loader.remove(["x/g.txt"])
        loader.abort()
        assert backend.stats()["passages"] == before
        assert "x/g.txt" not in backend.sources()
