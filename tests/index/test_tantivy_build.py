"""tantivy answers "at least k of n" and unions exactly as their definitions say, and
counts the distinct documents of each facet value exactly where its sketch is exact.

``scripts/build_tantivy.sh`` builds tantivy with the project's patches
(``vendor/tantivy/``): at least k of n led by the rarest clauses, the commonest only asked
about the candidates; a union that fills 64 documents after a seek instead of 4,096; a
distinct count that skips a value its bucket took just before; a subquery shared by its
parents instead of copied into each. The patches may change how fast, never what: on an
index large enough for many union windows, every query hypothesis draws (terms, unions,
intersections, the best of two, k of n nested) matches the documents counted in Python, a
k-of-n hit scores what the plain union of its clauses scores it (the sum over the clauses
holding it), the documents of each facet value are those Python counts, and a subquery
used twice scores as two copies. Runs on PyPI's wheel too.
"""

from __future__ import annotations

import importlib.metadata
import os
import random
import shutil
from dataclasses import dataclass

import pytest
import tantivy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

DOCS = 12_000  # three union windows of 4,096 documents
# Term → share of documents holding it: rare terms lead, common ones are asked.
DENSITY = {"a": 0.002, "b": 0.01, "c": 0.03, "d": 0.1, "e": 0.3, "f": 0.6, "g": 0.9}
Occur = tantivy.Occur


@dataclass(frozen=True)
class Built:
    index: tantivy.Index
    holds: dict[str, frozenset[int]]  # term → the ids of the documents holding it


@pytest.fixture(scope="module")
def built() -> Built:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("t", tokenizer_name="raw", index_option="freq")
    builder.add_integer_field("id", stored=True, fast=True)
    schema = builder.build()
    index = tantivy.Index(schema)
    writer = index.writer(heap_size=50_000_000, num_threads=1)
    rng = random.Random(11)
    holds: dict[str, set[int]] = {term: set() for term in DENSITY}
    for doc_id in range(DOCS):
        doc = tantivy.Document(id=doc_id)
        for term, share in DENSITY.items():
            if rng.random() < share:
                holds[term].add(doc_id)
                for _ in range(rng.randint(1, 3)):  # term frequencies that differ
                    doc.add_text("t", term)
        writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return Built(index, {term: frozenset(ids) for term, ids in holds.items()})


# A query as a tree: ("term", t) | ("any", parts) | ("all", parts) | ("best", parts) |
# ("k", k, parts). Each node gives its tantivy query and its documents.
Node = tuple
terms = st.sampled_from(sorted(DENSITY))


def _extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    parts = st.lists(children, min_size=2, max_size=5)
    return st.one_of(
        st.tuples(st.sampled_from(["any", "all", "best"]), parts),
        parts.flatmap(lambda ps: st.tuples(st.just("k"), st.integers(2, len(ps)), st.just(ps))),
    )


trees = st.recursive(st.tuples(st.just("term"), terms), _extend, max_leaves=8)


def to_query(node: Node, schema: tantivy.Schema) -> tantivy.Query:
    kind = node[0]
    if kind == "term":
        return tantivy.Query.term_query(schema, "t", node[1])
    parts = [to_query(child, schema) for child in node[-1]]
    if kind == "any":
        return tantivy.Query.boolean_query([(Occur.Should, q) for q in parts])
    if kind == "all":
        return tantivy.Query.boolean_query([(Occur.Must, q) for q in parts])
    if kind == "best":
        return tantivy.Query.disjunction_max_query(parts, 0.3)
    return tantivy.Query.boolean_query([(Occur.Should, q) for q in parts], minimum_number_should_match=node[1])


def documents(node: Node, holds: dict[str, frozenset[int]]) -> frozenset[int]:
    kind = node[0]
    if kind == "term":
        return holds[node[1]]
    sets = [documents(child, holds) for child in node[-1]]
    if kind == "all":
        return frozenset.intersection(*sets)
    if kind in ("any", "best"):
        return frozenset.union(*sets)
    return frozenset(doc for doc in frozenset.union(*sets) if sum(doc in s for s in sets) >= node[1])


def hits(index: tantivy.Index, query: tantivy.Query) -> dict[int, float]:
    searcher = index.searcher()
    result = searcher.search(query, DOCS)
    return {searcher.doc(address)["id"][0]: score for score, address in result.hits}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=trees)
def test_every_query_matches_its_definition(built: Built, tree: Node) -> None:
    found = hits(built.index, to_query(tree, built.index.schema))
    assert set(found) == documents(tree, built.holds)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(trees, min_size=3, max_size=6), data=st.data())
def test_k_of_n_scores_the_sum_of_its_clauses(built: Built, parts: list[Node], data: st.DataObject) -> None:
    needed = data.draw(st.integers(2, len(parts) - 1))
    schema = built.index.schema
    k_of_n = hits(built.index, to_query(("k", needed, parts), schema))
    union = hits(built.index, to_query(("any", parts), schema))
    assert set(k_of_n) <= set(union)
    for doc, score in k_of_n.items():
        assert score == pytest.approx(union[doc], rel=1e-5)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=trees)
