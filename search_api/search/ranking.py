"""The ranking query as engine-neutral clauses, and its weights: one plan for every engine.

:func:`plan` turns an :class:`~search_api.search.query.AnalyzedQuery` into a small tree of
nodes (:class:`Match`, :class:`Near`, :class:`Flag`, :class:`AnyOf`, :class:`Best`,
:class:`Const`, :class:`Plus`) over logical fields; each backend translates the tree node
by node (:mod:`search_api.index.plan` is the language between them).
Weights live here only, so the engines cannot drift apart.

What a passage must match: ``min_match`` of the required units (each as typed, in its
parts, as a synonym or as its English stem, in the text or in the headings), or the 文号
of the query. Everything else only adds score:

* BM25 per field: the text (characters and jieba words), the heading path with the
  document title (a higher weight: a heading names what the passage is about), and the
  stemmed English words; a unit's best field and form count most;
* coverage: a fixed amount per matched unit, more for the unit a question asks for;
* places: a fixed amount when a place the query names is in the title or headings;
* proximity: neighbouring units of the query close together in the text;
* article references: the passage under 第四十七条 when the query names it;
* intents: eligible clauses for eligibility questions, timeline entries for event
  questions, answer phrases such as 是指 for a definition question. They are bonuses,
  never filters, so report chapters still rank for topic queries.

The weights were set on the dev set together with judged queries written for this work
over other parts of the book and over laws and regulations, so that the dev set is not
the only yardstick.
"""

from __future__ import annotations

import re

from analysis.text import HAN, bigrams, normalize
from search_api.index.plan import (
    ANSWER,
    BIGRAM,
    CLAUSE_TYPE,
    DOC_ID,
    DOC_NUMBER,
    DOC_TYPE,
    ELIGIBILITY,
    ENGLISH,
    HEADING,
    HEADING_BIGRAM,
    REGION,
    TEXT,
    WORDS,
    AllOf,
    AnyOf,
    Best,
    Clause,
    Const,
    Flag,
    Match,
    Near,
    Plan,
    Plus,
    chars,
)
from search_api.search.query import AnalyzedQuery

# Relative weights of the query parts (README "Ranking").
BOOST_WORD = 1.0
BOOST_CHARS = 0.5
BOOST_HEADING = 1.5
BOOST_SYNONYM = 0.6  # an alternative the user did not type
BOOST_SYNONYM_HEADING = 0.9
BOOST_ENGLISH = 1.5
BOOST_WEAK = 0.5  # aspect words (地点, 情况): a bonus where they occur
BOOST_CHAR = 0.5  # a single character of the query, wherever the text holds it
BOOST_SUBWORD = 0.5
BOOST_BIGRAM = 0.2
BOOST_PROXIMITY = 0.25
# A word matched by its n bigrams (AllOf) scores GRAMS_FACTOR / n of their summed IDF:
# like one word of two characters, a little above it because a bigram's IDF is below the
# summed IDF of its two characters that a phrase of characters scored.
GRAMS_FACTOR = 1.5
BOOST_COVERAGE = 10.0  # per required unit the passage matches
BOOST_PLACE = 5.0  # a place of the query in the title or headings
BOOST_FOCUS = 5.0  # more for the unit a question asks for (什么条件: 条件)
# More for a unit of the question's topic beside units that only say what kind of answer
# is wanted (工作居住证 of 申请工作居住证需要什么材料: 申请 and 材料 had ranked
# 核材料管制条例 first). On the judged plain questions S@1 .681 -> .682, MRR .752 either way.
BOOST_TOPIC = 5.0
BOOST_RUN = 10.0  # a typed run of several units found as typed, like one more unit covered
FIELD_TIE = 0.3  # weight of a unit's second-best field (text vs headings)
FORM_TIE = 0.5  # weight of a unit's other forms in one field (synonyms, parts)
PARTS_FACTOR = 0.5  # a compound found only in its parts, relative to as typed
# The article named by number: a navigational query, like a 文号. Above what a passage
# citing it scores for its number and the title's words (出境入境管理法 第四十一条: 第九十三条,
# which cites it, had come first at 25; the catalogue line of 技能大师工作室…办法 before its 第四条).
BOOST_ARTICLE = 60.0
BOOST_ELIGIBLE = 2.0  # intent bonuses (query_intents.json), fixed amounts
# A clause of a type the question asks for (什么待遇: a benefit): more than the flag
# bonus, as a short duty or penalty item naming the same words (未按照规定落实…安置待遇的)
# outscored the benefit clauses by its length alone (all judged sets: 6 queries up, 4 down).
BOOST_CLAUSE_TYPE = 5.0
BOOST_DOC_TYPE = 3.0
# A text that binds the user (their region's or the nation's), when the query names no
# place: a tie-breaker among passages about as good, not a filter (深圳经济特区外商投资条例
# had come before 北京市境外职业资格认可目录 for 外籍人才 工作许可 on a Beijing service).
BOOST_HOME = 10.0
BOOST_ANSWER = 15.0
BOOST_DOC_NUMBER = 20.0  # every passage of the document with the query's 文号
BOOST_DOC_NUMBER_TEXT = 2.0  # a passage citing that 文号
# Every passage of a document the query names by title (search.named_documents): above
# what the title's words score in the passages of documents that cite it in theirs.
BOOST_TITLE = 50.0

