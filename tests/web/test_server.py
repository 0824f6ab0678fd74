"""``raretrace serve`` hands uvicorn an h11 protocol that sets TCP_NODELAY: with several
workers uvicorn binds the socket with protocol number 0 and asyncio leaves Nagle on, so
each keep-alive response waited ~40 ms for the client's delayed ACK."""

from __future__ import annotations

import socket
from typing import Any

import uvicorn

from raretrace.web.server import HTTP_PROTOCOL, NoDelayH11Protocol, set_no_delay


class _Transport:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self.sock if name == "socket" else default


def test_accepted_socket_of_a_uvicorn_style_listener_gets_no_delay() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:  # proto 0
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        with socket.create_connection(listener.getsockname()) as _client:
            conn, _ = listener.accept()
            with conn:
                assert conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
                set_no_delay(_Transport(conn))  # type: ignore[arg-type]
                assert conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0


def test_uvicorn_loads_the_protocol_by_name() -> None:
    config = uvicorn.Config(app=lambda *_: None, http=HTTP_PROTOCOL)
    config.load()
    assert config.http_protocol_class is NoDelayH11Protocol
