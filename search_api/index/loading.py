"""Load files into an engine: skip unchanged files, replace changed ones, prune, remove.

Input files are untrusted, so every file is parsed in a forked worker of
:func:`ingest.parallel.guarded_map`, one worker as with many: a file that passes the
wall-time limit (``POLICYKB_FILE_TIMEOUT_S``), crashes its worker (a segfault in a C
parser, the OOM killer) or raises anything (RecursionError, MemoryError) fails alone,
as one line naming it and the reason, and the other files go on. Each worker also
builds the file's engine records (:meth:`Engine.prepare`: index terms, normalised
text, English terms, the JSON payload) and sends back only those, as flat values that
are cheap to pickle. This process is left with what only it can do: write them (one
writer per index).

One big file alone (a book) is analysed on all cores, in three guarded steps within the
one time limit: a worker segments it and sends back its documents; workers segment
their texts into tokens (packed, :class:`~ingest.tokens.PackedTokens`) while this
process imports spaCy; a last worker, which inherits both, enriches the documents and
builds their records.

A file is known by its content and where it really is: the same file reached through
another root folder, a symlink or twice in one command is indexed once, under the
source name it already has.

All writes of a run go through one load session (:meth:`Engine.begin_load`) in
batches of files, so memory stays bounded by a batch on every engine: tantivy writes
each batch with one writer and commits once at the end, Elasticsearch streams each
into the index it builds and swaps the alias once at the end. A file's old records are
replaced with its new ones atomically, and a failed file keeps its previous version.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from ingest import limits
from ingest.extract import ExtractionError
from ingest.fingerprint import fingerprint_of
from ingest.model import Document
from ingest.parallel import (
    balanced_groups,
    can_fork,
    describe,
    fewer_collections,
    guarded_map,
    set_worker_state,
    worker_count,
    worker_state,
)
from ingest.pipeline import (
    FileFailure,
    IngestReport,
    ParsedFile,
    Pipeline,
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
    sources that are not among the files found are removed. A bad limit or worker count
    in the environment raises :class:`~ingest.limits.LimitError` before any work.
    """
    settings = limits.current()
    workers = worker_count(workers)
    report = IngestReport()
    known = engine.sources()
    jobs, seen_sources = _find_jobs(list(paths), known, report, force=force)
    gone = sorted(set(known) - seen_sources) if prune else []
    if jobs or gone:
        loader = begin_load(engine, sorted({job.source for job in jobs} | set(gone)))
        try:
            with fewer_collections():
                if jobs:
                    writer = _BatchWriter(loader, report)
                    parsed = _parse_all(jobs, workers, engine, settings.file_timeout_s)
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


def _find_jobs(
    paths: list[Path], known: dict[str, str], report: IngestReport, *, force: bool
) -> tuple[list[_Job], set[str]]:
    """The files to parse, each under the source name that identifies it, and the source
    names of every file found (parsed or unchanged).

    A file is identified by where it really is and by its content. Reached twice in one
    run (two roots, two links), it is taken once. Indexed already under another name
    that its real path ends with (ingested through another root folder), it keeps that
    name, so it is not indexed twice: when its content is the same (then it is not
    parsed again either), or when that name is longer than the one its root gives it (it
    was ingested from a folder higher up, and changed since).
    """
    jobs: list[_Job] = []
    taken: dict[str, Path] = {}  # source name -> the real path that has it in this run
    reals: set[Path] = set()
    for file, root in iter_input_files(paths, report.failures):
        real = _real_path(file)
        if real in reals:
            continue  # the same file again (another root, a link): once is enough
        reals.add(real)
        source = source_name(file, root)
        fingerprint: str | None = None
        names = [name for name in (source, *_path_suffixes(real)) if name in known]
        if names:
            with suppress(ExtractionError):  # the parse reports it
                fingerprint = fingerprint_of(read_bytes(file))
            same = [name for name in dict.fromkeys(names) if known[name] == fingerprint]
            if same:
                source = same[0]  # its own name first, else the longest one its path ends with
            elif source not in known and len(names[0]) > len(source):
                source = names[0]  # the longest: ingested from higher up before, changed since
        if source in taken:
            reason = f"same source name {source!r} as {taken[source]} (ingest the folders from a common parent)"
            report.failures.append(FileFailure(str(file), reason))
            continue
        taken[source] = real
        report.files += 1
        if not force and fingerprint is not None and known.get(source) == fingerprint:
            report.skipped_unchanged += 1
            continue
        jobs.append(_Job(file, root, source))
    return jobs, set(taken)


def _real_path(file: Path) -> Path:
    try:
        return file.resolve()
    except (OSError, RuntimeError):  # a loop made since it was found: the parse reports it
        return Path(os.path.abspath(file))


def _path_suffixes(real: Path) -> list[str]:
    """The '/'-joined tails of a real path, longest first (a/b/c.txt, b/c.txt, c.txt)."""
    parts = real.parts[1:] if real.is_absolute() else real.parts
    return ["/".join(parts[i:]) for i in range(len(parts))]


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


