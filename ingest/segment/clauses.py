"""Split the body of one policy / regulation into citeable clauses (kind="policy" passages).

Two layouts occur and the text's own markers decide which one applies:

* **Articles** (a 办法, 条例, 规定, law…: the body has lines starting 第N条). One passage per
  条 with its full text (all 款 and 项), plus one passage per 项 "（一）…" inside it so the
  exact item can be cited. Path = the 编/分编/章/节 headings (with titles) down to the
  article; locator = the article label alone::

      path ["第二章 申报条件", "第四条"]            locator "第四条"
      path ["第二章 申报条件", "第四条", "（一）"]  locator "第四条（一）"

  An article with several paragraphs (款) lists them in ``attrs["paragraphs"]``; items belong
  to the paragraph before them, so ``paragraphs[1]`` is 第二款. A second list of items (its
  numbering starts again under a later 款) is cited with that 款: "第九条第二款（一）".
  Old-style items "一、…" inside an article are items too (locator normalised to "（一）");
  a short "一、一般规定" line followed by an article is a grouping heading put in the path.

* **Sections** (a 通知, 意见, 行动方案…: no 第N条). Markers nest 一、 › （一） › 1.; each marker
  starts a passage running until the next marker, so a numbered measure "1. 坚定不移…"
  carries its following paragraph and a section's intro paragraph is the section passage.
  The locator concatenates the markers: "一、", "一、（二）", "二、1.", "一、（二）3." (a 第N章 /
  第N部分 above them is prefixed: "第一部分 一、1.").

A 附件 / 附表 / 附录 line (after the body) starts an appendix: its text is an "appendix"
passage whose path is ["附件一：…"], and articles inside it sit under that path.

Either way the text before the first marker (title, 文号, header lines, preamble, a 目录
block) is one passage with path ["前言"], and text under a heading before its first article
or marker is an "intro" passage whose path is the headings. Table-of-contents entries (a
heading with nothing under it before the next heading of the same or a higher level) are
kept as preamble text, never counted. A page break inside a paragraph (a paragraph without
closing punctuation, then a page change or several blank lines) is rejoined.

``attrs["unit"]`` says what a passage is: preamble | intro | appendix | article | item |
section | subsection | numbered. Numbers: ``part`` (编/部分), ``subpart`` (分编), ``chapter`` (章),
``section`` (节), ``group`` (一、), ``subgroup`` (（一） in sectioned texts), ``article`` and
``article_sub`` (第二十条之一 -> 20, 1), ``item`` (the 项 of an article, or a numbered 1.).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from analysis.numerals import CN_NUMERAL, int_to_cn
from ingest.model import HOLDER_UNITS, LEAD_IN_END, Passage, SourceLine, paragraph_name
from ingest.segment.clause_lines import (
    LEVEL_APPENDIX,
    LEVEL_CHAPTER,
    LEVEL_CN_ITEM,
    LEVEL_NUMBERED,
    LEVEL_PAREN,
    LEVEL_PART,
    LEVEL_SECTION,
    LEVEL_SUBPART,
    OPEN_PUNCT,
    TERMINAL_PUNCT,
    Token,
    resolve_headings,
    tokenize,
)
from ingest.segment.reg_header import parse_regulation_header

__all__ = ["ClauseSplitter", "count_structure", "parse_regulation_header"]

PREAMBLE_LABEL = "前言"

# Which attrs key holds the number of a heading / marker of each level.
_LEVEL_KEYS = {
    LEVEL_APPENDIX: "appendix", LEVEL_PART: "part", LEVEL_SUBPART: "subpart",
    LEVEL_CHAPTER: "chapter", LEVEL_SECTION: "section", LEVEL_CN_ITEM: "group",
    LEVEL_PAREN: "subgroup", LEVEL_NUMBERED: "item",
}  # fmt: skip
_UNIT_OF_MARKER = {"cn_item": "section", "paren": "subsection", "numbered": "numbered"}
_HEADING_KINDS = ("heading", "appendix")
_CHAPTER_LABEL = re.compile(rf"^第(?:{CN_NUMERAL}|[0-9]+)章")
# A blank-line gap larger than this between two lines of one paragraph means a page break.
_PAGE_BREAK_GAP = 2


@dataclass
class _Unit:
    """A passage being built: its paragraphs (款) and, for an article, its items (项)."""

    path: list[str]
    locator: str
    attrs: dict[str, Any]
    src: SourceLine
    paras: list[str] = field(default_factory=list)
    is_item: list[bool] = field(default_factory=list)  # paragraph starts with an item marker
    last: SourceLine | None = None
    title_line: bool = False  # the only paragraph so far is a heading-like marker line
    items: list[_Unit] = field(default_factory=list)

    def add(self, token: Token, joinable: bool, is_item: bool = False) -> None:
        """Append a line: continue the last paragraph across a page break, else a new one.

        The preamble is never rejoined: its title and header lines end without punctuation.
        """
        joinable = joinable and self.attrs["unit"] != "preamble"
        # A heading-like first line ("1. 坚定不移疏解非首都功能") is complete: never continue it.
        if (
            joinable
            and self.paras
            and self.last
            and not self.title_line
            and _continues(self.paras[-1], self.last, token)
        ):
            self.paras[-1] = _join(self.paras[-1], token.text)
            self.last = token.src
            return
        self.paras.append(token.text)
        self.is_item.append(is_item)
        self.title_line = token.heading_like and len(self.paras) == 1
        self.last = token.src

    def passage(self) -> Passage:
        return Passage(kind="policy", text="\n".join(self.paras), path=self.path,
                       locator=self.locator, line=self.src.line, page=self.src.page,
                       attrs=self.attrs)  # fmt: skip


def _continues(previous: str, previous_src: SourceLine, token: Token) -> bool:
    """True when ``token`` is the rest of ``previous`` cut by a page break."""
    if previous[-1] in TERMINAL_PUNCT:
        return False
    if previous[-1] in OPEN_PUNCT:
        return True  # "…（总公司）、" cannot end a paragraph, whatever the gap
    src = token.src
    if src.page is not None and previous_src.page is not None and src.page != previous_src.page:
        return True
    return src.line - previous_src.line > _PAGE_BREAK_GAP


def _join(left: str, right: str) -> str:
    # Chinese needs no space; keep one between two Latin words / numbers.
    if left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
        return f"{left} {right}"
    return left + right


class ClauseSplitter:
    """Split the lines of one policy body into kind="policy" passages (see module doc)."""

    def split(self, lines: list[SourceLine]) -> list[Passage]:
        tokens = tokenize(lines)
        has_articles = any(token.kind == "article" for token in tokens)
        resolve_headings(tokens, has_articles)
        if has_articles:
            return _ArticleBuilder().build(tokens)
        return _with_lists(_SectionBuilder().build(tokens))


class _Builder:
    """Shared state: the heading stack, the unit being filled and the output."""

    def __init__(self) -> None:
        self.heads: list[Token] = []
        self.out: list[Passage] = []
        self.unit: _Unit | None = None

    def build(self, tokens: list[Token]) -> list[Passage]:
        for token in tokens:
            self.feed(token)
        self.close()
        return self.out

    def feed(self, token: Token) -> None:
        raise NotImplementedError

    def close(self) -> None:
        if self.unit is not None and self.unit.paras:
            self.out.append(self.unit.passage())
        self.unit = None

    def push_heading(self, token: Token) -> None:
        self.close()
        self.pop_to(token.level)
        self.heads.append(token)
        if token.kind == "appendix":
            # "附件：矿产资源分类细目" often has nothing under it: keep the line as text.
            self.text_unit(token).add(token, joinable=False)

    def pop_to(self, level: int) -> None:
        while self.heads and self.heads[-1].level >= level:
            self.heads.pop()

    def head_attrs(self) -> dict[str, Any]:
        # Unnumbered headings (法律责任, 附则) are in the path but have no number to record.
        return {_LEVEL_KEYS[h.level]: h.number for h in self.heads if h.number is not None}

    def text_unit(self, token: Token) -> _Unit:
        """The unit that takes loose text: the open one, else a preamble / intro."""
        if self.unit is None:
            if self.heads:
                path = [head.label for head in self.heads]
                unit = "appendix" if self.heads[-1].kind == "appendix" else "intro"
                attrs = {"unit": unit, **self.head_attrs()}
                self.unit = _Unit(path, _short(self.heads[-1]), attrs, token.src)
            else:
                attrs = {"unit": "preamble"}
                self.unit = _Unit([PREAMBLE_LABEL], PREAMBLE_LABEL, attrs, token.src)
        return self.unit


def _restarts(article: _Unit, number: int | None) -> bool:
    """Whether an item's numbering starts again: a second list, under a later 款."""
    last = article.items[-1].attrs.get("item") if article.items else None
    return isinstance(last, int) and number is not None and number <= last


