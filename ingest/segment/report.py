"""Segment a report (皮书-style book) into a report document and one document per chapter.

A chapter opens with its B.N line (after an optional part heading), its title (possibly
over several lines), an optional "——" subtitle, the author group line (with a "*" note
marker), 摘要 and 关键词, then the body: numbered section headings, paragraphs, tables,
figures and footnotes. See :mod:`ingest.segment.report_blocks` for the blocks.

A heading is not a passage: it is the path of the passages under it (so no search
returns a bare heading), and a footnote its reference carries goes to the first of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.model import Document, Passage, SourceLine
from ingest.segment import report_blocks as blocks
from ingest.segment.regions import Region, split_regions
from ingest.segment.report_english import apply_english_contents, english_documents_passages
from ingest.segment.report_front import front_matter_passages, report_meta, report_title, toc_passages
from ingest.segment.toc import CHAPTER_LINE, TableOfContents, TocEntry, compact, parse_toc

ABSTRACT_LINE = re.compile(r"^摘\s*要\s*[:：]\s*(?P<rest>.*)$")
KEYWORDS_LINE = re.compile(r"^关\s*键\s*词\s*[:：]\s*(?P<rest>.*)$")
SUBTITLE_LINE = re.compile(r"^——")
REFERENCES_HEADING = re.compile(r"^参\s*考\s*文\s*献$")  # the standard bibliography heading
UNNUMBERED_HEADING_MAX = 15  # a short line without punctuation inside a body is a heading
REPORT_KEY = "report"


@dataclass
class _ChapterState:
    """Where the body parser is: the heading stack and the block being built."""

    path_prefix: list[str]
    number: str
    headings: list[blocks.Heading] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    table: blocks.TableBuilder | None = None  # the table rows may still be added to
    last_table: blocks.TableBuilder | None = None  # the table a 续表 continues
    last_table_passage: Passage | None = None
    figure: blocks.FigureBuilder | None = None
    # Headings closing with a footnote reference: (marks, source line, index of the first
    # passage under them in ``passages``).
    marked: list[tuple[str, int, int]] = field(default_factory=list)

    def path(self) -> list[str]:
        return [*self.path_prefix, *(h.text if h.is_heading else h.label for h in self.headings)]

    def locator(self) -> str:
        return f"{self.number} {''.join(h.label for h in self.headings)}".strip()

    def push(self, heading: blocks.Heading) -> None:
        self.headings = [h for h in self.headings if h.level < heading.level] + [heading]


class ReportSegmenter:
    """Documents of a report: the report itself (front matter, 目录) and its chapters."""

    def __init__(self, toc: TableOfContents | None = None) -> None:
        self.toc = toc

    def segment(self, lines: list[SourceLine], source: str) -> list[Document]:
        """Segment a cleaned report without appendices (see ``segment_book`` for whole books)."""
        if self.toc is None:
            self.toc = parse_toc([line.text for line in lines])
        return self.segment_regions(split_regions(lines, self.toc), source)

    def segment_regions(self, regions: list[Region], source: str) -> list[Document]:
        front = [r for r in regions if r.kind in ("front", "toc")]
        report = self.report_document(front, source)
        chapters = [self.chapter_document(r, source) for r in regions if r.kind == "chapter"]
        if report.meta.get("date"):
            # A chapter is published with the book: its date is the book's edition (版次), so
            # a year filter or a sort by date finds the chapters of that year's report.
            for chapter in chapters:
                chapter.meta.setdefault("date", report.meta["date"])
        for region in regions:
            if region.kind == "english":
                back = apply_english_contents(region.lines, chapters)
                report.passages.extend(english_documents_passages(region.lines, back, report.title))
        return [report, *chapters]

    # -- the report ----------------------------------------------------------------------

    def report_document(self, regions: list[Region], source: str) -> Document:
        lines = [line for region in regions if region.kind == "front" for line in region.lines]
        title = report_title(lines)
        report = Document(kind="report", title=title, key=REPORT_KEY, source=source, meta=report_meta(lines))
        for region in regions:
            if region.kind == "toc":
                report.passages.extend(toc_passages(region.lines, title))
            else:
                report.passages.extend(front_matter_passages(region.lines, [title]))
        report.passages.sort(key=lambda p: p.line)
        return report

    # -- chapters ------------------------------------------------------------------------

    def chapter_document(self, region: Region, source: str) -> Document:
        lines = region.lines
        b_index = next(i for i, line in enumerate(lines) if CHAPTER_LINE.match(compact(line.text)))
        number = region.label
        entry = self.toc.entry(number) if self.toc else None
        start_page = entry.page if entry else lines[b_index].page
        header, body_start = _parse_header(lines, b_index)
        part = (entry.part if entry and entry.part else None) or (compact(lines[0].text) if b_index else None)
        title = header.title or (_toc_title(entry) if entry else number)
        meta = {
            "part": part,
            "part_number": entry.part_number if entry else None,
            "number": int(number.split(".")[1]),
            "title": title,
            "subtitle": header.subtitle,
            "authors": header.authors,
            "abstract": header.abstract,
            "keywords": header.keywords,
            "start_page": start_page,
        }
        doc = Document(kind="report_chapter", title=title, key=number, source=source, meta=meta, parent_id=REPORT_KEY)
        prefix = [part or "", f"{number} {title}"] if part else [f"{number} {title}"]
        state = _ChapterState(path_prefix=prefix, number=number)
        state.passages.extend(_header_passages(lines, b_index, header, state, start_page))
        for line in lines[body_start:]:
            if line.line not in header.consumed:
                self._body_line(state, line)
        self._close_blocks(state)
        doc.passages = state.passages
        return doc

    def _body_line(self, state: _ChapterState, line: SourceLine) -> None:
        text = line.text
        if self._continue_block(state, line):
            return
        self._close_blocks(state)
        footnote = blocks.FOOTNOTE.match(text)
        star = blocks.STAR_NOTE.match(text)
        if footnote or star:
            self._footnote(state, line, footnote.group("mark") if footnote else star.group("stars") if star else "")
            return
        if blocks.is_caption(blocks.TABLE_CAPTION, text):
            match = blocks.TABLE_CAPTION.match(text)
            state.table = blocks.TableBuilder(int(match.group("n")) if match else None, text, line)
            return
        if blocks.TABLE_CONTINUED.match(text) and state.last_table is not None:
            state.table = state.last_table
            state.table.continue_on_next_page()
            state.table.lines.append(text)
            return
        if "\t" in text:  # rows without a caption
            state.table = blocks.TableBuilder(None, "", line)
            state.table.add_row(text)
            return
        if blocks.is_caption(blocks.FIGURE_CAPTION, text):
            match = blocks.FIGURE_CAPTION.match(text)
            state.figure = blocks.FigureBuilder(int(match.group("n")) if match else None, text, line)
            return
        self._prose(state, line)

    def _prose(self, state: _ChapterState, line: SourceLine) -> None:
        text = line.text
        heading = blocks.parse_heading(text)
        if heading is None and _is_unnumbered_heading(text):
            title, marks = blocks.split_marks(text)
            heading = blocks.Heading(1, "", blocks.compact_cjk(title), True, marks)
        if heading is not None:
            state.push(heading)
            if heading.is_heading:  # the path of the passages after it, not a passage
                if heading.marks:
                    state.marked.append((heading.marks, line.line, len(state.passages)))
                return
        state.passages.append(Passage("chapter", text, state.path(), state.locator(), line.line, line.page))

    def _continue_block(self, state: _ChapterState, line: SourceLine) -> bool:
        """Add ``line`` to the open table or figure; False when it starts something else."""
        text = line.text
        if state.table is not None:
            table = state.table
            unit = blocks.UNIT_LINE.match(text)
            source = blocks.SOURCE_LINE.match(text)
            note = blocks.NOTE_LINE.match(text) or blocks.STAR_NOTE.match(text)
            if unit and not table.header:
                table.unit = unit.group("rest")
            elif "\t" in text:
                table.add_row(text)
            elif source and table.header:
                table.source = source.group("rest")
            elif note and table.header and table.source is None:
                table.notes.append(text)
            else:
                return False
            return True
        if state.figure is not None:
            source = blocks.SOURCE_LINE.match(text)
            note = blocks.NOTE_LINE.match(text)
            if source:
                state.figure.source = source.group("rest")
            elif note:
                state.figure.notes.append(note.group("rest"))
            else:
                return False
            return True
        return False

    def _close_blocks(self, state: _ChapterState) -> None:
        if state.table is not None:
            table = state.table
            passage = table.to_passage(state.path(), f"{state.locator()} 表{table.number or ''}".strip())
            if table is state.last_table and state.last_table_passage is not None:
                state.last_table_passage.text = passage.text  # a 续表 page: same passage, more rows
                state.last_table_passage.attrs = passage.attrs
            else:
                state.passages.append(passage)
                state.last_table_passage = passage
            state.last_table = table
            state.table = None
        if state.figure is not None:
            figure = state.figure
            state.passages.append(figure.to_passage(state.path(), f"{state.locator()} 图{figure.number or ''}".strip()))
            state.figure = None

    def _footnote(self, state: _ChapterState, line: SourceLine, mark: str) -> None:
        text = line.text.lstrip("- ")
        note = re.sub(r"^\^?[①-⑳]\s*|^\*+\s*", "", text)
        anchor = _footnote_anchor(state, mark, note) if mark else None
        if anchor is not None:
            anchor.notes.append(note)
        path = anchor.path if anchor else state.path()
        locator = anchor.locator if anchor else state.locator()
        state.passages.append(
            Passage(
                "footnote",
                text,
                list(path),
                f"{locator} 注{mark}".strip(),
                line.line,
                line.page,
                attrs={"marker": mark, "anchor_line": anchor.line if anchor else None},
            )
        )


@dataclass
class _Header:
    title: str = ""
    subtitle: str | None = None
    authors: str | None = None
    abstract: str | None = None
    keywords: list[str] = field(default_factory=list)
    title_lines: list[SourceLine] = field(default_factory=list)
    consumed: set[int] = field(default_factory=set)  # source lines used by the header


def _parse_header(lines: list[SourceLine], b_index: int) -> tuple[_Header, int]:
    """Title, subtitle, authors, 摘要 and 关键词 after the B.N line; returns the body start."""
    header = _Header()
    abstract_at = next((i for i in range(b_index, len(lines)) if ABSTRACT_LINE.match(lines[i].text)), None)
    keywords_at = next((i for i in range(b_index, len(lines)) if KEYWORDS_LINE.match(lines[i].text)), None)
    stop = abstract_at if abstract_at is not None else keywords_at
    if stop is None:
        return header, b_index + 1
    head = [line for line in lines[b_index + 1 : stop] if not blocks.STAR_NOTE.match(line.text)]
    if head:
        header.authors = head[-1].text.rstrip("*").strip()
        head = head[:-1]
    titles = [line for line in head if not SUBTITLE_LINE.match(line.text)]
    subtitles = [line for line in head if SUBTITLE_LINE.match(line.text)]
    header.title_lines = head
    header.title = blocks.compact_cjk(" ".join(line.text for line in titles)).rstrip("*").strip()
    if subtitles:
        header.subtitle = blocks.compact_cjk(" ".join(line.text for line in subtitles)).strip()
    if abstract_at is not None:
        match = ABSTRACT_LINE.match(lines[abstract_at].text)
        header.abstract = match.group("rest").strip() if match else None
        header.consumed.add(lines[abstract_at].line)
    if keywords_at is not None:
        match = KEYWORDS_LINE.match(lines[keywords_at].text)
        header.keywords = _keywords(match.group("rest")) if match else []
        header.consumed.add(lines[keywords_at].line)
    return header, stop


TITLE_BLOCK = "标题"  # the locator word of a chapter's title block


def _header_passages(
    lines: list[SourceLine], b_index: int, header: _Header, state: _ChapterState, start_page: int | None
) -> list[Passage]:
    """The chapter's heading block (part, B.N, title, authors) and its 摘要 as an abstract."""
    first = lines[0]
    stop = next((i for i in range(b_index, len(lines)) if lines[i].line in header.consumed), b_index + 1)
    head_lines = [line for line in lines[:stop] if not blocks.STAR_NOTE.match(line.text)]
    # Cited as the chapter's 标题 (B.1 标题), not as a paragraph: as one it had been 第1段 and
    # made the first paragraph of every chapter 第2段.
    passages = [
        Passage(
            "chapter",
            "\n".join(line.text for line in head_lines),
            list(state.path_prefix),
            f"{state.number} {TITLE_BLOCK}",
            first.line,
            start_page,
            attrs={"heading": True, "level": 0},
        )
    ]
    if header.abstract is not None or header.keywords:
        text = f"摘要：{header.abstract or ''}"
        if header.keywords:
            text += "\n关键词：" + " ".join(header.keywords)
        line = next(line for line in lines if line.line in header.consumed)
        passages.append(
            Passage(
                "abstract",
                text,
                [*state.path_prefix, "摘要"],
                f"{state.number} 摘要",
                line.line,
                line.page,
                attrs={"lang": "zh", "keywords": header.keywords},
            )
        )
    return passages


