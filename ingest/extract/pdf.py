"""PDF bytes → the paragraphs of each page, with printed page numbers.

The text layer is read with pypdfium2 (PDFium: ~1,000 pages/s here, against ~30 for
pdfplumber), line by line with each line's position. pdfplumber's table finder turns
ruled tables into rows (on pdfium's geometry, see :mod:`ingest.extract.pdf_tables`), and
pdfplumber reads the whole page instead where pdfium's text is suspect: unmapped glyphs
(U+FFFD, private-use or control characters), a text that does not map one to one onto
pdfium's characters, or characters drawn backwards within a line. Then
:mod:`ingest.extract.pdf_layout` orders the lines, removes running headers, footers, page
numbers and watermarks by their repetition and rejoins wrapped lines into paragraphs.

A file that is not a readable PDF raises :class:`ExtractionError` with the reason:
encrypted (password required), truncated, damaged, no pages, or no text layer (a scan:
OCR is not supported); or over a limit: more than ``POLICYKB_MAX_PAGES`` pages or
``POLICYKB_MAX_CHARS`` characters (see :mod:`ingest.limits`).
"""

from __future__ import annotations

import ctypes
import io
import re
from dataclasses import dataclass
from typing import Any

from ingest import limits
from ingest.extract.errors import ExtractionError
from ingest.extract.pdf_layout import PdfLine, PdfPage, RunningLines, TextBlock, order_lines, page_paragraphs
from ingest.extract.pdf_tables import MIN_EDGES, PageGeometry, Table, char, edge, find_tables, outside_tables

