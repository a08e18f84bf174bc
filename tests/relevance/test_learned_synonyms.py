"""Short forms the documents define, searched as their full form: in the defining
document always, everywhere only when two documents agree; and Latin typos.

Hand-made documents on both engines (``make_engine``); the definitions are found by the
ingest finder itself, as a real ingest stores them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ingest.enrich.abbreviations import AbbreviationFinder
from ingest.model import Document
from knowledge.abbreviations import AMBIGUOUS, CONTAINED, DOCUMENT, INDEX, Definition, learn, load_rules
from knowledge.synonyms import SynonymTable
from search_api.search import learned
from search_api.search.searcher import Searcher
from search_api.search.types import SearchRequest
from tests.relevance.conftest import document, ids

Make = Callable[[list[Document]], Searcher]
FULL, SHORT = "北京生命科学研究院", "北生所"  # no word of the short form is in the full one


def defining(key: str, title: str) -> Document:
    """A document that defines 北生所 and then uses the full form alone once."""
    return document(
        key,
        title,
        {
            "第二条": f"本市支持建设{FULL}（简称“{SHORT}”）等新型研发机构。",
            "第三条": f"{FULL}的科研人员可以申请人才公寓。",
            "第四条": f"{SHORT}每年评估一次。",
        },
    )


def user() -> Document:
    """A document that names the institute in full and defines nothing."""
    return document("b", "科研机构名录", {"第一条": f"{FULL}位于海淀区。"})


def learned_docs(*docs: Document) -> list[Document]:
    finder = AbbreviationFinder()
    for doc in docs:
        finder.extract_document(doc)
    return list(docs)


def test_the_short_form_finds_the_full_form_in_its_own_document_only(make_engine: Make) -> None:
    engine = make_engine(learned_docs(defining("a", "新型研发机构支持办法"), user()))
    found = ids(engine, SHORT)
    assert {"a-0", "a-1", "a-2"} <= set(found)  # a-1 holds only the full form
    assert "b-0" not in found  # the definition does not hold in another document
    hit = next(h for h in engine.search(SearchRequest(query=SHORT, limit=10)).hits if h.id == "a-1")
    assert f"<mark>{FULL}</mark>" in hit.highlight


def test_the_full_form_finds_the_short_form_in_its_own_document_only(make_engine: Make) -> None:
    other = document("c", "评估通知", {"第一条": f"{SHORT}评估结果另行公布。"})  # defines nothing
    engine = make_engine(learned_docs(defining("a", "新型研发机构支持办法"), user(), other))
    found = ids(engine, FULL)
    assert "a-2" in found  # 第四条 holds only the short form
    assert "c-0" not in found  # the short form means that institute only where it is defined


def test_without_the_definition_the_full_form_is_not_reached(make_engine: Make) -> None:
    engine = make_engine([defining("a", "新型研发机构支持办法"), user()])  # no finder run
    assert "a-1" not in ids(engine, SHORT)


def test_two_documents_agreeing_make_it_an_index_wide_synonym(make_engine: Make) -> None:
    docs = learned_docs(defining("a", "新型研发机构支持办法"), defining("c", "生命科学产业促进条例"), user())
    engine = make_engine(docs)
    assert "b-0" in ids(engine, SHORT)
    hits = engine.search(SearchRequest(query=SHORT, limit=10)).hits
    holding = [SHORT in h.text for h in hits]
    assert holding == sorted(holding, reverse=True)  # the typed form ranks above the full form


def test_the_table_is_read_once_per_generation(make_engine: Make, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(learned_docs(defining("a", "新型研发机构支持办法"), user()))
    reads: list[Any] = []
    documents = engine.engine.documents
    monkeypatch.setattr(engine.engine, "documents", lambda kind=None: reads.append(kind) or documents(kind))
    monkeypatch.setattr(learned, "CHECK_S", -1.0)  # look at the generation on every search
    for query in (SHORT, f"{SHORT} 人才公寓", SHORT):
        engine.search(SearchRequest(query=query, limit=5, facets=False))
    # The first search may build each table (the learned one reads every document, the
    # policy table the policies); the same generation reuses them.
    assert reads.count(None) <= 1 and reads.count("policy") <= 1
    assert "b-0" not in ids(engine, SHORT)
    more = learned_docs(defining("c", "生命科学产业促进条例"))
    engine.index(more, sources={d.source: d.source for d in more})
    assert "b-0" in ids(engine, SHORT)  # a new generation: the two documents now agree
    assert reads.count(None) == 2  # read again for it, once


def test_scopes_of_the_learned_table() -> None:
    rules = load_rules()
    curated = SynonymTable.from_groups([["社保", "社会保险"]])
    definitions = [
        Definition(SHORT, FULL, "a"),
        Definition(SHORT, FULL, "c"),
        Definition("市级工作室", "市级技能大师工作室", "a"),
        Definition("目录", "工业产品目录", "a"),  # the full form holds the short one
        Definition("社保", "社会保险", "d"),  # the curated table agrees
        *(Definition("办法", f"第{i}号管理规定", f"x{i}") for i in range(rules.max_scoped_documents + 1)),
    ]
    table = learn(definitions, curated, rules)
    scopes = {(d.short, d.doc_id): table.scope(d) for d in definitions}
    assert scopes[(SHORT, "a")] == scopes[("社保", "d")] == INDEX
    assert scopes[("市级工作室", "a")] == DOCUMENT and table.scoped["市级工作室"] == {"市级技能大师工作室": ("a",)}
    assert scopes[("目录", "a")] == CONTAINED and "目录" not in table.scoped
    assert scopes[("办法", "x0")] == AMBIGUOUS and "办法" not in table.scoped


# ----------------------------------------------------------------- Latin typos


def english() -> list[Document]:
    return [
        document(
            "e",
            "Global Talent Report",
            {
                "1": "The talent retention index ranks Beijing sixth among the cities.",
                "2": "Housing subsidies for young researchers who move internationally.",
            },
        )
    ]


@pytest.mark.parametrize(
    ("query", "typed", "right"),
    [
        ("retnetion index", "retnetion", "retention"),
        ("talnet index", "talnet", "talent"),
        ("houssing", "houssing", "housing"),
        ("internatoinally", "internatoinally", "internationally"),  # 15 letters: 800 neighbours in one query
    ],
)
def test_a_latin_word_one_edit_away_is_corrected(make_engine: Make, query: str, typed: str, right: str) -> None:
    engine = make_engine(english())
    response = engine.search(SearchRequest(query=query, limit=5))
    assert response.query is not None
    assert response.query.corrections == [{"from": typed, "to": right}]
    assert response.hits and right in response.hits[0].text.lower()


def test_a_known_or_short_latin_word_is_left_alone(make_engine: Make) -> None:
    engine = make_engine(english())
    response = engine.search(SearchRequest(query="talent", limit=5))
    assert response.query is not None and response.query.corrections == [] and response.hits
    response = engine.search(SearchRequest(query="citi zzz", limit=5))  # zzz: three letters
    assert response.query is not None and response.query.corrections == []


def test_spelling_checks_ask_the_engine_for_one_hit(make_engine: Make, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(
        [document("s", "技能大师工作室建设办法", {"第四条": "申报技能大师工作室应同时符合以下条件。"})]
    )
    limits: list[int] = []
    run = engine.engine.run
    monkeypatch.setattr(engine.engine, "run", lambda query: limits.append(query.limit) or run(query))
    response = engine.search(SearchRequest(query="技能大帅工作室", limit=10))
    assert response.query is not None and response.query.corrections == [{"from": "技能大帅", "to": "技能大师"}]
    assert 1 in limits and limits.count(10) <= 2  # the checks: one hit; the search and its corrected form: a page


def test_a_corrected_query_still_names_the_unit_nothing_holds(make_engine: Make) -> None:
    engine = make_engine(
        [
            document(
                "s",
                "技能大师工作室建设办法",
                {"第四条": "申报技能大师工作室应同时符合以下条件。", "第五条": "技能大师工作室的资助标准。"},
            )
        ]
    )
    response = engine.search(SearchRequest(query="技能大帅工作室 资助 标准 量子", limit=10))
    assert response.query is not None and response.query.corrections == [{"from": "技能大帅", "to": "技能大师"}]
    assert response.hits and response.query.relaxed and response.query.unmatched == ["量子"]
