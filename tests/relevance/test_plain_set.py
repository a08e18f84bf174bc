"""Plain-language questions, variants and questions nothing answers, on both engines.

``queries-plain.jsonl`` and ``queries-plain-fresh.jsonl`` (see ``queries-plain.md``) were
written by reading the book and 22 + 25 files of the regulations archive: questions as
applicants and officials type them, spelling and script variants, and queries with no
answer in the index (``expect_none``: honest when the result is empty or flagged
``relaxed`` with the missing words named). One index holds the book, one each set's files.

The floors below are the issue's targets (S@1 0.85, S@5 0.95, MRR@10 0.90), which the
search reaches on the ``tune`` part (the whole first set) on both engines: a regression
guard. The ``holdout`` part (the fresh set) is never used to set weights; its figures are
reported (``-s``), not held to the targets.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from search_api.evaluation import evaluate, format_report, load_queries
from search_api.index.elasticsearch.engine import ElasticsearchEngine
from search_api.index.tantivy.engine import TantivyEngine
from search_api.search.searcher import Searcher
from tests.conftest import extract_files
from tests.parsed_folders import load_folder
from tests.relevance.conftest import drop_indices

DATA = Path(__file__).resolve().parents[1] / "data"
# The first set (all tune since the fresh one was written) and the fresh holdout. Each
# set's regulations queries were judged against that set's own files, so each set's files
# are indexed apart ("regulations", "regulations-fresh").


def _own_files(name: str) -> list[dict[str, Any]]:
    """The queries of ``queries-plain-X.jsonl`` (or ``queries-X.jsonl``) with their
    regulations queries bound to the corpus ``regulations-X`` (that set's own files)."""
    corpus = "regulations-" + name.removeprefix("queries-").removeprefix("plain-").removesuffix(".jsonl")
    return [{**q, "corpus": corpus} if q.get("corpus") == "regulations" else q for q in load_queries(DATA / name)]


FIRST = load_queries(DATA / "queries-plain.jsonl")
# The later sets, in the order written (notes: tests/data/queries-plain-<name>.md). Each
# was written by reading only and scored once before any change; the fresh one (its
# holdout split) and holdout2 to holdout7 were never tuned on and their figures are
# printed, not held; the others were tuned on.
PLAIN = {
    name: _own_files(f"queries-plain-{name}.jsonl")
    for name in ("fresh", *(f"fresh{n}" for n in range(2, 24)), *(f"holdout{n}" for n in range(2, 8)))
}
# Queries of the development set's kinds (keywords, 文号, figures, articles) over unseen
# parts of the book and the archive (queries-devlike-fresh.md), held and reported here too.
PLAIN["devlike-fresh"] = _own_files("queries-devlike-fresh.jsonl")
# Typos as an input method makes them (a character of the same sound: 申请 → 申清, 律师 →
# 律狮), one in each of 26 queries of the first set, judged by the first set's answers
# (queries-typos.jsonl, written after the homophone corrections, before any tuning on it).
TYPOS = load_queries(DATA / "queries-typos.jsonl")
QUERIES = [*FIRST, *PLAIN["fresh"], *PLAIN["fresh2"], *PLAIN["fresh3"], *PLAIN["fresh5"], *PLAIN["fresh6"]]
# Per corpus, the archive files its queries were judged against (each set's own).
FILES: dict[str, list[str]] = {}
for _query in [*FIRST, *(q for queries in PLAIN.values() for q in queries)]:
    if _query.get("corpus", "book") != "book":
        FILES[_query["corpus"]] = sorted({*FILES.get(_query["corpus"], []), *_query.get("files", [])})
# Floors on the tune part, per engine (see the module docstring).
FLOORS = {"success_at_1": 0.85, "success_at_5": 0.95, "mrr_at_10": 0.90}
# Of the answers found, the share whose snippet shows them (issue: "a condition or amount
# the query asks about is inside the snippet"): 0.90 on the first set before a lead-in's
# items joined its snippet, 0.93 after; the floor is that less one query.
SNIPPET_FLOOR = {"in_snippet": 0.91}
# Each tuned set's figures when it was added (tantivy / Elasticsearch), less a margin of
# one query: a regression guard, not the target, which they do not reach yet.
LATER_FLOORS = [
    ("second", "fresh2", {"success_at_1": 0.72, "success_at_5": 0.88, "mrr_at_10": 0.80}),
    ("third", "fresh3", {"success_at_1": 0.77, "success_at_5": 0.94, "mrr_at_10": 0.85}),
    ("fourth", "fresh4", {"success_at_1": 0.72, "success_at_5": 0.91, "mrr_at_10": 0.81}),
    ("fifth", "fresh5", {"success_at_1": 0.58, "success_at_5": 0.75, "mrr_at_10": 0.65}),
    ("sixth", "fresh6", {"success_at_1": 0.55, "success_at_5": 0.77, "mrr_at_10": 0.65}),
    ("seventh", "fresh7", {"success_at_1": 0.64, "success_at_5": 0.77, "mrr_at_10": 0.69}),
    ("eighth", "fresh8", {"success_at_1": 0.61, "success_at_5": 0.80, "mrr_at_10": 0.70}),
    ("ninth", "fresh9", {"success_at_1": 0.55, "success_at_5": 0.77, "mrr_at_10": 0.65}),
    ("tenth", "fresh10", {"success_at_1": 0.41, "success_at_5": 0.72, "mrr_at_10": 0.56}),
    ("eleventh", "fresh11", {"success_at_1": 0.41, "success_at_5": 0.75, "mrr_at_10": 0.54}),
    ("twelfth", "fresh12", {"success_at_1": 0.63, "success_at_5": 0.80, "mrr_at_10": 0.71}),
    ("thirteenth", "fresh13", {"success_at_1": 0.52, "success_at_5": 0.80, "mrr_at_10": 0.62}),
    ("fourteenth", "fresh14", {"success_at_1": 0.61, "success_at_5": 0.72, "mrr_at_10": 0.67}),
    ("fifteenth", "fresh15", {"success_at_1": 0.47, "success_at_5": 0.52, "mrr_at_10": 0.50}),
    ("sixteenth", "fresh16", {"success_at_1": 0.58, "success_at_5": 0.66, "mrr_at_10": 0.60}),
    ("seventeenth", "fresh17", {"success_at_1": 0.58, "success_at_5": 0.69, "mrr_at_10": 0.63}),
    ("eighteenth", "fresh18", {"success_at_1": 0.47, "success_at_5": 0.63, "mrr_at_10": 0.53}),
    ("nineteenth", "fresh19", {"success_at_1": 0.55, "success_at_5": 0.77, "mrr_at_10": 0.64}),
    ("twentieth", "fresh20", {"success_at_1": 0.50, "success_at_5": 0.66, "mrr_at_10": 0.57}),
    ("twenty-first", "fresh21", {"success_at_1": 0.61, "success_at_5": 0.72, "mrr_at_10": 0.66}),
    ("twenty-second", "fresh22", {"success_at_1": 0.58, "success_at_5": 0.66, "mrr_at_10": 0.63}),
    ("twenty-third", "fresh23", {"success_at_1": 0.86, "success_at_5": 0.94, "mrr_at_10": 0.89}),
    ("dev-like", "devlike-fresh", {"success_at_1": 0.85, "success_at_5": 0.92, "mrr_at_10": 0.88}),
]
# The typos set when written, tantivy 0.808 / 0.962 / 0.881 (the same queries typed right
# 0.923 / 1.000 / 0.952; before homophones were corrected 0.692 / 0.808 / 0.746),
# Elasticsearch 0.731 / 0.962 / 0.845 (two corrected queries rank their answer second),
# less a query.
TYPO_FLOORS = {"success_at_1": 0.69, "success_at_5": 0.92, "mrr_at_10": 0.80}


@pytest.fixture(scope="module")
def corpora(regulations_archive: Path, corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The corpora the sets were written over: the book, and per set the regulations
    files its queries name (their answers and look-alikes)."""
    out = {"book": corpus_dir}
    # One pass over the archive, then copies: an extractall per corpus decompressed the
    # gzip stream from its start each time (31 passes, 92 s of the suite's setup).
    once = tmp_path_factory.mktemp("plain-archive")
    extract_files(regulations_archive, {name for files in FILES.values() for name in files}, once)
    for corpus, files in FILES.items():
        target = tmp_path_factory.mktemp(f"plain-{corpus}")
        for name in files:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(once / name, target / name)
        out[corpus] = target / "regulations"
    return out


@pytest.fixture(scope="module", params=["tantivy", "elasticsearch"])
def searchers(
    request: pytest.FixtureRequest, corpora: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Searcher]]:
    """Per corpus, a searcher of the parametrised engine holding that corpus."""
    made: dict[str, Searcher] = {}
    for name, folder in corpora.items():
        if request.param == "tantivy":
            made[name] = Searcher(TantivyEngine(tmp_path_factory.mktemp(f"plain-{name}") / "index"))
        else:
            url = request.getfixturevalue("es_url")
            made[name] = Searcher(ElasticsearchEngine(url, index=f"policykb-plain-{uuid.uuid4().hex[:10]}"))
        assert not load_folder(made[name].engine, folder).failures
    yield made
    for searcher in made.values():
        if request.param == "tantivy":
            searcher.close()
        else:
            drop_indices(searcher)


def run(searchers: dict[str, Searcher], queries: list[dict[str, Any]]) -> dict[str, Any]:
    """One report over both corpora: each query against the index of its corpus."""
    outcomes = [q for name in searchers for q in evaluate(searchers[name], by_corpus(queries, name))["queries"]]
    answered = [evaluate(searchers[name], by_corpus(queries, name)) for name in searchers]
    n = sum(r["n"] for r in answered) or 1
    found = [sum(q["rank"] is not None for q in r["queries"]) for r in answered]
    return {
        "n": n,
        "success_at_1": sum(r["success_at_1"] * r["n"] for r in answered) / n,
        "success_at_5": sum(r["success_at_5"] * r["n"] for r in answered) / n,
        "mrr_at_10": sum(r["mrr_at_10"] * r["n"] for r in answered) / n,
        "in_snippet": sum(r["in_snippet"] * f for r, f in zip(answered, found, strict=True)) / (sum(found) or 1),
        "no_answer": [o for r in answered for o in r["no_answer"]["queries"]],
        "reports": "\n\n".join(format_report(r) for r in answered),
        "queries": outcomes,
    }


def by_corpus(queries: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [q for q in queries if q.get("corpus", "book") == name]


def split(name: str) -> list[dict[str, Any]]:
    return [q for q in QUERIES if q.get("split") == name]


def test_the_set_is_well_formed() -> None:
    assert len(QUERIES) >= 60 and len({q["id"] for q in QUERIES}) == len(QUERIES)
    kinds = [q["kind"] for q in QUERIES]
    assert kinds.count("question") >= 30 and kinds.count("variant") >= 10 and kinds.count("noanswer") >= 10
    assert sum(q.get("corpus") == "regulations" for q in QUERIES) >= 10
    assert split("holdout") and split("tune")


@pytest.mark.shared
def test_questions_nothing_answers_are_said_so(searchers: dict[str, Searcher]) -> None:
    report = run(searchers, [q for q in QUERIES if q.get("expect_none")])
    dishonest = [o for o in report["no_answer"] if not o["honest"]]
    assert len(report["no_answer"]) >= 10
    assert not dishonest, dishonest


@pytest.mark.shared
@pytest.mark.parametrize(
    ("name", "queries", "floors"),
    [
        ("tune", FIRST, {**FLOORS, **SNIPPET_FLOOR}),
        *((label, PLAIN[name], floors) for label, name, floors in LATER_FLOORS),
        ("typos", TYPOS, TYPO_FLOORS),
    ],
)
def test_plain_questions_reach_their_floors(
    searchers: dict[str, Searcher], name: str, queries: list[dict[str, Any]], floors: dict[str, float]
) -> None:
    held_to(searchers, name, queries, floors)


@pytest.mark.shared
def test_no_answer_queries_of_the_fourth_set_are_reported(searchers: dict[str, Searcher]) -> None:
    # Two of the fourth set's no-answer queries name a compound whose parts the index holds
    # apart (岗位 … 津贴, 购房 … 补贴): parts count as the compound only when they stand close
    # (matching.PARTS_GAP), and a benefit the query names by its modifier is reported when
    # the page lacks it (matching.unnamed), so all four are said.
    report = run(searchers, [q for q in PLAIN["fresh4"] if q.get("expect_none")])
    honest = [o["id"] for o in report["no_answer"] if o["honest"]]
    print(f"\nfourth no-answer: {len(honest)} of {len(report['no_answer'])} honest")
    assert len(report["no_answer"]) == 4 and len(honest) == 4


def held_to(searchers: dict[str, Searcher], name: str, queries: list[dict[str, Any]], floors: dict[str, float]) -> None:
    """The answerable ``queries`` reach ``floors``; their figures are printed (``-s``)."""
    report = run(searchers, [q for q in queries if not q.get("expect_none")])
    below = {figure: report[figure] for figure, floor in floors.items() if report[figure] < floor}
    print(f"\n{name} n={report['n']}: { {figure: round(report[figure], 3) for figure in floors} }")
    assert not below, f"below the floor: {below}\n{report['reports']}"


@pytest.mark.shared
def test_plain_questions_on_the_holdout_are_reported(searchers: dict[str, Searcher]) -> None:
    answerable = [q for q in split("holdout") if not q.get("expect_none")]
    report = run(searchers, answerable)
    # Figures only: the failing queries are not shown, so that nobody tunes on them.
    figures = {name: round(report[name], 3) for name in FLOORS}
    print(f"\nholdout n={report['n']}: {figures}")
    assert report["n"] == len(answerable) >= 20


@pytest.mark.shared
@pytest.mark.parametrize(
    ("name", "queries"),
    [
        ("second holdout", PLAIN["holdout2"]),
        ("third holdout", PLAIN["holdout3"]),
        ("fourth holdout", PLAIN["holdout4"]),
        ("fifth holdout", PLAIN["holdout5"]),
        ("sixth holdout", PLAIN["holdout6"]),
        ("seventh holdout", PLAIN["holdout7"]),
    ],
)
def test_plain_questions_on_later_holdouts_are_reported(
    searchers: dict[str, Searcher], name: str, queries: list[dict[str, Any]]
) -> None:
    answerable = [q for q in queries if not q.get("expect_none")]
    report = run(searchers, answerable)
    figures = {figure: round(report[figure], 3) for figure in FLOORS}  # figures only, as above
    honest = sum(o["honest"] for o in run(searchers, [q for q in queries if q.get("expect_none")])["no_answer"])
    print(f"\n{name} n={report['n']}: {figures}; no-answer {honest} of 4 honest")
    assert report["n"] == len(answerable) >= 30
