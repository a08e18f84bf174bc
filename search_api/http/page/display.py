"""How stored text is shown on the page: extraction debris out, titles and breadcrumbs once.

The book in ``corpus/`` is text extracted from a PDF, and the extraction leaves marks:
footnote references written ``人才密度^①达到`` (also in headings: ``四 政策建议^①``),
Markdown emphasis in the English abstracts (``*Beijing Talent Development Report
2023*``), the Markdown list of the table of contents (``- B.1** 新时代十年……``), headings
that are only a dash (``-``) and English structural labels (``Abstract``, ``Contents``,
``back matter``). Ingest removes them (``tests/web/test_debris.py`` scans every stored
passage); the page cleans them too, for indexes built before and for sources with marks
ingest does not know yet: footnote references become superscripts in running text and
disappear from titles; emphasis and list marks are dropped; labels are translated.
Nothing here changes what is stored or what the JSON API returns.

Ingest keeps headings as the paths of the passages under them; an older index stored them
as passages of their own (a passage whose text is its heading): :func:`heading_only`
finds those, so the result list can leave them out and document pages can show them as
headings instead of repeating them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from analysis.text import HAN, outer_title_marks
from ingest.model import CATALOGUE_ENTRY, CELL
from search_api.http import views as service

# ^① … ^⑳, ^* and ^**: a footnote reference as the extraction wrote it.
FOOTNOTE_REF = re.compile(r"\^([\u2460-\u2473]|\*{1,2})")
# "- B.1** 新时代……": a table-of-contents line as a Markdown list item with stray asterisks.
TOC_ITEM = re.compile(r"(?m)^[-*+]\s+(B\.\s?\d+)\*+\s*")
# *Beijing Talent Development Report 2023*: Markdown emphasis around Latin text. Not a
# footnote mark after Han text (课题组*) nor an operator with spaces (50 * x).
EMPHASIS = re.compile(
    r"(?<![\w*\\])(\*{1,2})(?=[A-Za-z0-9\"'“‘(<])([^*\n]{1,300}?(?:\n[^*\n]{1,300}?)?)(?<=[^\s*\\])\1(?![\w*])"
)
# A footnote reference at the start of a line (the footnote itself: ^① 人才密度指……).
LEADING_REF = re.compile(r"(?m)^\^(?=[\u2460-\u2473*])")
# The book's own footnote mark after Han text (北京市统计局课题组*), shown raised.
HAN_MARK = re.compile(rf"(?<=[{HAN}”）])(\*{{1,2}})(?=\s|$)")
# A footnote mark at the end of a heading or a title (新时代首都技能人才队伍培养的“三融”战略*).
TRAILING_MARK = re.compile(r"(?<=\S)\s*(?:\^?[\u2460-\u2473]|\*{1,2})$")
# ，第12页 at the end of a citation: the printed page, not part of the title.
PAGE_SUFFIX = re.compile(r"[，,]\s*约?第\s*\d+\s*页$")
# B.11 before a chapter title in a heading path.
CHAPTER_NUMBER = re.compile(r"^B\.\s?\d+\s*")
HAS_CONTENT = re.compile(rf"[\w{HAN}]")
SPACE = re.compile(r"\s+")

# Structural labels the extraction named in English.
LABELS = {
    "abstract": "英文摘要",
    "contents": "英文目录",
    "back matter": "书末附页",
    "front matter": "前言与编委",
    "references": "参考文献",
}


def _markup(escaped: str) -> Markup:
    text = escaped.replace(CELL, " | ")  # a table row's cells, which HTML would run together
    text = TOC_ITEM.sub(r"\1 ", text)
    text = EMPHASIS.sub(r"\2", text)
    text = LEADING_REF.sub("", text)
    text = FOOTNOTE_REF.sub(r'<sup class="fnref">\1</sup>', text)
    return Markup(HAN_MARK.sub(r'<sup class="fnref">\1</sup>', text))


def text_markup(text: str) -> Markup:
    """Running text as markup: escaped, debris out, footnote references as superscripts."""
    return _markup(str(escape(text)))


def snippet_markup(snippet: Markup) -> Markup:
    """A highlighted snippet (escaped text and ``<mark>`` only) with the same clean-up."""
    return _markup(str(snippet))


def clean_label(label: str) -> str:
    """A heading or title for display: no footnote marks, Chinese; "" when it says nothing."""
    text = FOOTNOTE_REF.sub("", label).strip()
    text = EMPHASIS.sub(r"\2", text)
    text = TRAILING_MARK.sub("", text).strip()
    translated = LABELS.get(text.lower())
    if translated:
        return translated
    return text if HAS_CONTENT.search(text) else ""


# An English part name inside a citation's locator (《…》B.16 Abstract).
LOCATOR_WORDS = re.compile(r"(?<=\s)(Abstract|Contents)$")


def printed_page(passage: Any) -> str:
    """The printed page of a passage as the page says it: 第397页, or 约第397页 when the text
    could only estimate it (``attrs["page_estimated"]``, see ingest.segment.book)."""
    if not passage.page:
        return ""
    return ("约" if passage.attrs.get("page_estimated") else "") + f"第{passage.page}页"


def citation_title(citation: str) -> str:
    """The citation label that titles a passage: 《…》第四条（一）, without the page."""
    title = FOOTNOTE_REF.sub("", PAGE_SUFFIX.sub("", citation.strip())) or citation
    return LOCATOR_WORDS.sub(lambda m: LABELS[m.group(1).lower()], title)


def locator_label(citation: str) -> str:
    """A clause's place in its document (第四条（一）, B.9 四（二）), from its citation; the
    whole citation label when it names no place (front matter)."""
    title = citation_title(citation)
    return service.CITED_TITLE.sub("", title).strip() or title


def without_label(snippet: str, citation: str) -> str:
    """The snippet without the clause's own place at its start (第五十二条 县级以上…), which
    the result's title and citation already say; as it is when it starts otherwise."""
    label = locator_label(citation)
    if label and snippet.startswith(label) and snippet[len(label) : len(label) + 1] in (" ", "\u3000", "\n"):
        return snippet[len(label) + 1 :].lstrip()
    return snippet


