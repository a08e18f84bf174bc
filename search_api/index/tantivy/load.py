"""Loading the embedded engine: compact records built anywhere, written here.

Building a passage's record is mostly pure Python (the index terms with their
sub-words, the normalised text, the English terms, the JSON payload); only the final
``tantivy.Document`` must be made in the process that owns the index writer. So the
work is split in two:

* :func:`prepare` (pure, runs in the ingest workers): each passage becomes a
  :class:`PassageRow` of strings, bytes and numbers, which pickle as a few flat values
  (pickling ``tantivy.Document``s or millions of small token tuples costs more than
  building them);
* :class:`TantivyLoader` (the writing process): rows → ``tantivy.Document`` with the
  fewest Python calls (``map`` over the packed term arrays), one commit per batch.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from array import array
from collections.abc import Sequence
from dataclasses import fields
from itertools import repeat
from operator import attrgetter
from pathlib import Path
from typing import Any, NamedTuple

import tantivy

from analysis.english import english_terms_of_normalized
from analysis.text import HAN, Token, normalize
from analysis.words import Analyzer, get_analyzer
from ingest.model import Document, Passage
from knowledge.questions import answer_phrases_in
from search_api.index.engine import Prepared
from search_api.index.tantivy import writer as writer_faults
from search_api.index.tantivy.query import iso_to_datetime

ENGINE = "tantivy"
_SEP = "\x00"  # never inside a term: terms are words of the text, NUL is not text
_DOC_ID = re.compile(r"[0-9a-f]{16}")  # ingest.model.stable_id: 64 bits in hex


class PassageRow(NamedTuple):
    """One passage's record, ready for the writer (see the module docstring)."""

    id: str
    doc_id: str
    source: str
    doc_kind: str
    kind: str
    agencies: list[str]
    mentioned_agencies: list[str]
    region: str | None
    clause_type: str | None
    talent_categories: list[str]
    date: str | None
    doc_number: str | None
    eligibility: int
    conditioned: int  # 1 when the passage states conditions (Passage.conditions)
    answers: list[str]  # the answer phrases its text holds (knowledge.questions.answer_phrases_in)
    ord: int
    terms: str  # index terms (words, then each word's sub-words), NUL-separated
    spans: bytes  # array("I"): the terms' positions, then their starts, then their ends
    heading: str  # normalised title and heading path
    english: str  # stemmed English terms, space-separated ("" when none)
    text: str  # normalised text (characters)
    grams: str  # the text for its bigrams (see bigram_text)
    heading_grams: str
    payload: bytes  # the stored JSON


class DocumentRow(NamedTuple):
    id: str
    source: str
    kind: str
    payload: bytes


# --------------------------------------------------------------------- prepare (pure)


def prepare(documents: list[Document]) -> Prepared:
    """The rows of ``documents``; passages without tokens are segmented here."""
    analyzer = get_analyzer()
    records: list[Any] = []
    passages = 0
    for doc in documents:
        records.append(DocumentRow(doc.id, doc.source, doc.kind, _json(doc.to_dict())))
        # Passages of a section share their path.
        headings: dict[tuple[str, ...], tuple[str, str]] = {}
        for passage in doc.passages:
            path = tuple(passage.path)
            heading = headings.get(path)
            if heading is None:
                text = normalize(" ".join([doc.title, *path]))
                heading = headings[path] = (text, bigram_text(text))
            records.append(passage_row(passage, doc, heading, analyzer))
            passages += 1
    return Prepared(ENGINE, records, len(documents), passages)


def bigram_text(normalized: str) -> str:
    """What the bigram fields tokenise: the Han characters with punctuation and spaces
    removed and each Latin or digit run replaced by a space, so that the bigrams are
    those of neighbouring Han characters of the text (选、育、管、用 gives 选育), like the
    Elasticsearch shingles of the standard tokens."""
    return _LATIN_DIGITS.sub(" ", _NOT_TERM.sub("", normalized))


_NOT_TERM = re.compile(rf"[^{HAN}a-z0-9]+")
_LATIN_DIGITS = re.compile(r"[a-z0-9]+")


def passage_row(p: Passage, doc: Document, heading: tuple[str, str], analyzer: Analyzer) -> PassageRow:
    tokens: list[Token] = p.tokens if p.tokens is not None else analyzer.words(p.text)
    terms, spans = _index_terms(tokens, analyzer)
    normalized = normalize(p.text)
    # Passage.to_dict(), without its per-call dataclasses.fields() and list copies.
    payload = dict(zip(_PAYLOAD_FIELDS, _payload_values(p), strict=True))
    payload["doc_title"] = doc.title
    payload["doc_kind"] = doc.kind
    payload["region"] = doc.meta.get("region")  # the document's, as its kind
    return PassageRow(
        p.id,
        p.doc_id,
        doc.source,
        doc.kind,
        p.kind,
        list(p.agencies),
        list(p.mentioned_agencies),
        payload["region"],
        p.clause_type,
        list(p.talent_categories),
        p.date,
        p.doc_number,
        int(p.eligibility),
        int(bool(p.conditions)),
        answer_phrases_in(normalized),
        p.ord,
        terms,
        spans,
        heading[0],
        # Stemmed in Python (analysis.english) so both engines index the same terms.
        " ".join(english_terms_of_normalized(normalized)),
        normalized,
        bigram_text(normalized),
        heading[1],
        _json(payload),
    )


