"""Text analysis shared by indexing and querying: one jieba segmentation for both.

Every engine sees the same words: the pipeline tokenizes each passage once with
:meth:`Analyzer.words` and the query side runs the very same function on the user's
query. Matching is done on a *normalised* form of the text (full-width ASCII folded to
half-width, lowercase) that has exactly the same length as the display text, so token
offsets point into the original text for highlighting.

jieba runs in precise mode with HMM off (deterministic, dictionary-driven, with the
policy-term user dictionary in ``ingest/data/userdict.txt``); its dictionary is
jieba's, the segmentation loop is this module's own (:func:`_route`, the same choices
as ``jieba.Tokenizer.cut(HMM=False)`` at about half the cost). "Search mode" terms
(the dictionary sub-words of a long word, as ``jieba.cut_for_search`` yields them) are
derived from those words instead of segmenting a second time, and are indexed at their
parent word's position so phrase queries over words stay exact.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from functools import lru_cache
from math import log
from pathlib import Path
from typing import Any, NamedTuple

DATA_DIR = Path(__file__).resolve().parent / "data"
USER_DICT = DATA_DIR / "userdict.txt"

# The Han characters of every pattern here and in the engines (a regex class body).
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD_CHAR = re.compile(rf"[{HAN}0-9a-z]", re.IGNORECASE)
_HAN_RUN = re.compile(rf"[{HAN}]+")
SUBWORD_CACHE = 200_000  # distinct long words remembered
# jieba's blocks (its re_han_default): runs it segments with the dictionary. Every other
# character is a piece of its own (whitespace too, \r\n as one: never a word).
_JIEBA_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+")
_JIEBA_ENG = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")  # its re_eng
_BLOCK_SYMBOLS = frozenset("+#&._%-")  # the block characters that are no word characters
_NO_PROB = float("-inf")
_new = tuple.__new__


class Token(NamedTuple):
    """A normalised term and its character span in the passage text."""

    text: str
    start: int
    end: int


def _fold_char(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char)
    # Keep a one-to-one character mapping so offsets stay valid for the display text.
    if len(folded) != 1:
        return char
    lowered = folded.lower()
    return lowered if len(lowered) == 1 else folded


@lru_cache(maxsize=8192)
def _fold_cached(char: str) -> str:
    return _fold_char(char)


@lru_cache(maxsize=1)
def _fold_table() -> list[int | str]:
    """What each BMP character folds to (itself: its own code): str.translate runs in
    C, ~50x faster than folding character by character. A list, not a dict of the
    characters that change: with a dict every other character (most of a text) is a
    KeyError raised and cleared inside translate, twice the cost."""
    table: list[int | str] = list(range(0x10000))
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:
            continue  # surrogates
        char = chr(code)
        folded = _fold_char(char)
        if folded != char:
            table[code] = folded
    return table


# Normalised texts remembered: a passage's text is normalised by the analyzer, by
# enrichment and by the engine's record builder, one after the other.
NORMALIZE_CACHE_CHARS = 2_000_000
_normalized: dict[str, str] = {}
_normalized_chars = 0


def normalize(text: str) -> str:
    """Fold full-width forms to half-width and lowercase, keeping the length unchanged."""
    global _normalized_chars
    cached = _normalized.get(text)
    if cached is not None:
        return cached
    if text.isascii():
        return text.lower()
    folded = text.translate(_fold_table())
    if max(text) > "\uffff":  # rare: characters beyond the BMP are folded one by one
        folded = "".join(_fold_cached(c) if c > "\uffff" else c for c in folded)
    if _normalized_chars > NORMALIZE_CACHE_CHARS:
        _normalized.clear()
        _normalized_chars = 0
    _normalized[text] = folded
    _normalized_chars += len(text)
    return folded


def compact(text: str) -> str:
    """Normalised text with all whitespace removed (for 'contains' comparisons)."""
    return re.sub(r"\s+", "", normalize(text))


def bigrams(text: str) -> list[Token]:
    """Overlapping character bigrams of each Han run (a single Han char stays a unigram).

    A segmentation-independent second view of the text: queries still match when
    jieba cuts a query differently from the passage.
    """
    norm = normalize(text)
    out: list[Token] = []
    for run in _HAN_RUN.finditer(norm):
        s, e = run.span()
        if e - s == 1:
            out.append(Token(norm[s:e], s, e))
            continue
        out.extend(Token(norm[i : i + 2], i, i + 2) for i in range(s, e - 1))
    return out


class Analyzer:
    """jieba with the project's user dictionary; thread-safe after construction."""

    def __init__(self, user_dict: Path | None = USER_DICT) -> None:
        import jieba  # heavy: imported only when text is analysed

        logging.getLogger("jieba").setLevel(logging.WARNING)
        jieba.setLogLevel(logging.WARNING)
        self._tokenizer: Any = jieba.Tokenizer()
        self._tokenizer.initialize()
        if user_dict is not None and user_dict.exists():
            self._tokenizer.load_userdict(str(user_dict))
        self._freq: dict[str, int] = self._tokenizer.FREQ
        self._subwords: dict[str, list[str]] = {}

    def words(self, text: str) -> list[Token]:
        """Precise-mode words of ``text`` (normalised), punctuation and spaces skipped.

        The pieces of ``jieba.Tokenizer.cut(norm, HMM=False)``, as it cuts them: each
        block (see ``_JIEBA_BLOCK``) along its most probable route through the
        dictionary's words, a run of single Latin letters or digits on that route
        joined into one piece; every character outside the blocks a piece of its own.
        """
        norm = normalize(text)
        out: list[Token] = []
        append = out.append
        freq = self._freq.get
        logtotal = log(self._tokenizer.total)  # changes with add_word
        pos = 0
        for block in _JIEBA_BLOCK.finditer(norm):
            start, end = block.span()
            if start > pos:
                for char in _WORD_CHAR.finditer(norm, pos, start):
                    append(_new(Token, (char.group(), char.start(), char.end())))
            pos = end
            chars = block.group()
            route = _route(chars, freq, logtotal)
            x = 0
            size = end - start
            letters = -1  # start of a run of single Latin letters or digits
            while x < size:
                y = route[x]
                if y - x == 1 and chars[x] in _JIEBA_ENG:
                    if letters < 0:
                        letters = x
                    x = y
                    continue
                if letters >= 0:
                    append(_new(Token, (chars[letters:x], start + letters, start + x)))
                    letters = -1
                word = chars[x:y]
                # Block characters are Han, Latin, digits or these symbols: a piece
                # that starts with anything else has a word character.
                if word[0] not in _BLOCK_SYMBOLS or _WORD_CHAR.search(word):
                    append(_new(Token, (word, start + x, start + y)))
                x = y
            if letters >= 0:
                append(_new(Token, (chars[letters:], start + letters, end)))
        if pos < len(norm):
            for char in _WORD_CHAR.finditer(norm, pos):
                append(_new(Token, (char.group(), char.start(), char.end())))
        return out

    def subwords(self, word: str) -> list[str]:
        """Dictionary 2- and 3-char sub-words of a long word (jieba's search mode rule)."""
        if len(word) <= 2:
            return []
        cached = self._subwords.get(word)
        if cached is not None:
            return cached  # words repeat: every indexed token asks
        found: list[str] = []
        for size in (2, 3):
            if len(word) <= size:
                continue
            for i in range(len(word) - size + 1):
                gram = word[i : i + size]
                if self._freq.get(gram):
                    found.append(gram)
        if len(self._subwords) < SUBWORD_CACHE:
            self._subwords[word] = found
        return found

    def index_terms(self, tokens: list[Token]) -> list[tuple[str, int, int, int]]:
        """(term, position, start, end) for indexing: words plus their search-mode sub-words.

        A sub-word shares its parent's position, like a synonym, so a phrase query over
        precise words is unaffected while a query for the sub-word alone still matches.
        """
        out: list[tuple[str, int, int, int]] = []
        for position, tok in enumerate(tokens):
            out.append((tok.text, position, tok.start, tok.end))
            for sub in self.subwords(tok.text):
                out.append((sub, position, tok.start, tok.end))
        return out

    def add_word(self, word: str, freq: int | None = None) -> None:
        self._tokenizer.add_word(word, freq)
        self._subwords.clear()  # a new dictionary word can be a sub-word of a cached one