def key(text: str) -> str:
    """Comparison key: width-folded, no spaces, no footnote marks, one kind of title mark."""
    text = FOOTNOTE_REF.sub("", outer_title_marks(unicodedata.normalize("NFKC", text)))
    return SPACE.sub("", TRAILING_MARK.sub("", text)).lower()


def names_title(label: str, title: str) -> bool:
    """Whether a heading is the document's title (``B.11 全球城市……`` names ``全球城市……``)."""
    wanted = key(title)
    return bool(wanted) and wanted in (key(label), key(CHAPTER_NUMBER.sub("", label.strip())))


def crumbs(doc_title: str, path: Sequence[str], *, above: Sequence[str] = ()) -> list[str]:
    """The breadcrumb labels of a passage, each once: the document title where the path
    names it (after the part: 生态篇 › 全球城市……), else first; debris labels left out."""
    labels = [clean_label(label) for label in path]
    out = [label for label in above if label]
    title = clean_label(doc_title) or doc_title
    at = next((i for i, label in enumerate(path) if names_title(label, doc_title)), None)
    if at is None:
        out.append(title)
        rest = labels
    else:
        out += labels[:at]
        out.append(title)
        rest = labels[at + 1 :]
    for label in rest:
        if label and key(label) not in {key(x) for x in out}:
            out.append(label)
    deduped: list[str] = []
    for label in out:
        if label and (not deduped or key(deduped[-1]) != key(label)):
            deduped.append(label)
    return deduped


def hit_crumbs(doc_title: str, path: Sequence[str], title: str) -> list[str]:
    """A result's breadcrumb under its title (《北京市技能大师工作室建设管理办法》第二条): the
    labels the title does not show already, so the document and the article are not read
    three times in one hit (第一章 总则)."""
    cited = service.CITED_TITLE.match(title)
    trail = crumbs(doc_title, path)
    if cited and names_title(cited.group(0).strip()[1:-1], doc_title):
        trail = [label for label in trail if not names_title(label, doc_title)]
    shown = key(locator_label(title))  # 第二十八条（八） ends with the labels 第二十八条 › （八）
    while trail and (last := key(trail[-1])) and shown.endswith(last):
        shown = shown[: -len(last)]
        trail.pop()
    return trail


def section_path(doc_title: str, path: Sequence[str], skip: Iterable[str] = ()) -> list[str]:
    """The headings of a passage inside its document's page: the document's own title
    (and ``skip``: its part, its parent's title) left out, debris labels dropped."""
    skipped = {key(s) for s in skip if s} | {key(doc_title)}
    out = []
    for label in path:
        if names_title(label, doc_title) or key(label) in skipped:
            continue
        shown = clean_label(label)
        if shown:
            out.append(shown)
    return out


def heading_only(text: str, path: Sequence[str], doc_title: str = "") -> bool:
    """A passage whose text is only its heading (or the document title), or says nothing."""
    body = key(text)
    if not body or not HAS_CONTENT.search(body):
        return True
    return any(body == key(label) for label in [*path, doc_title] if label)


