"""Segment a whole book extracted from a PDF: clean it, cut it into regions by its own
headings (目录, B.N chapters, 附录 timeline / catalogue, English abstracts) and hand each
region to its segmenter.

A text without these regions (a single policy) yields ``[]``; the pipeline then splits it
as one policy.
"""

from __future__ import annotations

from ingest.clean import PdfTextCleaner
from ingest.model import Document
from ingest.segment.appendix import segment_appendix
from ingest.segment.regions import split_regions
from ingest.segment.report import REPORT_KEY, ReportSegmenter
from ingest.segment.report_front import front_matter_passages
from ingest.segment.toc import parse_toc


def segment_book(text: str, source: str) -> list[Document]:
    """Documents of a book: the report, its chapters, its timeline and its policies."""
    raw_lines = text.split("\n")
    toc = parse_toc(raw_lines)
    anchors = toc.page_anchors(raw_lines) if toc else {}
    cleaner = PdfTextCleaner()
    lines = cleaner.clean(text, anchors)
    regions = split_regions(lines, toc)
    structured = [r for r in regions if r.kind in ("chapter", "appendix")]
    if not structured:
        return []
    documents = ReportSegmenter(toc).segment_regions(regions, source)
    report = next(d for d in documents if d.key == REPORT_KEY)
    for region in regions:
        if region.kind != "appendix":
            continue
        found = segment_appendix(region.lines, source)
        for doc in found:
            doc.parent_id = REPORT_KEY
        if not found:  # an appendix of another kind: keep its text with the report
            report.passages.extend(front_matter_passages(region.lines, [report.title, region.label]))
        documents.extend(found)
    for doc in documents:  # cited 约第N页 (ingest.citations), shown 原书约第N页
        for passage in doc.passages:
            if passage.page and any(start <= passage.line < end for start, end in cleaner.estimated_pages):
                passage.attrs["page_estimated"] = True
    return documents
