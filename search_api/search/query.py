"""User query → the terms every backend searches for (never an engine query string).

The query goes through the index-time analyzer (jieba with the user dictionary), then:

* a 文号 in any bracket or spacing variant (京政办发2023 20号) becomes its normalised
  form, matched against the documents' own number; an article reference (第47条,
  第四十七条) becomes one unit in the numbering the documents use;
* question words are dropped and aspect words (地点, 情况) kept only as a bonus
  (``query_stopwords.txt``); what kind of answer is asked for (a condition, a date, a
  definition) is detected first (``query_intents.json``), and the unit right after an
  interrogative (什么条件 → 条件) is marked as what the question asks for (``focus``);
* an amount is a unit in every notation (五年 ≡ 5年) and, for an age, also the clause's
  word for it (58岁 ≈ 年龄, ``amount_words.json``);
* runs of words found in the synonym table (``knowledge.synonyms``) become one unit
  whose alternatives are searched too, with a lower weight; so do runs of single
  characters that jieba could not place (经/开/区: a word missing from its dictionary),
  without the grammatical characters on their edges (被/追/责 → 追责);
* so do the short forms the indexed documents define (``knowledge.abbreviations``,
  市级工作室 → 市级技能大师工作室): their full form is searched in the defining document
  only (``scoped``), or everywhere when two documents agree;
* a compound unit keeps its parts (技能大师工作室 → 技能/大师/工作室), which may match
  written apart; neighbouring units form pairs for a proximity bonus.

:func:`search_api.search.ranking.plan` turns the result into the engine-neutral query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

from analysis.english import stem
from analysis.separable import rejoin_separable
from analysis.text import HAN, HAN_CHAR, HAN_RUN, Token, bigrams, normalize
from analysis.words import get_analyzer
from knowledge.abbreviations import LearnedSynonyms
from knowledge.docnum import spellings
from knowledge.questions import (
    QueryWords,
    compound_heads,
    drop_question_forms,
    favoured_clause_types,
    intents,
    query_words,
    term_phrases,
)
from knowledge.residence import load_gazetteer
from knowledge.synonyms import default_table, part_spellings
from search_api.search.references import References, bounded_amounts, references
from search_api.search.typed_runs import typed_runs

_LATIN = re.compile(r"[a-z]")
_HAN_SPACE = re.compile(rf"(?<=[{HAN}])\s+(?=[{HAN}])")
_LATIN_WORD = re.compile(r"[a-z][a-z0-9]*")
# Segment separators: whitespace and sentence or list punctuation (half- and full-width
# forms are folded by ``normalize``, except the ideographic ones listed here).
_SEPARATORS = re.compile(r"[\s,.;:!?，。；：！？、]+")
_MAX_STOP_TOKENS = 4
MAX_RUN = 12  # the longest typed run read as one phrase (a term, not a title or a sentence)
MAX_MODIFIER = 3  # characters of the word before a head that names a benefit (交通, 安家费)


@dataclass(frozen=True)
class AnalyzedQuery:
    raw: str
    normalized: str = ""  # the text searched: folded, traditional → simplified, question forms out
    words: list[str] = field(default_factory=list)  # units: jieba words or table entries, question words removed
    subwords: list[str] = field(default_factory=list)  # dictionary sub-words of long units (search mode)
    bigrams: list[str] = field(default_factory=list)  # Han bigrams of the meaningful words
    doc_numbers: list[str] = field(default_factory=list)  # normalised 文号 in the query
    is_english: bool = False
    eligibility_intent: bool = False  # asks about conditions, entitlements or procedures

    required: list[str] = field(default_factory=list)  # words that count towards the match rule
    min_match: int = 0  # how many of ``required`` a passage must contain
    question: bool = False  # asked in words (question words dropped), not typed as keywords

    alternatives: dict[str, list[str]] = field(default_factory=dict)  # unit → synonyms, abbreviations
    scoped: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # unit → {alternative → its documents}
    multiword: list[str] = field(default_factory=list)  # units spanning several analyzer words
    parts: dict[str, list[str]] = field(default_factory=dict)  # compound unit → the words it is made of
    weak: list[str] = field(default_factory=list)  # aspect words: a bonus, never required
    pairs: list[tuple[str, str]] = field(default_factory=list)  # neighbouring units
    articles: list[str] = field(default_factory=list)  # 第四十七条: article references
    english: dict[str, str] = field(default_factory=dict)  # Latin-script unit → its English stem
    intents: list[str] = field(default_factory=list)  # names of the detected intents
    doc_types: list[str] = field(default_factory=list)  # passage kinds the intents favour
    clause_types: list[str] = field(default_factory=list)  # clause types the intents favour
    answer_phrases: list[str] = field(default_factory=list)  # phrases an answer would contain
    asks_figure: bool = False  # the answer is a figure (多久, 多少钱): snippets show one
    term_phrases: list[str] = field(default_factory=list)  # ... about a unit of the query (所称的出版)
    focus: list[str] = field(default_factory=list)  # required units the question asks for (什么条件)
    topic: list[str] = field(default_factory=list)  # required units no intent cue is part of (人才公寓)
    # Han runs that hold several required units (创业担保贷款; a space between Han words is
    # folded away first): the passage holding the run as typed is what was asked for, not
    # one holding 担保 and 贷款 apart.
    runs: list[str] = field(default_factory=list)
    named: dict[str, list[str]] = field(default_factory=dict)  # 交通补贴 → [交通, 补贴]: a benefit named
    places: list[str] = field(default_factory=list)  # required units that name a place (北京, 山东)
    bounded: list[list[str]] = field(default_factory=list)  # per amount, 满5年 ≡ 满五年 (references.bounded_amounts)
    # The regions whose texts bind the user (北京, 全国) when the query names no place: a
    # bonus (Searcher.home_region).
    home: list[str] = field(default_factory=list)
    titled: list[str] = field(default_factory=list)  # ids of the documents the query names by title
    numbered: list[str] = field(default_factory=list)  # ids of the documents whose 文号 starts with the query
    text_only: bool = False  # units match in the passage's own text only (SearchRequest.text_only)

    @property
    def empty(self) -> bool:
        return not self.words and not self.doc_numbers

    @cached_property
    def highlight_terms(self) -> list[str]:
        """What a snippet marks: the 文号 as written, the units and the synonyms that may
        have matched instead; for a 文号 prefix (法释〔2025〕) the prefix whole, not its parts
        (2025 of a date). Read once per hit: worked out once per query."""
        numbers = [s for number in self.doc_numbers for s in spellings(number)]
        if self.numbered:
            return [*numbers, *spellings(self.normalized)]
        return [*numbers, *self.words, *(s for synonyms in self.alternatives.values() for s in synonyms)]

    @property
    def fallback_terms(self) -> list[str]:
        """What a snippet marks when it holds none of :attr:`highlight_terms`: the query's
        bigrams; nothing for a 文号 prefix, whose documents match whole."""
        return [] if self.numbered else self.bigrams

    def relaxed(self) -> AnalyzedQuery:
        """The same query needing one required word fewer (at least one): what a backend
        tries, step by step, when nothing matched. Stepping down keeps the results that
        have most of the words, and their set small (at 250,000 passages, any one of five
        words can match 30,000 passages; three of five, a handful)."""
        return replace(self, min_match=max(min(1, len(self.required)), self.min_match - 1))


def minimum_match(count: int, *, question: bool = False) -> int:
    """Required words a passage must contain: all of up to two, then two in three.

    Officials expect every typed word to count (人才 公寓 means both); long natural-language
    questions name context the answering clause leaves to its headings, so a few may miss:
    a question (question words were dropped) of five units or more, one more
    (教师资格证一年可以申请认定几次: the clause says 教师资格认定 and 每年, not 资格证, 一年).
    """
    if count <= 2:
        return count
    needed = count - count // 3
    return needed - 1 if question and count >= 5 else needed


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the spans replaced by a separator (they are units of their own)."""
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " + text[end:]
    return text


