"""Graduates of a school level (初高中毕业生, 应届初中毕业生) against a profile's higher degree.

A clause for school leavers (就业促进法 第四十八条: 对有就业要求的初高中毕业生实行一定期限的
职业教育和培训) is read as its level, ``education_min`` 初中, as the labels read it. On the
ladder a 硕士 meets it, yet she is no 初高中毕业生: the clause means people who left school at
that level. ``school_leavers`` in ``knowledge/data/eligibility.json`` names the levels and the
words that say graduates; a profile above every such level is told unknown, not met. Split
from :mod:`search_api.search.verdicts`, which calls :func:`past_school_leavers` on an
education requirement the ladder says is met.
"""

from __future__ import annotations

from typing import Any

from knowledge.eligibility import spelling_key, vocabulary
from search_api.search.profile import Profile


def past_school_leavers(condition: dict[str, Any], profile: Profile) -> str:
    """Why an education requirement met by the ladder is unknown: it asks for school leavers
    of a level the profile's degree is above; "" when the ladder says enough."""
    vocab = vocabulary()
    span = spelling_key(str(condition.get("span") or ""))
    if condition.get("value") not in vocab.leaver_levels or not any(w in span for w in vocab.leaver_words):
        return ""
    own = profile.education
    have = vocab.rank("education", own) if own else None
    top = max(r for level in vocab.leaver_levels if (r := vocab.rank("education", level)) is not None)
    # Graduates of higher levels named beside them (大专院校和中专、技工学校毕业生) are no
    # school leavers: the ladder decides.
    named = [r for s, v in vocab.aliases["education"].items() if s in span and (r := vocab.rank("education", v))]
    if have is None or have <= top or any(r > top for r in named):
        return ""
    return f"条文所指为{condition.get('span')}，所填学历{own}高于此，请核实是否适用"
