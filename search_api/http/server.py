"""``policykb serve``: bring the index up to date with corpus/, then serve the app.

Ingesting first makes the README's one command work on a fresh machine: the index is
built when missing and refreshed when a corpus file changed; unchanged files are
skipped by fingerprint (``ingest_paths``), so a restart costs a few hashes.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

from search_api.errors import IndexNotWritten, PolicyKBError
from search_api.search.searcher import Searcher
from search_api.settings import REPO_ROOT, Settings

DEFAULT_CORPUS = REPO_ROOT / "corpus"

# How long uvicorn keeps an idle HTTP/1.1 connection open (its default is 5 s).
#
# Closing an idle keep-alive connection races with a client that is reusing it: a request
# already sent (or in flight on the wire) when the server closes meets a reset, and the
# client sees ``ReadError`` / "connection reset" instead of a response. The race is
# only lost by the side that closes *first*, so the server must keep idle connections
# longer than any client keeps them for reuse. uvicorn arms its timer when it has
# *written* a response, before the client has even read it, so with equal timeouts
# (5 s here, 5 s in httpx's default ``keepalive_expiry``) the server always closes first.
# Under CPU load that happened hundreds of times per 10,000-request run of
# tests/reliability/test_http_load.py (httpx's pool prefers its first idle connections,
# so the rest sit idle for ~5 s between bursts) and a few of those closes hit a request.
# 120 s outlasts the reuse windows of common clients (httpx 5 s, aiohttp 15 s, AWS ALB
# 60 s, Go's net/http 90 s); they drop their idle connections first, cleanly. Idle
# connections cost a socket each and are closed at once on shutdown.
#
# Keep-alive therefore stays long, and what idle clients can hold is bounded by their
# number instead (search_api/http/protocol.py): past POLICYKB_MAX_CONNECTIONS the
# connection idle for longest is closed. That close can meet the same race, but only
# under that pressure, and it hits the client that has waited longest to reuse it.
KEEP_ALIVE_SECONDS = 120


def refresh_corpus(backend: Searcher, corpus: Path) -> bool:
    """Ingest ``corpus`` into ``backend`` where it differs; False if some file failed."""
    from search_api.index.loading import ingest_paths

    if not corpus.exists():
        print(f"no corpus at {corpus}: serving the index as it is", file=sys.stderr)
        return True
    started = time.perf_counter()
    report = ingest_paths(backend.engine, [corpus], progress=True)
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


def serve(
    settings: Settings, *, host: str, port: int, corpus: Path | None, workers: int = 1, log_level: str = "info"
) -> int:
    """Refresh the index from ``corpus`` (None: don't), then run uvicorn until stopped.

    With ``workers`` > 1, uvicorn runs that many processes on one socket, each opening
    the engine itself (:func:`search_api.http.app.app_from_environment`): a search spends
    about half its time in Python (routing, JSON, hits), which one process runs on one
    core at a time, while the tantivy index files are shared through the page cache.
    """
    import uvicorn

    from search_api.http import protocol

    descriptors = raise_file_limit()
    limits = protocol.configure(settings)
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": log_level,
        # A log line per request costs about a tenth of a cached search.
        "access_log": log_level == "debug",
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
        "http": protocol.GuardedHttpToolsProtocol,
        "loop": "uvloop",  # libuv's event loop: a request's I/O in about half asyncio's time
    }

    backend = _open_refreshed(settings, corpus, keep_open=workers == 1)
    print(f"policykb: http://{host}:{port}/  (API: http://{host}:{port}/openapi.json)", file=sys.stderr)
    print(
        f"up to {limits.max_connections} connections per process ({descriptors} descriptors), "
        f"request time budget {settings.request_timeout_s:g} s",
        file=sys.stderr,
    )
    if workers > 1:
        # The worker processes read their settings from the environment.
        os.environ.update(settings_environment(settings))
        if settings.es_url is None:
            os.environ.pop("POLICYKB_ES_URL", None)
        uvicorn.run("search_api.http.app:app_from_environment", factory=True, workers=workers, **options)
        return 0
    from search_api.http.app import create_app

    app = create_app(backend, settings=settings, warm=True) if backend is not None else create_app(settings, warm=True)
    uvicorn.run(app, **options)
    return 0


def _open_refreshed(settings: Settings, corpus: Path | None, *, keep_open: bool) -> Searcher | None:
    """The engine with ``corpus`` ingested (None: as it is); None when it cannot be opened
    now, or when the server's worker processes open their own (``keep_open`` False)."""
    from search_api.search.searcher import open_searcher

    backend: Searcher | None = None
    try:
        backend = open_searcher(settings, create=corpus is not None)
        if corpus is not None:
            try:
                refresh_corpus(backend, corpus)
            except IndexNotWritten as exc:
                # Another ingest holds the writer, the disk is full or the folder read-only:
                # the committed version is whole and searchable, so serve it.
                print(f"警告 warning: {exc}; serving the index as last committed", file=sys.stderr)
    except PolicyKBError as exc:
        # The server still starts: /healthz answers, /readyz and searches say 503 and why,
        # and the engine is opened again on the next request (e.g. once the node is up).
        print(f"警告 warning: {exc}; serving anyway, /readyz reports the engine state", file=sys.stderr)
        return None
    if not keep_open:
        backend.close()
        return None
    return backend


def raise_file_limit() -> int:
    """Raise this process's soft limit on open descriptors to its hard limit (worker
    processes inherit it); return the soft limit now in force.

    The soft limit is often 1,024 while the hard one is far higher: each client connection
    holds a descriptor, and a process that runs out can accept no connection at all.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft != hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError) as exc:
            print(f"警告 warning: cannot raise the descriptor limit from {soft} to {hard}: {exc}", file=sys.stderr)
    return int(soft)


def settings_environment(settings: Settings) -> dict[str, str]:
    """The environment from which :func:`search_api.settings.load_settings` gives back
    ``settings``' engine choice (for worker processes)."""
    if settings.es_url:
        return {
            "POLICYKB_ES_URL": settings.es_url,
            "POLICYKB_ES_INDEX": settings.es_index,
            "POLICYKB_ES_TIMEOUT": str(settings.es_timeout_s),
        }
    return {"POLICYKB_DB": str(settings.db_path)}
