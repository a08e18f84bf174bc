"""Where a sentence of extracted text ends, and how the halves of a broken one join.

A PDF's lines end where its layout did, not where its sentences do: a line may end a
sentence, run on into the next (an open bracket, a comma, a word cut in two) or be a title
that never continues one. :class:`~ingest.clean.PdfTextCleaner` rejoins paragraphs a page
break cut, and the PDF layout and table readers and the report segmenters ask the same
questions of a line; they are answered once here, from punctuation and the segmenter's
words, with how two halves join (no space between Han characters, one between Latin
words; the character a page break repeats dropped).
"""

from __future__ import annotations

import re

from analysis.text import HAN_CHAR
from analysis.words import get_analyzer

# Sentence-final punctuation. Closing quotes/brackets count only right after one of these.
_TERMINAL = "。！？!?；;：:…$"  # "$": a display formula
_CLOSERS = "”’」』）)》"
_INNER_PUNCT = re.compile(r"[，。；：、,;:]")
# Characters after which a sentence cannot end: the next non-blank line must continue it.
_OPEN_ENDINGS = "，、,（(《“‘〔["
_BRACKET_PAIRS = (("（", "）"), ("(", ")"), ("《", "》"), ("〔", "〕"), ("“", "”"))
_TRAILING_MARKS = re.compile(r"(?:\^?[①-⑳]|\*)+$")  # footnote markers after the full stop
# Section headings (not list entries such as 第四条 or a dated event, which carry prose).
_HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十]+\s|[(（]\s?[一二三四五六七八九十\d]+\s?[)）]|\d{1,3}\s?[.．、](?!\d)|第[一二三四五六七八九十\d]+[章节])"
)


def is_terminal(text: str) -> bool:
    """Whether ``text`` ends a sentence (so a following line starts a new paragraph)."""
    text = _TRAILING_MARKS.sub("", text.rstrip())
    if not text:
        return True
    last = text[-1]
    if last in _TERMINAL:
        return True
    if last == "." and not HAN_CHAR.search(text[-30:]):  # English sentence
        return True
    if last in _CLOSERS:
        return len(text) > 1 and text[-2] in _TERMINAL + "."
    return False


def join_text(left: str, right: str) -> str:
    """Join two halves of a broken sentence: no space for CJK, one space between Latin words."""
    left, right = left.rstrip(), right.lstrip()
    if left and right and left[-1].isascii() and right[0].isascii() and left[-1].isalnum() and right[0].isalnum():
        return f"{left} {right}"
    return left + right


def without_repeat(left: str, right: str) -> str:
    """``right`` less its first character when it repeats ``left``'s last as a page break
    of an extracted PDF does (…优秀高技能人才 | 才中产生, 要加 | 加大对): a Han character the
    segmenter reads as no word with its twin (常常, 纷纷表示 and 年年有余 are kept)."""
    left, right = left.rstrip(), right.lstrip()
    if not left or not right or left[-1] != right[0] or not HAN_CHAR.match(right[0]):
        return right
    return right if _word_across(left, right) else right[1:]


def cuts_a_word(left: str, right: str) -> bool:
    """Whether a word of Han text runs on from ``left`` into ``right`` (奋 | 斗, 服 | 务):
    a heading ends on a whole word (…作为当务之急 | 加快推进…)."""
    return bool(HAN_CHAR.match(left[-1:]) and HAN_CHAR.match(right[:1])) and _word_across(left, right)


def _word_across(left: str, right: str) -> bool:
    """Whether the segmenter reads a word from ``left``'s last character on into ``right``."""
    before = left[-6:]
    last = len(before) - 1
    return any(t.start <= last < t.end - 1 for t in get_analyzer().words(before + right[:6]))


def _unbalanced(text: str) -> bool:
    return any(text.count(open_) > text.count(close) for open_, close in _BRACKET_PAIRS)


def must_continue(text: str) -> bool:
    """Whether ``text`` cannot end a sentence (an open bracket, a comma): the next line
    continues it."""
    return text.rstrip()[-1] in _OPEN_ENDINGS or _unbalanced(text)


def looks_like_title(text: str) -> bool:
    """A short line without punctuation (a title or heading), never the tail of a sentence."""
    return len(text) <= 40 and not _INNER_PUNCT.search(text) and not is_terminal(text)


def looks_like_prose(text: str) -> bool:
    """Body text, as opposed to a heading, title or author line.

    Titles and author lines carry no inner punctuation; a numbered heading may, but is short.
    """
    if _HEADING_START.match(text) and len(text) <= 50:
        return False
    return bool(_INNER_PUNCT.search(text)) or len(text) >= 40
