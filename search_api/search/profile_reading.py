"""An applicant's profile as given (request parameters, CLI options, the /check form),
read and validated into a :class:`~search_api.search.profile.Profile`.

People write a profile as they speak: 45岁, 四十五, 十年以上, 香港, 高级职称. Each field is
read into the vocabulary's canonical value (``knowledge/data/eligibility.json``), and a
value that cannot be read is refused with the parameter's name, every such parameter at
once, so the applicant does not fix one to meet the next. Split from
:mod:`search_api.search.eligibility`, which ranks the policies such a profile fits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from analysis.numerals import CN_NUMERAL, cn_to_int
from analysis.text import normalize
from knowledge.condition_cues import alternation
from knowledge.eligibility import LADDERS, rungs_in, spelling_key, vocabulary
from search_api.errors import InvalidRequest
from search_api.search.profile import NONE_WORD, SEXES, Profile
from search_api.search.title_series import series_title

MAX_TEXT = 60  # characters of one free-text profile value
MAX_ITEMS = 20  # values of one list field

# The unit a profile's number may carry (age, years of experience, years to retirement).
_NUMBER_UNIT = re.compile(r"\s*(?:周岁|岁|年以上|年)\s*$")


# What separates the values of a list field written in one box.
_LIST_SEPARATORS = re.compile(r"[，,、；;／/\s]+")
# The largest number each numeric field takes (the /check form's inputs say the same).
NUMBER_TOPS = {"age": 120, "years_experience": 80, "years_to_retirement": 60}


# An age a question states of the asker (我今年五十岁了, 今年五十六了, 我45岁): after 我, or
# after a 今年 that opens a sentence; not a limit asked about (今年45岁以下的技师, 我35岁以下)
# nor another person's (我父亲八十岁了, 孩子今年十五了).
_OWN_AGE = re.compile(
    rf"(?:(?:^|[,，。？?！!\s])今年|我(?:今年)?)(?:已经|已)?(?P<n>[0-9]{{1,3}}|{CN_NUMERAL})"
    rf"(?:周?岁(?!以|及|之|至|到|[-—~～])|(?=了|[,，。？?！!]|$))"
)
_MIN_AGE = 14  # no applicant is younger: a smaller number is no asker's age (我今年3岁)


def stated_age(question: str) -> int | None:
    """The asker's age a question states (我今年五十岁了还能申请…吗: 50), for 申报自查's
    form; None when it states none, or a number no applicant's age could be."""
    found = _OWN_AGE.search(question)
    if found is None:
        return None
    number = found.group("n")
    age = int(number) if number.isdigit() else cn_to_int(number)
    return age if age is not None and _MIN_AGE <= age <= NUMBER_TOPS["age"] else None


_SENTENCES = re.compile(r"[^。？?！!]+")
_CLAUSES = re.compile(r"[^,，;；]+")
# A rung asked about rather than held (本科以上, 要求硕士, 需要高级职称).
_ASKED_BEFORE = ("要求", "需要", "须", "必须")
_ASKED_AFTER = re.compile(r"^(?:学历|学位|职称)?(?:及|或)?(?:以上|以下|或|还是)")
_STATED = ("skill_level", "professional_title", "education")


@lru_cache(maxsize=1)
def _self() -> re.Pattern[str]:
    """A sentence in which the asker says what they are (我是技师, 我今年35岁，硕士学历, 本人
    持有…): 我/本人 opening it, then one of ``self_verbs``, a number or a comma; not
    another person (我儿子是博士)."""
    verbs = alternation(vocabulary().cues["self_verbs"])
    return re.compile(rf"^\s*(?:我|本人)(?:{verbs}|[0-9]|{CN_NUMERAL}|[,，])")


