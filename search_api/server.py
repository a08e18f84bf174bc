"""``policykb serve``: bring the index up to date with corpus/, then serve the app.

Ingesting first makes the README's one command work on a fresh machine: the index is
built when missing and refreshed when a corpus file changed; unchanged files are
skipped by fingerprint (``ingest_paths``), so a restart costs a few hashes.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from search_api.backend import SearchBackend
from search_api.errors import PolicyKBError
from search_api.settings import REPO_ROOT, Settings

DEFAULT_CORPUS = REPO_ROOT / "corpus"


def refresh_corpus(backend: SearchBackend, corpus: Path) -> bool:
    """Ingest ``corpus`` into ``backend`` where it differs; False if some file failed."""
    from search_api.loading import ingest_paths

    if not corpus.exists():
        print(f"no corpus at {corpus}: serving the index as it is", file=sys.stderr)
        return True
    started = time.perf_counter()
    report = ingest_paths(backend, [corpus], progress=True)
    for failure in report.failures:
        print(f"错误 error: {failure}", file=sys.stderr)
    if report.files == report.skipped_unchanged:
        print(f"index up to date with {corpus} ({report.files} files)", file=sys.stderr)
    else:
        print(
            f"ingested {report.files - report.skipped_unchanged} changed files of {corpus}: "
            f"{report.documents} documents, {report.passages} passages in {time.perf_counter() - started:.1f}s",
            file=sys.stderr,
        )
    return not report.failures


def serve(settings: Settings, *, host: str, port: int, corpus: Path | None, log_level: str = "info") -> int:
    """Refresh the index from ``corpus`` (None: don't), then run uvicorn until stopped."""
    import uvicorn

    from search_api.app import create_app
    from search_api.backends import open_backend

    backend: SearchBackend | None = None
    try:
        backend = open_backend(settings, create=corpus is not None)
        if corpus is not None:
            refresh_corpus(backend, corpus)
    except PolicyKBError as exc:
        # The server still starts: /healthz answers, /readyz and searches say 503 and why,
        # and the engine is opened again on the next request (e.g. once the node is up).
        print(f"警告 warning: {exc}; serving anyway, /readyz reports the engine state", file=sys.stderr)
        backend = None
    app = create_app(backend, settings=settings) if backend is not None else create_app(settings)
    print(f"policykb: http://{host}:{port}/  (API: http://{host}:{port}/openapi.json)", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=log_level == "debug")
    return 0