# ------------------------------------------------------------------ policy clauses


@dataclass
class Clause:
    """An article (条) or item (项) of a policy, with the items it holds nested."""

    passage: Any  # ingest.model.Passage
    lead: str  # its own text: an article's text without the items shown below it
    tail: str = ""  # text after its last item, if any
    before: str = ""  # an item's: its article's text between the item before it and itself
    children: list[Clause] = field(default_factory=list)
    heading: list[str] = field(default_factory=list)  # section headings shown before it
    contains: set[str] = field(default_factory=set)  # ids of itself and its items

    @property
    def id(self) -> str:
        return str(self.passage.id)


def clause_tree(passages: Sequence[Any], doc_title: str) -> list[Clause]:
    """The clauses of a policy as a tree: every article once, its items nested below it.

    An article's stored text holds its items' text too (第四条 …：（一）…（二）…), and each
    item is also a passage of its own; the article shows only its lead (and any text after
    its last item) and the items follow, each with its own link. Catalogue lines and
    heading-only passages are not clauses.
    """
    nodes: dict[tuple[str, ...], Clause] = {}
    top: list[Clause] = []
    for p in passages:
        if p.kind == CATALOGUE_ENTRY or heading_only(p.text, p.path, doc_title):
            continue
        clause = Clause(p, p.text, contains={p.id})
        path = tuple(p.path)
        parent = next((nodes[path[:n]] for n in range(len(path) - 1, 0, -1) if path[:n] in nodes), None)
        if parent is None:
            top.append(clause)
        else:
            parent.children.append(clause)
            ancestor: Clause | None = parent
            for n in range(len(path) - 1, 0, -1):
                ancestor = nodes.get(path[:n])
                if ancestor is not None:
                    ancestor.contains.add(p.id)
        nodes.setdefault(path, clause)
    for clause in nodes.values():
        _split_lead(clause)
    previous: list[str] | None = None
    for clause in top:
        heading = section_path(doc_title, clause.passage.path[:-1])
        if heading != previous:
            clause.heading = heading
        previous = heading
    return top


def _split_lead(clause: Clause) -> None:
    """Cut the items' text out of an article's text when it holds them, in order."""
    if not clause.children:
        return
    text = clause.passage.text
    at = 0
    spans = []
    for child in clause.children:
        found = text.find(child.passage.text, at)
        if found < 0:
            return  # the article's text is its heading and lead only: shown whole
        spans.append((found, found + len(child.passage.text)))
        at = found + len(child.passage.text)
    # Text between two items (a second paragraph and its list: 上海市集体合同条例 第二十一条)
    # is shown before the item it leads to, so that no item shows twice.
    for i, child in enumerate(clause.children[1:], start=1):
        child.before = text[spans[i - 1][1] : spans[i][0]].strip()
    clause.lead = text[: spans[0][0]].rstrip()
    clause.tail = text[spans[-1][1] :].strip()


# ------------------------------------------------------------------ reading order


def passage_crumbs(ctx: service.PassageContext) -> list[tuple[str, str | None]]:
    """(label, link) from the book down to the passage's heading, each label once."""
    doc = ctx.document
    out: list[tuple[str, str | None]] = []
    if ctx.parent:
        out.append((clean_label(ctx.parent["label"]), f"/documents/{ctx.parent['doc_id']}"))
    title = clean_label(doc.title) or doc.title
    for label in crumbs(doc.title, ctx.passage.path):
        out.append((label, service.document_url(doc.kind, doc.id) if label == title else None))
    deduped: list[tuple[str, str | None]] = []
    for label, url in out:
        if deduped and key(deduped[-1][0]) == key(label):
            deduped[-1] = (label, deduped[-1][1] or url)
        else:
            deduped.append((label, url))
    return deduped


def skip_labels(document: Any, parent_title: str | None) -> list[str]:
    """Headings a document page need not repeat: its part, its parent's title."""
    return [s for s in (document.meta.get("part"), parent_title) if s]


def title_lines(document: Any) -> list[str]:
    """The lines of a chapter's title page: its number, English part name and authors."""
    meta = document.meta
    lines = [meta.get(name) for name in ("part_en", "subtitle", "title_en", "subtitle_en")]
    authors = meta.get("authors")
    lines += authors if isinstance(authors, list) else [authors]
    if meta.get("number"):
        lines.append(f"B.{meta['number']}")
    return [str(line) for line in lines if line]
