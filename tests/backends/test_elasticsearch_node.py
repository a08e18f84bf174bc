"""Elasticsearch-specific behaviour on a real node (the shared behaviour is in tests/contract).

Needs a node: ``scripts/elasticsearch.sh start`` (or POLICYKB_ES_URL). Without one these
tests skip, or fail under CI=true; the unreachable-URL tests need no node.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from ingest.model import Document, Passage
from knowledge.questions import answer_phrases_key
from search_api.errors import EngineUnavailable, IngestError, PolicyKBError
from search_api.index.elasticsearch import query as es_query
from search_api.index.elasticsearch.engine import ElasticsearchEngine, IndexRejected
from search_api.search.searcher import Searcher
from search_api.search.types import Filters, SearchRequest

pytestmark = pytest.mark.elasticsearch

AGENCY = "北京市人力资源和社会保障局"


def make_document(source: str, key: str, title: str, texts: list[str], *, date: str | None = "2023-03-17") -> Document:
    doc = Document(kind="policy", title=title, key=key, source=source, id=f"{key}-doc")
    doc.meta = {"date": date, "agencies": [AGENCY]}
    for i, text in enumerate(texts):
        doc.passages.append(
            Passage(
                kind="policy",
                text=text,
                path=[f"第{i + 1}条"],
                locator=f"第{i + 1}条",
                id=f"{key}-p{i}",
                doc_id=doc.id,
                ord=i,
                citation=f"《{title}》第{i + 1}条",
                agencies=[AGENCY],
                date=date,
                talent_categories=["技能人才"] if i % 2 == 0 else [],
                eligibility=i == 0,
                source=f"{source}:{i + 1}",
            )
        )
    return doc


def master_studio() -> Document:
    return make_document(
        "a.txt",
        "a",
        "北京市技能大师工作室建设管理办法",
        ["技能大师工作室申报条件：具有技师及以上国家职业资格。", "按照每个工作室30万元的标准给予一次性资助。"],
    )


def talent_housing(date: str = "2022-01-05") -> Document:
    texts = ["人才公寓面向高层次人才。", "Talent apartments for ＡＢＣ experts."]
    return make_document("b.txt", "b", "人才公寓管理办法", texts, date=date)


def concrete_indices(backend: Searcher) -> list[str]:
    client = backend.engine.versions.client
    return sorted(client.indices.get(index=f"{backend.engine.alias}-*", allow_no_indices=True).body)


# --------------------------------------------------------------------------- mapping


def test_mapping_loads_on_the_node(es_backend: Searcher) -> None:
    definition = es_query.index_definition()
    name = f"{es_backend.engine.alias}-mapping"
    es = es_backend.engine.versions.client
    es.indices.create(index=name, settings=definition["settings"], mappings=definition["mappings"])

    def tokens(field: str, text: str) -> list[str]:
        return [t["token"] for t in es.indices.analyze(index=name, field=field, text=text)["tokens"]]

    assert tokens("text", "人才政策") == ["人", "才", "政", "策"]
    assert tokens("text.bigram", "人才政策") == ["人才", "才政", "政策"]
    # Punctuation does not part the bigrams (the tantivy backend's bigram_text agrees).
    assert tokens("heading.bigram", "选、育，管用") == ["选育", "育管", "管用"]
    # English arrives stemmed (analysis.english); the field keeps those terms as they are.
    english = make_document("e.txt", "e", "Abstract", ["The Talents of Beijing"])
    stemmed = es_query.passage_record(english.passages[0], english)["text_en"]
    assert stemmed == "talent beij"
    assert tokens("text_en", stemmed) == ["talent", "beij"]
    meta = es.indices.get_mapping(index=name)[name]["mappings"]["_meta"]
    assert meta["schema_version"] == es_query.schema_version() == 8
    assert meta["answer_phrases"] == answer_phrases_key()


# --------------------------------------------------------------------------- alias swaps


def test_every_ingest_swaps_the_alias_and_leaves_one_index(es_backend: Searcher) -> None:
    assert es_backend.stats()["passages"] == 0  # no alias yet: empty, not an error
    es_backend.index([master_studio()], sources={"a.txt": "fa"})
    first = concrete_indices(es_backend)
    es_backend.index([talent_housing()], sources={"b.txt": "fb"})
    second = concrete_indices(es_backend)
    assert len(first) == len(second) == 1 and first != second
    assert list(es_backend.engine.versions.client.indices.get_alias(name=es_backend.engine.alias).body) == second
    stats = es_backend.stats()
    assert (stats["passages"], stats["documents"], stats["sources"]) == (4, 2, 2)
    assert stats["index"] == second[0]
    assert es_backend.sources() == {"a.txt": "fa", "b.txt": "fb"}


def test_orphans_of_crashed_builds_are_cleaned_up(es_backend: Searcher) -> None:
    es_backend.index([master_studio()], sources={"a.txt": "fa"})
    orphan = f"{es_backend.engine.alias}-v1-20200101000000-abcdef"  # as a killed build leaves it
    unrelated = f"{es_backend.engine.alias}-v1-keep"  # not one of ours: never touched
    for name in (orphan, unrelated):
        es_backend.engine.versions.client.indices.create(index=name)
    es_backend.index([talent_housing()], sources={"b.txt": "fb"})
    left = concrete_indices(es_backend)
    assert orphan not in left and unrelated in left and len(left) == 2


def test_an_index_of_another_schema_version_is_not_copied(es_backend: Searcher) -> None:
    old = f"{es_backend.engine.alias}-v0-20200101000000-abcdef"
    es_backend.engine.versions.client.indices.create(
        index=old, mappings={"_meta": {"schema_version": 0}}, aliases={es_backend.engine.alias: {}}
    )
    with pytest.raises(PolicyKBError, match="schema version 0"):
        es_backend.index([master_studio()], sources={"a.txt": "fa"})
    assert concrete_indices(es_backend) == [old]


def test_an_index_marked_with_other_answer_phrases_is_not_copied(es_backend: Searcher) -> None:
    """Its passages lack the marks of the phrases added since: copying them would leave
    the answer bonus off for those passages."""
    old = f"{es_backend.engine.alias}-v6-20200101000000-abcdef"
    meta = {"schema_version": es_query.schema_version(), "answer_phrases": "0" * 12}
    es_backend.engine.versions.client.indices.create(
        index=old, mappings={"_meta": meta}, aliases={es_backend.engine.alias: {}}
    )
    with pytest.raises(PolicyKBError, match="other answer phrases"):
        es_backend.index([master_studio()], sources={"a.txt": "fa"})
    assert concrete_indices(es_backend) == [old]


def test_reingest_replaces_a_source_without_duplicates(es_backend: Searcher) -> None:
    es_backend.index([master_studio(), talent_housing()], sources={"a.txt": "fa", "b.txt": "fb"})
    shorter = talent_housing(date="2024-06-01")
    shorter.passages = shorter.passages[:1]
    assert es_backend.index([shorter], sources={"b.txt": "fb2"}) == 1
    assert es_backend.stats()["passages"] == 3
    assert es_backend.get_passage("b-p1") is None  # stale passage gone
    assert es_backend.get_passage("b-p0").date == "2024-06-01"  # type: ignore[union-attr]
    assert es_backend.sources() == {"a.txt": "fa", "b.txt": "fb2"}
    assert es_backend.remove_sources(["b.txt"]) == 1
    assert es_backend.sources() == {"a.txt": "fa"}
    assert es_backend.remove_sources(["b.txt"]) == 0
    assert len(concrete_indices(es_backend)) == 1


def test_searches_during_a_reingest_see_old_or_new_never_empty(es_backend: Searcher) -> None:
    old = make_document("big.txt", "big", "人才政策汇编", [f"第{i}项人才政策条款" for i in range(400)])
    es_backend.index([old], sources={"big.txt": "v1"})
    new = make_document("big.txt", "big", "人才政策汇编", [f"第{i}项人才政策条款" for i in range(700)])
    seen: set[int] = set()
    done = threading.Event()

    def poll() -> None:
        reader = Searcher(ElasticsearchEngine(es_backend.engine.url, index=es_backend.engine.alias))
        deadline = time.monotonic() + 60
        while not done.is_set() and time.monotonic() < deadline:
            seen.add(reader.search(SearchRequest(query="人才", limit=1, facets=False)).total)
        reader.close()

    thread = threading.Thread(target=poll)
    thread.start()
    try:
        es_backend.index([new], sources={"big.txt": "v2"})
    finally:
        done.set()
        thread.join()
    assert seen and seen <= {400, 700}, seen
    assert es_backend.search(SearchRequest(query="人才", limit=1)).total == 700


def test_rejected_records_raise_and_leave_the_alias(es_backend: Searcher) -> None:
    es_backend.index([master_studio()], sources={"a.txt": "fa"})
    before = concrete_indices(es_backend)
    broken = talent_housing(date="2023-13-45")  # no 13th month: the date field rejects it
    with pytest.raises(IndexRejected) as caught:
        es_backend.index([broken], sources={"b.txt": "fb"})
    error = caught.value
    assert isinstance(error, IngestError)
    assert error.total == 2
    assert "passage b-p0" in str(error) and "date" in str(error)
    assert "\n" not in str(error)
    assert concrete_indices(es_backend) == before  # the half-built index was dropped
    assert es_backend.sources() == {"a.txt": "fa"}
    assert es_backend.stats()["passages"] == 2


def test_a_concrete_index_with_the_alias_name_is_refused(es_backend: Searcher) -> None:
    taken = Searcher(ElasticsearchEngine(es_backend.engine.url, index=f"{es_backend.engine.alias}-taken"))
    taken.engine.versions.client.indices.create(index=taken.engine.alias)
    with pytest.raises(PolicyKBError, match="is an index, not an alias"):
        taken.index([master_studio()], sources={"a.txt": "fa"})
    taken.close()


# --------------------------------------------------------------------------- queries


def test_query_parts_filters_and_exact_facets(es_backend: Searcher) -> None:
    es_backend.index([master_studio(), talent_housing()], sources={"a.txt": "fa", "b.txt": "fb"})
    response = es_backend.search(SearchRequest(query="技能大师工作室申报条件"))
    assert response.hits[0].id == "a-p0"
    assert "<mark>" in response.hits[0].highlight
    english = es_backend.search(SearchRequest(query="talent experts"))
    assert [h.id for h in english.hits] == ["b-p1"]
    by_number = es_backend.search(SearchRequest(query="", filters=Filters(doc_id="a-doc", eligibility_only=True)))
    assert [h.id for h in by_number.hits] == ["a-p0"]
    dated = es_backend.search(SearchRequest(query="", filters=Filters(date_from="2023", date_to="2023-03")))
    assert {h.id for h in dated.hits} == {"a-p0", "a-p1"}  # a month bound covers the whole month
    dated = es_backend.search(SearchRequest(query="", filters=Filters(date_to="2022")))
    assert {h.id for h in dated.hits} == {"b-p0", "b-p1"}
    listing = es_backend.search(SearchRequest(query=""))
    dates = [h.date or "" for h in listing.hits]
    assert dates == sorted(dates, reverse=True)
    facets = es_backend.search(SearchRequest(query="", filters=Filters(year=["2023"]), facet_documents=True)).facets
    # The chosen facet is counted without its own choice: 2022 stays a value to add.
    assert [(v.value, v.count, v.doc_count, v.selected) for v in facets["year"]] == [
        ("2023", 2, 1, True),
        ("2022", 2, 1, False),
    ]
    assert [(v.value, v.count, v.doc_count) for v in facets["talent_category"]] == [("技能人才", 1, 1)]
    assert es_backend.search(SearchRequest(query="？？")).total == 0
    with pytest.raises(PolicyKBError, match="date_from"):
        es_backend.search(SearchRequest(query="", filters=Filters(date_from="yesterday")))


def test_documents_and_policies_come_back_whole(es_backend: Searcher) -> None:
    es_backend.index([master_studio(), talent_housing()], sources={"a.txt": "fa", "b.txt": "fb"})
    document = es_backend.get_document("a-doc")
    assert document is not None and [p.id for p in document.passages] == ["a-p0", "a-p1"]
    assert es_backend.get_document("nope") is None
    assert [r.title for r in es_backend.policies()] == ["人才公寓管理办法", "北京市技能大师工作室建设管理办法"]


# --------------------------------------------------------------------------- unreachable


@pytest.fixture
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_refused_connection_is_engine_unavailable_fast(free_port: int) -> None:
    url = f"http://127.0.0.1:{free_port}"
    backend = Searcher(ElasticsearchEngine(url, index="policykb"))
    started = time.monotonic()
    with pytest.raises(EngineUnavailable) as caught:
        backend.search(SearchRequest(query="人才"))
    assert time.monotonic() - started < 3
    message = str(caught.value)
    assert message == f"Elasticsearch at {url} unreachable: connection refused"
    assert "\n" not in message and "urllib3" not in message
    for call in (backend.stats, backend.sources, backend.policies, lambda: backend.get_passage("x")):
        with pytest.raises(EngineUnavailable):
            call()
    with pytest.raises(EngineUnavailable):
        backend.index([master_studio()], sources={"a.txt": "fa"})


@pytest.fixture
def silent_server() -> Iterator[Callable[[], str]]:
    """A loopback server that accepts connections and never answers (a hung node)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield lambda: f"http://127.0.0.1:{server.getsockname()[1]}"
    server.close()


def test_a_hung_node_times_out_as_engine_unavailable(silent_server: Callable[[], str]) -> None:
    url = silent_server()
    backend = Searcher(ElasticsearchEngine(url, index="policykb", timeout_s=0.5))
    started = time.monotonic()
    with pytest.raises(EngineUnavailable, match=r"unreachable: no answer within 0\.5s"):
        backend.search(SearchRequest(query="人才"))
    assert time.monotonic() - started < 3
