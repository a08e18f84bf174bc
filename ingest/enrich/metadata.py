"""Metadata enrichment: agencies, 文号, dates, talent categories, clause types, validity.

:class:`MetadataExtractor` is built once per run (it loads and validates the tables in
``knowledge/data/``) and fills, for every passage of a :class:`~ingest.model.Document`:

* ``agencies``: who issued it (a policy clause: the policy's issuers; a catalogue entry:
  its line's agency; an event: the agencies acting in it; report prose: none), and
  ``mentioned_agencies``: every agency its text names (whole-word phrase matches of every
  alias); see :mod:`~ingest.enrich.agency_roles`;
* ``doc_number``: the document's normalised 文号 (a catalogue entry: its own 文号);
* ``date``: the passage's own date (``attrs["date"]``, e.g. an event), else the
  document's date;
* ``talent_categories``: canonical categories named in the passage, with their
  ancestors (a 技能大师 passage is 高技能人才 and so 技能人才); see
  :mod:`~ingest.enrich.talent_categories`;
* ``clause_type`` of a policy clause (:mod:`~ingest.enrich.clause_types`) and
  ``eligibility``: for a policy clause, whether it states a condition or a benefit;
  for a catalogue entry, whether it has a cue of ``eligibility_cues.json``. Report prose
  is never eligible: it *describes* policies and must not outrank the clauses themselves.

and at document level ``meta["agencies"]`` (issuers), ``meta["region"]`` (地区,
:mod:`~ingest.enrich.regions`), ``meta["doc_number"]``,
``meta["date"]`` (ISO when parseable), ``meta["talent_categories"]`` (most frequent
first) and, for policies, ``meta["valid_until"]`` and ``meta["repeals"]``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.text import compact, normalize
from ingest.enrich.abbreviations import AbbreviationFinder
from ingest.enrich.agency_roles import (
    UNPLACED,
    AgencyRoles,
    LocalAliases,
    Span,
    document_place,
    signature_agencies,
)
from ingest.enrich.clause_types import ClauseTyper
from ingest.enrich.conditions import ConditionExtractor
from ingest.enrich.dates import find_repeals, find_valid_until, parse_date
from ingest.enrich.nlp import Nlp, PhraseTagger, TokenLike, cover_words
from ingest.enrich.regions import document_region
from ingest.enrich.talent_categories import TalentCategoryFinder
from ingest.model import CATALOGUE_ENTRY, ELIGIBLE_CLAUSE_TYPES, Document, Passage
from knowledge.categories import category_issuers, folder_issuer, load_category_issuers, load_issuer_folders
from knowledge.docnum import PrefixTable, find_doc_numbers, parse_doc_number
from knowledge.residence import jurisdiction
from knowledge.tables import (
    DATA_DIR,
    load_agencies,
    load_eligibility_cues,
    load_lifecycle,
    load_named_after,
    load_official_titles,
    load_region_codes,
    load_talent_categories,
)

if TYPE_CHECKING:  # pragma: no cover
    from analysis.words import Analyzer

AGENCY = "agency"
TALENT = "talent"

# Separators inside an agencies_raw string (北京市人力资源和社会保障局、北京市教育委员会).
_RAW_SEP = re.compile(r"[、，,；;/\s]+")
_ISO_PREFIX = re.compile(r"^\d{4}(?:-\d{2}){0,2}$")
# An issuing agency named before 关于 in a notice title: 北京市人力资源和社会保障局 … 关于印发….
_TITLE_ABOUT = "关于"


class MetadataExtractor:
    """Fills passage and document metadata from the domain tables (build once, reuse)."""

    def __init__(self, data_dir: Path = DATA_DIR, analyzer: Analyzer | None = None) -> None:
        agencies = load_agencies(data_dir / "agencies.json")
        categories = load_talent_categories(data_dir / "talent_categories.json")
        cues = load_eligibility_cues(data_dir / "eligibility_cues.json")
        self._lifecycle = load_lifecycle(data_dir / "doc_lifecycle.json")
        self.prefixes = PrefixTable.from_agencies(agencies, load_region_codes(data_dir / "agencies.json"))
        self._category_issuers = load_category_issuers(data_dir / "agencies.json", agencies)
        self._issuer_folders = load_issuer_folders(data_dir / "agencies.json")

        self._agency_alias: dict[str, str] = {}
        for agency in agencies:
            for word in (agency.name, *agency.aliases):
                self._agency_alias[compact(word)] = agency.name
        self.agency_levels = {a.name: a.level for a in agencies}
        self._local = LocalAliases(agencies)  # 市人民政府 is 北京市人民政府 in 北京's documents only
        self._national = frozenset(a.name for a in agencies if a.level == "national")
        self._roles = AgencyRoles(
            (a.name for a in agencies if a.generic),
            load_official_titles(data_dir / "agencies.json"),
            load_named_after(data_dir / "agencies.json"),
        )
        self._typer = ClauseTyper.from_data(data_dir)
        self._abbreviations = AbbreviationFinder()
        self._conditions = ConditionExtractor()
        self._talent = TalentCategoryFinder(categories)

        self._eligible_kinds = cues.kinds
        self._cue = cues.sentence_regex()
        self._cue_anywhere = _relaxed(self._cue)

        self._analyzer = analyzer
        self._nlp: Nlp | None = None
        self._tagger: PhraseTagger | None = None

    # --- lookups --------------------------------------------------------------------------

    def canonical_agency(self, name: str, place: str | None = None) -> str | None:
        """The canonical name of an agency alias (市人社局 → 北京市人力资源和社会保障局),
        in a document of ``place`` (None: not known; see agency_roles.LocalAliases)."""
        key = compact(name).strip("《》“”\"'()（）[]【】。，,、")
        canonical = self._agency_alias.get(key)
        return canonical if canonical is not None and self._local.applies(key, place) else None

    # --- lazily built NLP parts -------------------------------------------------------------

    @property
    def analyzer(self) -> Analyzer:
        if self._analyzer is None:
            from analysis.words import get_analyzer

            self._analyzer = get_analyzer()
        return self._analyzer

    def prepare(self) -> None:
        """Build the NLP parts now (spaCy import, alias patterns), e.g. before forking."""
        self._ensure_nlp()

    def _ensure_nlp(self) -> tuple[Nlp, PhraseTagger]:
        if self._nlp is None or self._tagger is None:
            self._nlp = Nlp()
            self._tagger = PhraseTagger(
                self._nlp,
                {AGENCY: self._agency_alias, TALENT: self._talent.tagged},
                self.analyzer.words,
            )
        return self._nlp, self._tagger

    # --- document level -------------------------------------------------------------------

    def find_agencies(
        self, text: str, tokens: Sequence[TokenLike] | None = None, place: str | None = None
    ) -> list[str]:
        """Canonical agencies named in ``text`` (whole-word matches, in order), in a
        document of ``place`` (None: not known)."""
        nlp, tagger = self._ensure_nlp()
        words = cover_words(normalize(text), tokens if tokens is not None else self.analyzer.words(text))
        spans = self._local.keep(tagger.spans(nlp.doc_of(words)).get(AGENCY, []), words, place)
        return _unique(name for name, _, _ in spans)

    def _agencies_from_raw(self, raw: Any) -> list[str]:
        items: list[str] = []
        for item in raw if isinstance(raw, list) else [raw]:
            items += [part for part in _RAW_SEP.split(str(item)) if part]
        out: list[str] = []
        for part in items:
            canonical = self.canonical_agency(part)
            if canonical is not None:
                out.append(canonical)
                continue
            found = self.find_agencies(part)
            # An unknown issuer is still worth a facet value: keep it verbatim.
            out += found or ([part] if len(part) >= 2 else [])
        return _unique(out)

    def document_agencies(self, document: Document) -> list[str]:
        """Issuing agencies: agencies_raw, else existing meta agencies, else the agencies
        named before 关于 in a policy title, else a signature closing the policy (agency
        lines above a date), else the 文号 issuer's agencies, else the issuer of the legal
        category the policy is filed under."""
        meta = document.meta
        if meta.get("agencies_raw"):
            return self._agencies_from_raw(meta["agencies_raw"])
        if meta.get("agencies"):
            return self._agencies_from_raw(list(meta["agencies"]))
        # The title's place only: the issuers that would also tell it are what is sought here.
        place = jurisdiction(document.title)
        if document.kind == "policy" and _TITLE_ABOUT in document.title:
            head = document.title.split(_TITLE_ABOUT, 1)[0]
            found = self.find_agencies(head, place=place) if head.strip() else []
            if found:
                return found
        if document.kind == "policy":
            clauses = [p for p in document.passages if p.kind == "policy"]
            for passage in clauses[-2:][::-1]:
                signed = signature_agencies(passage.text, lambda name: self.canonical_agency(name, place))
                if signed:
                    return signed
        number = self.document_number(document)
        if number is not None:
            parsed = parse_doc_number(number, self.prefixes)
            if parsed is not None:
                return self.prefixes.agencies(parsed.issuer)
        # The issuer the law fixes for the legal category a policy is filed under, else the
        # department whose folder the collection files it under.
        if document.kind != "policy":
            return []
        fixed = category_issuers(document.source, self._category_issuers)
        return fixed or folder_issuer(document.source, self._issuer_folders, self.canonical_agency)

    def document_number(self, document: Document) -> str | None:
        """The normalised 文号 of a document: meta["doc_number"], else a header passage
        that is nothing but a 文号 (policies print it under the title)."""
        raw = document.meta.get("doc_number")
        if raw:
            parsed = parse_doc_number(str(raw), self.prefixes)
            return parsed.normal if parsed is not None else str(raw)
        if document.kind == "policy":
            for passage in document.passages[:3]:
                parsed = parse_doc_number(passage.text, self.prefixes)
                if parsed is not None:
                    return parsed.normal
        return None

    # --- passages -------------------------------------------------------------------------

    def _tokens(self, passage: Passage) -> list[Any]:
        if passage.tokens is None:
            passage.tokens = list(self.analyzer.words(passage.text))
        return passage.tokens

    def _may_be_eligible_text(self, text: str) -> bool:
        """False when no sentence of ``text`` can match a cue: the cues, with their
        lookaheads dropped, match nowhere in the whole text (one scan, no sentences)."""
        return self._cue_anywhere is None or self._cue_anywhere.search(text) is not None

    def _eligible_text(self, nlp: Nlp, words: list[str], text: str) -> bool:
        """A sentence of ``text`` (whose Doc words are ``words``) matches a cue."""
        return any(self._cue.search(text, start, end) for start, end in nlp.sentence_spans(words))

    def _eligible(self, passage: Passage, cued: bool, nlp: Nlp, words: list[str], text: str) -> bool:
        """A policy clause states a condition or a benefit; a passage of another
        eligible kind (a catalogue entry) has a cue in one of its sentences."""
        if passage.kind == "policy":
            return passage.clause_type in ELIGIBLE_CLAUSE_TYPES
        return cued and self._eligible_text(nlp, words, text)

    def _issuers(
        self, passage: Passage, document: Document, issuers: list[str], words: list[str], found: list[Span]
    ) -> list[str]:
        """The 发文机关 of a passage (see :mod:`~ingest.enrich.agency_roles`)."""
        if passage.kind == "policy":
            return list(issuers) if document.kind == "policy" else []
        if passage.kind == "event":
            return self._roles.actors(words, found)
        if passage.kind != CATALOGUE_ENTRY:
            return []
        raw = passage.attrs.get("agencies_raw")
        own = self._roles.keep(self._agencies_from_raw(raw)) if raw else self._roles.actors(words, found)
        if not own and passage.doc_number:
            own = self._roles.keep(self.prefixes.agencies(passage.doc_number.split("〔", 1)[0]))
        return own or (list(issuers) if document.kind == "policy" else [])

    def enrich(self, document: Document) -> None:
        """Fill the metadata of ``document`` and of all its passages in place."""
        nlp, tagger = self._ensure_nlp()
        meta = document.meta
        number = self.document_number(document)
        if number is not None:
            meta["doc_number"] = number
        doc_date = _iso_or_none(meta.get("date"))
        if doc_date is not None:
            meta["date"] = doc_date
        doc_agencies = self._roles.keep(self.document_agencies(document))
        meta["agencies"] = doc_agencies
        is_policy = document.kind == "policy"
        place = document_place(document.title, doc_agencies, self._national)
        meta["region"] = document_region(place, doc_agencies)
        if place is None and is_policy:
            place = UNPLACED
        self._typer.type_document(document)
        self._abbreviations.extract_document(document)  # meta["abbreviations"]: short forms it defines
        self._conditions.extract_document(document)  # reads the clause types just set

        counts: Counter[str] = Counter()
        for passage in document.passages:
            tokens = self._tokens(passage)
            text = normalize(passage.text)
            # Most passages name no agency or category and have no cue: the Doc's words,
            # its phrase matches and its sentences are made only where they can find
            # something (the same results as always making them).
            cued = passage.kind in self._eligible_kinds and self._may_be_eligible_text(text)
            tagged = tagger.may_match(text, map(_TEXT, tokens))
            words = cover_words(text, tokens) if cued or tagged else []
            spans = tagger.spans(nlp.doc_of(words)) if tagged else {}

            found = self._local.keep(spans.get(AGENCY, []), words, place)
            passage.doc_number = number
            if passage.kind == CATALOGUE_ENTRY:
                passage.doc_number = self._entry_number(passage) or number
            # The 发文机关 facet means the issuer: a clause of a policy belongs to its
            # issuing agencies, not to every agency it mentions (国务院津贴, 区人社局).
            passage.agencies = self._issuers(passage, document, doc_agencies, words, found)
            passage.mentioned_agencies = self._roles.mentions(words, found)
            passage.attrs.pop("mentioned_agencies", None)

            passage.date = _iso_or_none(passage.attrs.get("date")) or doc_date
            passage.talent_categories = self._talent.named(spans.get(TALENT, []), words, text, tokens)
            counts.update(passage.talent_categories)

            passage.eligibility = self._eligible(passage, cued, nlp, words, text)

        meta["talent_categories"] = [name for name, _ in counts.most_common()]
        if is_policy:
            text = "\n".join(p.text for p in document.passages)
            meta["valid_until"] = find_valid_until(text, doc_date, self._lifecycle)
            meta["repeals"] = find_repeals(text, self._lifecycle, self.prefixes)

    def _entry_number(self, passage: Passage) -> str | None:
        raw = passage.attrs.get("doc_number")
        if raw:
            parsed = parse_doc_number(str(raw), self.prefixes)
            if parsed is not None:
                return parsed.normal
        found = find_doc_numbers(passage.text, self.prefixes)
        return found[0].normal if found else None


_TEXT = attrgetter("text")
# A lookahead with no group inside: (?!知), (?=…).
_LOOKAHEAD = re.compile(r"(?<!\\)\(\?[=!](?:[^()\\]|\\.)*\)")
# What can make a match depend on the characters after it (lookaheads left, $, \b, \B,
# \Z, atomic groups, possessive quantifiers), escaped backslashes removed first.
_AFTER_MATCH = re.compile(r"\\[bBZz]|\(\?[=!>]|(?<!\\)\$|[*+?}]\+")


def _relaxed(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A pattern that matches somewhere in a text wherever ``pattern`` matches one of its
    sentences (``pattern.search(text, start, end)``), or None when none is had this way.

    A sentence's search sees the text before the sentence (lookbehinds, ``^``, ``\\b``)
    but nothing after its end. The pattern without its lookaheads matches wherever the
    pattern does; when nothing else in it looks past a match, its match in a sentence is
    one in the whole text too.
    """
    source = _LOOKAHEAD.sub("", pattern.pattern)
    if _AFTER_MATCH.search(source.replace("\\\\", "")):
        return None
    return re.compile(source, pattern.flags)


def _iso_or_none(value: Any) -> str | None:
    if not value:
        return None
    text = str(value).strip()
    parsed = parse_date(text)
    if parsed is not None:
        return parsed
    return text if _ISO_PREFIX.match(text) else None


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
