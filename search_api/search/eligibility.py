"""申报自查: the policies an applicant may apply for, ranked by how well they fit.

The applicant describes themselves once (a :class:`~search_api.search.profile.Profile`);
the check finds candidate policies with the ordinary search (the query ``q``, else the
profile's own words, and the facet filters, restricted to passages that state conditions,
one hit per document; every such policy when no word is in any, :func:`_candidates`),
reads every clause with conditions of each candidate, and holds the profile against
each condition (:mod:`search_api.search.verdicts`). A policy the query names by its
title comes first; among the candidates about as relevant as the best one
(``RELEVANT_SHARE``), and then among the rest, policies come back eligible first, then
undecided, then not eligible; within each, more conditions met and fewer failed first,
then the search's own order. Another jurisdiction's policy (a 河南省 regulation for an
applicant who works in 北京, see :func:`applicant_places`) comes after all of them: it
binds none of the applicant's places, however well it fits; a text a later version
replaces (``newer_version``) comes last, as no one applies under it. Engine-neutral: it
only uses the :class:`~search_api.search.searcher.Searcher`.

The JSON API, ``policykb check`` and the 申报自查 page all call :func:`check` and render
:meth:`EligibilityResult.to_dict` (or its fields).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from analysis.text import compact
from ingest.model import PolicyRecord, paragraph_label
from knowledge.eligibility import BARE_GRADE, LADDERS, vocabulary
from knowledge.residence import tie
from search_api.errors import InvalidRequest
from search_api.index.engine import EngineQuery
from search_api.search.filters import resolve_filters
from search_api.search.first_page import elsewhere, named_places
from search_api.search.policy_verdicts import policy_verdict, tally
from search_api.search.profile import NONE_WORD, Profile
from search_api.search.query import analyze_query
from search_api.search.searcher import Searcher
from search_api.search.types import DocumentHit, Filters, SearchRequest
from search_api.search.verdicts import MET, Clause, Verdict, judge

# Candidate policies read per check: the search's best documents, re-ranked by fit.
CANDIDATES = 40
# Fit re-ranks the candidates scoring at least this share of the best one, and those
# below apart: a policy that merely fits must not push the one the words name (a title)
# off the page. At 0.5, 公证法 (59.9) had come before 律师法 (76.8) for a lawyer asking
# 律师执业, by fitting more of his facts.
RELEVANT_SHARE = 0.8
# The shortest query that can name a policy by its title (…条例 less its place).
MIN_TITLE = 5
# Another jurisdiction's policy (a 河南省 regulation for an applicant working in 北京) binds
# none of the applicant's places: it comes after every policy that may, however it fits.
ELSEWHERE_TIER = 2
# How much a met condition of each field tells that a policy is the applicant's (_fit_order):
# what few people hold, then the degree; age, residence, unit, years and a common origin 1.
FACT_WEIGHTS = {"skill_level_min": 3, "professional_title_min": 3, "certificates": 3, "awards": 3, "origin": 3}
FACT_WEIGHTS |= {"education_min": 2}
DISTINCTIVE = 3  # the weight of what few applicants have, counted wherever a policy names it
MIN_STATED = 2  # an eligible policy leads when its 申报条件 meet this much (a degree, or more)
NAMED_TIER = -2  # the policy the query names by its title (see _tier)
TITLE_WORDS_TIER = -1  # a policy whose title holds every word typed
MAX_CLAUSE_PASSAGES = 2000  # passages with conditions read of one policy
# Rungs below the applicant's own that a check without words searches by: the requirements
# they meet name a rung or two below (a 博士 meets 本科及以上); lower ones (初中) are named by
# laws of every kind.
RUNGS_BELOW = 2


@dataclass
class PolicyFit:
    doc_id: str
    title: str
    eligible: bool | None
    counts: dict[str, int]  # met / not_met / unknown conditions
    clauses: list[Clause]
    rank: int  # position in the search's order (ties of fit keep it)
    tier: int = 0  # -2 named, -1 title holds the words, 0 about as relevant as the best, 1 less, 2 elsewhere
    newer: PolicyRecord | None = None  # the later full text that replaces this one
    route: str | None = None  # the article (条) of the route met, when eligible: 第十八条

    def to_dict(self) -> dict[str, Any]:
        newer = self.newer
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "eligible": self.eligible,
            "counts": dict(self.counts),
            "clauses": [c.to_dict() for c in self.clauses],
            "newer_version": None if newer is None else {"doc_id": newer.id, "date": newer.date},
            "route": self.route,
        }


@dataclass
class EligibilityResult:
    profile: Profile
    total: int  # policies with conditions among the candidates
    policies: list[PolicyFit]  # the requested page
    capped: bool = False  # the search found CANDIDATES policies or more: only those were read
    broadened: bool = False  # none of the profile's words chose: every policy stating conditions was read

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile.to_dict(),
            "total": self.total,
            "policies": [p.to_dict() for p in self.policies],
            "notice": "以原文为准：自动判断仅供参考",
            "broadened": self.broadened,
        }


# ------------------------------------------------------------------ the check


def says_nothing(profile: Profile, query: str) -> bool:
    """Neither words nor a fact to choose policies by: 无 alone (no certificates, no awards)
    is none either."""
    return not query.strip() and all(value == [] for value in profile.to_dict().values())


def check(
    searcher: Searcher, profile: Profile, query: str, filters: Filters, offset: int = 0, limit: int = 10
) -> EligibilityResult:
    """Policies fitting ``profile`` among those the search for ``query`` and ``filters``
    finds (see the module docstring); neither a profile nor words is an InvalidRequest
    (it had answered 40 policies chosen by nothing)."""
    if says_nothing(profile, query):
        raise InvalidRequest("请至少填写一项个人情况（如 age、education）或检索词 q give a profile field or q")
    hits, broadened = _candidates(searcher, profile, query, replace(filters, conditioned_only=True))
    best = max((hit.score for hit in hits), default=0.0)
    places = applicant_places(profile, query)
    table = searcher.policy_table()
    fits: list[PolicyFit] = []
    for rank, hit in enumerate(hits):
        clauses = policy_clauses(searcher, hit.doc_id, profile, [hit.doc_title, *hit.agencies])
        if clauses:
            # Without words, the profile's words only gather candidates: 大专 beside 技师 had
            # made the laws that list 大专 most often "relevant" and 技能大师工作室 not.
            tier = _tier(query, hit.doc_title, not query.strip() or hit.score >= RELEVANT_SHARE * best)
            if tier >= TITLE_WORDS_TIER and elsewhere(places, {"kind": hit.doc_kind, "doc_title": hit.doc_title}):
                tier = ELSEWHERE_TIER
            state, route = policy_verdict(clauses)
            article = route.locator.split("（")[0] if route is not None else None  # 第十八条 of 第十八条（一）
            newer = table.newer(hit.doc_id)
            fits.append(
                PolicyFit(hit.doc_id, hit.doc_title, state, tally(clauses), clauses, rank, tier, newer, article)
            )
    fits.sort(key=_fit_order)
    page = fits[offset : offset + limit]
    return EligibilityResult(profile, len(fits), page, capped=len(hits) >= CANDIDATES, broadened=broadened)


def _candidates(searcher: Searcher, profile: Profile, query: str, searched: Filters) -> tuple[list[DocumentHit], bool]:
    """The candidate policies, and whether no word chose them. The query's words choose;
    without words, the profile's (:func:`profile_words`, what the applicant holds before
    what everyone is), each word on its own (高级技师 企业 在京工作 全国技术能手 had needed
    three of the four, and found one policy); when none of them is in any condition, every
    policy stating conditions is a candidate (a 硕士 of 35 in an 企业 had been told 共 0 项政策
    on the book, whose three policy texts name no degree)."""

    def search(text: str, any_unit: bool) -> list[DocumentHit]:
        # No home-region bonus: the applicant's places decide (applicant_places), and a bonus
        # on most candidates had let more of them pass RELEVANT_SHARE of the best (公证法 had
        # come before 律师法 for a lawyer asking 律师执业).
        request = SearchRequest(
            query=text,
            filters=searched,
            limit=CANDIDATES,
            facets=False,
            group="document",
            any_unit=any_unit,
            home=False,
            spell=not any_unit,  # a profile's words are the vocabulary's, no slips
        )
        return searcher.search(request).documents or []

    if query.strip():
        return search(query.strip(), False), False
    tried = profile_words(profile)
    for words in tried:
        if hits := search(words, True):
            return hits, False
    return search("", False), bool(tried)  # an age alone names no word to find


def profile_words(profile: Profile) -> list[str]:
    """The words the applicant chose as queries, tried in turn: what they hold (学历, 职称,
    技能等级, 证书, 奖励, an uncommon 身份), then all they gave (单位类型, 户籍或工作地, 中国公民
    too). 中国公民, 企业 and 在京工作 name half the laws: beside 技师 they had brought
    征兵工作条例 and 中国公民因私事往来香港地区…办法 first, 技能大师工作室 not on page 1.
    Numbers and 性别 say nothing a text would be found by, and 无 is no word."""
    held = [v for ladder in LADDERS if (value := getattr(profile, ladder)) for v in rungs_up_to(ladder, value)]
    held += [v for name in ("certificates", "awards") for v in getattr(profile, name) or () if v != NONE_WORD]
    held += [v for v in profile.origin or () if v not in vocabulary().common_origins]
    chosen = [profile.unit_type] if profile.unit_type else []
    chosen += [v for name in ("origin", "residence") for v in getattr(profile, name) or ()]
    return [" ".join(dict.fromkeys(words)) for words in (held, chosen) if words]


@lru_cache(maxsize=256)  # of the cached vocabulary alone: not rebuilt per check
def rungs_up_to(ladder: str, value: str) -> tuple[str, ...]:
    """``value`` and the RUNGS_BELOW rungs of its ladder below it: a 高级技师 meets
    技师及以上, whose text names 技师 only (高级技师 alone had found 2 policies, 技师 7,
    among them 技能大师工作室). A rung another ladder also spells (中级, 初级: 中级工) is
    no word to find conditions by (中级人民法院), nor is a grade's number alone (二级)."""
    vocab = vocabulary()
    rungs = vocab.ladders.get(ladder, ())
    if value not in rungs:
        return (value,)
    others = {s for name, table in vocab.aliases.items() if name != ladder for s in table}
    own = [
        s for s, rung in vocab.spellings(ladder) if rung == value and s not in others and not BARE_GRADE.fullmatch(s)
    ]
    below = [r for r in reversed(rungs[: rungs.index(value)]) if r not in others]
    return (*own, *below[:RUNGS_BELOW])


