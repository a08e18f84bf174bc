"""The report's own passages: its front matter (title page, 编委会, 简介, 摘要), its table of
contents and its back matter, and the book's metadata read from them.

Only the text's own markers are read: a short title-like line alone before a paragraph
heads what follows (北京市人力资源研究中心简介, 摘 要); in the 目录 a part line (I 总报告)
heads its entries. A heading is the path of the passages under it, never a passage of its
own, so a search never returns a bare heading.
"""

from __future__ import annotations

import re

from analysis.text import HAN_CHAR
from ingest.model import Passage, SourceLine
from ingest.segment.report_blocks import compact_cjk
from ingest.segment.toc import CHAPTER_LABEL, LIST_BULLET, PAGE_AT_END, PART_LINE, TOC_HEADING, compact, entry_text

EDITOR_LINE = re.compile(r"^主\s*编\s*[/／:：]?\s*(?P<rest>\S.*)$")
EDITION_LINE = re.compile(r"(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*第\s*1\s*版")
ISBN_LINE = re.compile(r"ISBN\s*(?P<isbn>[\d-]{10,})")
# The subject headings of a CIP record (GB/T 12451): "I. ①北… II. ①张… III. ①人才-发展战略-
# 研究", wrapped onto "报告-北京-2023 IV. ①C964.2". A cataloguer's index, not the book's text.
CIP_HEADINGS = re.compile(r"(?:^|\s)[IVXⅠ-Ⅻ]+\s*[.．]\s*①")
TITLE_WITH_YEAR = re.compile(r"[（(]\s*\d{4}\s*[)）]$")
LONG_LINE = 40  # a front-matter line this long is a paragraph of its own
TITLE_LINE_MAX = 20  # a shorter line without punctuation may head the paragraphs after it
_PUNCTUATION = re.compile(r"[，。；：、,;:!?！？/／|]")


def front_matter_passages(lines: list[SourceLine], path: list[str]) -> list[Passage]:
    """Front or back matter: each long line is a passage; runs of short lines are grouped.

    The last short line before a paragraph, when it reads as a title (and is not the
    title already in ``path``), heads the passages after it instead (it joins their path).
    Markdown list bullets ("- 2020年，入选……") and a CIP record's subject headings are
    dropped from the text.
    """
    passages: list[Passage] = []
    group: list[SourceLine] = []
    heading: list[str] = []
    named = {compact(label) for label in path}

    def flush() -> None:
        if group:
            text = "\n".join(LIST_BULLET.sub("", g.text) for g in group)
            passages.append(Passage("front_matter", text, [*path, *heading], "", group[0].line, group[0].page))
            group.clear()

    for line in lines:
        if CIP_HEADINGS.search(line.text):
            continue
        if len(line.text) >= LONG_LINE:
            if group and _is_title_line(group[-1].text) and compact(group[-1].text) not in named:
                title = group.pop()
                flush()
                heading = [compact_cjk(title.text)]
            flush()
            group.append(line)
            flush()
        else:
            group.append(line)
    flush()
    return passages


def _is_title_line(text: str) -> bool:
    return len(text) <= TITLE_LINE_MAX and bool(HAN_CHAR.search(text)) and not _PUNCTUATION.search(text)


def toc_passages(lines: list[SourceLine], title: str) -> list[Passage]:
    """One passage per TOC entry (a B.N / labelled entry starts a new one), under the 目录
    heading and its part line; the entries' Markdown list marks dropped."""
    if not lines:
        return []
    path = [title, lines[0].text]
    # Cited as 目录 (《…》目录第12段), not by a bare paragraph number of the whole book.
    locator = ""
    if TOC_HEADING.match(lines[0].text.strip()):
        lines = lines[1:]  # the heading names the passages' path
        locator = compact(path[1])
    groups: list[tuple[list[str], list[SourceLine]]] = []
    part: list[str] = []
    for line in lines:
        if PART_LINE.match(line.text) and not PAGE_AT_END.search(line.text):
            part = [line.text.strip()]
            continue
        ended = bool(groups) and PAGE_AT_END.search(groups[-1][1][-1].text)
        if CHAPTER_LABEL.match(line.text) or not groups or ended:
            # Parts hold chapters; an appendix or the English matter stands on its own.
            groups.append((part if CHAPTER_LABEL.match(line.text) else [], [line]))
        else:
            groups[-1][1].append(line)
    return [
        Passage(
            "front_matter",
            "\n".join(entry_text(g.text) for g in group),
            [*path, *under],
            locator,
            group[0].line,
            group[0].page,
        )
        for under, group in groups
    ]


def report_title(lines: list[SourceLine]) -> str:
    """The book's title line: the first line ending with a bracketed year, else the first CJK line."""
    for line in lines:
        if TITLE_WITH_YEAR.search(line.text) and HAN_CHAR.search(line.text):
            return line.text.strip()
    return next((line.text for line in lines if HAN_CHAR.search(line.text)), "")


def report_meta(lines: list[SourceLine]) -> dict[str, object]:
    """Editors, edition date and ISBN from the front matter's own labels (主编, 第1版, ISBN)."""
    meta: dict[str, object] = {}
    for line in lines:
        text = line.text
        editor = EDITOR_LINE.match(text)
        if editor and "editors" not in meta:
            meta["editors"] = [name for name in re.split(r"\s{2,}|[、，,]", editor.group("rest").strip()) if name]
        edition = EDITION_LINE.search(text)
        if edition and "date" not in meta:
            meta["date"] = f"{int(edition.group('year')):04d}-{int(edition.group('month')):02d}"
        isbn = ISBN_LINE.search(text)
        if isbn and "isbn" not in meta:
            meta["isbn"] = isbn.group("isbn")
    return meta