def _route(chars: str, freq: Any, logtotal: float) -> list[int]:
    """For each index of a jieba block, the end of the word that starts there on the
    block's most probable route: ``jieba.Tokenizer.get_DAG`` and ``calc`` in one
    backward pass, with the very same float sums and tie rule (the longer word wins a
    tie), so every choice is jieba's.

    ``freq`` is the dictionary's ``FREQ.get``: a word's count, 0 for a prefix of a word
    (the scan of longer words goes on), None past every word (it stops).
    """
    size = len(chars)
    prob = [0.0] * (size + 1)
    route = list(range(1, size + 1))
    for k in range(size - 1, -1, -1):
        count = freq(chars[k])
        if count is None:  # no word starts with this character: it stands alone
            prob[k] = 0.0 - logtotal + prob[k + 1]
            continue
        best = log(count) - logtotal + prob[k + 1] if count else _NO_PROB
        end = k + 2
        while end <= size:
            count = freq(chars[k:end])
            if count is None:
                break
            if count:
                candidate = log(count) - logtotal + prob[end]
                if candidate >= best:
                    best = candidate
                    route[k] = end
            end += 1
        prob[k] = best if best != _NO_PROB else 0.0 - logtotal + prob[k + 1]
    return route


_lock = threading.Lock()
_analyzer: Analyzer | None = None


def get_analyzer() -> Analyzer:
    """The process-wide analyzer (jieba start-up is paid once)."""
    global _analyzer
    if _analyzer is None:
        with _lock:
            if _analyzer is None:
                _analyzer = Analyzer()
    return _analyzer
