"""Typed settings: environment variables override the defaults; CLI flags override both."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


@dataclass(frozen=True)
class Settings:
    db_path: Path = field(default_factory=lambda: Path(_env("POLICYKB_DB") or REPO_ROOT / "data" / "index"))
    es_url: str | None = field(default_factory=lambda: _env("POLICYKB_ES_URL"))
    es_index: str = field(default_factory=lambda: _env("POLICYKB_ES_INDEX", "policykb") or "policykb")
    es_timeout_s: float = field(default_factory=lambda: float(_env("POLICYKB_ES_TIMEOUT", "10") or 10))
    max_query_chars: int = 200
    max_page_size: int = 50
    max_result_window: int = 1000


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit (non-None) overrides applied.

    An explicit ``db_path`` selects the embedded engine even when ``POLICYKB_ES_URL`` is
    set in the environment (the flag is the more specific choice); explicit ``db_path``
    and ``es_url`` together are contradictory and rejected.
    """
    base = Settings()
    clean = {k: v for k, v in overrides.items() if v is not None}
    if "db_path" in clean:
        if clean.get("es_url"):
            from search_api.errors import InvalidRequest

            raise InvalidRequest("choose one engine: --db PATH (embedded) or --es URL (Elasticsearch), not both")
        clean["db_path"] = Path(str(clean["db_path"]))
        clean.setdefault("es_url", None)
    return replace(base, **clean)  # type: ignore[arg-type]
