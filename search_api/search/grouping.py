"""Results as documents: one hit per document with its best clauses, as officials expect.

Passages are what the engines rank, so a document-mode search asks the engine for a
window of the best passages (:func:`window_query`), groups them by document in rank
order (a document ranks by its best passage) and keeps, per document, its best
passages (:data:`NESTED`) and how many of its passages matched. The number of matching
documents and the facet counts of documents come from the engine's distinct counts of
``doc_id`` over all matches, so they do not depend on the window; a document's number of
matching passages is exact when every match fits in the window, else a lower bound
(``matches_exact`` false). A window holding fewer documents than the page needs while more
passages matched (a listing by date, where a document's passages come together; a query
one long document answers many times) is asked again at the largest size (:func:`widen`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from analysis.text import compact
from ingest.model import CATALOGUE_ENTRY
from search_api.index.engine import EngineQuery, EngineResult, Nested, Run
from search_api.search import budget, first_page, ranking
from search_api.search.policy_table import PolicyTable
from search_api.search.types import DocumentHit, Hit, SearchRequest

NESTED = 3  # passages shown under a document
# Documents decoded beyond the page: a copy folded into a document above it (fold_copies)
# leaves its place to the next one.
SPARE_DOCUMENTS = 2
WINDOW_PER_DOCUMENT = 20  # passages fetched per document of the requested pages
MIN_WINDOW, MAX_WINDOW = 200, 1000
MAX_BROWSE_ROUNDS = 100  # windows one listing without words may read (grouping.browse)
TextKey = Callable[[str], str | None]  # a document's text, for its copies (fold_copies)


def window_query(query: EngineQuery, request: SearchRequest) -> EngineQuery:
    """The engine query of a document page: the passages to group, and document counts."""
    window = min(MAX_WINDOW, max(MIN_WINDOW, (request.offset + request.limit) * WINDOW_PER_DOCUMENT))
    # Only the passages the page shows are decoded; the rest of the window is counted.
    shown = Nested(NESTED, request.offset + request.limit + SPARE_DOCUMENTS)
    return replace(query, offset=0, limit=window, facet_documents=True, count_documents=True, nested=shown)


def found(
    run: Run,
    query: EngineQuery,
    request: SearchRequest,
    titled: Sequence[str],
    text_key: TextKey | None = None,
    copies_of: Callable[[str], Sequence[str]] | None = None,
) -> tuple[EngineQuery, EngineResult]:
    """A document page's query and engine answer: the window (:func:`window_query`), as
    wide as the page needs (:func:`widen`), the documents the query names by title in their
    place (:func:`named_first`), further windows until the page is full (:func:`browse`), the
    shown passages of every document of the page (:func:`decoded`) and the copies of each
    (:func:`with_copies`). ``text_key``: the copies :func:`fold_copies` folds into the
    document above them take no place on a page; ``copies_of``: a document's copies."""
    query = window_query(query, request)
    result = run(query)
    if query.plan is not None:
        query, result = widen(run, query, result, request)
        result = named_first(run, query, result, titled)
    result = browse(run, query, result, request, text_key)
    result = decoded(run, query, result, request, text_key)
    if text_key is not None and copies_of is not None:
        result = with_copies(run, query, result, request, text_key, copies_of)
    return query, result


def widen(
    run: Run, query: EngineQuery, result: EngineResult, request: SearchRequest
) -> tuple[EngineQuery, EngineResult]:
    """The query and result again with the largest window, when this one is short of documents."""
    found = _window_documents(result)
    wanted = min(request.offset + request.limit, result.documents or 0)
    if found >= wanted or result.total <= len(result.hits) or query.limit >= MAX_WINDOW:
        return query, result
    wider = replace(query, limit=MAX_WINDOW)
    return wider, run(wider)


