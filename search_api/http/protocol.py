"""uvicorn's HTTP protocol with Nagle's algorithm off on every connection.

asyncio turns Nagle off itself only for sockets whose protocol number it recognises; the
listening socket uvicorn hands to its worker processes (``policykb serve --workers N``)
reports 0, so there the last segment of a response waited for the client's delayed ACK:
about 40 ms added to every request on a kept-alive connection (measured on /healthz).
A module of its own because the worker processes import the class by name.

The protocol is httptools' (llhttp, in C), not h11's (pure Python): parsing a request
and writing a response cost a tenth as much.
"""

from __future__ import annotations

import socket
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class NoDelayHttpToolsProtocol(HttpToolsProtocol):
    def connection_made(self, transport: Any) -> None:
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
