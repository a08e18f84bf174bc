#!/usr/bin/env python3
"""Fit the clause-type model (``knowledge/data/clause_model.json``) on the tune labels.

Why a model beside the cues: see ``ingest/enrich/clause_model.py``. This script ingests
the labelled sources with the real pipeline, reads each labelled clause as the cues see
it (:meth:`ClauseTyper.views` with the cues alone, so the model never reads its own
output), and fits multinomial logistic regression with an L2 penalty by full-batch Adam
from zero weights (deterministic: the same labels give the same file). Only the ``tune``
split is read; the holdout labels are never opened. Features seen in fewer than
``--min-docs`` labelled documents are left out (a phrase of one law says nothing of the
next), and weights below ``PRUNE`` are dropped.

``--folds K`` fits nothing to keep: it reports, document-grouped, how the cues and a
model fitted on the other folds type each fold (the honest tune figure: the cues were
themselves written on these labels, so their tune figure is in-sample).

    python scripts/train_clause_model.py [--labels PATH ...] [--out PATH] [--folds K]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from measure_clause_types import DEFAULT_ARCHIVE, DEFAULT_LABELS, ingest_sources, load_labels, match_labels  # noqa: E402

from ingest.enrich.clause_model import FEATURE_VERSION, ClauseModel, features  # noqa: E402
from ingest.enrich.clause_types import ClauseTyper  # noqa: E402
from knowledge.clause_cues import load_clause_cues  # noqa: E402
from knowledge.tables import CLAUSE_TYPES, DATA_DIR  # noqa: E402

OUT = DATA_DIR / "clause_model.json"
L2 = 1e-4
ITERATIONS = 300
STEP = 0.1
MIN_DOCS = 2
PRUNE = 1e-3

Example = tuple[dict[str, float], str, str]  # features, labelled type, source


def examples(labels_paths: Sequence[Path], archive: Path) -> list[Example]:
    """Each tune label's clause as the cues see it: (features, type, source)."""
    labels = [label for label in load_labels(labels_paths) if label["split"] == "tune"]
    by_source = ingest_sources({label["source"] for label in labels}, archive)
    typer = ClauseTyper(load_clause_cues(DATA_DIR / "clause_cues.json"))
    views = {id(p): v for docs in by_source.values() for d in docs for p, v in typer.views(d) if v is not None}
    out = []
    for match in match_labels(labels, by_source):
        view = views.get(id(match.passage)) if match.passage is not None else None
        if view is not None:
            out.append((features(view), match.label["type"], match.label["source"]))
    return out


def fit(train: Sequence[Example], min_docs: int = MIN_DOCS, l2: float = L2) -> dict[str, list[float]]:
    """Weights per feature name and type (logistic regression, full-batch Adam)."""
    sources: dict[str, set[str]] = {}
    for feats, _, source in train:
        for name in feats:
            sources.setdefault(name, set()).add(source)
    vocab = {name: i for i, name in enumerate(sorted(n for n, s in sources.items() if len(s) >= min_docs))}
    rows, cols, vals = _sparse(train, vocab)
    target = np.eye(len(CLAUSE_TYPES), dtype=np.float64)[[CLAUSE_TYPES.index(t) for _, t, _ in train]]
    weights = np.zeros((len(vocab), len(CLAUSE_TYPES)))
    moment, velocity = np.zeros_like(weights), np.zeros_like(weights)
    for step in range(1, ITERATIONS + 1):
        grad = _gradient(weights, rows, cols, vals, target) + l2 * weights
        moment = 0.9 * moment + 0.1 * grad
        velocity = 0.999 * velocity + 0.001 * grad * grad
        weights -= STEP * (moment / (1 - 0.9**step)) / (np.sqrt(velocity / (1 - 0.999**step)) + 1e-8)
    return {
        name: [round(float(w), 4) for w in weights[i]]
        for name, i in vocab.items()
        if float(np.abs(weights[i]).max()) >= PRUNE
    }


def _sparse(data: Sequence[Example], vocab: dict[str, int]) -> tuple[Any, Any, Any]:
    rows, cols, vals = [], [], []
    for r, (feats, _, _) in enumerate(data):
        for name, value in feats.items():
            if name in vocab:
                rows.append(r)
                cols.append(vocab[name])
                vals.append(value)
    return np.array(rows), np.array(cols), np.array(vals)


