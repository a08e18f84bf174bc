"""Plans and filters as tantivy queries, built from :class:`tantivy.Query` objects, never
from a query string: user text cannot reach tantivy's query syntax."""

from __future__ import annotations

from datetime import UTC, datetime

import tantivy

from search_api.index import plan as p
from search_api.index.engine import EngineFilters

# The plan's logical fields in the tantivy schema (``search_api.index.tantivy.engine``).
FIELDS = {
    p.TEXT: "chars",
    p.WORDS: "words",
    p.HEADING: "heading",
    p.BIGRAM: "ngram",
    p.HEADING_BIGRAM: "heading_ngram",
    p.ENGLISH: "english",
    p.DOC_NUMBER: "doc_number",
    p.ELIGIBILITY: "eligibility",
    p.DOC_TYPE: "doc_type",
    p.CLAUSE_TYPE: "clause_type",
}
Occur = tantivy.Occur


def iso_to_datetime(iso: str | None) -> datetime | None:
    if not iso:
        return None
    parts = [int(part) for part in iso.split("-")]
    while len(parts) < 3:
        parts.append(1)
    return datetime(parts[0], parts[1], parts[2], tzinfo=UTC)


class Translator:
    """Plan nodes and filters → tantivy queries on one schema."""

    def __init__(self, schema: tantivy.Schema) -> None:
        self._schema = schema

    def term(self, field: str, value: str | int) -> tantivy.Query:
        return tantivy.Query.term_query(self._schema, field, value)

    def filters(self, filters: EngineFilters, *, text: bool) -> list[tantivy.Query]:
        """The filters as queries. With a ``text`` query the record-type filter is left
        out: every field the ranking plan reads exists on passage records only, and
        intersecting with all 250,000 passages costs a third of a one-word query."""
        clauses = [] if text else [self.term("record_type", "passage")]
        for facet, values in filters.terms.items():
            clauses.append(tantivy.Query.term_set_query(self._schema, facet, list(values)))
        if filters.doc_number:
            clauses.append(self.term("doc_number", filters.doc_number))
        if filters.doc_id:
            clauses.append(self.term("doc_id", filters.doc_id))
        if filters.eligibility_only:
            clauses.append(self.term("eligibility", 1))
        if filters.date_low or filters.date_high:
            low, high = iso_to_datetime(filters.date_low), iso_to_datetime(filters.date_high)
            clauses.append(tantivy.Query.range_query(self._schema, "date", tantivy.FieldType.Date, low, high))
        return clauses

    def clause(self, clause: p.Clause) -> tantivy.Query:
        """One node of the engine-neutral plan as a tantivy query."""
        if isinstance(clause, p.Match):
            field = FIELDS[clause.field]
            if len(clause.terms) == 1:
                query = self.term(field, clause.terms[0])
            else:
                query = tantivy.Query.phrase_query(self._schema, field, list[str | tuple[int, str]](clause.terms))
            return tantivy.Query.boost_query(query, clause.boost)
        if isinstance(clause, p.AllOf):
            field = FIELDS[clause.field]
            every = [(Occur.Must, self.term(field, term)) for term in clause.terms]
            query = every[0][1] if len(every) == 1 else tantivy.Query.boolean_query(every)
            return tantivy.Query.boost_query(query, clause.boost)
        if isinstance(clause, p.Near):
            terms = list[str | tuple[int, str]]([clause.first, clause.second])
            near = tantivy.Query.phrase_query(self._schema, FIELDS[clause.field], terms, slop=clause.gap)
            return tantivy.Query.boost_query(near, clause.boost)
        if isinstance(clause, p.Flag):
            value = int(clause.value) if isinstance(clause.value, bool) else clause.value
            return tantivy.Query.const_score_query(self.term(FIELDS[clause.field], value), clause.boost)
        if isinstance(clause, p.Const):
            return tantivy.Query.const_score_query(self.clause(clause.clause), clause.boost)
        if isinstance(clause, p.Plus):
            bonus = tantivy.Query.const_score_query(tantivy.Query.all_query(), clause.bonus)
            return tantivy.Query.boolean_query([(Occur.Must, self.clause(clause.clause)), (Occur.Should, bonus)])
        if isinstance(clause, p.Best):
            return tantivy.Query.disjunction_max_query([self.clause(c) for c in clause.clauses], clause.tie)
        should = [(Occur.Should, self.clause(c)) for c in clause.clauses]
        return tantivy.Query.boolean_query(should, minimum_number_should_match=clause.min_match)

    def matching_and_ranking(
        self, plan: p.Plan | None, filters: EngineFilters
    ) -> tuple[tantivy.Query, tantivy.Query]:
        """The query that decides the matches (for the facets) and the one that ranks."""
        must = [(Occur.Must, q) for q in self.filters(filters, text=plan is not None)]
        if plan is None:
            query = tantivy.Query.boolean_query(must)
            return query, query
        must.append((Occur.Must, self.clause(plan.must)))
        should = [(Occur.Should, self.clause(c)) for c in plan.should]
        return tantivy.Query.boolean_query(must), tantivy.Query.boolean_query([*must, *should])
