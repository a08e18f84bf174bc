"""What one input file may cost: named limits, each overridable by an environment variable.

Input files are untrusted: a zip bomb, markup nested 100,000 deep or a 50 MB text must
end as one failed file, not as a hung or exhausted ingest. Each limit has a default that
no real policy document comes near, and an environment variable to move it:

====================  ===========================  ============================================
limit                 variable                     default
====================  ===========================  ============================================
max_file_bytes        POLICYKB_MAX_FILE_BYTES      50,000,000 bytes read of one file
max_unzipped_bytes    POLICYKB_MAX_UNZIPPED_BYTES  100,000,000 bytes: a .docx unzipped, in all
                                                   and per member (sizes read before unzipping;
                                                   lxml holds ~10-20x an XML part's size)
max_zip_ratio         POLICYKB_MAX_ZIP_RATIO       200: uncompressed / compressed size of a zip
                                                   member over 1 MB (Word's XML is ~5-20:1, an
                                                   empty 3,000-row table ~190:1, a bomb ~700:1)
max_chars             POLICYKB_MAX_CHARS           5,000,000 characters of text from one file
max_depth             POLICYKB_MAX_DEPTH           200 levels of markup nesting (HTML is
                                                   flattened below it, with a warning)
max_pages             POLICYKB_MAX_PAGES           2,000 pages of a PDF
file_timeout_s        POLICYKB_FILE_TIMEOUT_S      60 seconds of wall time to parse one file
                                                   (enforced by :mod:`ingest.parallel`)
====================  ===========================  ============================================

A value that is not a positive number raises :class:`LimitError`, one line naming the
variable. A file over a limit raises :class:`LimitExceeded` (an ``ExtractionError``), one
line naming the limit and its value: "nesting deeper than 200 levels (POLICYKB_MAX_DEPTH)".
The limits are read from the environment at each call of :func:`current`, so a test or a
caller may set them for one run.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, fields
from pathlib import Path

from ingest.extract.errors import ExtractionError

__all__ = [
    "ENV",
    "LimitError",
    "LimitExceeded",
    "Limits",
    "current",
    "exceeded",
    "in_force",
    "read_file",
    "timed_out",
    "too_big",
    "too_many_chars",
    "unreadable",
]

ZIP_RATIO_FLOOR = 1_000_000  # members smaller than this (uncompressed) may have any ratio


class LimitError(ValueError):
    """An environment variable holds no valid limit (one line, naming the variable)."""


class LimitExceeded(ExtractionError):
    """A file goes over one of the limits; the message names the limit and its value."""


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 50_000_000
    max_unzipped_bytes: int = 100_000_000
    max_zip_ratio: int = 200
    max_chars: int = 5_000_000
    max_depth: int = 200
    max_pages: int = 2_000
    file_timeout_s: float = 60.0


ENV = {
    "max_file_bytes": "POLICYKB_MAX_FILE_BYTES",
    "max_unzipped_bytes": "POLICYKB_MAX_UNZIPPED_BYTES",
    "max_zip_ratio": "POLICYKB_MAX_ZIP_RATIO",
    "max_chars": "POLICYKB_MAX_CHARS",
    "max_depth": "POLICYKB_MAX_DEPTH",
    "max_pages": "POLICYKB_MAX_PAGES",
    "file_timeout_s": "POLICYKB_FILE_TIMEOUT_S",
}
_DEFAULTS = Limits()


def current() -> Limits:
    """The limits in force: the defaults, overridden by the environment.

    Raises :class:`LimitError` for a variable that is set to something other than a
    positive number (a whole number, except the timeout; ``_`` separators allowed).
    """
    values: dict[str, int | float] = {}
    for spec in fields(Limits):
        variable = ENV[spec.name]
        raw = os.environ.get(variable, "").strip()
        if not raw:
            continue
        default = getattr(_DEFAULTS, spec.name)
        values[spec.name] = _parse(variable, raw, default)
    return Limits(**values)  # type: ignore[arg-type]


def in_force(limits: Limits | None = None) -> Limits:
    """``limits``, else :func:`current`, for one file: a bad variable becomes the file's
    ExtractionError (one line naming the variable), never a traceback."""
    if limits is not None:
        return limits
    try:
        return current()
    except LimitError as exc:
        raise ExtractionError(str(exc)) from None


def _parse(variable: str, raw: str, default: int | float) -> int | float:
    whole = isinstance(default, int)
    try:
        value: int | float = int(raw) if whole else float(raw)
    except ValueError:
        value = 0
    if not value > 0 or value == float("inf"):  # also rejects NaN
        kind = "a whole number" if whole else "a number of seconds"
        raise LimitError(f"{variable}={raw[:40]!r} is not valid: expected {kind} above 0 (default {default:,})")
    return value


def exceeded(what: str, limit: str) -> LimitExceeded:
    """The error for a file over ``limit`` (a :class:`Limits` field): "``what`` (VARIABLE)",
    ``what`` naming the limit's value, e.g. "nesting deeper than 200 levels"."""
    return LimitExceeded(f"{what} ({ENV[limit]})")


def read_file(path: Path, limits: Limits | None = None) -> bytes:
    """The bytes of ``path``, refusing a file over ``max_file_bytes`` before reading it
    (and reading at most one byte more, should it grow meanwhile). Only a regular file is
    opened: a FIFO or a device would block or never end. A file that cannot be read
    raises ExtractionError with a one-line reason ("symlink loop", "broken link (target
    missing)", "not a regular file (fifo)", else the system's reason)."""
    limit = (limits or current()).max_file_bytes
    try:
        kind = _not_regular(os.stat(path).st_mode)
        if kind:
            raise ExtractionError(f"not a regular file ({kind})")
        with path.open("rb") as handle:
            status = os.fstat(handle.fileno())
            kind = _not_regular(status.st_mode)  # replaced since the stat above
            if kind:
                raise ExtractionError(f"not a regular file ({kind})")
            if status.st_size > limit:
                raise too_big(status.st_size, limit)
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ExtractionError(unreadable(path, exc)) from None
    if len(data) > limit:
        raise too_big(len(data), limit)
    return data


def unreadable(path: Path, error: OSError) -> str:
    """The one-line reason a path cannot be opened: a symlink loop and a link to nothing
    named as such, else the system's reason."""
    if error.errno == errno.ELOOP:
        return "symlink loop"
    if error.errno in (errno.ENOENT, errno.ENOTDIR) and path.is_symlink():
        return "broken link (target missing)"
    return error.strerror or str(error)


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    for test, kind in (
        (stat.S_ISDIR, "folder"),
        (stat.S_ISFIFO, "fifo"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISSOCK, "socket"),
    ):
        if test(mode):
            return kind
    return "special file"


def too_big(size: int, limit: int) -> LimitExceeded:
    return exceeded(f"file of {size:,} bytes, more than {limit:,}", "max_file_bytes")


def too_many_chars(max_chars: int) -> LimitExceeded:
    return exceeded(f"more than {max_chars:,} characters of text", "max_chars")


def timed_out(seconds: float) -> str:
    """The failure of a file whose parse passed ``file_timeout_s``."""
    return f"parse took longer than {seconds:g} s ({ENV['file_timeout_s']})"
