"""Faults no real file is known to cause (any more), injected by file name into the real
``policykb`` command, to show that each one ends as one failed file.

    python -c "from tests.ingest.faults import run; run()" ingest FOLDER ...

:func:`install` wraps the pipeline so that a file (or, in the split analysis of one big
file, a document) named in :data:`FAULTS` misbehaves in the worker that parses it. The
command itself is :func:`search_api.cli.main`, unchanged.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

# file name -> (what it does, a fragment of its one-line failure; TIMEOUT: the time limit)
TIMEOUT = "parse took longer than {seconds:g} s (POLICYKB_FILE_TIMEOUT_S)"
FAULTS = {
    "hang.txt": ("sleeps for an hour", TIMEOUT),
    "crash.txt": ("kills its process with SIGSEGV", "worker process crashed (SIGSEGV)"),
    "deep.txt": ("recurses without end", "internal error (RecursionError: maximum recursion depth exceeded"),
    "memory.txt": ("asks for an exabyte", "internal error (MemoryError"),
    "exits.txt": ("exits its process", "worker process exited (code 3)"),
}
# One big file alone is analysed in three steps (ingest.parallel workers each): these
# misbehave in the second (tokens) and third (enrichment) step.
BIG_FAULTS = {
    "big_hang_tokens.txt": ("sleeps while its texts are segmented into words", TIMEOUT),
    "big_crash_enrich.txt": ("crashes while it is enriched", "worker process crashed (SIGSEGV)"),
}


def misbehave(name: str) -> None:
    """Do what the fault of the file ``name`` does (nothing for any other name)."""
    if name in ("hang.txt", "big_hang_tokens.txt"):
        time.sleep(3600)
    elif name in ("crash.txt", "big_crash_enrich.txt"):
        faulthandler.disable()
        os.kill(os.getpid(), signal.SIGSEGV)
    elif name == "deep.txt":

        def recurse(depth: int) -> int:
            return recurse(depth + 1) + 1

        recurse(0)
    elif name == "memory.txt":
        bytearray(1 << 60)
    elif name == "exits.txt":
        os._exit(3)


def install() -> None:
    from ingest import pipeline
    from search_api.index import loading

    segment = pipeline.Pipeline.segment
    analyse = pipeline.Pipeline.analyse
    tokenize = loading.tokenize_document

    def faulty_segment(self: Any, file: Path, data: bytes, source: str) -> Any:
        if file.name in FAULTS:
            misbehave(file.name)
        return segment(self, file, data, source)

    def faulty_analyse(self: Any, documents: list[Any]) -> None:
        for doc in documents[:1]:
            if Path(doc.source).name == "big_crash_enrich.txt":
                misbehave("big_crash_enrich.txt")
        analyse(self, documents)

    def faulty_tokenize(doc: Any, analyzer: Any) -> None:
        if Path(doc.source).name == "big_hang_tokens.txt":
            misbehave("big_hang_tokens.txt")
        tokenize(doc, analyzer)

    pipeline.Pipeline.segment = faulty_segment  # type: ignore[method-assign]
    pipeline.Pipeline.analyse = faulty_analyse  # type: ignore[method-assign]
    loading.tokenize_document = faulty_tokenize  # type: ignore[assignment]


def run() -> None:
    """``policykb`` with the faults installed; arguments from the command line."""
    install()
    from search_api.cli import main

    sys.exit(main(sys.argv[1:]))
