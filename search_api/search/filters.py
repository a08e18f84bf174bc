"""Request checks and filter normalisation, before any engine sees a request.

Both engines get the same validated :class:`~search_api.index.engine.EngineFilters`, so
the same bad input gives the same :class:`~search_api.errors.InvalidRequest` (one
message) on every engine: a date that is no calendar date, an unknown facet field, a
page beyond the result window.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache

from analysis.text import normalize
from ingest.model import DOCUMENT_KINDS, PASSAGE_KINDS
from knowledge.docnum import parse_doc_number
from knowledge.tables import CLAUSE_TYPES, load_talent_categories
from search_api.errors import InvalidRequest
from search_api.index.engine import FACET_FIELDS, EngineFilters
from search_api.search.types import Filters, SearchRequest
from search_api.settings import Settings

_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# Dates an engine can represent (tantivy's fall short of 1677) and people mean.
MIN_YEAR, MAX_YEAR = 1800, 2199


def validate_request(request: SearchRequest, settings: Settings) -> SearchRequest:
    """Reject what an engine must never see: huge queries, deep pages, bad filters."""
    if len(request.query) > settings.max_query_chars:
        raise InvalidRequest(
            f"检索词最多{settings.max_query_chars}字 query longer than {settings.max_query_chars} characters"
        )
    if not 1 <= request.limit <= settings.max_page_size:
        raise InvalidRequest(
            f"每页条数应在1到{settings.max_page_size}之间 page size must be between 1 and {settings.max_page_size}"
        )
    if request.offset < 0:  # had been told 「仅提供前1000条结果」, the wrong reason
        raise InvalidRequest(f"起始位置应不小于0 offset must be 0 or more, got {request.offset}")
    if request.offset + request.limit > settings.max_result_window:
        raise InvalidRequest(
            f"仅提供前{settings.max_result_window}条结果，请增加筛选条件 "
            f"results beyond {settings.max_result_window} are not available; refine the query"
        )
    if request.sort not in ("relevance", "date"):
        raise InvalidRequest("排序应为 relevance（相关度）或 date（日期） sort must be 'relevance' or 'date'")
    if request.group not in ("passage", "document"):
        raise InvalidRequest("group 应为 passage（条文）或 document（文件） group must be 'passage' or 'document'")
    resolve_filters(request.filters)
    return request


# The facet values no document can lack a word for: a value off these lists had matched
# nothing, said nowhere why (doc_kind=zzz: 共 0 份文件 and 请检查错别字). Names in Chinese
# for the message; the page says the same with its own labels.
CLOSED_FACET_NAMES = {
    "clause_type": "条款类型",
    "doc_kind": "文档类型",
    "doc_type": "内容类型",
    "talent_category": "人才类别",
}


@lru_cache(maxsize=1)
def closed_facets() -> dict[str, tuple[str, ...]]:
    """Each closed facet's values: the clause types and talent categories of their data
    files, the document and passage kinds of the model."""
    categories = tuple(category.name for category in load_talent_categories())
    return {
        "clause_type": CLAUSE_TYPES,
        "doc_kind": DOCUMENT_KINDS,
        "doc_type": PASSAGE_KINDS,
        "talent_category": categories,
    }


def check_value(facet: str, value: str) -> None:
    """A value of a closed facet is one of its list (:func:`closed_facets`); any value of
    an open one (an agency, a place) may be asked for."""
    allowed = closed_facets().get(facet)
    if allowed is not None and value not in allowed:
        raise InvalidRequest(
            f"{CLOSED_FACET_NAMES[facet]}“{value}”不存在，可选：{'、'.join(allowed)} "
            f"{facet} must be one of {', '.join(allowed)}, got {value!r}"
        )


def check_facets(fields: tuple[str, ...]) -> None:
    unknown = [f for f in fields if f not in FACET_FIELDS]
    if unknown:
        raise InvalidRequest(
            f"没有筛选项“{unknown[0]}” unknown facet field {unknown[0]!r}; facets are {', '.join(FACET_FIELDS)}"
        )


def resolve_filters(filters: Filters) -> EngineFilters:
    """The filters as an engine takes them: 文号 normalised, dates as inclusive days."""
    low, high = date_bounds(filters.date_from, filters.date_to)
    terms = {facet: tuple(values) for facet in FACET_FIELDS if (values := filters.selected(facet))}
    for year in terms.get("year", ()):
        check_year(year)
    for facet in closed_facets():
        for value in terms.get(facet, ()):
            check_value(facet, value)
    return EngineFilters(
        terms=terms,
        doc_number=normal_doc_number(filters.doc_number) if filters.doc_number else None,
        doc_id=filters.doc_id or None,
        eligibility_only=filters.eligibility_only,
        conditioned_only=filters.conditioned_only,
        date_low=low,
        date_high=high,
    )


@lru_cache(maxsize=8192)  # the policy list compares each record's 文号 per request
def normal_doc_number(value: str) -> str:
    """The normalised 文号 of any bracket, spacing, width or script variant (京人社事業發
    〔２０２３〕６號 as the search box reads it); itself when unparseable."""
    parsed = parse_doc_number(normalize(value))
    return parsed.normal if parsed else value


def check_year(value: str) -> None:
    """A year facet value must be a year (2023): abc had matched nothing, silently."""
    if not (value.isascii() and value.isdigit() and len(value) == 4 and MIN_YEAR <= int(value) <= MAX_YEAR):
        raise InvalidRequest(
            f"year 应为 {MIN_YEAR} 到 {MAX_YEAR} 之间的四位年份，如 2023 "
            f"year must be a year between {MIN_YEAR} and {MAX_YEAR}, got {value!r}"
        )


def date_bounds(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    """Inclusive ISO day bounds of two ISO dates (YYYY, YYYY-MM or YYYY-MM-DD); a year or
    month bound covers its whole period. Anything else is an InvalidRequest naming it, and
    so is a range that ends before it starts (it would match nothing, silently)."""
    low, high = _bound("date_from", date_from, low=True), _bound("date_to", date_to, low=False)
    if low is not None and high is not None and high < low:
        raise InvalidRequest(
            "截止日期早于起始日期，请对调两个日期 "
            f"date_to must not be earlier than date_from, got {date_from!r} to {date_to!r}"
        )
    return low, high


def _bound(name: str, value: str | None, *, low: bool) -> str | None:
    if not value:
        return None
    error = InvalidRequest(
        f"{name} 不是有效日期，应写作 2023、2023-05 或 2023-05-01 "
        f"{name} must be an ISO date (YYYY, YYYY-MM or YYYY-MM-DD), got {value!r}"
    )
    if not _ISO_DATE.match(value):
        raise error
    parts = [int(p) for p in value.split("-")]
    year = parts[0]
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidRequest(
            f"{name} 年份应在{MIN_YEAR}到{MAX_YEAR}之间 "
            f"{name} must be a year between {MIN_YEAR} and {MAX_YEAR}, got {value!r}"
        )
    month = parts[1] if len(parts) > 1 else (1 if low else 12)
    try:
        last = calendar.monthrange(year, month)[1]
        day = parts[2] if len(parts) > 2 else (1 if low else last)
        return date(year, month, day).isoformat()
    except ValueError:  # 2023-13-01, 2023-02-30
        raise error from None