# Characters (or Latin words) between two neighbouring units that still count as close:
# 领办人到达退休年龄 for 领办人 退休, 股东会行使下列职权 for 股东会 职权.
PROXIMITY_SLOP = 3
# The same in jieba words, where an engine has them (tantivy's WORDS field): a phrase of
# two words is much cheaper than one of two common characters (人 … 退).
PROXIMITY_WORDS = 2
ENGLISH_SLOP = 2

_HAN_WORD = re.compile(rf"[{HAN}]{{2,}}")


def han_bigrams(text: str) -> tuple[str, ...] | None:
    """The overlapping character bigrams of an all-Han ``text`` of two or more characters
    (技能大师 → 技能 能大 大师); None for anything else (digits, Latin, one character)."""
    if not _HAN_WORD.fullmatch(text):
        return None
    norm = normalize(text)
    if _HAN_WORD.fullmatch(norm):  # one run of Han characters: its bigrams read off directly
        return tuple(norm[i : i + 2] for i in range(len(norm) - 1))
    return tuple(gram.text for gram in bigrams(text))


_BIGRAM_FIELD = {TEXT: BIGRAM, HEADING: HEADING_BIGRAM}


def _phrase(field: str, text: str, boost: float) -> Match | AllOf | None:
    """``text`` in ``field`` (TEXT or HEADING), weighted like one word of two characters:
    an all-Han text by its bigrams (:class:`AllOf`), anything else (digits, Latin, one
    character) as its characters in a row.

    Both score the sum of their terms' IDF, so unscaled a seven-character term
    (技能大师工作室) would outweigh the rest of the query by its length alone.
    """
    grams = han_bigrams(text)
    if grams is not None:
        return AllOf(_BIGRAM_FIELD[field], grams, boost * GRAMS_FACTOR / len(grams))
    terms = chars(text)
    return Match(field, terms, boost * 2 / max(len(terms), 2)) if terms else None


def _near(field: str, first: tuple[str, ...], second: tuple[str, ...], gap: int) -> Near | None:
    """Two units close together, in order: where one ends and the other begins (领办人 …
    退休 as 人 … 退); each unit's own phrase is matched by the required part."""
    return Near(field, first[-1], second[0], gap, BOOST_PROXIMITY) if first and second else None


def _near_words(aq: AnalyzedQuery, first: str, second: str) -> Near | None:
    """Two units close together, in order, as words: at most PROXIMITY_WORDS words
    between them. An engine without a WORDS field translates it as :func:`boundary_near`.
    A unit spanning several words is no single term, so it gets no proximity bonus."""
    if first in aq.multiword or second in aq.multiword:
        return None
    # Where the first unit ends and the second begins, at most PROXIMITY_SLOP characters
    # apart (领办人 … 退休 as 人 … 退), for an engine without a word field.
    fallback = _near(TEXT, chars(first), chars(second), PROXIMITY_SLOP)
    return Near(WORDS, first, second, PROXIMITY_WORDS, BOOST_PROXIMITY, fallback)


def _parts(aq: AnalyzedQuery, unit: str, field: str, boost: float) -> AnyOf | None:
    """All parts of a compound written apart: 技能大师 … 工作室 for 技能大师工作室, or
    急需紧缺 in a section heading and 境外职业资格 in the title above it."""
    parts = [p for p in (_phrase(field, part, boost) for part in aq.parts.get(unit, ())) if p is not None]
    return AnyOf(tuple(parts), len(parts)) if len(parts) > 1 else None


def _alternative(aq: AnalyzedQuery, unit: str, other: str, field: str, boost: float) -> Clause | None:
    """An alternative of ``unit`` in ``field``; a full form a document defines for its own
    short form (``aq.scoped``) counts in that document only."""
    phrase = _phrase(field, other, boost)
    documents = aq.scoped.get(unit, {}).get(other)
    if phrase is None or not documents:
        return phrase
    scope = tuple(Flag(DOC_ID, doc, 0.0) for doc in documents)
    return AnyOf((phrase, scope[0] if len(scope) == 1 else AnyOf(scope)), 2)


