"""The engine-neutral ranking plan and its translation to Elasticsearch request bodies."""

from __future__ import annotations

from typing import Any

from search_api.index.elasticsearch import query as es_query
from search_api.index.engine import EngineFilters, EngineQuery
from search_api.search import ranking
from search_api.search.query import analyze_query


def nodes(clause: ranking.Clause) -> list[ranking.Clause]:
    """Every node of a clause tree, depth first."""
    out: list[ranking.Clause] = [clause]
    if isinstance(clause, ranking.AnyOf | ranking.Best):
        for child in clause.clauses:
            out += nodes(child)
    elif isinstance(clause, ranking.Const | ranking.Plus):
        out += nodes(clause.clause)
    return out


def plan_of(query: str) -> ranking.Plan:
    plan = ranking.plan(analyze_query(query))
    assert plan is not None
    return plan


def test_required_units_decide_with_a_coverage_bonus_each() -> None:
    aq = analyze_query("市人社局 技能大师工作室 绩效考核")
    plan = plan_of("市人社局 技能大师工作室 绩效考核")
    assert isinstance(plan.must, ranking.AnyOf) and plan.must.min_match == aq.min_match
    assert [type(u) for u in plan.must.clauses] == [ranking.Plus] * len(aq.required)
    assert all(u.bonus == ranking.BOOST_COVERAGE for u in plan.must.clauses if isinstance(u, ranking.Plus))


def grams_of(clause: ranking.Clause, field: str = "bigram") -> dict[str, ranking.AllOf]:
    """The AllOf nodes of ``field`` by the text they spell (技能 能大 大师 → 技能大师)."""
    found = [n for n in nodes(clause) if isinstance(n, ranking.AllOf) and n.field == field]
    return {n.terms[0] + "".join(t[1] for t in n.terms[1:]): n for n in found}


def test_a_synonym_counts_for_its_unit_with_a_lower_weight() -> None:
    plan = plan_of("市人社局 绩效考核")
    grams = grams_of(plan.must)
    words = {n.terms[0]: n for n in nodes(plan.must) if isinstance(n, ranking.Match) and n.field == "words"}
    typed = words["市人社局"].boost + grams["市人社局"].boost * 3  # a word and its bigrams
    synonym = grams["市人力资源社会保障局"].boost * 9  # weights are per bigram
    assert synonym == ranking.BOOST_SYNONYM * ranking.GRAMS_FACTOR
    assert synonym < typed


def test_han_words_match_by_bigrams_weighing_like_one_word() -> None:
    plan = plan_of("技能大师工作室")
    whole = grams_of(plan.must)["技能大师工作室"]
    assert whole.terms == ("技能", "能大", "大师", "师工", "工作", "作室")
    assert whole.boost == ranking.BOOST_CHARS * ranking.GRAMS_FACTOR / 6
    heading = grams_of(plan.must, "heading_bigram")["技能大师工作室"]
    assert heading.boost == ranking.BOOST_HEADING * ranking.GRAMS_FACTOR / 6


def test_bigrams_only_for_han_text() -> None:
    assert ranking.han_bigrams("人才") == ("人才",)
    assert ranking.han_bigrams("人") is None
    assert ranking.han_bigrams("2023年") is None
    assert ranking.han_bigrams("ai人才") is None


def test_doc_number_alone_can_match_and_outweighs_words() -> None:
    plan = plan_of("京人社能发[2023]3号")
    flags = [n for n in nodes(plan.must) if isinstance(n, ranking.Flag)]
    assert flags == [ranking.Flag("doc_number", "京人社能发〔2023〕3号", ranking.BOOST_DOC_NUMBER)]
    phrase = next(n for n in nodes(plan.must) if isinstance(n, ranking.Match))
    assert phrase.terms == ("京", "人", "社", "能", "发", "2023", "3", "号")  # any bracket style


def test_article_reference_boosts_its_heading() -> None:
    plan = plan_of("劳动合同法第47条")
    const = [c for c in plan.should if isinstance(c, ranking.Const) and c.boost == ranking.BOOST_ARTICLE]
    assert len(const) == 1
    assert const[0].clause == ranking.Match("heading", ("第", "四", "十", "七", "条"), 1.0)


