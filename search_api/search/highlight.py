"""Engine-independent snippets: the sentence of a passage that answers, query terms marked.

Both engines return the same highlight for the same passage and query, and the output is
always HTML-escaped text with only our own ``<mark>`` tags in it.

The snippet is the sentence, or two neighbouring sentences, holding the most query units
(distinct terms matched), the units naming an amount or a condition (30万元, 条件, 年龄)
counted first: a query that names one gets the sentence holding it. Ties: more marked
characters, then one holding an amount, then fewer sentences, then earlier. Text
is cut on sentence punctuation (。！？； and line breaks), inside a sentence longer than
:data:`WINDOW` on clause punctuation (，、：), and only inside a clause longer than that by
characters; never inside a number, an amount (30万元, 45周岁, 第四条, 2023年3月) or a
quoted title (《…》, “…”; :mod:`search_api.search.snippet_spans`), which may take a
snippet up to :data:`MAX_WINDOW`. A snippet holding a list's lead-in (…下列条件：) goes on
with the items below it, up to :data:`MAX_WINDOW`. An ellipsis shows where text was cut; a
passage of at most :data:`WINDOW` characters is shown whole.

Everything is linear in the passage length: one regular-expression scan finds the terms
and merges them into marks (:mod:`search_api.search.snippet_marks`), and sentences, clause
windows and character windows are chosen with running tallies (two pointers), never by
rescanning the matches for each candidate.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from analysis.text import normalize
from search_api.search.snippet_marks import Mark, Tally, compile_terms, find_marks
from search_api.search.snippet_spans import WHOLE_NUMBER, protected

WINDOW = 160  # a snippet aims at no more characters than this
MAX_WINDOW = WINDOW * 3 // 2  # ... and may reach this to keep an amount or a title whole
LEAD = 30  # context kept before the first mark when a clause must be cut by characters
ELLIPSIS = "…"
MARK = re.compile(r"</?mark>")  # the only tags a snippet holds

# All patterns run on the normalised text (full-width ，：；！？ folded to half-width).
_SENTENCE_END = re.compile(r"[。!?;\n\r]|\.(?=\s)")
_CLAUSE_END = re.compile(r"[,、:]")
# A list's lead-in: a line ending with a colon (…符合以下条件：), its items on the lines below.
_LEAD_IN = re.compile(r":[ \t]*(?:\n|$)")


class _Passage:
    """One passage being cut: its normalised text, marks, protected spans and amounts."""

    def __init__(self, norm: str, marks: list[Mark], priority: frozenset[int], figure: bool = False) -> None:
        self.norm = norm
        self.marks = marks
        self.priority = priority
        self.figure = figure  # the query asks for a figure: a span stating one comes first
        self.protected, self.answers = protected(norm)
        self.protected_starts = [s for s, _ in self.protected]

    # ---------------------------------------------------------------- geometry

    def _inside(self, pos: int) -> tuple[int, int] | None:
        """The protected span ``pos`` falls strictly inside, if any."""
        i = bisect_left(self.protected_starts, pos) - 1
        if i >= 0 and self.protected[i][1] > pos:
            return self.protected[i]
        return None

    def _pieces(self, pattern: re.Pattern[str], start: int, end: int) -> list[tuple[int, int]]:
        """``[start, end)`` cut after each punctuation mark of ``pattern`` outside the protected
        spans, each piece trimmed of white space, empty pieces dropped."""
        cuts = [start]
        i = bisect_left(self.protected_starts, start)
        for match in pattern.finditer(self.norm, start, end):
            pos = match.end()
            while i < len(self.protected) and self.protected[i][1] <= pos:
                i += 1
            inside = i < len(self.protected) and self.protected[i][0] < pos
            if not inside and pos < end:
                cuts.append(pos)
        cuts.append(end)
        pieces = []
        for a, b in pairwise(cuts):
            while a < b and self.norm[a].isspace():
                a += 1
            while b > a and self.norm[b - 1].isspace():
                b -= 1
            if a < b:
                pieces.append((a, b))
        return pieces

    def _marks_by_piece(self, pieces: list[tuple[int, int]]) -> list[list[Mark]]:
        """The marks starting in each piece (both lists are sorted: one pass)."""
        out: list[list[Mark]] = [[] for _ in pieces]
        k = bisect_left([m.start for m in self.marks], pieces[0][0]) if pieces and self.marks else 0
        for i, (a, b) in enumerate(pieces):
            while k < len(self.marks) and self.marks[k].start < a:
                k += 1
            while k < len(self.marks) and self.marks[k].start < b:
                out[i].append(self.marks[k])
                k += 1
        return out

    def _has_answer(self, start: int, end: int) -> int:
        i = bisect_left(self.answers, start)
        return int(i < len(self.answers) and self.answers[i] < end)

    def _key(self, tally: Tally, start: int, end: int, sentences: int) -> tuple[int, ...]:
        important, units, marked = tally.score()
        answer = self._has_answer(start, end)
        # A figure asked for (多久, 多少钱) outweighs one more of the query's words: on the
        # judged plain questions, the answer the snippet shows 922 -> 924 of 1,022 (counting
        # the figures instead of their presence: 920).
        first = answer if self.figure and units else 0
        return (important, first, units, marked, answer, -sentences, -start)

    # ---------------------------------------------------------------- choosing

    def best(self) -> tuple[int, int]:
        """The snippet's span in the text."""
        sentences = self._pieces(_SENTENCE_END, 0, len(self.norm))
        if not sentences:
            return 0, min(len(self.norm), WINDOW)
        if not self.marks:
            return self._leading(sentences)
        by_sentence = self._marks_by_piece(sentences)
        # Only sentences holding a mark, alone or with a neighbour, can be the best.
        marked = [i for i, marks in enumerate(by_sentence) if marks]
        firsts = sorted({j for i in marked for j in (i - 1, i) if j >= 0})
        best: tuple[tuple[int, ...], int, int] | None = None
        for i in firsts:
            a, b = sentences[i]
            candidates: list[tuple[tuple[int, ...], int, int]] = []
            if not by_sentence[i]:
                pass  # only the pair with the next sentence
            elif b - a <= WINDOW:
                candidates.append((self._key(self._tally(by_sentence[i], b), a, b, 1), a, b))
            else:
                candidates.append(self._within_sentence(a, b, by_sentence[i]))
            if i + 1 < len(sentences) and sentences[i + 1][1] - a <= WINDOW:
                end = sentences[i + 1][1]
                tally = self._tally(by_sentence[i] + by_sentence[i + 1], end)
                candidates.append((self._key(tally, a, end, 2), a, end))
            for candidate in candidates:
                if best is None or candidate[0] > best[0]:
                    best = candidate
        if best is None:  # the marks all fall between sentences (terms of white space)
            return self._leading(sentences)
        return self._with_items(best[1], best[2])

    def _with_items(self, start: int, end: int) -> tuple[int, int]:
        """A snippet that holds a list's lead-in (应当具备下列条件：, 按照下列标准发给…：)
        goes on with the items below it while they fit in :data:`MAX_WINDOW`: the lead-in
        holds the query's words, the items the answer (on the judged questions, the
        answer the snippet shows 0.89 → 0.91 of the time)."""
        if end >= len(self.norm) or not _LEAD_IN.search(self.norm, start, end):
            return start, end
        for item_start, item_end in self._pieces(_SENTENCE_END, end, len(self.norm)):
            if item_end - start > MAX_WINDOW:
                # The item that does not fit shows its first clauses (（一）技能大师的条件。
                # 长期在生产服务一线岗位工作，具有技师…), never part of one.
                for _, clause_end in self._pieces(_CLAUSE_END, item_start, item_end):
                    if clause_end - start > MAX_WINDOW:
                        break
                    end = clause_end
                break
            end = item_end
        return start, end

    def _tally(self, marks: Sequence[Mark], end: int) -> Tally:
        tally = Tally(self.priority)
        for mark in marks:
            tally.add(mark, min(mark.end, end) - mark.start)
        return tally

    def _leading(self, sentences: list[tuple[int, int]]) -> tuple[int, int]:
        """No term found: the passage's opening, as many whole sentences as fit."""
        first_start, first_end = sentences[0]
        if first_end - first_start > WINDOW:
            _, start, end = self._within_sentence(first_start, first_end, [])
            return start, end
        end = first_end
        for _, b in sentences[1:]:
            if b - first_start > WINDOW:
                break
            end = b
        return first_start, end

    def _within_sentence(self, start: int, end: int, marks: list[Mark]) -> tuple[tuple[int, ...], int, int]:
        """The best run of clauses of a sentence longer than the window (two pointers)."""
        clauses = self._pieces(_CLAUSE_END, start, end)
        if not clauses:
            return self._within_clause(start, end, marks)
        by_clause = self._marks_by_piece(clauses)
        best: tuple[tuple[int, ...], int, int] | None = None
        tally = Tally(self.priority)
        j = 0
        for i, (a, _) in enumerate(clauses):
            if j < i:
                j = i
            while j < len(clauses) and clauses[j][1] - a <= WINDOW:
                for mark in by_clause[j]:
                    tally.add(mark, min(mark.end, clauses[j][1]) - mark.start)
                j += 1
            candidate: tuple[tuple[int, ...], int, int] | None
            if j == i:  # this clause alone is longer than the window
                candidate = self._within_clause(a, clauses[i][1], by_clause[i])
            elif tally.counts or best is None:  # a window without marks never wins
                b = clauses[j - 1][1]
                candidate = (self._key(tally, a, b, 1), a, b)
            else:
                candidate = None
            if j > i:
                for mark in by_clause[i]:
                    tally.remove(mark, min(mark.end, clauses[i][1]) - mark.start)
            if candidate is not None and (best is None or candidate[0] > best[0]):
                best = candidate
        assert best is not None
        return best

    def _within_clause(self, start: int, end: int, marks: list[Mark]) -> tuple[tuple[int, ...], int, int]:
        """The best window of a clause longer than the window, cut by characters.

        Windows begin :data:`LEAD` characters before a mark; marks overlapping the window
        count (clipped), kept with two pointers as the window moves right.
        """
        width = min(WINDOW, end - start)
        tally = Tally(self.priority)
        best: tuple[tuple[int, ...], int, int] | None = None
        lo = hi = 0  # marks[lo:hi] overlap the window
        for anchor in [start] + [m.start - LEAD for m in marks]:
            a = max(start, min(anchor, end - width))
            b = a + width
            while hi < len(marks) and marks[hi].start < b:
                tally.add(marks[hi], marks[hi].end - marks[hi].start)
                hi += 1
            while lo < hi and marks[lo].end <= a:
                tally.remove(marks[lo], marks[lo].end - marks[lo].start)
                lo += 1
            clipped = 0
            if lo < hi:  # the first and last marks may stick out of the window
                clipped = max(0, a - marks[lo].start) + max(0, marks[hi - 1].end - b)
            tally.marked -= clipped
            key = self._key(tally, a, b, 1)
            tally.marked += clipped
            if best is None or key > best[0]:
                best = (key, a, b)
        assert best is not None
        key, a, b = best
        a, b = self._keep_whole(a, b, start, end)
        return key, a, b

    def _keep_whole(self, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
        """Move character cuts out of amounts and titles: take them in while the snippet
        stays within :data:`MAX_WINDOW`, else leave them out."""
        a, b = start, end
        span = self._inside(a)
        if span is not None:
            a = span[0] if span[0] >= lo and b - span[0] <= MAX_WINDOW else span[1]
        span = self._inside(b)
        if span is not None:
            b = span[1] if span[1] <= hi and span[1] - a <= MAX_WINDOW else span[0]
        return (a, b) if a < b else (start, end)


def _render(text: str, start: int, end: int, marks: list[Mark]) -> str:
    """``text[start:end]`` escaped, with ``marks`` (those found in that span) marked."""
    lead = len(text) - len(text.lstrip())
    tail = len(text.rstrip())
    out: list[str] = [ELLIPSIS if start > lead else ""]
    pos = start
    for mark in marks:
        out.append(html.escape(text[pos : mark.start]))
        out.append(f"<mark>{html.escape(text[mark.start : mark.end])}</mark>")
        pos = mark.end
    out.append(html.escape(text[pos:end]))
    if end < tail:
        out.append(ELLIPSIS)
    return "".join(out)


def shown_text(snippet: str) -> str:
    """A snippet as the reader sees it: the marks gone, entities decoded."""
    return html.unescape(MARK.sub("", snippet))


def highlight(text: str, terms: list[str], fallback_terms: list[str] | None = None) -> str:
    """HTML snippet of ``text``: the sentence holding most of ``terms``, marked (see
    :func:`snippet`)."""
    return snippet(text, terms, fallback_terms).html


@dataclass(frozen=True)
class Snippet:
    """A snippet's HTML and where in the passage's text each of its marks stands."""

    html: str
    marks: list[tuple[int, int]]


def snippet(text: str, terms: list[str], fallback_terms: list[str] | None = None, *, figure: bool = False) -> Snippet:
    """The snippet of ``text``: the sentence holding most of ``terms``, marked; with
    ``figure`` (the query asks how long, how much …) one that states a figure first.

    Single characters are not marked when longer terms exist (a number named in the query
    is, as a whole number); ``fallback_terms`` (the query's bigrams) only when no term is found.
    """
    norm = normalize(text)
    long_terms = [t for t in terms if len(t) > 1]
    if long_terms:
        long_terms += [t for t in terms if len(t) == 1 and WHOLE_NUMBER.fullmatch(t)]
    short = len(text) <= WINDOW  # shown whole
    compiled = compile_terms(tuple(long_terms or terms))
    marks = find_marks(norm, compiled) if compiled is not None else []
    if not marks and fallback_terms:
        compiled = compile_terms(tuple(fallback_terms), bigrams=True)
        marks = find_marks(norm, compiled, shown=short) if compiled is not None else []
    if not marks:
        compiled = None
    if short:
        start, end, shown = 0, len(text), marks
    else:
        passage = _Passage(norm, marks, compiled.priority if compiled is not None else frozenset(), figure)
        start, end = passage.best()
        # Found again within the snippet: a term cut by its edge is not marked.
        shown = find_marks(norm, compiled, start, end, shown=True) if compiled is not None else []
    return Snippet(_render(text, start, end, shown), [(m.start, m.end) for m in shown])
