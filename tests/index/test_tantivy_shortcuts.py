"""The embedded engine's shortcuts answer exactly what the plain evaluation answers.

Four shortcuts (``search_api.index.tantivy``): the facets counted from the page when it
holds every match, the matching query with its covered alternatives left out, the
ranking query with all-of AnyOf nodes as intersections, and a phrase of Han characters
behind its bigrams. Each is checked against the
plain evaluation on the book: the same totals, hits, scores and facet counts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import tantivy

from search_api.index import plan as p
from search_api.index.engine import EngineQuery
from search_api.index.tantivy.engine import TantivyEngine
from search_api.index.tantivy.facets import aggregations
from search_api.index.tantivy.query import FIELDS, Occur, alternatives, without_covered
from search_api.search import ranking
from search_api.search.filters import resolve_filters
from search_api.search.query import analyze_query
from search_api.search.types import Filters

QUERIES = [
    "技能大师工作室申报条件",
    "持有境外职业资格的外籍人员办理工作许可年龄限制",
    "京人社能发〔2023〕3号",
    "人才公寓",
    "中关村论坛",
    "领办人退休",
    "talent retention index",
    "第四条",
    "2023年北京人才资源总量",  # the year's digit-by-digit form: a phrase of common characters
    "二〇二三年 人才",
    "技能大师工作室领办人退休了怎么办",  # three clause types
]


@pytest.fixture(scope="module")
def engine(index_path: Path) -> TantivyEngine:
    return TantivyEngine(index_path, create=False)


def _plain_aggregations(engine: TantivyEngine, query: EngineQuery) -> dict[str, Any]:
    """The aggregation over the whole plan's must clause, as translated node by node."""
    must = [(Occur.Must, q) for q in engine._q.filters(query.filters, text=query.plan is not None)]
    if query.plan is not None:
        must.append((Occur.Must, engine._q.clause(query.plan.must)))
    found: dict[str, Any] = engine._searcher().aggregate(tantivy.Query.boolean_query(must), aggregations(query))
    return found


def _counts(aggregations: dict[str, Any]) -> dict[str, Any]:
    """Bucket order among equal counts is the engine's: compare as sets."""
    return {
        name: sorted((b["key"], b["doc_count"], round(b.get("docs", {}).get("value", -1))) for b in found["buckets"])
        if "buckets" in found
        else round(found["value"])
        for name, found in aggregations.items()
    }


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("limit", [10, 50])
def test_facets_match_the_plain_aggregation(engine: TantivyEngine, text: str, limit: int) -> None:
    plan = ranking.plan(analyze_query(text))
    for flags in ({}, {"facet_documents": True}, {"count_documents": True}):
        query = EngineQuery(plan=plan, filters=resolve_filters(Filters()), limit=limit, facets=True, **flags)
        result = engine.run(query)
        if result.total:
            assert _counts(result.aggregations) == _counts(_plain_aggregations(engine, query)), (text, flags)


def test_a_page_with_every_match_counts_its_own_facets(engine: TantivyEngine) -> None:
    query = EngineQuery(plan=ranking.plan(analyze_query("技能大师工作室 绩效考核")), filters=resolve_filters(Filters()))
    few = EngineQuery(plan=query.plan, filters=query.filters, limit=50, facets=True, facet_documents=True)
    result = engine.run(few)
    assert 0 < result.total <= 50
    assert _counts(result.aggregations) == _counts(_plain_aggregations(engine, few))


def test_covered_alternatives_are_left_out() -> None:
    word = p.AllOf(p.HEADING_BIGRAM, ("中华", "华人", "人民", "民共", "共和", "和国"), 1.0)
    parts = p.AnyOf(tuple(p.AllOf(p.HEADING_BIGRAM, g, 1.0) for g in (("中华",), ("人民",), ("共和", "和国"))), 3)
    phrase = p.Match(p.HEADING, ("中", "华"), 1.0)
    grams = p.AllOf(p.HEADING, ("中", "华"), 1.0)
    near = p.Near(p.WORDS, "中华", "人民", 2, 1.0)
    assert without_covered(alternatives(p.Best((word, parts), 0.3))) == [parts]
    assert without_covered([phrase, grams]) == [grams]  # the phrase needs its characters
    assert without_covered([grams, grams]) == [grams]  # of equals, the first
    assert without_covered([near, word]) == [near, word]  # different fields: nothing covered
    assert alternatives(p.Plus(p.Best((word, p.AnyOf((near,), 1)), 0.3), 10.0)) == [word, near]