def _best(forms: list[Clause | None]) -> Best | None:
    present = tuple(f for f in forms if f is not None)
    return Best(present, FORM_TIE) if present else None


def _in_text(aq: AnalyzedQuery, unit: str) -> Best | None:
    """The unit in the passage's own text, by its best form: as typed (a word and its
    characters), in its parts, as a synonym, as an English stem. Forms overlap (永久居留
    is inside 永久居留身份证), so they do not add up."""
    typed: list[Clause | None] = [_phrase(TEXT, unit, BOOST_CHARS)]
    if unit not in aq.multiword:
        typed.append(Match(WORDS, (unit,), BOOST_WORD))
    forms: list[Clause | None] = [AnyOf(tuple(c for c in typed if c is not None))]
    forms.append(_parts(aq, unit, TEXT, BOOST_CHARS * PARTS_FACTOR))
    forms += [_alternative(aq, unit, other, TEXT, BOOST_SYNONYM) for other in aq.alternatives.get(unit, ())]
    if unit in aq.english:
        forms.append(Match(ENGLISH, (aq.english[unit],), BOOST_ENGLISH))
    return _best(forms)


def _in_heading(aq: AnalyzedQuery, unit: str) -> Best | None:
    forms: list[Clause | None] = [
        _phrase(HEADING, unit, BOOST_HEADING),
        _parts(aq, unit, HEADING, BOOST_HEADING * PARTS_FACTOR),
    ]
    forms += [_alternative(aq, unit, other, HEADING, BOOST_SYNONYM_HEADING) for other in aq.alternatives.get(unit, ())]
    return _best(forms)


def _present(aq: AnalyzedQuery, unit: str) -> tuple[Clause | None, ...]:
    """Where ``unit`` is, as typed, for a match alone (no score: no synonyms, no parts):
    its word, or its characters when it spans several words, and the headings."""
    typed = _phrase(TEXT, unit, 1.0) if unit in aq.multiword else Match(WORDS, (unit,), 1.0)
    return typed, _phrase(HEADING, unit, 1.0)


def _unit(aq: AnalyzedQuery, unit: str) -> Best:
    """Where one required unit may match: in the text or in the headings.

    The better field counts fully, the other at ``FIELD_TIE``: a unit that is in the
    title (护士 of 护士条例) and also in a passage's text is not worth twice as much as
    it is in every other passage of that document.
    """
    heading = None if aq.text_only else _in_heading(aq, unit)
    fields = tuple(f for f in (_in_text(aq, unit), heading) if f is not None)
    return Best(fields, FIELD_TIE)


def _bonuses(aq: AnalyzedQuery) -> list[Clause | None]:
    out: list[Clause | None] = []
    for word in aq.words:
        if word in aq.required:
            continue
        if len(word) == 1:
            # A single character (者, 中, 罚) only hints at the topic; as a character, since
            # the text holds it inside words (罚 in 罚款, 处罚) that jieba never splits.
            out.append(_phrase(TEXT, word, BOOST_CHAR))
            continue
        # Aspect words only hint at the topic.
        boost = BOOST_WEAK if word in aq.weak else BOOST_WORD
        out.append(Match(WORDS, (word,), boost) if word not in aq.multiword else _phrase(TEXT, word, boost))
    for unit in aq.places:
        # A place the question names in the title or headings (北京 of 北京市…条例): the
        # regulation of that place, not a look-alike of another province; a fixed amount,
        # as a place is in too many passages for its IDF to say so.
        heading = _in_heading(aq, unit)
        if heading is not None:
            out.append(Const(heading, BOOST_PLACE))
    out += _as_typed(aq)
    out += [Match(WORDS, (sub,), BOOST_SUBWORD) for sub in aq.subwords]
    out += [Match(BIGRAM, (gram,), BOOST_BIGRAM) for gram in aq.bigrams]
    for first, second in aq.pairs:
        # Neighbours close together, in order (领办人 … 退休 in 领办人到达退休年龄).
        out.append(_near_words(aq, first, second))
        stems = (aq.english.get(first), aq.english.get(second))
        if stems[0] and stems[1]:
            out.append(_near(ENGLISH, (stems[0],), (stems[1],), ENGLISH_SLOP))
    # The clause the query names by number (第四十七条 and its 款/项 below it).
    out += [Const(Match(HEADING, chars(article), 1.0), BOOST_ARTICLE) for article in aq.articles]
    if aq.eligibility_intent:
        out.append(Flag(ELIGIBILITY, True, BOOST_ELIGIBLE))
    if aq.clause_types:
        # One fixed bonus for a clause of a type the question asks for (a condition, a
        # benefit, a procedure), whichever of them it is.
        types = tuple(Flag(CLAUSE_TYPE, kind, 1.0) for kind in aq.clause_types)
        out.append(Const(AnyOf(types), BOOST_CLAUSE_TYPE))
    out += [Flag(DOC_TYPE, kind, BOOST_DOC_TYPE) for kind in aq.doc_types]
    if aq.home:
        out.append(Const(AnyOf(tuple(Flag(REGION, region, 1.0) for region in aq.home)), BOOST_HOME))
    # The document named by its title (劳动合同法), like the one named by its 文号.
    out.append(_in_any(aq.titled, BOOST_TITLE))
    if aq.answer_phrases:
        # One fixed bonus, however many answer phrases a passage holds and however rare;
        # the index marks each passage with those its text holds (answer_phrases_in).
        phrases = AnyOf(tuple(Flag(ANSWER, a, 1.0) for a in aq.answer_phrases))
        # Only beside the query's topic (人才公寓 of 人才公寓申请条件): an answer phrase of
        # another subject's list of conditions is no answer to this one.
        topic = tuple(c for unit in aq.topic for c in _present(aq, unit) if c is not None)
        near = AnyOf((phrases, AnyOf(topic)), 2) if topic else phrases
        out.append(Const(near, BOOST_ANSWER))
    about = tuple(p for p in (_phrase(TEXT, a, 1.0) for a in aq.term_phrases) if p is not None)
    if about:
        # The answer about the very unit asked (所称的出版, 出版是指), not any definition.
        out.append(Const(AnyOf(about), BOOST_ANSWER))
    return out