def stated_rungs(question: str) -> dict[str, str]:
    """The rungs a question states of the asker (我是技师，今年50岁 → skill_level 技师; 我今年
    35岁，硕士学历 → education 硕士), for 申报自查's form: in the clauses of a sentence the
    asker opens about themselves, up to the first that asks (cue list ``asking_words``:
    我是硕士，想问本科生…), as :func:`knowledge.eligibility.rungs_in` reads them, each not
    asked about (本科以上, 要求硕士)."""
    asking = vocabulary().cues["asking_words"]
    found: dict[str, str] = {}
    for sentence in _SENTENCES.findall(normalize(question)):
        if not _self().match(sentence):
            continue
        for clause in _CLAUSES.findall(sentence):
            if any(word in clause for word in asking):
                break
            for ladder, spelling, at in rungs_in(clause, _STATED):
                after = clause[at + len(spelling) :]
                if not (clause[:at].endswith(_ASKED_BEFORE) or _ASKED_AFTER.match(after)):
                    found.setdefault(ladder, spelling)
    return found


def stated_profile(question: str) -> dict[str, str]:
    """What a question states of the asker, as profile parameters (我是技师，今年50岁 →
    skill_level 技师, age 50): the rungs (:func:`stated_rungs`) and the age (:func:`stated_age`)."""
    age = stated_age(question)
    return {**stated_rungs(question), **({"age": str(age)} if age is not None else {})}


