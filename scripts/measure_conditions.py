#!/usr/bin/env python3
"""Measure ``Passage.conditions`` against the hand labels in tests/data/conditions.jsonl,
conditions-extra.jsonl to conditions-extra9.jsonl (not extra8, kept apart), conditions-holdout2.jsonl and
conditions-holdout3.jsonl.

The labels cover the condition clauses of the book's three full policy texts (corpus/) and
of 42 laws and regulations of the shared archive (../shared/corpora/regulations.tar.gz,
read from the tarball). Each source is ingested by the real pipeline
(``Pipeline.parse_bytes``: extraction, segmentation, enrichment). Every condition predicted
on a policy passage of a labelled document is keyed by its record: the document, the
article (or section) and the item (（一）, 4.) or paragraph (第二款, read from the
condition's offset in the article's text). A prediction matches an unmatched label of the
same record and field whose value is equal (lists as sets; ``other``: the two spans share
a run of at least half the shorter one). Precision counts every prediction in a labelled
document, including those on clauses nobody labelled; recall counts every label. Group
accuracy compares, for matched pairs, the kind of group (hard, gN, gN/x, xN, xN/x, pref,
sub) and the negation. Results per field, for the ``tune`` split (which the cues of
knowledge/data/eligibility.json were fitted on) and the ``holdout`` split (which they were
not). tests/enrich/test_condition_labels.py asserts the targets.

    python scripts/measure_conditions.py [--archive PATH] [--labels PATH ...] [--errors SPLIT] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from measure_clause_types import DEFAULT_ARCHIVE, SPLITS, _document, ingest_sources, load_labels  # noqa: E402

from analysis.text import compact  # noqa: E402
from ingest.model import Document, Passage, paragraph_label  # noqa: E402
from knowledge.eligibility import FIELDS  # noqa: E402

# The first labels and those written later, on laws the rules had not been fitted on.
DEFAULT_LABELS = tuple(
    REPO / "tests" / "data" / name
    for name in (
        "conditions.jsonl",
        "conditions-extra.jsonl",
        "conditions-extra2.jsonl",
        "conditions-extra3.jsonl",
        "conditions-extra4.jsonl",
        "conditions-extra5.jsonl",
        "conditions-extra6.jsonl",
        "conditions-extra7.jsonl",
        "conditions-extra9.jsonl",
        "conditions-holdout2.jsonl",
        "conditions-holdout3.jsonl",
    )
)
# 第四条（一）, and 第四条第二款（一） for an item of a second list (cited by its item, as labelled).
_ARTICLE_LOCATOR = re.compile(r"^(第\S+?条(?:之\S+)?)(?:第\S+?款)?(（\S+）)?$")
_SECTION_LOCATOR = re.compile(r"^([一二三四五六七八九十]+)、(\S*)$")

Key = tuple[str, str, str | None]  # document title (as labelled), article, item


@dataclass
class Pair:
    """A labelled condition and the prediction matched to it (None: missed), or an
    unmatched prediction (label None)."""

    split: str
    key: Key
    label: dict[str, Any] | None
    predicted: dict[str, Any] | None


def record_key(passage: Passage, offset: int) -> tuple[str, str | None] | None:
    """(article, item) of the record a condition at ``offset`` of ``passage`` belongs to."""
    locator = passage.locator.replace("(", "（").replace(")", "）")
    found = _ARTICLE_LOCATOR.match(locator)
    if found:
        if found.group(2):
            return found.group(1), found.group(2)
        return found.group(1), paragraph_label(passage.attrs.get("paragraphs") or [], passage.text, offset) or None
    found = _SECTION_LOCATOR.match(locator)
    if found:
        return found.group(1), found.group(2) or None
    return None


def predictions(title: str, document: Document) -> dict[Key, list[dict[str, Any]]]:
    out: dict[Key, list[dict[str, Any]]] = defaultdict(list)
    for passage in document.passages:
        if passage.kind != "policy":
            continue
        for condition in passage.conditions:
            key = record_key(passage, condition["start"])
            if key is not None:
                out[(title, *key)].append(condition)
    return out


def same(field: str, label: dict[str, Any], predicted: dict[str, Any]) -> bool:
    if label["field"] != field or predicted["field"] != field:
        return False
    if field == "other":
        a, b = compact(label["span"]), compact(predicted["span"])
        if not a or not b:
            return False
        run = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size
        return run >= max(2, min(len(a), len(b)) / 2)
    if isinstance(label["value"], list) or isinstance(predicted["value"], list):
        return set(_as_list(label["value"])) == set(_as_list(predicted["value"]))
    return bool(label["value"] == predicted["value"])


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def match(labels: list[dict[str, Any]], by_source: dict[str, list[Document]]) -> list[Pair]:
    """Pairs of every labelled document: each label with its match, then the rest of the
    predictions as unmatched."""
    gold: dict[Key, list[dict[str, Any]]] = defaultdict(list)
    titles: dict[str, tuple[str, str]] = {}
    for record in labels:
        gold[(record["document"], record["article"], record.get("item"))].extend(record["conditions"])
        titles[record["document"]] = (record["source"], record["split"])
    pairs: list[Pair] = []
    for title, (source, split) in titles.items():
        document = _document(title, by_source.get(source, []))
        predicted = predictions(title, document) if document is not None else {}
        for key in sorted({k for k in gold if k[0] == title} | set(predicted), key=str):
            pairs.extend(_pair_record(split, key, gold.get(key, []), list(predicted.get(key, []))))
    return pairs


def _pair_record(split: str, key: Key, labels: list[dict[str, Any]], free: list[dict[str, Any]]) -> list[Pair]:
    out = []
    for label in labels:
        hit = next((p for p in free if same(label["field"], label, p)), None)
        if hit is not None:
            free.remove(hit)
        out.append(Pair(split, key, label, hit))
    return out + [Pair(split, key, None, p) for p in free]


def group_kind(group: str | None) -> str:
    if group is None or group in ("pref", "sub"):
        return group or "hard"
    return ("list" if group.startswith("x") else "any") + ("-branch" if "/" in group else "")


def score(pairs: list[Pair], split: str) -> dict[str, dict[str, float]]:
    chosen = [p for p in pairs if p.split == split]
    table: dict[str, dict[str, float]] = {}
    for field in FIELDS:
        labelled = sum(p.label is not None and p.label["field"] == field for p in chosen)
        predicted = sum(p.predicted is not None and p.predicted["field"] == field for p in chosen)
        hits = sum(p.label is not None and p.predicted is not None and p.label["field"] == field for p in chosen)
        table[field] = {
            "labelled": labelled,
            "predicted": predicted,
            "precision": hits / predicted if predicted else 0.0,
            "recall": hits / labelled if labelled else 0.0,
        }
    matched = [p for p in chosen if p.label is not None and p.predicted is not None]
    table["groups"] = {
        "matched": len(matched),
        "group_accuracy": _share(matched, lambda p: group_kind(p.label["group"]) == group_kind(p.predicted["group"])),
        "negation_accuracy": _share(matched, lambda p: bool(p.label.get("negated")) == p.predicted["negated"]),
    }
    return table


def _share(pairs: list[Pair], test: Any) -> float:
    return sum(1 for p in pairs if test(p)) / len(pairs) if pairs else 0.0


def format_table(tables: dict[str, dict[str, dict[str, float]]]) -> str:
    """A Markdown table: one row per field seen in a split, then its group accuracy."""
    rows = [_row("split", "field", "labelled", "predicted", "precision", "recall"), _row(*["---"] * 6)]
    for split, table in tables.items():
        seen = [f for f in FIELDS if table[f]["labelled"] or table[f]["predicted"]]
        rows += [
            _row(split, f, *(f"{table[f][k]:.0f}" for k in ("labelled", "predicted")), *_rates(table[f])) for f in seen
        ]
        groups = table["groups"]
        rows.append(
            _row(
                split,
                f"groups (matched {groups['matched']:.0f})",
                "",
                "",
                f"accuracy {groups['group_accuracy']:.2f}",
                f"negation {groups['negation_accuracy']:.2f}",
            )
        )
    return "\n".join(rows)


def _rates(row: dict[str, float]) -> list[str]:
    return [f"{row['precision']:.2f}", f"{row['recall']:.2f}"]


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def errors(pairs: list[Pair], split: str) -> list[str]:
    out = []
    for p in pairs:
        if p.split != split:
            continue
        where = f"{p.key[0][:8]} {p.key[1]}{p.key[2] or ''}"
        label, predicted = p.label, p.predicted
        if label is not None and predicted is None:
            out.append(f"MISS {label['field']:<24} {_value(label)} «{label['span']}» {where}")
        elif label is None and predicted is not None:
            out.append(f"EXTRA {predicted['field']:<23} {_value(predicted)} «{predicted['span']}» {where}")
        elif label is not None and predicted is not None and _group_differs(label, predicted):
            out.append(f"GROUP {label['field']:<23} {label['group']} ← {predicted['group']} «{label['span']}» {where}")
    return out


def _group_differs(label: dict[str, Any], predicted: dict[str, Any]) -> bool:
    return group_kind(label["group"]) != group_kind(predicted["group"])


def _value(condition: dict[str, Any]) -> str:
    return json.dumps(condition["value"], ensure_ascii=False)


def run(archive: Path | None, label_paths: Sequence[Path] = DEFAULT_LABELS) -> tuple[list[Pair], dict[str, Any]]:
    """Pairs and per-split tables; without the archive, the book's labels only."""
    usable = archive if archive is not None and archive.is_file() else None
    every = load_labels(label_paths)
    labels = [r for r in every if usable is not None or not r["source"].startswith("regulations/")]
    pairs = match(labels, ingest_sources({r["source"] for r in labels}, usable))
    return pairs, {split: score(pairs, split) for split in SPLITS}


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE, help="the regulations tarball")
    parser.add_argument("--labels", type=Path, nargs="+", default=list(DEFAULT_LABELS), help="label files (JSON lines)")
    parser.add_argument("--errors", choices=SPLITS, help="list the misses, extras and group errors of this split")
    parser.add_argument("--json", action="store_true", help="print the tables as JSON")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if not args.archive.is_file():
        print(f"{args.archive} is absent: measuring the book's policies only", file=sys.stderr)
    pairs, tables = run(args.archive, args.labels)
    lines = [json.dumps(tables, ensure_ascii=False, indent=2) if args.json else format_table(tables)]
    lines += errors(pairs, args.errors) if args.errors else []
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
