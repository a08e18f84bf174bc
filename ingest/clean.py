"""Clean the text of a PDF extraction into numbered source lines.

PDF extraction leaves three kinds of debris that every segmenter would otherwise have to
fight: a publisher watermark repeated on many pages (sometimes glued to the start of a
content line), boilerplate printed twice (a rights notice as one line and again wrapped
over several lines), and page breaks (runs of blank lines) that cut a paragraph in two,
often with the page's footnotes or a figure caption in between.

:class:`PdfTextCleaner` removes the first two *by repetition* (no literal strings: the
same code must work on books nobody has seen) and rejoins paragraphs split by a page
break, dropping the character a break may repeat (…人才 | 才中产生; where a sentence ends
and how its halves join: :mod:`ingest.sentence_joins`). Each output
:class:`SourceLine` keeps the 1-based line number of the first source line it came from,
so citations point into the original file.

Converters that write the PDF as Markdown leave two more marks, removed here by their
form: a superscript footnote reference written with a caret (``人才密度^①达到`` becomes
``人才密度①达到``; the circled number stays, so footnotes still find their reference), and
a line that is only a rule or an empty list bullet (``-`` above a page's footnotes), and
the list bullet before a numbered reference (``- [1] 吴官蔚：《…》`` becomes ``[1] 吴官蔚：《…》``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from analysis.text import HAN_CHAR
from ingest.model import SourceLine
from ingest.sentence_joins import (
    cuts_a_word,
    is_terminal,
    join_text,
    looks_like_prose,
    looks_like_title,
    must_continue,
    without_repeat,
)

# Full-width ASCII (U+FF01..U+FF5E) and the ideographic space map one-to-one onto ASCII,
# so offsets found in the normalised text are valid in the display text.
# A list over the BMP (each other character its own code): str.translate looks every
# character up, and a dict's misses each raise and clear a KeyError, twice the cost.
_WIDTH_TABLE = [
    code - 0xFEE0 if 0xFF01 <= code < 0xFF5F else 0x20 if code == 0x3000 else code for code in range(0x10000)
]
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")


def normalize_width(text: str) -> str:
    """Map full-width ASCII letters, digits, punctuation and spaces to half-width.

    One character maps to one character, so ``len(normalize_width(s)) == len(s)``.

    >>> normalize_width("（一）ＡＢ１２，")
    '(一)AB12,'
    """
    if not _FULL_WIDTH.search(text):
        return text  # the common case, and str.translate is slow
    return text.translate(_WIDTH_TABLE)


# A line that opens a new structural unit: a section heading, a list item, a caption, a
# table row, a footnote, a dated timeline entry... Never the continuation of a sentence.
_STRUCTURE_START = re.compile(
    r"""^(?:
        [一二三四五六七八九十]+\s                # 一 section
      | [(（]\s?[一二三四五六七八九十\d]+\s?[)）]  # （一） / (1)
      | \d{1,3}\s?[.．、](?!\d)                  # 1. item
      | 第[一二三四五六七八九十百零〇\d]+[章节条部分编]  # 第四条
      | [表图]\s?\d+                              # 表1 / 图 2 caption
      | 续表 | 资料来源 | 注\s?[:：] | 单位\s?[:：]
      | 摘\s?要 | 关键词 | Abstract | Keywords | Contents
      | —— | — | B\s?\.\s?\d+
      | 附录 | \d{1,2}月$ | \d{1,2}日 | \d{1,2}\s?[~～至]
      | [0-9０-９]{4}年[0-9０-９]{1,2}月[0-9０-９]{1,2}日[ \u3000]  # a header's dated event: 2004年9月1日 …通过
      | [-•·▲]\s | \[\d+\] | \^?[①-⑳] | \*
    )""",
    re.VERBOSE,
)
_FOOTNOTE = re.compile(r"^(?:-\s*)?(?:\^?[①-⑳]|\*\s)|^-$")  # a lone "-" is the footnote rule
# Lines after which no sentence continues: captions, sources, keyword lists, footnotes.
_NO_JOIN_AFTER = re.compile(
    r"^(?:[表图]\s?\d+|资料来源|注\s?[:：]|单位\s?[:：]|关键词|Keywords|续表|——|—|B\s?\.\s?\d+|附录|-$|(?:-\s*)?\^?[①-⑳]|\*\s)"
)
_FIGURE_CAPTION = re.compile(r"^图\s?\d+")
_FIGURE_NOTE = re.compile(r"^(?:资料来源|注)\s?[:：]")
# Markdown's superscript caret before a footnote reference (^① … ^⑳, ^*): the mark stays.
_FOOTNOTE_CARET = re.compile(r"\^(?=[\u2460-\u2473*])")
# A Markdown list bullet before a numbered reference of a bibliography ("- [1] …").
_REFERENCE_BULLET = re.compile(r"^[-*+]\s+(?=\[\d+\])")
# A Markdown link, [label](address): its label is what a reader sees (the address when
# that is the label, as a text converted from Markdown writes a bare link).
_MARKDOWN_LINK = re.compile(r"\[([^\[\]\n]{1,300})\]\((?:https?://|/)[^()\s]{0,500}\)")
# Two or more tabs closing a line are the empty cells of a table row whose only text is in
# its first column (电子商务销售额(亿元)\t\t); one is layout.
_EMPTY_CELLS = re.compile(r"\t{2,}$")


def _keep_empty_cells(line: str) -> str:
    """``line`` without trailing whitespace, but with the tabs of a row's empty last cells."""
    text = line.rstrip()
    cells = _EMPTY_CELLS.search(line.rstrip(" \u3000\r\n"))
    return text + cells.group(0) if cells else text


