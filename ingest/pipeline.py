"""The ingestion pipeline: file → text → clean lines → documents → enriched passages.

Each step is a small object named by its input and output (see ``ingest/extract``,
``ingest/clean.py``, ``ingest/segment``, ``ingest/enrich``). This module only wires
them together (stable ids, reading order and citations: :mod:`ingest.citations`) and
turns a bad file into one :class:`FileFailure` (file + reason) while the other files go on.
"""

from __future__ import annotations

import bisect
import errno
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from analysis.text import Token
from analysis.words import Analyzer, get_analyzer
from ingest.citations import finalize
from ingest.enrich.regions import apply_regions
from ingest.extract import SUPPORTED_SUFFIXES, ExtractionError, extract
from ingest.fingerprint import fingerprint_of
from ingest.limits import read_file, unreadable
from ingest.model import Document, Passage

log = logging.getLogger(__name__)


@dataclass
class FileFailure:
    path: str
    reason: str

    def __str__(self) -> str:
        """``path: reason`` as it may reach a terminal: see :func:`printable`."""
        return printable(f"{self.path}: {self.reason}")


# Characters a terminal acts on instead of showing: C0 and C1 controls (a newline would
# forge a line, ESC starts an ANSI sequence), line and paragraph separators and bidi
# controls (which reorder what follows), and the lone surrogates that stand for the
# undecodable bytes of a file name.
_ESCAPES: dict[int, str] = {
    **{c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))},
    **{ord(c): name for c, name in (("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"))},
    **{c: f"\\u{c:04x}" for c in (0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A))},
    **{c: f"\\x{c - 0xDC00:02x}" for c in range(0xDC80, 0xDD00)},
}


def printable(text: str) -> str:
    """``text`` safe to print on one terminal line: control characters, separators, bidi
    controls and the undecodable bytes of a file name shown escaped (``\\n``, ``\\x1b``,
    ``\\u202e``, ``\\xff``), everything else (Chinese included) as it is."""
    return text.translate(_ESCAPES)


# A passage longer than this is cut at sentence ends: a 5 MB line is no passage anyone
# can read, and jieba's cost per passage must stay bounded.
MAX_PASSAGE_CHARS = 20_000
_SENTENCE_END = re.compile(r"[。！？；!?;]")


# A book has B.N chapter lines or 附录 headings (see ingest.segment.regions); a text with
# neither is one policy, and the book attempt (a whole cleaning pass) is skipped.
_MAY_BE_BOOK = re.compile(r"B\s?\.\s?\d|附录")


@dataclass
class ParsedFile:
    source: str  # path relative to the ingest root, '/'-separated
    fingerprint: str  # sha1 of the file bytes
    documents: list[Document]
    kind: str = "text"  # the format read: text | markdown | pdf | docx | html
    warnings: list[str] = field(default_factory=list)

    @property
    def passages(self) -> int:
        return sum(len(d.passages) for d in self.documents)

    @property
    def chars(self) -> int:
        return sum(len(p.text) for d in self.documents for p in d.passages)


@dataclass
class IngestReport:
    files: int = 0  # files found, each once (paths that name nothing are failures, not files)
    skipped_unchanged: int = 0
    documents: int = 0
    passages: int = 0
    failures: list[FileFailure] = field(default_factory=list)
    warnings: list[FileFailure] = field(default_factory=list)  # indexed anyway, e.g. an overlong line cut
    removed_sources: list[str] = field(default_factory=list)

    @property
    def attempted(self) -> int:
        """Files parsed (or tried): those found that were not skipped as unchanged."""
        return self.files - self.skipped_unchanged

    @property
    def did_nothing(self) -> bool:
        """Nothing was parsed, written or removed."""
        return self.attempted == 0 and not self.removed_sources


def iter_input_files(paths: Iterable[Path], failures: list[FileFailure] | None = None) -> Iterator[tuple[Path, Path]]:
    """(file, root) pairs: each file with the folder its source name is relative to.

    Folders are walked in name order for files with a supported suffix (hidden ones
    skipped). A path that does not exist, a broken link, a symlink loop (named on the
    command line or found in a folder) and a folder that cannot be listed are added to
    ``failures`` when given, one line each, and skipped.
    """
    for path in paths:
        if path.is_dir():
            yield from ((file, path) for file in _walk(path, failures))
            continue
        problem = _missing(path)
        if problem is None:
            yield path, path.parent
        elif failures is not None:
            failures.append(FileFailure(str(path), problem))


def _walk(folder: Path, failures: list[FileFailure] | None) -> list[Path]:
    found: list[Path] = []
    for parent, dirs, names in os.walk(folder, onerror=_folder_error(folder, failures)):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            file = Path(parent) / name
            if name.startswith(".") or file.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            if file.is_file():
                found.append(file)
                continue
            problem = _missing(file)
            if problem is not None and failures is not None:
                failures.append(FileFailure(str(file), problem))
    return sorted(found)