def browse(
    run: Run,
    query: EngineQuery,
    result: EngineResult,
    request: SearchRequest,
    text_key: TextKey | None = None,
) -> EngineResult:
    """The document view with every document it counts, however deep the page.

    A window of passages holds few documents when they are long and match often: by date a
    document's passages come together (刑法's 771 articles; 「2023年」 counted 94 documents
    and showed 3, 条例 by date 2,356 and showed 16), and by relevance the book's chapters
    fill the largest window (人才: 479 documents counted, 51 shown). Here the next window
    leaves out the documents seen (``exclude_doc_ids``) until the page is full or the matches
    run out. By relevance the order stays the documents' best passages: every document the
    next window finds scores below each one seen. Each window adds at least one document,
    and the rounds are bounded by the page's position and by :data:`MAX_BROWSE_ROUNDS`; the
    first page of a query rarely needs one.
    """
    if query.nested is None:
        return result
    wanted = request.offset + request.limit
    window, hits = list(window_of(result)), list(result.hits)
    seen = dict.fromkeys(doc for _, doc in window)
    exhausted = result.total <= len(window)
    for _ in range(MAX_BROWSE_ROUNDS):
        places = len(_ranked_places(list(seen), text_key))
        if exhausted or places >= wanted:
            break
        budget.check()
        rest = replace(query.filters, exclude_doc_ids=(*query.filters.exclude_doc_ids, *seen))
        shown = Nested(query.nested.per_document, wanted - places + SPARE_DOCUMENTS)
        # The largest window: the fewer rounds, the better (each sorts every match again).
        more = run(_uncounted(query, filters=rest, limit=MAX_WINDOW, nested=shown))
        added = window_of(more)
        window += added
        hits += more.hits
        seen.update(dict.fromkeys(doc for _, doc in added))
        exhausted = more.total <= len(added)
    return replace(result, hits=hits, window=window)


def decoded(
    run: Run,
    query: EngineQuery,
    result: EngineResult,
    request: SearchRequest,
    text_key: TextKey | None,
) -> EngineResult:
    """``result`` with the shown passages of every document of the requested page.

    The engine decodes those of the window's first documents only (:data:`SPARE_DOCUMENTS`
    beyond the page); where more copies were folded above the page (刑法 and its copy, a
    司法解释 filed twice), the page's last documents had none and were left out: browsing
    最高人民法院's 426 documents by date reached 160. Those documents' passages are searched
    again, restricted to them, and take the scores of their places in the window."""
    if query.nested is None:
        return result
    window = window_of(result)
    ranked = window_places(result, text_key)
    have = {payload["doc_id"] for _, payload in result.hits}
    missing = [doc for doc in ranked[request.offset : request.offset + request.limit] if doc not in have]
    if not missing:
        return result
    theirs = _within(run, query, missing, decoded=len(missing)).hits
    scores: dict[str, list[float]] = {}
    for score, doc in window:
        scores.setdefault(doc, []).append(score)
    places: Counter[str] = Counter()
    added = []
    for score, payload in theirs:  # the engine's score beside a filter is not the window's
        doc = payload["doc_id"]
        own = scores.get(doc, [])
        added.append((own[places[doc]] if places[doc] < len(own) else score, payload))
        places[doc] += 1
    return replace(result, hits=[*result.hits, *added])


def with_copies(
    run: Run,
    query: EngineQuery,
    result: EngineResult,
    request: SearchRequest,
    text_key: TextKey,
    copies_of: Callable[[str], Sequence[str]],
) -> EngineResult:
    """``result`` with the matching passages of the page's documents' copies that rank
    below the window, at its end, so that :func:`fold_copies` folds them in.

    A copy is folded into the best ranked document holding its text, wherever that one is:
    the page of a later copy leaves it out (the window holds everything above it). So that
    page must show it: by date, 进出口商品检验法实施条例 filed as of 2022 (page 5 of
    国务院's texts) and as of 2017 (page 14) was on neither."""
    window = window_of(result)
    held = {doc for _, doc in window}
    page = window_places(result, text_key)
    below = [
        c for doc in page[request.offset : request.offset + request.limit] for c in copies_of(doc) if c not in held
    ]
    if not below:
        return result
    theirs = _within(run, query, list(dict.fromkeys(below)), decoded=0)
    return replace(result, window=[*window, *window_of(theirs)])


