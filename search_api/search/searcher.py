"""The engine-neutral searcher: everything between a request and an engine, written once.

A search goes: validate and normalise the filters (:mod:`search_api.search.filters`),
analyse the query (:mod:`search_api.search.query`), build the ranking plan
(:mod:`search_api.search.ranking`), let the engine run it (:meth:`Engine.run`: the only
step that needs the engine), relax it when nothing matched
(:mod:`search_api.search.relaxation`), then build the hits with their snippets and read
the facets. Both engines therefore raise the same errors for the
same input and return the same hits and highlights; only the scores differ.

The same holds for reading records (passages, documents, policies) and for title
suggestions, cached per engine generation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from analysis.text import HAN_CHAR, HAN_RUN
from ingest.model import Document, Passage, PolicyRecord
from knowledge.residence import NATIONWIDE
from search_api.index.engine import (
    Engine,
    EngineFilters,
    EngineQuery,
    EngineResult,
    Loader,
    load_in_one_session,
    remove_sources,
)
from search_api.index.engine import begin_load as checked_load
from search_api.search import budget, first_page, grouping, learned, own_facets, ranking, spelling
from search_api.search.filters import check_facets, resolve_filters
from search_api.search.generation import PerGeneration
from search_api.search.matching import QueryInfo, matched_numbers, matched_units, unit_counts, unnamed
from search_api.search.named_documents import numbered_filter
from search_api.search.policy_table import PolicyTable
from search_api.search.query import AnalyzedQuery, analyze_query
from search_api.search.records import (
    document_from_dict,
    facets_from_aggregations,
    hit_from_payload,
    passage_from_dict,
)
from search_api.search.relaxation import filled, relax, with_plan
from search_api.search.suggest import TitleIndex
from search_api.search.types import Hit, SearchRequest, SearchResponse
from search_api.settings import Settings

# A unit the index holds this often or less is offered a homophone the index holds far more
# often (spelling.HELD_RATIO), when the query found as few passages or needed fewer units.
RARE_UNIT = 3
SUGGEST_CHECK_S = 1.0  # how stale suggestions may be after another process ingests


class Searcher:
    """Search, read and suggest over one :class:`~search_api.index.engine.Engine`."""

    def __init__(self, engine: Engine, home_region: str | None = None) -> None:
        self.engine = engine
        # The region whose texts (and the nation's) come first at similar scores (北京 for
        # Beijing's service; settings.home_region); None: no region is preferred.
        self.home_region = home_region or None
        self._titles = PerGeneration(lambda engine: TitleIndex(engine.documents()))
        self._passages: tuple[object, int] | None = None
        self._tables = PerGeneration(learned.tables_of)  # short forms defined, documents by name
        self._policies = PerGeneration(lambda engine: PolicyTable.of(engine.documents("policy")))

    @property
    def name(self) -> str:
        return self.engine.name

    def _at_home(self, aq: AnalyzedQuery) -> AnalyzedQuery:
        """``aq`` with the regions whose texts bind the user, unless it names a place (a
        question about 洛阳 is answered by 河南's rules, not Beijing's)."""
        if self.home_region is None or aq.places:
            return aq
        return replace(aq, home=[self.home_region, NATIONWIDE])

    # ------------------------------------------------------------------ searching

    def search(self, request: SearchRequest) -> SearchResponse:
        """A page of hits with snippets, the total and the facets (see search.types), and
        what of the query was understood and matched (:mod:`search_api.search.matching`)."""
        filters = self._by_prefix(resolve_filters(request.filters))
        check_facets(request.facet_fields)
        aq, titled = self._analyzed(request)
        info = QueryInfo(text=request.query, normalized=aq.normalized, terms=[*aq.required, *aq.doc_numbers])
        if aq.numbered:
            info.terms, info.matched = [aq.normalized], [aq.normalized]
        if request.query.strip() and aq.empty:
            return SearchResponse(total=0, hits=[], facets=_empty_facets(request), query=info)
        query = EngineQuery(
            plan=ranking.plan(aq),
            filters=filters,
            offset=request.offset,
            limit=request.limit,
            by_date=request.sort == "date" or not request.query.strip(),
            facets=request.facets,
            facet_fields=request.facet_fields,
            facet_documents=request.facet_documents,
        )
        if request.group == "document":
            table = self._policies.get(self.engine, learned.CHECK_S)
            query, result = grouping.found(
                self.engine.run, query, request, titled, table.text_keys.get, table.copies_of
            )
        else:
            result = self.engine.run(query)
        if aq.required:
            budget.check()
            aq, result = self._understood(query, aq, result, info, spell=request.spell)
            if result.total and (lacking := [n for n in unnamed(aq, result.hits) if n not in info.unmatched]):
                info.unmatched, info.relaxed = [*info.unmatched, *lacking], True
            # By date the order is the dates': nothing moves (a replaced text of 2013 had gone
            # below one of 2010).
            if not request.offset and request.group != "document" and request.sort != "date":
                result = self._first_page(aq, result)
            elif request.group == "document" and (shown := first_page.articles_first(result.hits, aq.articles)):
                result = replace(result, hits=shown)  # under each document, the article before its items
        if aq.doc_numbers:
            found, lacking = matched_numbers(aq, result.hits)
            info.matched, info.unmatched = [*info.matched, *found], [*info.unmatched, *lacking]
        if result.total and own_facets.chosen_fields(request):
            budget.check()
            counted = own_facets.counted_apart(self.engine.run, with_plan(query, aq), request, result.aggregations)
            result = replace(result, aggregations=counted)
        budget.check()
        return self._response(request, result, aq, info, titled)

    def _by_prefix(self, filters: EngineFilters) -> EngineFilters:
        return numbered_filter(filters, self._tables.get(self.engine, learned.CHECK_S).named)

    def _analyzed(self, request: SearchRequest) -> tuple[AnalyzedQuery, list[str]]:
        """The query analysed with the index's tables: the short forms its documents define,
        and the documents it names (see search.named_documents), by 文号 prefix as all it
        asks for (no word must match), by title for a bonus. The document view searches
        the titled documents apart (grouping.named_first): they are returned beside."""
        tables = self._tables.get(self.engine, learned.CHECK_S)
        aq = analyze_query(request.query, tables.learned)
        aq = self._at_home(aq) if request.home else aq
        if request.any_unit and aq.required:
            aq = replace(aq, min_match=1)
        if request.text_only:
            aq = replace(aq, text_only=True)
        named = tables.named.named_by(request.query)
        if named.numbered:
            aq = replace(aq, required=[], min_match=0, numbered=named.numbered)
        if request.group == "document":
            return aq, named.titled
        return (replace(aq, titled=named.titled) if named.titled else aq), []

    def _understood(
        self, query: EngineQuery, aq: AnalyzedQuery, result: EngineResult, info: QueryInfo, *, spell: bool
    ) -> tuple[AnalyzedQuery, EngineResult]:
        """Say what matched; correct a typo in a unit the index lacks (unless ``spell``
        is false: the user asked for the words as typed); when nothing holds enough
        units, search the ones that exist (see :mod:`search_api.search.matching`)."""
        counts: dict[str, int] | None = None
        if result.hits:
            info.matched, info.unmatched = matched_units(aq, result.hits)
            missing = [u for u, n in unit_counts(self.engine, aq, query.filters, info.unmatched).items() if not n]
        else:  # nothing found, or a page past the last: nothing to read but what the index holds
            counts = unit_counts(self.engine, aq, query.filters)
            missing = [u for u in aq.required if not counts[u]]
            if result.total:  # (a page past the last had said every unit 未找到)
                info.matched, info.unmatched = [u for u in aq.required if counts[u]], missing
        if result.total:
            info.relaxed = bool(info.unmatched)  # a long query needs only most of its units
        info.absent = missing
        # A character jieba left alone may be half of a mistyped word (积 of 积份落户).
        lone = [w for w in aq.words if len(w) == 1 and HAN_CHAR.fullmatch(w)]
        few = info.relaxed or result.total <= RARE_UNIT
        rare = self._rare(query, aq, missing, counts) if spell and few and not aq.question else []
        typos = missing or lone or rare
        corrected = self._corrected(query, aq, info, missing, lone, rare) if spell and typos else None
        if corrected is not None:
            return filled(self.engine.run, query, *corrected, info)
        if result.total:
            return filled(self.engine.run, query, aq, result, info)
        relaxed = relax(self.engine.run, query, aq, info, counts or {}, self._passage_total())
        return filled(self.engine.run, query, *relaxed, info)

    def _first_page(self, aq: AnalyzedQuery, result: EngineResult) -> EngineResult:
        """The first page with what cannot answer the query below the rest (other places'
        policies and namesakes, a question's bare figure captions, the texts a later version
        replaces) and a named article before its items (see :mod:`search_api.search.first_page`).
        The replaced texts go below whatever the query (补贴 had listed 慈善法 of 2016 above its
        2023 text; an official comparing versions names the text, and finds both), from the
        policy table as of up to CHECK_S ago, like the query's tables: a search does not ask
        the engine for its generation every time, and a ranking hint may lag a commit."""
        superseded = self._policies.get(self.engine, learned.CHECK_S).superseded
        page = first_page.passage_page(aq, result.hits, superseded)
        return result if page is None else replace(result, hits=page)

    def _rare(
        self, query: EngineQuery, aq: AnalyzedQuery, missing: list[str], counts: dict[str, int] | None
    ) -> list[str]:
        """The Han units the index holds only a few times (RARE_UNIT), when keywords found
        little or needed fewer units: a slip that happens to be a word or a pair of
        neighbours somewhere (人材 of 传承人|材料 had found 1 passage, no 您是不是要找). Not
        in a question, whose rare words are more often the asker's own (a first version
        had moved one judged question from rank 1 to 2)."""
        asked = [u for u in aq.required if u not in missing and len(u) >= 2 and HAN_RUN.fullmatch(u)]
        if not asked:
            return []
        if counts is None:  # (counted already when nothing was found)
            counts = unit_counts(self.engine, aq, query.filters, asked)
        return [u for u in asked if 0 < counts.get(u, 0) <= RARE_UNIT]

    def _corrected(
        self,
        query: EngineQuery,
        aq: AnalyzedQuery,
        info: QueryInfo,
        missing: list[str],
        lone: list[str],
        rare: Sequence[str] = (),
    ) -> tuple[AnalyzedQuery, EngineResult] | None:
        """The query with its typos corrected, when that finds something (see spelling):
        only runs of the query that hold a unit the index lacks are corrected. Units typed
        in pinyin may read as several words (jifen: 记分, 积分): their likeliest readings
        are tried together until one set finds something (jifen luohu: 积分 落户)."""
        index = spelling.index_checks(self.engine, query.filters)
        speller = spelling.default_speller()
        fixes = spelling.corrections(aq.normalized, speller, index, missing, lone, rare)
        fixes += spelling.latin_corrections(
            missing, lambda candidates: spelling.closest_in_index(self.engine, query.filters, candidates)
        )
        readings = spelling.pinyin_readings([u for u in missing if u not in dict(fixes)], speller, index.held)
        learned_table = self._tables.get(self.engine, learned.CHECK_S).learned
        for read in readings:
            tried = [*fixes, *read]
            if not tried:
                return None
            budget.check()
            fixed = analyze_query(spelling.apply(aq.normalized, tried), learned_table)
            fixed = self._at_home(fixed) if aq.home else fixed  # as the words typed were
            result = self.engine.run(with_plan(query, fixed))
            if result.total:
                info.corrections = [{"from": typed, "to": right} for typed, right in tried]
                info.terms = [*fixed.required, *fixed.doc_numbers]
                # The corrected query may still need only most of its units: say which it found.
                info.matched, info.unmatched = matched_units(fixed, result.hits)
                info.relaxed = bool(info.unmatched)
                return fixed, result
        return None

    def _response(
        self, request: SearchRequest, result: EngineResult, aq: AnalyzedQuery, info: QueryInfo, titled: list[str]
    ) -> SearchResponse:
        """The response body; ``titled``: the documents the query names by title (document view)."""
        # The document view counts each facet value's documents (read as such at once: a
        # second pass over hundreds of values was a tenth of its Python time).
        facets = (
            facets_from_aggregations(
                result.aggregations, request.filters, request.facet_fields, documents=request.group == "document"
            )
            if request.facets and result.total
            else _empty_facets(request)
        )

        def make_hit(payload: dict[str, Any], score: float) -> Hit:
            return hit_from_payload(payload, score, aq)

        if request.group == "document":
            table = self._policies.get(self.engine, learned.CHECK_S)  # as _first_page reads it
            by_date = request.sort == "date"
            moved = None if by_date else first_page.document_rule(aq, titled, table.superseded, result.hits)
            found = grouping.documents(result, request, make_hit, moved, table.text_keys.get)
            documents = grouping.with_versions(found, table)
            return SearchResponse(
                total=result.documents or 0,
                hits=[],
                facets=facets,
                query=info,
                documents=documents,
                reachable=grouping.reachable(result, request, table.text_keys.get),
                asked_clause_types=list(aq.clause_types),
            )
        hits = [make_hit(payload, score) for score, payload in result.hits]
        return SearchResponse(
            total=result.total, hits=hits, facets=facets, query=info, asked_clause_types=list(aq.clause_types)
        )

    def _passage_total(self) -> int:
        """Passages in the index, re-counted when its generation changes (for the share
        of passages that makes a unit too common to stand alone)."""
        generation = self.engine.generation()
        cached = self._passages
        if cached is None or cached[0] != generation:
            cached = self._passages = (generation, self.engine.count_passages())
        return cached[1]

    # ------------------------------------------------------------------ records

    def get_passage(self, passage_id: str) -> Passage | None:
        payload = self.engine.passage(passage_id)
        return passage_from_dict(payload) if payload else None

    def get_document(self, doc_id: str) -> Document | None:
        """The stored document with its passages in reading order, or None."""
        payload = self.engine.document(doc_id)
        if payload is None:
            return None
        passages = [passage_from_dict(p) for p in self.engine.document_passages(doc_id)]
        return document_from_dict(payload, passages)

    def document_record(self, doc_id: str) -> dict[str, Any] | None:
        """The stored document record (metadata, ``passage_ids`` in reading order), without
        reading its passages."""
        return self.engine.document(doc_id)

    def passages_between(self, doc_id: str, first: int, last: int) -> list[Passage]:
        """The passages of a document at positions ``first`` to ``last`` (``ord``, both
        included), in reading order: a passage's neighbours without the whole document."""
        return [passage_from_dict(p) for p in self.engine.passage_range(doc_id, first, last)]

    def policies(self) -> list[PolicyRecord]:
        """All policy records, ordered by date then title."""
        return list(self.policy_table().records)

    def policy_table(self) -> PolicyTable:
        """The policy records with their lookups, rebuilt when the index changed (the
        generation is looked at on every call: a policy page must show a commit at once)."""
        return self._policies.get(self.engine, 0.0)

    def sources(self) -> dict[str, str]:
        return self.engine.sources()

    def stats(self) -> dict[str, Any]:
        return self.engine.stats()

    # ------------------------------------------------------------------ writing

    def begin_load(self, replacing: list[str]) -> Loader:
        return checked_load(self.engine, replacing)

    def index(self, documents: list[Document], *, sources: dict[str, str]) -> int:
        """Add ``documents``, replacing everything loaded before from ``sources``."""
        return load_in_one_session(self.engine, documents, sources)

    def remove_sources(self, sources: list[str]) -> int:
        return remove_sources(self.engine, sources)

    def close(self) -> None:
        self.engine.close()

    def warm(self) -> None:
        """Build what the first search would otherwise wait for (1.1 s on tantivy at the
        regulations scale; the server runs this as it starts, search_api.http.app): jieba's
        dictionary, the tables read from every document and, last, as a search needs it
        only for a typo, the typo index."""
        analyze_query("人才")  # jieba's dictionary
        self._tables.get(self.engine, learned.CHECK_S)
        self._policies.get(self.engine, learned.CHECK_S)
        self._passage_total()
        self._titles.get(self.engine, SUGGEST_CHECK_S)
        spelling.default_speller()

    # ------------------------------------------------------------------ suggestions

    def suggest(self, prefix: str, limit: int = 10) -> list[dict[str, Any]]:
        """Documents whose title or 文号 starts with (then contains) ``prefix``.

        The title list is rebuilt when the engine's generation changes (checked at most
        every SUGGEST_CHECK_S), so a keystroke costs an in-memory scan.
        """
        return self._titles.get(self.engine, SUGGEST_CHECK_S).match(prefix, limit)


def _empty_facets(request: SearchRequest) -> dict[str, Any]:
    return {f: [] for f in request.facet_fields} if request.facets else {}


def open_searcher(settings: Settings, *, create: bool = False) -> Searcher:
    """The configured engine behind a searcher; ``create`` makes an empty embedded index."""
    from search_api.index import open_engine

    return Searcher(open_engine(settings, create=create), settings.home_region)
