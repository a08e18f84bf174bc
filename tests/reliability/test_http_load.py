"""10,000 HTTP searches from 32 concurrent clients against a real server: zero errors."""

from __future__ import annotations

import asyncio
import json
import random
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.conftest import DATA, REPO
from tests.reliability.server import running_server

REQUESTS = 10_000
CLIENTS = 32


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> str:
    path = str(tmp_path_factory.mktemp("load") / "index")
    command = [sys.executable, "-m", "search_api.cli", "ingest", str(corpus_dir), "--db", path, "--quiet"]
    subprocess.run(command, cwd=REPO, check=True, capture_output=True)
    return path


def request_mix(rng: random.Random) -> list[dict[str, str]]:
    judged = [json.loads(line)["q"] for line in (DATA / "queries-dev.jsonl").read_text().splitlines() if line]
    mix: list[dict[str, str]] = []
    for i in range(REQUESTS):
        params = {"q": rng.choice(judged)}
        if i % 4 == 1:
            params["doc_type"] = "policy"
        if i % 4 == 2:
            params["page"] = str(rng.randint(1, 3))
        if i % 4 == 3:
            params["eligibility_only"] = "true"
        mix.append(params)
    return mix


async def hammer(base: str, mix: list[dict[str, str]]) -> tuple[int, list[str]]:
    queue: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    for params in mix:
        queue.put_nowait(params)
    errors: list[str] = []
    done = 0
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:

        async def worker() -> None:
            nonlocal done
            while not queue.empty():
                params = queue.get_nowait()
                try:
                    response = await client.get("/api/search", params=params)
                    if response.status_code != 200 or "hits" not in response.json():
                        errors.append(f"{response.status_code} {params}")
                except httpx.HTTPError as exc:
                    errors.append(f"{exc!r} {params}")
                done += 1

        await asyncio.gather(*(worker() for _ in range(CLIENTS)))
    return done, errors


def test_ten_thousand_searches_at_32_clients(db: str) -> None:
    mix = request_mix(random.Random(11))
    # A loop of its own in a thread of its own: a session fixture (Playwright's sync API)
    # may keep an event loop running in this thread, and asyncio.run refuses that.
    with running_server("--db", db) as base, ThreadPoolExecutor(1) as pool:
        done, errors = pool.submit(asyncio.run, hammer(base, mix)).result()
    assert done == REQUESTS
    assert errors == []


def test_several_worker_processes_serve_the_same_index(db: str) -> None:
    """``serve --workers 2``: each process opens the index from the environment it is
    handed; both answer, on one port, whatever POLICYKB_ES_URL says (``--db`` wins)."""
    env = {"POLICYKB_ES_URL": "http://127.0.0.1:9"}  # would be unreachable if it leaked through
    server = running_server("--db", db, "--workers", "2", env=env)
    with server as base, httpx.Client(base_url=base, timeout=30) as client:
        assert client.get("/readyz").status_code == 200
        bodies = [client.get("/api/search", params={"q": "技能大师工作室申报条件"}).json() for _ in range(20)]
    assert all(body["hits"][0]["citation"].startswith("《北京市技能大师工作室建设管理办法》") for body in bodies)
