#!/usr/bin/env python3
"""Measure ``Passage.clause_type`` against the hand labels in tests/data/clause_types*.jsonl.

The labels cover every article and item of the policy texts they name: the book's three
full policy texts (corpus/) and laws and regulations of the shared archive
(../shared/corpora/regulations.tar.gz, read from the tarball). clause_types.jsonl holds
the first 15 texts; clause_types-extra.jsonl holds texts labelled later, after the cues
were fitted, so that its tune figures first measured how the cues carry to unseen laws. Each source is ingested by
the real pipeline (``Pipeline.parse_bytes``: extraction, segmentation, enrichment), each
labelled unit is matched to its passage (document by title, then the locator 第四条（一）
checked against the start of the text, else the text start alone), and precision and
recall are computed per type, separately for the ``tune`` split (which the cues in
``knowledge/data/clause_cues.json`` are fitted on) and the ``holdout`` split (which
they are not); the tune split is also scored per label file (``tune:clause_types-extra``),
so that a cue change can be seen to keep the older figures. The README's table comes from
this script; tests/enrich/test_clause_types.py asserts its targets.

    python scripts/measure_clause_types.py [--archive PATH] [--labels PATH ...] [--split tune]
        [--errors SPLIT] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tarfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from analysis.text import compact  # noqa: E402
from ingest.model import CLAUSE_TYPES, Document, Passage  # noqa: E402
from ingest.pipeline import Pipeline  # noqa: E402

DEFAULT_ARCHIVE = REPO.parent / "shared" / "corpora" / "regulations.tar.gz"
DEFAULT_LABELS = (
    REPO / "tests" / "data" / "clause_types.jsonl",
    REPO / "tests" / "data" / "clause_types-extra.jsonl",
    REPO / "tests" / "data" / "clause_types-extra2.jsonl",
    REPO / "tests" / "data" / "clause_types-extra3.jsonl",
    REPO / "tests" / "data" / "clause_types-extra4.jsonl",
    REPO / "tests" / "data" / "clause_types-extra5.jsonl",
    REPO / "tests" / "data" / "clause_types-extra6.jsonl",
    REPO / "tests" / "data" / "clause_types-extra7.jsonl",
    REPO / "tests" / "data" / "clause_types-extra8.jsonl",
    REPO / "tests" / "data" / "clause_types-extra9.jsonl",
    REPO / "tests" / "data" / "clause_types-extra10.jsonl",
    REPO / "tests" / "data" / "clause_types-extra11.jsonl",
    REPO / "tests" / "data" / "clause_types-extra12.jsonl",
    REPO / "tests" / "data" / "clause_types-extra13.jsonl",
)
SPLITS = ("tune", "holdout")
# The number before a clause's text: 第四条, （一）, (二), 1., 一、, 一 (section headings).
_NUMBER = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇\d]+条|[(（][一二三四五六七八九十\d]+[)）]|\d+[.．、]|[一二三四五六七八九十]+[、\s])\s*"
)


@dataclass
class Match:
    label: dict[str, Any]
    passage: Passage | None

    @property
    def predicted(self) -> str | None:
        return self.passage.clause_type if self.passage is not None else None


def load_labels(paths: Iterable[Path] = DEFAULT_LABELS) -> list[dict[str, Any]]:
    """The labels of every file, each marked with its file's stem (key ``file``)."""
    out = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append({**json.loads(line), "file": path.stem})
    return out


def ingest_sources(sources: Iterable[str], archive: Path | None) -> dict[str, list[Document]]:
    """The documents of each source: ``corpus/…`` from the repository, ``regulations/…``
    from the archive's member of that name (skipped when ``archive`` is None)."""
    pipeline = Pipeline()
    wanted = sorted(set(sources))
    data: dict[str, bytes] = {}
    for source in wanted:
        if not source.startswith("regulations/"):
            data[source] = (REPO / source).read_bytes()
    members = [s for s in wanted if s.startswith("regulations/")]
    if members and archive is not None:
        with tarfile.open(archive) as tar:
            for name in members:
                handle = tar.extractfile(name)
                if handle is None:
                    raise FileNotFoundError(f"{archive}: no member {name}")
                data[name] = handle.read()
    return {source: pipeline.parse_bytes(Path(source), raw, source).documents for source, raw in data.items()}


def _title_key(title: str) -> str:
    return compact(title).replace("~", "-").replace("〜", "-")


def _start(text: str) -> str:
    """A clause's text without its number, compacted (the labels' ``text`` form)."""
    return compact(_NUMBER.sub("", text, count=1))


def _document(label_title: str, documents: list[Document]) -> Document | None:
    key = _title_key(label_title)
    policies = [d for d in documents if d.kind == "policy" and any(p.kind == "policy" for p in d.passages)]
    for document in policies:
        other = _title_key(document.title)
        if other == key or other in key or key in other:
            return document
    return None


def _locator(label: dict[str, Any]) -> str:
    article = str(label["article"]).rstrip("、").strip()
    item = label.get("item") or ""
    item = re.sub(r"^第.款", "", item).replace("(", "（").replace(")", "）")
    if re.fullmatch(r"[一二三四五六七八九十]+", article):
        article += "、"
    return compact(article + item)


