"""An applicant's profile against the conditions of a policy: a verdict per condition.

Ingest stores each clause's requirements on the passage (``Passage.conditions``, see
:mod:`ingest.enrich.conditions`); here a :class:`Profile` is held against them. Each
condition gets ``met``, ``not_met`` (with the reason and what the applicant gave:
「要求45周岁以下，所填为52岁」) or ``unknown``
(the profile does not say, or the text is no rule a machine can check). ``unknown`` never
counts as met.

Groups follow the labels' convention (``tests/data/conditions.md``): a condition without
a group is hard; ``gN`` is an any-of group inside one clause and ``gN/x`` one branch of it
(all of a branch's members are needed); ``xN`` is the same across the items of one
article (「具备下列条件之一」); ``pref`` (a priority) and ``sub`` (a sub-category's extra
requirement) never decide eligibility. What a set of clauses and a whole policy come to is
:mod:`search_api.search.policy_verdicts`.

The ladders and spellings come from ``knowledge/data/eligibility.json``, places from
``knowledge/data/places.json``; nothing here knows a particular policy.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from analysis.text import HAN, compact
from knowledge.condition_cues import NUMBER
from knowledge.eligibility import LADDER_OF, vocabulary
from knowledge.residence import jurisdiction, residence_verdict, tie
from search_api.search.doubts import CAVEATS, DOUBTS, certificate_one_of, units_of
from search_api.search.origins import held_origins, one_part, origin_unsaid
from search_api.search.profile import PROFILE_LABELS, SEXES, Profile

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
VERDICTS = (MET, NOT_MET, UNKNOWN)
LICENCE = "执业证书"  # a practising licence: its holder practises the profession it names
# An age bound the text states strictly, as the age patterns of eligibility.json read it
# (未满16 is stored 15, 超过35 is stored 36).
STRICT_BELOW = re.compile(r"[未不]满")
STRICT_ABOVE = re.compile(r"(?<![不得])超过")
# A known fact inside a longer requirement meets it when it covers this share of its words.
FACT_COVERAGE = 0.6

# Condition field → the profile field it is judged by (reasons show the applicant's value).
GIVEN_BY = {
    "education_min": "education",
    "professional_title_min": "professional_title",
    "skill_level_min": "skill_level",
    "age_max": "age",
    "age_min": "age",
    "retirement_margin_min": "years_to_retirement",
    "years_experience_min": "years_experience",
    "origin": "origin",
    "unit_type": "unit_type",
    "certificates": "certificates",
    "awards": "awards",
    "residence_or_employment": "residence",
}
GIVEN_UNITS = {"age": "岁", "years_experience": "年", "years_to_retirement": "年"}


@dataclass(frozen=True)
class Verdict:
    """One condition of a clause held against a profile."""

    field: str
    value: Any
    requirement: str  # the rule in Chinese: 「45周岁以下」
    verdict: str  # met | not_met | unknown
    reason: str  # 「要求45周岁以下」, 「未填写年龄」, …
    span: str
    start: int
    end: int
    group: str | None
    negated: bool
    # Met as the profile reads it, with something to check (doubts.CAVEATS): the profile's
    # 工作年限 read as years of the kind of work the text names, true to the applicant's own
    # trade, or a certificate of the kind a list names: weak evidence (ranking, routes).
    assumed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "assumed"}


@dataclass
class Clause:
    """A passage with conditions, and the verdict on each."""

    id: str
    citation: str
    locator: str
    article: str  # the 条 the clause belongs to: ``xN`` groups are shared inside it
    clause_type: str | None
    text: str
    conditions: list[Verdict] = field(default_factory=list)

    @property
    def decided(self) -> bool:
        """Whether a condition of the clause is met or failed (not all unknown)."""
        return any(v.verdict != UNKNOWN for v in self.conditions)

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "conditions"}
        data["conditions"] = [c.to_dict() for c in self.conditions]
        return data


# ------------------------------------------------------------------ one condition


def judge(condition: dict[str, Any], profile: Profile, doc_names: list[str]) -> Verdict:
    """The verdict of ``profile`` on one stored condition of a document named by
    ``doc_names`` (title, then issuing agencies: where 本市 is)."""
    name = condition["field"]
    value = condition["value"]
    requirement = requirement_text(name, value, str(condition.get("span") or ""))
    verdict, unknown_reason = _JUDGES.get(name, _judge_other)(value, profile, doc_names)
    if name == "origin" and (part := one_part(condition)) is not None:
        requirement = requirement_text(name, [part if vocabulary().whole_of(part) == v else v for v in value])
        if verdict == MET:
            verdict, unknown_reason = _judge_part(part, profile)
    doubt = DOUBTS.get(name)
    if verdict == MET and doubt is not None and (why := doubt(condition, profile)):
        verdict, unknown_reason = UNKNOWN, why
    work = _kind_of_work(condition) if name == "years_experience_min" else None
    if work is not None:  # the years are the applicant's own kind of work, as the written profiles read them
        requirement = work
    caveat = CAVEATS.get(name)
    check = caveat(condition, profile) if verdict == MET and caveat is not None else None
    if check and condition.get("negated"):  # 未取得《目录》内…的: a certificate held may not be on it
        verdict, unknown_reason, check = UNKNOWN, check, None
    if work is not None:
        check = "按所填工作年限，请核对工作领域"
    if condition.get("negated") and verdict != UNKNOWN:
        verdict = NOT_MET if verdict == MET else MET
        requirement = f"不属于「{requirement}」的情形"
    if verdict == NOT_MET:
        reason = f"要求{requirement}" + _given(name, value, profile, unknown_reason)
    elif verdict == MET:
        reason = f"符合：{requirement}" + (f"（{check}）" if check else "")
    else:
        reason = unknown_reason
    return Verdict(
        name, value, requirement, verdict, reason, condition.get("span", ""), int(condition.get("start", 0)),
        int(condition.get("end", 0)), condition.get("group"), bool(condition.get("negated")),
        assumed=check is not None and verdict == MET,
    )  # fmt: skip


def _given(name: str, value: Any, profile: Profile, judged: str) -> str:
    """What the applicant gave that fails the requirement, after it (「，所填为52岁」), so a
    ✗ says why without the form beside it; the judge's own words when it reasoned
    (「按年龄50岁推算…」)."""
    if judged:
        return f"，{judged}"
    profile_field = GIVEN_BY.get(name) or ("sex" if compact(str(value)).removesuffix("性") in SEXES else None)
    own = getattr(profile, profile_field) if profile_field else None
    if profile_field is None or own is None or own == ():
        return ""
    unit = GIVEN_UNITS.get(profile_field, "")
    return f"，所填为{'、'.join(own) if isinstance(own, tuple) else own}{unit}"


def requirement_text(name: str, value: Any, span: str = "") -> str:
    """The rule in the words an applicant reads (「硕士及以上学历」, 「45周岁以下」); a strict
    bound as the text states it (未满十六周岁: 「未满16周岁」, not 「15周岁以下」)."""
    if name == "age_max" and STRICT_BELOW.search(span):
        return f"未满{int(value) + 1}周岁"
    if name == "age_min" and STRICT_ABOVE.search(span):
        return f"超过{int(value) - 1}周岁"
    if name == "age_min" and int(value) == 0:
        return "自出生起（0周岁起）"  # 零至六周岁: no bound anyone fails, not 「年满0周岁」
    alternatives = "或".join(value) if isinstance(value, list) else str(value)
    return {
        "education_min": f"{value}及以上学历",
        "age_max": f"{value}周岁以下",
        "age_min": f"年满{value}周岁",
        "retirement_margin_min": f"距法定退休年龄{value}年以上",
        "professional_title_min": f"{value}及以上职称",
        "skill_level_min": f"{value}及以上职业技能等级",
        "years_experience_min": f"相关工作经历{value}年以上",
        "origin": f"身份为{alternatives}",
        "unit_type": f"单位类型为{'、'.join(value) if isinstance(value, list) else value}",
        "certificates": f"持有{alternatives}",
        "awards": f"获得{alternatives}",
    }.get(name, alternatives)


Judgement = tuple[str, str]  # (verdict, the reason when unknown)
Judge = Callable[[Any, Profile, list[str]], Judgement]


def _not_said(profile_field: str) -> Judgement:
    return UNKNOWN, f"未填写{PROFILE_LABELS[profile_field]}"


def _ladder(condition_field: str, profile_field: str) -> Judge:
    ladder = LADDER_OF[condition_field]

    def judge_ladder(value: Any, profile: Profile, _: list[str]) -> Judgement:
        own = getattr(profile, profile_field)
        if own is None:
            return _not_said(profile_field)
        vocab = vocabulary()
        have, need = vocab.rank(ladder, own), vocab.rank(ladder, str(value))
        if have is None or need is None:
            return UNKNOWN, f"无法比较「{own}」与「{value}」"
        return (MET if have >= need else NOT_MET), ""

    return judge_ladder


def _number(profile_field: str, at_least: bool) -> Judge:
    def judge_number(value: Any, profile: Profile, _: list[str]) -> Judgement:
        own = getattr(profile, profile_field)
        if own is None:
            return _not_said(profile_field)
        ok = own >= int(value) if at_least else own <= int(value)
        return (MET if ok else NOT_MET), ""

    return judge_number


def _any_of(profile_field: str, vocabulary_key: str, open_list: bool = False) -> Judge:
    """A list of accepted values; the applicant's values (or value) must hold one. With
    ``open_list`` (certificates, awards), a requirement the vocabulary does not name could
    not be chosen in the form, so not holding it is ``unknown``, not a failure."""

    def judge_any(value: Any, profile: Profile, _: list[str]) -> Judgement:
        own = getattr(profile, profile_field)
        values = value if isinstance(value, list) else [value]
        accepted = {_canonical(vocabulary_key, v) for v in values}
        if profile_field == "certificates" and accepted & _held_with(profile):
            if own == ():  # 无 said of certificates, yet a 技师 holds the 技师 certificate
                return UNKNOWN, "所填证书为“无”，与所填等级不一致，请核实"
            return MET, ""  # 具有技师及以上国家职业资格或技能等级证书, for a 技师
        if own is None:
            return _not_said(profile_field)
        held = {_canonical(vocabulary_key, v) for v in ((own,) if isinstance(own, str) else own)}
        if profile_field == "unit_type":  # a 高校 is a 事业单位 (企业事业单位, …等事业单位)
            if vocabulary().canonical("unit_type", own) is None:  # 医院: public or private
                return UNKNOWN, f"所填单位「{own}」未说明单位性质（企业、事业单位等），请对照原文核实"
            held = {b for kind in held for b in units_of(kind)}
        if profile_field == "origin":  # a 华侨 is a 中国公民 (origin_is)
            held = held_origins(held)
        if profile_field == "certificates":  # a 护士执业证书 is held after the 护士执业资格考试
            held |= {q for name in held for q in vocabulary().certificates_imply.get(name, ())}
        if accepted & held:
            return MET, ""
        if profile_field == "certificates" and (why := certificate_one_of(held, accepted)) is not None:
            return (UNKNOWN, why) if why else (MET, "")
        said = (own,) if isinstance(own, str) else tuple(own)
        if profile_field == "origin" and (unsaid := origin_unsaid(accepted, held, said)) is not None:
            return UNKNOWN, unsaid
        if open_list and any(vocabulary().canonical(vocabulary_key, v) is None for v in values):
            named = "或".join(values) if len(values) <= 2 else f"{values[0]}等{len(values)}种"
            return UNKNOWN, f"「{named}」不在可选范围内，请对照原文核实"
        return NOT_MET, ""

    return judge_any


def _kind_of_work(condition: dict[str, Any]) -> str | None:
    """The span of a years-of-work requirement that names a kind of work (从事法律工作满五年,
    服现役满12年), None for years of any work (工作满五年, 从事相关工作五年以上). A profile's
    工作年限 says how long, not at what: the verdict reads them as years of that work, as an
    applicant checking a policy of their own trade means them, and shows the kind of work."""
    span = str(condition.get("span") or "")
    rest = re.sub(f"(?:{NUMBER})年", "", span)
    for word in sorted(vocabulary().cues["generic_experience"], key=len, reverse=True):
        rest = rest.replace(word, "")
    return span if re.search(f"[{HAN}]", rest) else None


_YEARS_LEFT = _number("years_to_retirement", at_least=True)


def _judge_margin(value: Any, profile: Profile, doc_names: list[str]) -> Judgement:
    """Years to the statutory retirement age: as given, else from the age, when every
    retirement age the applicant's sex may have (``retirement_ages``) gives one answer
    (a man of 45 is more than 14 years from it; a woman of 52 may be past it or not). An
    age in whole years may be nearly a year more: a man of 58 may be 58 years 11 months,
    one year and a month from 60, so it does not say he is 2 years from it."""
    ages = vocabulary().retirement_ages
    if profile.years_to_retirement is not None or profile.age is None or not ages:
        return _YEARS_LEFT(value, profile, doc_names)
    spans = [ages[profile.sex]] if profile.sex in ages else list(ages.values())
    low, high = min(a for a, _ in spans) - profile.age, max(b for _, b in spans) - profile.age
    if low - 1 >= int(value):  # the years left when the age given is nearly a year more
        return MET, ""
    if high < int(value):
        return NOT_MET, f"按年龄{profile.age}岁推算，距法定退休年龄不足{value}年"
    return UNKNOWN, "请填写距法定退休年龄的年数"


def _judge_part(part: str, profile: Profile) -> Judgement:
    """A condition naming one part of an origin (台湾同胞) against a profile whose origin
    met its whole: met by that part, failed by another part alone (a 香港 applicant had
    been told ✓ for 台湾同胞), unknown when the profile gives only the whole (港澳台)."""
    vocab = vocabulary()
    own = set(profile.origin or ())
    if part in own:
        return MET, ""
    whole = vocab.whole_of(part)
    if whole in own:
        return UNKNOWN, f"原文仅指{part}，请核实"
    return NOT_MET, ""


def _held_with(profile: Profile) -> set[str]:
    """The certificates the profile's ladder values come with (``held_with``)."""
    held = vocabulary().held_with
    return {c for ladder, certificates in held.items() if getattr(profile, ladder, None) for c in certificates}


