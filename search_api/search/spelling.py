"""Typo tolerance: a character of the same sound or of the same look, one wrong character
in a long Han term, or two swapped, is corrected.

Chinese is typed by its sound, so the commonest typo is a homophone (户藉 for 户籍, 积份
落户 for 积分落户; :mod:`analysis.readings`); a typo in a four-character term (技能大帅工作室)
also happens. Either way the term is missed, and jieba then cuts the text into other
words (积/份, 工/做/站), so nothing of it is looked up. Handwriting input slips to a
character that looks alike (博土后, 律帅; :func:`analysis.readings.lookalikes`), offered
like a homophone at a higher cost. :func:`corrections` looks at the
runs of the query that hold a unit the index lacks or a character jieba left alone,
each a run of whole tokens and no dictionary word: a run of two characters or more is
offered the dictionary words that differ from it by one homophone, a run of four to
eight also those one substitution or one transposition away (a SymSpell-like index of
"one character masked" keys over jieba's dictionary and the user dictionary), the
homophones and commoner words first. Of the candidates the index finds, the one it finds
most often is taken (外藉: 外籍 in 1,110 passages, not 外界 in 12, although 外界 is the
commoner word in general text); a candidate for a character jieba left alone is taken only
if the index holds it as written, many times more often than the typed run: exact
matches always win. The response lists what was corrected (「您是不是要找」).

A Latin word of four letters or more that the index lacks (talnet) has no dictionary to
be looked up in: :func:`latin_corrections` generates its neighbours (one letter deleted,
inserted or replaced, or two swapped) and asks the engine, in one query, which of them
its passages hold; the one held by most of the passages found is taken. Failing that, a
Latin word typed in pinyin by someone without a Chinese input method (hukou) is read as
the dictionary words its syllables spell (:func:`pinyin_readings`; 户口).
"""

from __future__ import annotations

import itertools
import re
import string
import threading
from collections import Counter
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass
from functools import lru_cache

from analysis.numerals import CN_NUMERAL
from analysis.readings import homophones, lookalikes, spelled
from analysis.text import HAN
from analysis.words import Analyzer, get_analyzer
from search_api.index.engine import Engine, EngineFilters, EngineQuery
from search_api.index.plan import TEXT, AnyOf, Match, Plan
from search_api.search import budget, ranking
from search_api.search.matching import page_texts
from search_api.search.query import analyze_query

MIN_CHARS, MAX_CHARS = 4, 8  # runs offered any one substitution or transposition
MIN_HOMOPHONE = 2  # runs offered a homophone (户藉 → 户籍)
MIN_LONE = 3  # ... when no unit the index lacks is in them (居住正 of 居住/正 → 居住证)
MAX_CANDIDATES = 4  # per typed run: each one is checked against the index
# Checks of the index per search (each is an engine call): a long run of unknown
# characters offers hundreds of windows, the answer is in the first few.
MAX_SPELLING_CHECKS = 12
# What a slip costs, as a negative log-probability: a character of the same sound picked
# from the input method's list, or any other one-character slip (rarer). A correction
# must make the text that much likelier (measured on the judged queries: 户藉 → 户籍
# gains 9.4, 一科 → 医科 only 2.0, 中职学生 → 中小学生, no homophone, 8.9).
HOMOPHONE_COST = 5.0
LOOKALIKE_COST = 7.0  # handwriting input's slip: rarer than a homophone, likelier than any
EDIT_COST = 10.0
# A correction is taken when the index holds it this many times more often than the typed
# run: a typed pair of characters can occur across two words (积份 in 面积份额).
HELD_RATIO = 20
_HAN_RUN = re.compile(rf"[{HAN}]{{{MIN_HOMOPHONE},}}")
_COUNT = re.compile(CN_NUMERAL)
_MASK = "*"
# Latin words corrected: from four letters (shorter ones have too many neighbours) to
# fifteen (about 800 neighbours, one query clause each: within every engine's limit).
MIN_LATIN, MAX_LATIN = 4, 15
_LATIN_WORD = re.compile(rf"[a-z]{{{MIN_LATIN},{MAX_LATIN}}}")
_LATIN_RUN = re.compile(r"[a-z0-9]+")
_PINYIN = re.compile(r"[a-z]{4,30}")  # a unit that may be pinyin: four letters (xian) or more
PINYIN_OPTIONS, MAX_PINYIN_TRIES = 2, 4  # words per pinyin unit, and sets of them searched
LATIN_HITS = 50  # passages read to tell which neighbour the index holds most


