"""HTML bytes → the lines of the page's main text (selectolax/lexbor), not its navigation.

A government page wraps one policy in menus, breadcrumbs, share buttons, related links
and a footer. The main text is found the way readability tools do: boilerplate elements
go first (script, nav, header, footer, aside, forms, and elements whose id or class says
menu, breadcrumb, footer…); then every block of text scores its length without link
text for its parent (and half for its grandparent), and the best-scoring container is
the content. ``<article>`` / ``<main>`` win when they hold most of the text. The page's
title (its ``<h1>``, else ``<title>`` without the site name) is put first when the content
does not start with it, because the segmenters read the first line as the title.

Block elements become lines, ``<br>`` a line break, a table row a tab-separated line.

Markup deeper than ``POLICYKB_MAX_DEPTH`` is flattened before parsing (:func:`flatten_deep`):
the tags below that depth are dropped, their text kept, with a warning. Nesting is what
makes HTML expensive: lexbor's tree builder scans the stack of open elements at many
tags (100,000 nested ``<div>`` took 34 s), and a walk over the tree is as deep as it.
The walk here keeps its own stack, so no nesting can exhaust Python's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from ingest import limits
from ingest.extract.errors import ExtractionError
from ingest.extract.text import decode_text

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "button",
    "select",
    "input",
    "textarea",
    "object",
    "embed",
    "canvas",
    "map",
)
_BOILERPLATE = re.compile(
    r"nav|menu|breadcrumb|crumb|footer|foot\b|header|\bhead\b|sidebar|side-?bar|share|comment|copyright|banner"
    r"|advert|\bads?\b|toolbar|pagination|pager|related|login|search|topbar|top-?link|friend-?link|links?\b|xgwj|fxd",
    re.IGNORECASE,
)
_BLOCK = frozenset(
    (
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "section",
        "article",
        "main",
        "center",
        "figure",
        "figcaption",
        "address",
        "hr",
        "body",
    )
)
_CONTAINERS = frozenset(["div", "section", "article", "main", "td", "body"])
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\n\f\u00a0\u2002\u2003\u2009]+")
_TITLE_SUFFIX = re.compile(r"\s*[-_|—–·]+\s*[^-_|—–·]{2,40}$")
MAIN_SHARE = 0.6  # <article>/<main> is the content when it holds this share of the best score


class HtmlToText:
    """The main text of a web page as lines (see the module docstring)."""

    def __init__(self, limit: limits.Limits | None = None) -> None:
        self.limit = limit
        self.warnings: list[str] = []

    def convert(self, data: bytes) -> str:
        from selectolax.lexbor import LexborHTMLParser

        limit = limits.in_force(self.limit)
        self.warnings = []
        markup, dropped = flatten_deep(decode_html(data), limit.max_depth)
        if dropped:
            self.warnings.append(
                f"nesting deeper than {limit.max_depth} levels ({limits.ENV['max_depth']}): "
                f"{dropped:,} tags below that depth ignored, their text kept"
            )
        tree = LexborHTMLParser(markup)
        del markup
        title = page_title(tree)
        drop = list(tree.css(",".join(_DROP_TAGS)))
        for node in tree.css("[id], [class]"):
            marker = f"{node.attributes.get('id') or ''} {node.attributes.get('class') or ''}"
            if _BOILERPLATE.search(marker) and node.tag not in ("body", "html", "main", "article"):
                drop.append(node)
        for node in _outermost(drop):
            node.decompose()
        content = main_content(tree)
        if content is None:
            raise ExtractionError("no text in HTML page")
        lines = _Lines(max_chars=limit.max_chars)
        lines.walk(content)
        out = lines.done()
        if title and (not out or _compact(out[0]) != _compact(title)):
            out.insert(0, title)
        return "\n".join(out)


# Tags that never hold others (void), whose end tag may be left out (the parser closes
# them: they do not nest by themselves), and whose content is text, not tags.
_VOID = frozenset(
    [
        "area",
        "base",
        "basefont",
        "bgsound",
        "br",
        "col",
        "embed",
        "frame",
        "hr",
        "image",
        "img",
        "input",
        "keygen",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_OPTIONAL_END = frozenset(
    [
        "html",
        "head",
        "body",
        "p",
        "li",
        "dt",
        "dd",
        "option",
        "optgroup",
        "rb",
        "rt",
        "rp",
        "rtc",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "colgroup",
        "caption",
    ]
)
_RAW_TEXT = frozenset(
    ["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"]
)
_FOREIGN = frozenset(("svg", "math"))  # inside these, "<x/>" closes itself
_TAG_START = re.compile(r"<(/?)([A-Za-z][^\s/>]*)|<!--")


def flatten_deep(markup: str, max_depth: int) -> tuple[str, int]:
    """``markup`` with the tags nested deeper than ``max_depth`` removed (their text is
    kept), and how many tags were removed; in one pass, linear in the size.

    The depth is counted the way it grows in the parser's tree: a start tag opens a level
    unless it is void, self-closing in SVG/MathML, or one whose end tag may be left out;
    an end tag closes the innermost open element of its name. Unclosed tags therefore
    count (600 unclosed ``<b><i>`` are 1,200 levels in the parsed tree too).
    """
    if markup.count("<") <= max_depth:
        return markup, 0  # cannot nest deeper than it has tags
    lower = markup.lower()
    open_counts: dict[str, int] = {}
    dropped_open: dict[str, int] = {}
    depth = foreign = dropped = 0
    cuts: list[tuple[int, int]] = []
    position = 0
    while (match := _TAG_START.search(markup, position)) is not None:
        start = match.start()
        if match.group(2) is None:  # a comment
            close = markup.find("-->", match.end())
            if close < 0:
                break
            position = close + 3
            continue
        end = markup.find(">", match.end())
        if end < 0:
            break
        position = end + 1
        name = match.group(2).lower()
        if match.group(1):  # an end tag
            if dropped_open.get(name):
                dropped_open[name] -= 1
                cuts.append((start, position))
            elif open_counts.get(name):
                open_counts[name] -= 1
                depth -= 1
                foreign -= name in _FOREIGN
            continue
        if name in _RAW_TEXT:  # skip its text: no tags in there
            close = lower.find(f"</{name}", position)
            if close < 0:
                break
            position = close
            continue
        if name in _VOID or name in _OPTIONAL_END or (foreign and markup[end - 1] == "/"):
            continue
        if depth >= max_depth:
            dropped_open[name] = dropped_open.get(name, 0) + 1
            cuts.append((start, position))
            dropped += 1
            continue
        open_counts[name] = open_counts.get(name, 0) + 1
        depth += 1
        foreign += name in _FOREIGN
    return (_without(markup, cuts), dropped) if cuts else (markup, 0)


def _without(markup: str, cuts: list[tuple[int, int]]) -> str:
    """``markup`` without the spans of ``cuts`` (in order, disjoint)."""
    pieces: list[str] = []
    kept = 0
    for start, end in cuts:
        pieces.append(markup[kept:start])
        kept = end
    pieces.append(markup[kept:])
    return "".join(pieces)


def _outermost(nodes: list[Any]) -> list[Any]:
    """The nodes without an ancestor among them: decomposing an element frees its
    descendants, whose handles must not be used afterwards."""
    chosen = {node.mem_id for node in nodes}
    out: dict[int, Any] = {}
    for node in nodes:
        parent = node.parent
        while parent is not None and parent.mem_id not in chosen:
            parent = parent.parent
        if parent is None:
            out.setdefault(node.mem_id, node)
    return list(out.values())


def decode_html(data: bytes) -> str:
    """Decode by the page's declared charset when it decodes cleanly, else by detection."""
    declared = _CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        name = "gb18030" if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk") else name
        try:
            return data.decode(name).replace("\r\n", "\n")
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common: detect instead
    return decode_text(data)


