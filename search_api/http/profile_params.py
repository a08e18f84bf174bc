"""The applicant's profile as URL parameters, shared by ``/api/eligibility`` and ``/check``.

Every field is optional and arrives as text, as a web form sends it (an empty age box is
``age=``); :func:`search_api.search.profile_reading.profile_from` reads and validates it, so
the API, the page and ``policykb check`` refuse the same values with the same message.
The page keeps the form's state in the URL with :meth:`ProfileParams.query_items`.
"""

# No `from __future__ import annotations`: FastAPI evaluates the dependency's signature.
from dataclasses import MISSING, dataclass, field, fields
from typing import Annotated, Any

from fastapi import Query
from starlette.datastructures import QueryParams

from search_api.search.profile_reading import MAX_ITEMS, MAX_TEXT

ProfileText = Annotated[str | None, Query(max_length=MAX_TEXT)]
ProfileList = Annotated[list[str], Query(max_length=MAX_ITEMS, description="repeatable; 无 = none")]


@dataclass
class ProfileParams:
    """The profile fields exactly as given (text); see the module docstring."""

    education: str | None = None
    age: str | None = None
    professional_title: str | None = None
    skill_level: str | None = None
    years_experience: str | None = None
    years_to_retirement: str | None = None
    origin: list[str] = field(default_factory=list)
    residence: list[str] = field(default_factory=list)
    unit_type: str | None = None
    certificates: list[str] = field(default_factory=list)
    awards: list[str] = field(default_factory=list)
    sex: str | None = None
    facts: list[str] = field(default_factory=list)

    def raw(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def query_items(self) -> list[tuple[str, str]]:
        items: list[tuple[str, str]] = []
        for f in fields(self):
            value = getattr(self, f.name)
            values = value if isinstance(value, list) else [value]
            items += [(f.name, v) for v in values if v not in (None, "")]
        return items

    def given(self) -> bool:
        return bool(self.query_items())


# The profile fields that take one value (age, education, …), as the dataclass declares them.
SINGLE_FIELDS = tuple(f.name for f in fields(ProfileParams) if f.default_factory is MISSING)


def profile_from_query(query: QueryParams) -> ProfileParams:
    """The profile fields of a query string as given, unbounded (the page reads them itself;
    :func:`~search_api.search.profile_reading.profile_from` bounds them)."""
    values: dict[str, Any] = {}
    for f in fields(ProfileParams):
        if f.name in SINGLE_FIELDS:
            values[f.name] = query.get(f.name)
        else:
            values[f.name] = list(query.getlist(f.name))
    return ProfileParams(**values)


async def profile_params(
    education: ProfileText = None,
    age: ProfileText = None,
    professional_title: ProfileText = None,
    skill_level: ProfileText = None,
    years_experience: ProfileText = None,
    years_to_retirement: ProfileText = None,
    origin: ProfileList = [],  # noqa: B006 - FastAPI copies defaults per request
    residence: ProfileList = [],  # noqa: B006
    unit_type: ProfileText = None,
    certificates: ProfileList = [],  # noqa: B006
    awards: ProfileList = [],  # noqa: B006
    sex: ProfileText = None,
    facts: ProfileList = [],  # noqa: B006
) -> ProfileParams:
    """A FastAPI dependency (``async``: nothing to wait for, no thread hop)."""
    return ProfileParams(
        education, age, professional_title, skill_level, years_experience, years_to_retirement,
        origin, residence, unit_type, certificates, awards, sex, facts,
    )  # fmt: skip