def test_a_han_phrase_is_gated_by_its_bigrams(engine: TantivyEngine) -> None:
    gated = repr(engine._q.clause(p.Match(p.TEXT, ("二", "二", "三", "年"), 1.0)))
    assert "Const(score=0" in gated and '"二三"' in gated and "PhraseQuery" in gated
    assert "Const" not in repr(engine._q.clause(p.Match(p.TEXT, ("2023", "年"), 1.0)))  # digits: no bigrams
    searcher = engine._searcher()
    for field, terms in ((p.TEXT, ("人", "才", "公", "寓")), (p.HEADING, ("技", "能")), (p.TEXT, ("才", "人"))):
        phrase = tantivy.Query.phrase_query(engine._schema, FIELDS[field], list[str | tuple[int, str]](terms))
        plain = searcher.search(tantivy.Query.boost_query(phrase, 1.5), 50, count=True)
        fast = searcher.search(engine._q.clause(p.Match(field, terms, 1.5)), 50, count=True)
        assert plain.count and fast.count == plain.count, terms
        assert [(s, a.doc) for s, a in fast.hits] == [(s, a.doc) for s, a in plain.hits], terms


def test_the_search_ranks_as_the_plain_translation(engine: TantivyEngine) -> None:
    """The ranking query's shortcuts (intersections for all-of, single children, phrases
    behind their bigrams) keep the hits and their scores."""
    searcher = engine._searcher()
    for text in QUERIES:
        plan = ranking.plan(analyze_query(text))
        assert plan is not None
        fast = searcher.search(engine._q.ranking(plan, resolve_filters(Filters())), 20, count=True)
        plain_must = _plain_must(engine, plan)
        plain = searcher.search(plain_must, 20, count=True)
        assert fast.count == plain.count, text
        assert [(s, a.segment_ord, a.doc) for s, a in fast.hits] == [(s, a.segment_ord, a.doc) for s, a in plain.hits]


def _plain_must(engine: TantivyEngine, plan: p.Plan) -> tantivy.Query:
    def plain(clause: p.Clause) -> tantivy.Query:
        if isinstance(clause, p.Best):
            return tantivy.Query.disjunction_max_query([plain(c) for c in clause.clauses], clause.tie)
        if isinstance(clause, p.AnyOf):
            should = [(Occur.Should, plain(c)) for c in clause.clauses]
            return tantivy.Query.boolean_query(should, minimum_number_should_match=clause.min_match)
        if isinstance(clause, p.Plus):
            bonus = tantivy.Query.const_score_query(tantivy.Query.all_query(), clause.bonus)
            return tantivy.Query.boolean_query([(Occur.Must, plain(clause.clause)), (Occur.Should, bonus)])
        if isinstance(clause, p.Const):
            return tantivy.Query.const_score_query(plain(clause.clause), clause.boost)
        if isinstance(clause, p.Match) and len(clause.terms) > 1:
            terms = list[str | tuple[int, str]](clause.terms)
            phrase = tantivy.Query.phrase_query(engine._schema, FIELDS[clause.field], terms)
            return tantivy.Query.boost_query(phrase, clause.boost)
        return engine._q.clause(clause)

    clauses = [(Occur.Must, plain(plan.must)), *((Occur.Should, plain(c)) for c in plan.should)]
    return tantivy.Query.boolean_query(clauses)


class _FailingFacets:
    """A searcher whose facet pass fails: the ranked search itself still works."""

    def __init__(self, searcher: tantivy.Searcher) -> None:
        self._searcher = searcher

    def __getattr__(self, name: str) -> Any:
        return getattr(self._searcher, name)

    def aggregate(self, *_: object) -> Any:
        raise ValueError("facet pass failed")

    def facet_counts(self, *_: object) -> Any:  # the project's build counts with this
        raise ValueError("facet pass failed")


def test_the_facet_pass_beside_the_search_reports_its_error(
    engine: TantivyEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The facet pass runs in the engine's thread while the search scores; its error
    reaches the caller when its counts are needed, and is never read when the page
    holds every match (the page's payloads give the counts)."""
    searcher = engine._searcher()
    monkeypatch.setattr(engine, "_searcher", lambda: _FailingFacets(searcher))
    many = EngineQuery(plan=ranking.plan(analyze_query("人才")), filters=resolve_filters(Filters()), facets=True)
    with pytest.raises(ValueError, match="facet pass failed"):
        engine.run(many)
    few = EngineQuery(plan=ranking.plan(analyze_query("技能大师工作室 绩效考核")), filters=many.filters, limit=50)
    result = engine.run(EngineQuery(plan=few.plan, filters=few.filters, limit=50, facets=True))
    assert 0 < result.total <= 50 and result.aggregations