def _canonical(key: str, text: str) -> str:
    return vocabulary().canonical(key, text) or compact(text)


def _judge_residence(value: Any, profile: Profile, doc_names: list[str]) -> Judgement:
    if profile.residence is None:
        return _not_said("residence")
    verdict = residence_verdict(list(profile.residence), str(value), doc_names)
    if verdict != UNKNOWN:
        return verdict, ""
    place = next((found for found in map(jurisdiction, doc_names) if found), None)
    if tie(str(value), place).place is None:
        return verdict, "无法从条文确定地点"
    said = "、".join(profile.residence)
    if not any(tie(text).place for text in profile.residence):  # 本市户籍: which city?
        return verdict, f"所填户籍或工作地（{said}）未写明城市，请写明，如“北京户籍”“在京工作”"
    return verdict, f"条文要求{value}，所填（{said}）未说明，请核实"  # 北京户籍 for 在本市工作


def _judge_other(value: Any, profile: Profile, _: list[str]) -> Judgement:
    """A requirement in words: met when the applicant's own facts state it; a bare 男/女
    (男性, 女性) is read against ``sex``; everything else is for a person to check."""
    text = compact(str(value))
    sex = text.removesuffix("性")
    if sex in SEXES:
        if profile.sex is None:
            return _not_said("sex")
        return (MET if profile.sex == sex else NOT_MET), ""
    facts = [compact(fact) for fact in (*profile.facts, *_professions(profile))]
    if any(_same_fact(part, fact) for part in _people(text) for fact in facts):
        return MET, ""
    return UNKNOWN, "需对照原文核实"


