"""PDF text extraction speed and fidelity on the book rendered to PDF (one PDF page per
book page, running headers, page numbers, ruled tables): pages/s of the default reader
(pypdfium2 text + pdfplumber tables on pdfium's geometry + pdfplumber for suspect pages),
of pypdfium2 alone, and of pdfplumber alone (on the first pages: it is slow), and the
share of the book's characters extracted right. Median of runs.

    python bench/pdf_extract.py [--runs 5] [--plumber-pages 60]
"""

from __future__ import annotations

import argparse
import difflib
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, write_result

sys.path.insert(0, str(REPO))
from ingest.extract.pdf import PdfToText
from tests.ingest.pdf_render import book_pages, render

_SPACE = re.compile(r"\s+")


def fidelity(expected_pages: list[list[str]], got_pages: list[list[str]]) -> float:
    """Share of the source's non-space characters extracted, in order, page by page
    (characters that are not in the source count against it)."""
    total = right = 0
    for expected, got in zip(expected_pages, got_pages, strict=True):
        a, b = _SPACE.sub("", "".join(expected)), _SPACE.sub("", "".join(got))
        matched = sum(m.size for m in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
        total += len(a)
        right += matched - (len(b) - matched)
    return right / total


def timed(mode: str, data: bytes, runs: int) -> tuple[float, object]:
    times = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = PdfToText(mode).convert(data)
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--plumber-pages", type=int, default=60)
    args = parser.parse_args()
    text = next((REPO / "corpus").glob("*.txt")).read_text(encoding="utf-8")
    specs = book_pages(text)
    with tempfile.TemporaryDirectory() as tmp:
        data = render(specs, Path(tmp) / "book.pdf").read_bytes()
        few = render(specs[: args.plumber_pages], Path(tmp) / "few.pdf").read_bytes()
    pages = len(specs)
    auto_s, auto = timed("auto", data, args.runs)
    fast_s, fast = timed("never", data, args.runs)
    plumber_s, plumber = timed("always", few, max(1, args.runs // 2))
    expected = [spec.lines for spec in specs]
    result = {
        "pages": pages,
        "runs": args.runs,
        "default": {
            "seconds": round(auto_s, 3),
            "pages_per_s": round(pages / auto_s, 1),
            "engines": auto.engines,  # type: ignore[attr-defined]
            "fidelity_pct": round(100 * fidelity(expected, auto.paragraphs), 3),  # type: ignore[attr-defined]
        },
        "pypdfium2_only": {
            "seconds": round(fast_s, 3),
            "pages_per_s": round(pages / fast_s, 1),
            "fidelity_pct": round(100 * fidelity(expected, fast.paragraphs), 3),  # type: ignore[attr-defined]
        },
        "pdfplumber_only": {
            "pages": len(specs[: args.plumber_pages]),
            "pages_per_s": round(len(specs[: args.plumber_pages]) / plumber_s, 1),
            "fidelity_pct": round(
                100 * fidelity(expected[: args.plumber_pages], plumber.paragraphs),
                3,  # type: ignore[attr-defined]
            ),
        },
    }
    path = write_result("pdf_extract", result)
    d = result["default"]
    print(
        f"{pages} pages: default {d['pages_per_s']} pages/s, fidelity {d['fidelity_pct']}% {d['engines']}; "
        f"pypdfium2 only {result['pypdfium2_only']['pages_per_s']} pages/s; "
        f"pdfplumber only {result['pdfplumber_only']['pages_per_s']} pages/s -> {path}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