class Speller:
    """Corrections of a typed run, scored as a noisy channel: the dictionary's
    log-probability of the corrected text (jieba's route through the whole run of Han
    characters, so the words around count) must beat the typed text's by more than the
    slip costs (HOMOPHONE_COST, EDIT_COST)."""

    def __init__(self, analyzer: Analyzer) -> None:
        self._analyzer = analyzer
        self._counts = analyzer.dictionary()  # not copied: jieba's own table, 350,000 words
        self.words = frozenset(
            w for w, n in self._counts.items() if n and MIN_CHARS <= len(w) <= MAX_CHARS and _HAN_RUN.fullmatch(w)
        )
        self._keys: dict[str, list[str]] = {}
        for word in self.words:
            for i in range(len(word)):
                self._keys.setdefault(word[:i] + _MASK + word[i + 1 :], []).append(word)

    def known(self, text: str) -> bool:
        """Whether ``text`` is a dictionary word."""
        return self._counts.get(text, 0) > 0

    def candidates(
        self, run: str, start: int, size: int, *, homophones_only: bool = False, at: Container[int] | None = None
    ) -> list[str]:
        """The words that may have been meant by ``run[start:start + size]``, likeliest
        first: one homophone away (of a character at an offset of ``run`` in ``at``, any
        when None), or (from MIN_CHARS characters, unless ``homophones_only``) one
        substitution or adjacent transposition away."""
        typed = run[start : start + size]
        changeable = [i for i in range(size) if at is None or start + i in at]
        slips = [(word, HOMOPHONE_COST) for word in self._one_character(typed, changeable, homophones)]
        slips += [(word, LOOKALIKE_COST) for word in self._one_character(typed, changeable, lookalikes)]
        if len(typed) >= MIN_CHARS and not homophones_only:
            slips += [(word, EDIT_COST) for word in self._edits(typed)]
        if not slips:  # most runs of a question: no word one slip away (skip jieba's route)
            return []
        typed_probability = self._analyzer.log_probability(run)
        scored: dict[str, float] = {}
        for word, cost in slips:
            if word != typed and word not in scored:
                gain = self._analyzer.log_probability(run[:start] + word + run[start + size :]) - typed_probability
                if gain > cost:
                    scored[word] = gain - cost
        return sorted(scored, key=lambda w: -scored[w])

    def spelled(self, latin: str) -> list[str]:
        """The dictionary words that ``latin``, typed in pinyin, reads as (commonest first)."""
        return spelled(latin, self._counts, MAX_CANDIDATES)

    def _one_character(self, typed: str, changeable: list[int], others: Callable[[str], str]) -> list[str]:
        """The dictionary words ``typed`` becomes with one changeable character replaced by
        one of ``others`` (its homophones, or the characters that look like it)."""
        return [
            word
            for i in changeable
            for other in others(typed[i])
            if self.known(word := typed[:i] + other + typed[i + 1 :])
        ]

    def _edits(self, typed: str) -> list[str]:
        found = [w for i in range(len(typed)) for w in self._keys.get(typed[:i] + _MASK + typed[i + 1 :], ())]
        swaps = (typed[:i] + typed[i + 1] + typed[i] + typed[i + 2 :] for i in range(len(typed) - 1))
        return found + [w for w in swaps if w in self.words]


_lock = threading.Lock()


@lru_cache(maxsize=1)
def default_speller() -> Speller:
    """jieba's dictionary with the project's user dictionary (built once, about a second,
    with the table of readings)."""
    with _lock:
        homophones("字")  # the table of readings, built now rather than by a first typo
        return Speller(get_analyzer())


@dataclass(frozen=True)
class IndexChecks:
    """What the index says of a text: how many passages a search for it finds (``found``,
    0 for none), and how many hold it as written (``held``)."""

    found: Callable[[str], int]
    held: Callable[[str], int]


