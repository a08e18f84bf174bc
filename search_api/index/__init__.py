"""Backend selection: the embedded tantivy index unless an Elasticsearch URL is given."""

from __future__ import annotations

from search_api.search.types import SearchBackend
from search_api.settings import Settings


def open_backend(settings: Settings, *, create: bool = False) -> SearchBackend:
    """The configured engine; ``create`` makes an empty embedded index if none exists."""
    if settings.es_url:
        from search_api.index.elasticsearch.engine import ElasticsearchBackend

        return ElasticsearchBackend(settings.es_url, index=settings.es_index, timeout_s=settings.es_timeout_s)
    from search_api.index.tantivy.engine import TantivyBackend

    return TantivyBackend(settings.db_path, create=create)
