"""The ingestion pipeline: file → text → clean lines → documents → enriched passages.

Each step is a small object named by its input and output (see ``ingest/extract``,
``ingest/clean.py``, ``ingest/segment``, ``ingest/enrich``). This module only wires
them together, assigns stable ids, reading order and citations, and turns a bad file
into one :class:`FileFailure` (file + reason) while the other files go on.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingest.analysis import get_analyzer
from ingest.extract import SUPPORTED_SUFFIXES, ExtractionError, extract_text
from ingest.model import Document, Passage, stable_id

log = logging.getLogger(__name__)


@dataclass
class FileFailure:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class ParsedFile:
    source: str  # path relative to the ingest root, '/'-separated
    fingerprint: str  # sha1 of the file bytes
    documents: list[Document]


@dataclass
class IngestReport:
    files: int = 0
    skipped_unchanged: int = 0
    documents: int = 0
    passages: int = 0
    failures: list[FileFailure] = field(default_factory=list)
    removed_sources: list[str] = field(default_factory=list)


def iter_input_files(paths: Iterable[Path]) -> Iterator[tuple[Path, Path]]:
    """(file, root) pairs: each file with the folder its source name is relative to."""
    for path in paths:
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                if file.is_file() and file.suffix.lower() in SUPPORTED_SUFFIXES and not file.name.startswith("."):
                    yield file, path
        else:
            yield path, path.parent


def source_name(file: Path, root: Path) -> str:
    try:
        return file.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return file.name


def fingerprint_of(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def segment_text(text: str, source: str) -> list[Document]:
    """Documents of one text: a report/book by its own headings, else one policy."""
    from ingest.segment.book import segment_book
    from ingest.segment.policy_document import policy_document_from_text

    documents = segment_book(text, source)
    if any(d.kind != "front_matter" for d in documents):
        return documents
    policy = policy_document_from_text(text, source)
    return [policy] if policy is not None else documents


def finalize(documents: list[Document], source: str) -> None:
    """Stable ids, reading order, source locations, dates and citations."""
    by_key: dict[str, Document] = {}
    for doc in documents:
        doc.source = source
        doc.id = stable_id(source, doc.kind, doc.key)
        by_key[doc.key] = doc
    ids = {d.key: d.id for d in documents}
    titles = {d.id: d.title for d in documents}
    for doc in documents:
        if doc.parent_id and doc.parent_id in ids:
            doc.parent_id = ids[doc.parent_id]
        seen: Counter[tuple[str, ...]] = Counter()
        for order, passage in enumerate(doc.passages):
            key = (passage.kind, *passage.path, passage.locator)
            seen[key] += 1
            passage.id = stable_id(doc.id, *key, str(seen[key]))
            passage.doc_id = doc.id
            passage.ord = order
            passage.source = f"{source}:{passage.line}"
            if passage.date is None:
                passage.date = passage.attrs.get("date") or doc.meta.get("date")
            passage.citation = citation(doc, passage, titles.get(doc.parent_id or ""))
        if doc.kind == "policy":
            doc.meta["articles"] = count_articles(doc)


def citation(doc: Document, passage: Passage, parent_title: str | None) -> str:
    """《policy》第四条（一）; 《report》B.1 一（一）1.，第3页; 《report》大事记 3月17日."""
    if doc.kind in ("report_chapter", "timeline") and parent_title:
        text = f"《{parent_title}》"
        if doc.kind == "timeline":
            text += doc.title + " "
    else:
        text = f"《{doc.title}》"
    text = (text + passage.locator).strip()
    if passage.page:
        text += f"，第{passage.page}页"
    return text


def count_articles(doc: Document) -> int | None:
    """Number of 条 of a policy whose full text is known; for texts without 条, the
    numbered items (1. 2. …), else the sections (一、二、…); None without a full text."""
    units: dict[str, set[tuple[object, ...]]] = {"article": set(), "numbered": set(), "section": set()}
    for p in doc.passages:
        unit = p.attrs.get("unit")
        if p.kind == "policy" and unit in units:
            units[unit].add((p.attrs.get("article"), p.attrs.get("article_sub"), p.locator))
    for unit in ("article", "numbered", "section"):
        if units[unit]:
            return len(units[unit])
    return None


class Pipeline:
    """Parse files into enriched documents; the caller loads them into a backend."""

    def __init__(self) -> None:
        from ingest.enrich.metadata import MetadataExtractor

        self.analyzer = get_analyzer()
        self.extractor = MetadataExtractor()

    def parse_file(self, file: Path, root: Path) -> ParsedFile:
        """Raise :class:`ExtractionError` with a one-line reason for a bad file."""
        source = source_name(file, root)
        data = read_bytes(file)
        text = extract_text(file, data)
        documents = segment_text(text, source)
        if not any(d.passages for d in documents):
            raise ExtractionError("no text passages found")
        finalize(documents, source)
        for doc in documents:
            for passage in doc.passages:
                passage.tokens = self.analyzer.words(passage.text)
            self.extractor.enrich(doc)
        return ParsedFile(source=source, fingerprint=fingerprint_of(data), documents=documents)


def read_bytes(file: Path) -> bytes:
    try:
        if file.is_dir():
            raise ExtractionError("is a folder")
        if not os.access(file, os.R_OK):
            raise ExtractionError("permission denied")
        return file.read_bytes()
    except OSError as exc:
        raise ExtractionError(exc.strerror or str(exc)) from exc
