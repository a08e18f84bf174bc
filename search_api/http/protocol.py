"""uvicorn's HTTP protocol with bounded connections: what a slow or idle client may hold.

uvicorn times a connection out only between requests (keep-alive, 120 s here: see
``KEEP_ALIVE_SECONDS`` in :mod:`search_api.http.server`) and limits nothing else: a
client that connects and sends nothing, or a request head a byte at a time, holds its
socket for ever, and about 1,100 such sockets against the 1,024-descriptor limit stopped
``/healthz`` (accept fails once the process has no descriptor left). This protocol adds:

* a head timeout (``POLICYKB_HEADER_TIMEOUT_S``): a connection that has not sent a whole
  request head that long after connecting, or after it starts sending the next request,
  is closed;
* a connection limit (``POLICYKB_MAX_CONNECTIONS``, and never more than the descriptor
  limit allows, see :func:`configure`): a new connection past it closes the connection
  idle for longest (keep-alive, or still sending its head); a request being answered is
  never cut. With no idle connection to close, the new one is closed.
* a JSON body for requests the parser rejects (an unencoded ``?q=人才``, a malformed
  request line), instead of uvicorn's plain text;
* Nagle's algorithm off on every connection. asyncio turns it off itself only for sockets
  whose protocol number it recognises; the listening socket uvicorn hands to its worker
  processes (``policykb serve --workers N``) reports 0, so there the last segment of a
  response waited for the client's delayed ACK: about 40 ms added to every request on a
  kept-alive connection (measured on /healthz).

The protocol is httptools' (llhttp, in C), not h11's (pure Python): parsing a request and
writing a response cost a tenth as much. A module of its own because the worker
processes import the class by name; they read the limits from the environment.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import socket
from dataclasses import dataclass
from typing import Any

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from search_api.http.errors import protocol_error_body
from search_api.settings import Settings, load_settings

log = logging.getLogger("policykb.http")

# Descriptors kept for everything but client sockets: the index files, the listening
# socket, logs, the engine's connections.
FD_RESERVE = 128


@dataclass(frozen=True)
class ConnectionLimits:
    max_connections: int
    header_timeout_s: float


_limits: ConnectionLimits | None = None
# Connections waiting for a request (idle after a response, or sending their head), the
# longest waiting first: a dict keeps insertion order and removes in O(1).
_idle: dict[GuardedHttpToolsProtocol, None] = {}
_closing: set[GuardedHttpToolsProtocol] = set()  # closed by the limit, not yet gone


def configure(settings: Settings) -> ConnectionLimits:
    """The limits of this process, from ``settings`` and the descriptor limit in force."""
    global _limits
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    room = settings.max_connections if soft == resource.RLIM_INFINITY else max(1, soft - FD_RESERVE)
    _limits = ConnectionLimits(min(settings.max_connections, room), settings.header_timeout_s)
    return _limits


def limits() -> ConnectionLimits:
    return _limits or configure(load_settings())


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None

    # ---------------------------------------------------------------- connection

    def connection_made(self, transport: Any) -> None:
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
        self._wait_for_head()
        self._enforce_limit()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_timer()
        _idle.pop(self, None)
        _closing.discard(self)
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        # Part of a head (or bytes after a response): the rest must come in time.
        if self._head_timer is None and self._between_requests() and not self.transport.is_closing():
            self._start_head_timer()

    def on_headers_complete(self) -> None:
        self._stop_head_timer()
        _idle.pop(self, None)  # busy: never closed by the limit
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # may start a pipelined request
        if not self.transport.is_closing() and self._between_requests():
            _idle.pop(self, None)
            _idle[self] = None  # the most recent idle one

    def send_400_response(self, msg: str) -> None:
        body = protocol_error_body()
        head = [STATUS_LINE[400]]
        for name, value in self.server_state.default_headers:
            head += [name, b": ", value, b"\r\n"]
        head += [
            b"content-type: application/json\r\n",
            b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
            b"x-content-type-options: nosniff\r\n",
            b"connection: close\r\n",
            b"\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self.transport.close()

    # ---------------------------------------------------------------- limits

    def _between_requests(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _wait_for_head(self) -> None:
        _idle[self] = None
        self._start_head_timer()

    def _start_head_timer(self) -> None:
        self._head_timer = self.loop.call_later(limits().header_timeout_s, self._head_timed_out)

    def _stop_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self._between_requests() and not self.transport.is_closing():
            self.transport.close()

    def _enforce_limit(self) -> None:
        """Close the longest-idle connections while more are open than the limit allows."""
        limit = limits().max_connections
        while len(self.connections) - len(_closing) > limit:
            oldest = next(iter(_idle), None)
            victim = oldest if oldest is not None and oldest is not self else self
            _idle.pop(victim, None)
            _closing.add(victim)
            victim.transport.close()
            log.warning("connection limit %d reached: closed the connection idle for longest", limit)
            if victim is self:
                return
