"""What an applicant says about themselves (申报自查's profile), as the check holds it.

The profile is read from the form, the API's parameters or the CLI's options by
:mod:`search_api.search.profile_reading`, and held against the stored conditions of a
policy by :mod:`search_api.search.verdicts`. It lives apart from both: each reads or
judges it, neither owns it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

NONE_WORD = "无"  # a list field given as 无: the applicant has none (certificates=无)
SEXES = ("男", "女")

# Profile field → its Chinese name, for reasons (「未填写年龄」) and the page's messages.
PROFILE_LABELS = {
    "education": "学历",
    "age": "年龄",
    "professional_title": "职称",
    "skill_level": "职业技能等级",
    "years_experience": "工作年限",
    "years_to_retirement": "距法定退休年龄的年数",
    "origin": "身份",
    "residence": "户籍或工作地",
    "unit_type": "单位类型",
    "certificates": "证书",
    "awards": "奖励",
    "sex": "性别",
    "facts": "其他已知情况",
}


@dataclass(frozen=True)
class Profile:
    """What an applicant says about themselves; None: not said. A list given as ()
    means "none" (no certificates), which is not the same as not saying."""

    education: str | None = None
    age: int | None = None
    professional_title: str | None = None
    skill_level: str | None = None
    years_experience: int | None = None
    years_to_retirement: int | None = None
    origin: tuple[str, ...] | None = None
    residence: tuple[str, ...] | None = None
    unit_type: str | None = None
    certificates: tuple[str, ...] | None = None
    awards: tuple[str, ...] | None = None
    sex: str | None = None
    facts: tuple[str, ...] = ()
    # The title as named when it names one series (副主任医师), beside its level in
    # ``professional_title``: it meets a requirement of that series (search.verdicts).
    named_title: str | None = None
    # The unit as named when its words narrow its type (民营企业, beside 企业 in
    # ``unit_type``): it meets a requirement narrowed by the same words (search.verdicts).
    named_unit: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The fields the applicant gave (lists as lists)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None or (f.name == "facts" and not value):
                continue
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    def said(self) -> bool:
        return bool(self.to_dict())