def test_intent_bonuses_only_for_their_queries() -> None:
    def flags(query: str) -> set[Any]:
        return {(n.field, n.value) for c in plan_of(query).should for n in nodes(c) if isinstance(n, ranking.Flag)}

    # Conditions, benefits and procedures: the clause types an eligibility question favours;
    # a question about conditions, or about where to apply, favours its own type alone.
    assert {("clause_type", t) for t in ("condition", "benefit", "procedure")} <= flags("技能大师工作室申报")
    assert {f for f in flags("技能大师工作室申报条件") if f[0] == "clause_type"} == {("clause_type", "condition")}
    assert {f for f in flags("向哪个部门申报") if f[0] == "clause_type"} == {("clause_type", "procedure")}
    assert ("doc_type", "event") in flags("2023中关村论坛开幕")
    assert flags("人才公寓 国际学校") == set()


def test_english_units_match_their_stems() -> None:
    plan = plan_of("talent retention ranking")
    english = {n.terms for n in nodes(plan.must) if isinstance(n, ranking.Match) and n.field == "english"}
    assert english == {("talent",), ("retent",), ("rank",)}
    near = [c for c in plan.should if isinstance(c, ranking.Near) and c.field == "english"]
    assert [(n.first, n.second) for n in near] == [("talent", "retent"), ("retent", "rank")]


def test_proximity_of_two_units_is_where_one_ends_and_the_next_begins() -> None:
    plan = plan_of("领办人退休")
    near = [c for c in plan.should if isinstance(c, ranking.Near)]
    fallback = ranking.Near("text", "人", "退", ranking.PROXIMITY_SLOP, ranking.BOOST_PROXIMITY)
    assert near == [ranking.Near("words", "领办人", "退休", ranking.PROXIMITY_WORDS, ranking.BOOST_PROXIMITY, fallback)]
    # Elasticsearch has no word field: there it is the characters where they meet.
    assert es_query.translate(near[0]) == {"match_phrase": {"text": {"query": "人 退", "slop": 3, "boost": 0.25}}}


def test_nothing_to_search_gives_no_plan() -> None:
    assert ranking.plan(analyze_query("")) is None


# --------------------------------------------------------------- Elasticsearch bodies


def test_elasticsearch_translation_of_every_node() -> None:
    translate = es_query.translate
    assert translate(ranking.Match("text", ("2023", "3", "号"), 0.5)) == {
        "match_phrase": {"text": {"query": "2023 3 号", "boost": 0.5}}
    }
    assert translate(ranking.Match("english", ("rank",), 1.5)) == {"term": {"text_en": {"value": "rank", "boost": 1.5}}}
    near = translate(ranking.Near("text", "人", "退", 3, 0.2))
    assert near == {"match_phrase": {"text": {"query": "人 退", "slop": 3, "boost": 0.2}}}
    flag = translate(ranking.Flag("eligibility", True, 2.0))
    assert flag == {"constant_score": {"filter": {"term": {"eligibility": True}}, "boost": 2.0}}
    best = translate(ranking.Best((ranking.Match("words", ("人才",), 1.0),), 0.3))
    assert best == {
        "dis_max": {"queries": [{"match_phrase": {"text": {"query": "人才", "boost": 1.0}}}], "tie_breaker": 0.3}
    }
    grams = translate(ranking.AllOf("heading_bigram", ("人才", "才公"), 0.5))
    assert grams == {
        "bool": {
            "must": [
                {"term": {"heading.bigram": {"value": "人才", "boost": 0.5}}},
                {"term": {"heading.bigram": {"value": "才公", "boost": 0.5}}},
            ]
        }
    }
    plus = translate(ranking.Plus(ranking.Match("bigram", ("人才",), 0.2), 10.0))
    assert plus["bool"]["must"] == {"term": {"text.bigram": {"value": "人才", "boost": 0.2}}}
    assert plus["bool"]["should"] == [{"constant_score": {"filter": {"match_all": {}}, "boost": 10.0}}]


def test_elasticsearch_text_query_is_the_plan() -> None:
    plan = ranking.plan(analyze_query("技能大师工作室申报条件"))
    assert plan is not None
    body = es_query.search_body(EngineQuery(plan=plan, filters=EngineFilters()))["query"]["bool"]["must"]
    assert body["bool"]["must"] == es_query.translate(plan.must)
    assert len(body["bool"]["should"]) == len(plan.should)