def _paragraph_label(article: _Unit) -> str:
    """The 款 the article's paragraphs so far end in, as cited before its items (第二款);
    "" for the first, so a second list's （一） is 第一百二十三条第二款（一）, not the first's."""
    return paragraph_name(sum(not is_item for is_item in article.is_item) - 1)


# How the last item of a list ends: a paragraph after it is no longer the item's.
_LIST_END = ("。",)


class _ArticleBuilder(_Builder):
    """Articles (条) as units, items (项) as sub-units."""

    def __init__(self) -> None:
        super().__init__()
        self.item: _Unit | None = None
        self.list_paragraph = ""  # the 款 of the article's current list of items, if not the first

    def feed(self, token: Token) -> None:
        if token.kind in _HEADING_KINDS:
            self.push_heading(token)
        elif token.kind == "article":
            self.open_article(token)
        elif token.kind in ("paren", "cn_item") and self.in_article():
            self.open_item(token)
        else:
            self.add_text(token)

    def in_article(self) -> bool:
        return self.unit is not None and self.unit.attrs["unit"] == "article"

    def open_article(self, token: Token) -> None:
        self.close()
        self.list_paragraph = ""
        attrs: dict[str, Any] = {"unit": "article", "article": token.number}
        if token.sub is not None:
            attrs["article_sub"] = token.sub
        attrs.update(self.head_attrs())
        attrs.setdefault("chapter", None)
        path = [*(head.label for head in self.heads), token.label]
        self.unit = _Unit(path, token.label, attrs, token.src)
        self.unit.add(token, joinable=False)

    def open_item(self, token: Token) -> None:
        article = self.unit
        assert article is not None
        # "(二)", "- (二)" and old-style "二、" are all cited as "（二）".
        number = token.number
        label = f"（{int_to_cn(number)}）" if number and number < 10_000 else token.label
        attrs = {**article.attrs, "unit": "item", "item": number}
        if _restarts(article, number):
            self.list_paragraph = _paragraph_label(article)
        self.item = _Unit([*article.path, label], article.locator + self.list_paragraph + label, attrs, token.src)
        article.items.append(self.item)
        article.add(token, joinable=False, is_item=True)
        self.item.add(token, joinable=False)

    def add_text(self, token: Token) -> None:
        joinable = token.kind == "text"
        if self.in_article():
            assert self.unit is not None
            self.unit.add(token, joinable)
            if self.item is not None and _after_list(self.item, token, joinable):
                # A paragraph after the list's last item (…健康标准。 then 护士执业注册
                # 申请，应当…) is the article's next 款, not part of that item.
                self.item = None
            if self.item is not None:
                self.item.add(token, joinable)
        else:
            self.text_unit(token).add(token, joinable)

    def close(self) -> None:
        article = self.unit
        if article is not None and article.attrs["unit"] == "article":
            paragraphs = _paragraphs(article)
            if len(paragraphs) > 1:
                article.attrs["paragraphs"] = paragraphs
            self.out.append(article.passage())
            self.out.extend(item.passage() for item in article.items)
            self.unit = None
        self.item = None
        super().close()


