"""What an applicant's origins say of a condition's origins: kinds, unsaid nationalities, parts.

An origin says more, or less, than its name (``knowledge/data/eligibility.json``): a 华侨
is a 中国公民 (``origin_is``), a 香港 resident may or may not be one (``origin_may_be``),
港澳台 is made of 港澳 and 台湾 (``origin_parts``). :mod:`search_api.search.verdicts`
asks here what a profile's origins are and why an origin requirement they neither hold
nor exclude is unknown rather than failed. Split from it so that each relation is read in
one place, beside the others.
"""

from __future__ import annotations

from typing import Any

from knowledge.eligibility import vocabulary


def held_origins(held: set[str]) -> set[str]:
    """The origins of a profile's, with what each kind always is (华侨, 归侨: 中国公民, as
    归侨侨眷权益保护法 第二条 defines them), so that a 华侨 meets a 中国公民 condition."""
    kinds = vocabulary().origin_is
    return held | {broader for origin in held for broader in kinds.get(origin, ())}


def origin_unsaid(accepted: set[str], held: set[str], said: tuple[str, ...]) -> str | None:
    """Why the origins a condition accepts are unknown for a profile holding ``held`` (after
    :func:`held_origins`; ``said`` as the applicant wrote them), which holds none of them:
    the profile states no nationality, or not which kind of its origin it is; None when
    what it states excludes them (a 外籍 applicant is no 华侨)."""
    return _nationality_unsaid(accepted, held, said) or _kind_unsaid(accepted, held, said)


def _nationality_unsaid(accepted: set[str], held: set[str], said: tuple[str, ...]) -> str | None:
    """Unknown for a profile whose origins say no nationality (港澳台, 留学回国 may be either:
    ``origin_may_be``), in the words the applicant chose (港澳, not the 港澳台 it is a part
    of); None when the profile states one. A returnee from study may also be a 归侨: one
    who settled abroad after studying and came back to settle is one."""
    may_be = vocabulary().origin_may_be
    stated = held & {nationality for values in may_be.values() for nationality in values}
    possible = accepted & {nationality for origin in held for nationality in may_be.get(origin, ())}
    if stated or not possible:
        return None
    named = "或".join(sorted(possible))
    if possible & set(vocabulary().origin_is):
        return f"所填身份（{'、'.join(said)}）未说明是否为{named}，请核实"
    return f"所填身份（{'、'.join(said)}）未说明国籍，请核实是否为{named}"


def _kind_unsaid(accepted: set[str], held: set[str], said: tuple[str, ...]) -> str | None:
    """Unknown for a profile stating an origin (中国公民) but not which kind of it the
    condition asks (华侨, 归侨: a citizen may or may not be one); None when the profile
    gives another kind of the same origin, which excludes it: a 归侨 has come back to
    settle in China, so is settled abroad, a 华侨, no more (归侨侨眷权益保护法 第二条)."""
    kinds = vocabulary().origin_is

    def open_kind(kind: str) -> bool:
        broader = set(kinds.get(kind, ()))
        others = {other for other, of in kinds.items() if other != kind and set(of) & broader}
        return bool(broader) and broader <= held and not others & held

    possible = [kind for kind in vocabulary().choices["origin"] if kind in accepted and open_kind(kind)]
    if not possible:
        return None
    return f"所填身份（{'、'.join(said)}）未说明是否为{'或'.join(possible)}，请核实"


def one_part(condition: dict[str, Any]) -> str | None:
    """The one part of an origin the condition's text names (台湾同胞: 台湾 of 港澳台),
    when its value is that part's origin; None when it names both or none."""
    vocab = vocabulary()
    named = vocab.parts_named(str(condition.get("span", "")))
    values = condition["value"] if isinstance(condition["value"], list) else [condition["value"]]
    if len(named) != 1:
        return None
    part = next(iter(named))
    return part if vocab.whole_of(part) in values else None
