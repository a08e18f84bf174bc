"""Line classification for policy / regulation full texts (the first pass of ClauseSplitter).

Every line is classified from its own leading marker only; nothing here knows titles or
counts. A line becomes a :class:`Token` with a kind, a structural level and a number:

=========  ===========================================  =======  ============================
kind       marker                                       level    example
=========  ===========================================  =======  ============================
appendix   附件 / 附件一 / 附表 / 附录 / 附：               -10      附件1：申报表
heading    第N部分 / 第N编                               0        第一编 总则
heading    第N分编                                       10       第一分编 通则
heading    第N章                                         20       第二章 申报条件
heading    第N节                                         30       第一节 一般规定
cn_item    一、 / 一． / "一 " + text                      40       一、总体要求
paren      （一） / (一)                                  50       （一）技能大师的条件。
numbered   1. / 1． / 1、                                 60       1. 坚定不移疏解非首都功能
article    第N条 / 第N条之一 + separator                  (unit)   第四条　申报市级工作室…
toc        目录, or a line listing several 第N章         --       第一章 总则 第二章 任免范围
text       anything else                                --
=========  ===========================================  =======  ============================

Whether a cn_item is a heading, a section or an item depends on the document (see
``ClauseSplitter``); this module only records whether it *looks* like a heading.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from analysis.dates import DATE
from analysis.numerals import CN_NUMERAL, CN_NUMERAL_CHARS, FULLWIDTH_DIGITS, cn_to_int
from ingest.model import SourceLine

LEVEL_APPENDIX = -10
LEVEL_PART = 0
LEVEL_SUBPART = 10
LEVEL_CHAPTER = 20
LEVEL_SECTION = 30
LEVEL_CN_ITEM = 40
LEVEL_PAREN = 50
LEVEL_NUMBERED = 60

_HEADING_LEVELS = {"部分": LEVEL_PART, "编": LEVEL_PART, "分编": LEVEL_SUBPART,
                   "章": LEVEL_CHAPTER, "节": LEVEL_SECTION}  # fmt: skip

# Characters that end a sentence / clause. A heading title never contains them; a paragraph
# that does not end with one was cut by a page break (see ClauseSplitter's joining rule).
SENTENCE_PUNCT = "。；;：:，,！!？?"
FULL_STOP_PUNCT = "。；;：:！!？?"
TERMINAL_PUNCT = "。；;：:！!？?…”’」』）)】]"
OPEN_PUNCT = "、，,“‘「『（(【["  # a paragraph never ends with these

_SEP = r"[\s\u3000\u2002\u2003]"  # ASCII, ideographic, en and em spaces all occur
_BULLET = re.compile(r"^[-–—•·*●▪]\s*(?=[（(]|[0-9]|" + CN_NUMERAL + ")")
_DIGITS = "[0-9０-９]+"  # ASCII or full-width: 第12条, 第１２条
_ARTICLE = re.compile(rf"^第({CN_NUMERAL}|{_DIGITS})条(?:之({CN_NUMERAL}))?(?:{_SEP}+|[:：]|$)")
_HEADING = re.compile(rf"^第({CN_NUMERAL}|{_DIGITS})(部分|分编|编|章|节)(?:{_SEP}*)(.*)$")
_APPENDIX = re.compile(rf"^附(?:件|表|录)?{_SEP}*({CN_NUMERAL}|[0-9]+)?{_SEP}*(?:[:：]|{_SEP}|$)(.*)$")
# 一、 / 一． / "一 " — but not "一、二级道路" (an enumeration of numbers, not a marker);
# "一、一般规定" is a marker.
_CN_ITEM = re.compile(rf"^({CN_NUMERAL})(?:[、．.]|{_SEP}+)(?!{CN_NUMERAL}[、级类至到和或等])\s*(.*)$")
_PAREN = re.compile(rf"^[（(]({CN_NUMERAL})[)）]{_SEP}*(.*)$")
_NUMBERED = re.compile(r"^([0-9０-９]{1,3})(?:[.．、](?![0-9])|[)）])\s*(.*)$")
_TOC_TITLE = re.compile(rf"^目{_SEP}*录[:：]?$")
_CHAPTER_MARK = re.compile(rf"(?:^|{_SEP})第(?:{CN_NUMERAL}|{_DIGITS})章")  # one per 目录 entry
_SPACES = re.compile(rf"{_SEP}+")
_INVISIBLE = "\u200b\u200c\u200d\ufeff\u00a0"  # zero-width spaces, BOM, no-break space

# First characters that can start a marker: lines starting otherwise are plain text, which
# lets the common case skip every regex (the splitter must run at tens of MB/s).
_MARKER_START = frozenset("第附目（(-–—•·*●▪0123456789０１２３４５６７８９" + CN_NUMERAL_CHARS)

MAX_TITLE_CHARS = 40  # a heading's title is short; longer "titles" are sentences


@dataclass(slots=True)
class Token:
    """One non-blank line with what its marker says about it."""

    kind: str  # heading | appendix | article | cn_item | paren | numbered | toc | text
    text: str  # the line, stripped, leading bullet removed
    src: SourceLine
    level: int = 0  # structural level of a marker (see the module table)
    number: int | None = None
    sub: int | None = None  # 之一 -> 1 for articles
    label: str = ""  # normalised marker, e.g. "第二章 申报条件", "第四条", "（一）", "1."
    title: str = ""  # a heading's title when the line reads as one
    heading_like: bool = False  # short, no sentence punctuation: can be a heading


def classify(src: SourceLine) -> Token | None:
    """Classify one line; None for a blank line."""
    text = src.text.strip().strip(_INVISIBLE).strip()
    if not text:
        return None
    if text[0] not in _MARKER_START:
        return Token("text", text, src)
    bullet = _BULLET.match(text)
    if bullet:
        text = text[bullet.end() :]
    return (
        _article(text, src)
        or _heading(text, src)
        or _enumerated(text, src)
        or _appendix_or_toc(text, src)
        or Token("text", text, src)
    )


def _article(text: str, src: SourceLine) -> Token | None:
    match = _ARTICLE.match(text)
    if not match:
        return None
    number = cn_to_int(match.group(1))
    sub = cn_to_int(match.group(2)) if match.group(2) else None
    numeral = match.group(1).translate(FULLWIDTH_DIGITS)
    label = f"第{numeral}条" + (f"之{match.group(2)}" if match.group(2) else "")
    return Token("article", text, src, number=number, sub=sub, label=label)


def _heading(text: str, src: SourceLine) -> Token | None:
    match = _HEADING.match(text)
    if not match:
        return None
    numeral, unit, title = match.groups()
    numeral = numeral.translate(FULLWIDTH_DIGITS)
    if unit == "章" and len(_CHAPTER_MARK.findall(text)) > 1:
        return Token("toc", text, src)  # a whole table of contents on one line
    # A body sentence such as "第七节相应改为第八节，……" starts like a heading: a real title
    # is short and has no sentence punctuation.
    title = _SPACES.sub("", title)
    # A title cut at the end of the line ("…和自治条例、") continues on the next one.
    if title and not _is_title(title.rstrip("，,、")):
        return None
    label = f"第{numeral}{unit}" + (f" {title}" if title else "")
    return Token("heading", text, src, level=_HEADING_LEVELS[unit],
                 number=cn_to_int(numeral), label=label, title=title)  # fmt: skip


def _is_title(title: str) -> bool:
    """Short, no full stop (a comma may occur: "持续强化创新…，推动…"), no dangling comma."""
    return (
        0 < len(title) <= MAX_TITLE_CHARS
        and not any(ch in FULL_STOP_PUNCT for ch in title)
        and title[-1] not in "，,、"
    )


def _enumerated(text: str, src: SourceLine) -> Token | None:
    match = _PAREN.match(text)
    if match:
        number = cn_to_int(match.group(1))
        return _item("paren", text, src, LEVEL_PAREN, number, f"（{match.group(1)}）", match.group(2))
    match = _CN_ITEM.match(text)
    if match:
        number = cn_to_int(match.group(1))
        return _item("cn_item", text, src, LEVEL_CN_ITEM, number, f"{match.group(1)}、", match.group(2))
    match = _NUMBERED.match(text)
    if match:
        number = int(match.group(1).translate(FULLWIDTH_DIGITS))
        return _item("numbered", text, src, LEVEL_NUMBERED, number, f"{number}.", match.group(2))
    return None


def _item(kind: str, text: str, src: SourceLine, level: int, number: int | None, label: str, rest: str) -> Token | None:
    if number is None or (not rest and kind != "paren"):
        return None  # "一" alone, "3." alone: not a marker we can cite
    title = _SPACES.sub("", rest) if rest else ""
    heading_like = _is_title(title)
    return Token(kind, text, src, level=level, number=number, label=label,
                 title=title if heading_like else "", heading_like=heading_like)  # fmt: skip


def _appendix_or_toc(text: str, src: SourceLine) -> Token | None:
    if _TOC_TITLE.match(text):
        return Token("toc", text, src)
    if len(text) > MAX_TITLE_CHARS or text[-1] in "。；;":
        return None
    match = _APPENDIX.match(text)
    if not match:
        return None
    label = _SPACES.sub(" ", text).rstrip(":： ")  # "附件:" -> "附件"
    return Token("appendix", text, src, level=LEVEL_APPENDIX, label=label)


def tokenize(lines: list[SourceLine]) -> list[Token]:
    """Classify every non-blank line."""
    tokens = []
    for src in lines:
        token = classify(src)
        if token is not None:
            tokens.append(token)
    return tokens


# --- Second pass: what a line is can depend on its neighbours --------------------------

_STRUCTURE_KINDS = ("heading", "appendix")
MAX_UNNUMBERED_HEADING = 20  # 法律责任, 规划与建设管理: unnumbered headings are short
# A heading title ending like this was cut at the line end: "…国民经济计划和", "…逃匿、".
_DANGLING = "，,、和与及或并的"


def resolve_headings(tokens: list[Token], has_articles: bool) -> None:
    """Settle headings that the line alone cannot tell (in place).

    * TOC entries: a heading with nothing under it is a 目录 line (``mark_toc_entries``).
    * In article texts: a heading title wrapped onto a second line is rejoined, a body line
      equal to a 目录 entry's title is that (unnumbered) heading, other short unpunctuated
      lines right above an article are unnumbered headings, and "一、一般规定" right above
      an article is a grouping heading.
    """
    toc = mark_toc_entries(tokens)
    if not has_articles:
        return
    _join_wrapped_titles(tokens)
    titles = Counter(entry.title for entry in toc)
    # A title listed twice (两个"一般规定" 节) cannot tell which heading a bare line is.
    by_title = {entry.title: entry for entry in toc if entry.title and titles[entry.title] == 1}
    last_level: int | None = None
    for index, token in enumerate(tokens):
        if token.kind == "heading" and token.number is not None:
            last_level = token.level
        elif token.kind == "cn_item" and token.heading_like and _above_article(tokens, index):
            token.kind, token.label = "heading", token.label + token.title
        elif token.kind == "text" and _unnumbered_title(token.text) and _above_article(tokens, index, headings=False):
            _make_unnumbered(token, by_title, last_level)
    # A 目录's last entry sat above "总 则", which only now reads as a heading.
    mark_toc_entries(tokens)


def mark_toc_entries(tokens: list[Token]) -> list[Token]:
    """Turn headings with nothing under them into "toc" tokens (目录 entries); return them.

    A heading is a table-of-contents entry when the next heading of the same or a higher
    level (or the end) comes before any content: a 目录 block lists 第一章…第八章 in a row,
    whereas 第一编 followed by 第一章 is a real, nested heading.
    """
    entries = []
    for index, token in enumerate(tokens):
        if token.kind != "heading":
            continue
        empty = True
        for later in tokens[index + 1 :]:
            if later.kind not in _STRUCTURE_KINDS:
                empty = False
                break
            if later.level <= token.level:
                break
        if empty:
            token.kind = "toc"
            entries.append(token)
    return entries


def _join_wrapped_titles(tokens: list[Token]) -> None:
    """Rejoin a heading title cut at the line end: "…国民经济计划和" + "财政预决算的审查"."""
    for index, token in enumerate(tokens[:-1]):
        nxt = tokens[index + 1]
        if (
            token.kind == "heading"
            and token.title
            and nxt.kind == "text"
            and _unnumbered_title(nxt.text)
            and token.title[-1] in _DANGLING
        ):
            token.title += _SPACES.sub("", nxt.text)
            token.label += _SPACES.sub("", nxt.text)
            token.text += nxt.text
            nxt.kind = "merged"
    tokens[:] = [token for token in tokens if token.kind != "merged"]


def _above_article(tokens: list[Token], index: int, headings: bool = True) -> bool:
    """The next line is an article (or, with ``headings``, a heading)."""
    if index + 1 >= len(tokens):
        return False
    kind = tokens[index + 1].kind
    return kind == "article" or (headings and kind == "heading")


def _unnumbered_title(text: str) -> bool:
    # A dated line is the header's (2016年10月1日 施行, 1982年8月30日国务院批准) when no
    # chapter comes between it and 第一条: never a heading of every article.
    short = len(text) <= MAX_UNNUMBERED_HEADING and not any(ch in SENTENCE_PUNCT for ch in text)
    return short and DATE.match(text.lstrip("（( ")) is None


def _make_unnumbered(token: Token, by_title: dict[str, Token], last_level: int | None) -> None:
    """A short line above an article: the 目录 entry of that title, else a sub-heading."""
    title = _SPACES.sub("", token.text)
    entry = by_title.get(title)
    token.kind = "heading"
    token.title = title
    if entry is not None:  # the 目录 says which chapter this is
        token.level, token.number, token.label = entry.level, entry.number, entry.label
    else:
        # Under the last numbered heading ("第三章 业主组织" › "业主大会"), never replacing it:
        # whether "附则" after 第七章 is a chapter of its own the text does not say.
        token.level = (last_level if last_level is not None else LEVEL_SECTION) + 5
        token.label = title