@dataclass
class _Units:
    """What the segments yield, in query order, before de-duplication."""

    kept: list[str] = field(default_factory=list)
    weak: list[str] = field(default_factory=list)
    multiword: dict[str, list[str]] = field(default_factory=dict)  # unit → its analyzer words
    pairs: list[tuple[str, str]] = field(default_factory=list)
    stopped: list[str] = field(default_factory=list)  # question words (kept if nothing else)
    focus: list[str] = field(default_factory=list)  # units right after an interrogative
    previous: str | None = None  # the last unit, for the next pair
    named: dict[str, list[str]] = field(default_factory=dict)  # a benefit named by its modifier
    last: tuple[str, int] | None = None  # the last unit or character and where it ends
    asked: bool = False  # the last token was an interrogative (什么, 哪种)


def _stop_span(segment: str, tokens: list[Token], first: int, stop: frozenset[str]) -> int:
    """How many tokens from ``first`` on spell a question word (能不能 cut as 能/不能)."""
    for last in range(min(len(tokens), first + _MAX_STOP_TOKENS) - 1, first - 1, -1):
        if segment[tokens[first].start : tokens[last].end] in stop:
            return last - first + 1
    return 0


def _single_run(segment: str, tokens: list[Token], first: int, words: QueryWords) -> int:
    """How many single Han characters in a row start at ``first`` (经/开/区, 高/被/引).

    With HMM off, jieba leaves a word missing from its dictionary as single characters;
    together they are one unit, matched as characters in a row. A grammatical character
    (被, 在) ends the run at its edge: 被/追/责 is 追责 after a passive marker; so does a
    question word spelt by several (人/占/多/大 is 人占 before 多大, not a unit 人占多大).
    """
    last = first
    while (
        last < len(tokens)
        and HAN_CHAR.fullmatch(tokens[last].text)
        and tokens[last].text not in words.stop
        and (last == first or tokens[last].start == tokens[last - 1].end)
        and (last == first or not _stop_span(segment, tokens, last, words.stop))
    ):
        last += 1
    while last - 1 > first and tokens[last - 1].text in words.edge:
        last -= 1
    return last - first


