"""File bytes → text. One small extractor per format, chosen by the bytes, then the suffix.

Every extractor returns the lines the segmenters read: one paragraph a line, a blank line
between paragraphs where the source shows one, table rows as tab-separated cells, and (PDF)
a run of three blank lines at each page break. A format with pages also returns the page
of every line, so passages can be cited by page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest import limits
from ingest.extract.errors import ExtractionError

__all__ = ["SUPPORTED_SUFFIXES", "Extracted", "ExtractionError", "extract", "sniff"]

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".pdf", ".docx", ".html", ".htm"})
# Longer lines are cut: jieba and the segmenters are linear only on bounded pieces, and
# no real paragraph is this long (the longest in 3,423 regulations has ~6,000 characters).
MAX_LINE_CHARS = 10_000
_SENTENCE_END = re.compile(r"[。！？；!?;]")
# Two blank lines between the pieces of a cut line: the cleaner does not rejoin them
# (it rejoins an unterminated long line over at most one blank line) and it is no page break.
_CUT_JOIN = "\n\n\n"


@dataclass
class Extracted:
    """The text of a file; ``pages[i]`` is the printed page of line ``i + 1`` when known."""

    text: str
    kind: str  # text | markdown | pdf | docx | html
    pages: list[int | None] | None = None
    warnings: list[str] = field(default_factory=list)  # what was done to read the file anyway


def sniff(path: Path, data: bytes) -> str:
    """The format of a file: by its magic bytes, then by its suffix."""
    head = data[:1024]
    suffix = path.suffix.lower()
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in data[:65536] or suffix == ".docx":
            return "docx"
        raise ExtractionError("unsupported archive (zip), not a .docx")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise ExtractionError("encrypted .docx (password required)")
        raise ExtractionError("legacy Word/OLE file (.doc) not supported: save it as .docx")
    if suffix == ".pdf":
        raise ExtractionError("not a PDF (no %PDF- header)")
    if suffix == ".docx":
        raise ExtractionError("not a .docx (not a zip archive)")
    if suffix in (".html", ".htm") or _looks_like_html(head):
        return "html"
    if suffix in (".md", ".markdown"):
        return "markdown"
    return "text"


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html", b"<head", b"<meta"))


def extract(path: Path, data: bytes, limit: limits.Limits | None = None) -> Extracted:
    """The text of a file; raises :class:`ExtractionError` naming the reason.

    The file is held to ``limit`` (default: :func:`ingest.limits.current`): its size, the
    size it unzips to, its nesting, pages and characters (see :mod:`ingest.limits`). A
    parser that fails in an unforeseen way (RecursionError, MemoryError, a library's
    own exception) fails this file only, with an ExtractionError naming the exception.
    """
    limit = limits.in_force(limit)
    if not data:
        raise ExtractionError("empty file (0 bytes)")
    if len(data) > limit.max_file_bytes:
        raise limits.too_big(len(data), limit.max_file_bytes)
    kind = sniff(path, data)
    try:
        text, pages, warnings = _convert(kind, data, limit)
    except ExtractionError:
        raise
    except RecursionError:
        raise ExtractionError(f"cannot read {kind}: nested too deeply (RecursionError)") from None
    except MemoryError:
        raise ExtractionError(f"cannot read {kind}: out of memory (MemoryError)") from None
    except Exception as exc:
        message = " ".join(str(exc).split())[:200]
        raise ExtractionError(f"cannot read {kind} ({type(exc).__name__}: {message})") from None
    if not text.strip():
        raise ExtractionError("empty file (no text)")
    if len(text) > limit.max_chars:
        raise limits.too_many_chars(limit.max_chars)
    longest = max(len(line) for line in text.split("\n"))
    text, pages = cap_lines(text, pages)
    if longest > MAX_LINE_CHARS:
        warnings.append(f"a line of {longest:,} characters was cut into pieces")
    return Extracted(text, kind, pages, warnings)


def _convert(kind: str, data: bytes, limit: limits.Limits) -> tuple[str, list[int | None] | None, list[str]]:
    """The text of ``data`` read as ``kind``, its pages (PDF) and what was done to read it."""
    if kind == "pdf":
        from ingest.extract.pdf import PdfToText

        text, pages = PdfToText(limit=limit).convert(data).text_and_pages()
        return text, pages, []
    if kind == "docx":
        from ingest.extract.docx import DocxToText

        docx = DocxToText(limit=limit)
        return docx.convert(data), None, docx.warnings
    if kind == "html":
        from ingest.extract.html import HtmlToText

        html = HtmlToText(limit=limit)
        return html.convert(data), None, html.warnings
    if kind == "markdown":
        from ingest.extract.text import MarkdownToText

        return MarkdownToText(limit=limit).convert(data), None, []
    from ingest.extract.text import TextFileToText

    return TextFileToText(limit=limit).convert(data), None, []


def cap_lines(text: str, pages: list[int | None] | None) -> tuple[str, list[int | None] | None]:
    """Cut lines longer than :data:`MAX_LINE_CHARS`, at a sentence end when there is one."""
    lines = text.split("\n")
    if all(len(line) <= MAX_LINE_CHARS for line in lines):
        return text, pages
    out: list[str] = []
    out_pages: list[int | None] = []
    for index, line in enumerate(lines):
        page = pages[index] if pages is not None and index < len(pages) else None
        pieces = _cut(line) if len(line) > MAX_LINE_CHARS else [line]
        joined = _CUT_JOIN.join(pieces).split("\n")
        out.extend(joined)
        out_pages.extend([page] * len(joined))
    return "\n".join(out), (out_pages if pages is not None else None)


def _cut(line: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    while len(line) - start > MAX_LINE_CHARS:
        window = line[start : start + MAX_LINE_CHARS]
        ends = [m.end() for m in _SENTENCE_END.finditer(window, MAX_LINE_CHARS // 2)]
        cut = start + (ends[-1] if ends else MAX_LINE_CHARS)
        pieces.append(line[start:cut])
        start = cut
    pieces.append(line[start:])
    return pieces
