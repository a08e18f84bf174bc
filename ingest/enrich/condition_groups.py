"""Any-of groups of a passage's conditions: branch names while reading, numbers after.

While a record is read, each requirement span's alternatives get a provisional group
``g#<start>`` (a branch ``g#<start>/a`` when an alternative states several requirements);
:func:`name_groups` numbers them per passage in text order (g1, g2/a …), which is what the
stored conditions and the check's verdicts use. Sentences joined by ；或者 are one group
(:func:`joined`).
"""

from __future__ import annotations

from typing import Any

from ingest.enrich.condition_records import LETTERS


def joined(run: list[list[dict[str, Any]]], start: int) -> list[dict[str, Any]]:
    """The conditions of sentences joined by ；或者 (具备…学位；或者…学历；或者…): each
    sentence is one alternative of an any-of group, a branch when it states several."""
    if len(run) < 2:
        return run[0] if run else []
    for index, items in enumerate(run):
        for item in items:
            item["group"] = branch_name(start, index, len(items))
    return [item for items in run for item in items]


def branch_name(start: int, index: int, size: int) -> str:
    """The group of alternative ``index`` of the requirement at ``start``: the group itself
    when the alternative is one requirement, else its lettered branch (numbered per
    passage by :func:`name_groups`)."""
    return f"g#{start}" if size == 1 else f"g#{start}/{LETTERS[index % 26]}"


def name_groups(conditions: list[dict[str, Any]]) -> None:
    """Number the any-of groups of a passage in text order (g1, g2 …): each requirement
    span's alternatives are one group, so two paragraphs' groups stay apart."""
    numbers: dict[str, str] = {}
    for condition in conditions:
        group = condition["group"]
        if group is None or not group.startswith("g#"):
            continue
        key, _, branch = group.partition("/")
        name = numbers.setdefault(key, f"g{len(numbers) + 1}")  # g#<start> and g#L<lead>
        condition["group"] = f"{name}/{branch}" if branch else name