def page_title(tree: Any) -> str | None:
    heading = tree.css_first("h1")
    if heading is not None and heading.text(strip=True):
        return _SPACES.sub(" ", heading.text(strip=True)).strip()
    title = tree.css_first("title")
    if title is None or not title.text(strip=True):
        return None
    text = _SPACES.sub(" ", title.text(strip=True)).strip()
    return _TITLE_SUFFIX.sub("", text) or text


def main_content(tree: Any) -> Any | None:
    """The element holding the page's main text."""
    body = tree.body
    if body is None:
        return None
    scores: dict[int, float] = defaultdict(float)
    nodes: dict[int, Any] = {}
    for block in body.css("p, div, td, li, pre, blockquote, section, article, h1, h2, h3, h4, h5, h6"):
        own = _own_text_length(block)
        if own < 10:
            continue
        parent = block.parent
        grand = parent.parent if parent is not None else None
        for node, share in ((block, 0.5), (parent, 1.0), (grand, 0.5)):
            if node is not None and node.tag in _CONTAINERS:
                scores[node.mem_id] += share * own
                nodes[node.mem_id] = node
    if not scores:
        return body if body.text(strip=True) else None
    best_id = max(scores, key=lambda key: scores[key])
    for candidate in body.css("article, main, [role=main]"):
        if _text_length(candidate) >= MAIN_SHARE * _text_length(nodes[best_id]):
            return candidate
    return nodes[best_id]


