"""The single door every request of a contract run goes through: budget, rate limits, read-only, time, journal.

schemathesis and the scenario checks talk to a :class:`Guard`, an ASGI application, in-process. The guard
counts the request against the run's budget, waits for a slot of its rate-limit group, refuses writes in a
read-only run and requests past the run's deadline, and passes the request on: to the embedded mock's ASGI
app, or over HTTP to the tenant at ``upstream`` (:mod:`.upstream`, with a timeout and a size cap).

Waiting is not failing: the rate-limit wait happens before the request is sent, and the request's timeout
starts only when it is sent, so schemathesis is given no timeout of its own that could cut a wait short.

A request the guard does not send, or that gets no usable answer (refused, reset or closed connection, not
HTTP, no answer in time, over its size cap), gets a synthetic answer marked with :data:`SKIP_HEADER` or
:data:`FAILED_HEADER`. The mark carries a random value of this guard's own and every ``x-gscontract-*``
header of a real answer is dropped, so a tenant can neither forge a mark nor hide a finding behind one;
:meth:`Guard.mark_of` reads marks back. Answers are shown to :attr:`Guard.observers` (the live-run journal
that remembers what to clean up) and 429s pause their group for ``Retry-After``.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import anyio
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
from .capped import ANSWER_CAP, JOB_STATUS_CAP
from .no_answer import NoAnswer, Silence
from .upstream import Answer, Upstream

__all__ = ["CLEANUP_HEADER", "FAILED_HEADER", "SKIP_HEADER", "Guard", "Mark", "Seen"]

SKIP_HEADER = "x-gscontract-skipped"
"""Set on a synthetic answer to a request the guard did not send; its value says why."""
FAILED_HEADER = "x-gscontract-failed"
"""Set on a synthetic answer to a request that got no usable answer; its value says why."""
CLEANUP_HEADER = "x-gscontract-cleanup"
"""Sent by cleanup requests: they may spend the budget's reserve and outlast the deadline. Never forwarded."""
OWN_HEADERS = "x-gscontract-"
"""The prefix of the guard's own headers: never forwarded to the tenant, never taken from an answer."""

# Where the guard serves the bundled specs to schemathesis; never forwarded, never counted.
_SPEC_PATH = re.compile(r"^/__gscontract__/openapi/([a-z-]+)\.yaml$")
_JOB_STATUS = re.compile(r"^/v1/ant/es/job/status/")
_HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "content-encoding", "content-length"}
)


@dataclass(frozen=True, slots=True)
class Seen:
    """A request the guard forwarded, with its answer, as observers receive it (status 0: no answer)."""

    method: str
    path: str
    status: int
    request_body: bytes
    response_body: bytes
    seconds: float = field(default=0.0, compare=False)
    """How long the answer took, from forwarding the request to its last byte (JUnit's testcase times)."""


@dataclass(frozen=True, slots=True)
class Mark:
    """The guard's mark on a synthetic answer: the request was not sent, or got no usable answer."""

    failed: bool
    """True: sent, but no usable answer came (a finding); false: not sent (a skip)."""
    reason: str


def answer_cap(path: str) -> int:
    """The largest answer body read for a request to ``path``: job statuses list a whole bulk upload."""
    return JOB_STATUS_CAP if _JOB_STATUS.match(path) else ANSWER_CAP


