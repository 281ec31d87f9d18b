"""Hostile servers: tenants that close, babble, lie, leak the key, hang or flood, to test a client's defences.

Two kinds. Raw asyncio socket servers, for answers no ASGI server would send (:data:`RAW`):

* ``close``: accepts each connection and closes it at once, answering nothing;
* ``garbage``: answers bytes that are not HTTP;
* ``silent``: reads the request and never answers (the connection stays open until the server stops);
* ``gzipbomb``: a valid ``Content-Encoding: gzip`` body of about 1 MB that inflates to about 1 GiB of
  JSON (one compressed block sent again and again, so the server holds only kilobytes);
* ``hugelength``: declares ``Content-Length: 2000000000``, then trickles a few bytes at a time.

ASGI apps, served like the tenant (:data:`ASGI`):

* ``spoof``: HTTP 500 on every request, with headers that look like a contract runner's own
  (``x-gscontract-skipped: budget``, ``x-gscontract-cleanup: 1``);
* ``echo``: HTTP 400 on every request, with the request's access key in every body field and in
  several headers, each time plain, lower-cased and base64-encoded.

Every loop is bounded: a raw connection lasts at most :data:`MAX_CONNECTION_SECONDS`.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import re
import zlib
from collections.abc import Awaitable, Callable
from typing import Any

__all__ = ["ASGI", "MAX_CONNECTION_SECONDS", "RAW", "RawServer", "echo_app", "gzip_bomb", "spoof_app"]

MAX_CONNECTION_SECONDS = 600.0
Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
RawHandler = Callable[[asyncio.StreamReader, asyncio.StreamWriter, asyncio.Event], Awaitable[None]]


async def _read_request(reader: asyncio.StreamReader) -> None:
    """Read one request's head and (up to 1 MiB of) its body, giving up after 5 s."""
    with contextlib.suppress(Exception):
        async with asyncio.timeout(5):
            head = await reader.readuntil(b"\r\n\r\n")
            found = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", head)
            if found:
                await reader.readexactly(min(int(found.group(1)), 1 << 20))


async def _close(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, stopping: asyncio.Event) -> None:
    """Answer nothing: the connection is closed as soon as it is accepted."""


async def _garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, stopping: asyncio.Event) -> None:
    await _read_request(reader)
    writer.write(b"\x00\x17\xfe\xffGARBAGE \x1b[31mnot http at all\x1b[0m\r\n" + os.urandom(256))
    await writer.drain()


async def _silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, stopping: asyncio.Event) -> None:
    await _read_request(reader)
    await stopping.wait()


def _gf2_times(matrix: list[int], vector: int) -> int:
    total, row = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[row]
        vector >>= 1
        row += 1
    return total


def _crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """CRC-32 of ``A + B`` from the CRCs of ``A`` and ``B`` and B's length (zlib's crc32_combine)."""
    odd = [0xEDB88320] + [1 << n for n in range(31)]  # the operator for one zero bit
    even = [_gf2_times(odd, odd[n]) for n in range(32)]  # two zero bits
    odd = [_gf2_times(even, even[n]) for n in range(32)]  # four zero bits
    while length2:
        even = [_gf2_times(odd, odd[n]) for n in range(32)]
        if length2 & 1:
            crc1 = _gf2_times(even, crc1)
        length2 >>= 1
        if not length2:
            break
        odd = [_gf2_times(even, even[n]) for n in range(32)]
        if length2 & 1:
            crc1 = _gf2_times(odd, crc1)
        length2 >>= 1
    return crc1 ^ crc2


def _crc32_repeated(block: bytes, times: int) -> int:
    """CRC-32 of ``block * times`` by doubling, without making (or even scanning) the repeated bytes."""
    crc, power, power_length = 0, zlib.crc32(block), len(block)
    while times:
        if times & 1:
            crc = _crc32_combine(crc, power, power_length)
        power, power_length = _crc32_combine(power, power, power_length), power_length * 2
        times >>= 1
    return crc


def gzip_bomb(size: int = 1 << 30, block: int = 1 << 20) -> tuple[list[bytes], int, int]:
    """The parts of a gzip stream inflating to about ``size`` bytes of JSON, as ``(parts, repeat, length)``.

    ``parts`` is ``[header, middle, trailer]``: ``middle`` (the deflate of ``block`` bytes, after a full
    flush so it stands alone) is to be sent ``repeat`` times between the other two; ``length`` is the
    total number of bytes on the wire. The checksum is combined from the block's: nothing large is built.
    """
    unit = b"0,"
    chunk = unit * (block // len(unit))
    prefix, suffix = b'{"result":true,"data":{"records":[', b"0]}}"
    repeat = max(1, size // len(chunk))
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = deflate.compress(prefix) + deflate.flush(zlib.Z_FULL_FLUSH)
    middle = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    tail = deflate.compress(suffix) + deflate.flush(zlib.Z_FINISH)
    crc = _crc32_combine(zlib.crc32(prefix), _crc32_repeated(chunk, repeat), repeat * len(chunk))
    crc = zlib.crc32(suffix, crc)
    total = len(prefix) + repeat * len(chunk) + len(suffix)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + head
    trailer = tail + crc.to_bytes(4, "little") + (total & 0xFFFFFFFF).to_bytes(4, "little")
    return [header, middle, trailer], repeat, len(header) + repeat * len(middle) + len(trailer)


def _bomb_handler() -> RawHandler:
    parts, repeat, length = gzip_bomb()

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, stopping: asyncio.Event) -> None:
        await _read_request(reader)
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n" % length + parts[0]
        )
        for _ in range(repeat):
            if stopping.is_set():
                return
            writer.write(parts[1])
            await writer.drain()  # back-pressure: never more than a socket buffer queued
        writer.write(parts[2])
        await writer.drain()

    return handler