def _after_list(item: _Unit, token: Token, joinable: bool) -> bool:
    """Whether ``token`` starts a paragraph after ``item`` ended the list (with 。)."""
    if not item.paras or not item.paras[-1].rstrip().endswith(_LIST_END):
        return False
    return not (joinable and item.last is not None and _continues(item.paras[-1], item.last, token))


def _paragraphs(article: _Unit) -> list[str]:
    """The article's 款: each paragraph with the items (项) that follow it."""
    paragraphs: list[str] = []
    for text, is_item in zip(article.paras, article.is_item, strict=True):
        if is_item and paragraphs:
            paragraphs[-1] += "\n" + text
        else:
            paragraphs.append(text)
    label = article.path[-1]
    if paragraphs and paragraphs[0].startswith(label):
        # The first 款 is cited without its "第十六条" label.
        paragraphs[0] = paragraphs[0][len(label) :].lstrip(" \u3000\t:：")
    return paragraphs


class _SectionBuilder(_Builder):
    """Texts without articles: every 一、 / （一） / 1. marker starts a unit."""

    def __init__(self) -> None:
        super().__init__()
        self.markers: list[Token] = []  # open enumerated markers, outermost first

    def feed(self, token: Token) -> None:
        if token.kind in _HEADING_KINDS:
            self.markers = []
            self.push_heading(token)
        elif token.kind in _UNIT_OF_MARKER:
            self.open_marker(token)
        else:
            self.text_unit(token).add(token, joinable=token.kind == "text")

    def open_marker(self, token: Token) -> None:
        self.close()
        self.markers = [m for m in self.markers if m.level < token.level] + [token]
        path = [head.label for head in self.heads] + [_path_label(m) for m in self.markers]
        heading_part = " ".join(_short(head) for head in self.heads)
        marker_part = "".join(m.label for m in self.markers)
        locator = f"{heading_part} {marker_part}" if heading_part else marker_part
        attrs: dict[str, Any] = {"unit": _UNIT_OF_MARKER[token.kind], **self.head_attrs()}
        attrs.update({_LEVEL_KEYS[m.level]: m.number for m in self.markers})
        if token.title:
            attrs["title"] = token.title
        self.unit = _Unit(path, locator, attrs, token.src)
        self.unit.add(token, joinable=False)


