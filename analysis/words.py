"""Word segmentation shared by indexing and querying: one jieba segmentation for both.

Every engine sees the same words: the pipeline tokenizes each passage once with
:meth:`Analyzer.words` and the query side runs the very same function on the user's
query, on the normalised text of :mod:`analysis.text`.

jieba runs in precise mode with HMM off (deterministic, dictionary-driven, with the
policy-term user dictionary in ``analysis/data/userdict.txt``, built from the domain
tables by :mod:`knowledge.userdict`); its dictionary is jieba's, the segmentation loop
is this module's own (:func:`_route`, the same choices as
``jieba.Tokenizer.cut(HMM=False)`` at about half the cost). "Search mode" terms (the
dictionary sub-words of a long word, as ``jieba.cut_for_search`` yields them) are
derived from those words instead of segmenting a second time, and are indexed at their
parent word's position so phrase queries over words stay exact.
"""

from __future__ import annotations

import logging
import re
import threading
from math import log
from pathlib import Path
from typing import Any

from analysis.text import HAN, Token, normalize

USER_DICT = Path(__file__).resolve().parent / "data" / "userdict.txt"
SUBWORD_CACHE = 200_000  # distinct long words remembered
# The words around a span that :meth:`Analyzer.is_word_or_part` looks up: starting at most
# this many characters before it, at most this long.
AROUND_WORD, LONGEST_WORD = 4, 8
_WORD_CHAR = re.compile(rf"[{HAN}0-9a-z]", re.IGNORECASE)
# jieba's blocks (its re_han_default): runs it segments with the dictionary. Every other
# character is a piece of its own (whitespace too, \r\n as one: never a word).
_JIEBA_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+")
_JIEBA_ENG = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")  # its re_eng
_BLOCK_SYMBOLS = frozenset("+#&._%-")  # the block characters that are no word characters
_NO_PROB = float("-inf")
_new = tuple.__new__


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
        self._parts: dict[str, list[str]] = {}  # a word → its parts (:meth:`parts`)

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

    def parts(self, word: str) -> list[str]:
        """The words a dictionary word is made of: its most probable route through the
        dictionary without the word itself (人民法院 → 人民, 法院; 技能大师工作室 → 技能,
        大师, 工作室)."""
        cached = self._parts.get(word)
        if cached is not None:
            return cached
        freq = self._freq.get

        def without_word(key: str, default: int | None = None) -> int | None:
            return 0 if key == word else freq(key, default)

        route = _route(word, without_word, log(self._tokenizer.total))
        out: list[str] = []
        x = 0
        while x < len(word):
            out.append(word[x : route[x]])
            x = route[x]
        if len(self._parts) < SUBWORD_CACHE:
            self._parts[word] = out
        return out

    def is_word_or_part(self, text: str, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` stands as a word there, or as one of the words the
        longest dictionary word around it is made of: 民法 is not in 人民法院 (人民 + 法院),
        大师 is in 技能大师工作室 (技能大师 + 工作室, 技能 + 大师). Dictionary look-ups only,
        walking jieba's prefix dictionary from a few characters before ``start``."""
        freq = self._freq
        best: tuple[int, int] | None = None
        for i in range(max(0, start - AROUND_WORD), start + 1):
            last = min(len(text), i + LONGEST_WORD)
            j = i + 1
            while j <= last and (count := freq.get(text[i:j])) is not None:  # no longer word starts so
                if count and j >= end and (i, j) != (start, end) and (best is None or j - i > best[1] - best[0]):
                    best = (i, j)
                j += 1
        return best is None or self._is_part(text[best[0] : best[1]], start - best[0], end - best[0])

    def _is_part(self, word: str, start: int, end: int) -> bool:
        """Whether ``word[start:end]`` is ``word``, or (recursively) one of its parts."""
        if (start, end) == (0, len(word)):
            return True
        offset = 0
        for part in self.parts(word) if len(word) > 2 else ():
            if offset <= start and end <= offset + len(part):
                return len(part) < len(word) and self._is_part(part, start - offset, end - offset)
            offset += len(part)
        return False

    def log_probability(self, chars: str) -> float:
        """The log-probability of a run of Han characters on jieba's most probable route
        through it (the sum jieba maximises): how likely the dictionary finds the text."""
        return _best_route(chars, self._freq.get, log(self._tokenizer.total))[1]

    def dictionary(self) -> dict[str, int]:
        """jieba's dictionary with the user dictionary: word → count (0 for a prefix of a
        word only). Read-only for callers."""
        return self._freq

    def add_word(self, word: str, freq: int | None = None) -> None:
        self._tokenizer.add_word(word, freq)
        self._subwords.clear()  # a new dictionary word can be a sub-word of a cached one
        self._parts.clear()


def _route(chars: str, freq: Any, logtotal: float) -> list[int]:
    """For each index of a jieba block, the end of the word that starts there on the
    block's most probable route: ``jieba.Tokenizer.get_DAG`` and ``calc`` in one
    backward pass, with the very same float sums and tie rule (the longer word wins a
    tie), so every choice is jieba's."""
    return _best_route(chars, freq, logtotal)[0]


def _best_route(chars: str, freq: Any, logtotal: float) -> tuple[list[int], float]:
    """:func:`_route`, and the log-probability of the whole route.

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
    return route, prob[0]


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
