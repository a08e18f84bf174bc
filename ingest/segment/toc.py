"""The table of contents (目录) of a book: entries, their parts and starting pages.

Entries end with their printed starting page ("… / 001"); an entry starts with a label
(B.N, 附录一, Abstract, ...) and may span several lines (title, subtitle, authors). Parts
are lines "I 总报告" (Roman numeral + name). The TOC also gives page anchors: the body line
where each labelled entry starts is printed on the entry's page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.clean import normalize_width

TOC_HEADING = re.compile(r"^目\s*录$")
PAGE_AT_END = re.compile(r"\s*/\s*(?P<page>\d{1,4})\s*$")
PART_LINE = re.compile(r"^(?P<roman>[IVXLC]+)\s+(?P<name>\S.*)$")
CHAPTER_LABEL = re.compile(r"^(?:-\s*)?B\s?\.\s?(?P<n>\d+)\**\s*(?P<rest>.*)$")
CHAPTER_LINE = re.compile(r"^B\s?\.\s?(?P<n>\d+)$")  # a chapter's own heading line in the body
LEADER_DOTS = re.compile(r"^[.…·\s]+")
# Markdown around an entry: a list bullet before it, stray emphasis after its label
# ("- B.1** 新时代……"); the printed entry has neither.
LIST_BULLET = re.compile(r"^[-*+]\s+")
LABEL_EMPHASIS = re.compile(r"^(B\s?\.\s?\d+)\*+")
MAX_GAP_LINES = 8  # non-entry lines tolerated inside the TOC
MAX_ENTRY_LINES = 4  # an entry reaches its page number within this many lines


@dataclass
class TocEntry:
    label: str  # "B.1", "附录一", "Abstract"
    part: str | None  # "总报告"
    part_number: str | None  # "I"
    lines: list[str] = field(default_factory=list)  # printed lines of the entry
    line: int = 0  # 1-based source line of the entry
    page: int | None = None

    @property
    def chapter_number(self) -> int | None:
        match = re.fullmatch(r"B\.(\d+)", self.label)
        return int(match.group(1)) if match else None


@dataclass
class TableOfContents:
    heading_line: int  # 1-based
    last_line: int  # 1-based, last line belonging to the TOC
    entries: list[TocEntry]
    parts: list[tuple[str, str, int]]  # (roman, name, line)

    def entry(self, label: str) -> TocEntry | None:
        return next((e for e in self.entries if e.label == label), None)

    def page_anchors(self, lines: list[str]) -> dict[int, int]:
        """Source line (1-based) → printed page, for every entry found in the body."""
        anchors: dict[int, int] = {}
        short = {i: compact(lines[i]) for i in range(self.last_line, len(lines)) if len(lines[i]) <= 60}
        for entry in self.entries:
            found = self.find_entry_start(short, entry)
            if found is not None and entry.page is not None:
                anchors[found] = entry.page
        return anchors

    @staticmethod
    def find_entry_start(short_lines: dict[int, str], entry: TocEntry) -> int | None:
        """The body line where ``entry`` starts (its B.N line, or a line opening with its label).

        ``short_lines``: index → compacted text of the short lines after the TOC, in order.
        """
        label = compact(entry.label)
        is_chapter = entry.chapter_number is not None
        for index, text in short_lines.items():
            if not text:
                continue
            if is_chapter:
                if text == label:
                    return index + 1
            elif text.startswith(label) and len(text) <= 40:
                return index + 1
        return None


def entry_text(text: str) -> str:
    """A TOC line as printed and read: without the Markdown list bullet and emphasis marks,
    the dot leaders before the authors (..... 北京市…课题组) and the tab after the label
    (B. 16\t北京市…), which the page shows as a table's cell rule (B. 16 | 北京市…)."""
    text = LABEL_EMPHASIS.sub(r"\1", LIST_BULLET.sub("", text))
    return LEADER_DOTS.sub("", text).replace("\t", " ")


def compact(text: str) -> str:
    return re.sub(r"\s+", "", normalize_width(text))


def parse_toc(lines: list[str]) -> TableOfContents | None:
    """Parse the first 目录 of ``lines`` (raw or cleaned texts); None when there is none."""
    start = next((i for i, line in enumerate(lines) if TOC_HEADING.match(line.strip())), None)
    if start is None:
        return None
    entries: list[TocEntry] = []
    parts: list[tuple[str, str, int]] = []
    current: TocEntry | None = None
    part: tuple[str, str] | None = None
    last = start
    gap = 0
    for index in range(start + 1, len(lines)):
        text = lines[index].strip()
        if not text:
            continue
        if gap > MAX_GAP_LINES:
            break
        part_match = PART_LINE.match(text)
        chapter = CHAPTER_LABEL.match(text)
        paged = PAGE_AT_END.search(text)
        if part_match and not paged and len(text) <= 20:
            part = (part_match.group("roman"), compact(part_match.group("name")))
            parts.append((*part, index + 1))
            current, gap, last = None, 0, index
            continue
        if chapter or (paged and (current is None or current.page is not None) and _labelled(text)):
            label = f"B.{chapter.group('n')}" if chapter else _label_of(text)
            in_part = part if chapter and part else (None, None)
            current = TocEntry(label, in_part[1], in_part[0], line=index + 1)
            entries.append(current)
        elif current is None or current.page is not None:
            gap += 1
            continue
        current.lines.append(text)
        if current.page is None and not paged and len(current.lines) > MAX_ENTRY_LINES:
            entries.remove(current)  # not a TOC entry: the TOC ended before it
            break
        if paged:
            current.page = int(paged.group("page"))
            last = index
        gap = 0
    if not entries:
        return None
    return TableOfContents(start + 1, last + 1, entries, parts)


def _labelled(text: str) -> bool:
    """A TOC line that starts its own entry (附录一\t…, Abstract / 423), not a continuation."""
    return not LEADER_DOTS.match(text) and not text.startswith(("——", "—"))


def _label_of(text: str) -> str:
    head = PAGE_AT_END.sub("", text)
    return re.split(r"[\t ]", head.strip(), maxsplit=1)[0]
