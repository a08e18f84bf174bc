"""Requirements scoped to one kind of applicant: alternatives, not all required.

A clause often states a requirement per kind of person: 男60岁、女50岁以下 (the bound of
each sex), 勤务辅警应当具有高中以上文化程度，文职辅警应当具有大专以上文化程度 (the schooling
of each post). Read flat, a man of 55 would fail the women's 50 and a 勤务 applicant with
高中 the 文职 post's 大专. :func:`scoped` makes each kind with its requirements one branch
of an any-of group, the kind itself a condition of the branch (a sex is read against the
profile's; a post is text for the applicant to confirm).
"""

from __future__ import annotations

import re
from typing import Any

from ingest.enrich.condition_records import LETTERS

AGE_FIELDS = ("age_max", "age_min")
# A sex right before an age bound scopes it (男60岁, 女职工年满50周岁).
_SEX_BEFORE = re.compile(r"(男|女)(?:性|职工|干部|工人|同志|的)?(?:年龄)?(?:应?在|为|年?满)?$")
# …or right after it, naming who the bound is for (年满18岁的男性公民; not 男女公民: both).
_SEX_AFTER = re.compile(r"的?(男|女)(?!女)(?:性|职工|干部|工人|同志)?")
# A clause that opens with who it binds and a modal: 文职辅警应当具有…
_SUBJECT = re.compile(r"^([^\s,;:的、]{2,8}?)(?:应当|必须|须|应)(?:具有|具备|取得|持有|达到)?$")

Condition = dict[str, Any]


# Quotation marks a span may open inside of: one cut just inside a pair is widened to hold
# it (“中华技能大奖”…“老字号工匠”, not 中华技能大奖”…“老字号工匠).
_QUOTES = {"“": "”", "「": "」", "『": "』", "‘": "’"}


def make_condition(display: str, field: str, value: Any, start: int, end: int) -> Condition:
    """One condition of ``display``'s span (its own words when ``value`` is None)."""
    closing = _QUOTES.get(display[start - 1 : start]) if start else None
    if closing and display.startswith(closing, end) and closing in display[start:end]:
        start, end = start - 1, end + 1
    span = display[start:end]
    return {
        "field": field,
        "value": span if value is None else value,
        "span": span,
        "start": start,
        "end": end,
        "group": None,
        "negated": False,
    }


def scoped(display: str, text: str, found: list[Condition], start: int) -> list[Condition]:
    """``found`` (a record's conditions) with requirements scoped by sex or by subject
    made branches of any-of groups (see the module docstring)."""
    return _by_subject(display, text, _by_sex(display, text, found, start), start)


def _by_sex(display: str, text: str, found: list[Condition], start: int) -> list[Condition]:
    """Age bounds scoped by sex, named before the bound (男60岁) or right after it
    (年满18岁的男性公民): a bound for one sex only also requires that sex."""
    kinds: dict[str, list[Condition]] = {}
    at: dict[str, int] = {}
    heads: list[tuple[int, int]] = []  # a sex named before its bound, and the words between
    for item in found:
        if item["field"] not in AGE_FIELDS or item["group"] is not None:
            continue
        before = _SEX_BEFORE.search(text, max(0, item["start"] - 6), item["start"])
        sex = before or _SEX_AFTER.match(text, item["end"])
        if sex is not None:
            kinds.setdefault(sex.group(1), []).append(item)
            at.setdefault(sex.group(1), sex.start(1))
        if before is not None:
            heads.append((before.start(), item["start"]))
    # 男性年龄在 of 男性年龄在六十周岁以下 is the branch's sex, not a requirement of its own.
    kept = [c for c in found if not (c["field"] == "other" and any(a <= c["start"] < b for a, b in heads))]
    return _branches(display, kept, kinds, at, start, "s", single=True)


def _by_subject(display: str, text: str, found: list[Condition], start: int) -> list[Condition]:
    """A field stated twice with different values, each in a clause of its own subject
    (勤务辅警应当具有…，文职辅警应当具有…): one branch per subject. Nothing changes unless
    every such requirement has its own subject."""
    fields: dict[str, list[Condition]] = {}
    for item in found:
        if item["field"] != "other" and item["group"] is None:
            fields.setdefault(item["field"], []).append(item)
    kinds: dict[str, list[Condition]] = {}
    at: dict[str, int] = {}
    heads: list[tuple[int, int]] = []
    for items in fields.values():
        if len({repr(item["value"]) for item in items}) < 2:
            continue
        for item in items:
            opens = max(text.rfind(",", start, item["start"]), text.rfind(";", start, item["start"]), start - 1) + 1
            subject = _SUBJECT.match(text[opens : item["start"]].strip())
            if subject is None:
                return found
            kinds.setdefault(subject.group(1), []).append(item)
            at.setdefault(subject.group(1), text.index(subject.group(1), opens))
            heads.append((opens, item["start"]))
    if len(kinds) < 2:
        return found
    # The words left between a subject and its requirement were read as text of their own.
    kept = [c for c in found if not (c["field"] == "other" and any(a <= c["start"] < b for a, b in heads))]
    return _branches(display, kept, kinds, at, start, "p", single=False)


def _branches(
    display: str,
    found: list[Condition],
    kinds: dict[str, list[Condition]],
    at: dict[str, int],
    start: int,
    key: str,
    *,
    single: bool,
) -> list[Condition]:
    """Each kind and its requirements one lettered branch of a group named after the
    record's ``start``; a lone kind (``single``) is a hard condition of its own."""
    if not kinds or (len(kinds) < 2 and not single):
        return found
    added = []
    for index, (kind, items) in enumerate(kinds.items()):
        marker = make_condition(display, "other", kind, at[kind], at[kind] + len(kind))
        branch = f"g#{key}{start}/{LETTERS[index]}" if len(kinds) > 1 else None
        for item in [marker, *items]:
            item["group"] = branch
        added.append(marker)
    return sorted([*found, *added], key=lambda c: (c["start"], c["end"]))
