"""The guard's bounds and marks: waits never count as time spent on a request, the deadline holds, a
request without an answer is marked failed, and nothing a tenant sends can pass for the guard's own mark."""

from __future__ import annotations

import time
from typing import Any

import anyio
from test_guard import Downstream, call

from gscontract.contract.transport.budget import ClientLimiter, GroupLimit, RequestBudget
from gscontract.contract.transport.guard import CLEANUP_HEADER, FAILED_HEADER, SKIP_HEADER, Guard, Mark, Seen

QUERY = "/v1/data/objects/query/activity_timeline"


class Spoofing:
    """Answers 500 with the guard's marker headers, as a hostile tenant would."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await receive()
        headers = [(SKIP_HEADER.encode(), b"budget"), (FAILED_HEADER.encode(), b"x"), (b"x-gscontract-cleanup", b"1")]
        await send({"type": "http.response.start", "status": 500, "headers": headers})
        await send({"type": "http.response.body", "body": b"{}"})


class Silent:
    """Never answers."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await anyio.sleep(60)


def test_a_tenant_cannot_pass_its_answer_off_as_the_guards_mark() -> None:
    guard = Guard(downstream=Spoofing(), budget=RequestBudget(None))
    status, headers, _ = call(guard, "GET", "/v1/events/types")
    assert status == 500
    assert not any(name.startswith("x-gscontract-") for name in headers)
    assert guard.mark_of(headers) is None
    # Nor by guessing: a mark counts only with the guard's own random value.
    assert guard.mark_of({SKIP_HEADER: "0123456789abcdef01234567 budget"}) is None
    assert guard.mark_of({"X-Gscontract-Skipped": ["budget"]}) is None


def test_a_request_without_an_answer_is_marked_failed_and_seen_unanswered() -> None:
    guard = Guard(downstream=Silent(), budget=RequestBudget(None), timeout=0.2)
    seen: list[Seen] = []
    guard.observers.append(seen.append)
    started = time.monotonic()
    status, headers, _ = call(guard, "POST", "/v1/ant/es/activity", b'{"records": []}')
    assert time.monotonic() - started < 5
    assert status == 502
    assert guard.mark_of(headers) == Mark(failed=True, reason="no answer within 0.2 s")
    assert guard.failed == {"no answer within 0.2 s": 1}
    assert seen == [Seen("POST", "/v1/ant/es/activity", 0, b'{"records": []}', b"")]


def test_waiting_for_a_rate_limit_slot_does_not_count_against_the_timeout() -> None:
    limiter = ClientLimiter({"query": GroupLimit(1, 1.5)})
    guard = Guard(downstream=Downstream(), budget=RequestBudget(None), limiter=limiter, timeout=0.5)
    waits: list[tuple[str, float]] = []
    guard.on_wait = lambda group, seconds: waits.append((group, seconds))
    assert call(guard, "POST", QUERY)[0] == 200
    started = time.monotonic()
    status, headers, _ = call(guard, "POST", QUERY)  # waits about 1.5 s for its slot, three times its timeout
    assert time.monotonic() - started > 1.0
    assert (status, guard.mark_of(headers)) == (200, None)
    assert [group for group, _ in waits] == ["query"]
    assert 1.0 < waits[0][1] <= 1.5


def test_a_retry_after_beyond_the_run_ends_the_group_at_once_and_says_why() -> None:
    limiter = ClientLimiter({})
    guard = Guard(downstream=Downstream(status=429), budget=RequestBudget(None), limiter=limiter)
    guard.deadline = time.monotonic() + 3  # Downstream's Retry-After is 7 s
    waits: list[tuple[str, float]] = []
    guard.on_wait = lambda group, seconds: waits.append((group, seconds))
    app = guard.downstream
    assert isinstance(app, Downstream)
    started = time.monotonic()
    first = call(guard, "POST", QUERY)  # answered 429, Retry-After 7 s: more than the run has left
    second = call(guard, "POST", "/v1/ant/es/activity/deleted")  # same group: not even sent
    assert time.monotonic() - started < 2
    assert [guard.mark_of(headers) for _, headers, _ in (first, second)] == [Mark(False, "retry-after:query")] * 2
    assert len(app.calls) == 1
    assert waits == []
    assert guard.skipped == {"retry-after:query": 2}