async def _huge_length(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, stopping: asyncio.Event) -> None:
    await _read_request(reader)
    writer.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2000000000\r\n"
        b"Connection: close\r\n\r\n" + b'{"result":true,"data":"'
    )
    while not stopping.is_set():
        writer.write(b"trickle.." * 4)
        await writer.drain()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(0.25):
                await stopping.wait()


RAW: dict[str, Callable[[], RawHandler]] = {
    "close": lambda: _close,
    "garbage": lambda: _garbage,
    "silent": lambda: _silent,
    "gzipbomb": _bomb_handler,
    "hugelength": lambda: _huge_length,
}
"""Raw server name -> a factory of its connection handler."""


class RawServer:
    """A plain asyncio TCP server on 127.0.0.1 running one hostile handler per connection."""

    def __init__(self, handler: RawHandler) -> None:
        self._handler = handler
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._stopping = asyncio.Event()

    async def start(self, port: int = 0) -> int:
        """Listen on ``127.0.0.1:port`` (0: any free port); returns the port."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", port)
        return int(self._server.sockets[0].getsockname()[1])

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            async with asyncio.timeout(MAX_CONNECTION_SECONDS):
                await self._handler(reader, writer, self._stopping)
        except (OSError, TimeoutError, asyncio.IncompleteReadError, asyncio.CancelledError):
            # The client went away, the connection ran out of time, or the server is stopping. A
            # cancelled connection task must still end normally: Python 3.11's stream callback logs one.
            pass
        finally:
            writer.close()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await writer.wait_closed()
            self._tasks.discard(task)

    async def stop(self) -> None:
        """Stop listening, end every open connection, and wait for their handlers."""
        self._stopping.set()
        if self._server is not None:
            self._server.close()
        await asyncio.sleep(0)  # a connection accepted just before the close gets its handler started
        tasks = list(self._tasks)
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=2)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()


def _json_response(status: int, body: Any, headers: list[tuple[bytes, bytes]]) -> tuple[dict[str, Any], bytes]:
    raw = json.dumps(body).encode()
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(raw)), *headers],
    }
    return start, raw


async def _drain(receive: Receive) -> None:
    """Consume the request body (at most 16 MiB)."""
    size = 0
    while size < 16 << 20:
        message = await receive()
        size += len(message.get("body", b""))
        if message["type"] != "http.request" or not message.get("more_body"):
            return


def spoof_app(access_key: str) -> ASGIApp:
    """HTTP 500 to everything, with headers dressed as a contract runner's own bookkeeping."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await _drain(receive)
        body = {"result": False, "errorCode": "GS_5000", "errorDesc": "Internal Server Error", "data": None}
        spoofed = [(b"x-gscontract-skipped", b"budget"), (b"x-gscontract-cleanup", b"1")]
        start, raw = _json_response(500, body, spoofed)
        await send(start)
        await send({"type": "http.response.body", "body": raw})

    return app


def _header_safe(text: str) -> bytes:
    return re.sub(r"[\x00-\x1f\x7f]", "?", text).encode()


def echo_app(access_key: str) -> ASGIApp:
    """HTTP 400 to everything, echoing the request's access key (else the configured one) everywhere."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await _drain(receive)
        sent = next((v.decode("latin-1") for k, v in scope["headers"] if k.lower() == b"accesskey"), "")
        key = sent or access_key
        lower, b64 = key.lower(), base64.b64encode(key.encode()).decode()
        # Every field and header carries all three spellings, each in a different arrangement.
        body = {
            "result": False,
            "errorCode": f"{key}|{lower}|{b64}",
            "errorDesc": f"access key {key} ({lower}, base64 {b64}) is not valid",
            "requestId": f"{b64}-{key}-{lower}",
            "message": f"{lower} / {b64} / {key}",
            "data": {"accesskey": key, "lower": lower, "base64": b64},
            "localizedErrorDesc": f"{key} {lower} {b64}",
            "localizedMessage": f"{b64} {lower} {key}",
        }
        echoed = [
            (b"accesskey", _header_safe(key)),
            (b"x-echo-accesskey", _header_safe(f"{key}, {lower}, {b64}")),
            (b"x-echo-accesskey-lower", _header_safe(f"{lower}; {key}; {b64}")),
            (b"x-echo-accesskey-base64", _header_safe(f"{b64} {key} {lower}")),
            (b"set-cookie", _header_safe(f"session={key}; echo={b64}; lower={lower}")),
        ]
        start, raw = _json_response(400, body, echoed)
        await send(start)
        await send({"type": "http.response.body", "body": raw})

    return app


ASGI: dict[str, Callable[[str], ASGIApp]] = {"spoof": spoof_app, "echo": echo_app}
"""ASGI hostile name -> its app factory (taking the access key)."""