def _people(requirement: str) -> list[str]:
    """A requirement whole, or the classes of people it lists, each on its own
    (专业技术人员以及各类管理人员: either is one of them; 具有…以及… is not a list of people,
    and 自主就业的退役军士和义务兵 describes every class it lists)."""
    parts = [p for p in _PEOPLE_JOINS.split(requirement) if p]
    endings = vocabulary().cues["person_endings"]
    if len(parts) > 1 and "的" not in requirement and all(p.endswith(endings) for p in parts):
        return [requirement, *parts]
    return [requirement]


def _professions(profile: Profile) -> list[str]:
    """What a practising licence makes its holder (律师执业证书: a 律师, 乡村医生执业证书: a
    乡村医生): a lawyer had been ？ on 「下列人员不能担任人民陪审员：…律师」."""
    return [c.removesuffix(LICENCE) for c in profile.certificates or () if c.endswith(LICENCE) and c != LICENCE]


def _same_fact(requirement: str, fact: str) -> bool:
    """A fact meets a requirement it states whole (the fact may say more), or most of it
    (the clause's words around it: 「…等符合条件的」); a fact that is only a small part of
    a longer requirement does not (专业技术人员 is not 「由上级主管部门任命、委派的管理人员、
    专业技术人员在任期内未经主管部门同意」)."""
    if not fact or len(min(requirement, fact, key=len)) < 2:
        return False
    if requirement in fact:
        return True
    return fact in requirement and len(fact) >= FACT_COVERAGE * len(requirement)


# What joins classes of people in a list (专业技术人员以及各类管理人员).
_PEOPLE_JOINS = re.compile(r"以及|或者|及|和|、")


_JUDGES: dict[str, Judge] = {
    **{name: _ladder(name, GIVEN_BY[name]) for name in ("education_min", "professional_title_min", "skill_level_min")},
    "age_max": _number(GIVEN_BY["age_max"], at_least=False),
    "age_min": _number(GIVEN_BY["age_min"], at_least=True),
    "retirement_margin_min": _judge_margin,
    "years_experience_min": _number(GIVEN_BY["years_experience_min"], at_least=True),
    **{name: _any_of(GIVEN_BY[name], name) for name in ("origin", "unit_type")},
    **{name: _any_of(GIVEN_BY[name], name, open_list=True) for name in ("certificates", "awards")},
    "residence_or_employment": _judge_residence,
}
