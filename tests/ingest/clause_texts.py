"""Texts split by :class:`ingest.segment.clauses.ClauseSplitter` for the clause tests: a text
or a regulation of tests/data/regulations split, and its units, articles and items."""

from __future__ import annotations

from pathlib import Path

from ingest.model import Passage, SourceLine
from ingest.segment.clauses import ClauseSplitter

REPO = Path(__file__).resolve().parents[2]
REGULATIONS = Path(__file__).resolve().parents[1] / "data" / "regulations"


def split_text(text: str, first_line: int = 1) -> list[Passage]:
    lines = [SourceLine(line, number) for number, line in enumerate(text.split("\n"), start=first_line)]
    return ClauseSplitter().split(lines)


def units(passages: list[Passage], unit: str) -> list[Passage]:
    return [p for p in passages if p.attrs.get("unit") == unit]


def article(passages: list[Passage], number: int) -> Passage:
    return next(p for p in units(passages, "article") if p.attrs["article"] == number)


def items_of(passages: list[Passage], number: int) -> list[Passage]:
    return [p for p in units(passages, "item") if p.attrs["article"] == number]


def regulation(name: str) -> tuple[list[str], list[Passage]]:
    """A fixture regulation: its raw lines and the split of its body (title removed)."""
    path = next(REGULATIONS.glob(f"{name}*.txt"))
    raw = path.read_text(encoding="utf-8").split("\n")
    lines = [SourceLine(text, number) for number, text in enumerate(raw, start=1)]
    return raw, ClauseSplitter().split(lines[1:])
