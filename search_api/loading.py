"""Load files into a backend: skip unchanged files, replace changed ones, prune, remove.

Parsing runs on every core (:mod:`ingest.parallel`): many files go to forked workers one
file at a time; one big file (a book) is segmented here, the workers segment its texts into tokens
while this process imports spaCy, and this process enriches it. Documents come back with their tokens packed into two
flat values (:class:`~ingest.tokens.PackedTokens`: pickling millions of small tuples
would cost more than making them), and this process builds and writes the records.

Records are written in batches of files, each batch one commit, so memory stays bounded
on large runs; a file's old records are deleted in the commit that adds its new ones, so
each source is replaced atomically and a failed file keeps its previous version.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingest.extract import ExtractionError
from ingest.model import Document
from ingest.parallel import (
    balanced_groups,
    can_fork,
    fork_map,
    fork_map_async,
    set_worker_state,
    worker_count,
    worker_state,
)
from ingest.pipeline import (
    FileFailure,
    IngestReport,
    ParsedFile,
    Pipeline,
    fingerprint_of,
    iter_input_files,
    read_bytes,
    source_name,
    tokenize_document,
)
from ingest.tokens import PackedTokens
from search_api.backend import SearchBackend

BATCH_FILES = 400  # files per commit
BATCH_PASSAGES = 40_000  # passages per commit
BIG_FILE_CHARS = 100_000  # a single file this big is analysed on all cores


@dataclass
class _Job:
    file: Path
    root: Path


@dataclass
class _Result:
    """One parsed file as it comes back from a worker."""

    file: str
    source: str = ""
    fingerprint: str = ""
    documents: list[Document] = field(default_factory=list)
    tokens: list[PackedTokens | None] = field(default_factory=list)  # per passage, in order
    n_passages: int = 0
    failure: str | None = None
    warnings: list[str] = field(default_factory=list)

    def unpack(self) -> list[Document]:
        """The documents with their passages' tokens restored (when they were packed)."""
        if not self.tokens:
            return self.documents
        passages = (p for d in self.documents for p in d.passages)
        for passage, packed in zip(passages, self.tokens, strict=True):
            passage.tokens = packed.unpack() if packed is not None else None
        self.tokens = []
        return self.documents


def ingest_paths(
    backend: SearchBackend,
    paths: Iterable[Path],
    *,
    prune: bool = False,
    force: bool = False,
    progress: bool = False,
    workers: int | None = None,
) -> IngestReport:
    """Parse every changed file under ``paths`` and load it; see the module docstring.

    A file that fails is reported (file + reason) and skipped. With ``prune``, indexed
    sources that are not among the files found are removed.
    """
    paths = list(paths)
    report = IngestReport()
    known = backend.sources()
    seen_sources: set[str] = set()
    jobs: list[_Job] = []
    for path in paths:
        if not path.exists() and not path.is_symlink():
            report.failures.append(FileFailure(str(path), "no such file or folder"))
    for file, root in iter_input_files([p for p in paths if p.exists()], report.failures):
        report.files += 1
        source = source_name(file, root)
        seen_sources.add(source)
        if not force and source in known:
            try:
                if known[source] == fingerprint_of(read_bytes(file)):
                    report.skipped_unchanged += 1
                    continue
            except ExtractionError:
                pass  # the parse reports it
        jobs.append(_Job(file, root))
    if jobs:
        writer = _BatchWriter(backend, report)
        for result in _progress(_parse_all(jobs, worker_count(workers)), len(jobs), progress):
            writer.add(result)
        writer.flush()
    if prune:
        gone = sorted(set(known) - seen_sources)
        if gone:
            backend.remove_sources(gone)
            report.removed_sources = gone
    return report


def remove_sources(backend: SearchBackend, names: list[str]) -> tuple[list[str], list[str]]:
    """Remove indexed sources named exactly or by a path ending in their name; returns
    (removed, unknown names)."""
    known = set(backend.sources())
    chosen: list[str] = []
    unknown: list[str] = []
    for name in names:
        wanted = Path(name).as_posix().removeprefix("./")
        matches = [s for s in known if s == wanted] or [s for s in known if wanted.endswith("/" + s)]
        if len(matches) == 1:
            chosen.append(matches[0])
        else:
            unknown.append(name)
    if chosen:
        backend.remove_sources(sorted(set(chosen)))
    return sorted(set(chosen)), unknown


# ---------------------------------------------------------------------- parsing


def _parse_all(jobs: list[_Job], workers: int) -> Iterator[_Result]:
    pipeline = Pipeline()
    parallel = workers > 1 and can_fork()
    if parallel and len(jobs) > 1:
        pipeline.prepare()  # spaCy loaded once, before the fork
    set_worker_state(pipeline=pipeline)
    if len(jobs) == 1 or not parallel:
        for job in jobs:
            yield _parse_here(job, pipeline, workers if parallel else 1)
        return
    yield from fork_map(_work_file, jobs, workers)