def _keywords(text: str) -> list[str]:
    """关键词 are separated by spaces or semicolons; a Latin word stays with the CJK word after
    it ("logistic 模型")."""
    words = [w for w in re.split(r"[\s;；,，]+", text.strip()) if w]
    merged: list[str] = []
    for word in words:
        if merged and re.fullmatch(r"[A-Za-z][\w-]*", merged[-1]) and not word.isascii():
            merged[-1] = f"{merged[-1]} {word}"
        else:
            merged.append(word)
    return merged


def _is_unnumbered_heading(text: str) -> bool:
    """A short line without punctuation in a body ("引言", "参考文献") heads a section; a
    line with no word in it (a stray mark) heads nothing."""
    if REFERENCES_HEADING.match(text):
        return True
    if not re.search(r"[^\W\d_]", text):
        return False
    return len(text) <= UNNUMBERED_HEADING_MAX and not re.search(r"[，。；：、,;:.\d%]", text)


def _footnote_anchor(state: _ChapterState, mark: str, note: str) -> Passage | None:
    """The passage a footnote belongs to: the nearest one whose text carries its mark, or
    the first passage under a later heading that carries it."""
    carrier = blocks.footnote_carrier(state.passages, mark, note)
    heading = next((m for m in reversed(state.marked) if mark in m[0]), None)
    if heading is None or (carrier is not None and carrier.line > heading[1]):
        return carrier
    under = [p for p in state.passages[heading[2] :] if p.kind != "footnote" and note not in p.notes]
    return under[0] if under else carrier


def _toc_title(entry: TocEntry) -> str:
    first = re.sub(r"^(?:-\s*)?B\s?\.\s?\d+\**\s*", "", entry.lines[0]) if entry.lines else ""
    return re.sub(r"\s*/\s*\d+\s*$", "", first).strip()
