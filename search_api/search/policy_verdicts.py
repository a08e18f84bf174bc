"""What a policy's clauses come to for an applicant: eligible, not eligible or undecided.

Each clause's conditions carry a verdict (:mod:`search_api.search.verdicts`). A set of
clauses is met when every hard condition and every group is met, failed when one fails,
and ``None`` (undecided) otherwise (:func:`eligible`; groups as in ``tests/data/conditions.md``:
``pref`` and ``sub`` never decide).

A policy may offer several routes: each article that states conditions (its lead-in
with its items) is one, together with the policy's general clauses that bound who the
text is for (本条例适用于…, …是指…), which bind every route; each numbered item of a
section (一、1.) is one, together with its section's lead-in (持有…的人员享受以下便利化服务：).
A route holds a clause typed ``condition`` or ``benefit`` and a condition that decides
(not only a priority, ``pref``); one that only says who is barred, or a measure met only
by the type of the applicant's employer, makes no one eligible. The policy is eligible
when one route is met, not eligible when every route with a condition the profile
decides has failed, and undecided otherwise (:func:`policy_verdict`). Reading all of a
law's articles as one application made every law with one failed article "not eligible"
(6 of 17 tune profiles right, against 8 by routes; ``tests/eligibility``).
"""

from __future__ import annotations

from collections.abc import Iterable

from knowledge.eligibility import vocabulary
from search_api.search.verdicts import MET, NOT_MET, UNKNOWN, VERDICTS, Clause, Verdict

IGNORED_GROUPS = ("pref", "sub")  # a priority, a sub-category's extra: never decide
# The clause types a route to apply by holds: who qualifies, or who gets what.
APPLICANT_TYPES = (None, "condition", "benefit")


def eligible(clauses: Iterable[Clause]) -> bool | None:
    """True when every hard condition and every group is met, False when one fails,
    None otherwise (see the module docstring)."""
    clauses = list(clauses)  # read twice
    hard: list[str] = []
    groups: dict[tuple[str, str], dict[str, list[str]]] = {}
    for clause in clauses:
        for n, verdict in enumerate(clause.conditions):
            group = verdict.group
            if group is None:
                hard.append(verdict.verdict)
                continue
            name, _, branch = group.partition("/")
            if name in IGNORED_GROUPS:
                continue
            scope = clause.article if name.startswith("x") else clause.id
            branches = groups.setdefault((scope, name), {})
            branches.setdefault(branch or f"{clause.id}#{n}", []).append(verdict.verdict)
    states = hard + [_group_state(branches) for branches in groups.values()]
    if NOT_MET in states:
        return False
    # Met only as the profile reads it, with something to check (doubts.CAVEATS): years as
    # years of the work the text names (执业满五年 of 医师法 第二十条第二款, for an engineer),
    # a certificate of a list's kind: that the applicant does that work, or holds one listed, is unread.
    only_assumed = all(v.assumed for c in clauses for v in c.conditions if v.verdict == MET)
    if all(state == MET for state in states):
        return True if states and not only_assumed else None
    return None


def policy_verdict(clauses: list[Clause]) -> tuple[bool | None, Clause | None]:
    """The verdict on a whole policy and, when it is eligible, the first clause of the route
    met (one holding a clause typed ``condition`` before others): the page names it, as
    "eligible" by a route about something else (公证法 第十条, who may head a 公证机构) had
    read as eligible for what the applicant came for."""
    # What bounds the whole text (本条例适用于…, …是指…) binds every route; other general
    # clauses (国家鼓励取得执业医师资格的人员开办…) bind none: a village doctor had failed
    # every route of 乡村医生从业管理条例 by 第八条.
    general = [c for c in clauses if c.clause_type == "general" and _scope(c)]
    routes: dict[str, list[Clause]] = {}
    for clause in clauses:
        if clause.clause_type != "general":
            routes.setdefault(clause.article, []).append(clause)
    # How a 公证机构 head is chosen (公证法 第十条) is no route to apply by, nor an article
    # stating only a priority (同等条件下，优先认定…: 技能大师工作室 第五条 had made a 初级工
    # eligible by the general clauses alone).
    stated = bool(routes)
    routes = {key: route for key, route in routes.items() if _applies(route)}
    if not routes:
        # The general clauses alone: they may bar the applicant, but they make no one
        # eligible where the articles only name a post or a priority.
        state = eligible(general)
        return (None if stated and state else state), None
    decided: list[bool | None] = []
    met: list[list[Clause]] = []
    failed: list[list[Clause]] = []
    undecided = False  # a route to apply by that nothing in the profile decides
    for key, route in routes.items():
        state = eligible(route + _lead_ins(key, routes) + general)
        if state is True and (_bars_only(route) or _employer_only(route)):
            state = None  # 没有取得律师执业证书的人员，不得…: not barred qualifies for nothing
        if state is True:
            met.append(route)
        elif state is False or any(v.verdict != UNKNOWN for c in route for v in c.conditions):
            # (failed by a general clause too: 本条例适用于港澳台青年 fails every route)
            decided.append(state)
            failed += [route] if state is False else []
        else:
            undecided = True
    if met:
        return True, next((r for r in met if _conditions(r)), met[0])[0]
    if not decided or any(state is not False for state in decided):
        return None, None
    # Only measures for other people failed (为港澳台青年以及外国青年…: a benefit clause, no
    # condition clause), while routes the profile does not decide stay open: undecided, as
    # 「有必备条件不符合」 had been said of a whole 青年创新创业 law to a 30-year-old.
    return (None if undecided and all(_for_others(r) for r in failed) else False), None


