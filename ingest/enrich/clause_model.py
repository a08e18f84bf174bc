"""A learned second opinion on clause types, over the cue votes.

The cues of ``clause_cues.json`` were written while reading ~4,000 hand-labelled clauses;
on laws they had not seen they typed 0.65–0.73 of the clauses right, each new set showing
phrasings no cue foresaw. This model reads the same evidence as the cues (the cue votes of
the lead text, of the rest of the article and of the headings, the cues' own decision and,
for an item, its article's) plus the character bigrams and trigrams of the clause's lead
and headings, and weighs them by multinomial logistic regression fitted on the labels'
``tune`` split (``scripts/train_clause_model.py``; the holdout is never read). On a label
set written after the model was fitted it typed 0.77 where the cues typed 0.73.

The weights live in ``knowledge/data/clause_model.json`` as named features (``t2:申报``,
``h:条件``, ``cue=condition`` …), so a reader can see what a clause type is learned from;
the file is validated on load like every other data file. Applying it is a sum of the
weights of the features a clause has: no numerical library at run time.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.tables import CLAUSE_TYPES, DataFileError

Scores = Mapping[str, int]
# The version of :func:`features`; a model fitted on another version is refused.
FEATURE_VERSION = 1
# How much of a clause's lead text is read (a lead's opening states what it does).
LEAD_CHARS = 80
# How much of an item's article lead-in is read: its end (符合下列条件：, 给予下列补贴：).
PARENT_CHARS = 30
# A cue vote counts vote / VOTE_SCALE, capped: ten strong cues say no more than three.
VOTE_SCALE = 10
VOTE_CAP = 30


@dataclass(frozen=True)
class ClauseView:
    """What the model reads of one clause: its normalised lead text, the headings above
    it, the cue votes and the cues' decision, and for an item its article's view."""

    lead: str
    headings: tuple[str, ...]
    cue_type: str
    lead_votes: Scores
    rest_votes: Scores
    heading_votes: tuple[Scores, ...]
    child: bool
    parent: ClauseView | None


def features(view: ClauseView) -> dict[str, float]:
    """The named features of a clause (a name present once has value 1 unless a vote)."""
    out: dict[str, float] = {"bias": 1.0, f"cue={view.cue_type}": 1.0}
    _votes(out, "L", view.lead_votes)
    _votes(out, "R", view.rest_votes)
    for votes in view.heading_votes:
        _votes(out, "H", votes)
    lead = "".join(view.lead.split())[:LEAD_CHARS]
    out.update(_grams("t2:", lead, 2))
    out.update(_grams("t3:", lead, 3))
    for heading in view.headings[-2:]:
        out.update(_grams("h:", "".join(heading.split()), 2))
    if view.child:
        out["child"] = 1.0
        if view.parent is not None:
            out[f"parent={view.parent.cue_type}"] = 2.0
            _votes(out, "PL", view.parent.lead_votes)
            out.update(_grams("pt:", "".join(view.parent.lead.split())[-PARENT_CHARS:], 2))
    return out


def _votes(out: dict[str, float], prefix: str, votes: Scores) -> None:
    for kind, vote in votes.items():
        key = f"{prefix}:{kind}"
        out[key] = out.get(key, 0.0) + min(vote, VOTE_CAP) / VOTE_SCALE


def _grams(prefix: str, text: str, n: int) -> dict[str, float]:
    """The character n-grams of ``text`` as features named ``prefix`` + n-gram."""
    return dict.fromkeys([prefix + text[i : i + n] for i in range(len(text) - n + 1)], 1.0)


class ClauseModel:
    """Weights per feature and type; :meth:`decide` picks the type of highest score."""

    def __init__(self, types: tuple[str, ...], weights: dict[str, tuple[float, ...]]) -> None:
        self.types = types
        self.weights = weights

    @classmethod
    def load(cls, path: Path) -> ClauseModel:
        """The model in ``path``, read and checked once per version of the file: every
        ingest builds a pipeline (the test suite hundreds), and reading the 2.5 MB of
        weights took a quarter of a second each time. A model is never changed once made."""
        try:
            stat = path.stat()
        except OSError as exc:
            raise DataFileError(path, f"cannot read the clause model: {exc}") from exc
        return _load(path, stat.st_mtime_ns, stat.st_size)

    @classmethod
    def read(cls, path: Path) -> ClauseModel:
        root = _read(path)
        types = tuple(root["types"])
        weights: dict[str, tuple[float, ...]] = {}
        for name, row in root["weights"].items():
            if not isinstance(row, list) or len(row) != len(types) or not all(_finite(w) for w in row):
                raise DataFileError(path, f"weights[{name!r}] must be {len(types)} finite numbers, got {row!r}")
            weights[name] = tuple(float(w) for w in row)
        return cls(types, weights)

    def scores(self, feats: Mapping[str, float]) -> list[float]:
        """Per type, the sum of the weights of ``feats`` (:func:`features`) times their values."""
        rows: list[tuple[float, ...]] = []
        get = self.weights.get
        for name, value in feats.items():
            row = get(name)
            if row is not None:
                rows.append(row if value == 1.0 else tuple(weight * value for weight in row))
        return [sum(column) for column in zip(*rows, strict=True)] if rows else [0.0] * len(self.types)

    def decide(self, view: ClauseView) -> str:
        return self.decide_features(features(view))

    def decide_features(self, feats: Mapping[str, float]) -> str:
        totals = self.scores(feats)
        return self.types[max(range(len(totals)), key=totals.__getitem__)]


@functools.lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int, size: int) -> ClauseModel:
    """:meth:`ClauseModel.read`, cached by the file's version (its time and size)."""
    del mtime_ns, size  # the cache key only
    return ClauseModel.read(path)


def _read(path: Path) -> dict[str, Any]:
    try:
        root = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataFileError(path, f"cannot read the clause model: {exc}") from exc
    if not isinstance(root, dict):
        raise DataFileError(path, "the top level must be an object")
    if root.get("feature_version") != FEATURE_VERSION:
        raise DataFileError(path, f"feature_version must be {FEATURE_VERSION}, got {root.get('feature_version')!r}")
    if sorted(root.get("types") or ()) != sorted(CLAUSE_TYPES):
        raise DataFileError(path, f"'types' must list each of {', '.join(CLAUSE_TYPES)} once")
    if not isinstance(root.get("weights"), dict) or not root["weights"]:
        raise DataFileError(path, "'weights' must be a non-empty object of feature → weights per type")
    return root


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
