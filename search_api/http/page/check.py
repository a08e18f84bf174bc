"""申报自查 (``/check``): an applicant describes themselves once and sees, clause by clause,
which conditions of which policies they meet.

A GET form whose whole state is in the URL (each field optional, the ladders as
choices), rendered on the server and usable without JavaScript. The result is
:func:`search_api.search.eligibility.check`, the same call as ``/api/eligibility`` and
``policykb check``: policies ranked by fit, each clause with its citation and its
conditions ticked ✓ (met), ✗ (not met, with the reason) or ？ (unknown). Every result
says 「以原文为准」: the reading is automatic, the policy's text decides.
"""

# No `from __future__ import annotations`: FastAPI evaluates these signatures.
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, cast
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.datastructures import QueryParams

from analysis.numerals import int_to_cn
from knowledge.eligibility import vocabulary
from search_api.errors import InvalidRequest
from search_api.http.deps import SearcherDep
from search_api.http.page import form, results
from search_api.http.page.display import Clause
from search_api.http.params import FILTER_PARAMS
from search_api.http.profile_params import SINGLE_FIELDS, ProfileParams, profile_from_query
from search_api.search import eligibility, profile_reading
from search_api.search.profile import NONE_WORD, PROFILE_LABELS
from search_api.settings import Settings

PAGE_SIZE = 10
GROUP_LABELS = {"pref": "优先条件，非必需", "sub": "仅适用于特定类别"}  # shown in brackets: none inside
CONDITION_LABELS = {
    "education_min": "学历",
    "age_max": "年龄上限",
    "age_min": "年龄下限",
    "retirement_margin_min": "距退休年限",
    "professional_title_min": "职称",
    "skill_level_min": "技能等级",
    "years_experience_min": "工作年限",
    "origin": "身份",
    "residence_or_employment": "户籍或工作地",
    "unit_type": "单位类型",
    "certificates": "证书",
    "awards": "奖励",
    "other": "其他要求",
}


