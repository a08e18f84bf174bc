"""Character-level text processing shared by indexing and querying.

Matching is done on a *normalised* form of the text (full-width ASCII folded to
half-width, lowercase) that has exactly the same length as the display text, so token
offsets point into the original text for highlighting. :data:`HAN` is the one Han
character class of the project: every pattern that means "a Chinese character" uses it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

# The Han characters of every pattern here and in the engines (a regex class body).
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))  # the same, as code points

HAN_RUN = re.compile(rf"[{HAN}]+")  # a run of Han characters (a Han word)
HAN_CHAR = re.compile(rf"[{HAN}]")  # one Han character


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
def _t2s() -> Callable[[str], str]:
    """OpenCC's traditional → simplified conversion (characters alone or whole texts)."""
    import opencc

    convert: Callable[[str], str] = opencc.OpenCC("t2s").convert
    return convert


@lru_cache(maxsize=1)
def _simplified_chars() -> dict[str, str]:
    """Traditional characters and their simplified form, one character for one (OpenCC's
    ``t2s`` applied to each Han character alone): 職業資格 and 职业资格 then match alike
    at index and query time, and offsets stay valid. Phrase-level conversions that change
    the length are left out; a character with two readings is folded like OpenCC folds it
    alone (乾 → 干), on both sides, so matching stays consistent."""
    convert = _t2s()
    out: dict[str, str] = {}
    for start, end in HAN_RANGES:
        for code in range(start, end + 1):
            char = chr(code)
            simple = convert(char)
            if simple != char and len(simple) == 1:
                out[char] = simple
    return out


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
    for char, simple in _simplified_chars().items():
        table[ord(char)] = simple
    return table


@lru_cache(maxsize=1)
def _traditional() -> re.Pattern[str]:
    """A character that only a traditional text writes (one :func:`_simplified_chars`
    folds): the mark of a text whose phrases OpenCC should read whole."""
    return re.compile("[" + "".join(sorted(_simplified_chars())) + "]")


def has_traditional(text: str) -> bool:
    """Whether ``text`` holds a character only a traditional text writes (職, not 职)."""
    return _traditional().search(text) is not None


def _simplified_phrases(text: str) -> str:
    """``text`` with OpenCC's phrase-level t2s when it holds a traditional character and
    the conversion keeps its length: a character that is itself simplified but stands for
    another in a traditional phrase (答覆 → 答复, 反覆 → 反复) is then read as the phrase
    means. Texts of simplified characters alone (nearly all) are left as they are."""
    if not has_traditional(text):
        return text
    converted = _t2s()(text)
    return converted if len(converted) == len(text) else text


# Normalised texts remembered: a passage's text is normalised by the analyzer, by
# enrichment and by the engine's record builder, one after the other.
NORMALIZE_CACHE_CHARS = 2_000_000
_normalized: dict[str, str] = {}
_normalized_chars = 0


def normalize(text: str) -> str:
    """Fold full-width forms to half-width, lowercase and traditional characters to
    simplified ones (whole phrases when the text is traditional), keeping the length
    unchanged."""
    global _normalized_chars
    cached = _normalized.get(text)
    if cached is not None:
        return cached
    if text.isascii():
        return text.lower()
    folded = _simplified_phrases(text).translate(_fold_table())
    if max(text) > "\uffff":  # rare: characters beyond the BMP are folded one by one
        folded = "".join(_fold_cached(c) if c > "\uffff" else c for c in folded)
    if _normalized_chars > NORMALIZE_CACHE_CHARS:
        _normalized.clear()
        _normalized_chars = 0
    _normalized[text] = folded
    _normalized_chars += len(text)
    return folded


# A title quoted inside a title takes the inner marks: 《广东省实施〈中华人民共和国消防法〉办法》.
_TO_INNER_MARKS = str.maketrans("《》", "〈〉")
_TO_OUTER_MARKS = str.maketrans("〈〉", "《》")


def inner_title_marks(title: str) -> str:
    """``title`` as another title quotes it: its own 《》 turned inner (〈〉)."""
    return title.translate(_TO_INNER_MARKS)


def outer_title_marks(text: str) -> str:
    """``text`` with inner title marks (〈〉) as 《》: one kind of mark for comparisons."""
    return text.translate(_TO_OUTER_MARKS)


_SPACES = re.compile(r"\s+")


def compact(text: str) -> str:
    """Normalised text with all whitespace removed (for 'contains' comparisons)."""
    return _SPACES.sub("", normalize(text))


def bigrams(text: str) -> list[Token]:
    """Overlapping character bigrams of each Han run (a single Han char stays a unigram).

    A segmentation-independent second view of the text: queries still match when
    jieba cuts a query differently from the passage.
    """
    norm = normalize(text)
    out: list[Token] = []
    for run in HAN_RUN.finditer(norm):
        s, e = run.span()
        if e - s == 1:
            out.append(Token(norm[s:e], s, e))
            continue
        out.extend(Token(norm[i : i + 2], i, i + 2) for i in range(s, e - 1))
    return out


# A part of a code filed as a text of its own (中华人民共和国民法典 / 合同编, 总则): the
# ingest titles each text by its part, and a query naming the code names every part.
CODE_PART = re.compile(rf"(?:第[一二三四五六七八九十]+编\s*)?[{HAN}]{{0,10}}(?:编|总则|分则|附则)")
_TITLED_PART = re.compile(rf"[（(]{CODE_PART.pattern}[)）]$")


def with_part(title: str, part: str) -> str:
    """The title of one part of a code: 中华人民共和国民法典（合同编）."""
    return f"{title}（{part}）"


def without_part(title: str) -> str:
    """The code's own title of a part's title (``title`` itself when it names no part)."""
    return _TITLED_PART.sub("", title)