def index_checks(engine: Engine, filters: EngineFilters) -> IndexChecks:
    """What the index says of a text under ``filters``: one hit asked for and the total,
    at most MAX_SPELLING_CHECKS times (each is an engine call)."""
    checks = 0

    def probe(plan: Plan | None) -> int:
        nonlocal checks
        checks += 1
        if plan is None or checks > MAX_SPELLING_CHECKS:
            return 0
        budget.check()
        return engine.run(EngineQuery(plan=plan, filters=filters, limit=1)).total

    return IndexChecks(
        found=lambda text: probe(ranking.plan(analyze_query(text))),
        held=lambda text: probe(Plan(must=Match(TEXT, tuple(text), 1.0), should=())),
    )


def corrections(
    text: str,
    speller: Speller,
    index: IndexChecks,
    missing: list[str],
    lone: Sequence[str] = (),
    rare: Sequence[str] = (),
) -> list[tuple[str, str]]:
    """(typed, corrected) pairs for the runs of ``text`` that hold a typo, longest first.

    A run that overlaps a unit the index lacks (``missing``) is offered its homophones and,
    from MIN_CHARS characters, its other neighbours; taken is the first the index finds,
    when it does not find the run itself. So a run of words that all exist (区级 + 工作室)
    is never "corrected". A run of MIN_LONE characters or more that holds a character
    jieba left alone (``lone``: 正 of 居住/正) is offered its homophones only, taken when
    the index holds one as written HELD_RATIO times as often as the run, a character
    jieba left apart being the one mistyped (份 of 积/份/落户). A run shorter than
    MIN_CHARS, or found by a lone character, is whole tokens (not 少钱 of 多少/钱); one
    that starts with a count is a count and its measure word (一版, 三十一到), never a slip.
    A unit the index holds only a few times (``rare``: 人材 across 传承人|材料, 评申) is
    offered its homophones like a lone character's run, dictionary word or not."""
    out: list[tuple[str, str]] = []
    for run in _HAN_RUN.finditer(text):
        chars = run.group()
        tokens = _tokens(chars)
        covered = [False] * len(chars)
        for size in range(min(MAX_CHARS, len(chars)), MIN_HOMOPHONE - 1, -1):
            for start in range(len(chars) - size + 1):
                typed = chars[start : start + size]
                if any(covered[start : start + size]) or start in tokens.counts:
                    continue
                if speller.known(typed) and typed not in rare:
                    continue
                whole = start in tokens.bounds and start + size in tokens.bounds
                fixed = None
                if any(_overlaps(chars, start, size, unit) for unit in missing):
                    if size >= MIN_CHARS or whole:
                        candidates = speller.candidates(chars, start, size)[:MAX_CANDIDATES]
                        fixed = _found_instead(typed, candidates, index.found)
                elif size >= MIN_LONE and whole and any(_overlaps(chars, start, size, c) for c in lone):
                    candidates = speller.candidates(chars, start, size, homophones_only=True, at=tokens.singles)
                    fixed = _held_more(typed, candidates[:MAX_CANDIDATES], index.held)
                elif typed in rare and whole:
                    candidates = speller.candidates(chars, start, size, homophones_only=True)
                    fixed = _held_more(typed, candidates[:MAX_CANDIDATES], index.held)
                if fixed:
                    out.append((typed, fixed))
                    covered[start : start + size] = [True] * size
    return out


@dataclass(frozen=True)
class _Tokens:
    """Where jieba's tokens of a run start or end, and which start a token of one
    character or a count in words (一, 三十一)."""

    bounds: set[int]
    singles: set[int]
    counts: set[int]


def _tokens(chars: str) -> _Tokens:
    tokens = get_analyzer().words(chars)
    return _Tokens(
        bounds={offset for token in tokens for offset in (token.start, token.end)},
        singles={token.start for token in tokens if token.end - token.start == 1},
        counts={token.start for token in tokens if _COUNT.fullmatch(token.text)},
    )


def _overlaps(chars: str, start: int, size: int, unit: str) -> bool:
    """Whether an occurrence of ``unit`` in ``chars`` overlaps the window."""
    at = chars.find(unit)
    while at != -1:
        if at < start + size and start < at + len(unit):
            return True
        at = chars.find(unit, at + 1)
    return False


