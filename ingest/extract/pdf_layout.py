"""PDF text lines with their geometry → the paragraphs of each page, in reading order.

The text layer of a PDF is a set of positioned lines, not paragraphs. Three steps turn
them into the lines every segmenter reads (one paragraph a line):

* :func:`order_lines`: top to bottom, left to right (content-stream order is the order
  the producer drew things in: running headers are often drawn last);
* :class:`RunningLines`: running headers, footers, page numbers and watermarks are lines
  that repeat at the same height over many pages (their digits aside). They are removed
  by that repetition, never by literal strings, and the page numbers they carry become
  the printed page labels;
* :func:`page_paragraphs`: a line that reaches the right edge of the text block continues
  on the next line unless a paragraph gap, an indent or a new numbered unit says otherwise.

Coordinates are top-down (``baseline`` is the distance from the top of the page), as in
pdfplumber, whichever library produced the line.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from ingest.clean import _STRUCTURE_START
from ingest.sentence_joins import is_terminal, join_text

_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
# A line that is only a page number: "12", "- 12 -", "· 12 ·", "第12页", "第 3 页 共 10 页", "3/10".
_PAGE_NUMBER = re.compile(r"^[-–—·•\s]*(?:第\s*)?(?P<n>\d{1,4})(?:\s*页)?(?:\s*(?:/|共)\s*\d{1,4}\s*页?)?[-–—·•\s]*$")
RUNNING_BAND = 2  # lines from the top and from the bottom of a page that may be running lines
MIN_RUNNING_PAGES = 3
WATERMARK_SHARE = 0.5  # a line repeated at one height on this share of pages anywhere is a watermark


@dataclass
class PdfLine:
    """One text line of a page with its geometry (points, top-down)."""

    text: str
    x0: float
    x1: float
    baseline: float  # distance of the baseline from the top of the page
    size: float  # font size
    table: bool = False  # a table row: cells joined by tabs, never rejoined


@dataclass
class PdfPage:
    """One page: its lines in reading order, its size and its printed page number."""

    number: int  # 1-based position in the file
    width: float
    height: float
    lines: list[PdfLine] = field(default_factory=list)
    label: int | None = None  # printed page number when known
    engine: str = "pdfium"  # which library read the page's text: pdfium | pdfplumber


def order_lines(lines: Sequence[PdfLine]) -> list[PdfLine]:
    """Top to bottom; lines on the same row (baselines within 40% of a font size) left to right."""
    by_height = sorted(lines, key=lambda line: line.baseline)
    rows: list[list[PdfLine]] = []
    for line in by_height:
        if rows and abs(line.baseline - rows[-1][0].baseline) < 0.4 * max(line.size, rows[-1][0].size, 1.0):
            rows[-1].append(line)
        else:
            rows.append([line])
    return [line for row in rows for line in sorted(row, key=lambda line: line.x0)]


def _key(line: PdfLine) -> tuple[str, int]:
    """A line's identity across pages: its text without digits or spaces, and its height."""
    return _DIGITS.sub("#", _SPACE.sub("", line.text)), round(line.baseline / 6)


class RunningLines:
    """Running headers, footers, page numbers and watermarks of a document (by repetition).

    A line repeated at one height on many pages is running when its text is the same
    everywhere (a running title, a watermark) or when its number counts the pages (a page
    number). A line whose number changes otherwise (the "B.2", "第三章" of chapter-opening
    pages, all set at the same height) is content and stays.
    """

    def __init__(self, pages: Sequence[PdfPage]) -> None:
        self.pages = pages
        band_lines: dict[tuple[str, int], dict[int, str]] = defaultdict(dict)  # key → page → text
        any_pages: dict[tuple[str, int], set[int]] = defaultdict(set)
        for index, page in enumerate(pages):
            text_lines = [line for line in page.lines if not line.table]
            for line in _band(text_lines):
                band_lines[_key(line)].setdefault(index, line.text.strip())
            for line in text_lines:
                any_pages[_key(line)].add(index)
        needed = MIN_RUNNING_PAGES if len(pages) > MIN_RUNNING_PAGES else max(2, len(pages))
        self.running: set[tuple[str, int]] = set()
        self.page_number_keys: set[tuple[str, int]] = set()
        for key, by_page in band_lines.items():
            if len(by_page) < needed or any(_STRUCTURE_START.match(text) for text in by_page.values()):
                continue
            if len(set(by_page.values())) == 1:
                self.running.add(key)
            elif _counts_pages(by_page):
                self.running.add(key)
                self.page_number_keys.add(key)
        watermark_pages = max(MIN_RUNNING_PAGES, WATERMARK_SHARE * len(pages))
        self.running |= {key for key, where in any_pages.items() if len(where) >= watermark_pages and "#" not in key[0]}

    def is_running(self, line: PdfLine, in_band: bool) -> bool:
        if line.table:
            return False
        return _key(line) in self.running or (in_band and bool(_PAGE_NUMBER.match(line.text.strip())))

    def strip(self) -> None:
        """Remove running lines from every page and set the pages' printed labels."""
        numbers: dict[int, int] = {}
        for index, page in enumerate(self.pages):
            text_lines = [line for line in page.lines if not line.table]
            band = {id(line) for line in _band(text_lines)}
            kept: list[PdfLine] = []
            for line in page.lines:
                in_band = id(line) in band
                if not self.is_running(line, in_band):
                    kept.append(line)
                    continue
                lone = in_band and _PAGE_NUMBER.match(line.text.strip())
                number = _page_number(line.text)
                if number is not None and (_key(line) in self.page_number_keys or lone):
                    numbers.setdefault(index, number)
            page.lines = kept
        _set_labels(self.pages, numbers)


