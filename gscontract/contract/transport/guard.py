"""The single door every request of a contract run goes through: budget, rate limits, read-only, journal.

schemathesis and the scenario checks talk to a :class:`Guard`, an ASGI application, in-process. The guard
counts the request against the run's budget, waits for a slot of its rate-limit group, refuses writes in a
read-only run, and passes the request on: to the embedded mock's ASGI app, or over HTTP to the tenant at
``upstream``. A request it does not send gets a synthetic answer marked with :data:`SKIP_HEADER`, which the
runner reads as "not run", never as a finding. Answers from the tenant are shown to :attr:`Guard.observers`
(the live-run journal that remembers what to clean up) and 429s pause their group for ``Retry-After``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anyio.to_thread

from ...gainsight.retry import parse_retry_after
from .asgi import ASGIApp, Message, Receive, Scope, Send, read_body, replay_body
from .budget import (
    BudgetExhausted,
    ClientLimiter,
    QuotaExhausted,
    RequestBudget,
    is_write,
    operation_group,
)

__all__ = ["CLEANUP_HEADER", "SKIP_HEADER", "Guard", "Seen"]

SKIP_HEADER = "x-gscontract-skipped"
"""Set on a synthetic answer to a request the guard did not send; its value says why."""
CLEANUP_HEADER = "x-gscontract-cleanup"
"""Sent by cleanup requests: they may spend the budget's reserve. Never forwarded."""

# Where the guard serves the bundled specs to schemathesis; never forwarded, never counted.
_SPEC_PATH = re.compile(r"^/__gscontract__/openapi/([a-z]+)\.yaml$")
_HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "content-encoding", "content-length"}
)


@dataclass(frozen=True, slots=True)
class Seen:
    """A request the guard forwarded, with its answer, as observers receive it."""

    method: str
    path: str
    status: int
    request_body: bytes
    response_body: bytes


