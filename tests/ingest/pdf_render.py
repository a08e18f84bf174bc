"""Render real text to PDF for extraction tests and benchmarks (reportlab, CID font).

Not a test module: tests and ``bench/pdf_extract.py`` import it. The PDFs look like the
documents policykb meets: a running header and a page number on every page, paragraphs
wrapped to the text width (Latin at spaces, Han anywhere), a blank line rendered as a
paragraph gap, and tab-separated lines drawn as a ruled table (one cell per field).

reportlab's built-in ``STSong-Light`` is a CID font with the predefined UniGB-UCS2-H
encoding, so the text layer maps back to Unicode without embedding a font file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

FONT = "STSong-Light"
PAGE_W, PAGE_H = 595.0, 842.0  # A4 in points
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 56.0, 64.0, 60.0
HEADER_Y, FOOTER_Y = PAGE_H - 36.0, 30.0
PAGE_BREAK = re.compile(r"\n(?:[ \t\u3000]*\n){3,}")  # the book text's page breaks


@dataclass
class PageSpec:
    """One PDF page: its body lines (a "" line is a paragraph gap), header and page label."""

    lines: list[str]
    label: str | None = None  # printed page number, drawn centred in the footer
    header: str | None = None
    meta: dict[str, object] = field(default_factory=dict)


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _width(text: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(text, FONT, size))


_NO_LINE_START = frozenset("。，、；：！？）》」』”’%,.;:!?)")


def wrap(text: str, width: float, size: float, hang: bool = True) -> list[str]:
    """Greedy wrap: Han characters break anywhere, Latin words at spaces (or anywhere
    when one word is wider than the line). Closing punctuation never starts a line: it
    hangs past the edge (``hang``) or takes the previous character down with it."""
    pieces: list[str] = []
    for piece in re.findall(r"[A-Za-z0-9.,%\-+/()']+ ?|\s|.", text):
        pieces.extend(list(piece) if _width(piece, size) > width else [piece])
    lines: list[str] = []
    current = ""
    for piece in pieces:
        if not current or _width(current + piece.rstrip(), size) <= width or (piece in _NO_LINE_START and hang):
            current += piece
        elif piece in _NO_LINE_START and len(current) > 1:
            lines.append(current[:-1].rstrip())
            current = current[-1] + piece
        else:
            lines.append(current.rstrip())
            current = piece.lstrip()
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


def _table_blocks(lines: Sequence[str]) -> list[tuple[str, list[str]]]:
    """("text", [line]) or ("table", rows): consecutive tab-separated lines form a table."""
    blocks: list[tuple[str, list[str]]] = []
    for line in lines:
        kind = "table" if "\t" in line else "text"
        if kind == "table" and blocks and blocks[-1][0] == "table":
            blocks[-1][1].append(line)
        else:
            blocks.append((kind, [line]))
    return blocks


def _column_widths(rows: list[list[str]], size: float, total: float) -> list[float]:
    columns = max(len(r) for r in rows)
    natural = [max((_width(r[c], size) if c < len(r) else 0.0) for r in rows) + 8 for c in range(columns)]
    scale = total / sum(natural)
    return [w * scale for w in natural]


def _layout_height(lines: Sequence[str], size: float) -> float:
    leading = size * 1.5
    height = 0.0
    width = PAGE_W - 2 * MARGIN_X
    for kind, block in _table_blocks(lines):
        if kind == "text":
            line = block[0]
            height += leading * (len(wrap(line, width, size)) if line.strip() else 1)
        else:
            rows = [r.split("\t") for r in block]
            widths = _column_widths(rows, size, width)
            for row in rows:
                cell_lines = max(len(wrap(c, widths[i] - 6, size, hang=False)) for i, c in enumerate(row)) if row else 1
                height += cell_lines * size * 1.25 + 6
            height += leading * 0.5
    return height


def _fit_size(lines: Sequence[str], size: float, minimum: float = 2.5) -> float:
    """The largest font size (from ``size`` down) at which ``lines`` fit on one page."""
    available = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
    while size > minimum and _layout_height(lines, size) > available:
        size -= 0.5
    return size


def _draw_table(canvas, rows: list[list[str]], top: float, size: float) -> float:  # type: ignore[no-untyped-def]
    width = PAGE_W - 2 * MARGIN_X
    widths = _column_widths(rows, size, width)
    y = top
    for row in rows:
        wrapped = [wrap(cell, widths[i] - 6, size, hang=False) if cell else [""] for i, cell in enumerate(row)]
        row_h = max(len(w) for w in wrapped) * size * 1.25 + 6
        x = MARGIN_X
        for column, cell_width in enumerate(widths):
            canvas.rect(x, y - row_h, cell_width, row_h, stroke=1, fill=0)
            cell = wrapped[column] if column < len(wrapped) else [""]
            for n, text in enumerate(cell):
                canvas.drawString(x + 3, y - 3 - size - n * size * 1.25, text)
            x += cell_width
        y -= row_h
    return y - size * 0.75


def render(pages: Sequence[PageSpec], out: Path, size: float = 10.5) -> Path:
    """Write ``pages`` as a PDF, one PDF page per spec, shrinking the font to fit."""
    from reportlab.pdfgen.canvas import Canvas

    font = _font()
    canvas = Canvas(str(out), pagesize=(PAGE_W, PAGE_H), invariant=1)
    width = PAGE_W - 2 * MARGIN_X
    for spec in pages:
        canvas.setFont(font, 8)
        if spec.header:
            canvas.drawCentredString(PAGE_W / 2, HEADER_Y, spec.header)
            canvas.line(MARGIN_X, HEADER_Y - 4, PAGE_W - MARGIN_X, HEADER_Y - 4)
        if spec.label:
            canvas.drawCentredString(PAGE_W / 2, FOOTER_Y, spec.label)
        wrapped = bool(spec.meta.get("wrapped"))
        body = size if wrapped else _fit_size(spec.lines, size)
        leading = body * 1.5
        canvas.setFont(font, body)
        y = PAGE_H - MARGIN_TOP
        if wrapped:  # lines already laid out by flow(): one visual line each
            for line in spec.lines:
                y -= leading
                if line:
                    canvas.drawString(MARGIN_X, y, line)
            canvas.showPage()
            continue
        for kind, block in _table_blocks(spec.lines):
            if kind == "table":
                y = _draw_table(canvas, [r.split("\t") for r in block], y, body)
                continue
            if not block[0].strip():
                y -= leading
                continue
            for piece in wrap(block[0].strip(), width, body):
                y -= leading
                canvas.drawString(MARGIN_X, y, piece)
        canvas.showPage()
    canvas.save()
    return out


def paginate(text: str, title: str, lines_per_page: int = 40, first_label: int = 1) -> list[PageSpec]:
    """Pages of a plain document: ``lines_per_page`` source lines a page, numbered "- N -"."""
    lines = text.split("\n")
    pages: list[PageSpec] = []
    for start in range(0, len(lines), lines_per_page):
        number = first_label + len(pages)
        pages.append(PageSpec(lines[start : start + lines_per_page], f"- {number} -", title))
    return pages


def flow(text: str, title: str, size: float = 10.5, first_label: int = 1) -> list[PageSpec]:
    """Pages of a document set as a typesetter would: paragraphs wrapped and poured into
    pages, so a paragraph breaks across a page where the page is full; "- N -" footers."""
    _font()
    width = PAGE_W - 2 * MARGIN_X
    per_page = int((PAGE_H - MARGIN_TOP - MARGIN_BOTTOM) / (size * 1.5))
    visual: list[str] = []
    for line in text.split("\n"):
        visual.extend(wrap(line.strip(), width, size) if line.strip() else [""])
    pages: list[PageSpec] = []
    for start in range(0, len(visual), per_page):
        label = f"- {first_label + len(pages)} -"
        pages.append(PageSpec(visual[start : start + per_page], label, title, {"wrapped": True}))
    return pages


def book_pages(text: str) -> list[PageSpec]:
    """One page per page of the book text (cut at its page breaks), labelled with the
    printed page the text ingest estimates for the page's first line."""
    from ingest.clean import PdfTextCleaner
    from ingest.segment.toc import parse_toc

    raw = text.split("\n")
    toc = parse_toc(raw)
    anchors = toc.page_anchors(raw) if toc else {}
    page_of_line = {line.line: line.page for line in PdfTextCleaner().clean(text, anchors)}
    pages: list[PageSpec] = []
    headers = ("北京人才蓝皮书", "北京人才发展报告（2023）")
    cuts = [0, *(m for b in PAGE_BREAK.finditer(text) for m in (b.start(), b.end())), len(text)]
    for start, end in zip(cuts[::2], cuts[1::2], strict=True):
        start_line = text.count("\n", 0, start) + 1
        # A chunk whose lines the text ingest puts on several pages (a page break lost in
        # extraction) becomes several PDF pages, one per printed page.
        spec: PageSpec | None = None
        for offset, line in enumerate(text[start:end].split("\n")):
            page = _page_at(page_of_line, start_line + offset) if line.strip() else None
            label = str(page) if page is not None else None
            if spec is None or (line.strip() and label != spec.label and any(x.strip() for x in spec.lines)):
                spec = PageSpec([], label, headers[len(pages) % 2], {"first_line": start_line + offset})
                pages.append(spec)
            spec.lines.append(line.strip(" \u3000"))
    return pages