def window_places(result: EngineResult, text_key: TextKey | None) -> list[str]:
    """The window's documents in rank order, each once, less the copies folded above."""
    return _ranked_places(list(dict.fromkeys(doc for _, doc in window_of(result))), text_key)


def _ranked_places(docs: list[str], text_key: TextKey | None) -> list[str]:
    """``docs`` in rank order less the copies :func:`fold_copies` folds into one above."""
    return list(fold_copies(docs, text_key)) if text_key is not None else docs


def _within(run: Run, query: EngineQuery, docs: list[str], decoded: int) -> EngineResult:
    """The query's window over ``docs`` alone, the shown passages of ``decoded`` of them
    decoded (:func:`decoded`, :func:`with_copies`)."""
    budget.check()
    only = replace(query.filters, doc_ids=tuple(docs))
    return run(_uncounted(query, filters=only, offset=0, limit=MAX_WINDOW, nested=Nested(NESTED, decoded)))


def _uncounted(query: EngineQuery, **changes: Any) -> EngineQuery:
    """``query`` changed, asking for no facets or counts: a second search of the same page,
    whose totals the first one counted already."""
    return replace(query, facets=False, facet_documents=False, count_documents=False, **changes)


def named_first(run: Run, query: EngineQuery, result: EngineResult, named: Sequence[str]) -> EngineResult:
    """``result`` with the window's passages of the documents the query names by title
    (see search.named_documents) searched apart, each with the title bonus.

    With the bonus in the window query, one long named document (民法典's 1,260 articles)
    fills the window alone and the page shows no other document; without it, a named
    document may rank below the window. So its passages that match come from a second
    search within the named documents, and take their place in the window by score.
    Totals and facet counts are the window query's, which counts them already.
    """
    if not named or query.plan is None or query.nested is None:
        return result
    plan = ranking.in_documents(query.plan, list(named), ranking.BOOST_TITLE)
    shown = Nested(query.nested.per_document, len(named))
    theirs = run(_uncounted(query, plan=plan, nested=shown))
    keep = set(named)
    window = [*(theirs.window or []), *(w for w in window_of(result) if w[1] not in keep)]
    window.sort(key=lambda w: -w[0])  # stable: the engine's order among equal scores
    hits = [*theirs.hits, *(h for h in result.hits if h[1]["doc_id"] not in keep)]
    return replace(result, hits=hits, window=window)


def documents(
    result: EngineResult,
    request: SearchRequest,
    make_hit: Callable[[dict[str, Any], float], Hit],
    moved: Callable[[dict[str, Any]], bool] | None = None,
    text_key: TextKey | None = None,
) -> list[DocumentHit]:
    """The requested page of documents (in the window's order), each with its best
    passages as hits and how many of the window's passages it has, and the copies of its
    text below it folded in (:func:`fold_copies`, by ``text_key``). On the first page the
    documents whose best passage ``moved`` names go below the rest (search.first_page)."""
    window = window_of(result)
    matches = Counter(doc for _, doc in window)  # in the window's order, like a dict
    shown: dict[str, list[tuple[float, dict[str, Any]]]] = {}
    for score, payload in result.hits:
        shown.setdefault(payload["doc_id"], []).append((score, payload))
    exact = result.total <= len(window)
    copies = fold_copies(list(matches), text_key) if text_key is not None else {doc: [] for doc in matches}
    # A document without its passages (a window searched again, search.matching) is left out.
    page = [doc for doc in list(copies)[request.offset : request.offset + request.limit] if doc in shown]
    if moved is not None and not request.offset:
        best = first_page.reordered([shown[doc][0] for doc in page], moved)
        page = page if best is None else [payload["doc_id"] for _, payload in best]
    return [_document(shown[doc], matches[doc], exact, make_hit, copies[doc]) for doc in page]


def with_versions(documents: list[DocumentHit], table: PolicyTable) -> list[DocumentHit]:
    """The documents with what the policy table knows of each: the later version that
    replaces it (an official searching 船员条例 must see which of two same-titled results
    is the text in force) and whether only its catalogue line is held (全文未收录)."""
    out = []
    for doc in documents:
        newer = table.newer(doc.doc_id)
        newer_id, newer_date = (newer.id, newer.date) if newer is not None else (None, None)
        out.append(
            replace(doc, newer_id=newer_id, newer_date=newer_date, catalogue_only=table.catalogue_only(doc.doc_id))
        )
    return out


