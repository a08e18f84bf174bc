"""The one error every extractor raises for a file it cannot turn into text."""

from __future__ import annotations


class ExtractionError(Exception):
    """A file cannot be turned into text; the message is the one-line reason."""
