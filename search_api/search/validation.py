"""Request limits and checks shared by the CLI and the HTTP API."""

from __future__ import annotations

import re
from datetime import date

from search_api.errors import InvalidRequest
from search_api.search.types import SearchRequest, date_bounds
from search_api.settings import Settings

_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def validate_request(request: SearchRequest, settings: Settings) -> SearchRequest:
    """Reject what an engine must never see: huge queries, deep pages, malformed dates."""
    if len(request.query) > settings.max_query_chars:
        raise InvalidRequest(f"query longer than {settings.max_query_chars} characters")
    if not 1 <= request.limit <= settings.max_page_size:
        raise InvalidRequest(f"page size must be between 1 and {settings.max_page_size}")
    if request.offset < 0 or request.offset + request.limit > settings.max_result_window:
        raise InvalidRequest(f"results beyond {settings.max_result_window} are not available; refine the query")
    if request.sort not in ("relevance", "date"):
        raise InvalidRequest("sort must be 'relevance' or 'date'")
    for name in ("date_from", "date_to"):
        value = getattr(request.filters, name)
        if value is not None and not _is_calendar_date(value):
            raise InvalidRequest(f"{name} must be an ISO date (YYYY, YYYY-MM or YYYY-MM-DD), got {value!r}")
    return request


def _is_calendar_date(value: str) -> bool:
    if not _ISO_DATE.match(value):
        return False
    try:
        low, high = date_bounds(value, value)
        return all(date.fromisoformat(day) for day in (low, high) if day)
    except ValueError:  # 2023-13-01, 2023-02-30, year 0000
        return False
