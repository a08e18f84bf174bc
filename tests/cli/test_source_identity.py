"""One source, one identity: a file named through another spelling of its root is the same.

``ingest corpus/`` then ``ingest ./corpus/../corpus/``, a symlinked root or an absolute
path must find the file already indexed (by its resolved path and its content) and do
nothing; tests/ingest/test_sources.py covers subfolders, links to files and changes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from search_api.cli import main
from tests.conftest import REPO

GOOD = REPO / "tests" / "data" / "hostile" / "good_policy.txt"


def test_other_spellings_of_a_root_index_nothing_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "corpus").mkdir()
    shutil.copy(GOOD, tmp_path / "corpus" / "policy.txt")
    (tmp_path / "linked").symlink_to("corpus")
    monkeypatch.chdir(tmp_path)
    assert main(["ingest", "corpus/", "--db", "db", "--quiet", "--workers", "1"]) == 0
    capsys.readouterr()
    for root in ("./corpus/../corpus/", "corpus", "linked/", str(tmp_path / "corpus"), "./linked/../corpus"):
        assert main(["ingest", root, "--db", "db", "--quiet", "--workers", "1"]) == 0
        assert capsys.readouterr().err.splitlines() == ["nothing to do: 1 file unchanged"], root
    assert main(["stats", "--db", "db"]) == 0
    assert json.loads(capsys.readouterr().out)["sources"] == 1
