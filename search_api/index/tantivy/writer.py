"""The embedded index's writer and its faults, each one line that says what to do.

tantivy raises ``ValueError`` with its own wording for everything: a writer lock held
by another process (``LockBusy``), a full disk (``os error 28``, or only "an index
writer was killed" when its indexing thread hit it), a read-only folder. A session that
fails leaves segment files no commit refers to; :func:`discard` deletes them at once,
and :func:`open_writer` deletes what a kill -9 left, so the next ingest never needs a
manual clean-up.
"""

from __future__ import annotations

import contextlib
import errno
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

import tantivy

from search_api.errors import IndexBusy, IndexWriteFailed

WRITER_HEAP = 128_000_000
# A write that failed on a filesystem with less than this free was a full disk, whatever
# tantivy's message says (a killed indexing thread does not pass its cause on).
NEARLY_FULL_BYTES = 1_000_000


def open_writer(index: tantivy.Index, folder: Path) -> tantivy.IndexWriter:
    """The index's writer, after removing the files no commit refers to (what a disk-full
    failure or a kill left behind: otherwise they would fill the disk for every later
    ingest). Another process holding the writer is one line, not a traceback."""
    try:
        writer = index.writer(heap_size=WRITER_HEAP, num_threads=1)
    except ValueError as exc:
        if "lock" in str(exc).lower() and "busy" in str(exc).lower():
            raise IndexBusy("另一个导入正在进行 (another ingest is writing this index): wait for it to end") from exc
        raise write_failure(exc, folder) from exc
    try:
        writer.garbage_collect_files()
    except ValueError as exc:
        raise write_failure(exc, folder) from exc
    return writer


def commit(writer: tantivy.IndexWriter, folder: Path, older: Sequence[str] = ()) -> None:
    """Commit the session, or discard it and raise the one-line error; then merge the
    segments it wrote into one (:func:`merge_segments`; ``older``: those before it, from
    :func:`segment_ids`) and let merges end. A merge that fails (disk full) leaves the
    committed version whole, and its files are collected when the next writer opens."""
    try:
        writer.commit()
    except ValueError as exc:
        failure = write_failure(exc, folder)  # while the session's files still take their space
        discard(writer)
        raise failure from exc
    except BaseException:
        discard(writer)
        raise
    merge_segments(writer, older)
    with contextlib.suppress(ValueError):
        writer.wait_merging_threads()


def segment_ids(writer: tantivy.IndexWriter) -> list[str]:
    """The committed segments as a session begins (empty with PyPI's wheel)."""
    listed = getattr(writer, "segment_ids", None)
    return list(listed()) if listed is not None else []


def merge_segments(writer: tantivy.IndexWriter, older: Sequence[str]) -> None:
    """The segments a session wrote merged into one, the files of the old ones deleted, as
    the Elasticsearch loader forcemerges after each load. A search looks each term up in
    each segment: the regulations archive, which the writer's heap leaves in 3 segments,
    answers the benchmark's queries 5-10% faster from one (mean engine call, both indexes
    searched in turn by one process). The segments before the session (``older``) and any
    with deleted records stay as they are: tantivy would estimate the merged segment's
    number of tokens from their quantised field norms, and a re-ingest of the same files
    would no longer give the same scores. The method comes with scripts/build_tantivy.sh's
    build; PyPI's wheel keeps the segments (the same answers). A merge that fails leaves
    the commit as it was."""
    merge = getattr(writer, "merge_segments", None)
    if merge is None:
        return
    with contextlib.suppress(ValueError):
        if merge(list(older)):
            writer.garbage_collect_files()


def discard(writer: tantivy.IndexWriter) -> None:
    """Roll back an uncommitted session and delete the segment files it wrote. A writer
    whose indexing thread died cannot roll back; its files go at the next opening."""
    with contextlib.suppress(ValueError):
        writer.rollback()
    with contextlib.suppress(ValueError, OSError):
        writer.garbage_collect_files()


def write_failure(exc: BaseException, folder: Path) -> IndexWriteFailed:
    """The one-line error for a write into ``folder`` that failed with ``exc``; call it
    before :func:`discard`, while the failed session's files still take their space."""
    text = str(exc)
    code = _os_error(text)
    if code == errno.ENOSPC or _free_bytes(folder) < NEARLY_FULL_BYTES:
        return IndexWriteFailed(
            f"磁盘空间不足 (no space left on device) writing the index in {folder}: "
            "the index was not changed; free some space and ingest again"
        )
    if code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return IndexWriteFailed(f"cannot write the index in {folder}: the folder is read-only")
    return IndexWriteFailed(f"写入索引失败 (cannot write the index in {folder}: {text}): the index was not changed")


def _os_error(text: str) -> int | None:
    """The errno inside a tantivy message (``os error 28``, or ``Os { code: 28, …``)."""
    found = _ERRNO.search(text)
    return int(found.group(1)) if found else None


_ERRNO = re.compile(r"(?:os error|code:) (\d+)")


def _free_bytes(folder: Path) -> int:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return NEARLY_FULL_BYTES  # cannot tell: not called full
