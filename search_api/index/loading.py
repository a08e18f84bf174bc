"""Load files into an engine: skip unchanged files, replace changed ones, prune, remove.

Parsing runs on every core (:mod:`ingest.parallel`): many files go to forked workers one
file at a time, and each worker also builds the file's engine records
(:meth:`Engine.prepare`: index terms, normalised text, English terms, the JSON
payload) and sends back only those, as flat values that are cheap to pickle. This
process is left with what only it can do: write them (one writer per index). One big
file (a book) is segmented here, the workers segment its texts into tokens (packed,
:class:`~ingest.tokens.PackedTokens`) while this process imports spaCy, and this
process enriches it and builds its records.

All writes of a run go through one load session (:meth:`Engine.begin_load`) in
batches of files, so memory stays bounded by a batch on every engine: tantivy commits
each batch, Elasticsearch streams each into the index it builds and swaps the alias
once at the end. A file's old records are replaced with its new ones atomically, and a
failed file keeps its previous version.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingest.extract import ExtractionError
from ingest.model import Document
from ingest.parallel import (
    balanced_groups,
    can_fork,
    fewer_collections,
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
from search_api.index.engine import Engine, Loader, Prepared, begin_load
from search_api.index.engine import remove_sources as remove_engine_sources

BATCH_FILES = 400  # files per commit
BATCH_PASSAGES = 40_000  # passages per commit
BIG_FILE_CHARS = 100_000  # a single file this big is analysed on all cores


@dataclass
class _Job:
    file: Path
    root: Path
    source: str


@dataclass
class _Result:
    """One parsed file as it comes back from a worker: its records, ready to write."""

    file: str
    source: str = ""
    fingerprint: str = ""
    prepared: Prepared | None = None
    failure: str | None = None
    warnings: list[str] = field(default_factory=list)


def ingest_paths(
    engine: Engine,
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
    known = engine.sources()
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
        jobs.append(_Job(file, root, source))
    gone = sorted(set(known) - seen_sources) if prune else []
    if jobs or gone:
        loader = begin_load(engine, sorted({job.source for job in jobs} | set(gone)))
        try:
            with fewer_collections():
                if jobs:
                    writer = _BatchWriter(loader, report)
                    parsed = _parse_all(jobs, worker_count(workers), engine)
                    for result in _progress(parsed, len(jobs), progress):
                        writer.add(result)
                    writer.flush()
                if gone:
                    loader.remove(gone)
                    report.removed_sources = gone
                loader.commit()
        except BaseException:
            loader.abort()
            raise
    return report


def remove_sources(engine: Engine, names: list[str]) -> tuple[list[str], list[str]]:
    """Remove indexed sources named exactly or by a path ending in their name; returns
    (removed, unknown names)."""
    known = set(engine.sources())
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
        remove_engine_sources(engine, sorted(set(chosen)))
    return sorted(set(chosen)), unknown


# ---------------------------------------------------------------------- parsing


def _parse_all(jobs: list[_Job], workers: int, engine: Engine) -> Iterator[_Result]:
    pipeline = Pipeline()
    parallel = workers > 1 and can_fork()
    if parallel and len(jobs) > 1:
        pipeline.prepare()  # spaCy loaded once, before the fork
    # A pure function of the documents (no engine I/O): safe to call in forked workers.
    prepare = engine.prepare
    set_worker_state(pipeline=pipeline, prepare=prepare)
    if len(jobs) == 1 or not parallel:
        for job in jobs:
            yield _parse_here(job, pipeline, prepare, workers if parallel else 1)
        return
    # A window of a batch of files: the workers keep going while this process commits.
    yield from fork_map(_work_file, jobs, workers, window=BATCH_FILES)


def _parse_here(job: _Job, pipeline: Pipeline, prepare: Callable[[list[Document]], Prepared], workers: int) -> _Result:
    """One file in this process; a big one is analysed by ``workers`` forked processes."""
    try:
        parsed = pipeline.segment(job.file, read_bytes(job.file), job.source)
    except ExtractionError as exc:
        return _Result(str(job.file), failure=str(exc))
    if workers >= 2 and parsed.chars >= BIG_FILE_CHARS:
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
    return _analysed(parsed, pipeline, prepare, str(job.file))


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
    """Worker: parse, analyse and prepare the records of one file; a failure becomes a result."""
    try:
        parsed = worker_state("pipeline").segment(job.file, read_bytes(job.file), job.source)
    except ExtractionError as exc:
        return _Result(str(job.file), failure=str(exc))
    except Exception as exc:
        return _Result(str(job.file), failure=f"internal error ({type(exc).__name__}: {exc})")
    return _analysed(parsed, worker_state("pipeline"), worker_state("prepare"), str(job.file))


def _analysed(
    parsed: ParsedFile, pipeline: Pipeline, prepare: Callable[[list[Document]], Prepared], file: str
) -> _Result:
    """Tokens (where missing) and metadata, then the engine records; the documents
    themselves are not sent on: their records hold all that is written."""
    try:
        pipeline.analyse(parsed.documents)
        prepared = prepare(parsed.documents)
    except Exception as exc:
        return _Result(file, failure=f"internal error ({type(exc).__name__}: {exc})")
    return _Result(file, parsed.source, parsed.fingerprint, prepared, warnings=parsed.warnings)


# ---------------------------------------------------------------------- writing


class _BatchWriter:
    """Collects parsed files and hands them to the loader a batch at a time."""

    def __init__(self, loader: Loader, report: IngestReport) -> None:
        self.loader = loader
        self.report = report
        self.results: list[_Result] = []
        self.passages = 0

    def add(self, result: _Result) -> None:
        if result.failure is not None or result.prepared is None:
            self.report.failures.append(FileFailure(result.file, result.failure or "not parsed"))
            return
        self.report.warnings.extend(FileFailure(result.file, warning) for warning in result.warnings)
        self.results.append(result)
        self.passages += result.prepared.passages
        if len(self.results) >= BATCH_FILES or self.passages >= BATCH_PASSAGES:
            self.flush()

    def flush(self) -> None:
        if not self.results:
            return
        parts = [r.prepared for r in self.results if r.prepared is not None]
        batch = Prepared(
            parts[0].engine,
            [record for part in parts for record in part.records],
            sum(part.documents for part in parts),
            sum(part.passages for part in parts),
        )
        sources = {r.source: r.fingerprint for r in self.results}
        self.results = []
        self.passages = 0
        self.report.passages += self.loader.add(batch, sources=sources)
        self.report.documents += batch.documents


def _progress(results: Iterator[_Result], total: int, enabled: bool) -> Iterable[_Result]:
    if not enabled or not sys.stderr.isatty() or total < 2:
        return results
    from tqdm import tqdm

    return tqdm(results, total=total, unit="file", file=sys.stderr)
