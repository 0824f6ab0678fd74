"""The HTTP protocol ``raretrace serve`` hands to uvicorn: h11 with ``TCP_NODELAY``.

With ``--workers N`` uvicorn binds the listening socket itself (``socket(AF_INET,
SOCK_STREAM)``, protocol number 0), and asyncio only sets ``TCP_NODELAY`` on accepted
sockets whose protocol number is ``IPPROTO_TCP``; a single worker lets asyncio bind and
gets it. Without it, a keep-alive response written in two parts (headers, body) waits for
the client's delayed ACK: about 40 ms per request on Linux loopback (measured: 48 ms a
dashboard request with two workers, 5 ms with one).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


def set_no_delay(transport: asyncio.BaseTransport) -> None:
    """``TCP_NODELAY`` on the transport's socket, if it is a TCP socket."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        with contextlib.suppress(OSError):  # not a TCP socket after all
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class NoDelayH11Protocol(H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        set_no_delay(transport)
        super().connection_made(transport)


#: What ``uvicorn.run(http=...)`` takes.
HTTP_PROTOCOL = f"{__name__}:NoDelayH11Protocol"
