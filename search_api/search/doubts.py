"""Why a requirement the ladder or the list says is met is unknown after all.

A verdict first compares values: a 技师 holds a certificate, a 民营企业 is an 企业, a
高级工程师 is 副高级. The text may ask for more than the value it was labelled with: a
certificate of a skill rung (具有技师及以上…证书), a kind of enterprise (国有企业 is
labelled 企业), a title of one series (副主任医师), school leavers (初高中毕业生). Each
such doubt turns the met verdict into unknown with its reason (:data:`DOUBTS`, read by
:func:`search_api.search.verdicts.judge`); it never fails an applicant, as the text may
still be met. A caveat (:data:`CAVEATS`: a certificate a list must hold) keeps the verdict
met, as the written profiles judge it, and says what to check. A certificate issued for
one of some qualifications (:func:`certificate_one_of`: a 医师资格证书) meets only a
requirement accepting each of them. Split from
:mod:`search_api.search.verdicts`, with :mod:`~search_api.search.title_series` and
:mod:`~search_api.search.school_leavers`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from analysis.text import compact
from knowledge.eligibility import rungs_in, spelling_key, vocabulary
from search_api.search.profile import Profile
from search_api.search.school_leavers import past_school_leavers
from search_api.search.title_series import other_series

# A grade after the words of a skill certificate is a rung (国家职业资格二级, 技能等级三级),
# though alone it is none (knowledge.eligibility.BARE_GRADE).
_GRADE_OF_SKILL = re.compile("(?:职业资格|技能等级)(?:证书)?([一二三四五]级)")
# Alternatives of a unit type in one span (国有企业和民营企业).
_ALTERNATIVES = re.compile("[,，、;；和或及]")


def certificate_one_of(held: set[str], accepted: set[str]) -> str | None:
    """A certificate whose holder has one of some qualifications (``certificates_one_of``: a
    医师资格证书 is 执业医师资格 or 执业助理医师资格): "" (met) when the requirement accepts
    each of one held certificate's, why it is unknown when it accepts only some, else None."""
    options = {name: set(vocabulary().certificates_one_of.get(name, ())) for name in sorted(held)}
    if any(each and each <= accepted for each in options.values()):
        return ""
    for name, each in options.items():
        if each & accepted:
            return f"所持{name}可能对应{'或'.join(sorted(each))}，请核实"
    return None


def units_of(kind: str) -> set[str]:
    """A unit type and the broader ones it is a kind of (高校: 事业单位, ``unit_within``)."""
    return {kind, *vocabulary().unit_within.get(kind, ())}


def narrowed(condition: dict[str, Any], profile: Profile) -> str | None:
    """Why a unit type met is unknown: every alternative the text names narrows the type
    (国有企业 is labelled 企业: ``unit_qualifiers``) by words the profile's unit is not
    named with (民营企业 for 国有企业, or the bare 企业); None when one alternative is bare
    or named by the profile's words (国有企业和民营企业 for a 民营企业), or 非 excludes a
    kind the profile's is not (非国有企业 for a 民营企业)."""
    if profile.unit_type is None:
        return None
    values = condition["value"] if isinstance(condition["value"], list) else [condition["value"]]
    canonical = {vocabulary().canonical("unit_type", v) or compact(v) for v in values}
    cases = []
    for kind in units_of(profile.unit_type) & canonical:
        kind_cases = _kinds_named(str(condition.get("span", "")), kind)
        if not kind_cases:
            return None  # the type bare, or a broader one it meets (事业单位 of a 高校)
        cases += kind_cases
    if not cases:
        return None
    named = profile.named_unit or ""
    for _, words, excluded in cases:
        if all(w in named for w in words) if not excluded else named and not any(w in named for w in words):
            return None
    asked = "或".join(dict.fromkeys(("非" if excluded else "") + text for text, _, excluded in cases))
    given = f"，所填为{named}" if named else ""
    return f"条文要求{asked}{given}，请核实单位性质"


def _kinds_named(span: str, kind: str) -> list[tuple[str, list[str], bool]]:
    """Each alternative of ``span`` naming ``kind`` narrowed: (its words, the qualifiers
    in it, whether 非 excludes it); [] when an alternative names the kind bare."""
    qualifiers = vocabulary().unit_qualifiers.get(kind, ())
    out = []
    for piece in _ALTERNATIVES.split(span):
        if kind not in piece:
            continue
        # The words before the type, a few characters apart at most (国有独资企业).
        found = [(m, w) for w in qualifiers if (m := re.search(f"{re.escape(w)}[^,，、;；]{{0,4}}{kind}", piece))]
        if not found:
            return []
        first = min(m.start() for m, _ in found)
        out.append(
            (piece[first : piece.index(kind, first) + len(kind)], [w for _, w in found], piece[:first].endswith("非"))
        )
    return out


def certificate_rung(condition: dict[str, Any], profile: Profile) -> str | None:
    """Why a certificate met is unknown: the text asks for one of a skill rung (具有技师及以上
    国家职业资格或技能等级证书, 国家职业资格二级) that the profile's level is below (a 高级工
    holds a certificate, of 高级工: it had been ✓ beside ✗ 要求技师及以上) or does not give."""
    vocab = vocabulary()
    span = spelling_key(str(condition.get("span") or ""))
    spelled = [*_GRADE_OF_SKILL.findall(span), *(s for _, s, _ in rungs_in(span, ("skill_level",)))]
    named = [value for s in spelled if (value := vocab.canonical("skill_level", s))]
    if not named:
        return None
    rung = min(named, key=lambda v: vocab.rank("skill_level", v) or 0)
    own = profile.skill_level
    if own is not None and (vocab.rank("skill_level", own) or 0) >= (vocab.rank("skill_level", rung) or 0):
        return None
    given = f"，所填等级为{own}" if own else "，请核实所持证书的等级"
    return f"条文要求{rung}及以上等级的证书{given}"


def on_a_list(condition: dict[str, Any], profile: Profile) -> str | None:
    """What to check of a certificate met: the text asks for one on a list (持有《目录》内境外
    职业资格, 清单内急需紧缺…; cue list ``on_a_list``), and which certificates the list holds
    the profile does not say (any 境外职业资格证书 had met it without a word)."""
    span = re.sub("[《》]", "", str(condition.get("span") or ""))
    if not any(word in span for word in vocabulary().cues["on_a_list"]):
        return None
    return "请核实所持证书是否列入目录（清单）"


# Per field, why a requirement the ladder or the list says is met is unknown after all
# (a reason, or "" / None when it is met).
DOUBTS: dict[str, Callable[[dict[str, Any], Profile], str | None]] = {
    "certificates": certificate_rung,
    "unit_type": narrowed,
    "professional_title_min": other_series,
    "education_min": past_school_leavers,
}

# Per field, what to check of a requirement met as the profile reads it: the verdict stays
# met, as the written profiles judge it, with the caveat after it, and it is ``assumed``: a
# route met by such conditions alone is undecided (search_api.search.policy_verdicts).
CAVEATS: dict[str, Callable[[dict[str, Any], Profile], str | None]] = {
    "certificates": on_a_list,
}
