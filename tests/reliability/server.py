"""A real ``policykb serve`` process on a free loopback port, for load and outage tests."""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tests.conftest import REPO


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get_status(url: str, timeout: float = 10) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


@dataclass
class Server:
    url: str
    log: IO[bytes]

    def log_bytes(self) -> int:
        """How much the server has written to its stderr so far."""
        return os.fstat(self.log.fileno()).st_size

    def log_text(self, limit: int = 200_000) -> str:
        return _read(self.log, limit)


@contextmanager
def running_server(*engine: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """Start ``policykb serve --no-ingest`` with ``engine`` options; yield its base URL."""
    with serving(*engine, env=env) as server:
        yield server.url


@contextmanager
def serving(
    *engine: str, env: dict[str, str] | None = None, max_files: int | None = None, corpus: Path | None = None
) -> Iterator[Server]:
    """Start ``policykb serve --no-ingest`` (or, with ``corpus``, ``serve --corpus``: it
    ingests first) with ``engine`` options; yield the server.

    ``max_files`` sets the server's descriptor limit, soft and hard (a machine with the
    common limit of 1,024), so that raising the soft limit gains nothing.

    The server's stderr goes to a temporary file, not a pipe: nobody reads a pipe while
    the server runs, so a server that logs more than the pipe buffer (64 KiB, e.g. one
    warning per failed request) would block in ``write`` and stall every request. The log
    is printed on exit, which pytest shows with a failing test.
    """
    port = free_port()
    source = ["--corpus", str(corpus)] if corpus is not None else ["--no-ingest"]
    command = [sys.executable, "-m", "search_api.cli", "serve", *source, "--port", str(port), *engine]

    def limit_files() -> None:
        if max_files is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (max_files, max_files))

    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=log,
            preexec_fn=limit_files if max_files is not None else None,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if get_status(f"{base}/healthz", timeout=2) == 200:
                        break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start: {_read(log)}")
                time.sleep(0.2)
            yield Server(base, log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            print(f"--- {' '.join(command[2:])} stderr (exit {process.returncode}) ---\n{_read(log)}")


def _read(log: IO[bytes], limit: int = 20_000) -> str:
    """The last ``limit`` bytes of the server's log (``pread``: the server shares the file offset)."""
    size = os.fstat(log.fileno()).st_size
    start = max(0, size - limit)
    return os.pread(log.fileno(), size - start, start).decode(errors="replace")