def _gradient(weights: Any, rows: Any, cols: Any, vals: Any, target: Any) -> Any:
    """The gradient of the mean cross-entropy (softmax over the types). Sums type by type
    with ``np.bincount`` over one contiguous column: ``np.add.at`` over the (nnz, types)
    products took 30 of a fit's 34 seconds, this about 8."""
    scores = _summed(rows, np.ascontiguousarray(weights.T), cols, vals, len(target))
    scores -= scores.max(axis=1, keepdims=True)
    probs = np.exp(scores)
    probs /= probs.sum(axis=1, keepdims=True)
    error = (probs - target) / len(target)
    return _summed(cols, np.ascontiguousarray(error.T), rows, vals, len(weights))


def _summed(index: Any, columns: Any, gather: Any, vals: Any, size: int) -> Any:
    """Per type ``k``: row ``i`` sums ``columns[k][gather[j]] * vals[j]`` over ``index[j] == i``."""
    return np.stack([np.bincount(index, weights=column[gather] * vals, minlength=size) for column in columns], axis=1)


def as_model(weights: dict[str, list[float]]) -> ClauseModel:
    """The fitted weights as the model ingest applies."""
    return ClauseModel(CLAUSE_TYPES, {name: tuple(row) for name, row in weights.items()})


def cross_validate(data: Sequence[Example], folds: int, l2: float = L2) -> str:
    """Document-grouped K-fold: the cues' and the model's accuracy, and condition and
    benefit precision and recall, each fold typed by a model fitted on the others."""
    sources = sorted({source for _, _, source in data})
    random.Random(0).shuffle(sources)
    fold_of = {source: i % folds for i, source in enumerate(sources)}
    cue, model, gold = [], [], []
    for k in range(folds):
        fitted = as_model(fit([e for e in data if fold_of[e[2]] != k], l2=l2))
        for feats, kind, source in data:
            if fold_of[source] == k:
                cue.append(next(n for n in feats if n.startswith("cue=")).removeprefix("cue="))
                model.append(fitted.decide_features(feats))
                gold.append(kind)
    return "\n".join([_line("cues", cue, gold), _line("model", model, gold)])


def _line(name: str, predicted: list[str], gold: list[str]) -> str:
    right = sum(p == g for p, g in zip(predicted, gold, strict=True))
    parts = [f"{name}: {len(gold)} clauses, accuracy {right / len(gold):.3f}"]
    for kind in ("condition", "benefit"):
        hits = sum(p == g == kind for p, g in zip(predicted, gold, strict=True))
        parts.append(f"{kind} P {hits / max(predicted.count(kind), 1):.2f} R {hits / max(gold.count(kind), 1):.2f}")
    return "; ".join(parts)


def _dump(model: dict[str, Any]) -> str:
    """The model as JSON with one feature per line (readable, and diffs stay small)."""
    head = json.dumps({k: v for k, v in model.items() if k != "weights"}, ensure_ascii=False, indent=1)
    rows = ",\n".join(f"  {json.dumps(n, ensure_ascii=False)}: {json.dumps(w)}" for n, w in model["weights"].items())
    return head[: head.rindex("}")].rstrip() + ',\n "weights": {\n' + rows + "\n }\n}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE)
    parser.add_argument("--labels", type=Path, nargs="+", default=list(DEFAULT_LABELS))
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--folds", type=int, help="report document-grouped cross-validation; write nothing")
    parser.add_argument("--l2", type=float, default=L2, help=f"the L2 penalty (default {L2}; choose it by --folds)")
    args = parser.parse_args(argv)
    if not args.archive.is_file():
        print(f"{args.archive}: no such archive (the labels of regulations need it)", file=sys.stderr)
        return 2
    data = examples(args.labels, args.archive)
    if args.folds:
        print(cross_validate(data, args.folds, args.l2))
        return 0
    weights = fit(data, l2=args.l2)
    model = {
        "_comment": "Fitted by scripts/train_clause_model.py on the tune labels named below; do not edit by hand.",
        "feature_version": FEATURE_VERSION,
        "types": list(CLAUSE_TYPES),
        "trained_on": {
            "labels": sorted(p.name for p in args.labels),
            "split": "tune",
            "clauses": len(data),
            "documents": len({source for _, _, source in data}),
        },
        "options": {"l2": args.l2, "iterations": ITERATIONS, "min_docs": MIN_DOCS, "prune": PRUNE},
        "weights": dict(sorted(weights.items())),
    }
    args.out.write_text(_dump(model), encoding="utf-8")
    print(f"{args.out}: {len(weights)} features from {len(data)} clauses")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
