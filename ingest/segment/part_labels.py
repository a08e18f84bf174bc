"""Chinese names for the parts of a book that it marks only in English or not at all.

The English matter at the end of a 皮书 opens with ``Abstract`` and ``Contents`` lines, and
the publisher's pages after it have no heading; their passages still need a heading path
that a Chinese reader can read. The names are a vocabulary, kept in
``knowledge/data/book_parts.json`` and validated here when first read.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from knowledge.tables import DATA_DIR, DataFileError, _read_json

PART_ROLES = ("english_abstract", "english_contents", "back_matter")
BOOK_PARTS = DATA_DIR / "book_parts.json"


def load_part_labels(path: Path = BOOK_PARTS) -> dict[str, str]:
    """Role → Chinese label; every role of ``PART_ROLES`` is required, nothing else allowed."""
    root = _read_json(path)
    labels = root.get("labels") if isinstance(root, dict) else None
    if not isinstance(labels, dict):
        raise DataFileError(path, "needs an object 'labels'")
    unknown = sorted(set(labels) - set(PART_ROLES))
    missing = [role for role in PART_ROLES if role not in labels]
    if unknown or missing:
        raise DataFileError(path, f"'labels' must hold exactly {PART_ROLES}: missing {missing}, unknown {unknown}")
    for role, label in labels.items():
        if not isinstance(label, str) or not label.strip():
            raise DataFileError(path, f"label of {role!r} must be a non-empty string")
    return {role: labels[role].strip() for role in PART_ROLES}


@lru_cache(maxsize=1)
def _labels() -> dict[str, str]:
    return load_part_labels()


def part_label(role: str) -> str:
    """The Chinese label of ``role`` (one of ``PART_ROLES``)."""
    return _labels()[role]
