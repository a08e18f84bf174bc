"""Plans and filters as tantivy queries, built from :class:`tantivy.Query` objects, never
from a query string: user text cannot reach tantivy's query syntax."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

import tantivy

from analysis.text import HAN_CHAR
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
    p.REGION: "region",
    p.DOC_ID: "doc_id",
    p.ANSWER: "answer",
}
Occur = tantivy.Occur
# A character phrase's bigram field: both hold the same text (load.bigram_text drops what
# the character tokenizer skips), so Han characters in a row are a row of bigrams there.
_PAIRED = {p.TEXT: p.BIGRAM, p.HEADING: p.HEADING_BIGRAM}


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
        self._by_type: dict[type, Callable[[Any], tantivy.Query]] = {
            p.Match: self._match,
            p.AllOf: self._all_of,
            p.Near: self._near,
            p.Flag: self._flag,
            p.AnyOf: self._any_of,
            p.Best: self._best,
            p.Const: self._const,
            p.Plus: self._plus,
        }

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
        if filters.doc_ids:
            clauses.append(tantivy.Query.term_set_query(self._schema, "doc_id", list(filters.doc_ids)))
        if filters.eligibility_only:
            clauses.append(self.term("eligibility", 1))
        if filters.conditioned_only:
            clauses.append(self.term("conditioned", 1))
        if filters.date_low or filters.date_high:
            low, high = iso_to_datetime(filters.date_low), iso_to_datetime(filters.date_high)
            clauses.append(tantivy.Query.range_query(self._schema, "date", tantivy.FieldType.Date, low, high))
        return clauses

    def clause(self, clause: p.Clause) -> tantivy.Query:
        """One node of the engine-neutral plan as a tantivy query."""
        # By the node's type in a table: a plan has dozens of nodes, translated twice per
        # search (ranking and matching), and a chain of isinstance tests cost a tenth of it.
        return self._by_type[type(clause)](clause)

    def _match(self, clause: p.Match) -> tantivy.Query:
        field = FIELDS[clause.field]
        if len(clause.terms) == 1:
            query = self.term(field, clause.terms[0])
        else:
            query = tantivy.Query.phrase_query(self._schema, field, list[str | tuple[int, str]](clause.terms))
        return self._gated(clause, tantivy.Query.boost_query(query, clause.boost))

    def _all_of(self, clause: p.AllOf) -> tantivy.Query:
        field = FIELDS[clause.field]
        every = [(Occur.Must, self.term(field, term)) for term in clause.terms]
        query = every[0][1] if len(every) == 1 else tantivy.Query.boolean_query(every)
        return tantivy.Query.boost_query(query, clause.boost)

    def _near(self, clause: p.Near) -> tantivy.Query:
        terms = list[str | tuple[int, str]]([clause.first, clause.second])
        near = tantivy.Query.phrase_query(self._schema, FIELDS[clause.field], terms, slop=clause.gap)
        return tantivy.Query.boost_query(near, clause.boost)

    def _flag(self, clause: p.Flag) -> tantivy.Query:
        value = int(clause.value) if isinstance(clause.value, bool) else clause.value
        flag = self.term(FIELDS[clause.field], value)
        if clause.field == p.DOC_ID:  # the document's own record holds its id too
            passage = self.term("record_type", "passage")
            flag = tantivy.Query.boolean_query([(Occur.Must, flag), (Occur.Must, passage)])
        return tantivy.Query.const_score_query(flag, clause.boost)

    def _const(self, clause: p.Const) -> tantivy.Query:
        return tantivy.Query.const_score_query(self.clause(clause.clause), clause.boost)

    def _plus(self, clause: p.Plus) -> tantivy.Query:
        bonus = tantivy.Query.const_score_query(tantivy.Query.all_query(), clause.bonus)
        return tantivy.Query.boolean_query([(Occur.Must, self.clause(clause.clause)), (Occur.Should, bonus)])

    def _best(self, clause: p.Best) -> tantivy.Query:
        if len(clause.clauses) == 1:  # the best of one is that one, scored alike
            return self.clause(clause.clauses[0])
        return tantivy.Query.disjunction_max_query([self.clause(c) for c in clause.clauses], clause.tie)

    def _any_of(self, clause: p.AnyOf) -> tantivy.Query:
        if len(clause.clauses) == max(clause.min_match, 1):
            # All of them: an intersection, which skips ahead on the rarest clause, scores
            # the same sum and costs less than tantivy's counting disjunction.
            parts = [self.clause(c) for c in clause.clauses]
            return parts[0] if len(parts) == 1 else tantivy.Query.boolean_query([(Occur.Must, q) for q in parts])
        should = [(Occur.Should, self.clause(c)) for c in clause.clauses]
        return tantivy.Query.boolean_query(should, minimum_number_should_match=clause.min_match)

    def _gated(self, clause: p.Match, phrase: tantivy.Query) -> tantivy.Query:
        """A phrase of Han characters behind the conjunction of its bigrams, which adds
        no score: the same passages and scores, but tantivy intersects the rare bigrams
        first instead of the positions of common characters (二〇二二年 as 二 二 二 年:
        1.1 ms for no match at the regulations scale, against a few µs)."""
        bigram_field = _PAIRED.get(clause.field)
        terms = clause.terms
        if bigram_field is None or len(terms) < 2 or not all(HAN_CHAR.fullmatch(t) for t in terms):
            return phrase
        grams = [(Occur.Must, self.term(FIELDS[bigram_field], a + b)) for a, b in dict.fromkeys(pairwise(terms))]
        gate = tantivy.Query.const_score_query(tantivy.Query.boolean_query(grams), 0.0)
        return tantivy.Query.boolean_query([(Occur.Must, gate), (Occur.Must, phrase)])

    def ranking(self, plan: p.Plan | None, filters: EngineFilters) -> tantivy.Query:
        """The search: the filters and the plan, scored."""
        must = [(Occur.Must, q) for q in self.filters(filters, text=plan is not None)]
        if plan is not None:
            must.append((Occur.Must, self.clause(plan.must)))
            must += [(Occur.Should, self.clause(c)) for c in plan.should]
        return tantivy.Query.boolean_query([*must, *self._excluded(filters)])

    def matching(self, plan: p.Plan | None, filters: EngineFilters) -> tantivy.Query:
        """The same passages as :meth:`ranking`, unscored and cheaper to enumerate (for the
        facet counts): the clauses that only add score left out, and the plan's unions
        reduced by :func:`alternatives` and :func:`without_covered`."""
        must = [(Occur.Must, q) for q in self.filters(filters, text=plan is not None)]
        if plan is not None:
            must.append((Occur.Must, self.matches(plan.must)))
        return tantivy.Query.boolean_query([*must, *self._excluded(filters)])

    def _excluded(self, filters: EngineFilters) -> list[tuple[Occur, tantivy.Query]]:
        """The documents a listing has shown already (``exclude_doc_ids``), left out."""
        if not filters.exclude_doc_ids:
            return []
        return [(Occur.MustNot, tantivy.Query.term_set_query(self._schema, "doc_id", list(filters.exclude_doc_ids)))]

    def matches(self, clause: p.Clause) -> tantivy.Query:
        """The passages ``clause`` matches, as one flat union of its alternatives."""
        queries = [self._matches_one(c) for c in without_covered(alternatives(clause))]
        if len(queries) == 1:
            return queries[0]
        return tantivy.Query.boolean_query([(Occur.Should, q) for q in queries])  # none: matches nothing

    def _matches_one(self, clause: p.Clause) -> tantivy.Query:
        if isinstance(clause, p.AllOf):
            every = [(Occur.Must, self.term(FIELDS[clause.field], term)) for term in clause.terms]
            return every[0][1] if len(every) == 1 else tantivy.Query.boolean_query(every)
        if isinstance(clause, p.AnyOf):  # at least min_match > 1 of them (alternatives() took the rest)
            parts = [self.matches(c) for c in clause.clauses]
            if clause.min_match == len(parts):
                return tantivy.Query.boolean_query([(Occur.Must, q) for q in parts])
            should = [(Occur.Should, q) for q in parts]
            return tantivy.Query.boolean_query(should, minimum_number_should_match=clause.min_match)
        return self.clause(clause)  # a term, phrase or flag: its score is never computed


Atom = tuple[str, object]  # (logical field, term): a term a matching passage holds


def alternatives(clause: p.Clause) -> list[p.Clause]:
    """The clauses of which ``clause`` needs any one, nested unions flattened: a Best,
    an AnyOf needing one, a Const or Plus (score only) all match what their parts match."""
    if isinstance(clause, p.Const | p.Plus):
        return alternatives(clause.clause)
    if isinstance(clause, p.Best) or (isinstance(clause, p.AnyOf) and clause.min_match <= 1):
        return [alt for c in clause.clauses for alt in alternatives(c)]
    return [clause]


def without_covered(options: list[p.Clause]) -> list[p.Clause]:
    """``options`` (alternatives) without those another one already covers.

    Option ``b`` covers ``a`` when ``b`` is a plain conjunction of terms and every passage
    matching ``a`` holds those terms: then ``a`` adds no passage to the union. So the
    heading form 中华 人民 共和 和国 (the word's parts, all required) covers the word's
    six bigrams, and the union reads four posting lists instead of ten. Of options that
    cover each other (the same terms) the first stays.
    """
    if len(options) < 2:  # nothing to cover it (most calls: the parts of a conjunction)
        return options
    facts = [_atoms(o) for o in options]

    def covered(i: int) -> bool:
        needed = facts[i][0]
        for j, (atoms, plain) in enumerate(facts):
            if j != i and plain and atoms <= needed and (j < i or not (facts[i][1] and needed <= atoms)):
                return True
        return False

    return [o for i, o in enumerate(options) if not covered(i)]


def _atoms(clause: p.Clause) -> tuple[frozenset[Atom], bool]:
    """The terms every passage matching ``clause`` holds, and whether holding them is
    also enough (a plain conjunction: a term, all of some terms, a flag)."""
    if isinstance(clause, p.AllOf | p.Match):
        atoms = frozenset((clause.field, t) for t in clause.terms)
        # A phrase also needs the order; no terms at all matches nothing.
        return atoms, bool(atoms) and (isinstance(clause, p.AllOf) or len(clause.terms) == 1)
    if isinstance(clause, p.Flag):
        return frozenset([(clause.field, clause.value)]), True
    if isinstance(clause, p.Near):
        return frozenset([(clause.field, clause.first), (clause.field, clause.second)]), False
    if isinstance(clause, p.Const | p.Plus):
        return _atoms(clause.clause)
    if isinstance(clause, p.AnyOf) and clause.clauses and clause.min_match == len(clause.clauses):
        parts = [_atoms(c) for c in clause.clauses]
        return frozenset().union(*(atoms for atoms, _ in parts)), all(plain for _, plain in parts)
    return frozenset(), False
