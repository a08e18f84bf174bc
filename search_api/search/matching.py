"""What of a query matched, said honestly: per unit, and whether only leftovers did.

When no passage holds enough of a query's units, the search does not quietly return
whatever matched one word. It asks the engine how many passages hold each unit (a count,
no page), keeps the units that exist in the index and mean something on their own, and
searches for those; the response names the units that were not found
(「未找到：火锅。以下结果只包含：量子」). When what remains is only a *leftover* (a number,
a single character, or a word so common that it says nothing: more than
:data:`COMMON_SHARE` of all passages hold it), the result is empty: 「量子纠缠火锅」 does
not list passages about 量子 only because 量子 exists, and ``<script>alert(1)</script>``
does not list every passage with a 1 in it.

The cut-off is a share of passages rather than a score: scores are engine-specific and
not comparable across queries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from analysis.text import HAN_CHAR, normalize
from knowledge.docnum import spellings
from search_api.index.engine import Engine, EngineFilters, EngineQuery
from search_api.search import budget, ranking
from search_api.search.query import AnalyzedQuery, minimum_match

# A unit held by more than this share of passages carries no topic of its own (要求,
# 规定, 人员 at 250,000 passages). Measured on the regulations archive and the book: the
# content words of the judged queries are held by at most 3% of passages, question
# fillers that slip through (情况, 问题) by 2-8%.
COMMON_SHARE = 0.05
# Below this many passages a share says nothing (in a test index of three passages every
# word is "common"); there only numbers and single characters are leftovers.
SHARE_FROM_PASSAGES = 1000
_NUMBER = re.compile(r"^[0-9.%]+[^\d]{0,2}$|^[零〇一二两三四五六七八九十百千万]+[^\d]{0,2}$")


@dataclass
class QueryInfo:
    """What the search understood and what matched (the response's ``query`` block)."""

    text: str
    normalized: str
    terms: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)  # units no passage holds (under the filters)
    relaxed: bool = False
    corrections: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return dict(vars(self))


def is_leftover(unit: str, count: int, passages: int) -> bool:
    """A unit too weak to stand alone: a number or amount, one character, or common."""
    if _NUMBER.match(unit) or HAN_CHAR.fullmatch(unit) or len(unit) == 1:
        return True
    return passages >= SHARE_FROM_PASSAGES and count / passages > COMMON_SHARE


def unit_counts(
    engine: Engine, aq: AnalyzedQuery, filters: EngineFilters, units: list[str] | None = None
) -> dict[str, int]:
    """How many passages (under the filters) hold each required unit (or each of
    ``units``), in any of its forms."""
    counts: dict[str, int] = {}
    for unit in aq.required if units is None else units:
        budget.check()  # one engine call per unit: up to a hundred for a long query
        alone = replace(aq, required=[unit], min_match=1, doc_numbers=[])
        plan = ranking.plan(alone)
        if plan is None:
            counts[unit] = 0
            continue
        query = EngineQuery(plan=replace(plan, should=()), filters=filters, limit=1)
        counts[unit] = engine.run(query).total
    return counts


def meaningful(aq: AnalyzedQuery, counts: dict[str, int], passages: int) -> AnalyzedQuery | None:
    """The query on the units that exist and are no leftovers (``aq`` itself when that is
    all of them, as many needed), or None when none is."""
    kept = [u for u in aq.required if counts.get(u, 0) > 0 and not is_leftover(u, counts[u], passages)]
    if not kept:
        return None
    min_match = minimum_match(len(kept))
    if kept == aq.required and min_match == aq.min_match:
        return aq  # the very query that found nothing (the searcher does not run it again)
    return replace(aq, required=kept, min_match=min_match)


# How far apart, in characters, the parts of a compound may stand and still say it
# (技能大师（工作室）, 购房和租房补贴), not two words of separate sentences (岗位 … 津贴).
PARTS_GAP = 6


def found_in(unit: str, aq: AnalyzedQuery, texts: list[str]) -> bool:
    """Whether a unit (as typed, as an alternative, or its parts in order, close together)
    is in one of ``texts``."""
    forms = [unit, *aq.alternatives.get(unit, ())]
    parts = aq.parts.get(unit, [])
    return any(any(f in text for f in forms) or bool(parts and _parts_close(parts, text)) for text in texts)


def _parts_close(parts: list[str], text: str) -> bool:
    """Whether ``parts`` occur in ``text`` in order, each at most PARTS_GAP characters
    after the one before."""
    start = text.find(parts[0])
    while start != -1:
        end, ok = start + len(parts[0]), True
        for part in parts[1:]:
            at = text.find(part, end, end + PARTS_GAP + len(part))
            if at == -1:
                ok = False
                break
            end = at + len(part)
        if ok:
            return True
        start = text.find(parts[0], start + 1)
    return False


def matched_units(aq: AnalyzedQuery, hits: list[tuple[float, dict[str, Any]]]) -> tuple[list[str], list[str]]:
    """The required units the page's passages hold and those they lack (every unit is
    held when the plan needed them all)."""
    if aq.min_match == len(aq.required):  # most keyword queries: no page text to build
        return list(aq.required), []
    texts = page_texts([payload for _, payload in hits])
    matched = [u for u in aq.required if found_in(u, aq, texts)]
    return matched, [u for u in aq.required if u not in matched]


def lacking(aq: AnalyzedQuery, payload: dict[str, Any]) -> list[str]:
    """The required units one passage lacks (缺少, beside a result that holds only most of
    the query: 高技能人才 补贴 金额 found 反补贴条例's 补贴金额 first, and said nothing)."""
    if aq.min_match == len(aq.required):
        return []
    text = page_texts([payload])
    return [u for u in aq.required if not found_in(u, aq, text)]


def matched_numbers(aq: AnalyzedQuery, hits: list[tuple[float, dict[str, Any]]]) -> tuple[list[str], list[str]]:
    """The 文号 of the query that a hit of the page carries, or writes, and those none does."""
    carried = {payload.get("doc_number") for _, payload in hits}
    texts = [normalize(payload.get("text", "")) for _, payload in hits]
    matched = [n for n in aq.doc_numbers if n in carried or any(normalize(s) in t for s in spellings(n) for t in texts)]
    return matched, [n for n in aq.doc_numbers if n not in matched]


def unnamed(aq: AnalyzedQuery, hits: list[tuple[float, dict[str, Any]]]) -> list[str]:
    """The benefits the query names (交通补贴, 陪产假) that no passage of the page holds,
    though it may hold their words apart."""
    if not aq.named:  # most queries: no page text to build
        return []
    texts = page_texts([payload for _, payload in hits])
    return [name for name, parts in aq.named.items() if not any(_named_in(parts, aq, t) for t in texts)]


def _named_in(parts: list[str], aq: AnalyzedQuery, text: str) -> bool:
    """Whether the modifier and the head of a named benefit (or the head's synonym, 补助
    for 补贴) stand together in ``text``, in order, as compound parts do."""
    modifier, head = parts
    return any(_parts_close([modifier, form], text) for form in [head, *aq.alternatives.get(head, ())])


def page_texts(payloads: list[dict[str, Any]]) -> list[str]:
    """The normalised text, title and heading path of the hits of a page."""
    return [normalize(" ".join([p.get("text", ""), p.get("doc_title", ""), *p.get("path", [])])) for p in payloads]