def _with_lists(passages: list[Passage]) -> list[Passage]:
    """A section that opens a list (三、…按照下列标准发给病假期间工资：) holds the text of the
    units under it, as an article holds its items: a hit on the lead-in shows the list it
    opens. The units under it stay passages of their own (their citation)."""
    for at, passage in enumerate(passages):
        if passage.attrs.get("unit") not in HOLDER_UNITS or not passage.text.rstrip().endswith(LEAD_IN_END):
            continue
        depth = len(passage.path)
        under = []
        for later in passages[at + 1 :]:
            if len(later.path) <= depth or later.path[:depth] != passage.path:
                break
            under.append(later.text)
        if under:
            passage.text = "\n".join([passage.text, *under])
    return passages


def _path_label(marker: Token) -> str:
    """The marker and its title if any: "一、总体要求", "（一）", "1. 坚定不移疏解非首都功能"."""
    if marker.kind == "numbered" and marker.title:
        return f"{marker.label} {marker.title}"
    return marker.label + marker.title


def _short(head: Token) -> str:
    """A heading's label without its title: "第二章 申报条件" -> "第二章"."""
    return head.label.split(" ", 1)[0]


def count_structure(passages: list[Passage]) -> tuple[int, int]:
    """(chapters, articles) of one split document, as the measurement script counts them.

    Chapters are the distinct 第N章 headings found in passage paths (under their 编, so
    刑法's two 第一章 count twice); articles are the article passages.
    """
    chapters: set[tuple[str, ...]] = set()
    articles = 0
    for passage in passages:
        if passage.attrs.get("unit") == "article":
            articles += 1
        for depth, label in enumerate(passage.path):
            if _CHAPTER_LABEL.match(label):
                chapters.add(tuple(passage.path[: depth + 1]))
    return len(chapters), articles
