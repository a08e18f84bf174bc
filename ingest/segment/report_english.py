"""The English matter at the end of a report: the book's Abstract and the Contents with,
per chapter, its English title ("B.N …"), authors ("… / 001"), Abstract: and Keywords:.

Each chapter's English abstract becomes an ``abstract`` passage (attrs lang="en") of the
chapter document with the same B.N number; the rest is front matter of the report. The
extraction sets italics as Markdown (``— *Beijing Talent Development Report 2023*``):
the parser reads the asterisks (they end a subtitle), the stored text drops them. Parts
are named in Chinese (:mod:`ingest.segment.part_labels`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.text import HAN_CHAR
from ingest.model import Document, Passage, SourceLine
from ingest.segment.part_labels import part_label
from ingest.segment.regions import ENGLISH_ABSTRACT
from ingest.segment.toc import LIST_BULLET

ENTRY_START = re.compile(r"^B\s?\.\s?(?P<n>\d+)\s+(?P<rest>\S.*)$")
PART_LINE = re.compile(r"^(?P<roman>[IVXLC]+)\s+(?P<name>[A-Z].*)$")
PAGE_LINE = re.compile(r"/\s*\d{1,4}\**\s*$")
SUBTITLE = re.compile(r"^—")
ABSTRACT = re.compile(r"^Abstract\s*:\s*(?P<rest>.*)$")
KEYWORDS = re.compile(r"^Keywords\s*:\s*(?P<rest>.*)$")
CONTENTS = re.compile(r"^Contents$")
# Markdown emphasis around Latin text, over at most one line break. Not a footnote mark
# after Han text (课题组*) nor an operator between spaces (50 * x).
EMPHASIS = re.compile(
    r"(?<![\w*\\])(\*{1,2})(?=[A-Za-z0-9\"'“‘(])([^*\n]{1,300}?(?:\n[^*\n]{1,300}?)?)(?<=[^\s*\\])\1(?![\w*])"
)


def plain(text: str) -> str:
    """``text`` without Markdown emphasis marks."""
    return EMPHASIS.sub(r"\2", text) if "*" in text else text


@dataclass
class EnglishEntry:
    key: str
    part: str | None
    lines: list[SourceLine] = field(default_factory=list)
    title: str = ""
    subtitle: str | None = None
    authors: str | None = None
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)


def parse_contents(lines: list[SourceLine]) -> tuple[list[EnglishEntry], int]:
    """Entries of the English Contents and the index where the back matter starts."""
    start = next((i for i, line in enumerate(lines) if CONTENTS.match(line.text.strip())), None)
    if start is None:
        return [], len(lines)
    entries: list[EnglishEntry] = []
    part: str | None = None
    current: EnglishEntry | None = None
    for index in range(start + 1, len(lines)):
        text = lines[index].text
        entry = ENTRY_START.match(text)
        part_match = PART_LINE.match(text)
        if entry:
            current = EnglishEntry(f"B.{entry.group('n')}", part)
            entries.append(current)
        elif part_match and len(text) <= 40:
            part = part_match.group("name").strip()
            current = None
            continue
        elif current is None or (HAN_CHAR.search(text) and current.keywords):
            if entries and HAN_CHAR.search(text):
                return _finish(entries), index  # Chinese text after the last entry: back matter
            continue
        current.lines.append(lines[index])
        keywords = KEYWORDS.match(text)
        if keywords:
            current.keywords = [k.strip() for k in re.split(r"[;；]", keywords.group("rest")) if k.strip()]
    return _finish(entries), len(lines)


def _finish(entries: list[EnglishEntry]) -> list[EnglishEntry]:
    for entry in entries:
        _split_entry(entry)
    return entries


def _split_entry(entry: EnglishEntry) -> None:
    """Title lines, subtitle, authors (ending with "/ page") and the abstract of one entry."""
    texts = [line.text for line in entry.lines]
    page_at = next((i for i, text in enumerate(texts) if PAGE_LINE.search(text)), None)
    abstract_at = next((i for i, text in enumerate(texts) if ABSTRACT.match(text)), len(texts))
    keywords_at = next((i for i, text in enumerate(texts) if KEYWORDS.match(text)), len(texts))
    head = texts[: page_at + 1] if page_at is not None else texts[:abstract_at]
    first = ENTRY_START.match(head[0]) if head else None
    head_titles = [first.group("rest") if first else (head[0] if head else "")]
    subtitle_at = next((i for i, text in enumerate(head) if SUBTITLE.match(text)), None)
    if subtitle_at is not None:
        head_titles += head[1:subtitle_at]
        # The subtitle is italic: it ends at the line closing the "*…*"; authors follow.
        close = next((i for i in range(subtitle_at, len(head) - 1) if head[i].rstrip().endswith("*")), subtitle_at)
        entry.subtitle = " ".join(head[subtitle_at : close + 1]).strip("—* ") or None
        author_lines = head[close + 1 :]
    else:
        between = head[1:-1]
        # The line just above the "/ page" line belongs to the authors when titles wrap.
        head_titles += between[:-1]
        author_lines = between[-1:] + head[-1:] if between else head[-1:]
    if author_lines and " *" in author_lines[0]:
        # Italic authors glued to the last title word: "…Court System *Research Group… / 107*".
        title_tail, author_head = author_lines[0].split(" *", 1)
        head_titles.append(title_tail)
        author_lines = [author_head, *author_lines[1:]]
    entry.title = " ".join(t.strip() for t in head_titles).strip()
    entry.authors = re.sub(r"\s*/\s*\d+\**\s*$", "", " ".join(author_lines)).strip("* ") or None
    body = texts[abstract_at:keywords_at]
    if body:
        match = ABSTRACT.match(body[0])
        entry.abstract = " ".join([match.group("rest") if match else body[0], *body[1:]]).strip()


def apply_english_contents(lines: list[SourceLine], chapters: list[Document]) -> int:
    """Attach each English entry to its chapter; return where the back matter starts."""
    entries, back_start = parse_contents(lines)
    by_key = {doc.key: doc for doc in chapters}
    for entry in entries:
        doc = by_key.get(entry.key)
        if doc is None or not entry.lines:
            continue
        doc.meta.update(
            title_en=entry.title,
            subtitle_en=entry.subtitle,
            authors_en=entry.authors,
            abstract_en=entry.abstract,
            keywords_en=entry.keywords,
            part_en=entry.part,
        )
        first = entry.lines[0]
        label = part_label("english_abstract")
        doc.passages.append(
            Passage(
                "abstract",
                plain("\n".join(line.text for line in entry.lines)),
                [*doc.passages[0].path, label] if doc.passages else [doc.key, label],
                f"{doc.key} {label}",
                first.line,
                first.page,
                attrs={"lang": "en", "title": entry.title, "keywords": entry.keywords, "abstract": entry.abstract},
            )
        )
    return back_start


def english_documents_passages(lines: list[SourceLine], back_start: int, report_title: str) -> list[Passage]:
    """The book's English abstract, the Contents part lines and the back matter, as front matter."""
    contents_at = next((i for i, line in enumerate(lines) if CONTENTS.match(line.text.strip())), back_start)
    passages: list[Passage] = []
    for index, line in enumerate(lines):
        if contents_at < index < back_start:
            if not PART_LINE.match(line.text) or ENTRY_START.match(line.text):
                continue  # entry lines live in their chapters
            role = "english_contents"
        elif index >= back_start:
            role = "back_matter"
        else:
            role = "english_abstract" if index < contents_at else "english_contents"
        if index < back_start and (CONTENTS.match(line.text.strip()) or ENGLISH_ABSTRACT.match(line.text.strip())):
            continue  # the part's own heading line: its label is the passages' path
        attrs = {} if role == "back_matter" else {"lang": "en"}
        path = [report_title, part_label(role)]
        text = plain(LIST_BULLET.sub("", line.text))
        passages.append(Passage("front_matter", text, path, "", line.line, line.page, attrs=attrs))
    return passages
