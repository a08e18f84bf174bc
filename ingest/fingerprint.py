"""What an unchanged file is recognised by: its bytes and the pipeline that read them; and
what two copies of one policy text share, whatever their files.

Re-ingesting skips a file whose fingerprint the index already holds. The bytes alone are
not enough: new vocabularies, cue lists or rules change what the same bytes become
(conditions, clause types, agencies), so the fingerprint also covers the code and data
files of the packages that turn a file into passages.

A collection holds the same text more than once (the archive holds 13 texts twice: one
file dated by its adoption, one by its entry into force, one with its 文号 and one without,
or titled two ways). Their units (条, numbered items or sections) are the same words, so
:func:`text_key` gives both the same key: the search shows them as one document with a
copy, and a copy dated later is not read as a later version.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from analysis.text import compact
from ingest.model import Document

# The passages whose words make a policy's text: the units count_articles counts.
_TEXT_UNITS = ("article", "numbered", "section")


def fingerprint_of(data: bytes) -> str:
    """What an unchanged file is recognised by: its bytes and the pipeline that read them
    (:func:`pipeline_signature`), so that after an upgrade every file is read again."""
    return hashlib.sha1(pipeline_signature() + data).hexdigest()


# The packages whose code and data files decide a file's passages and their fields.
_PIPELINE_PACKAGES = ("analysis", "knowledge", "ingest")


@functools.cache
def pipeline_signature() -> bytes:
    """A digest of the code and data files of the packages that turn a file into passages:
    a new vocabulary, cue list or rule changes every fingerprint, so a re-run of ``ingest``
    re-reads files whose bytes did not change instead of keeping conditions, clause types
    or agencies read by the old rules."""
    digest = hashlib.sha1()
    for name, path in pipeline_files():
        digest.update(name.encode("utf-8") + b"\0" + path.read_bytes())
    return digest.digest()


def pipeline_files() -> list[tuple[str, Path]]:
    """The code and data files :func:`pipeline_signature` reads, by repository path."""
    root = Path(__file__).resolve().parent.parent
    found = [path for package in _PIPELINE_PACKAGES for path in (root / package).rglob("*")]
    return sorted(
        (path.relative_to(root).as_posix(), path)
        for path in found
        if path.is_file() and path.suffix in (".py", ".json", ".txt", ".tsv")
    )


def text_key(doc: Document) -> str | None:
    """What copies of one policy text share: a digest of its units' words in reading order
    (white space and full-width forms aside), or None for a text without units (a
    catalogue line, a report chapter): their copies cannot be told from near-namesakes."""
    units = [p.text for p in doc.passages if p.kind == "policy" and p.attrs.get("unit") in _TEXT_UNITS]
    if not units:
        return None
    return hashlib.blake2b("\n".join(map(compact, units)).encode("utf-8"), digest_size=8).hexdigest()
