"""The guard: every request of a run passes it; it counts, limits, refuses writes and serves the specs."""

from __future__ import annotations

import asyncio
from collections.abc import MutableMapping
from typing import Any

import pytest

from gscontract.contract.transport.budget import ClientLimiter, RequestBudget
from gscontract.contract.transport.guard import CLEANUP_HEADER, Guard, Mark, Seen

Message = MutableMapping[str, Any]


class Downstream:
    """A tiny app standing in for the mock: answers 200 (or 429 with Retry-After), counting calls."""

    def __init__(self, status: int = 200) -> None:
        self.calls: list[tuple[str, str, bytes]] = []
        self.status = status

    async def __call__(self, scope: Message, receive: Any, send: Any) -> None:
        message = await receive()
        self.calls.append((scope["method"], scope["path"], message.get("body", b"")))
        headers = [(b"content-type", b"application/json")]
        if self.status == 429:
            headers.append((b"retry-after", b"7"))
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": b'{"result": true}'})


def call(
    guard: Guard, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    sent: list[Message] = []
    raw = [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "headers": raw,
        "query_string": b"",
    }

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(guard(scope, receive, send))
    start = sent[0]
    answer = {k.decode().lower(): v.decode() for k, v in start.get("headers", [])}
    return start["status"], answer, b"".join(m.get("body", b"") for m in sent[1:])


def test_forwards_and_shows_observers_what_passed() -> None:
    app = Downstream()
    guard = Guard(downstream=app, budget=RequestBudget(None))
    seen: list[Seen] = []
    guard.observers.append(seen.append)
    status, _, body = call(guard, "POST", "/v1/ant/es/activity", b'{"records": []}')
    assert status == 200
    assert body == b'{"result": true}'
    assert app.calls == [("POST", "/v1/ant/es/activity", b'{"records": []}')]
    assert seen == [Seen("POST", "/v1/ant/es/activity", 200, b'{"records": []}', b'{"result": true}')]


def test_read_only_refuses_writes_without_sending_them() -> None:
    app = Downstream()
    guard = Guard(downstream=app, budget=RequestBudget(None), allow_writes=False)
    status, headers, _ = call(guard, "POST", "/v1/ant/es/activity")
    assert status == 503
    assert guard.mark_of(headers) == Mark(failed=False, reason="read-only")
    assert call(guard, "POST", "/v1/data/objects/query/activity_timeline")[0] == 200
    assert [c[1] for c in app.calls] == ["/v1/data/objects/query/activity_timeline"]
    assert guard.skipped == {"read-only": 1}


def test_budget_is_never_exceeded_and_each_refusal_stops_the_run() -> None:
    app = Downstream()
    stops: list[int] = []
    guard = Guard(downstream=app, budget=RequestBudget(3, reserve=1), on_exhausted=lambda: stops.append(1))
    statuses = [call(guard, "GET", "/v1/events/types")[0] for _ in range(4)]
    assert statuses == [200, 200, 503, 503]
    assert stops == [1, 1]
    # The reserve is for cleanup only.
    assert call(guard, "DELETE", "/v1/ant/es/activity", headers={CLEANUP_HEADER: "1"})[0] == 200
    assert len(app.calls) == 3


def test_specs_are_served_without_spending_the_budget() -> None:
    guard = Guard(downstream=Downstream(), budget=RequestBudget(1))
    status, headers, body = call(guard, "GET", "/__gscontract__/openapi/timeline.yaml")
    assert status == 200
    assert headers["content-type"] == "application/yaml"
    assert b"openapi: 3.1.0" in body
    assert guard.budget.used == 0
    assert call(guard, "GET", "/__gscontract__/openapi/nope.yaml")[0] == 404


def test_a_429_pauses_its_group_for_retry_after() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = ClientLimiter({}, clock=lambda: now[0], sleep=sleep)
    guard = Guard(downstream=Downstream(status=429), budget=RequestBudget(None), limiter=limiter)
    call(guard, "POST", "/v1/data/objects/query/activity_timeline")
    call(guard, "POST", "/v1/ant/es/activity/deleted")  # same group (query): waits the 7 seconds
    call(guard, "GET", "/v1/events/types")  # another group: no wait
    assert slept == [7.0]


def test_needs_exactly_one_target() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        Guard(budget=RequestBudget(None))
    with pytest.raises(ValueError, match="exactly one"):
        Guard(downstream=Downstream(), upstream="http://127.0.0.1:9", budget=RequestBudget(None))
