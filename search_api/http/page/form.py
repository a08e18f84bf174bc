"""The page's request parameters read leniently, with problems said in Chinese.

The JSON API rejects a bad parameter with a 422 naming it in English (FastAPI's
validation, :mod:`search_api.http.params`). The page reads the same parameters itself:
what can be repaired is (a query over the length limit is cut, ``2023/5/1`` becomes
``2023-05-01``), and what cannot is reported per parameter in Chinese, saying what to
write instead, while the form keeps what the user typed.

The page shows documents by default (:class:`PageState`): one result per document with
its best clauses, as an official reads; ``group=passage`` lists the passages themselves,
and ``doc_id`` narrows them to one document (its 「查看全部N处匹配」 link).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.datastructures import QueryParams

from analysis.dates import typed_date
from search_api.errors import InvalidRequest
from search_api.http.page import labels
from search_api.http.params import (
    DOC_ID_PATTERN,
    MAX_VALUE_CHARS,
    MAX_VALUES,
    SearchParams,
    search_query_model,
    single_valued,
)
from search_api.search.filters import MAX_YEAR, MIN_YEAR, check_value, check_year, closed_facets, date_bounds
from search_api.search.types import FACET_FIELDS
from search_api.settings import Settings

TRUE = {"1", "true", "on", "yes", "y", "t"}
FALSE = {"0", "false", "off", "no", "n", "f", ""}
# 2023, 2023-5, 2023/05/01, 2023.5.1, 2023年5月1日: the forms a person types.
DATE_HINT = "请写成年、年-月或年-月-日，如 2023、2023-05、2023-05-01 或 20230501"
GROUPS = ("document", "passage")  # the page's views: documents (its default), passages
DOC_ID = re.compile(DOC_ID_PATTERN)


@dataclass
class PageState(SearchParams):
    """The page's URL state: the API's parameters, documents by default.

    ``group`` is written into URLs only when it is not the page's default, so a shared
    link to passages stays on passages.
    """

    group: str = "document"

    def query_items(self) -> list[tuple[str, str]]:
        items = super().query_items()
        extra = [("group", self.group)] if self.group != "document" else []
        at = next((i for i, (name, _) in enumerate(items) if name in ("doc_id", "sort", "page", "size")), len(items))
        return [*items[:at], *extra, *items[at:]]


@dataclass
class Problem:
    """A parameter the page cannot use: which, and what to write instead (Chinese)."""

    param: str
    label: str
    message: str

    def __str__(self) -> str:
        return f"{self.label}：{self.message}"


@dataclass
class PageRequest:
    """A search as the page understood it: the state to run, and what to tell the user."""

    state: PageState
    typed: dict[str, str] = field(default_factory=dict)  # the text inputs as typed
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    beyond_window: int | None = None  # a page asked for past the result window

    @property
    def invalid(self) -> set[str]:
        return {p.param for p in self.problems}


def _problem(param: str, message: str) -> Problem:
    return Problem(param, labels.PARAM_LABELS.get(param, param), message)


def _shown(typed: str) -> str:
    """What the user typed, as a problem quotes it: at most 20 characters."""
    return typed if len(typed) <= 20 else typed[:20] + "…"


def given_once(query: QueryParams, names: tuple[str, ...], problems: list[Problem], labels_of: dict[str, str]) -> None:
    """A problem for each of ``names`` given twice with different values (age=30&age=40):
    the page would answer for the last alone, which the user did not ask for alone. The
    API refuses them too (``known_parameters``)."""
    for name in names:
        values = list(dict.fromkeys(v.strip() for v in query.getlist(name) if v.strip()))
        if len(values) > 1:
            shown = "、".join(f"“{_shown(v)}”" for v in values[:3])
            label = labels_of.get(name) or labels.PARAM_LABELS.get(name, name)
            problems.append(Problem(name, label, f"只能填写一个值，收到{shown}。"))


def query_text(raw: str, settings: Settings, notices: list[str]) -> str:
    """The query, cut to the length limit (with a notice) rather than rejected."""
    limit = settings.max_query_chars
    if len(raw) > limit:
        notices.append(f"检索词最多{limit}字，已截取前{limit}字")
        return raw[:limit]
    return raw


def read_dates(raw_from: str | None, raw_to: str | None, problems: list[Problem]) -> tuple[str | None, str | None]:
    """The two ends of a date range (:func:`read_date`); a range that ends before it starts
    is a problem too, and its end is dropped."""
    date_from = read_date("date_from", raw_from, problems)
    date_to = read_date("date_to", raw_to, problems)
    if date_from and date_to:
        low, high = date_bounds(date_from, None)[0], date_bounds(None, date_to)[1]
        if low and high and low > high:
            problems.append(_problem("date_to", f"截止日期“{date_to}”早于起始日期“{date_from}”，请对调两个日期。"))
            date_to = None
    return date_from, date_to


def read_date(param: str, raw: str | None, problems: list[Problem]) -> str | None:
    """An ISO date (YYYY, YYYY-MM or YYYY-MM-DD) from what was typed, or a problem."""
    text = (raw or "").strip()
    if not text:
        return None
    shown = _shown(text)
    typed = typed_date(text)
    if typed is None:
        problems.append(_problem(param, f"“{shown}”不是日期。{DATE_HINT}。"))
        return None
    year, month, day = typed
    value = year + (f"-{int(month):02d}" if month else "") + (f"-{int(day):02d}" if day else "")
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        problems.append(_problem(param, f"年份“{year}”超出范围，请写 {MIN_YEAR} 到 {MAX_YEAR} 之间的年份。"))
        return None
    try:
        date_bounds(value, None)
    except InvalidRequest:
        problems.append(_problem(param, f"“{shown}”不是有效的日期（没有这一月或这一天）。{DATE_HINT}。"))
        return None
    return value


def read_int(param: str, raw: str | None, low: int, high: int, problems: list[Problem], what: str) -> int | None:
    text = (raw or "").strip()
    if not text:
        return None
    if not re.fullmatch(r"[+]?\d{1,9}", text) or not low <= int(text) <= high:
        shown = _shown(text)
        problems.append(_problem(param, f"“{shown}”无效，{what}应为 {low} 到 {high} 之间的整数。"))
        return None
    return int(text)


def _page(raw: str | None, window: int, size: int, problems: list[Problem]) -> tuple[int, int | None]:
    """The page asked for, and the number asked when it is past the result window: pages
    stop where the window does, and a number past it (150 or 9999 alike) is told why and
    shown the last page."""
    last = max(1, window // size)
    past = past_last(raw, last)
    if past is not None:
        problems.append(_problem("page", f"仅显示前{window}条（每页 {size} 条时到第 {last} 页为止），请增加筛选条件。"))
        return last, past
    return read_int("page", raw, 1, last, problems, "页码") or 1, None


def past_last(raw: str | None, last: int) -> int | None:
    """The page number asked for when it is a whole number past ``last``, else None: told
    where the pages end, not refused as a bad number."""
    text = (raw or "").strip()
    return int(text) if text.isascii() and text.isdigit() and int(text) > last else None


def read_values(param: str, query: QueryParams, problems: list[Problem]) -> list[str]:
    values = list(dict.fromkeys(v.strip() for v in query.getlist(param) if v.strip()))
    if len(values) > MAX_VALUES:
        problems.append(_problem(param, f"最多可选 {MAX_VALUES} 项，现在选了 {len(values)} 项，请去掉一些。"))
        return values[:MAX_VALUES]
    long = [v for v in values if len(v) > MAX_VALUE_CHARS]
    if long:
        problems.append(_problem(param, f"每项最多 {MAX_VALUE_CHARS} 字，请缩短或去掉过长的一项。"))
        return [v for v in values if len(v) <= MAX_VALUE_CHARS]
    return values


def _checked(
    param: str, values: list[str], check: Callable[[str], None], said: Callable[[str], str], problems: list[Problem]
) -> list[str]:
    """The values ``check`` accepts (the search's own check: the page and the API refuse
    alike); each other one is a problem, ``said`` of the value as shown."""
    kept = []
    for value in values:
        try:
            check(value)
            kept.append(value)
        except InvalidRequest:
            problems.append(_problem(param, said(_shown(value))))
    return kept


def checked_years(values: list[str], problems: list[Problem]) -> list[str]:
    """The year values that are years; the others are a problem (年份“abc”无效)."""
    hint = f"请写 {MIN_YEAR} 到 {MAX_YEAR} 之间的四位年份，如 2023。"
    return _checked("year", values, check_year, lambda shown: f"“{shown}”不是年份，{hint}", problems)


def _closed(facet: str, values: list[str], problems: list[Problem]) -> list[str]:
    """The values of a closed facet's list (clause types, document kinds, talent
    categories); another is a problem naming the choices, as the page labels them."""
    shown = {**labels.KIND_LABELS, **labels.CLAUSE_TYPE_LABELS}
    choices = "、".join(shown.get(v, v) for v in closed_facets()[facet])
    name = labels.FACET_LABELS[facet]
    return _checked(
        facet,
        values,
        lambda v: check_value(facet, v),
        lambda typed: f"没有{name}“{typed}”，可选：{choices}。",
        problems,
    )


def read_flag(param: str, raw: str | None, problems: list[Problem]) -> bool:
    text = (raw or "").strip().lower()
    if text in TRUE:
        return True
    if text not in FALSE:
        problems.append(_problem(param, "应为 1（是）或 0（否）。"))
    return False


def read_search(query: QueryParams, settings: Settings) -> PageRequest:
    """The search page's state from its URL, repaired where possible, problems listed."""
    problems: list[Problem] = []
    notices: list[str] = []
    given_once(query, single_valued(search_query_model(settings)), problems, {})  # the API's single parameters
    typed = {name: query.get(name) or "" for name in ("q", "date_from", "date_to", "doc_number")}
    q = query_text(typed["q"], settings, notices)
    typed["q"] = q
    values = {facet: read_values(facet, query, problems) for facet in FACET_FIELDS}
    values["year"] = checked_years(values["year"], problems)
    for facet in closed_facets():
        values[facet] = _closed(facet, values[facet], problems)
    date_from, date_to = read_dates(typed["date_from"], typed["date_to"], problems)
    doc_number = typed["doc_number"].strip() or None
    if doc_number and len(doc_number) > MAX_VALUE_CHARS:
        problems.append(
            _problem("doc_number", f"文号最多 {MAX_VALUE_CHARS} 字，请只填文号本身，如 京人社能发〔2023〕3号。")
        )
        doc_number = None
    eligibility = read_flag("eligibility_only", query.get("eligibility_only"), problems)
    spell = read_flag("spell", query.get("spell", "1"), problems)  # 0: the 仍然搜索 link
    sort = (query.get("sort") or "relevance").strip() or "relevance"
    if sort not in ("relevance", "date"):
        problems.append(_problem("sort", "只能按相关度（relevance）或日期（date）排序。"))
        sort = "relevance"
    size = read_int("size", query.get("size"), 1, settings.max_page_size, problems, "每页条数") or 10
    group = (query.get("group") or "document").strip() or "document"
    if group not in GROUPS:
        problems.append(_problem("group", "只能按文件（document）或按段落（passage）显示。"))
        group = "document"
    doc_id = (query.get("doc_id") or "").strip().lower() or None
    if doc_id and not DOC_ID.match(doc_id):
        problems.append(_problem("doc_id", "文档编号无效，请从检索结果中的「查看全部」链接进入。"))
        doc_id = None
    page, beyond = _page(query.get("page"), settings.max_result_window, size, problems)
    state = PageState(
        q=q,
        date_from=date_from,
        date_to=date_to,
        doc_number=doc_number,
        eligibility_only=eligibility,
        sort=sort,
        page=page,
        size=size,
        facet_docs=True,
        group=group,
        doc_id=doc_id,
        spell=spell,
    )
    for facet, chosen in values.items():
        setattr(state, facet, chosen)
    for name in ("date_from", "date_to"):
        if name not in {p.param for p in problems} and state_value(state, name):
            typed[name] = state_value(state, name)
    return PageRequest(state, typed, problems, notices, beyond)


def pages_end(problems: list[Problem], asked: int, last: int) -> list[Problem]:
    """``problems`` with the page one saying where the results end (at page ``last``,
    before the result window does): 仅显示前1000条 had been said of 496 results."""
    told = _problem("page", f"第{asked}页没有结果：结果到第{last}页为止，请改看第{last}页或更前的页。")
    return [told if problem.param == "page" else problem for problem in problems]


def state_value(state: PageState, name: str) -> str:
    value = getattr(state, name)
    return value if isinstance(value, str) else ""