def applicant_places(profile: Profile, query: str) -> set[str]:
    """Where the policies must hold: the places the query names (河南 创业: the applicant
    asks about 河南), else those of the applicant's residence and workplace (在京工作)."""
    asked = named_places(analyze_query(query)) if query.strip() else set()
    if asked:
        return asked
    return {place for text in profile.residence or () if (place := tie(text).place) is not None}


def _tier(query: str, title: str, relevant: bool) -> int:
    """Where a candidate stands before its fit: the policy the query names by its title,
    then one whose title holds every word typed (护士 in 护士条例: 幼儿园管理条例, which names
    护士 in a clause, had come first for a nurse asking 护士), then the candidates about as
    relevant as the best, then the rest."""
    if _names(query, title):
        return NAMED_TIER
    words = [word for word in map(compact, query.split()) if len(word) >= 2]
    if words and all(word in compact(title) for word in words):
        return TITLE_WORDS_TIER
    return 0 if relevant else 1


def _names(query: str, title: str) -> bool:
    """Whether the query names the policy by its title (上海市献血条例, 注册建筑师条例 for
    中华人民共和国注册建筑师条例): that policy comes first, however others fit."""
    asked, named = compact(query), compact(title)
    return len(asked) >= MIN_TITLE and bool(named) and (named in asked or asked in named)