def _parse_here(job: _Job, pipeline: Pipeline, workers: int) -> _Result:
    """One file in this process; a big one is analysed by ``workers`` forked processes."""
    try:
        parsed = pipeline.segment(job.file, read_bytes(job.file), source_name(job.file, job.root))
    except ExtractionError as exc:
        return _Result(str(job.file), failure=str(exc))
    if workers < 2 or parsed.chars < BIG_FILE_CHARS:
        return _analysed(job, parsed)
    # The workers segment the documents' texts into tokens (they inherit the documents
    # and jieba); meanwhile this process imports spaCy, then enriches with their tokens.
    sizes = [sum(len(p.text) for p in d.passages) for d in parsed.documents]
    groups = balanced_groups(sizes, workers)
    set_worker_state(pipeline=pipeline, documents=parsed.documents)
    pending = fork_map_async(_tokenize_group, groups, workers)
    pipeline.prepare()
    for group, packed_docs in zip(groups, pending.get(), strict=True):
        for index, packed in zip(group, packed_docs, strict=True):
            passages = parsed.documents[index].passages
            for passage, tokens in zip(passages, packed, strict=True):
                passage.tokens = tokens.unpack()
    return _analysed(job, parsed)


def _tokenize_group(indexes: list[int]) -> list[list[PackedTokens]]:
    """Worker: the packed tokens of some documents of the one big file, per passage."""
    pipeline = worker_state("pipeline")
    out: list[list[PackedTokens]] = []
    for index in indexes:
        doc = worker_state("documents")[index]
        tokenize_document(doc, pipeline.analyzer)
        out.append([PackedTokens.pack(p.tokens or []) for p in doc.passages])
    return out


def _work_file(job: _Job) -> _Result:
    """Worker: parse and analyse one file; a failure becomes a result."""
    try:
        parsed = worker_state("pipeline").parse_file(job.file, job.root)
    except ExtractionError as exc:
        return _Result(str(job.file), failure=str(exc))
    except Exception as exc:
        return _Result(str(job.file), failure=f"internal error ({type(exc).__name__}: {exc})")
    result = _Result(str(job.file), parsed.source, parsed.fingerprint, warnings=parsed.warnings)
    return _packed(result, parsed.documents)


def _analysed(job: _Job, parsed: ParsedFile) -> _Result:
    result = _Result(str(job.file), parsed.source, parsed.fingerprint, parsed.documents, warnings=parsed.warnings)
    try:
        worker_state("pipeline").analyse(parsed.documents)
    except Exception as exc:
        return _Result(str(job.file), failure=f"internal error ({type(exc).__name__}: {exc})")
    result.n_passages = parsed.passages
    return result


def _packed(result: _Result, documents: list[Document]) -> _Result:
    """The documents with their tokens moved beside them, packed for the trip back."""
    result.documents = documents
    result.n_passages = sum(len(d.passages) for d in documents)
    for doc in documents:
        for passage in doc.passages:
            result.tokens.append(PackedTokens.pack(passage.tokens) if passage.tokens is not None else None)
            passage.tokens = None
    return result


# ---------------------------------------------------------------------- writing


class _BatchWriter:
    """Collects parsed files and writes them a batch (one commit) at a time."""

    def __init__(self, backend: SearchBackend, report: IngestReport) -> None:
        self.backend = backend
        self.report = report
        self.results: list[_Result] = []
        self.passages = 0

    def add(self, result: _Result) -> None:
        if result.failure is not None:
            self.report.failures.append(FileFailure(result.file, result.failure))
            return
        self.report.warnings.extend(FileFailure(result.file, warning) for warning in result.warnings)
        self.results.append(result)
        self.passages += result.n_passages
        # Elasticsearch copies its whole index on every write (see its backend): one batch.
        batched = getattr(self.backend, "name", "") != "elasticsearch"
        if batched and (len(self.results) >= BATCH_FILES or self.passages >= BATCH_PASSAGES):
            self.flush()

    def flush(self) -> None:
        if not self.results:
            return
        sources = {r.source: r.fingerprint for r in self.results}
        documents = [d for r in self.results for d in r.unpack()]
        self.report.passages += self.backend.index(documents, sources=sources)
        self.report.documents += len(documents)
        self.results = []
        self.passages = 0


def _progress(results: Iterator[_Result], total: int, enabled: bool) -> Iterable[_Result]:
    if not enabled or not sys.stderr.isatty() or total < 2:
        return results
    from tqdm import tqdm

    return tqdm(results, total=total, unit="file", file=sys.stderr)
