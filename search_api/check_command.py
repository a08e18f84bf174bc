"""``policykb check``: the 申报自查 of the web page and ``/api/eligibility`` in a terminal.

A module of its own so that ``cli.py`` stays a list of commands: the profile options
(the same names as the API's parameters, ``--years-experience`` for
``years_experience``) and the text rendering of a result. ``--json`` prints exactly the
API's body.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from knowledge.eligibility import vocabulary
from search_api.search import eligibility, profile_reading
from search_api.search.eligibility import EligibilityResult
from search_api.search.searcher import Searcher
from search_api.search.types import Filters
from search_api.search.verdicts import MET, NOT_MET

# (option, label, the vocabulary list whose values the help names: a ladder or a choice)
PROFILE_OPTIONS = (
    ("education", "学历", "education"),
    ("age", "年龄 (周岁)", None),
    ("professional-title", "职称", "professional_title"),
    ("skill-level", "职业技能等级", "skill_level"),
    ("years-experience", "相关工作年限", None),
    ("years-to-retirement", "距法定退休年龄的年数", None),
    ("unit-type", "单位类型", "unit_type"),
    ("sex", "性别: 男, 女", None),
)
PROFILE_LISTS = (
    ("origin", "身份 (repeatable)", "origin"),
    ("residence", "户籍或工作地, in words (repeatable): 在京工作, 北京户籍", None),
    ("certificates", "证书 (repeatable; 无 = none)", "certificates"),
    ("awards", "奖励 (repeatable; 无 = none)", "awards"),
    ("facts", "other facts the applicant meets, in the policy's words (repeatable)", None),
)
MARKS = {MET: "✓", NOT_MET: "✗"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="?", default="", help="words choosing the policies (optional)")
    for name, text, values in PROFILE_OPTIONS:
        parser.add_argument(f"--{name}", help=_help(text, values))
    for name, text, values in PROFILE_LISTS:
        parser.add_argument(f"--{name}", action="append", help=_help(text, values))
    parser.add_argument("--agency", action="append", help="issuing agency (repeatable)")
    parser.add_argument("--year", action="append")
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="the body of /api/eligibility")


def run(args: argparse.Namespace, searcher: Searcher, print_json: Callable[[Any], None]) -> int:
    """The command: the check of the options' profile, as text or as the API's JSON."""
    profile = profile_reading.profile_from(profile_of(args))
    filters = Filters(agency=args.agency or [], year=args.year or [])
    result = eligibility.check(searcher, profile, args.query, filters, args.offset, args.limit)
    if args.json:
        print_json(result.to_dict())
    else:
        print(render(result))
    return 0


def _help(text: str, values: str | None) -> str:
    """The option's help, naming the values of its ladder (highest first) or list."""
    if values is None:
        return text
    vocab = vocabulary()
    names = tuple(reversed(vocab.ladders[values])) if values in vocab.ladders else vocab.offered(values)
    return f"{text}: {', '.join(names)}"


def profile_of(args: argparse.Namespace) -> dict[str, Any]:
    """The raw profile (as the API receives it) from the command's options."""
    names = [name for name, *_ in PROFILE_OPTIONS] + [name for name, *_ in PROFILE_LISTS]
    return {name.replace("-", "_"): getattr(args, name.replace("-", "_")) for name in names}


def render(result: EligibilityResult) -> str:
    """The result as text: each policy, its verdict, each clause with ✓ ✗ ？ per condition."""
    verdicts = {True: "符合 (eligible)", False: "不符合 (not eligible)", None: "待核实 (undecided)"}
    lines = [f"共 {result.total} 项政策 (policies)；以原文为准 (the text of the policy prevails)"]
    if result.broadened and result.total:
        which = f"最新的 {eligibility.CANDIDATES} 项" if result.capped else "全部"
        lines.append(
            f"所填情况未在任何政策的条件中出现：列出{which}含条件的政策 (no word chose: policies with conditions)"
        )
    for rank, policy in enumerate(result.policies, start=1):
        counts = policy.counts
        lines.append(
            f"\n{rank}. 《{policy.title}》 {verdicts[policy.eligible]} · 符合 {counts['met']} · "
            f"不符合 {counts['not_met']} · 待核实 {counts['unknown']}"
        )
        for clause in policy.clauses:
            lines.append(f"   {clause.citation}")
            for c in clause.conditions:
                group = f" [{c.group}]" if c.group else ""
                lines.append(f"     {MARKS.get(c.verdict, '？')} {c.requirement}{group} — {c.reason}")
    return "\n".join(lines)