def _fit_order(fit: PolicyFit) -> tuple[bool, int, int, int, int, int, int, int]:
    """A text a later version replaces last (no one applies under the 1985 征兵工作条例);
    eligible first (unless weakly, below); then the policy meeting more of the applicant's
    facts in its 申报条件 and in the measures naming who gets them (:func:`_about_the_person`):
    a long plan whose measures name many 企业 as beneficiaries does not outrank the clause
    that says who may apply."""
    # Which of the applicant's facts it meets, not how often: a law listing 本科 in
    # each of nine routes fits a 本科 no better than one listing it once. What sets the
    # applicant apart (技师, 护士执业证书) says more than what most people have (年龄, 本科).
    weights: dict[str, int] = {}
    for clause in fit.clauses:
        for v in met_in(clause):
            weight = _weight(v)
            if not v.assumed and _about_the_person(clause, v, weight):
                weights[v.field] = max(weights.get(v.field, 0), weight)
    stated = sum(weights.values())
    # What sets the applicant apart decides first: 护士条例 (大专, 护士执业证书) had tied with
    # 汕头经济特区警务辅助人员条例 (大专, age, 中国公民, 女) and lost on the count of rows met.
    distinctive = sum(w for w in weights.values() if w >= DISTINCTIVE)
    # Eligible only by years of a named kind of work (从事法律工作满五年) may be nobody's
    # trade, and eligible by 申报条件 that meet one common fact of the applicant's or none
    # (单位类型为企业: 北京市促进中小企业发展条例 for a 技师) says little about what they came
    # for: listed with the undecided.
    assumed = any(v.assumed for c in fit.clauses for v in met_in(c))
    weak = assumed or stated < MIN_STATED
    decided = 1 if fit.eligible and weak else {True: 0, None: 1, False: 2}[fit.eligible]
    met = fit.counts["met"]
    return fit.newer is not None, fit.tier, decided, -distinctive, -stated, -met, fit.counts["not_met"], fit.rank


