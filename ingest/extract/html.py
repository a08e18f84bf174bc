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
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

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

    def convert(self, data: bytes) -> str:
        from selectolax.lexbor import LexborHTMLParser

        tree = LexborHTMLParser(decode_html(data))
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
        lines = _Lines()
        lines.walk(content)
        out = lines.done()
        if title and (not out or _compact(out[0]) != _compact(title)):
            out.insert(0, title)
        return "\n".join(out)


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
    """Walks an element tree into lines: blocks break lines, rows join cells with tabs."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []

    def walk(self, node: Any) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                self.current.append(child.text(deep=False))
            elif tag == "br":
                self.flush()
            elif tag == "table":
                self.flush()
                self.table(child)
            elif tag in _BLOCK:
                self.flush()
                self.walk(child)
                self.flush()
            elif tag not in ("-comment",):
                self.walk(child)

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