def test_past_the_deadline_only_cleanup_is_sent() -> None:
    app = Downstream()
    guard = Guard(downstream=app, budget=RequestBudget(None))
    guard.deadline = time.monotonic() - 1
    status, headers, _ = call(guard, "GET", "/v1/events/types")
    assert guard.mark_of(headers) == Mark(failed=False, reason="time")
    assert status == 503
    assert call(guard, "DELETE", "/v1/ant/es/activity", headers={CLEANUP_HEADER: "1"})[0] == 200
    assert [c[1] for c in app.calls] == ["/v1/ant/es/activity"]
    assert guard.skipped == {"time": 1}


def test_a_request_the_deadline_cut_short_did_not_run_rather_than_fail() -> None:
    guard = Guard(downstream=Silent(), budget=RequestBudget(None), timeout=30)
    guard.deadline = time.monotonic() + 0.3
    started = time.monotonic()
    _, headers, _ = call(guard, "GET", "/v1/events/types")
    assert time.monotonic() - started < 5
    assert guard.mark_of(headers) == Mark(failed=False, reason="time")
    assert guard.failed == {}


class Exhausted:
    """Answers 429 with a Retry-After of an hour (or none), as a tenant whose quota is spent."""

    def __init__(self, retry_after: bytes | None) -> None:
        self.retry_after = retry_after

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await receive()
        headers = [(b"content-type", b"application/json")]
        if self.retry_after is not None:
            headers.append((b"retry-after", self.retry_after))
        await send({"type": "http.response.start", "status": 429, "headers": headers})
        await send({"type": "http.response.body", "body": b'{"result": false}'})


def test_a_429_whose_retry_after_the_run_will_not_wait_out_is_a_note_not_an_answer() -> None:
    guard = Guard(downstream=Exhausted(b"3600"), budget=RequestBudget(None), limiter=ClientLimiter({}))
    guard.deadline = time.monotonic() + 600
    status, headers, _ = call(guard, "POST", "/v1/ant/es/activity/bulk")
    assert (status, guard.mark_of(headers)) == (503, Mark(failed=False, reason="retry-after:bulk"))
    # Without a valid Retry-After the 429 is passed on, for the check that demands one.
    guard = Guard(downstream=Exhausted(None), budget=RequestBudget(None), limiter=ClientLimiter({}))
    assert call(guard, "POST", "/v1/ant/es/activity/bulk")[0] == 429


def test_a_tenant_silent_five_times_in_a_row_is_unreachable_and_only_cleanup_is_still_sent() -> None:
    guard = Guard(downstream=Silent(), budget=RequestBudget(None), timeout=0.05)
    told: list[bool] = []
    guard.on_unreachable = lambda: told.append(True)
    for _ in range(guard.silence.limit):
        status, headers, _ = call(guard, "GET", QUERY)
        assert status == 502
        assert guard.mark_of(headers) == Mark(failed=True, reason="no answer within 0.05 s")
    assert told == [True]
    assert guard.silence.unreachable
    status, headers, _ = call(guard, "GET", QUERY)
    assert guard.mark_of(headers) == Mark(failed=False, reason="unreachable")  # not sent
    assert guard.skipped == {"unreachable": 1}
    status, headers, _ = call(guard, "DELETE", "/v1/ant/es/activity", b"{}", headers={CLEANUP_HEADER: "1"})
    assert guard.mark_of(headers) == Mark(failed=True, reason="no answer within 0.05 s")  # cleanup still tries
    assert told == [True]  # said once


def test_any_answer_resets_the_count_of_unanswered_requests() -> None:
    guard = Guard(downstream=Silent(), budget=RequestBudget(None), timeout=0.05)
    for _ in range(guard.silence.limit - 1):
        call(guard, "GET", QUERY)
    guard.downstream = Spoofing()  # a 500 is an answer: the tenant is reachable
    call(guard, "GET", QUERY)
    guard.downstream = Silent()
    for _ in range(guard.silence.limit - 1):
        call(guard, "GET", QUERY)
    assert not guard.silence.unreachable
    assert guard.skipped == {}