def _weight(verdict: Verdict) -> int:
    """What a met condition tells (``FACT_WEIGHTS``); an origin most applicants have
    (中国公民: ``common_origins``) no more than an age: 人民警察法 had come first for a
    village doctor by 中国公民, 中专 and 52 周岁."""
    values = verdict.value if isinstance(verdict.value, list) else [verdict.value]
    if verdict.field == "origin" and set(values) <= set(vocabulary().common_origins):
        return 1
    return FACT_WEIGHTS.get(verdict.field, 1)


def _about_the_person(clause: Clause, verdict: Verdict, weight: int) -> bool:
    """Whether a met condition says the policy is for the applicant: one of its 申报条件, or
    of a measure naming who gets it (持有…境外职业资格…的人员享受…), but not a measure's
    unit (支持…企业: the employer's type says nothing of the person); and what sets the
    applicant apart wherever the policy names it (乡村医生执业证书 in a licence duty of
    乡村医生从业管理条例, which had come sixth for a village doctor)."""
    if clause.clause_type == "condition" or weight >= DISTINCTIVE:
        return True
    return clause.clause_type == "benefit" and verdict.field != "unit_type"


def met_in(clause: Clause) -> list[Verdict]:
    """The conditions of ``clause`` the applicant meets."""
    return [v for v in clause.conditions if v.verdict == MET]


def policy_clauses(searcher: Searcher, doc_id: str, profile: Profile, doc_names: list[str]) -> list[Clause]:
    """The clauses of one policy that state conditions, in reading order, judged."""
    filters = resolve_filters(Filters(doc_id=doc_id, conditioned_only=True))
    result = searcher.engine.run(EngineQuery(plan=None, filters=filters, limit=MAX_CLAUSE_PASSAGES, by_date=True))
    payloads = sorted((p for _, p in result.hits), key=lambda p: int(p.get("ord", 0)))
    return [clause for p in payloads for clause in _clauses(p, profile, doc_names)]


def _clauses(payload: dict[str, Any], profile: Profile, doc_names: list[str]) -> list[Clause]:
    """The passage's clauses, judged: an article whose conditions stand in a later
    paragraph is cited by that 款 (《教师法》第十条第二款), one clause per 款 that states
    any; every other passage is one clause."""
    attrs = payload.get("attrs") or {}
    locator = str(payload.get("locator") or "")
    article = str(attrs.get("article") or locator.split("（")[0] or payload.get("id"))
    text = str(payload.get("text") or "")
    paragraphs = attrs.get("paragraphs") or []
    # Conditions come in text order, so their paragraphs do too.
    by_paragraph: dict[str, list[dict[str, Any]]] = {}
    for condition in payload["conditions"]:
        label = paragraph_label(paragraphs, text, int(condition.get("start", 0)))
        by_paragraph.setdefault(label, []).append(condition)
    citation = str(payload.get("citation") or "")
    clauses = []
    for suffix, conditions in by_paragraph.items() or [("", [])]:
        clauses.append(
            Clause(
                id=str(payload["id"]),
                citation=citation + suffix,
                locator=locator + suffix,
                article=article,
                clause_type=payload.get("clause_type"),
                text=text,
                conditions=[judge(c, profile, doc_names) for c in conditions],
            )
        )
    return clauses