def profile_from(raw: dict[str, Any]) -> Profile:
    """A validated profile from request values (None or "" for a field not given); raises
    InvalidRequest naming every parameter whose value cannot be read (age=200 beside
    origin=侨眷: both, so the applicant does not fix one to meet the other)."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for name, read in _FIELD_READERS:
        try:
            value = read(raw, name)
        except InvalidRequest as exc:
            problems.append(str(exc))
            continue
        if value is not None:
            values[name] = value
    problems += [] if problems else contradictions(values)
    if problems:
        raise InvalidRequest("；".join(problems))
    values["facts"] = tuple(_items(raw, "facts", split=False) or ())
    values["named_title"] = series_title(_text(raw, "professional_title") or "")
    values["named_unit"] = _named_unit(_text(raw, "unit_type"), values.get("unit_type"))
    return Profile(**values)


def contradictions(values: dict[str, Any]) -> list[str]:
    """The profile's values that cannot both be true, each named by the parameter to fix:
    无 beside a certificate (it had been judged as holding both) and as many years of work
    as of life (age=20&years_experience=30). Only what cannot be: a 技校 apprentice may
    count work from 15, and a 高级专家 may retire at up to 70."""
    found = [
        f"{name}: “{NONE_WORD}”不能与其他项同时填写"
        for name in ("certificates", "awards")
        if NONE_WORD in (values.get(name) or ()) and len(values[name]) > 1
    ]
    age, years = values.get("age"), values.get("years_experience")
    if age is not None and years is not None and years >= age:
        found.append(f"years_experience: 工作年限{years}年不能达到或超过年龄{age}岁")
    return found


def _named_unit(text: str | None, unit: str | None) -> str | None:
    """The unit as the applicant names it when words of ``unit_qualifiers`` narrow its
    type (民营企业, 外资企业; a short form, 民企, as the one kind it opens: 民营企业); None
    for the bare type."""
    if text is None or unit is None:
        return None
    vocab = vocabulary()
    named = spelling_key(text)
    if named in vocab.profile_aliases.get("unit_type", {}):
        kinds = [kind for kind in vocab.named_units(unit) if kind[0] == named[0]]
        return kinds[0] if len(kinds) == 1 else None
    return named if any(w in named for w in vocab.unit_qualifiers.get(unit, ())) else None


def _ladder_value(raw: dict[str, Any], ladder: str) -> str | None:
    text = _text(raw, ladder)
    if text is None:
        return None
    vocab = vocabulary()
    canonical = vocab.canonical(ladder, text)
    if canonical is None or vocab.rank(ladder, canonical) is None:
        raise InvalidRequest(f"{ladder}: 无法识别“{text}”，可选：{'、'.join(vocab.ladders[ladder])}")
    return canonical


def _number_value(raw: dict[str, Any], name: str) -> int | None:
    number = raw.get(name)
    return None if number in (None, "") else _number(name, number, NUMBER_TOPS[name])


def _choices_value(raw: dict[str, Any], name: str) -> tuple[str, ...] | None:
    items = _items(raw, name)
    return None if items is None else tuple(_choice(name, item) for item in items)


def _unit_value(raw: dict[str, Any], name: str) -> str | None:
    """A unit type; a kind of one the vocabulary does not spell (科技型中小企业) or a named
    unit (北京大学) is the type its name ends with, as 企业 is what a 民营企业 is."""
    unit = _text(raw, name)
    if unit is None:
        return None
    vocab = vocabulary()
    if vocab.canonical(name, unit) is None:
        key = spelling_key(unit)
        spellings = {**vocab.profile_aliases.get(name, {}), **vocab.aliases.get(name, {})}
        ends = [s for s in spellings if key.endswith(s) and len(s) > 1]
        if ends:
            return spellings[max(ends, key=len)]  # 北京大学 → 高校, 中科院某研究所 → 科研院所
    return _choice(name, unit)


def _sex_value(raw: dict[str, Any], name: str) -> str | None:
    sex = _text(raw, name)
    if sex is None:
        return None
    if sex.rstrip("性") not in SEXES:
        raise InvalidRequest(f"sex: 无法识别“{sex}”，可选：男、女")
    return sex.rstrip("性")


# Each profile field and how it is read, in the order the problems are told.
_FIELD_READERS: tuple[tuple[str, Callable[[dict[str, Any], str], Any]], ...] = (
    *((ladder, _ladder_value) for ladder in LADDERS),
    *((name, _number_value) for name in NUMBER_TOPS),
    *((name, _choices_value) for name in ("origin", "certificates", "awards", "residence")),
    ("unit_type", _unit_value),
    ("sex", _sex_value),
)


def _text(raw: dict[str, Any], name: str) -> str | None:
    value = raw.get(name)
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise InvalidRequest(f"{name}: 最多{MAX_TEXT}字")
    return text


def _number(name: str, value: Any, top: int) -> int:
    """A count as people write it: 45, 45岁, 45周岁, 四十五, 10年, 十年以上."""
    text = _NUMBER_UNIT.sub("", str(value).strip())
    number = cn_to_int(text)
    if number is None and re.fullmatch(r"[-−－]\s*\d+", text):
        raise InvalidRequest(f"{name}: 应在0到{top}之间")  # a whole number, below the range
    if number is None:
        raise InvalidRequest(f"{name}: 应为整数，收到“{value}”")
    if not 0 <= number <= top:
        raise InvalidRequest(f"{name}: 应在0到{top}之间")
    return number


def _items(raw: dict[str, Any], name: str, split: bool = True) -> list[str] | None:
    """A list field: None when not given, [] when given as 无 (the applicant has none)."""
    value = raw.get(name)
    items = [value] if isinstance(value, str) else list(value or [])
    items = [str(v).strip() for v in items if str(v).strip()]
    if split:  # names; a fact is a sentence (品行端正，具有…) and is not split
        # One box may hold several, written as a list is (天津户籍，在京工作: two ties, not one).
        items = [part for v in items for part in _LIST_SEPARATORS.split(v) if part]
    if not items:
        return None
    if len(items) > MAX_ITEMS or any(len(v) > MAX_TEXT for v in items):
        raise InvalidRequest(f"{name}: 最多{MAX_ITEMS}项，每项最多{MAX_TEXT}字")
    return [] if items == [NONE_WORD] else list(dict.fromkeys(items))


def _choice(name: str, text: str) -> str:
    """The canonical spelling of a choice value; free text where the vocabulary has none
    (a certificate the list does not name is still compared by its words); a value a
    closed choice does not know raises InvalidRequest naming the parameter."""
    if name == "residence":
        return text
    if name == "origin" and (part := vocabulary().origin_part(text)) is not None:
        return part  # 香港 → 港澳: a condition naming 台湾 only is not met by it
    canonical = vocabulary().canonical(name, text)
    # A closed choice's other value could only be judged 不符合 against every condition
    # it names (origin=外国 had been ✗ 要求身份为外籍), so it is refused.
    if canonical is None and name in vocabulary().closed:
        choices = "、".join(vocabulary().choices[name])
        raise InvalidRequest(f"{name}: 无法识别“{text}”，可选：{choices}")
    return canonical or text
