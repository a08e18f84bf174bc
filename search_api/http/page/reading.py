"""A document page in reading order: each heading once where it opens, a contents list,
and the chapter's footnotes gathered after its text.

The book's footnotes are printed at the foot of the page that cites them, so the extracted
text has them between two paragraphs of the body, often in the middle of a section
(① 魏亚平、贾志慧:《…》 before the paragraph the page goes on with). A reader of a page
wants the text whole and the notes after it, as a printed book with endnotes has them; the
passage page keeps them where they stand (it shows one passage in its context).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from search_api.http.page.display import CHAPTER_NUMBER, heading_only, key, section_path


@dataclass
class Heading:
    depth: int  # 1 for the top level of the document's own headings
    label: str
    anchor: str  # the element id: p-<passage id> for a heading passage, else h-<n>


@dataclass
class Entry:
    """One passage in reading order, with the headings that open before it."""

    passage: Any  # ingest.model.Passage
    headings: list[Heading]
    heading_only: bool  # the passage is one of those headings: no text of its own


def title_block(text: str, lines: Iterable[str]) -> bool:
    """A passage that only repeats the document's title page (生态篇 / Reports on Ecology /
    B.11 / the title / its authors), which the page shows above it already."""
    known = {key(line) for line in lines if line}
    rows = [key(row) for row in text.splitlines() if key(row)]
    return bool(rows) and all(row in known or CHAPTER_NUMBER.sub("", row) == "" for row in rows)


def reading_order(
    passages: Sequence[Any], doc_title: str, skip: Iterable[str] = (), title_lines: Iterable[str] = ()
) -> list[Entry]:
    """The passages of a document page, each heading shown once where it opens.

    Headings come from the passages' paths (the document's title and ``skip`` left out);
    a heading stored as a passage of its own is shown as that heading, not twice, and a
    passage repeating the title page (``title_lines``: title, part, authors) not at all.
    A passage of a section already closed (a footnote printed at the foot of a page the
    next section began on: 注① of 3. under 4.) stays where it is printed, under the
    section open there: reopening its section had shown 3. again in the text and in the
    contents (1, 2, 3, 4, 3, 5).
    """
    skip = tuple(skip)
    title_lines = (doc_title, *skip, *title_lines)
    entries: list[Entry] = []
    shown: list[str] = []
    opened: set[tuple[str, ...]] = set()
    counter = 0
    for p in passages:
        path = section_path(doc_title, p.path, skip)
        bare = heading_only(p.text, p.path, doc_title) or title_block(p.text, title_lines)
        keys = tuple(key(label) for label in path)
        if keys in opened and keys != tuple(key(label) for label in shown):
            entries.append(Entry(p, [], bare))  # printed under the open section
            continue
        opened |= {keys[:depth] for depth in range(1, len(keys) + 1)}
        same = 0
        while same < min(len(shown), len(path)) and key(shown[same]) == key(path[same]):
            same += 1
        headings = []
        for depth in range(same, len(path)):
            if bare and depth == len(path) - 1 and key(p.text) == key(p.path[-1] if p.path else ""):
                anchor = f"p-{p.id}"
            else:
                counter += 1
                anchor = f"h-{counter}"
            headings.append(Heading(depth + 1, path[depth], anchor))
        shown = path
        entries.append(Entry(p, headings, bare))
    return entries


@dataclass
class TocNode:
    label: str
    anchor: str
    children: list[TocNode] = field(default_factory=list)


def table_of_contents(entries: Sequence[Entry], max_depth: int = 3) -> list[TocNode]:
    """The headings of a reading order as a nested list (to ``max_depth`` levels)."""
    root = TocNode("", "")
    stack: list[tuple[int, TocNode]] = [(0, root)]
    for entry in entries:
        for heading in entry.headings:
            if heading.depth > max_depth:
                continue
            while stack[-1][0] >= heading.depth:
                stack.pop()
            node = TocNode(heading.label, heading.anchor)
            stack[-1][1].children.append(node)
            stack.append((heading.depth, node))
    return root.children


def notes_apart(entries: Sequence[Entry]) -> tuple[list[Entry], list[Entry]]:
    """The body of a reading order and its footnotes, each in its order. The headings a
    footnote opened pass to the body's next entry (the last footnotes' to the first note),
    so that no heading and no contents anchor is lost."""
    body: list[Entry] = []
    notes: list[Entry] = []
    carried: list[Heading] = []
    for entry in entries:
        if entry.passage.kind == "footnote":
            carried += entry.headings
            notes.append(Entry(entry.passage, [], entry.heading_only))
        else:
            body.append(Entry(entry.passage, carried + entry.headings, entry.heading_only) if carried else entry)
            carried = []
    if carried and notes:
        notes[0] = Entry(notes[0].passage, carried, notes[0].heading_only)
    return body, notes
