"""The regulations archive (../shared): segmentation agreement on every file, and policy
records of an ingested sample. Skipped with a one-line reason when ../shared is absent."""

from __future__ import annotations

import json
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest

from search_api.cli import main

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
import measure_segmentation  # noqa: E402

TARGET = 99.0


@pytest.fixture(scope="module")
def corpora(shared_dir: Path) -> Path:
    folder = shared_dir / "corpora"
    if not (folder / "regulations.tar.gz").is_file():
        pytest.skip(f"{folder / 'regulations.tar.gz'} is absent")
    return folder


@pytest.fixture(scope="module")
def structure(corpora: Path) -> dict[str, dict[str, Any]]:
    lines = (corpora / "regulations-structure.jsonl").read_text(encoding="utf-8").splitlines()
    return {record["path"]: record for record in map(json.loads, lines)}


@pytest.fixture(scope="module")
def unpacked(corpora: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("regs")
    with tarfile.open(corpora / "regulations.tar.gz") as tar:
        tar.extractall(target, filter="data")
    return target / "regulations"


def test_segmentation_agrees_on_the_listed_files(corpora: Path) -> None:
    summary = measure_segmentation.run(
        corpora / "regulations.tar.gz", corpora / "regulations-structure.jsonl", workers=2
    )
    assert summary["documents"] == 3236
    assert summary["ingest_articles_exact_pct"] >= TARGET
    assert summary["ingest_chapters_exact_pct"] >= TARGET
    assert summary["ingest_chapters_structure_pct"] >= TARGET
    assert summary["articles_exact_pct"] >= TARGET and summary["chapters_exact_pct"] >= TARGET


def test_segmentation_agrees_on_the_files_the_jsonl_leaves_out(corpora: Path) -> None:
    summary = measure_segmentation.run(
        corpora / "regulations.tar.gz", corpora / "regulations-structure.jsonl", workers=2, others=True
    )
    assert summary["documents"] >= 150
    assert summary["ingest_articles_exact_pct"] >= TARGET
    assert summary["ingest_chapters_structure_pct"] >= TARGET


def test_ingested_sample_gives_policy_records(
    unpacked: Path, structure: dict[str, dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = sorted(unpacked.rglob("*.txt"))
    assert len(files) == 3423
    sample = tmp_path / "sample"
    chosen: dict[str, dict[str, Any]] = {}
    for file in files[::25]:
        relative = file.relative_to(unpacked).as_posix()
        target = sample / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.read_bytes())
        if relative in structure:
            chosen[structure[relative]["title"]] = structure[relative]
    db = tmp_path / "db"
    assert main(["ingest", str(sample), "--db", str(db), "--quiet", "--workers", "2"]) == 0
    capsys.readouterr()
    assert main(["policies", "--json", "--db", str(db)]) == 0
    records = {r["title"]: r for r in json.loads(capsys.readouterr().out)}
    assert len(records) == len(list(sample.rglob("*.txt")))
    with_articles = [t for t, expected in chosen.items() if expected["articles"]]
    agree = [t for t in with_articles if records[t]["articles"] == chosen[t]["articles"]]
    assert len(agree) >= 0.99 * len(with_articles)
    # The header's first date is the archive's; the record is dated by the version its
    # text holds (the latest adoption, amendment or revision), never before the first,
    # unless the first is only when the text takes effect (施行, by its last article): then
    # by the promulgation the file's name gives, which comes before it.
    dated = [t for t, expected in chosen.items() if expected["first_date"]]
    same_date = [t for t in dated if records[t]["dates"] and records[t]["dates"][0]["date"] == chosen[t]["first_date"]]
    assert len(same_date) >= 0.95 * len(dated)
    effective_only = {t for t in same_date if {e["event"] for e in records[t]["dates"]} == {"施行"}}
    assert all(records[t]["date"] >= chosen[t]["first_date"] for t in set(same_date) - effective_only)
    amended = [t for t in same_date if any(e["event"] in ("修正", "修订") for e in records[t]["dates"])]
    assert amended and all(records[t]["date"] > chosen[t]["first_date"] for t in amended)
    with_agency = [t for t in chosen if records[t]["agencies"]]
    assert len(with_agency) >= 0.9 * len(chosen)
    # Header events come out as ISO dates with their event (通过, 修正, 施行…).
    events = [e for t in chosen for e in records[t]["dates"]]
    assert events and all(len(e["date"]) == 10 and e["event"] for e in events)
    assert {"通过", "修正", "施行"} <= {e["event"] for e in events}
