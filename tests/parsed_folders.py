"""Parse a folder once per test session, and load it into every engine that needs it.

The relevance fixtures index the same folders (the book, each judged set's regulation
files) into tantivy, Elasticsearch and the secure cluster, and parsing is most of an
ingest's time: the plain sets' 32 folders took 110 s per engine. :func:`load_folder`
runs the real ingest once per folder (:func:`ingest_paths`: guarded workers, source
names, fingerprints, batches) into a recorder that keeps each batch's documents; every
engine then gets the same batches through its own ``prepare`` and load session, as
``ingest_paths`` hands them over. Tests of ingest itself call ``ingest_paths``.
"""

from __future__ import annotations

import copy
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.model import Document
from ingest.pipeline import IngestReport
from search_api.index.engine import Engine, Prepared, begin_load
from search_api.index.loading import ingest_paths


@dataclass
class _Parsed:
    """One folder's ingest: its report, and per batch the pickled documents and sources."""

    report: IngestReport
    batches: list[tuple[bytes, dict[str, str]]] = field(default_factory=list)


class _Recorder:
    """An engine that keeps what it is given (only the parts :func:`ingest_paths` uses)."""

    name = "recorder"

    def __init__(self) -> None:
        self.batches: list[tuple[bytes, dict[str, str]]] = []

    def sources(self) -> dict[str, str]:
        return {}

    def prepare(self, documents: list[Document]) -> Prepared:
        passages = sum(len(doc.passages) for doc in documents)
        return Prepared(self.name, list(documents), len(documents), passages)

    def begin_load(self, replacing: list[str]) -> _Recorder:
        return self

    def add(self, batch: Prepared, *, sources: dict[str, str]) -> int:
        # Pickled: each engine gets its own copy, whatever its prepare does to them.
        self.batches.append((pickle.dumps(batch.records), dict(sources)))
        return batch.passages

    def remove(self, sources: list[str]) -> None:
        raise AssertionError(f"a first ingest removes nothing: {sources}")

    def commit(self) -> None:
        pass

    def abort(self) -> None:
        pass


_PARSED: dict[Path, _Parsed] = {}


def load_folder(engine: Engine, folder: Path) -> IngestReport:
    """Index ``folder`` into the empty ``engine`` as ``ingest_paths`` would, parsing it
    only the first time in this session; returns the report of that first ingest."""
    key = folder.resolve()
    parsed = _PARSED.get(key)
    if parsed is None:
        recorder: Any = _Recorder()
        parsed = _Parsed(ingest_paths(recorder, [folder]), recorder.batches)
        _PARSED[key] = parsed
    loader = begin_load(engine, sorted({source for _, sources in parsed.batches for source in sources}))
    try:
        for blob, sources in parsed.batches:
            loader.add(engine.prepare(pickle.loads(blob)), sources=sources)
        loader.commit()
    except BaseException:
        loader.abort()
        raise
    return copy.deepcopy(parsed.report)
