"""One small error tree; the CLI and the HTTP API map it to one message / JSON body."""

from __future__ import annotations


class PolicyKBError(Exception):
    """Base of every error this project raises on purpose."""

    code = "error"
    http_status = 500
    exit_code = 1

    def to_dict(self) -> dict[str, str]:
        return {"error": self.code, "message": str(self)}


class InvalidRequest(PolicyKBError):
    """The caller asked for something malformed (bad filter, page too deep, ...)."""

    code = "invalid_request"
    http_status = 422
    exit_code = 2


class NotFound(PolicyKBError):
    code = "not_found"
    http_status = 404
    exit_code = 1


class EngineUnavailable(PolicyKBError):
    """The search engine cannot be reached or answered too slowly."""

    code = "engine_unavailable"
    http_status = 503
    exit_code = 2


class EngineAuthError(EngineUnavailable):
    """The search engine answered but rejected the credentials (401) or lacks a privilege
    (403): unavailable to this deployment until an operator fixes its configuration."""

    code = "engine_auth"


class IndexNotWritten(PolicyKBError):
    """The index could not be written; its last committed version stays whole."""

    code = "index_not_written"
    http_status = 503
    exit_code = 1


class IndexBusy(IndexNotWritten):
    """Another process is writing the same index (its writer holds the lock)."""

    code = "index_busy"


class IndexWriteFailed(IndexNotWritten):
    """Writing failed (disk full, read-only folder) and the session was discarded."""

    code = "index_write_failed"


class IngestError(PolicyKBError):
    """One input file could not be ingested; the message names the file and the reason."""

    code = "ingest_error"
    exit_code = 1

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
