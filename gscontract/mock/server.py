"""Serve a mock tenant with uvicorn (httptools and uvloop), announcing its URL once it accepts connections.

The socket is bound here, before uvicorn starts, so ``port=0`` can pick a free port and the announced URL
carries the real one. SIGINT and SIGTERM stop the server gracefully: requests in flight are answered,
the job in progress finishes, pending jobs stay in the database, and the process exits with status 0.
"""

from __future__ import annotations

import signal
import socket
from collections.abc import Callable
from types import FrameType

import uvicorn
from starlette.types import ASGIApp

from ..errors import UsageError

__all__ = ["bind", "serve"]


class _Server(uvicorn.Server):
    """uvicorn's server, calling back once it is listening."""

    def __init__(self, config: uvicorn.Config, on_ready: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """Start as uvicorn does, then announce readiness."""
        await super().startup(sockets=sockets)
        if self.started:
            self._on_ready()


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (``port`` 0: a free one).

    Raises:
        UsageError: the address cannot be bound (in use, not local, not an address).
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _ignore(signum: int, frame: FrameType | None) -> None:
    """Swallow the signal uvicorn re-raises after its graceful shutdown (so the exit status stays 0)."""


def serve(app: ASGIApp, sock: socket.socket, *, on_ready: Callable[[str], None]) -> None:
    """Serve ``app`` on the bound socket until SIGINT or SIGTERM; ``on_ready`` receives the base URL."""
    host, port = sock.getsockname()[:2]
    url_host = f"[{host}]" if ":" in host else host
    config = uvicorn.Config(
        app,
        loop="uvloop",
        http="httptools",
        lifespan="on",
        log_level="warning",
        # The access log would show every request line; the mock's clients want its responses, not a log.
        access_log=False,
        server_header=False,
        # The mock is reached directly, never through a proxy whose forwarded headers it should trust.
        proxy_headers=False,
    )
    server = _Server(config, lambda: on_ready(f"http://{url_host}:{port}"))
    previous = {s: signal.signal(s, _ignore) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.run(sockets=[sock])
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        sock.close()
