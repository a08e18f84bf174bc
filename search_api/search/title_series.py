"""Titles of one series (副主任医师, 高级工程师) against a profile's title.

A professional title is a level (初级 … 正高级) in a series (卫生, 工程, 高校教师 …). The
profile's ladder keeps the level; a requirement naming one series (具有副主任医师以上专业技术
职务) is met only by a title of that series, so a level alone (副高级, 高级职称) leaves it
unknown, and a title of another series (副研究员) too. ``level_titles`` in
``knowledge/data/eligibility.json`` lists the spellings that name a level in every series;
every other spelling of the ladder names one series. Split from
:mod:`search_api.search.verdicts`, which calls :func:`other_series` on a title met by level;
:mod:`search_api.search.profile_reading` keeps a profile's title of one series by
:func:`series_title`.
"""

from __future__ import annotations

from typing import Any

from knowledge.eligibility import spelling_key, vocabulary
from search_api.search.profile import Profile


def series_title(text: str) -> str | None:
    """``text`` as a title of one series (副主任医师, 高级工程师), None for a level any series
    has (高级职称, 副高级) or no title (``level_titles``): what a profile's title names."""
    vocab = vocabulary()
    key = spelling_key(text)
    return key if key in vocab.aliases["professional_title"] and key not in vocab.level_titles else None


def required_series(condition: dict[str, Any]) -> str | None:
    """The title of one series a requirement states (副主任医师以上专业技术职务: 副主任医师);
    None for a level of any series (高级职称), also beside examples of series
    (教授、研究员等正高级职称) or as the titles of several series (副教授、副研究员以及相当
    这一级职称)."""
    vocab = vocabulary()
    titles = vocab.aliases["professional_title"]
    span = spelling_key(str(condition.get("span") or ""))
    named = sorted((t for t in titles if t in span and series_title(t)), key=len, reverse=True)
    rest, series = span, []
    for title in named:  # 高级工程师 holds 高级 and 工程师, which name nothing of their own there
        if title in rest:
            series.append(title)
            rest = rest.replace(title, "")
    if len(series) != 1 or any(t in rest and titles[t] == condition["value"] for t in vocab.level_titles):
        return None
    return series[0]


def same_series(required: str, named: str) -> bool:
    """Whether two titles are of one series: the same name once the words of their grade
    are gone (``title_grades``: 副主任医师, 主任医师 and 主治医师 are 医师; 高级工程师 and
    正高级工程师 工程师; 高级审计师 is no 会计师, though both end in 计师)."""
    return _series_name(required) == _series_name(named)


def _series_name(title: str) -> str:
    grades = vocabulary().title_grades
    while grade := next((g for g in grades if title.startswith(g) and len(title) > len(g)), None):
        title = title[len(grade) :]
    return title


def other_series(condition: dict[str, Any], profile: Profile) -> str:
    """Why a title requirement met by level is unknown: it names one series and the profile
    gives the level alone or a title of another series; "" when the level says enough."""
    series = required_series(condition)
    if series is None or (profile.named_title and same_series(series, profile.named_title)):
        return ""
    if profile.named_title:
        return f"条文要求{series}（该系列职称），所填{profile.named_title}属其他系列，请核实"
    return f"条文要求{series}（该系列职称），所填{profile.professional_title}未说明系列，请核实"