def _segment_units(segment: str, units: _Units, *, english: bool, learned: LearnedSynonyms | None) -> None:
    tokens: list[Token] = get_analyzer().words(segment)
    table = default_table()
    words = query_words()
    units.asked = False
    units.last = None  # offsets are the segment's own
    i = 0
    while i < len(tokens):
        single = tokens[i].text in words.edge or words.interrogative(tokens[i].text)
        stopped = _stop_span(segment, tokens, i, words.stop) or int(single)
        if stopped:
            units.stopped.append(segment[tokens[i].start : tokens[i + stopped - 1].end])
            units.asked = units.stopped[-1] in words.asking
            units.last = None
            i += stopped
            continue
        span = max(table.longest_at(segment, tokens, i), learned.longest_at(segment, tokens, i) if learned else 0)
        if span > 1:
            unit = segment[tokens[i].start : tokens[i + span - 1].end]
            units.multiword[unit] = [t.text for t in tokens[i : i + span]]
        elif (run := _single_run(segment, tokens, i, words)) > 1:
            span, unit = run, segment[tokens[i].start : tokens[i + run - 1].end]
            units.multiword[unit] = []  # no parts: single characters mean little alone
        else:
            # 批下来 is 批, but 退回去 stays: the synonym table knows it (退回, 追回).
            word = tokens[i].text
            span, unit = 1, word if table.lookup(word) else words.without_complement(word)
        _name_benefit(units, unit, tokens[i].start, tokens[i + span - 1].end)
        i += span
        # "of", "the" in an English query; in 外国高端人才（A类） the letter is kept.
        if english and _LATIN_WORD.fullmatch(unit) and stem(unit) is None:
            units.stopped.append(unit)
            continue
        (units.weak if unit in words.weak else units.kept).append(unit)
        if units.asked and len(unit) > 1 and unit not in words.weak:
            units.focus.append(unit)  # 什么条件: the question asks for a 条件
        units.asked = False
        if len(unit) > 1 and unit not in words.weak:
            if units.previous is not None:
                units.pairs.append((units.previous, unit))
            units.previous = unit


