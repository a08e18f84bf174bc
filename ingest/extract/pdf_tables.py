"""Tables of a PDF page as rows, by pdfplumber's table finder.

pdfplumber finds tables from the page's ruling lines (edges → intersections → cells →
tables) and fills the cells with the characters inside them. Reading a page with
pdfplumber itself costs ~50 ms (pdfminer interprets every character), so for pages read by
pypdfium2 the same finder runs on pdfium's geometry: the path segments of the page as
edges and pdfium's characters as pdfplumber-style char dicts (:class:`PageGeometry`).
Pages read by pdfplumber pass the pdfplumber page itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ingest.extract.pdf_layout import PdfLine
from ingest.sentence_joins import join_text

MIN_EDGES = 4  # fewer ruling lines cannot make a table of two cells


@dataclass
class Table:
    """A table's box (top-down coordinates) and its rows of cell texts."""

    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom
    rows: list[tuple[float, list[str]]]  # (row top, cells)

    def contains(self, x: float, y: float) -> bool:
        x0, top, x1, bottom = self.bbox
        return x0 <= x <= x1 and top <= y <= bottom

    def lines(self, size: float) -> list[PdfLine]:
        """One tab-separated line per row, its empty cells kept: the cleaner keeps the
        empty last cells of a row whose only text is in its first cell, as in a text file."""
        out: list[PdfLine] = []
        for top, cells in self.rows:
            text = "\t".join(cells)
            if text.strip():
                out.append(PdfLine(text, self.bbox[0], self.bbox[2], top + size, size, table=True))
        return out


@dataclass
class PageGeometry:
    """What pdfplumber's TableFinder and Table.extract read of a page."""

    edges: list[dict[str, Any]]
    chars: list[dict[str, Any]]
    bbox: tuple[float, float, float, float]


def edge(x0: float, top: float, x1: float, bottom: float) -> dict[str, Any] | None:
    """A pdfplumber edge dict for an axis-parallel segment, else None."""
    width, height = abs(x1 - x0), abs(bottom - top)
    x0, x1 = min(x0, x1), max(x0, x1)
    top, bottom = min(top, bottom), max(top, bottom)
    if height <= 1.0 and width >= 1.0:
        orientation = "h"
    elif width <= 1.0 and height >= 1.0:
        orientation = "v"
    else:
        return None
    return {
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": width,
        "height": height,
        "orientation": orientation,
        "object_type": "line",
    }


def char(text: str, x0: float, top: float, x1: float, bottom: float) -> dict[str, Any]:
    return {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top, "upright": True}


def find_tables(page: Any) -> list[Table]:
    """Tables of a pdfplumber page or of a :class:`PageGeometry` (cells: text joined over
    its wrapped lines, "" for an empty or merged cell)."""
    from pdfplumber.table import TableFinder

    if len(page.edges) < MIN_EDGES:
        return []
    tables: list[Table] = []
    for found in TableFinder(page, {}).tables:
        rows = found.extract()
        tops = [row.bbox[1] for row in found.rows]
        cells = [[_cell_text(cell) for cell in row] for row in rows]
        if len(cells) < 2 or max(len(row) for row in cells) < 2:
            continue  # a box around a paragraph, not a table
        x0, top, x1, bottom = (float(v) for v in found.bbox)
        rows_at = [(float(row_top), row) for row_top, row in zip(tops, cells, strict=True)]
        tables.append(Table((x0, top, x1, bottom), rows_at))
    return tables


def _cell_text(cell: str | None) -> str:
    if not cell:
        return ""
    pieces = [piece.strip() for piece in cell.split("\n") if piece.strip()]
    text = ""
    for piece in pieces:
        text = join_text(text, piece) if text else piece
    return text.replace("\t", " ")


def outside_tables(lines: list[PdfLine], tables: list[Table]) -> list[PdfLine]:
    """Lines whose middle lies in no table (a table's text comes from its rows)."""
    if not tables:
        return lines
    kept = []
    for line in lines:
        x = (line.x0 + line.x1) / 2
        y = line.baseline - line.size / 3
        if not any(table.contains(x, y) for table in tables):
            kept.append(line)
    return kept
