"""Load parsed files into a backend: skip unchanged files, replace changed ones, prune."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from ingest.extract import ExtractionError
from ingest.pipeline import (
    FileFailure,
    IngestReport,
    ParsedFile,
    Pipeline,
    fingerprint_of,
    iter_input_files,
    source_name,
)
from search_api.backend import SearchBackend


def ingest_paths(
    backend: SearchBackend,
    paths: Iterable[Path],
    *,
    prune: bool = False,
    force: bool = False,
    progress: bool = False,
) -> IngestReport:
    """Parse every file under ``paths`` and load the changed ones in one commit.

    A file that fails is reported (file + reason) and skipped; its previously indexed
    version, if any, stays searchable. With ``prune``, sources indexed earlier from the
    same roots whose files are gone are removed.
    """
    report = IngestReport()
    known = backend.sources()
    pipeline: Pipeline | None = None
    parsed: list[ParsedFile] = []
    seen_sources: set[str] = set()
    files = list(iter_input_files(paths))
    missing = [p for p in paths if not p.exists()]
    for path in missing:
        report.failures.append(FileFailure(str(path), "no such file or folder"))
    bar = _progress(files, progress)
    for file, root in bar:
        report.files += 1
        source = source_name(file, root)
        seen_sources.add(source)
        try:
            data = file.read_bytes()
        except OSError as exc:
            report.failures.append(FileFailure(str(file), exc.strerror or str(exc)))
            continue
        if not force and known.get(source) == fingerprint_of(data):
            report.skipped_unchanged += 1
            continue
        pipeline = pipeline or Pipeline()
        try:
            parsed.append(pipeline.parse_file(file, root))
        except ExtractionError as exc:
            report.failures.append(FileFailure(str(file), str(exc)))
    if parsed:
        documents = [d for p in parsed for d in p.documents]
        report.documents = len(documents)
        report.passages = backend.index(documents, sources={p.source: p.fingerprint for p in parsed})
    if prune:
        gone = sorted(set(known) - seen_sources)
        if gone:
            backend.remove_sources(gone)
            report.removed_sources = gone
    return report


def _progress(files: list[tuple[Path, Path]], enabled: bool) -> Iterable[tuple[Path, Path]]:
    if not enabled or not sys.stderr.isatty() or len(files) < 2:
        return files
    from tqdm import tqdm

    return tqdm(files, unit="file", file=sys.stderr)