def test_a_shared_subquery_scores_as_its_copies(built: Built, tree: Node) -> None:
    """A query given as a subquery is shared, not copied (binding/shared-queries.patch):
    one query object used in two places of a tree scores as two separately built copies,
    and still answers on its own afterwards."""
    schema = built.index.schema

    def twice(first: tantivy.Query, second: tantivy.Query) -> tantivy.Query:
        boosted = tantivy.Query.boost_query(first, 2.0)
        return tantivy.Query.boolean_query(
            [(Occur.Must, tantivy.Query.const_score_query(second, 1.0)), (Occur.Should, boosted)]
        )

    shared = to_query(tree, schema)
    assert hits(built.index, twice(shared, shared)) == hits(
        built.index, twice(to_query(tree, schema), to_query(tree, schema))
    )
    assert set(hits(built.index, shared)) == documents(tree, built.holds)


def test_a_shared_subquery_names_its_terms() -> None:
    """The terms of a subquery reach what reads a query's terms (the snippet generator):
    the shared node passes them on."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("body", stored=True)
    schema = builder.build()
    index = tantivy.Index(schema)
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    writer.add_document(tantivy.Document(body="the quick brown fox"))
    writer.commit()
    index.reload()
    term = tantivy.Query.term_query(schema, "body", "fox")
    query = tantivy.Query.boolean_query([(Occur.Must, tantivy.Query.boost_query(term, 2.0))])
    searcher = index.searcher()
    address = searcher.search(query, 1).hits[0][1]
    snippet = tantivy.SnippetGenerator.create(searcher, query, schema, "body").snippet_from_doc(searcher.doc(address))
    assert snippet.to_html() == "the quick brown <b>fox</b>"


# Distinct documents per facet value: a document's passages sit together, several facet
# values each, so a terms aggregation interleaves its buckets; few enough documents per
# value that the sketch counts them exactly (datasketches HLL: a coupon list, then a set).
FACET_VALUES = [f"v{i}" for i in range(40)]


@dataclass(frozen=True)
class Passages:
    index: tantivy.Index
    rows: list[tuple[int, bool, frozenset[str]]]  # per passage: document, selected, values


@pytest.fixture(scope="module")
def passages() -> Passages:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("sel", tokenizer_name="raw")
    builder.add_text_field("facet", tokenizer_name="raw", fast=True)
    builder.add_unsigned_field("doc_hash", fast=True)
    index = tantivy.Index(builder.build())
    writer = index.writer(heap_size=50_000_000, num_threads=1)
    rng = random.Random(5)
    rows = []
    for doc in range(150):
        values = rng.sample(FACET_VALUES, rng.randint(1, 4))  # the document's own values
        for _ in range(rng.randint(1, 40)):
            held = frozenset(rng.sample(values, rng.randint(0, len(values))))
            selected = rng.random() < 0.7
            passage = tantivy.Document(facet=sorted(held))
            passage.add_unsigned("doc_hash", doc * 7_919 + 13)
            if selected:
                passage.add_text("sel", "y")
            writer.add_document(passage)
            rows.append((doc, selected, held))
        if doc % 50 == 49:
            writer.commit()  # three segments
    writer.commit()
    index.reload()
    return Passages(index, rows)


def test_distinct_documents_per_facet_value(passages: Passages) -> None:
    """The document view's counts: the patch skips a value equal to the one a bucket's
    sketch took last (a build that remembers one value for all buckets fails here); the
    counts stay exact."""
    aggs = {
        "f": {"terms": {"field": "facet", "size": 100}, "aggs": {"docs": {"cardinality": {"field": "doc_hash"}}}},
        "docs": {"cardinality": {"field": "doc_hash"}},
    }
    query = tantivy.Query.term_query(passages.index.schema, "sel", "y")
    found = passages.index.searcher().aggregate(query, aggs)
    chosen = [(doc, held) for doc, selected, held in passages.rows if selected]
    expected = {value: len({doc for doc, held in chosen if value in held}) for value in FACET_VALUES}
    counted = {bucket["key"]: round(bucket["docs"]["value"]) for bucket in found["f"]["buckets"]}
    assert counted == {value: n for value, n in expected.items() if n}
    assert round(found["docs"]["value"]) == len({doc for doc, _ in chosen})


@pytest.fixture(scope="module")
def with_deletions() -> Passages:
    """Passages in three segments, one in nine of them deleted after its commit (a segment
    with deletions hands its matches to a collector one by one unless it asks otherwise),
    and values repeated within a passage (counted once, like a terms bucket)."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("sel", tokenizer_name="raw")
    builder.add_text_field("facet", tokenizer_name="raw", fast=True)
    builder.add_unsigned_field("doc_hash", fast=True)
    builder.add_integer_field("pid", indexed=True)
    index = tantivy.Index(builder.build())
    writer = index.writer(heap_size=50_000_000, num_threads=1)
    rng = random.Random(9)
    rows = []
    pid = 0
    for doc in range(150):
        values = rng.sample(FACET_VALUES, rng.randint(1, 4))
        for _ in range(rng.randint(1, 40)):
            held = rng.choices(values, k=rng.randint(0, 3))  # repeats allowed
            selected = rng.random() < 0.7
            passage = tantivy.Document(facet=held, pid=pid)
            passage.add_unsigned("doc_hash", doc * 7_919 + 13)
            if selected:
                passage.add_text("sel", "y")
            writer.add_document(passage)
            rows.append((doc, selected and pid % 9 != 4, frozenset(held)))
            pid += 1
        if doc % 50 == 49:
            writer.commit()
    for gone in range(4, pid, 9):
        writer.delete_documents_by_term("pid", gone)
    writer.commit()
    index.reload()
    return Passages(index, rows)