def _missing(path: Path) -> str | None:
    """Why ``path`` names nothing to read ("no such file or folder", "broken link (target
    missing)", "symlink loop"), or None when it names something (what it is, and whether
    it can be read, is the parse's to report)."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR) and not path.is_symlink():
            return "no such file or folder"
        return unreadable(path, exc)
    return None


def _folder_error(root: Path, failures: list[FileFailure] | None) -> Callable[[OSError], None]:
    def report(error: OSError) -> None:
        if failures is not None:
            failures.append(FileFailure(str(error.filename or root), f"cannot list folder: {error.strerror}"))

    return report


def source_name(file: Path, root: Path) -> str:
    try:
        return file.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return file.name


def segment_text(text: str, source: str) -> list[Document]:
    """Documents of one text: a report/book by its own headings, else one policy."""
    from ingest.segment.book import segment_book
    from ingest.segment.policy_document import policy_document_from_text

    documents = segment_book(text, source) if _MAY_BE_BOOK.search(text) else []
    if any(d.kind != "front_matter" for d in documents):
        return documents
    policy = policy_document_from_text(text, source)
    return [policy] if policy is not None else documents


def apply_pages(documents: list[Document], pages: list[int | None]) -> None:
    """Give every passage the printed page of its first source line (formats with pages):
    the file's own, no estimate from the text's breaks (``attrs["page_estimated"]``) holds."""
    for doc in documents:
        for passage in doc.passages:
            passage.attrs.pop("page_estimated", None)
            if 0 < passage.line <= len(pages):
                passage.page = pages[passage.line - 1]


def split_long_passages(documents: list[Document], limit: int = MAX_PASSAGE_CHARS) -> None:
    """Cut passages longer than ``limit`` into consecutive parts at sentence ends (same
    path, locator and line; ``attrs["part"]`` numbers them)."""
    for doc in documents:
        if all(len(p.text) <= limit for p in doc.passages):
            continue
        out: list[Passage] = []
        for passage in doc.passages:
            if len(passage.text) <= limit:
                out.append(passage)
                continue
            for number, piece in enumerate(_pieces(passage.text, limit), start=1):
                part = Passage(
                    passage.kind,
                    piece,
                    list(passage.path),
                    passage.locator,
                    passage.line,
                    passage.page,
                    list(passage.notes),
                    {**passage.attrs, "part": number},
                )
                out.append(part)
        doc.passages = out


def _pieces(text: str, limit: int) -> list[str]:
    pieces: list[str] = []
    start = 0
    while len(text) - start > limit:
        ends = [m.end() for m in _SENTENCE_END.finditer(text, start + limit // 2, start + limit)]
        cut = ends[-1] if ends else start + limit
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def tokenize_document(doc: Document, analyzer: Analyzer) -> None:
    """Every passage's tokens, segmenting each text once: an item (项) is a line of the
    article before it, so its tokens are the article's tokens over that line."""
    article: Passage | None = None
    starts: list[int] | None = None  # the article's token starts, for all its items
    for passage in doc.passages:
        if passage.tokens is not None:
            continue
        unit = passage.attrs.get("unit")
        if unit == "item" and article is not None and article.tokens is not None:
            if starts is None:
                starts = [t.start for t in article.tokens]
            passage.tokens = _sub_tokens(article.text, article.tokens, passage.text, starts)
        if passage.tokens is None:
            passage.tokens = analyzer.words(passage.text)
        if unit == "article":
            article, starts = passage, None


def _sub_tokens(outer: str, tokens: list[Token], inner: str, starts: list[int] | None = None) -> list[Token] | None:
    """The tokens of ``outer`` inside its substring ``inner``, shifted to ``inner``'s
    offsets; None when ``inner`` is not there or a token crosses its edges. ``starts``:
    the tokens' starts, when known."""
    offset = outer.find(inner)
    if offset < 0:
        return None
    end = offset + len(inner)
    if starts is None:
        starts = [t.start for t in tokens]
    first = bisect.bisect_left(starts, offset)
    last = bisect.bisect_left(starts, end)
    if first > 0 and tokens[first - 1].end > offset:
        return None
    if last > first and tokens[last - 1].end > end:
        return None
    return [Token(t.text, t.start - offset, t.end - offset) for t in tokens[first:last]]


def segment_file(file: Path, data: bytes, source: str) -> ParsedFile:
    """Documents of a file, with ids, pages and citations but no tokens or metadata.

    Raises :class:`ExtractionError` with a one-line reason for a bad file.
    """
    extracted = extract(file, data)
    documents = segment_text(extracted.text, source)
    if not any(d.passages for d in documents):
        raise ExtractionError("no text passages found")
    if extracted.pages is not None:
        apply_pages(documents, extracted.pages)
    split_long_passages(documents)
    finalize(documents, source)
    return ParsedFile(source, fingerprint_of(data), documents, extracted.kind, extracted.warnings)


class Pipeline:
    """Parse files into enriched documents; the caller loads them into a backend.

    Two stages, so that a caller may run the second in other processes:
    :meth:`segment` (bytes → text → documents with ids, pages and citations) and
    :meth:`analyse` (tokens once per text, then metadata).
    """

    def __init__(self) -> None:
        from ingest.enrich.metadata import MetadataExtractor

        self.analyzer = get_analyzer()
        self.extractor = MetadataExtractor()

    def prepare(self) -> None:
        """Load everything analysis needs (spaCy, alias patterns), e.g. before forking workers."""
        self.extractor.prepare()

    def parse_file(self, file: Path, root: Path) -> ParsedFile:
        """Raise :class:`ExtractionError` with a one-line reason for a bad file."""
        return self.parse_bytes(file, read_bytes(file), source_name(file, root))

    def parse_bytes(self, file: Path, data: bytes, source: str) -> ParsedFile:
        parsed = self.segment(file, data, source)
        self.analyse(parsed.documents)
        return parsed

    def segment(self, file: Path, data: bytes, source: str) -> ParsedFile:
        return segment_file(file, data, source)

    def analyse(self, documents: list[Document]) -> None:
        for doc in documents:
            tokenize_document(doc, self.analyzer)
            self.extractor.enrich(doc)
        apply_regions(documents)  # a chapter's is its book's


def read_bytes(file: Path) -> bytes:
    """The bytes of an input file, its size checked against ``POLICYKB_MAX_FILE_BYTES``
    before it is read (:func:`ingest.limits.read_file`); ExtractionError with a one-line
    reason for a file that cannot be read."""
    if not os.access(file, os.R_OK) and os.path.exists(file):
        raise ExtractionError("permission denied")
    return read_file(file)
