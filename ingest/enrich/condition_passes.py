"""Passes over one passage's conditions once its records are read.

:mod:`ingest.enrich.conditions` reads each record of a passage; what is left to settle
needs them all: one condition per field and value in a record (:func:`unique`), a
beneficiary or a class of people said again as a condition counted once
(:func:`drop_restated`), a catch-all that is no alternative dropped (:func:`drop_catch_alls`),
and certificates by the full name the document gives their
short one (:func:`named`); and what no record of a passage states: an article saying why
its text exists (:func:`states_purpose`), and who a refusal is about (:func:`refused_subject`).
"""

from __future__ import annotations

import re
from typing import Any

from ingest.model import Passage, paragraph_number
from knowledge.eligibility import NUMERIC_FIELDS

# The mark of a condition read from a class of people a clause names (see drop_restated).
CLASS = "class"


def unique(conditions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One condition per field and value in a record (取得…资格 said twice is one)."""
    seen: set[str] = set()
    out = []
    for condition in conditions:
        # The same requirement in two alternatives (本科…学位；或者…本科…学历) is two, and
        # so are two durations of five years for two kinds of applicant (their spans).
        verbatim = condition["field"] == "other" or condition["field"] in NUMERIC_FIELDS
        key = repr(condition) if verbatim else condition["field"] + repr(condition["value"]) + repr(condition["group"])
        if key not in seen:
            seen.add(key)
            out.append(condition)
    return out


def drop_restated(conditions: list[dict[str, Any]], passage: Passage) -> list[dict[str, Any]]:
    """Without the beneficiaries of a measure (``_weak``) that the passage also states as
    a condition (…为留学人员到本省创新创业提供服务 beside 留学人员到本省创新创业的，可以
    享受…): an article that says it twice states one requirement. A class of people a 款
    names (``_weak == CLASS``: 二名具有主治医师以上职称的精神科医师) is dropped only when
    its own 款 states it again: another 款 is cited apart."""
    paragraphs = passage.attrs.get("paragraphs") or []

    def key(condition: dict[str, Any], scoped: bool) -> str:
        where = paragraph_number(paragraphs, passage.text, condition["start"]) if scoped else ""
        return f"{where}:{condition['field']}{condition['value']!r}"

    firm = [c for c in conditions if not c.get("_weak") and c["field"] != "other"]
    stated = {key(c, scoped) for c in firm for scoped in (False, True)}
    kept = [c for c in conditions if not (c.get("_weak") and key(c, c["_weak"] == CLASS) in stated)]
    for condition in kept:
        condition.pop("_weak", None)
    return kept


def drop_catch_alls(
    conditions: list[dict[str, Any]], catch_alls: tuple[str, ...], rule_words: tuple[str, ...]
) -> list[dict[str, Any]]:
    """Without the catch-alls that are no alternative (:func:`_closed_catch_all`)."""
    return [c for c in conditions if not _closed_catch_all(c, catch_alls, rule_words)]


def _closed_catch_all(condition: dict[str, Any], catch_alls: tuple[str, ...], rule_words: tuple[str, ...]) -> bool:
    """A catch-all left to other rules (法律、行政法规规定的其他情形, …规定的其他条件) outside an
    any-of list: as a hard requirement or a disqualifier (有…其他情形的，不予注册) it names
    nothing an applicant can have or lack. In a list of alternatives that grants (符合下列
    条件之一的，可以提前退休：…符合国家规定的其他情形的) it keeps the list open: it stays,
    so one meeting no other item is unknown, not failed."""
    if condition["field"] != "other" or condition["group"] is not None:
        return False
    value = str(condition["value"]).rstrip("的")
    return value.endswith(catch_alls) or any(_qualified(value, word, rule_words) for word in catch_alls)


_OTHER = "其他"  # how the catch-alls of the cue list open (其他情形, 其他情况)


def _qualified(value: str, catch_all: str, rule_words: tuple[str, ...]) -> bool:
    """Whether ``value`` ends with ``catch_all`` qualified in between, within its clause,
    and left to rules elsewhere (…规定的其他 | 不得辞退的 | 情形, 其他 | 不符合法律、法规规定的 |
    情形): still a catch-all, not a case an applicant can have or lack. Not one that names
    its own ground (其他不宜从事教学工作的情形: a judgement the text itself sets)."""
    if not catch_all.startswith(_OTHER):  # a catch-all of another form is matched whole only
        return False
    kind = catch_all[len(_OTHER) :]
    found = re.search(rf"{_OTHER}[^,;:。]{{1,16}}的{re.escape(kind)}$", value)
    return found is not None and any(word in value for word in rule_words)


def named(conditions: list[dict[str, Any]], short_names: dict[str, str]) -> list[dict[str, Any]]:
    """Certificates by the full name the document gives their short one (持有《许可证》 with
    《北京市人才市场中介服务许可证》（以下简称《许可证》）)."""
    for condition in conditions:
        if condition["field"] == "certificates" and short_names:
            condition["value"] = [short_names.get(v, v) for v in condition["value"]]
    return conditions


# An article that says why its text exists (为了…，根据宪法，制定本法。): it requires nothing.
_PURPOSE = re.compile(
    r"^(?:第[^条\s]{1,8}条)?\s*为(?:了)?[^。;]{2,200}?(?:特)?制定本(?:法|条例|办法|规定|细则|决定|实施办法)[。]?\s*$"
)


# A provision the text keeps as deleted: （2010年12月23日删除）, (删除) at its end.
_DELETED = re.compile(r"\([^()]{0,24}删除\)\s*[。;]?\s*$")


def deleted(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` (normalised) is a provision marked as deleted: it binds
    no one (北京市实施《教师法》办法 第十条 had still failed applicants)."""
    return _DELETED.search(text, start, end) is not None


def states_purpose(text: str) -> bool:
    """Whether a passage (normalised) is an article saying why its text exists."""
    return _PURPOSE.match(text) is not None


def refused_subject(condition: dict[str, Any], text: str, start: int, end: int) -> bool:
    """Whether an origin of a refused region names who the refusal is about: its head noun
    (…的公民，不得…) or its subject (外国人、无国籍人未依法取得就业证件…): the qualifier is
    what is refused, and 公民 read as 不得属于中国公民 had made 兵役法 refuse every citizen."""
    if condition["field"] != "origin":
        return False
    head = condition["end"] >= end - 1 and text[condition["start"] - 1 : condition["start"]] == "的"
    return head or condition["start"] <= start + 1
