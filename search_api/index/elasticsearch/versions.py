"""The versioned indices behind one alias, and the client errors translated once.

Every load builds a new index ``<alias>-v<schema>-<timestamp>-<rand>`` and moves the
alias to it in one ``update_aliases`` call (:mod:`search_api.index.elasticsearch.load`);
the engine reads through the alias. Both need what this class holds: the client, the
alias, the schema check, the swap and the clean-up, and the translation of client
exceptions into the project's one-line errors. Neither imports the other.
"""

from __future__ import annotations

import re
import threading
from contextlib import AbstractContextManager, suppress
from typing import Any

from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError

from knowledge.questions import answer_phrases_key
from search_api.errors import PolicyKBError
from search_api.index.elasticsearch import query as q
from search_api.index.elasticsearch.connection import EsConnection, translate_errors

# The suffix of the indices built behind an alias: -v<schema>-<time>-<rand>.
_VERSIONED = re.compile(r"^-v\d+-\d{14}-[0-9a-f]{6}$")


class ConcurrentIngest(PolicyKBError):
    """Another writer moved the alias while this build ran; nothing was changed."""

    code = "concurrent_ingest"
    http_status = 409


class IndexVersions:
    """The client and the alias's versioned indices."""

    def __init__(
        self, client: Elasticsearch, conn: EsConnection, alias: str, *, shards: int = 1, replicas: int = 0
    ) -> None:
        self.client = client
        self.conn = conn
        self.url = conn.where  # never with credentials: it goes into messages
        self.alias = alias
        self.timeout_s = conn.timeout_s
        self.shards = shards
        self.replicas = replicas
        self.write_lock = threading.Lock()

    def errors(self) -> AbstractContextManager[None]:
        """Translate client exceptions into the project's one-line errors (no secrets)."""
        return translate_errors(self.conn)

    def current(self) -> list[str]:
        """Concrete indices behind the alias (normally one; none before the first ingest)."""
        try:
            found = self.client.indices.get_alias(name=self.alias)
        except NotFoundError:
            return []
        return sorted(found.body)

    def check_schema(self, current: list[str]) -> None:
        """Refuse to copy records from an index built with another schema version."""
        if not current:
            return
        mappings = self.client.indices.get_mapping(index=",".join(current))
        for name, body in mappings.items():
            meta = body.get("mappings", {}).get("_meta", {})
            found = meta.get("schema_version")
            if found != q.schema_version():
                raise PolicyKBError(
                    f"{name} has schema version {found}, this backend writes {q.schema_version()}: "
                    "ingest everything into a new index name (POLICYKB_ES_INDEX)"
                )
            if meta.get("answer_phrases") != answer_phrases_key():
                raise PolicyKBError(
                    f"{name} was built with other answer phrases (knowledge/data/query_intents.json): "
                    "ingest everything into a new index name (POLICYKB_ES_INDEX)"
                )

    def swap(self, new: str, current: list[str]) -> None:
        actions: list[dict[str, Any]] = [
            {"remove": {"index": old, "alias": self.alias, "must_exist": True}} for old in current
        ]
        actions.append({"add": {"index": new, "alias": self.alias}})
        try:
            self.client.indices.update_aliases(actions=actions)
        except NotFoundError as exc:
            # must_exist failed: another writer swapped first. Ours is dropped (by the
            # caller) rather than silently discarding that writer's data.
            raise ConcurrentIngest(f"another ingest replaced {self.alias!r} meanwhile; nothing changed, retry") from exc

    def drop(self, index: str) -> None:
        # Best effort: the original error (if any) is the one worth reporting.
        with suppress(ApiError, TransportError):
            self.client.indices.delete(index=index, ignore_unavailable=True)

    def drop_stale(self, new: str) -> None:
        """Delete this alias's other versioned indices created before ``new``.

        That is the previous index plus orphans of builds that crashed. A concurrent
        build that started earlier is doomed anyway (its swap requires the index just
        replaced); one that started later is left alone.
        """
        with suppress(ApiError, TransportError):
            found = self.client.indices.get_settings(
                index=f"{self.alias}-v*", name="index.creation_date", allow_no_indices=True
            )
            created = {name: int(body["settings"]["index"]["creation_date"]) for name, body in found.items()}
            # The node's clock on both sides of the comparison: no client clock skew.
            cutoff = created.get(new, 0)
            stale = [
                name
                for name, when in created.items()
                if name != new and when < cutoff and _VERSIONED.match(name.removeprefix(self.alias))
            ]
            if stale:
                self.drop(",".join(stale))