PAGE_SEPARATOR = "\n\n\n\n"  # three blank lines: the page-break signal the cleaners read
_SUSPECT_CHARS = re.compile("[\ufffd\ue000-\uf8ff\x00-\x08\x0b\x0c\x0e-\x1f]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
EOF_WINDOW = 4096  # the %%EOF marker must be this close to the end of a complete file


@dataclass
class PdfText:
    """The pages of a PDF, each as paragraphs (one a line, "" for a paragraph gap)."""

    pages: list[PdfPage]
    paragraphs: list[list[str]]

    def text_and_pages(self) -> tuple[str, list[int | None]]:
        """The whole text, pages separated by three blank lines, and the printed page of
        every line (a separator line belongs to the page before it)."""
        lines: list[str] = []
        pages: list[int | None] = []
        for page, paragraphs in zip(self.pages, self.paragraphs, strict=True):
            if not paragraphs:
                continue
            if lines:
                separator = PAGE_SEPARATOR.count("\n")
                lines.extend([""] * (separator - 1))
                pages.extend([pages[-1]] * (separator - 1))
            lines.extend(paragraphs)
            pages.extend([page.label] * len(paragraphs))
        return "\n".join(lines), pages

    @property
    def engines(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for page in self.pages:
            counts[page.engine] = counts.get(page.engine, 0) + 1
        return counts


class PdfToText:
    """Read a PDF's text layer; ``plumber`` = "auto" (suspect pages only), "always" or "never"."""

    def __init__(self, plumber: str = "auto", limit: limits.Limits | None = None) -> None:
        if plumber not in ("auto", "always", "never"):
            raise ValueError(f"plumber must be auto, always or never, not {plumber!r}")
        self.plumber = plumber
        self.limit = limit

    def convert(self, data: bytes) -> PdfText:
        pages = self.read_pages(data)
        if not any(page.lines for page in pages):
            raise ExtractionError("no text layer (OCR not supported)")
        RunningLines(pages).strip()
        block = TextBlock.measure(pages)
        return PdfText(pages, [page_paragraphs(page, block) for page in pages])

    def read_pages(self, data: bytes) -> list[PdfPage]:
        """Every page's lines in reading order (tables as tab-separated rows)."""
        import pypdfium2 as pdfium

        limit = limits.in_force(self.limit)
        if b"%%EOF" not in data[-EOF_WINDOW:]:
            raise ExtractionError("truncated PDF (no %%EOF end marker)")
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise ExtractionError(_open_reason(str(exc))) from None
        try:
            count = len(document)
            if count == 0:
                raise ExtractionError("PDF has no pages")
            if count > limit.max_pages:
                raise limits.exceeded(f"PDF of {count:,} pages, more than {limit.max_pages:,}", "max_pages")
            pages: list[PdfPage] = []
            retry: list[int] = []
            chars = 0
            for index in range(count):
                page, suspect = self._pdfium_page(document, index)
                pages.append(page)
                chars += sum(len(line.text) + 1 for line in page.lines)
                if chars > limit.max_chars:
                    raise limits.too_many_chars(limit.max_chars)
                if (suspect and self.plumber == "auto") or self.plumber == "always":
                    retry.append(index)
            labels = _document_labels(document, count)
        except pdfium.PdfiumError as exc:
            raise ExtractionError(f"damaged PDF ({exc})") from None
        finally:
            document.close()
        if retry:
            for index, page in _plumber_pages(data, retry).items():
                pages[index] = page
        for page, label in zip(pages, labels, strict=True):
            page.label = label
        return pages

    def _pdfium_page(self, document: Any, index: int) -> tuple[PdfPage, bool]:
        """One page read by pdfium, and whether its text is suspect."""
        page = document[index]
        try:
            width, height = page.get_size()
            textpage = page.get_textpage()
            try:
                lines, suspect = _pdfium_lines(textpage, height)
                tables: list[Table] = []
                edges, dropped_text = _page_objects(page, height)
                suspect = suspect or dropped_text
                if len(edges) >= MIN_EDGES and lines:
                    chars = _pdfium_chars(textpage, height)
                    tables = find_tables(PageGeometry(edges, chars, (0.0, 0.0, width, height)))
            finally:
                textpage.close()
        finally:
            page.close()
        size = _median_size(lines)
        lines = outside_tables(lines, tables) + [line for table in tables for line in table.lines(size)]
        return PdfPage(index + 1, width, height, order_lines(lines)), suspect


def _open_reason(message: str) -> str:
    lowered = message.lower()
    if "password" in lowered:
        return "encrypted PDF (password required)"
    if "security" in lowered:
        return "encrypted PDF (unsupported security handler)"
    if "format" in lowered:
        return "damaged PDF (cannot be parsed)"
    return f"damaged PDF ({message})"


def _document_labels(document: Any, count: int) -> list[int | None]:
    """The document's own page labels (/PageLabels) where they are numbers, else None."""
    labels: list[int | None] = []
    for index in range(count):
        try:
            label = document.get_page_label(index)
        except Exception:
            label = ""
        labels.append(int(label) if label.isdigit() else None)
    return labels


def _pdfium_lines(textpage: Any, height: float) -> tuple[list[PdfLine], bool]:
    """Lines of a pdfium text page (pdfium inserts the line breaks), and whether suspect."""
    import pypdfium2.raw as raw

    count = textpage.count_chars()
    if count <= 0:
        return [], False
    # PDFium marks a hyphen it takes for a line-end hyphenation as U+FFFE: keep the hyphen.
    text = textpage.get_text_range().replace("\ufffe", "-")
    suspect = len(text) != count or bool(_SUSPECT_CHARS.search(text.replace("\r\n", "")))
    if len(text) != count:
        return [], True  # character indexes do not map onto the text: no geometry
    x, y = ctypes.c_double(), ctypes.c_double()
    lines: list[PdfLine] = []
    start = 0
    for match in [*_LINE_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            first = start + (len(piece) - len(piece.lstrip()))
            last = start + len(piece.rstrip()) - 1
            left, _, _, _ = textpage.get_charbox(first)
            _, _, right, _ = textpage.get_charbox(last)
            raw.FPDFText_GetCharOrigin(textpage, first, x, y)
            size = raw.FPDFText_GetFontSize(textpage, first) or 10.0
            if right < left and len(stripped) > 1:
                suspect = True  # drawn right to left: the text order is not the reading order
            lines.append(PdfLine(stripped, left, right, height - y.value, size))
        start = match.end() if match else len(text)
    return lines, suspect


def _pdfium_chars(textpage: Any, height: float) -> list[dict[str, Any]]:
    """pdfplumber-style char dicts of a pdfium text page (for the table finder)."""
    text = textpage.get_text_range().replace("\ufffe", "-")
    chars = []
    for index, value in enumerate(text):
        if value.isspace():
            continue
        left, bottom, right, top = textpage.get_charbox(index, loose=True)
        chars.append(char(value, left, height - top, right, height - bottom))
    return chars


def _page_objects(page: Any, height: float) -> tuple[list[dict[str, Any]], bool]:
    """The ruling edges of the page, and whether pdfium's text page dropped text.

    PDFium skips a text object whose box has no width, and a glyph of a font that is not
    embedded has no box: a lone Han character drawn by itself (a table cell's wrapped
    line) would silently vanish. Such a page is read by pdfplumber instead.
    """
    import pypdfium2.raw as raw

    edges: list[dict[str, Any]] = []
    dropped = False
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_TEXT], max_depth=1):
        if obj.type == raw.FPDF_PAGEOBJ_PATH:
            edges.extend(_path_edges(obj, height))
        elif not dropped:
            left, _, right, _ = obj.get_bounds()
            if right - left < 0.01:
                font = raw.FPDFTextObj_GetFont(obj)
                dropped = bool(font) and not raw.FPDFFont_GetIsEmbedded(font)
    return edges, dropped


def _path_edges(obj: Any, height: float) -> list[dict[str, Any]]:
    """Axis-parallel straight segments of a path object (a rectangle gives four)."""
    import pypdfium2.raw as raw

    edges: list[dict[str, Any]] = []
    segments = raw.FPDFPath_CountSegments(obj)
    if segments > 200:
        return edges  # a drawing (chart, seal), not ruling lines
    matrix = obj.get_matrix()
    px, py = ctypes.c_float(), ctypes.c_float()
    start: tuple[float, float] | None = None
    previous: tuple[float, float] | None = None
    for number in range(segments):
        segment = raw.FPDFPath_GetPathSegment(obj, number)
        raw.FPDFPathSegment_GetPoint(segment, px, py)
        point = matrix.on_point(px.value, py.value)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_LINETO and previous is not None:
            edges.extend(_edge_between(previous, point, height))
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = point
        previous = point
        if raw.FPDFPathSegment_GetClose(segment) and start is not None:
            edges.extend(_edge_between(point, start, height))
            previous = start
    return edges


def _edge_between(a: tuple[float, float], b: tuple[float, float], height: float) -> list[dict[str, Any]]:
    found = edge(a[0], height - a[1], b[0], height - b[1])
    return [found] if found else []


def _median_size(lines: list[PdfLine]) -> float:
    sizes = sorted(line.size for line in lines)
    return sizes[len(sizes) // 2] if sizes else 10.0


def _plumber_line(item: dict[str, Any]) -> PdfLine:
    return PdfLine(item["text"], item["x0"], item["x1"], item["bottom"], max(item["bottom"] - item["top"], 1.0))


def _plumber_pages(data: bytes, indexes: list[int]) -> dict[int, PdfPage]:
    """The given pages read by pdfplumber (text lines and tables)."""
    import pdfplumber

    found: dict[int, PdfPage] = {}
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for index in indexes:
                page = pdf.pages[index].dedupe_chars()
                tables = find_tables(page)
                lines = [_plumber_line(item) for item in page.extract_text_lines(return_chars=False)]
                size = _median_size(lines)
                lines = outside_tables(lines, tables) + [line for table in tables for line in table.lines(size)]
                width, height = float(page.width), float(page.height)
                found[index] = PdfPage(index + 1, width, height, order_lines(lines), engine="pdfplumber")
                pdf.pages[index].close()
    except ExtractionError:
        raise
    except Exception as exc:
        raise ExtractionError(f"damaged PDF (pdfplumber: {type(exc).__name__})") from None
    return found
