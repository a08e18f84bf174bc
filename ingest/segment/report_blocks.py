"""Block-level parsing inside a report chapter: headings, tables, figures, footnotes.

Everything here is recognised by the book's own markers (一 / （一） / 1. / （1） section
numbers, 表N / 图N captions, 单位： / 资料来源： / 注： lines, tab-separated rows, 续表,
circled footnote markers), never by literal titles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.clean import normalize_width
from ingest.model import CELL, Passage, SourceLine
from ingest.sentence_joins import is_terminal

# Section heading levels: 一 …, （一）…, 1. …, （1）…
_LEVELS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(r"^(?P<n>[一二三四五六七八九十]+)\s+(?P<rest>\S.*)$")),
    (2, re.compile(r"^[（(]\s?(?P<n>[一二三四五六七八九十]+)\s?[)）]\s*(?P<rest>.*)$")),
    (3, re.compile(r"^(?P<n>\d{1,2})\s?[.．、](?!\d)\s*(?P<rest>\S.*)$")),
    (4, re.compile(r"^[（(](?P<n>\d{1,2})[)）]\s*(?P<rest>\S.*)$")),
)
_LABEL_FORMAT = {1: "{}", 2: "（{}）", 3: "{}.", 4: "（{}）"}
HEADING_MAX_CHARS = 50  # a numbered line longer than this is a numbered paragraph

TABLE_CAPTION = re.compile(r"^表\s?(?P<n>\d+)\s*(?P<rest>.*)$")
FIGURE_CAPTION = re.compile(r"^图\s?(?P<n>\d+)\s*(?P<rest>.*)$")
TABLE_CONTINUED = re.compile(r"^续表\s*(?P<n>\d*)\s*$")
UNIT_LINE = re.compile(r"^单位\s?[:：]\s*(?P<rest>.*)$")
SOURCE_LINE = re.compile(r"^资料来源\s?[:：]\s*(?P<rest>.*)$")
NOTE_LINE = re.compile(r"^注\s?[:：]\s*(?P<rest>.*)$")
STAR_NOTE = re.compile(r"^(?P<stars>\*+)\s*(?P<rest>\S.*)$")
FOOTNOTE = re.compile(r"^(?:-\s*)?\^?(?P<mark>[①-⑳])\s*(?P<rest>.*)$")
# Footnote references closing a heading ("四 政策建议①"): the note's, not the heading's.
TRAILING_MARKS = re.compile(r"(?<=\S)\s*(?P<marks>[①-⑳*]+)$")
CAPTION_MAX_CHARS = 80


@dataclass
class Heading:
    level: int
    label: str  # the number as printed in locators: 一, （一）, 1., （1）
    text: str  # the whole heading line, for paths (without footnote references)
    is_heading: bool  # False: a numbered paragraph (its text is body prose)
    marks: str = ""  # footnote references the heading carried ("①")


def split_marks(text: str) -> tuple[str, str]:
    """A heading without the footnote references that close it, and those references."""
    match = TRAILING_MARKS.search(text)
    return (text[: match.start()], match.group("marks")) if match else (text, "")


def parse_heading(text: str) -> Heading | None:
    """A numbered section heading or numbered paragraph, by its leading marker."""
    for level, pattern in _LEVELS:
        match = pattern.match(text)
        if not match:
            continue
        rest = match.group("rest")
        label = _LABEL_FORMAT[level].format(match.group("n"))
        short = len(rest) <= HEADING_MAX_CHARS and not is_terminal(rest)
        if level == 3 and re.match(r"^\d{1,2}\s?[.．、]\s*[\d%％]", text):
            return None  # "3. 5%" is a number, not an item
        # Keep the marker's own spacing ("一 标题"); close the PDF line-break gaps after it.
        title, marks = split_marks(rest) if short else (rest, "")
        return Heading(level, label, text[: match.start("rest")] + compact_cjk(title), short, marks)
    return None


def is_caption(pattern: re.Pattern[str], text: str) -> bool:
    """A caption line (表N / 图N ...), not a sentence that starts with "图 14 展示了…"."""
    return bool(pattern.match(text)) and len(text) <= CAPTION_MAX_CHARS and not is_terminal(text)


def compact_cjk(text: str) -> str:
    """Remove the spaces a PDF line break left between two CJK characters (titles, headings)."""
    return re.sub(r"(?<=[\u3400-\u9fff“”、，《》（）])\s+(?=[\u3400-\u9fff“”、，《》（）])", "", text).strip()


def table_key(row: list[str]) -> str:
    """A header row compared across a page break (spacing and width differ)."""
    return re.sub(r"\s+", "", normalize_width("".join(row)))


@dataclass
class TableBuilder:
    """Accumulates one table across its caption, unit, rows, notes, source and 续表 pages."""

    number: int | None
    caption: str
    line: SourceLine
    unit: str | None = None
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    source: str | None = None
    lines: list[str] = field(default_factory=list)  # printed lines, for the display text
    continued: int = 0  # how many 续表 pages were joined
    rows_since_continue: int = 0  # rows read since the last 续表 (a repeated header comes first)

    def add_row(self, text: str) -> None:
        cells = [cell.strip() for cell in text.split("\t")]
        while cells and not cells[-1]:
            cells.pop()
        if not self.header:
            self.header = cells
        elif self.continued and not self.rows_since_continue and table_key(cells) == table_key(self.header):
            self.rows_since_continue = 1  # the header repeated on the continuation page
            return
        else:
            self.rows.append(cells)
        self.rows_since_continue = 1
        self.lines.append(CELL.join(cells))

    def continue_on_next_page(self) -> None:
        self.continued += 1
        self.rows_since_continue = 0

    def to_passage(self, path: list[str], locator: str) -> Passage:
        head = self.caption if not self.unit else f"{self.caption}\n单位：{self.unit}"
        body = [head, *self.lines]
        body += [f"注：{note}" if not note.startswith(("注", "*")) else note for note in self.notes]
        if self.source:
            body.append(f"资料来源：{self.source}")
        return Passage(
            kind="table",
            text="\n".join(part for part in body if part),
            path=path,
            locator=locator,
            line=self.line.line,
            page=self.line.page,
            attrs={
                "number": self.number,
                "caption": self.caption,
                "unit": self.unit,
                "header": self.header,
                "rows": self.rows,
                "source": self.source,
                "notes": self.notes,
                "continued": self.continued,
            },
        )


@dataclass
class FigureBuilder:
    number: int | None
    caption: str
    line: SourceLine
    source: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_passage(self, path: list[str], locator: str) -> Passage:
        body = [self.caption]
        if self.source:
            body.append(f"资料来源：{self.source}")
        body += [f"注：{note}" for note in self.notes]
        return Passage(
            kind="figure",
            text="\n".join(body),
            path=path,
            locator=locator,
            line=self.line.line,
            page=self.line.page,
            attrs={"number": self.number, "caption": self.caption, "source": self.source, "notes": self.notes},
        )


def footnote_carrier(passages: list[Passage], mark: str, note: str, lookback: int = 15) -> Passage | None:
    """The nearest earlier passage whose text carries ``mark`` (and not yet ``note``).

    Footnote numbers restart on every page, so the nearest carrier is the right one; the
    search stops after ``lookback`` passages so a stray number does not reach far back.
    """
    for passage in reversed(passages[-lookback:]):
        if passage.kind == "footnote":
            continue
        if mark in passage.text and note not in passage.notes:
            return passage
    return None