def test_facet_counts_are_exact(with_deletions: Passages) -> None:
    """The project's one-pass facet collector (vendor/tantivy/binding/): passages and
    distinct documents per value and over all matches, counted exactly, the values by
    count then value and cut at ``size``; without ``doc_key`` no documents."""
    searcher = with_deletions.index.searcher()
    if not hasattr(searcher, "facet_counts"):
        pytest.skip("PyPI's wheel has no facet_counts: the engine counts by aggregations")
    query = tantivy.Query.term_query(with_deletions.index.schema, "sel", "y")
    found = searcher.facet_counts(query, ["facet"], 100, "doc_hash")
    chosen = [(doc, held) for doc, selected, held in with_deletions.rows if selected]
    passages = {v: sum(v in held for _, held in chosen) for v in FACET_VALUES}
    documents = {v: len({doc for doc, held in chosen if v in held}) for v in FACET_VALUES}
    expected = sorted(((v, n, documents[v]) for v, n in passages.items() if n), key=lambda b: (-b[1], b[0]))
    counted = [(b["key"], b["doc_count"], b["docs"]["value"]) for b in found["facet"]["buckets"]]
    assert counted == expected
    assert found["total"] == len(chosen)
    assert found["documents"]["value"] == len({doc for doc, _ in chosen})
    cut = searcher.facet_counts(query, ["facet"], 5)
    assert [(b["key"], b["doc_count"]) for b in cut["facet"]["buckets"]] == [(v, n) for v, n, _ in expected[:5]]
    assert "documents" not in cut and all("docs" not in b for b in cut["facet"]["buckets"])


def test_ci_tests_the_patched_build() -> None:
    """Where CI can build the patch (cargo and patch installed), scripts/setup.sh did, so
    CI's answers above are the patch's; without them PyPI's wheel is the documented case."""
    version = importlib.metadata.version("tantivy")
    if os.environ.get("CI") != "true":
        pytest.skip(f"tantivy {version}: the patched build is required under CI=true only")
    if not (shutil.which("cargo") and shutil.which("patch")):
        pytest.skip(f"tantivy {version}: cargo or patch is not installed, so PyPI's wheel (same answers)")
    assert "+policykb." in version, f"tantivy {version} is PyPI's wheel, not scripts/build_tantivy.sh's"


def test_merge_segments_merges_a_sessions_own_segments() -> None:
    """The binding's merge_segments (vendor/tantivy/binding/merge-segments.patch): the
    segments committed since ``segment_ids`` was read become one, each term matching what
    it matched before; the older segments, and any with deletions, are left as they are."""
    if not hasattr(tantivy.IndexWriter, "merge_segments"):
        pytest.skip("PyPI's wheel has no merge_segments: the index keeps its segments")
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("t", tokenizer_name="raw")
    builder.add_integer_field("pid", stored=True, indexed=True)
    index = tantivy.Index(builder.build())
    writer = index.writer(heap_size=50_000_000, num_threads=1)

    def add(pids: range) -> None:
        for pid in pids:
            writer.add_document(tantivy.Document(t=["x" if pid % 3 else "y"], pid=pid))
        writer.commit()

    def matched(term: str) -> list[int]:
        searcher = index.searcher()
        query = tantivy.Query.term_query(index.schema, "t", term)
        return sorted(searcher.doc(address)["pid"][0] for _, address in searcher.search(query, 4_000).hits)

    add(range(0, 1_000))
    older = writer.segment_ids()
    assert len(older) == 1
    add(range(1_000, 2_000))
    add(range(2_000, 3_000))
    index.reload()
    before = {term: matched(term) for term in ("x", "y")}
    assert writer.merge_segments(older) == 2
    index.reload()
    assert index.searcher().num_segments == 2 and older[0] in writer.segment_ids()
    assert {term: matched(term) for term in ("x", "y")} == before
    assert before["y"] == list(range(0, 3_000, 3))
    writer.delete_documents_by_term("pid", 1_500)  # in the merged segment
    writer.commit()
    assert writer.merge_segments([]) == 0  # the other one alone qualifies
    assert writer.merge_segments([]) == 0 and len(writer.segment_ids()) == 2