class Guard:
    """An ASGI app that enforces a run's limits and forwards to the mock app or the tenant.

    Args:
        downstream: the embedded mock's ASGI app; or
        upstream: the tenant's base URL, reached over HTTP with ``requests``.
        budget: the run's request budget.
        limiter: the client-side rate limiter (``None`` for the embedded mock, whose limits are off).
        allow_writes: forward requests that may change tenant data.
        on_exhausted: called each time the budget refuses a request (the run stops what it is doing).
        timeout: seconds to wait for the tenant's answer.
    """

    def __init__(
        self,
        *,
        downstream: ASGIApp | None = None,
        upstream: str | None = None,
        budget: RequestBudget,
        limiter: ClientLimiter | None = None,
        allow_writes: bool = True,
        on_exhausted: Callable[[], None] | None = None,
        timeout: float = 30.0,
    ) -> None:
        if (downstream is None) == (upstream is None):
            raise ValueError("a guard forwards to exactly one of an ASGI app or an upstream URL")
        self.downstream = downstream
        self.upstream = upstream.rstrip("/") if upstream else None
        self.budget = budget
        self.limiter = limiter
        self.allow_writes = allow_writes
        self.on_exhausted = on_exhausted
        self.timeout = timeout
        self.observers: list[Callable[[Seen], None]] = []
        self.gsc_hooks: Any = None
        """The run's :class:`~gscontract.contract.engine.phases.RunHooks`, read by the checks given to schemathesis."""
        self.skipped: dict[str, int] = {}
        self._lock = threading.Lock()
        self._session: Any = None

    # ------------------------------------------------------------------------------------------ ASGI

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection: lifespan goes to the mock, HTTP through the checks above."""
        if scope["type"] == "lifespan":
            if self.downstream is not None:
                await self.downstream(scope, receive, send)
            else:
                await _bare_lifespan(receive, send)
            return
        if scope["type"] != "http":  # pragma: no cover - schemathesis only speaks HTTP
            return
        method, path = scope["method"], scope["path"]
        spec = _SPEC_PATH.match(path)
        if spec is not None and method == "GET":
            await _serve_spec(send, spec.group(1))
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        reason = await self._admit(method, path, cleanup=CLEANUP_HEADER in headers)
        if reason is not None:
            await _synthetic(send, reason)
            return
        body = await read_body(receive)
        if self.downstream is not None:
            await self._to_app(scope, body, send, method, path)
        else:
            await self._to_tenant(scope, headers, body, send, method, path)

    async def _admit(self, method: str, path: str, *, cleanup: bool) -> str | None:
        """Why the request must not be sent, or ``None`` once it has its budget and rate-limit slot."""
        if not self.allow_writes and is_write(method, path):
            return self._skip("read-only")
        try:
            self.budget.take(from_reserve=cleanup)
        except BudgetExhausted as exc:
            if self.on_exhausted is not None:
                self.on_exhausted()
            return self._skip("stage-share" if exc.stage else "budget")
        if self.limiter is not None:
            try:
                await anyio.to_thread.run_sync(self.limiter.acquire, operation_group(method, path))
            except QuotaExhausted as exc:
                return self._skip(f"quota:{exc.group}")
        return None

    def _skip(self, reason: str) -> str:
        with self._lock:
            self.skipped[reason] = self.skipped.get(reason, 0) + 1
        return reason

    def _after(self, method: str, path: str, status: int, headers: dict[str, str], req: bytes, res: bytes) -> None:
        if status == 429 and self.limiter is not None:
            retry = parse_retry_after(headers.get("retry-after"))
            self.limiter.pause(operation_group(method, path), retry if retry is not None else 60.0)
        seen = Seen(method=method, path=path, status=status, request_body=req, response_body=res)
        for observer in self.observers:
            observer(seen)

    async def _to_app(self, scope: Scope, body: bytes, send: Send, method: str, path: str) -> None:
        assert self.downstream is not None
        status, headers, chunks = 0, {}, []

        async def capture(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in message.get("headers", [])}
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.downstream(scope, replay_body(body), capture)
        self._after(method, path, status, headers, body, b"".join(chunks))

    async def _to_tenant(
        self, scope: Scope, headers: dict[str, str], body: bytes, send: Send, method: str, path: str
    ) -> None:
        query = scope.get("query_string", b"").decode("latin-1")
        url = f"{self.upstream}{scope.get('raw_path', path.encode()).decode('latin-1')}"
        if query:
            url = f"{url}?{query}"
        forward = {k: v for k, v in headers.items() if k not in {"host", CLEANUP_HEADER} | _HOP_BY_HOP}
        try:
            status, answer_headers, content = await anyio.to_thread.run_sync(self._http, method, url, forward, body)
        except OSError as exc:
            await _synthetic(send, f"network:{type(exc).__name__}", status=502)
            return
        self._after(method, path, status, answer_headers, body, content)
        raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in answer_headers.items() if k not in _HOP_BY_HOP]
        raw.append((b"content-length", str(len(content)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": content})

    def _http(self, method: str, url: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        import requests

        if self._session is None:
            self._session = requests.Session()
        try:
            response = self._session.request(
                method, url, headers=headers, data=body or None, timeout=self.timeout, allow_redirects=False
            )
        except requests.RequestException as exc:
            raise OSError(str(exc)) from None
        answer = {k.lower(): v for k, v in response.headers.items()}
        return response.status_code, answer, response.content

    def close(self) -> None:
        """Close the HTTP session to the tenant, if one was opened."""
        if self._session is not None:
            self._session.close()
            self._session = None


async def _serve_spec(send: Send, name: str) -> None:
    from ...errors import SpecError
    from ...specfiles import spec_path

    try:
        body, status = spec_path(name).read_bytes(), 200
    except (SpecError, OSError):
        body, status = b"unknown spec", 404
    headers = [(b"content-type", b"application/yaml"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _synthetic(send: Send, reason: str, *, status: int = 503) -> None:
    body = b'{"result": false, "errorCode": null, "errorDesc": "not sent by gscontract", "data": null}'
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (SKIP_HEADER.encode(), reason.encode("latin-1")),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _bare_lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
