"""No body makes a mock route fail: arbitrary JSON and bytes answer 2xx or 4xx, quickly, and log no error.

Every write route, the read route and each event route take 2,500 generated bodies in the suite (set
``GSC_MOCK_BODIES``, e.g. to 10000, for a longer hunt; hypothesis draws new bodies on every run). To make that
affordable, one app per route serves all its bodies, requests go straight through the app's ASGI
interface on one event loop (a Starlette ``TestClient`` or ``httpx.ASGITransport`` in between would double
the cost of a request), and each example is a batch of bodies (hypothesis' own cost per example is
several times a request's). Bulk bodies become jobs; the test waits for them to run, so a job that fails
on a body is caught too (it logs an error).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mockbodies import ROUTES, Route, bodies

from gscontract.mock import create_app

pytestmark = pytest.mark.slow

BODIES = int(os.environ.get("GSC_MOCK_BODIES", "2500"))
BATCH = 10
# Each answer is timed in CPU seconds of the whole process (the job thread and worker threads included),
# which a shared machine's load does not inflate; a body that made the mock loop, recurse deeply or judge
# quadratically would pass a second at once. The wall-clock bound only catches a request that hangs.
MOST_CPU_SECONDS = 1.0
MOST_WALL_SECONDS = 20.0
KEY = "test-key"
_SEED = b'{"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "x", "Subject": "s",\
 "Notes": "n", "Author": "testuser@gainsight.com", "companyName": "Tech systems ABC Ltd",\
 "internalAttendees": ["hysty@gainsight.com"], "Ant__Raw__c": [[1, {"a": null}]]}]}'


class _Errors(logging.Handler):
    """Keeps what the mock logs at ERROR: request handlers and jobs that hit a bug."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def logged_errors() -> Iterator[list[str]]:
    """The errors the mock logs while the test runs."""
    logger, handler = logging.getLogger("gscontract.mock"), _Errors()
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


# The Events Framework's credentials and naming headers (a mock given no shared secret takes its access key);
# the other routes ignore them.
_PUBLISHER = [
    (b"sharedsecret", KEY.encode()),
    (b"tenantid", b"demo-tenant-id"),
    (b"topicname", b"sample_topic"),
    (b"eventname", b"sample_event"),
    (b"eventversion", b"v01"),
]


async def _call(app: Any, method: str, target: str, raw: bytes) -> int:
    """One request through the ASGI interface; the status answered."""
    path, _, query = target.partition("?")
    messages = [{"type": "http.request", "body": raw, "more_body": False}]
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return messages.pop() if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "headers": [(b"accesskey", KEY.encode()), *_PUBLISHER, (b"content-length", str(len(raw)).encode())],
        "http_version": "1.1",
        "scheme": "http",
        "server": ("mock", 80),
        "client": ("127.0.0.1", 1),
        "root_path": "",
        "app": app,
    }
    await app(scope, receive, send)
    return statuses[0]


def _wait_for_jobs(app: Any, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not app.state.mock.jobs.idle():
        assert time.monotonic() < deadline, "bulk jobs still running"
        time.sleep(0.05)


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_no_body_makes_a_route_answer_5xx(route: Route, logged_errors: list[str]) -> None:
    app = create_app(access_key=KEY, rate_limits="off", job_start_delay=0)
    loop = asyncio.new_event_loop()
    # A few saved activities, so reads, updates and deletes meet stored rows.
    assert loop.run_until_complete(_call(app, "POST", "/v1/ant/es/activity", _SEED)) == 200
    ran = 0

    @settings(max_examples=BODIES // BATCH, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(batch=st.lists(bodies(route), min_size=BATCH, max_size=BATCH))
    def answers_without_a_server_error(batch: list[bytes]) -> None:
        nonlocal ran
        for raw in batch:
            ran += 1
            cpu, wall = time.process_time(), time.perf_counter()
            status = loop.run_until_complete(_call(app, route.method, route.path, raw))
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            assert status in (200, 400), f"{route.name} answered {status} to {raw[:200]!r}"
            assert cpu < MOST_CPU_SECONDS, f"{route.name} spent {cpu:.2f} s of CPU answering {raw[:200]!r}"
            assert wall < MOST_WALL_SECONDS, f"{route.name} took {wall:.2f} s to answer {raw[:200]!r}"

    try:
        answers_without_a_server_error()
        _wait_for_jobs(app)
    finally:
        app.state.mock.jobs.stop()
        app.state.mock.store.close()
        loop.close()
    assert ran >= BODIES
    assert logged_errors == []
