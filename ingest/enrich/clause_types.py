"""Clause types: what each clause of a policy text does for an applicant.

An applicant looks for the clause that says whether they qualify (``condition``) and what
they get (``benefit``); the clauses on how to apply (``procedure``), on what binds or
sanctions them (``obligation``) and the rest (``general``: purpose, scope, definitions,
entry into force) are context. One flag for all of them ("states something for
applicants") marked half of a policy as eligible, name-plate and funding-use rules
included, so each policy passage gets one of :data:`~knowledge.tables.CLAUSE_TYPES`.

The type is decided from the clause's own markers, never from a document's title:

* **Cues** (``knowledge/data/clause_cues.json``): weighted phrases and patterns, searched
  in the clause's lead text (an article's text before its first item) and in the headings
  above it (第二章 申报条件, 第六章 法律责任, 一、提供便利服务; a section's own heading
  too, so that 十一、离休、退休问题 with no text of its own is typed). Each distinct cue found votes
  its weight for its type; the rest of an article (items, later paragraphs) votes too, its
  weights divided by ``rest_divisor``. The highest total wins, ties go to the type listed
  first, and a clause no cue votes for gets the file's default.
* **Lead-ins**: an item (项) takes the type of its article, whose lead-in states the
  consequence of the list (应具备下列条件： → conditions; 有下列情形之一的，吊销… →
  obligations), and a numbered item under a section ending with a colon takes the
  section's type; unless the item's own text votes at least ``item_override`` for one
  other type.
* The later parts of a long clause cut in pieces keep the first part's type.

``Passage.eligibility`` of a policy clause is then "its type is condition or benefit"
(:data:`~ingest.model.ELIGIBLE_CLAUSE_TYPES`). ``scripts/measure_clause_types.py``
measures the types against hand labels.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from analysis.text import normalize
from ingest.enrich.clause_model import ClauseModel, ClauseView
from ingest.enrich.cue_index import CueIndex
from ingest.model import HOLDER_UNITS, LEAD_IN_END, Document, Passage
from knowledge.clause_cues import ClauseCues, load_clause_cues
from knowledge.tables import DATA_DIR

# An article label in a path (第四条, 第二十条之一): not a heading.
_ARTICLE_LABEL = re.compile(r"^第\S+条(?:之\S+)?$")
# The first item line inside an article's text: its lead text ends before it.
_ITEM_LINE = re.compile(r"\n\s*(?:[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[.、．])")
# A lead-in that defines a term by the list below it (本办法所称中国居民，是指：): its items
# are parts of the definition, of its type whatever their words (在境外留学人员 names
# people, not what they get).
_DEFINITION_LEAD = re.compile(r"是指\s*:\s*$")
# Units whose passages may hold items or numbered children (their lead-in counts).
_PARENT_UNITS = (*HOLDER_UNITS, "intro")
_CHILD_UNITS = ("item", "section", "subsection", "numbered")
_SECTION_UNITS = ("section", "subsection")

Scores = dict[str, int]


class ClauseTyper:
    """Sets ``clause_type`` on the policy passages of a document (build once, reuse)."""

    def __init__(self, cues: ClauseCues, model: ClauseModel | None = None) -> None:
        self.cues = cues
        self.model = model
        self._rank = {kind: i for i, kind in enumerate(cues.types)}
        self._text = _Votes(cues.alternatives("text"))
        self._heading = _Votes(cues.alternatives("heading"))
        self._headings: dict[str, Scores] = {}

    @classmethod
    def from_data(cls, data_dir: Path = DATA_DIR) -> ClauseTyper:
        """The cues of ``clause_cues.json`` and, when the file exists, the model of
        ``clause_model.json`` (absent only before ``scripts/train_clause_model.py`` first runs)."""
        model = data_dir / "clause_model.json"
        return cls(load_clause_cues(data_dir / "clause_cues.json"), ClauseModel.load(model) if model.exists() else None)

    # --- scoring ------------------------------------------------------------------------

    def heading_scores(self, label: str) -> Scores:
        cached = self._headings.get(label)
        if cached is None:
            cached = self._heading.scores(normalize(label))
            self._headings[label] = cached
        return cached

    def decide(self, scores: Mapping[str, int]) -> str:
        best = max(scores.values(), default=0)
        if best <= 0:
            return self.cues.default
        return min((kind for kind, score in scores.items() if score == best), key=self._rank.__getitem__)

    def classify(self, text: str, headings: Iterable[str] = (), rest: str = "") -> str:
        """The type of a clause with lead text ``text`` under ``headings``; ``rest``
        (an article's items and later paragraphs) votes its weights divided by
        ``rest_divisor``, so that only its strong cues count, and less than the lead's."""
        return self._classify(normalize(text), headings, normalize(rest))

    def _classify(self, text: str, headings: Iterable[str], rest: str) -> str:
        """:meth:`classify` of normalised ``text`` and ``rest``."""
        return self._combine(self._text.scores(text), self._text.scores(rest), headings)

    def _combine(self, lead_votes: Mapping[str, int], rest_votes: Mapping[str, int], headings: Iterable[str]) -> str:
        scores = dict(lead_votes)
        for kind, score in rest_votes.items():
            scores[kind] = scores.get(kind, 0) + score // self.cues.rest_divisor
        for label in headings:
            for kind, score in self.heading_scores(label).items():
                scores[kind] = scores.get(kind, 0) + score
        return self.decide(scores)

    # --- documents ----------------------------------------------------------------------

    def type_document(self, document: Document) -> None:
        """Set ``clause_type`` on every policy passage of ``document`` (others: None): the
        cues' type, then the model's where there is one."""
        views = self.views(document)
        if self.model is None:
            return
        previous: Passage | None = None
        decided: dict[tuple[str, ...], str] = {}  # path of a clause → its type
        for passage, view in views:
            if view is not None:
                defined = view.parent is not None and _DEFINITION_LEAD.search(view.parent.lead)
                inherited = decided.get(tuple(passage.path[:-1])) if defined else None
                passage.clause_type = inherited or self.model.decide(view)
                decided[tuple(passage.path)] = passage.clause_type
            elif previous is not None:  # a later part of a cut clause keeps the first's type
                passage.clause_type = previous.clause_type
            previous = passage

    def views(self, document: Document) -> list[tuple[Passage, ClauseView | None]]:
        """Set the cues' type on every policy passage of ``document`` (others: None) and
        return each policy passage with what the model reads of it (None for the later
        parts of a cut clause)."""
        parents: dict[tuple[str, ...], str] = {}  # path of a lead-in → its type
        seen: dict[tuple[str, ...], ClauseView] = {}  # path of a first part → its view
        out: list[tuple[Passage, ClauseView | None]] = []
        previous: Passage | None = None
        for passage in document.passages:
            if passage.kind != "policy":
                passage.clause_type = None
                continue
            if passage.attrs.get("part", 1) != 1 and previous is not None and previous.path == passage.path:
                passage.clause_type = previous.clause_type
                out.append((passage, None))
                continue
            # Normalising keeps the length: the lead of the normalised text is the
            # normalised lead (and the extractor's own normalisation hits the cache).
            text = normalize(passage.text)
            lead = lead_text(text)
            headings = headings_of(passage)
            view = ClauseView(
                lead=lead,
                headings=tuple(headings),
                cue_type=self.cues.default,
                lead_votes=self._text.scores(lead),
                rest_votes=self._text.scores(text[len(lead) :]),
                heading_votes=tuple(self.heading_scores(label) for label in headings),
                child=passage.attrs.get("unit") in _CHILD_UNITS,
                parent=None,
            )
            passage.clause_type = self._type_of(passage, view, parents)
            unit = passage.attrs.get("unit")
            if unit == "article" or (unit in _PARENT_UNITS and lead.rstrip().endswith(LEAD_IN_END)):
                parents[tuple(passage.path)] = passage.clause_type
            parent = seen.get(tuple(passage.path[:-1])) if view.child else None
            view = replace(view, cue_type=passage.clause_type, parent=parent)
            seen[tuple(passage.path)] = view
            out.append((passage, view))
            previous = passage
        return out

    def _type_of(self, passage: Passage, view: ClauseView, parents: dict[tuple[str, ...], str]) -> str:
        inherited = parents.get(tuple(passage.path[:-1])) if view.child else None
        if inherited is None:
            return self._combine(view.lead_votes, view.rest_votes, view.headings)
        own = view.lead_votes
        rivals = {kind: score for kind, score in own.items() if kind != inherited and score >= self.cues.item_override}
        if rivals and max(rivals.values()) > own.get(inherited, 0):
            return self.decide(rivals)
        return inherited


def lead_text(text: str) -> str:
    """An article's text before its first item line (the whole text when it has none)."""
    found = _ITEM_LINE.search(text)
    return text[: found.start()] if found else text


def headings_of(passage: Passage) -> list[str]:
    """The headings above a passage: its path without article labels, and without its own
    label unless that label is a section heading (二、专业技术职务的设置 heads its own
    passage: a heading-only section has no other text to vote)."""
    own = passage.path[-1:] if passage.attrs.get("unit") in _SECTION_UNITS else []
    return [label for label in [*passage.path[:-1], *own] if not _ARTICLE_LABEL.match(label)]


class _Votes:
    """Each distinct cue found in a text votes its weight for its type."""

    def __init__(self, alternatives: list[tuple[str, str, int]]) -> None:
        self._votes = [(kind, weight) for _, kind, weight in alternatives]
        self._index = CueIndex((pattern, i) for i, (pattern, _, _) in enumerate(alternatives))

    def scores(self, text: str) -> Scores:
        scores: Scores = {}
        for i in self._index.found(text):
            kind, weight = self._votes[i]
            scores[kind] = scores.get(kind, 0) + weight
        return scores