_PAYLOAD_FIELDS = tuple(f.name for f in fields(Passage) if f.name != "tokens")
_payload_values = attrgetter(*_PAYLOAD_FIELDS)


def _index_terms(tokens: list[Token], analyzer: Analyzer) -> tuple[str, bytes]:
    """:meth:`Analyzer.index_terms`, packed: the terms joined, and one array of their
    positions, then their starts, then their ends (a sub-word has its word's span)."""
    subwords = analyzer.subwords
    terms: list[str] = []
    positions: list[int] = []
    for position, token in enumerate(tokens):
        word = token[0]
        terms.append(word)
        positions.append(position)
        if len(word) > 2:  # shorter words have no sub-words: skip the call
            for sub in subwords(word):
                terms.append(sub)
                positions.append(position)
    spans = array("I", positions)
    spans.extend(map([t[1] for t in tokens].__getitem__, positions))
    spans.extend(map([t[2] for t in tokens].__getitem__, positions))
    return _SEP.join(terms), spans.tobytes()


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


# --------------------------------------------------------------------- writing


def source_record(source: str, fingerprint: str) -> tantivy.Document:
    record = tantivy.Document()
    record.add_text("record_type", "source")
    record.add_text("source_file", source)
    record.add_bytes("payload", json.dumps({"source": source, "fingerprint": fingerprint}).encode())
    _numbered(record, source)
    return record


def document_record(row: DocumentRow) -> tantivy.Document:
    record = tantivy.Document()
    record.add_text("record_type", "document")
    record.add_text("id", row.id)
    record.add_text("doc_id", row.id)
    record.add_text("source_file", row.source)
    record.add_text("doc_kind", row.kind)
    record.add_bytes("payload", row.payload)
    _numbered(record, row.id)
    return record


def _numbered(record: tantivy.Document, key: str) -> None:
    """``doc_key`` and ``doc_hash`` on every record, not only on passages, though only
    passages are ever read: a column every record fills is read by document number
    directly, while one that some records lack first maps each document to its row
    (要求 at the regulations scale, the documents of each facet value: 4.9 -> 4.2 ms)."""
    record.add_unsigned("doc_key", doc_key(key))
    record.add_unsigned("doc_hash", doc_hash(key))


def facet_values(
    doc_kind: str,
    kind: str,
    agencies: list[str],
    mentioned_agencies: list[str],
    region: str | None,
    clause_type: str | None,
    talent_categories: list[str],
    date: str | None,
) -> dict[str, list[str]]:
    """A passage's values of each facet field: what the index holds, and what the engine
    counts from stored payloads when a page holds every match (one definition for both)."""
    return {
        "doc_kind": [doc_kind],
        "doc_type": [kind],
        "agency": agencies,
        "mentioned_agency": mentioned_agencies,
        "region": [region] if region else [],
        "clause_type": [clause_type] if clause_type else [],
        "talent_category": talent_categories,
        "year": [date[:4]] if date else [],
    }


def passage_record(row: PassageRow) -> tantivy.Document:
    record = tantivy.Document()
    add_text = record.add_text
    add_text("record_type", "passage")
    add_text("id", row.id)
    add_text("doc_id", row.doc_id)
    add_text("source_file", row.source)
    facets = facet_values(
        row.doc_kind,
        row.kind,
        row.agencies,
        row.mentioned_agencies,
        row.region,
        row.clause_type,
        row.talent_categories,
        row.date,
    )
    for facet, values in facets.items():
        for value in values:
            add_text(facet, value)
    day = iso_to_datetime(row.date)
    if day is not None:
        record.add_date("date", day)
    if row.doc_number:
        add_text("doc_number", row.doc_number)
    record.add_integer("eligibility", row.eligibility)
    record.add_integer("conditioned", row.conditioned)
    for phrase in row.answers:
        add_text("answer", phrase)
    record.add_integer("ord", row.ord)
    record.add_unsigned("doc_key", doc_key(row.doc_id))
    record.add_unsigned("doc_hash", doc_hash(row.doc_id))
    spans = memoryview(row.spans).cast("I")
    n = len(spans) // 3
    # map() over the arrays: one C-level loop, no Python frame per term.
    words = list(map(tantivy.Token, row.terms.split(_SEP), spans[:n], spans[n : 2 * n], spans[2 * n :]))
    record.add_pre_tokenized_text("words", tantivy.PreTokenizedString(row.text, words))
    add_text("heading", row.heading)
    add_text("heading_ngram", row.heading_grams)
    if row.english:
        english = row.english.split(" ")
        tokens = list(map(tantivy.Token, english, range(len(english)), repeat(0), repeat(0)))
        record.add_pre_tokenized_text("english", tantivy.PreTokenizedString(row.english, tokens))
    add_text("ngram", row.grams)
    add_text("chars", row.text)
    record.add_bytes("payload", row.payload)
    return record


