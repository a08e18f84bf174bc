"""Text analysis shared by indexing and querying: one jieba segmentation for both.

Every engine sees the same words: the pipeline tokenizes each passage once with
:meth:`Analyzer.words` and the query side runs the very same function on the user's
query. Matching is done on a *normalised* form of the text (full-width ASCII folded to
half-width, lowercase) that has exactly the same length as the display text, so token
offsets point into the original text for highlighting.

jieba runs in precise mode with HMM off (deterministic, dictionary-driven, with the
policy-term user dictionary in ``ingest/data/userdict.txt``). "Search mode" terms
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
from pathlib import Path
from typing import Any, NamedTuple

DATA_DIR = Path(__file__).resolve().parent / "data"
USER_DICT = DATA_DIR / "userdict.txt"

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD_CHAR = re.compile(rf"[{_HAN}0-9a-z]", re.IGNORECASE)
_HAN_RUN = re.compile(rf"[{_HAN}]+")
SUBWORD_CACHE = 200_000  # distinct long words remembered


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
def _fold_table() -> dict[int, str]:
    """Every BMP character that folds to another one: str.translate runs in C, ~50x
    faster than folding character by character (normalize runs over every indexed text)."""
    table: dict[int, str] = {}
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:
            continue  # surrogates
        char = chr(code)
        folded = _fold_char(char)
        if folded != char:
            table[code] = folded
    return table


def normalize(text: str) -> str:
    """Fold full-width forms to half-width and lowercase, keeping the length unchanged."""
    if text.isascii():
        return text.lower()
    folded = text.translate(_fold_table())
    if max(text) > "\uffff":  # rare: characters beyond the BMP are folded one by one
        return "".join(_fold_cached(c) if c > "\uffff" else c for c in folded)
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
        """Precise-mode words of ``text`` (normalised), punctuation and spaces skipped."""
        norm = normalize(text)
        out: list[Token] = []
        pos = 0
        for piece in self._tokenizer.cut(norm, HMM=False):
            end = pos + len(piece)
            if _WORD_CHAR.search(piece):
                out.append(Token(piece, pos, end))
            pos = end
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