def _name_benefit(units: _Units, unit: str, start: int, end: int) -> None:
    """A head of a benefit's name (补贴, 产假) right after a word or character (交通, 陪)
    names one benefit (交通补贴, 陪产假), which the search reports when no result holds it."""
    last, units.last = units.last, (unit, end)
    if last is None or last[1] != start or not HAN_RUN.fullmatch(last[0]) or last[0] in query_words().weak:
        return
    if len(last[0]) > MAX_MODIFIER:  # 工作人员 病假 is who, not which leave
        return
    head = next((h for h in compound_heads() if unit.endswith(h)), None)
    if head is not None and len(unit) <= len(head) + 1:  # 补贴, 产假; not 住房补贴, a name itself
        units.named[last[0] + unit] = [last[0], unit]


def compound_parts(word: str) -> list[str]:
    """The dictionary words a compound is made of, left to right (技能/大师/工作室).

    Longest sub-word first at each position; characters no sub-word covers are left out
    (they mean little alone). Empty when ``word`` is not a compound of two or more.
    """
    subwords = set(get_analyzer().subwords(word))
    parts: list[str] = []
    i = 0
    while i < len(word):
        size = next((n for n in (3, 2) if word[i : i + n] in subwords), 0)
        if size:
            parts.append(word[i : i + size])
        i += size or 1
    return parts if len(parts) > 1 else []


def _units(text: str, refs: References, english: bool, learned: LearnedSynonyms | None) -> _Units:
    units = _Units()
    for segment in _SEPARATORS.split(_blank(text, refs.spans)):
        if segment:
            _segment_units(segment, units, english=english, learned=learned)
    return units


def analyze_query(query: str, learned: LearnedSynonyms | None = None) -> AnalyzedQuery:
    """Analyse with the index-time analyzer; drop question words unless nothing remains.
    ``learned``: the short forms the indexed documents define (one table per index
    generation, see :mod:`search_api.search.learned`).

    Cached: paging and facet clicks repeat a query, and the result is never changed.
    """
    return _analyze(query, learned)


def _learned_alternatives(
    words: list[str], learned: LearnedSynonyms | None, alternatives: dict[str, list[str]]
) -> dict[str, dict[str, tuple[str, ...]]]:
    """Add the full forms of the learned short forms among ``words`` (and the short forms
    of the full forms among them) to ``alternatives``; return those searched only in
    their defining documents, with the documents."""
    scoped: dict[str, dict[str, tuple[str, ...]]] = {}
    if learned is None:
        return scoped
    for word in words:
        known = set(words) | set(alternatives.get(word, ()))
        everywhere = [f for f in learned.everywhere.get(word, ()) if f not in known]
        local = {f: docs for f, docs in learned.scoped.get(word, {}).items() if f not in known}
        # A typed full form reaches its short form in the documents that define it.
        local.update({s: docs for s, docs in learned.by_full.get(word, {}).items() if s not in known})
        if everywhere or local:
            alternatives.setdefault(word, []).extend([*everywhere, *local])
        if local:
            scoped[word] = local
    return scoped


def _folded(query: str) -> str:
    """The query as analysed: normalised, a space between Han words dropped (青年人才 住房
    补贴 ≡ 青年人才住房补贴), and a verb split as spoken written whole (退了休 ≡ 退休:
    :mod:`analysis.separable`)."""
    return rejoin_separable(_HAN_SPACE.sub("", normalize(query.strip())))


