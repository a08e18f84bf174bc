"""The index layer: engines (tantivy embedded, Elasticsearch) behind one interface
(:mod:`search_api.index.engine`), and loading ingested documents into them
(:mod:`search_api.index.loading`)."""

from __future__ import annotations

from search_api.index.engine import Engine
from search_api.settings import Settings


def open_engine(settings: Settings, *, create: bool = False) -> Engine:
    """The configured engine: the embedded index unless an Elasticsearch URL is given;
    ``create`` makes an empty embedded index if none exists."""
    if settings.es_url:
        from search_api.index.elasticsearch.connection import EsConnection
        from search_api.index.elasticsearch.engine import ElasticsearchEngine

        return ElasticsearchEngine(
            EsConnection.from_settings(settings),
            index=settings.es_index,
            shards=settings.es_shards,
            replicas=settings.es_replicas,
        )
    from search_api.index.tantivy.engine import TantivyEngine

    return TantivyEngine(settings.db_path, create=create)