def match_labels(labels: list[dict[str, Any]], by_source: dict[str, list[Document]]) -> list[Match]:
    """Each label's passage: same document, locator and text start; else same document and
    text start; else None (counted as a miss of the label's type)."""
    out: list[Match] = []
    used: set[int] = set()
    for label in labels:
        documents = by_source.get(label["source"])
        document = _document(label["document"], documents) if documents else None
        passage = _find(label, document, used) if document is not None else None
        if passage is not None:
            used.add(id(passage))
        out.append(Match(label, passage))
    return out


def _find(label: dict[str, Any], document: Document, used: set[int]) -> Passage | None:
    start = compact(label["text"])
    clauses = [p for p in document.passages if p.kind == "policy" and p.attrs.get("part", 1) == 1]
    fresh = [p for p in clauses if id(p) not in used]
    locator = _locator(label)
    by_locator = [p for p in fresh if compact(p.locator) == locator]
    for candidates in (by_locator, fresh):
        for passage in candidates:
            if _start(passage.text).startswith(start[:20]):
                return passage
    return by_locator[0] if len(by_locator) == 1 else None


def score(matches: list[Match], split: str) -> dict[str, dict[str, float]]:
    """Per type: labelled count, predicted count, precision and recall on ``split``
    (``tune``, or ``tune:FILE`` for the tune labels of one label file)."""
    split, _, file = split.partition(":")
    chosen = [m for m in matches if m.label["split"] == split and (not file or m.label["file"] == file)]
    table: dict[str, dict[str, float]] = {}
    for kind in CLAUSE_TYPES:
        gold = sum(m.label["type"] == kind for m in chosen)
        predicted = sum(m.predicted == kind for m in chosen)
        hits = sum(m.label["type"] == kind and m.predicted == kind for m in chosen)
        table[kind] = {
            "labelled": gold,
            "predicted": predicted,
            "precision": hits / predicted if predicted else 0.0,
            "recall": hits / gold if gold else 0.0,
        }
    table["all"] = {
        "labelled": len(chosen),
        "matched": sum(m.passage is not None for m in chosen),
        "accuracy": sum(m.label["type"] == m.predicted for m in chosen) / len(chosen) if chosen else 0.0,
    }
    return table


def format_table(tables: dict[str, dict[str, dict[str, float]]]) -> str:
    lines = ["| split | type | labelled | predicted | precision | recall |", "|---|---|---|---|---|---|"]
    for split, table in tables.items():
        for kind in CLAUSE_TYPES:
            row = table[kind]
            lines.append(
                f"| {split} | {kind} | {row['labelled']:.0f} | {row['predicted']:.0f} "
                f"| {row['precision']:.2f} | {row['recall']:.2f} |"
            )
        total = table["all"]
        lines.append(
            f"| {split} | all (matched {total['matched']:.0f}/{total['labelled']:.0f}) | | "
            f"| accuracy {total['accuracy']:.2f} | |"
        )
    return "\n".join(lines)


def errors(matches: list[Match], split: str) -> list[str]:
    out = []
    for m in matches:
        if m.label["split"] != split or m.label["type"] == m.predicted:
            continue
        label = m.label
        where = f"{label['document'][:12]} {label['article']}{label.get('item') or ''}"
        out.append(f"{label['type']:>10} ← {m.predicted or '-':<10} {where} [{label['chapter']}] {label['text']}")
    return out


def run(
    archive: Path | None, labels_paths: Iterable[Path] = DEFAULT_LABELS, splits: Iterable[str] = SPLITS
) -> tuple[list[Match], dict[str, Any]]:
    """The matches of the labels of ``splits`` and their tables: one per split, and for
    ``tune`` one more per label file."""
    wanted = set(splits)
    labels = [label for label in load_labels(labels_paths) if label["split"] in wanted]
    if archive is None or not archive.is_file():
        archive = None
        labels = [label for label in labels if not label["source"].startswith("regulations/")]
    matches = match_labels(labels, ingest_sources({label["source"] for label in labels}, archive))
    names = [split for split in SPLITS if split in wanted]
    if "tune" in wanted:
        files = sorted({label["file"] for label in labels if label["split"] == "tune"})
        names[1:1] = [f"tune:{file}" for file in files] if len(files) > 1 else []
    return matches, {name: score(matches, name) for name in names}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE)
    parser.add_argument("--labels", type=Path, nargs="+", default=list(DEFAULT_LABELS))
    parser.add_argument("--split", choices=SPLITS, action="append", help="measure only this split (repeatable)")
    parser.add_argument("--errors", choices=SPLITS, help="list the units of this split labelled otherwise")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.archive.is_file():
        print(f"{args.archive} is absent: measuring the book's policies only", file=sys.stderr)
    matches, tables = run(args.archive, args.labels, args.split or SPLITS)
    if args.json:
        print(json.dumps(tables, ensure_ascii=False, indent=2))
    else:
        print(format_table(tables))
    if args.errors:
        counts = Counter((m.label["type"], m.predicted) for m in matches if m.label["split"] == args.errors)
        print("\n".join(errors(matches, args.errors)))
        print(counts.most_common())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