# A line with no text: a Markdown rule or an empty list bullet ("-" above the footnotes).
_BARE_RULE = re.compile(r"^[-*_+=]+$")


@dataclass
class _Raw:
    """A non-blank source line with what preceded it."""

    text: str
    line: int
    blanks_before: int  # blank lines between this line and the previous kept line
    break_before: bool  # a page break (a run of blank lines or a dropped watermark) precedes it
    page: int | None = None


class PdfTextCleaner:
    """Turn the raw text of a PDF extraction into clean, rejoined :class:`SourceLine` s.

    ``min_repeats``: how many times a short line must occur, spread over the document, to
    count as a watermark. ``page_break_blanks``: how many consecutive blank lines mark a
    page break.
    """

    def __init__(self, min_repeats: int = 5, page_break_blanks: int = 3, long_line: int = 60) -> None:
        self.min_repeats = min_repeats
        self.page_break_blanks = page_break_blanks
        self.long_line = long_line  # a paragraph line this long never ends without punctuation
        # Source lines (1-based, half-open ranges) whose printed page :meth:`clean` could only
        # estimate: between two anchors more or fewer page breaks survived than pages lie.
        self.estimated_pages: list[tuple[int, int]] = []

    # -- public API ------------------------------------------------------------------

    def clean(self, text: str, page_anchors: Mapping[int, int] | None = None) -> list[SourceLine]:
        """Clean ``text``; ``page_anchors`` maps a 1-based source line to its printed page.

        Pages are estimated between anchors by counting page breaks (see :meth:`_pages`).
        """
        lines = text.split("\n")
        watermarks = self.find_watermarks(lines)
        dropped = self.find_duplicate_blocks(lines) | {i for i, line in enumerate(lines) if line.strip() in watermarks}
        raws = self._collect(lines, watermarks, dropped)
        self._pages(raws, lines, page_anchors or {})
        # Rules are dropped only now: before, they tell the rejoining where footnotes start.
        return [SourceLine(r.text, r.line, r.page) for r in self._rejoin(raws) if not _BARE_RULE.match(r.text)]

    def find_watermarks(self, lines: list[str]) -> set[str]:
        """Short lines repeated many times all over the document that are not structure.

        Repeated structure ("续表", "资料来源：课题组自制。", a repeated table header) is
        recognised by its markers and kept; a watermark has none and is spread from the
        first part of the document to the last.
        """
        positions: dict[str, list[int]] = {}
        for index, line in enumerate(lines):
            stripped = line.strip()
            if 4 <= len(stripped) <= 40 and "\t" not in line and not _STRUCTURE_START.match(stripped):
                positions.setdefault(stripped, []).append(index)
        spread_needed = len(lines) / 2
        return {
            text
            for text, where in positions.items()
            if len(where) >= self.min_repeats and where[-1] - where[0] >= spread_needed
        }

    def find_duplicate_blocks(self, lines: list[str]) -> set[int]:
        """Indexes of boilerplate printed twice: once as one long line, once wrapped.

        A block of consecutive short lines whose joined text starts and ends like a long
        line elsewhere is the same notice laid out twice (a rights notice on the title page
        and again in a box); both copies are dropped. Body paragraphs are extracted as one
        line each, so they never match.
        """
        key_len = 10
        compacts = [_compact(line) if line.strip() else "" for line in lines]
        long_lines: dict[tuple[str, str], int] = {}
        for index, compact in enumerate(compacts):
            if len(compact) >= 4 * key_len:
                long_lines.setdefault((compact[:key_len], compact[-key_len // 2 :]), index)
        if not long_lines:
            return set()
        # Every prefix of a long line's key: a block must start with one of them.
        prefixes = {start[:size] for start, _ in long_lines for size in range(1, key_len + 1)}
        found: set[int] = set()
        for index, compact in enumerate(compacts):
            if not compact or len(compact) >= 4 * key_len or compact[:key_len] not in prefixes:
                continue
            block = self._wrapped_block(compacts, index)
            joined = "".join(compacts[i] for i in block)
            match = long_lines.get((joined[:key_len], joined[-key_len // 2 :])) if len(block) >= 2 else None
            if match is not None:
                found.update(block)
                found.add(match)
        return found

    @staticmethod
    def _wrapped_block(compacts: list[str], index: int, max_lines: int = 12) -> list[int]:
        """The consecutive non-blank lines from ``index``."""
        block: list[int] = []
        cursor = index
        while cursor < len(compacts) and compacts[cursor] and len(block) < max_lines:
            block.append(cursor)
            cursor += 1
        return block

    # -- steps -------------------------------------------------------------------------

    def _collect(self, lines: list[str], watermarks: set[str], dropped: set[int]) -> list[_Raw]:
        """Non-blank kept lines, with glued watermark prefixes removed and gaps recorded."""
        prefixes = sorted(watermarks, key=len, reverse=True)
        raws: list[_Raw] = []
        blanks = 0
        broken = False
        for index, line in enumerate(lines):
            stripped = line.strip()
            if index in dropped:
                broken = broken or stripped in watermarks or bool(stripped)
                continue
            if not stripped:
                blanks += 1
                broken = broken or blanks >= self.page_break_blanks
                continue
            # Leading tabs are empty table cells: keep them; other whitespace is layout.
            text_ = _keep_empty_cells(line).lstrip(" \u3000\r")
            for prefix in prefixes:
                if stripped.startswith(prefix):
                    text_ = stripped[len(prefix) :].lstrip()
                    broken = True
                    break
            text_ = _REFERENCE_BULLET.sub("", _FOOTNOTE_CARET.sub("", text_))
            text_ = _MARKDOWN_LINK.sub(r"\1", text_)
            raws.append(_Raw(text_, index + 1, blanks, broken))
            blanks = 0
            broken = False
        return raws

    def _pages(self, raws: list[_Raw], lines: list[str], anchors: Mapping[int, int]) -> None:
        """Estimate printed pages from anchors (a line known to start a page).

        Not every page break survives extraction as a run of blank lines, so between two
        anchors the breaks seen are spread over the known page span (a lower bound when no
        next anchor is known). Pages stay None before the first anchor.
        """
        self.estimated_pages = []
        if not anchors:
            return
        ordered = sorted(anchors.items())
        for number, (line_no, page) in enumerate(ordered):
            end_line = ordered[number + 1][0] if number + 1 < len(ordered) else len(lines) + 1
            segment = [r for r in raws if line_no <= r.line < end_line]
            total_breaks = sum(1 for r in segment[1:] if r.blanks_before >= self.page_break_blanks)
            span = ordered[number + 1][1] - page if number + 1 < len(ordered) else None
            if span is None or total_breaks + 1 != span:  # the anchor's own line is exact
                self.estimated_pages.append((line_no + 1, end_line))
            seen = 0
            for position, raw in enumerate(segment):
                if position and raw.blanks_before >= self.page_break_blanks:
                    seen += 1
                if span is None or span <= 0:
                    raw.page = page + seen
                else:
                    raw.page = page + (seen * span) // (total_breaks + 1)

    def _rejoin(self, raws: list[_Raw]) -> list[_Raw]:
        """Rejoin sentences cut by a page break; lines in between (footnotes, figure
        captions) are moved after the rejoined paragraph."""
        out: list[_Raw] = []
        consumed: set[int] = set()
        for index, raw in enumerate(raws):
            if index in consumed:
                continue
            current = _Raw(raw.text, raw.line, raw.blanks_before, raw.break_before, raw.page)
            moved: list[_Raw] = []
            cursor = index
            while True:
                target, floating = self._continuation(raws, cursor, current.text, consumed)
                if target is None:
                    break
                current.text = join_text(current.text, without_repeat(current.text, raws[target].text))
                moved.extend(raws[i] for i in floating)
                consumed.update(floating)
                consumed.add(target)
                cursor = target
            out.append(current)
            out.extend(moved)
        return out

    def _continuation(
        self, raws: list[_Raw], index: int, text: str, consumed: set[int]
    ) -> tuple[int | None, list[int]]:
        """The index of the line continuing ``text`` and the floating lines skipped to reach it."""
        first = raws[index].text
        if _FOOTNOTE.match(first) and first != "-":
            return self._footnote_continuation(raws, index), []
        if is_terminal(text) or "\t" in first or _NO_JOIN_AFTER.match(first):
            return None, []
        floating = self._floating_after(raws, index)
        target = index + 1 + len(floating)
        if target >= len(raws) or target in consumed:
            return None, []
        candidate = raws[target].text
        if "\t" in candidate or _STRUCTURE_START.match(candidate) or looks_like_title(candidate):
            return None, []
        if must_continue(text):
            return target, floating
        if not HAN_CHAR.search(text[-20:]) and not candidate[0].islower():
            return None, []  # an English sentence continues in lower case
        if not looks_like_prose(text):
            return None, []
        if floating or page_break_between(raws, index, target):
            return target, floating
        if raws[target].blanks_before <= 1 and (len(text) >= self.long_line or cuts_a_word(text, candidate)):
            # A long paragraph line never ends without punctuation, nor does any paragraph
            # in the middle of a word (…向第二个百年奋 | 斗目标进军…): a page break that left
            # only one blank line.
            return target, floating
        return None, []

    @staticmethod
    def _footnote_continuation(raws: list[_Raw], index: int) -> int | None:
        """A footnote wrapped onto the next line (no blank line between) continues there."""
        target = index + 1
        if target >= len(raws) or raws[target].blanks_before or raws[target].break_before:
            return None
        if _STRUCTURE_START.match(raws[target].text) or "\t" in raws[target].text:
            return None
        return target

    @staticmethod
    def _floating_after(raws: list[_Raw], index: int) -> list[int]:
        """Footnotes and figure blocks that a page break put inside a paragraph."""
        floating: list[int] = []
        cursor = index + 1
        while cursor < len(raws):
            text = raws[cursor].text
            caption = bool(_FIGURE_CAPTION.match(text)) and len(text) <= 80 and not is_terminal(text)
            if not (caption or _FOOTNOTE.match(text) or _FIGURE_NOTE.match(text)):
                break
            floating.append(cursor)
            cursor += 1
        return floating


def page_break_between(raws: list[_Raw], index: int, target: int) -> bool:
    return target > index + 1 or any(r.break_before for r in raws[index + 1 : target + 1])


def _compact(text: str) -> str:
    """Text without whitespace and punctuation, width-normalised: for comparing layouts."""
    return re.sub(r"[\W_]+", "", normalize_width(text))