@lru_cache(maxsize=1024)
def _analyze(query: str, learned: LearnedSynonyms | None) -> AnalyzedQuery:
    folded = _folded(query)
    text = drop_question_forms(folded)
    if not text:
        return AnalyzedQuery(raw=query)
    found = [i for i in intents() if i.found_in(text)]
    refs = references(text)
    is_english = bool(_LATIN.search(text)) and not HAN_CHAR.search(text)
    units = _units(text, refs, is_english, learned)
    # Asked in words: a question word was dropped (not a particle: 北京的人才政策), or a form
    # no list holds (是不是, 吗).
    particles = query_words().particles
    question = text != folded or any(HAN_CHAR.search(w) and w not in particles for w in units.stopped)
    articles = list(dict.fromkeys(refs.articles))
    kept = list(dict.fromkeys([*units.kept, *articles, *refs.amounts])) or list(dict.fromkeys(units.stopped))
    # An intent's optional words become weak while a unit of more than one character stays
    # required (每月能拿多少钱 keeps 每月, or 拿 alone would decide).
    optional = {w for i in found for w in i.optional_words}
    rest = [w for w in kept if w not in optional]
    loose = [w for w in kept if w in optional] if any(len(w) > 1 for w in rest) else []
    kept = [w for w in kept if w not in loose]
    weak = [w for w in dict.fromkeys([*units.weak, *loose]) if w not in kept]
    # A single Han character ("钱", "号") carries little meaning on its own: it scores but
    # does not decide whether a passage matches, unless it is all the query has.
    required = [w for w in kept if len(w) > 1 or not HAN_CHAR.fullmatch(w)] or kept or weak
    words = list(dict.fromkeys([*kept, *weak]))
    alternatives = _with_synonyms(dict(refs.typed), words)
    scoped = _learned_alternatives(words, learned, alternatives)
    plain = [w for w in words if w not in articles]  # 第四十七条 has no meaningful parts
    parts = {w: [p for p in units.multiword.get(w) or compound_parts(w) if len(p) > 1] for w in required}
    for word, pieces in parts.items():  # 高校教师 is also 高等学校教师 (knowledge.synonyms)
        known = {word, *alternatives.get(word, ())}
        if spelled := [w for w in part_spellings(word, pieces) if w not in known]:
            alternatives.setdefault(word, []).extend(spelled)
    places = [w for w in required if w in load_gazetteer().spelling]
    topic = [w for w in required if not any(c in w or w in c for i in found for c in i.cues)]
    return AnalyzedQuery(
        raw=query,
        normalized=" ".join(text.split()),
        words=words,
        subwords=_subwords(plain, units.multiword),
        bigrams=list(dict.fromkeys(g.text for w in plain for g in bigrams(w) if len(g.text) == 2)),
        doc_numbers=list(dict.fromkeys(refs.numbers)),
        is_english=is_english,
        eligibility_intent=any(i.eligible for i in found),
        required=required,
        min_match=minimum_match(len(required), question=question),
        question=question,
        alternatives=alternatives,
        scoped=scoped,
        multiword=[w for w in words if w in units.multiword],
        parts={w: p for w, p in parts.items() if len(p) > 1 and w not in articles},
        weak=[w for w in weak if w not in required],
        pairs=list(dict.fromkeys(p for p in units.pairs if p[0] != p[1])),
        articles=articles,
        english={w: s for w in words if _LATIN_WORD.fullmatch(w) and (s := stem(w)) is not None},
        intents=[i.name for i in found],
        asks_figure=any(i.figure for i in found),
        doc_types=list(dict.fromkeys(t for i in found for t in i.doc_types)),
        clause_types=favoured_clause_types(found),
        # A phrase the query itself holds (有效期 of 有效期几年) is matched as a unit
        # already: as a bonus it would favour every passage that repeats the question.
        answer_phrases=list(dict.fromkeys(p for i in found for p in i.answer_phrases if p not in text)),
        term_phrases=term_phrases(found, required),
        focus=[w for w in dict.fromkeys(units.focus) if w in required],
        topic=topic,
        runs=typed_runs(text, [w for w in topic if w not in places], MAX_RUN),
        bounded=bounded_amounts(text, refs),
        # A benefit named as typed (博士补贴), not two words a space parts (上海 落户 博士 补贴).
        named={name: parts for name, parts in units.named.items() if name in normalize(query)},
        places=places,
    )


def _with_synonyms(alternatives: dict[str, list[str]], words: list[str]) -> dict[str, list[str]]:
    """``alternatives`` with each word's everyday synonyms (synonyms.json) it lacks."""
    for word in words:
        synonyms = [s for s in default_table().lookup(word) if s not in words]
        if synonyms:
            alternatives.setdefault(word, []).extend(synonyms)
    return alternatives


def _subwords(words: list[str], multiword: dict[str, list[str]]) -> list[str]:
    """Search-mode terms of the units: the words of a multi-word unit and the dictionary
    sub-words of long words, as the index holds them for its own long words."""
    analyzer = get_analyzer()
    found: list[str] = []
    for word in words:
        parts = multiword.get(word) or [word]
        found += [p for p in parts if p != word and len(p) > 1]
        found += [sub for part in parts for sub in analyzer.subwords(part)]
    return [s for s in dict.fromkeys(found) if s not in words]