def build_check_router(settings: Settings, templates: Jinja2Templates) -> APIRouter:
    router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

    @router.api_route("/check", methods=["GET", "HEAD"])
    def check_page(request: Request, engine: SearcherDep) -> Response:
        # The parameters are read here, not by FastAPI's validators: a value out of bounds
        # is said on this page with the applicant's entries kept, not on the search
        # page's error page with the form empty (profile_from bounds every field).
        query = request.query_params
        profile = profile_from_query(query)
        notices: list[str] = []
        q = form.query_text(query.get("q") or "", settings, notices)
        profile = with_stated(profile, q, query, notices)
        problems: list[form.Problem] = []
        form.given_once(query, ("q", "size", "page", *SINGLE_FIELDS), problems, PROFILE_LABELS)
        # Policies per page as on the search page (size), the page within the result window.
        size = form.read_int("size", query.get("size"), 1, settings.max_page_size, problems, "每页条数") or PAGE_SIZE
        last_page = max(1, settings.max_result_window // size)
        page = form.read_int("page", query.get("page"), 1, last_page, problems, "页码") or 1
        # The search's filters (year, agency …), read as the search page reads them: the page
        # had ignored them where /api/eligibility applied them (year=1900: 40 policies).
        scope = form.read_search(query, settings)
        problems += [p for p in scope.problems if p.param in FILTER_PARAMS]
        filters = replace(scope.state.filters(), doc_id=None)
        kept = [(name, value) for name, value in scope.state.query_items() if name in FILTER_PARAMS]
        context: dict[str, Any] = {"q": q, "profile": profile, "choices": _choices(), "notices": notices}
        context.update(filters=[label for label, _ in results.filter_chips(scope.state)], kept=kept)
        context["ticked"] = {name: ticked(name, profile.raw().get(name) or []) for name in LISTED}
        context["unlisted"] = {name: unlisted(name, profile.raw().get(name) or []) for name in LISTED}
        context["number_tops"] = profile_reading.NUMBER_TOPS
        context.update(result=None, page=page, size=size, max_query=settings.max_query_chars)
        context["candidates"] = eligibility.CANDIDATES
        context["problem"] = f"{problems[0].label}：{problems[0].message}" if problems else None
        # The form sent with nothing filled in: say what to fill, not an empty page.
        context["submitted_empty"] = bool(query) and not (profile.given() or q.strip())
        if not problems and (profile.given() or q.strip()):
            try:
                applicant = profile_reading.profile_from(profile.raw())
                offset = (page - 1) * size
                if eligibility.says_nothing(applicant, q):  # 证书：无 alone
                    context["submitted_empty"] = True
                else:
                    context["result"] = eligibility.check(engine.get(), applicant, q.strip(), filters, offset, size)
            except InvalidRequest as exc:
                context["problem"] = readable(str(exc))
        context["page_url"] = lambda n: page_url(q, profile, n, size, kept)
        context["unfiltered"] = page_url(q, profile, 1, size)
        status = 422 if context["problem"] else 200
        return templates.TemplateResponse(request, "check.html", context, status_code=status)

    return router


def with_stated(profile: ProfileParams, q: str, query: QueryParams, notices: list[str]) -> ProfileParams:
    """``profile`` with what a question typed as 关键词 says of the asker (我是技师，今年50岁…:
    every condition had been ？ 未填写), as the search page's link fills it: only the fields
    not sent at all (one sent empty, skill_level=, was emptied by the applicant), said so."""
    stated = {k: v for k, v in profile_reading.stated_profile(q).items() if k not in query}
    if not stated:
        return profile
    told = "、".join(f"{PROFILE_LABELS[k]}“{v}”" for k, v in stated.items())
    notices.append(f"已从关键词中读取：{told}（如有不对，请在下方修改）。")
    return replace(profile, **cast(dict[str, Any], stated))  # single fields: text


def _choices() -> dict[str, tuple[str, ...]]:
    """The form's choices: the ladders highest first, then the vocabulary's lists, an
    origin made of parts offered by its parts (港澳, 台湾: a condition may name one)."""
    vocab = vocabulary()
    choices = {name: tuple(reversed(values)) for name, values in vocab.ladders.items()}
    choices.update({name: vocab.offered(name) for name in vocab.choices})
    return choices


LISTED = ("origin", "certificates", "awards")  # the profile's fields of check boxes


def ticked(name: str, values: list[str]) -> set[str]:
    """The boxes of list field ``name`` that ``values`` tick: each value as offered, by its
    spellings (海归 → 留学回国), an origin given whole by all its parts (港澳台 → 港澳 and
    台湾: the form offers the parts, and the whole had ticked none, so a resubmit lost it)."""
    vocab = vocabulary()
    boxes: set[str] = set()
    for value in values:
        part = vocab.origin_part(value) if name == "origin" else None
        canonical = part or vocab.canonical(name, value) or value
        boxes |= set(vocab.origin_parts.get(canonical, {canonical: ()}))
    return boxes


def unlisted(name: str, values: list[str]) -> list[str]:
    """The values of list field ``name`` that tick no box (乡村医生执业证书, given in the
    URL or by the API): shown as boxes of their own, ticked, so a resubmit keeps them."""
    offered = set(_choices()[name]) | {NONE_WORD}
    return [v for v in dict.fromkeys(values) if v not in offered and not ticked(name, [v]) & offered]


def readable(message: str) -> str:
    """「age: 应在0到120之间」 → 「年龄：应在0到120之间」 (the parameter in Chinese)."""
    name, _, rest = message.partition(": ")
    return f"{PROFILE_LABELS[name]}：{rest}" if name in PROFILE_LABELS and rest else message


def group_label(group: str | None, negated: bool = False, siblings: Sequence[str | None] = ()) -> str:
    """What a condition is to the applicant: one that disqualifies (不得属于: 有下列情形之一的，
    不予录用), required, preferred, for a category only, or one of alternatives; a member of
    an alternative that holds several (年满18周岁 with 22周岁以下) is named by its case, as
    "满足其一即可" on each had read as if either bound alone would do. ``siblings``, the
    groups of the clause's other conditions: a lone alternative beside cases (65周岁 beside
    （高精尖产业领域可放宽至70周岁）, g1 and g1/b) is the case no letter names, 情形一."""
    if negated:
        return "不得属于"
    if group is None:
        return "必备"
    name, _, branch = group.partition("/")
    if name in GROUP_LABELS:
        return GROUP_LABELS[name]
    if not branch:  # the one bare member beside lettered cases is the case no letter names
        branches = [str(g).partition("/")[2] for g in siblings if g and str(g).partition("/")[0] == name]
        lone = branches.count("") == 1 and "a" not in branches
        branch = "a" if lone and len(set(branches)) > 1 else ""
    case = _case_name(branch)
    return f"情形{case}，满足任一情形即可" if case else "满足其一即可"


def _case_name(branch: str) -> str | None:
    """The name of a branch: a → 一, 2 → 三 (line groups count from 0), ba → 二之一 (an
    item's own alternatives, ``x1/ba``); None when the group has none."""
    if branch.isdigit():
        return int_to_cn(int(branch) + 1)
    if not (branch.isascii() and branch.isalpha() and 1 <= len(branch) <= 2):
        return None
    numbers = [int_to_cn(ord(letter) - ord("a") + 1) for letter in branch.lower()]
    return "之".join(numbers)


def page_url(
    q: str, profile: ProfileParams, page: int, size: int = PAGE_SIZE, filters: Sequence[tuple[str, str]] = ()
) -> str:
    items = ([("q", q)] if q else []) + list(filters) + profile.query_items()
    items += ([("size", str(size))] if size != PAGE_SIZE else []) + ([("page", str(page))] if page > 1 else [])
    return f"/check?{urlencode(items)}#results"  # another page of results lands on them


def marked_text(text: str, conditions: list[dict[str, Any]]) -> Markup:
    """The clause's text with each condition's span marked (``id="span-N"``, N counting
    from 1 in the order of ``conditions``), so the table above can link to it. Spans that
    overlap an earlier one are left unmarked (their table row still quotes them)."""
    spans = sorted((int(c.get("start", 0)), int(c.get("end", 0)), n) for n, c in enumerate(conditions, start=1))
    out: list[str] = []
    at = 0
    for start, end, n in spans:
        if start < at or not 0 <= start < end <= len(text):
            continue
        out.append(str(escape(text[at:start])))
        out.append(f'<mark class="condition-span" id="span-{n}">{escape(text[start:end])}</mark>')
        at = end
    out.append(str(escape(text[at:])))
    return Markup("".join(out))


def conditions_in_place(clauses: list[Clause] | None, passage: Any) -> bool:
    """Whether the passage page's reading view shows the current passage's text whole, so
    its conditions are marked there instead of in a copy under their table (the page had
    printed the article twice). A policy's article split around its items is not whole."""
    if not passage.conditions or passage.kind == "table":
        return False
    if clauses is None:
        return True
    clause = _clause_of(clauses, str(passage.id))
    return clause is not None and clause.lead == passage.text and not clause.children


def _clause_of(clauses: list[Clause], passage_id: str) -> Clause | None:
    for clause in clauses:
        if clause.id == passage_id:
            return clause
        if passage_id in clause.contains and (found := _clause_of(clause.children, passage_id)) is not None:
            return found
    return None