def _counts_pages(by_page: dict[int, str]) -> bool:
    """Whether the numbers of a repeated line go up with the pages it is on."""
    numbered: list[tuple[int, int]] = []
    for index, text in sorted(by_page.items()):
        number = _page_number(text)
        if number is not None:
            numbered.append((index, number))
    pairs = list(pairwise(numbered))
    if not pairs:
        return False
    steady = sum(1 for (p1, n1), (p2, n2) in pairs if 0 < n2 - n1 <= (p2 - p1) + 1)
    return steady >= 0.8 * len(pairs)


def _band(lines: Sequence[PdfLine]) -> list[PdfLine]:
    if len(lines) <= 2 * RUNNING_BAND:
        return list(lines)
    return [*lines[:RUNNING_BAND], *lines[-RUNNING_BAND:]]


def _page_number(text: str) -> int | None:
    match = _PAGE_NUMBER.match(text.strip())
    if match:
        return int(match.group("n"))
    numbers = _DIGITS.findall(text)
    return int(numbers[-1]) if len(numbers) == 1 and len(numbers[0]) <= 4 else None


def _set_labels(pages: Sequence[PdfPage], numbers: dict[int, int]) -> None:
    """Printed page numbers: read from the running lines when most pages print one (pages
    between two numbered pages continue the count; pages before the first are front
    matter), else the page's position in the file."""
    if len(numbers) * 2 < len(pages):
        for page in pages:
            page.label = page.label if page.label is not None else page.number
        return
    previous: int | None = None
    for index, page in enumerate(pages):
        if index in numbers:
            previous = numbers[index]
            page.label = previous
        elif previous is not None:
            previous += 1
            page.label = previous
        else:
            page.label = None


@dataclass
class TextBlock:
    """The text block of the body, per page parity (books mirror their margins)."""

    right: dict[int, float]
    leading: float

    @classmethod
    def measure(cls, pages: Sequence[PdfPage]) -> TextBlock:
        rights: dict[int, list[float]] = defaultdict(list)
        gaps: Counter[float] = Counter()
        for page in pages:
            lines = [line for line in page.lines if not line.table]
            rights[page.number % 2].extend(line.x1 for line in lines if not _hangs(line.text))
            for upper, lower in pairwise(lines):
                gap = lower.baseline - upper.baseline
                if gap > 0.5 * upper.size:
                    gaps[round(gap, 1)] += 1
        right = {parity: _percentile(values, 0.95) for parity, values in rights.items() if values}
        leading = gaps.most_common(1)[0][0] if gaps else 14.0
        return cls(right, leading)


_HANGING = frozenset("，。、；：！？）》」』”’,.;:!?)")


def _hangs(text: str) -> bool:
    """Closing punctuation may hang past the right edge: such a line does not mark it."""
    stripped = text.rstrip()
    return bool(stripped) and stripped[-1] in _HANGING


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def page_paragraphs(page: PdfPage, block: TextBlock) -> list[str]:
    """The page's paragraphs, one a line; "" where a paragraph gap separates two lines."""
    out: list[str] = []
    text_lines = [line for line in page.lines if not line.table]
    right = block.right.get(page.number % 2, page.width)
    if text_lines:
        # A page set in another font size has its own edge: its longest line, when that
        # is near the document's edge (a page of short lines has none).
        page_right = max((line.x1 for line in text_lines if not _hangs(line.text)), default=0.0)
        if page_right >= right - 4 * statistics.median(line.size for line in text_lines):
            right = page_right
    left = statistics.median_low([round(line.x0) for line in text_lines]) if text_lines else 0.0
    previous: PdfLine | None = None
    for line in page.lines:
        text = line.text.strip() if not line.table else line.text
        if not text:
            continue
        if previous is None:
            out.append(text)
        elif _continues(previous, line, right, left, block.leading, page.width):
            out[-1] = join_text(out[-1], text)
        else:
            if line.baseline - previous.baseline > 1.6 * block.leading and out[-1] != "":
                out.append("")
            out.append(text)
        previous = line
    return out


_FIRST_WORD = re.compile(r"[A-Za-z0-9.,%\-+/()'’]+|\S")


def _first_word_width(text: str, size: float) -> float:
    """Estimated width of the first unbreakable piece of ``text``: a Latin word or number
    (half-width characters), else one Han character."""
    match = _FIRST_WORD.match(text)
    if not match:
        return 0.0
    return sum(0.55 * size if char.isascii() else size for char in match.group())


def _continues(upper: PdfLine, lower: PdfLine, right: float, left: float, leading: float, page_width: float) -> bool:
    """Whether ``lower`` is the next line of the paragraph ``upper`` wraps into."""
    if upper.table or lower.table:
        return False
    if right < 0.6 * page_width or upper.x0 > left + 4 * upper.size:
        return False  # no text block to fill (a title page), or a centred line
    if upper.x1 < right - 1.5 * upper.size:
        # Short of the right edge the paragraph ends, unless the next line's first word
        # would not have fitted there (a long number or Latin word wraps early).
        room = right - upper.x1
        if _first_word_width(lower.text.strip(), lower.size) < room - 0.5 * lower.size:
            return False
    if lower.baseline - upper.baseline > 1.4 * leading:
        return False  # a paragraph gap
    if lower.x0 > left + 0.8 * lower.size:
        return False  # an indented first line
    return not (is_terminal(upper.text) and _STRUCTURE_START.match(lower.text.strip()))
