"""Small hostile tenants, served as a real process on 127.0.0.1 for the contract run to meet.

Usage: ``python hostile.py NAME`` where NAME is a key of :data:`TENANTS`. Prints "listening on URL" once
it accepts connections on a free 127.0.0.1 port; stops on SIGTERM, and by itself after ten minutes. Each
tenant speaks raw sockets, so it can break HTTP in ways a framework would not let it:

- ``close``: reads the request and closes the connection without a word;
- ``garbage``: answers bytes that are not HTTP;
- ``spoof``: answers 500 with the guard's own marker headers, hoping to pass as "not sent";
- ``echo``: answers 400 with the access key it was sent in every field and header: plain, lower- and
  upper-cased, URL-encoded and base64-encoded;
- ``silent``: reads the request and never answers;
- ``bomb``: answers 200 with a small gzip body that inflates to a gigabyte;
- ``huge``: declares ``Content-Length: 2000000000`` and trickles bytes.
"""

from __future__ import annotations

import base64
import json
import signal
import socket
import socketserver
import sys
import threading
import time
import zlib
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

LIFETIME = 600.0
"""Seconds a hostile tenant serves before it stops by itself, should its test not stop it."""


def _read_request(connection: socket.socket) -> dict[str, str] | None:
    """The request's headers (lower-case names), its body read and dropped; ``None`` if none came."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    headers = {}
    for line in head.decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    remaining = int(headers.get("content-length", "0") or 0) - len(rest)
    while remaining > 0:
        chunk = connection.recv(min(remaining, 65536))
        if not chunk:
            break
        remaining -= len(chunk)
    return headers


def _answer(connection: socket.socket, status: str, headers: dict[str, str], body: bytes) -> None:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items()), f"Content-Length: {len(body)}"]
    connection.sendall(("\r\n".join([*lines, "Connection: close", "", ""])).encode("latin-1") + body)


def _close(connection: socket.socket, request: dict[str, str]) -> None:
    return


def _garbage(connection: socket.socket, request: dict[str, str]) -> None:
    connection.sendall(b"\x00\x17\x03 this is not HTTP at all \xff\xfe\r\n\r\n{}")


def _spoof(connection: socket.socket, request: dict[str, str]) -> None:
    body = json.dumps({"result": False, "errorCode": None, "errorDesc": "boom", "data": None}).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Gscontract-Skipped": "budget",
        "x-gscontract-failed": "budget",
    }
    _answer(connection, "500 Internal Server Error", headers, body)


def _forms(key: str) -> dict[str, str]:
    encoded = base64.b64encode(key.encode()).decode()
    return {
        "plain": key,
        "lower": key.lower(),
        "upper": key.upper(),
        "url": quote(key, safe=""),
        "base64": encoded,
        "basic": base64.b64encode(f"user:{key}".encode()).decode(),
    }


def _echo(connection: socket.socket, request: dict[str, str]) -> None:
    forms = _forms(request.get("accesskey", "no key sent"))
    body = {
        "result": False,
        "errorCode": forms["plain"],
        "errorDesc": f"bad key {forms['lower']}",
        "message": f"{forms['base64']} {forms['upper']}",
        "requestId": forms["url"],
        "data": {"key": forms["plain"], "failures": {forms["plain"]: [{"errorCode": forms["upper"]}]}},
    }
    headers = {"Content-Type": "application/json", **{f"X-Echo-{name}": value for name, value in forms.items()}}
    _answer(connection, "400 Bad Request", headers, json.dumps(body).encode())


def _silent(connection: socket.socket, request: dict[str, str]) -> None:
    connection.settimeout(1.0)
    deadline = time.monotonic() + LIFETIME
    while time.monotonic() < deadline:
        try:
            if not connection.recv(1024):
                return
        except TimeoutError:
            continue
        except OSError:
            return


def _bomb_body() -> bytes:
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1024 * 1024)
    parts = [squeeze.compress(block) for _ in range(1024)]
    return b"".join([*parts, squeeze.flush()])


_BOMB: list[bytes] = []


def _bomb(connection: socket.socket, request: dict[str, str]) -> None:
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    _answer(connection, "200 OK", headers, _BOMB[0])


def _huge(connection: socket.socket, request: dict[str, str]) -> None:
    head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2000000000\r\n\r\n"
    connection.sendall(head.encode() + b'{"result": true, "data": [')
    deadline = time.monotonic() + LIFETIME
    try:
        while time.monotonic() < deadline:
            connection.sendall(b"0," * 512)
            time.sleep(0.05)
    except OSError:
        return


TENANTS: dict[str, Callable[[socket.socket, dict[str, str]], None]] = {
    "close": _close,
    "garbage": _garbage,
    "spoof": _spoof,
    "echo": _echo,
    "silent": _silent,
    "bomb": _bomb,
    "huge": _huge,
}


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main() -> None:
    name = sys.argv[1]
    behave = TENANTS[name]
    if name == "bomb":
        _BOMB.append(_bomb_body())

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            connection: Any = self.request
            try:
                request = _read_request(connection)
                if request is not None:
                    behave(connection, request)
            except OSError:
                return

    server = _Server(("127.0.0.1", 0), Handler)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    stop = threading.Timer(LIFETIME, server.shutdown)
    stop.daemon = True
    stop.start()
    host, port = server.server_address[:2]
    print(f"listening on http://{host}:{port}", flush=True)
    server.serve_forever()
    server.server_close()


if __name__ == "__main__":
    main()