def _conditions(route: list[Clause]) -> bool:
    """Whether a route holds a clause typed ``condition`` (申报条件, not a measure)."""
    return any(c.clause_type == "condition" for c in route)


def _for_others(route: list[Clause]) -> bool:
    """Whether a failed route is a measure for another group of people: every clause a
    measure (typed ``benefit``) and every failed condition the group's origin (港澳台青年), not
    the applicant's own age or degree, which a measure asking 35周岁以下 still fails."""
    failed = [v for c in route for v in c.conditions if v.verdict == NOT_MET]
    return all(c.clause_type == "benefit" for c in route) and all(v.field == "origin" for v in failed)


def _scope(clause: Clause) -> bool:
    """Whether a general clause bounds who the whole text is for (cue list ``scope``)."""
    return any(word in clause.text for word in vocabulary().cues["scope"])


def _employer_only(route: list[Clause]) -> bool:
    """Whether a route of measures (no clause typed ``condition``) is met only by the type
    of the applicant's employer: the measure's beneficiary is the unit (为企业用工提供服务,
    支持高等学校…), not the person asking."""
    if _conditions(route):
        return False
    met = [v for c in route for v in c.conditions if v.verdict == MET]
    return bool(met) and all(v.field == "unit_type" for v in met)


def _applies(route: list[Clause]) -> bool:
    """Whether a route is one to apply by: a clause of who qualifies or who gets what, and
    a condition of its own that decides (not only ``pref``/``sub``)."""
    return any(c.clause_type in APPLICANT_TYPES for c in route) and bool(_deciding(route))


def _deciding(route: list[Clause]) -> list[Verdict]:
    """The conditions of a route that decide: not a priority or a sub-category's extra."""
    return [v for c in route for v in c.conditions if (v.group or "").partition("/")[0] not in IGNORED_GROUPS]


def _bars_only(route: list[Clause]) -> bool:
    """Whether every deciding condition of a route says who is barred (``negated``)."""
    deciding = _deciding(route)
    return bool(deciding) and all(v.negated for v in deciding)


def _lead_ins(key: str, routes: dict[str, list[Clause]]) -> list[Clause]:
    """The clauses of the sections a numbered item stands under (一、 of 一、1.): 持有…的人员
    享受以下便利化服务：1. …3. 外籍人员可办理… binds each item to the lead-in's holders."""
    return [c for other, clauses in routes.items() if other != key and _within(key, other) for c in clauses]


def _within(key: str, section: str) -> bool:
    """Whether the locator ``key`` is an item of the section ``section`` (一、1. of 一、)."""
    return section.endswith("、") and key.startswith(section)


def _group_state(branches: dict[str, list[str]]) -> str:
    """Any branch met: met; every branch failed: not met; else unknown."""
    states = [_all_of(members) for members in branches.values()]
    if MET in states:
        return MET
    return NOT_MET if all(s == NOT_MET for s in states) else UNKNOWN


def _all_of(members: list[str]) -> str:
    if NOT_MET in members:
        return NOT_MET
    return MET if all(m == MET for m in members) else UNKNOWN


def tally(clauses: Iterable[Clause]) -> dict[str, int]:
    """How many conditions are met, not met and unknown (pref/sub included)."""
    counts = dict.fromkeys(VERDICTS, 0)
    for clause in clauses:
        for verdict in clause.conditions:
            counts[verdict.verdict] += 1
    return counts
