"""Reading an embedded index writes nothing, and an index on a read-only folder is served.

``stats``, ``search`` and ``serve --no-ingest`` used to rewrite the schema marker of the
index they opened, and to create a whole empty index in any folder given as ``--db``;
tantivy itself takes a lock file in the folder to open a reader, so an index on a
read-only mount could not be opened at all. A folder that cannot be written is now read
through a private folder of links (``search_api/index/tantivy/readonly.py``).
"""

from __future__ import annotations

import json
import os
import shutil
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.faults import GOOD, cli, one_policy, remount, search_total, tmpfs
from tests.reliability.server import serving

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def _state(*folders: Path) -> dict[str, tuple[int, int, int]]:
    """Every file and folder under ``folders``: inode, size and modification time."""
    seen: dict[str, tuple[int, int, int]] = {}
    for folder in folders:
        for path in [folder, *folder.rglob("*")] if folder.exists() else []:
            stat = path.lstat()
            seen[str(path)] = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    return seen


@pytest.fixture()
def made(tmp_path: Path) -> tuple[Path, Path]:
    return one_policy(tmp_path)


@pytest.fixture()
def corpus(made: tuple[Path, Path]) -> Path:
    return made[0]


@pytest.fixture()
def index(made: tuple[Path, Path]) -> Path:
    return made[1]


def _hit_id(db: Path) -> str:
    done = cli("search", "人才", "--json", "--db", str(db))
    assert done.returncode == 0, done.stderr
    hits = json.loads(done.stdout)["hits"]
    assert hits, done.stdout
    return str(hits[0]["id"])


def test_read_only_commands_write_nothing(index: Path, tmp_path: Path) -> None:
    empty, missing = tmp_path / "empty", tmp_path / "missing"
    empty.mkdir()
    passage = _hit_id(index)
    before = _state(index, empty, missing)
    for command in (
        ["stats"],
        ["search", "人才"],
        ["show", passage],
        ["check", "人才", "--age", "30"],
        ["policies", "--json"],
    ):
        done = cli(*command, "--db", str(index))
        assert done.returncode == 0, (command, done.stderr)
    for folder in (empty, missing):
        done = cli("stats", "--db", str(folder))
        assert done.returncode == 2 and done.stderr.startswith("错误 error: no index in "), done.stderr
    with serving("--db", str(index)) as server:
        assert search_total(server.url, "人才") > 0
    assert _state(index, empty, missing) == before


@pytest.fixture()
def read_only_index(index: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the index on a read-only mount (root), or in a folder without write
    permission (anyone else: root ignores the permission)."""
    if os.geteuid() != 0:
        copy = tmp_path / "read-only"
        shutil.copytree(index, copy)
        for path in [*copy.iterdir(), copy]:
            path.chmod(path.stat().st_mode & ~0o222)
        yield copy
        copy.chmod(0o755)
        return
    with tmpfs(tmp_path / "mount", "16m") as mount:
        shutil.copytree(index, mount / "index")
        remount(mount, "ro")
        yield mount / "index"


def test_an_index_on_a_read_only_folder_is_searched_and_served(
    read_only_index: Path, corpus: Path, tmp_path: Path
) -> None:
    links = tmp_path / "tmp"  # the private folders of links go here, and must go away
    links.mkdir()
    env = {"TMPDIR": str(links)}
    done = cli("search", "人才", "--json", "--db", str(read_only_index), env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] > 0
    # Unchanged: nothing to write, so serve's refresh and ingest just say so.
    with serving("--db", str(read_only_index), corpus=corpus, env=env) as server:
        assert search_total(server.url, "人才") > 0
        assert "index up to date" in server.log_text()
    (corpus / "policy.txt").write_text(GOOD.read_text(encoding="utf-8") + "\n第九条 新增一条。\n", encoding="utf-8")
    done = cli("ingest", str(corpus), "--quiet", "--db", str(read_only_index), env=env)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"错误 error: cannot write the index in {read_only_index}: the folder is read-only"
    ]
    with serving("--db", str(read_only_index), corpus=corpus, env=env) as server:
        with urllib.request.urlopen(f"{server.url}/readyz", timeout=30) as response:
            assert response.status == 200
        warnings = [line for line in server.log_text().splitlines() if line.startswith("警告")]
        assert warnings == [
            f"警告 warning: cannot write the index in {read_only_index}: the folder is read-only; "
            "serving the index as last committed"
        ]
    assert list(links.glob("policykb-index-*")) == []


@pytest.mark.parametrize("damage", ["missing", "unreadable"])
def test_the_503_for_a_missing_or_unreadable_index_names_no_path(index: Path, tmp_path: Path, damage: str) -> None:
    from search_api.http.app import create_app
    from search_api.settings import load_settings

    if damage == "missing":
        db = tmp_path / "nothing-here"
    else:
        db = index
        (db / "meta.json").write_text("{not json")
    client = TestClient(create_app(load_settings(db_path=db, es_url="")))
    for url in ("/readyz", "/api/search?q=人才"):
        response = client.get(url)
        assert response.status_code == 503
        body = response.json()
        assert body["error"] == "engine_unavailable" and db.name in body["message"]
        assert str(tmp_path) not in response.text, body