def _own_headers_dropped(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    return [(k, v) for k, v in headers if not k.decode("latin-1").lower().startswith(OWN_HEADERS)]


class Guard:
    """An ASGI app that enforces a run's limits and forwards to the mock app or the tenant.

    Args:
        downstream: the embedded mock's ASGI app; or
        upstream: the tenant's base URL, reached over HTTP with ``requests``.
        budget: the run's request budget.
        limiter: the client-side rate limiter (``None`` for the embedded mock, whose limits are off).
        allow_writes: forward requests that may change tenant data.
        on_exhausted: called each time the budget refuses a request (the run stops what it is doing).
        timeout: seconds a request may take from the moment it is sent until its whole answer is in.
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
        self.upstream = Upstream(upstream) if upstream else None
        self.budget = budget
        self.limiter = limiter
        self.allow_writes = allow_writes
        self.on_exhausted = on_exhausted
        self.timeout = timeout
        self.silence = Silence()
        """Unanswered requests in a row; once the tenant is unreachable only cleanup is still sent."""
        self.on_unreachable: Callable[[], None] | None = None
        """Called once, when the tenant has left enough requests in a row unanswered (the run stops)."""
        self.deadline: float | None = None
        """``time.monotonic()`` after which no request but cleanup's is sent (``--max-duration``)."""
        self.on_wait: Callable[[str, float], None] | None = None
        """Told the group and seconds before a request waits for a rate-limit slot."""
        self.observers: list[Callable[[Seen], None]] = []
        self.gsc_hooks: Any = None
        """The run's :class:`~gscontract.contract.engine.phases.RunHooks`, read by the checks given to schemathesis."""
        self.skipped: dict[str, int] = {}
        self.failed: dict[str, int] = {}
        self._nonce = secrets.token_hex(12)
        self._lock = threading.Lock()

    # ------------------------------------------------------------------------------------------ marks

    def mark_of(self, headers: Mapping[str, Any]) -> Mark | None:
        """This guard's mark on an answer, if it made the answer itself (a tenant cannot forge one)."""
        for name, value in headers.items():
            kind = name.lower()
            if kind not in {SKIP_HEADER, FAILED_HEADER}:
                continue
            text = value[0] if isinstance(value, list | tuple) and value else value
            nonce, _, reason = str(text).partition(" ")
            if secrets.compare_digest(nonce, self._nonce):
                return Mark(failed=kind == FAILED_HEADER, reason=reason)
        return None

    def _remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()

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
        cleanup = CLEANUP_HEADER in headers
        reason = await self._admit(method, path, cleanup=cleanup)
        if reason is not None:
            await self._synthetic(send, SKIP_HEADER, reason)
            return
        body = await read_body(receive)
        timeout = self.timeout
        remaining = self._remaining()
        cut = not cleanup and remaining is not None and remaining < timeout
        if cut:
            assert remaining is not None
            timeout = max(0.1, remaining)
        sent = time.monotonic()
        try:
            if self.downstream is not None:
                answer = await self._from_app(scope, body, timeout)
            else:
                answer = await self._from_tenant(scope, headers, body, method, path, timeout)
        except NoAnswer as exc:
            self._after(method, path, 0, {}, body, b"", time.monotonic() - sent)
            if exc.timed_out and cut:
                # The run's deadline, not the tenant, cut this request short: it did not run.
                await self._synthetic(send, SKIP_HEADER, self._skip("time"))
                return
            self._count(self.failed, exc.reason)
            if self.silence.unanswered() and self.on_unreachable is not None:
                self.on_unreachable()
            await self._synthetic(send, FAILED_HEADER, exc.reason, status=502)
            return
        self.silence.answered()
        self._after(method, path, answer.status, answer.headers, body, answer.body, time.monotonic() - sent)
        if self._outlasts_run(answer, cleanup=cleanup):
            # Waiting is not an option and the 429 says nothing about the contract: the group's checks end.
            await self._synthetic(send, SKIP_HEADER, self._skip(f"retry-after:{operation_group(method, path)}"))
            return
        raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers.items() if k not in _HOP_BY_HOP]
        raw = _own_headers_dropped(raw)
        raw.append((b"content-length", str(len(answer.body)).encode()))
        await send({"type": "http.response.start", "status": answer.status, "headers": raw})
        await send({"type": "http.response.body", "body": answer.body})

    async def _admit(self, method: str, path: str, *, cleanup: bool) -> str | None:
        """Why the request must not be sent, or ``None`` once it has its budget and rate-limit slot."""
        if not self.allow_writes and is_write(method, path):
            return self._skip("read-only")
        remaining = None if cleanup else self._remaining()
        if remaining is not None and remaining <= 0:
            return self._skip("time")
        if not cleanup and self.silence.unreachable:
            return self._skip("unreachable")
        try:
            self.budget.take(from_reserve=cleanup)
        except BudgetExhausted as exc:
            if self.on_exhausted is not None:
                self.on_exhausted()
            return self._skip("stage-share" if exc.stage else "budget")
        if self.limiter is not None:
            limiter, group = self.limiter, operation_group(method, path)

            def acquire() -> float:
                return limiter.acquire(group, max_wait=remaining, on_wait=self.on_wait)

            try:
                await anyio.to_thread.run_sync(acquire)
            except QuotaExhausted as exc:
                return self._skip(f"{'retry-after' if exc.paused else 'quota'}:{exc.group}")
        return None

    def _outlasts_run(self, answer: Answer, *, cleanup: bool) -> bool:
        """Whether a 429's ``Retry-After`` is longer than the run would wait (or has left) for its group.

        A 429 without a valid ``Retry-After`` is passed on, so the check that wants one (CT106) sees it.
        """
        if answer.status != 429 or self.limiter is None:
            return False
        retry = parse_retry_after(answer.headers.get("retry-after"))
        remaining = None if cleanup else self._remaining()
        allowed = self.limiter.max_wait if remaining is None else min(self.limiter.max_wait, remaining)
        return retry is not None and retry > allowed

    def _skip(self, reason: str) -> str:
        self._count(self.skipped, reason)
        return reason

    def _count(self, table: dict[str, int], reason: str) -> None:
        with self._lock:
            table[reason] = table.get(reason, 0) + 1

    def _after(
        self, method: str, path: str, status: int, headers: dict[str, str], req: bytes, res: bytes, seconds: float
    ) -> None:
        if status == 429 and self.limiter is not None:
            retry = parse_retry_after(headers.get("retry-after"))
            self.limiter.pause(operation_group(method, path), retry if retry is not None else 60.0)
        seen = Seen(method=method, path=path, status=status, request_body=req, response_body=res, seconds=seconds)
        for observer in self.observers:
            observer(seen)

    async def _from_app(self, scope: Scope, body: bytes, timeout: float) -> Answer:
        assert self.downstream is not None
        status, headers, chunks = 0, {}, []

        async def capture(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in message.get("headers", [])}
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            with anyio.fail_after(timeout):
                await self.downstream(scope, replay_body(body), capture)
        except TimeoutError:
            raise NoAnswer(f"no answer within {timeout:g} s", timed_out=True) from None
        if status == 0:
            raise NoAnswer("the app ended without answering")
        return Answer(status=status, headers=headers, body=b"".join(chunks))

    async def _from_tenant(
        self, scope: Scope, headers: dict[str, str], body: bytes, method: str, path: str, timeout: float
    ) -> Answer:
        assert self.upstream is not None
        upstream = self.upstream
        target = scope.get("raw_path", path.encode()).decode("latin-1")
        query = scope.get("query_string", b"").decode("latin-1")
        if query:
            target = f"{target}?{query}"
        forward = {k: v for k, v in headers.items() if k != "host" and not k.startswith(OWN_HEADERS)}
        forward = {k: v for k, v in forward.items() if k not in _HOP_BY_HOP}

        def exchange() -> Answer:
            return upstream.exchange(method, target, forward, body, timeout=timeout, limit=answer_cap(path))

        # The exchange keeps its own deadline; this bound is the backstop should a socket ignore it.
        with anyio.move_on_after(timeout + 5):
            return await anyio.to_thread.run_sync(exchange, abandon_on_cancel=True)
        raise NoAnswer(f"no answer within {timeout:g} s", timed_out=True)

    async def _synthetic(self, send: Send, header: str, reason: str, *, status: int = 503) -> None:
        body = b'{"result": false, "errorCode": null, "errorDesc": "not answered by the tenant", "data": null}'
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (header.encode(), f"{self._nonce} {reason}".encode("latin-1", "replace")),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def close(self) -> None:
        """Close the HTTP connections to the tenant, if any were opened."""
        if self.upstream is not None:
            self.upstream.close()


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


async def _bare_lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