def fold_copies(ranked: list[str], text_key: TextKey) -> dict[str, list[str]]:
    """The documents in rank order, each with the documents below it that hold its text word
    for word (the same ``text_key``): a law filed twice (adopted and in force, with and
    without its 文号) is one result with a copy, not two results in a row."""
    first: dict[str, str] = {}  # text key → the best ranked document holding it
    kept: dict[str, list[str]] = {}
    for doc in ranked:
        key = text_key(doc)
        if key is not None and key in first:
            kept[first[key]].append(doc)
            continue
        if key is not None:
            first[key] = doc
        kept[doc] = []
    return kept


def reachable(result: EngineResult, request: SearchRequest, text_key: TextKey | None = None) -> int | None:
    """How many documents the pages can show, when fewer than matched: the places of the
    windows read when :func:`browse` stopped at its bound before the page was full (a page
    past them comes back short although more documents matched); None otherwise."""
    found = len(window_places(result, text_key))
    read_all = result.total <= len(window_of(result)) or (
        result.documents is not None and _window_documents(result) >= result.documents
    )
    return None if read_all or found >= request.offset + request.limit else found


def _window_documents(result: EngineResult) -> int:
    """The distinct documents of the window's passages."""
    return len({doc for _, doc in window_of(result)})


def window_of(result: EngineResult) -> list[tuple[float, str]]:
    """(score, doc_id) of every passage of the window, in rank order: the engine's, for a
    query with ``nested`` (:func:`window_query`); else from the hits (the searcher's own
    empty result, when relaxation finds nothing to search)."""
    if result.window is not None:
        return result.window
    return [(score, payload["doc_id"]) for score, payload in result.hits]


def _document(
    group: list[tuple[float, dict[str, Any]]],
    matches: int,
    exact: bool,
    make_hit: Callable[[dict[str, Any], float], Hit],
    copies: list[str],
) -> DocumentHit:
    best_score = group[0][0]
    group = _clauses_first(group)
    best = group[0][1]
    passages = [make_hit(payload, score) for score, payload in distinct_passages(group[:NESTED])]
    return DocumentHit(
        doc_id=best["doc_id"],
        doc_title=best["doc_title"],
        doc_kind=best["doc_kind"],
        doc_type=best["kind"],
        agencies=list(best["agencies"]),
        doc_number=best.get("doc_number"),
        date=best.get("date"),
        score=best_score,
        matches=matches,
        matches_exact=exact,
        passages=passages,
        copies=copies,
        missing=[unit for unit in passages[0].missing if all(unit in hit.missing for hit in passages)],
    )


def _clauses_first(group: list[tuple[float, dict[str, Any]]]) -> list[tuple[float, dict[str, Any]]]:
    """A document's passages with its catalogue line after its own clauses: the line only
    repeats the title (《北京市技能大师工作室建设管理办法》 had shown 「政策目录 6」 as its best
    clause, and its type as a catalogue entry, though its full text is held)."""
    clauses = [hit for hit in group if hit[1]["kind"] != CATALOGUE_ENTRY]
    return [*clauses, *(hit for hit in group if hit[1]["kind"] == CATALOGUE_ENTRY)] if clauses else group


def distinct_passages(group: list[tuple[float, dict[str, Any]]]) -> list[tuple[float, dict[str, Any]]]:
    """The shown passages without one whose text another shown one holds whole: an
    article and its item (第四条, 第四条（一）) would show the same words twice; the better
    ranked of the two stays."""
    kept: list[tuple[float, dict[str, Any]]] = []
    texts: list[str] = []  # the kept passages' texts, white space removed
    for score, payload in group:
        text = compact(payload["text"])
        if not any(text in other or other in text for other in texts):
            kept.append((score, payload))
            texts.append(text)
    return kept