def _parse_all(jobs: list[_Job], workers: int, engine: Engine, timeout: float) -> Iterator[_Result]:
    """The parsed files in order, each parsed in a guarded worker (see the module docstring)."""
    pipeline = Pipeline()  # the data tables: a bad one stops the run here, before any work
    if len(jobs) > 1 and can_fork():
        pipeline.prepare()  # spaCy loaded once, before the fork (a worker's replacement too)
    # A pure function of the documents (no engine I/O): safe to call in forked workers.
    prepare = engine.prepare
    # One big file alone is analysed on all cores (_Segmented, then _analyse_big).
    split = workers >= 2 and len(jobs) == 1
    set_worker_state(pipeline=pipeline, prepare=prepare, split=split, timeout=timeout)
    results: Iterable[_Result | _Segmented] = guarded_map(
        _work_file, jobs, min(workers, len(jobs)), window=BATCH_FILES, timeout=timeout, on_failure=_failed
    )
    if split:
        results = list(results)  # the one file's worker ends before its analysis starts
    for job, result in zip(jobs, results, strict=True):
        if isinstance(result, _Segmented):
            yield _analyse_big(job, result.parsed, pipeline, prepare, workers, result.deadline, timeout)
        else:
            yield result


@dataclass
class _Segmented:
    """A big file, segmented by a worker, to be analysed on all cores (:func:`_analyse_big`)."""

    parsed: ParsedFile
    deadline: float  # time.monotonic() by which the whole file must be done


def _failed(job: _Job, reason: str) -> _Result:
    """The result of a file whose worker passed the time limit, died or raised."""
    return _Result(str(job.file), failure=reason)


def _internal(exc: BaseException) -> str:
    """A failure nobody planned for, on one line: ``internal error (Type: message)``."""
    return f"internal error ({describe(exc)})"


def _work_file(job: _Job) -> _Result | _Segmented:
    """Worker: parse, analyse and prepare the records of one file; a failure becomes a
    result. With ``split`` set, a big file comes back segmented, for all cores to analyse."""
    started = time.monotonic()
    try:
        parsed = worker_state("pipeline").segment(job.file, read_bytes(job.file), job.source)
    except ExtractionError as exc:
        return _Result(str(job.file), failure=describe(exc))
    except Exception as exc:
        return _Result(str(job.file), failure=_internal(exc))
    if worker_state("split") and parsed.chars >= BIG_FILE_CHARS:
        return _Segmented(parsed, started + worker_state("timeout"))
    return _analysed(parsed, worker_state("pipeline"), worker_state("prepare"), str(job.file))


def _analyse_big(
    job: _Job,
    parsed: ParsedFile,
    pipeline: Pipeline,
    prepare: Callable[[list[Document]], Prepared],
    workers: int,
    deadline: float,
    timeout: float,
) -> _Result:
    """A big file's analysis on ``workers`` cores, each step guarded, all within the time
    limit of the file: workers segment the documents' texts into tokens (they inherit the
    documents and jieba) while this process imports spaCy; then one worker, which
    inherits the tokens and spaCy, enriches the documents and builds their records."""
    file = str(job.file)
    sizes = [sum(len(p.text) for p in d.passages) for d in parsed.documents]
    groups = balanced_groups(sizes, workers)
    set_worker_state(pipeline=pipeline, prepare=prepare, parsed=parsed, file=file)
    failures: list[str] = []

    def failed(_group: list[int], reason: str) -> None:
        failures.append(reason)

    packed_groups = list(
        guarded_map(
            _tokenize_group,
            groups,
            workers,
            window=len(groups),
            timeout=_left(deadline),
            on_failure=failed,
            meanwhile=pipeline.prepare,
        )
    )
    if failures:
        return _Result(file, failure=_step_failure(failures[0], deadline, timeout))
    for group, packed_docs in zip(groups, packed_groups, strict=True):
        for index, packed in zip(group, packed_docs or [], strict=True):
            for passage, tokens in zip(parsed.documents[index].passages, packed, strict=True):
                passage.tokens = tokens.unpack()
    (result,) = guarded_map(_analyse_inherited, [job], 1, timeout=_left(deadline), on_failure=_failed)
    if result.failure is not None:
        result.failure = _step_failure(result.failure, deadline, timeout)
    return result


def _left(deadline: float) -> float:
    return max(0.001, deadline - time.monotonic())


def _step_failure(reason: str, deadline: float, timeout: float) -> str:
    """A step's failure as the file's: a step that ran out of the file's time is the
    file passing its time limit."""
    if time.monotonic() >= deadline and reason.startswith("parse took longer than"):
        return limits.timed_out(timeout)
    return reason


def _tokenize_group(indexes: list[int]) -> list[list[PackedTokens]]:
    """Worker: the packed tokens of some documents of the one big file, per passage."""
    pipeline = worker_state("pipeline")
    documents = worker_state("parsed").documents
    out: list[list[PackedTokens]] = []
    for index in indexes:
        doc = documents[index]
        tokenize_document(doc, pipeline.analyzer)
        out.append([PackedTokens.pack(p.tokens or []) for p in doc.passages])
    return out


def _analyse_inherited(_job: _Job) -> _Result:
    """Worker: enrich the big file's documents (tokens set) and build their records."""
    return _analysed(worker_state("parsed"), worker_state("pipeline"), worker_state("prepare"), worker_state("file"))


def _analysed(
    parsed: ParsedFile, pipeline: Pipeline, prepare: Callable[[list[Document]], Prepared], file: str
) -> _Result:
    """Tokens (where missing) and metadata, then the engine records; the documents
    themselves are not sent on: their records hold all that is written."""
    try:
        pipeline.analyse(parsed.documents)
        prepared = prepare(parsed.documents)
    except Exception as exc:
        return _Result(file, failure=_internal(exc))
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