def _own_text_length(node: Any) -> int:
    """Characters of the text directly inside ``node`` and its inline children, links excluded."""
    length = 0
    for child in node.iter(include_text=True):
        if child.tag == "-text":
            length += len(child.text(deep=False).strip())
        elif child.tag not in _BLOCK and child.tag != "a":
            length += len(child.text(strip=True))
    return length


def _text_length(node: Any) -> int:
    links = sum(len(a.text(strip=True)) for a in node.css("a"))
    return len(node.text(strip=True)) - links


def _compact(text: str) -> str:
    return _SPACES.sub("", text)


class _Lines:
    """Walks an element tree into lines: blocks break lines, rows join cells with tabs.

    The walk keeps its own stack (a tree as deep as the page cannot exhaust Python's) and
    stops at ``max_chars`` characters (the file is then over the limit anyway)."""

    def __init__(self, max_chars: int | None = None) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []
        self.max_chars = max_chars
        self.chars = 0

    def walk(self, node: Any) -> None:
        # Each entry: the children still to visit, and whether a block ends with them.
        stack: list[tuple[Any, bool]] = [(node.iter(include_text=True), False)]
        while stack:
            children, block = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if block:
                    self.flush()
                continue
            tag = child.tag
            if tag == "-text":
                text = child.text(deep=False)
                self.current.append(text)
                self.chars += len(text)
                if self.max_chars is not None and self.chars > self.max_chars:
                    raise limits.too_many_chars(self.max_chars)
            elif tag == "br":
                self.flush()
            elif tag == "table":
                self.flush()
                self.table(child)
            elif tag in _BLOCK:
                self.flush()
                stack.append((child.iter(include_text=True), True))
            elif tag not in ("-comment",):
                stack.append((child.iter(include_text=True), False))

    def table(self, node: Any) -> None:
        for row in node.css("tr"):
            cells = [_SPACES.sub(" ", cell.text(separator=" ", strip=True)).strip() for cell in row.css("td, th")]
            line = "\t".join(cells).rstrip("\t")
            if line.strip():
                self.lines.append(line)

    def flush(self) -> None:
        text = _SPACES.sub(" ", "".join(self.current)).strip(" \u3000")
        self.current = []
        if text:
            self.lines.append(text)

    def done(self) -> list[str]:
        self.flush()
        return self.lines
