"""Split a cleaned book into regions by its headings: front matter, 目录, chapters
(B.N), appendices (附录…), the English abstract/contents and what follows."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.model import SourceLine
from ingest.segment.toc import CHAPTER_LINE, TableOfContents, compact
from ingest.sentence_joins import is_terminal

APPENDIX_HEADING = re.compile(r"^附录[一二三四五六七八九十\d]+")
ENGLISH_ABSTRACT = re.compile(r"^Abstract$")
MAX_PART_LINES = 2  # a part heading: its Chinese name and its English name


@dataclass
class Region:
    kind: str  # front | toc | chapter | appendix | english
    lines: list[SourceLine]
    label: str = ""  # "B.3" for chapters, the heading for appendices


def split_regions(lines: list[SourceLine], toc: TableOfContents | None) -> list[Region]:
    """Cut ``lines`` at the 目录, every chapter's B.N line (with its part heading), every
    附录 heading and the English "Abstract" heading."""
    after_toc = _index_after(lines, toc.last_line) if toc else 0
    starts: list[tuple[int, str, str]] = []  # (index, kind, label)
    for index in range(after_toc, len(lines)):
        text = lines[index].text
        chapter = CHAPTER_LINE.match(compact(text))
        if chapter:
            starts.append((_part_start(lines, index, after_toc), "chapter", f"B.{chapter.group('n')}"))
        elif APPENDIX_HEADING.match(text) and len(text) <= 40:
            starts.append((index, "appendix", text))
        elif ENGLISH_ABSTRACT.match(text.strip()):
            starts.append((index, "english", text))
    regions: list[Region] = []
    first = starts[0][0] if starts else len(lines)
    if toc:
        toc_start = _index_after(lines, toc.heading_line - 1)
        regions.append(Region("front", lines[:toc_start]))
        regions.append(Region("toc", lines[toc_start:after_toc]))
        regions.append(Region("front", lines[after_toc:first]))
    else:
        regions.append(Region("front", lines[:first]))
    for number, (index, kind, label) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(lines)
        regions.append(Region(kind, lines[index:end], label))
    return [r for r in regions if r.lines or r.kind == "toc"]


def _index_after(lines: list[SourceLine], source_line: int) -> int:
    """Index of the first cleaned line whose source line is after ``source_line``."""
    return next((i for i, line in enumerate(lines) if line.line > source_line), len(lines))


def _part_start(lines: list[SourceLine], index: int, floor: int) -> int:
    """Move a chapter start back over its part heading (short title-like lines)."""
    start = index
    while start - 1 >= floor and index - start < MAX_PART_LINES:
        text = lines[start - 1].text
        if len(text) > 40 or is_terminal(text) or re.search(r"[，。；：、,;:]", text):
            break
        start -= 1
    return start