def _page_at(page_of_line: dict[int, int | None], line: int) -> int | None:
    """The page of ``line``, or of the nearest cleaned line at or after it (rejoined
    lines and dropped watermarks have no entry of their own)."""
    for candidate in range(line, line + 50):
        if candidate in page_of_line:
            return page_of_line[candidate]
    return None


def render_encrypted(text: str, out: Path, password: str = "secret") -> Path:
    """A one-page PDF that needs ``password`` to open."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(out), pagesize=(PAGE_W, PAGE_H), encrypt=StandardEncryption(password, password + "-owner"))
    canvas.setFont(_font(), 10.5)
    canvas.drawString(MARGIN_X, PAGE_H - MARGIN_TOP, text)
    canvas.showPage()
    canvas.save()
    return out


def render_scan(out: Path, pages: int = 2) -> Path:
    """A PDF of page images only, as a scanner makes it: no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(out), pagesize=(PAGE_W, PAGE_H))
    for number in range(pages):
        image = Image.new("L", (420, 594), 255)
        draw = ImageDraw.Draw(image)
        for row in range(40, 560, 14):
            draw.line((40, row, 380, row), fill=60, width=3)  # lines of "text" as pixels
        draw.text((200, 570), str(number + 1), fill=0)
        canvas.drawImage(ImageReader(image), 0, 0, PAGE_W, PAGE_H)
        canvas.showPage()
    canvas.save()
    return out
