"""A real ``policykb serve`` process on a free loopback port, for load and outage tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def running_server(*engine: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """Start ``policykb serve --no-ingest`` with ``engine`` options; yield its base URL.

    The server's stderr goes to a temporary file, not a pipe: nobody reads a pipe while
    the server runs, so a server that logs more than the pipe buffer (64 KiB, e.g. one
    warning per failed request) would block in ``write`` and stall every request. The log
    is printed on exit, which pytest shows with a failing test.
    """
    port = free_port()
    command = [sys.executable, "-m", "search_api.cli", "serve", "--no-ingest", "--port", str(port), *engine]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, cwd=REPO, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=log
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
            yield base
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