def _found_instead(typed: str, candidates: list[str], found: Callable[[str], int]) -> str | None:
    """The candidate the index finds most often (the likelier on a tie), when it does not
    find ``typed`` (asked last)."""
    counts = {candidate: found(candidate) for candidate in candidates}
    fixed = max(counts, key=lambda c: counts[c], default=None)
    return fixed if fixed is not None and counts[fixed] and not found(typed) else None


def _held_more(typed: str, candidates: list[str], held: Callable[[str], int]) -> str | None:
    """The first candidate the index holds HELD_RATIO times as often as ``typed`` (which
    is counted only once a candidate is held at all)."""
    typed_count: int | None = None
    for candidate in candidates:
        count = held(candidate)
        if not count:
            continue
        if typed_count is None:
            typed_count = held(typed)
        if count > HELD_RATIO * typed_count:
            return candidate
    return None


def apply(text: str, fixes: list[tuple[str, str]]) -> str:
    """``text`` with each typed run replaced; a Latin word only as a whole word."""
    for typed, fixed in fixes:
        if _LATIN_WORD.fullmatch(typed):
            text = re.sub(rf"(?<![a-z0-9]){typed}(?![a-z0-9])", fixed, text)
        else:
            text = text.replace(typed, fixed)
    return text


def latin_neighbours(word: str) -> list[str]:
    """The words one edit from ``word``: a letter swapped with the next, replaced,
    deleted or inserted (in that order: the likelier typos first)."""
    letters = string.ascii_lowercase
    found: dict[str, None] = {}
    found.update((word[:i] + word[i + 1] + word[i] + word[i + 2 :], None) for i in range(len(word) - 1))
    found.update((word[:i] + c + word[i + 1 :], None) for i in range(len(word)) for c in letters)
    found.update((word[:i] + word[i + 1 :], None) for i in range(len(word)))
    found.update((word[:i] + c + word[i:], None) for i in range(len(word) + 1) for c in letters)
    found.pop(word, None)
    return list(found)


def latin_corrections(missing: list[str], closest: Callable[[list[str]], str | None]) -> list[tuple[str, str]]:
    """(typed, corrected) for each Latin unit of ``missing`` (units the index lacks) of
    MIN_LATIN to MAX_LATIN letters that ``closest`` finds a neighbour of."""
    out: list[tuple[str, str]] = []
    for word in missing:
        if _LATIN_WORD.fullmatch(word) and (fixed := closest(latin_neighbours(word))) is not None:
            out.append((word, fixed))
    return out


def pinyin_readings(missing: list[str], speller: Speller, held: Callable[[str], int]) -> list[list[tuple[str, str]]]:
    """Readings of the units of ``missing`` (units the index lacks) typed in pinyin, as by
    someone without a Chinese input method (hukou, jifen luohu): sets of (typed, word),
    likeliest first, at most MAX_PINYIN_TRIES. Each unit reads as the words it spells that
    the index holds, the most often held first; one set is ``[]`` when none is pinyin."""
    options: list[list[tuple[str, str]]] = []
    for word in missing:
        if _PINYIN.fullmatch(word):
            counts = {candidate: held(candidate) for candidate in speller.spelled(word)}
            held_ones = sorted((c for c in counts if counts[c]), key=lambda c: -counts[c])
            if held_ones:
                options.append([(word, c) for c in held_ones[:PINYIN_OPTIONS]])
    return [list(read) for read in itertools.islice(itertools.product(*options), MAX_PINYIN_TRIES)]


def closest_in_index(engine: Engine, filters: EngineFilters, candidates: list[str]) -> str | None:
    """The candidate (a Latin word) held by most of the passages holding any of them, the
    earlier candidate on a tie; None when the index holds none. One engine call."""
    if not candidates:
        return None
    budget.check()
    plan = Plan(must=AnyOf(tuple(Match(TEXT, (c,), 1.0) for c in candidates)), should=())
    result = engine.run(EngineQuery(plan=plan, filters=filters, limit=LATIN_HITS))
    wanted = set(candidates)
    counts: Counter[str] = Counter()
    for text in page_texts([payload for _, payload in result.hits]):
        counts.update(wanted.intersection(_LATIN_RUN.findall(text)))
    order = {c: i for i, c in enumerate(candidates)}
    return min(counts, key=lambda c: (-counts[c], order[c]), default=None)
