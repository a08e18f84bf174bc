"""File bytes → text. One small extractor per format, chosen by content and suffix."""

from __future__ import annotations

from pathlib import Path

from ingest.extract.text import TextFileToText


class ExtractionError(Exception):
    """A file cannot be turned into text; the message is the one-line reason."""


SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".markdown"})


def extract_text(path: Path, data: bytes) -> str:
    """Text of a file; raises :class:`ExtractionError` naming the reason."""
    if not data:
        raise ExtractionError("empty file (0 bytes)")
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md", ".markdown"):
        text = TextFileToText().convert(data)
    else:
        raise ExtractionError(f"unsupported file type {suffix or '(none)'}")
    if not text.strip():
        raise ExtractionError("empty file (no text)")
    return text