def _as_typed(aq: AnalyzedQuery) -> list[Clause]:
    """Bonuses for text found as typed: a run of several units (创业担保贷款, not 担保 …
    贷款 apart), and an amount after the word typed before it (满5年 ≡ 满五年: the number
    whole, not the end of a larger one, 十五年 holds 五年; one bonus whichever notation)."""
    out: list[Clause] = [Const(run, BOOST_RUN) for run in (_phrase(TEXT, r, 1.0) for r in aq.runs) if run]
    for notations in aq.bounded:
        found = tuple(p for p in (_phrase(TEXT, n, 1.0) for n in notations) if p is not None)
        if found:
            out.append(Const(AnyOf(found), BOOST_RUN))
    return out


def plan(aq: AnalyzedQuery) -> Plan | None:
    """The query for the ranked search; None when the query has nothing to search for."""
    core: list[Clause | None] = []
    if aq.required:
        # Coverage: BM25 has no coordination factor, so a short clause holding four of
        # five units can outscore the one holding all five; a fixed amount per unit
        # matched restores the count.
        # The unit a question asks for (条件 of 需要什么条件) counts more: a passage
        # about the rest of the question without it does not answer; so does a unit of its
        # topic (AnalyzedQuery.topic), when other units are the intent's cues.
        topic = set(aq.topic) if len(aq.topic) < len(aq.required) else set()
        units = tuple(
            Plus(_unit(aq, u), BOOST_COVERAGE + BOOST_FOCUS * (u in aq.focus) + BOOST_TOPIC * (u in topic))
            for u in aq.required
        )
        core.append(AnyOf(units, aq.min_match))
    # Documents whose 文号 starts with the query (京人社能发): each matches as a whole.
    core.append(_in_any(aq.numbered, BOOST_DOC_NUMBER))
    for number in aq.doc_numbers:
        core.append(Flag(DOC_NUMBER, number, BOOST_DOC_NUMBER))
        # The number written in a passage, in any bracket style (brackets are not terms).
        core.append(_phrase(TEXT, number, BOOST_DOC_NUMBER_TEXT))
    must = [c for c in core if c is not None]
    if not must:
        return None
    should = tuple(c for c in _bonuses(aq) if c is not None)
    return Plan(must[0] if len(must) == 1 else AnyOf(tuple(must)), should)


def in_documents(plan: Plan, documents: list[str], boost: float) -> Plan:
    """``plan`` matching only in ``documents``, each of whose passages gets ``boost``."""
    flags = _in_any(documents, boost)
    return plan if flags is None else Plan(AnyOf((plan.must, flags), 2), plan.should)


def _in_any(documents: list[str], boost: float) -> AnyOf | None:
    """Every passage of ``documents`` (by id), with ``boost``; None for no documents."""
    return AnyOf(tuple(Flag(DOC_ID, doc, boost) for doc in documents)) if documents else None