class TantivyLoader:
    """:class:`search_api.index.engine.Loader` for tantivy: one writer for the session and
    one commit at its end, so every source is replaced atomically and the session's
    records become visible together (as on Elasticsearch).

    One commit rather than one per batch because a search pays per segment (each term is
    looked up in each segment's dictionary): per-batch commits left the regulations
    archive in 9 segments, and one commit in 3, which answers the benchmark's queries
    about 30% faster. Memory stays bounded: the writer flushes a segment to disk whenever
    its heap (:data:`~search_api.index.tantivy.writer.WRITER_HEAP`) is full, uncommitted until the end.

    The writer is taken when the session begins: a second ingest, or ``serve`` refreshing
    its corpus, learns that another ingest is writing before it parses a single file.
    """

    def __init__(self, index: tantivy.Index, lock: threading.Lock, folder: Path) -> None:
        self._index = index
        self._folder = folder  # for the error messages
        self._lock = lock  # one session of this process writes at a time
        self._writer: tantivy.IndexWriter | None = None
        self._written = False  # a session that wrote nothing commits nothing
        self._older: list[str] = []  # the segments before the session (writer.merge_segments)
        self._open()

    def add(self, batch: Prepared, *, sources: dict[str, str]) -> int:
        if batch.engine != ENGINE:
            raise ValueError(f"records prepared for {batch.engine}, not {ENGINE}")
        self._write(list(sources), sources, batch.records)
        return batch.passages

    def remove(self, sources: list[str]) -> None:
        self._write(sources, {}, [])

    def commit(self) -> None:
        if not self._written:
            self.abort()
            return
        writer = self._release()
        if writer is None:
            return
        try:
            writer_faults.commit(writer, self._folder, self._older)
        finally:
            self._lock.release()
        self._index.reload()

    def abort(self) -> None:
        writer = self._release()
        if writer is not None:
            try:
                writer_faults.discard(writer)
            finally:
                self._lock.release()

    def _release(self) -> tantivy.IndexWriter | None:
        writer, self._writer = self._writer, None
        return writer

    def _open(self) -> tantivy.IndexWriter:
        self._lock.acquire()
        try:
            self._writer = writer = writer_faults.open_writer(self._index, self._folder)
            self._older = writer_faults.segment_ids(writer)
        except BaseException:
            self._lock.release()
            raise
        return writer

    def _write(self, deleted: list[str], sources: dict[str, str], records: list[Any]) -> None:
        writer = self._writer or self._open()  # a session goes on after its commit: a new one
        self._written = True
        try:
            for source in deleted:
                writer.delete_documents_by_term("source_file", source)
            for source, fingerprint in sources.items():
                writer.add_document(source_record(source, fingerprint))
            for row in records:
                writer.add_document(passage_record(row) if type(row) is PassageRow else document_record(row))
        except ValueError as exc:
            failure = writer_faults.write_failure(exc, self._folder)  # before the files go
            self.abort()
            raise failure from exc
        except BaseException:
            self.abort()
            raise


def doc_key(doc_id: str) -> int:
    """The document id as the number in the ``doc_key`` column: an id of 16 hex digits
    (every id :func:`ingest.model.stable_id` makes) is that number; any other id is 0,
    which makes a search decode the stored passages instead (:func:`doc_ids`)."""
    return int(doc_id, 16) if _DOC_ID.fullmatch(doc_id) else 0


def doc_hash(doc_id: str) -> int:
    """A number for any document id, for counting distinct documents: the ``doc_key`` of
    a stable id, else 64 bits of the id's digest (two ids share one with a chance of
    2^-64, far below the error of the cardinality sketch that counts them)."""
    key = doc_key(doc_id)
    return key or int.from_bytes(hashlib.blake2b(doc_id.encode("utf-8"), digest_size=8).digest(), "big")


def doc_ids(keys: Sequence[object]) -> list[str] | None:
    """The document ids of ``doc_key`` values; None when one is unknown (0, or a segment
    written without the column)."""
    known = [key for key in keys if isinstance(key, int) and key > 0]
    if len(known) != len(keys):
        return None
    return [f"{key:016x}" for key in known]
