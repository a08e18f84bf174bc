"""Engine-independent snippets: the best window of a passage with query terms marked.

Both engines return the same highlight for the same passage and query, and the
output is always HTML-escaped text with only our own ``<mark>`` tags in it.
"""

from __future__ import annotations

import html

from analysis.text import normalize

WINDOW = 160
LEAD = 30


def _spans(norm: str, terms: list[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for term in terms:
        if not term:
            continue
        start = norm.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = norm.find(term, start + len(term))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _best_window(spans: list[tuple[int, int]], length: int) -> tuple[int, int]:
    if length <= WINDOW or not spans:
        return 0, min(length, WINDOW)
    best_start, best_cover = 0, -1
    for s, _ in spans:
        start = max(0, min(s - LEAD, length - WINDOW))
        cover = sum(min(e, start + WINDOW) - max(b, start) for b, e in spans if b < start + WINDOW and e > start)
        if cover > best_cover:
            best_start, best_cover = start, cover
    return best_start, best_start + WINDOW


def highlight(text: str, terms: list[str], fallback_terms: list[str] | None = None) -> str:
    """HTML snippet of ``text`` around the densest cluster of ``terms``."""
    norm = normalize(text)
    # Single characters mark too much noise when longer terms exist.
    long_terms = [t for t in terms if len(t) > 1] or terms
    spans = _spans(norm, long_terms)
    if not spans and fallback_terms:
        spans = _spans(norm, fallback_terms)
    start, end = _best_window(spans, len(text))
    out: list[str] = ["…" if start > 0 else ""]
    pos = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(html.escape(text[pos:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        pos = e
    out.append(html.escape(text[pos:end]))
    if end < len(text):
        out.append("…")
    return "".join(out)
