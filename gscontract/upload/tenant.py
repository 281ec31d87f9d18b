"""The upload's calls to the tenant: submit a bulk body, poll a job, abort it, read records back by ExternalId.

Every call goes through the contract runner's transport (:class:`~gscontract.contract.transport.upstream.Upstream`
for bounded exchanges, :class:`~gscontract.contract.transport.budget.ClientLimiter` for the quota), so an
upload keeps to the same limits as a contract run. Only calls the API makes safe to repeat are retried
on a network failure: job status, abort and the read query. A bulk submit is never retried blindly; an
unanswered one is :class:`Unknown`, and the caller settles its records by reading them back.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..contract.checks import TERMINAL_STATES
from ..contract.transport.budget import PERIOD_SECONDS, ClientLimiter, GroupLimit, QuotaExhausted
from ..contract.transport.capped import ANSWER_CAP, JOB_STATUS_CAP
from ..contract.transport.no_answer import NoAnswer
from ..contract.transport.upstream import Answer, Upstream
from ..gainsight.event_headers import API_VERSION, CONTRACT_ID, NAMING_HEADERS, SHARED_SECRET, TENANT_ID
from ..gainsight.limits import QUERY_ROW_LIMIT
from ..gainsight.operations import (
    ABORT,
    EVENTS_BULK,
    FRAMEWORK_EVENT,
    JOB_STATUS,
    QUERY,
    SAVE,
    ApiOperation,
    by_name,
    rate_group,
)
from ..gainsight.operators import IN
from ..gainsight.rate_limits import BULK, documented_limits
from ..gainsight.retry import parse_retry_after
from ..redact import Redactor

__all__ = ["JobResult", "Refused", "TenantClient", "Unknown"]

_TRANSIENT = frozenset({500, 502, 503, 504})


class Unknown(Exception):
    """A write got no usable answer: the tenant may or may not have taken it."""


class Refused(Exception):
    """The tenant answered a write with an error that says it was not taken (4xx but 429)."""


@dataclass(frozen=True, slots=True)
class JobResult:
    """A bulk job's final state, and its per-record successes and failures keyed as the tenant keys them."""

    status: str
    successes: dict[str, Any]
    failures: dict[str, list[dict[str, Any]]]


def _operation(name: str) -> ApiOperation:
    """The documented operation of that name (the names used here are all documented)."""
    found = by_name(name)
    if found is None:
        raise KeyError(name)
    return found


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


class TenantClient:
    """Sends the upload's requests to one tenant within its rate limits, with bounded retries of safe calls."""

    def __init__(
        self,
        base_url: str,
        access_key: str,
        limiter: ClientLimiter,
        redactor: Redactor,
        *,
        timeout: float = 60.0,
        retries: int = 6,
        backoff: float = 0.5,
        deadline: Callable[[], float] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        bulk_share: float = 0.5,
    ) -> None:
        self._upstream = Upstream(base_url)
        self.bulk_share = bulk_share
        self.bulk_allowance: int | None = None
        """Bulk calls the upload may still send by the tenant's own count (``None``: it sent none)."""
        self._last_remaining: int | None = None
        self._key = access_key
        self.limiter = limiter
        self.redactor = redactor
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self._remaining = deadline or (lambda: float("inf"))
        self._sleep = sleep
        self.on_call: Callable[[str], None] | None = None
        """Told the group of every call as it is sent (the journal counts them, for a resume's quota)."""
        self.on_limit: Callable[[GroupLimit], None] | None = None
        """Told the bulk limit the tenant's ``X-RateLimit-Limit`` made the upload keep to (journalled too)."""

    def close(self) -> None:
        """Close the connections."""
        self._upstream.close()

    def _headers(self) -> dict[str, str]:
        return {"accesskey": self._key, "content-type": "application/json"}

    def _exchange(
        self, method: str, target: str, body: bytes, limit: int, *, extra: dict[str, str] | None = None
    ) -> Answer:
        """One exchange in its group's slot; a 429 pauses the group for its Retry-After and tries again.

        Raises:
            QuotaExhausted: the tenant's own count of bulk calls leaves none of the share the upload may use.
        """
        group = rate_group(target.split("?", 1)[0])
        while True:
            if group == BULK and not self.bulk_room():
                raise QuotaExhausted(BULK, 0.0, paused=True)
            self.limiter.acquire(group, max_wait=self._remaining())
            if group is not None and self.on_call is not None:
                self.on_call(group)
            headers = {**self._headers(), **(extra or {})}
            answer = self._upstream.exchange(method, target, headers, body, timeout=self.timeout, limit=limit)
            if group == BULK:
                self._note_limit(answer.headers.get("x-ratelimit-limit"))
                self._note_remaining(answer.headers.get("x-ratelimit-remaining"))
            if answer.status != 429:
                return answer
            self.limiter.pause(group, parse_retry_after(answer.headers.get("retry-after")) or 1.0)

    def bulk_room(self) -> bool:
        """Whether the tenant's own count leaves the upload a bulk call, waiting out one window if it does not.

        The tenant says how many calls remain, not when its window starts again; so when the share is spent
        the upload waits one window of its own bulk limit (the profile's hour, or ``--rate-limit``'s period)
        and lets the next answer's count decide anew. ``False`` when that wait would outlast the run.
        """
        if self.bulk_allowance is None or self.bulk_allowance > 0:
            return True
        window = self._bulk_window()
        if window > self._remaining():
            return False
        self._sleep(window)
        self.bulk_allowance = self._last_remaining = None
        return True

    def _bulk_window(self) -> float:
        """The bulk limit's window: the one the upload keeps to (profile or ``--rate-limit``), else an hour."""
        limit = self.limiter.limits.get(BULK)
        return limit.seconds if limit is not None else PERIOD_SECONDS[documented_limits()[BULK].period]

    def _note_limit(self, header: str | None) -> None:
        """Keep to the tenant's own bulk limit when it is stricter than the one the upload keeps to.

        ``X-RateLimit-Limit`` is the tenant's hourly bulk quota; the upload uses ``bulk_share`` of it (at
        least one call), as of the profile's. A looser header changes nothing: the profile's limit (or
        ``--rate-limit``'s) is already what the upload chose to spend.
        """
        if header is None or not header.strip().isdigit():
            return
        current = self.limiter.limits.get(BULK)
        allowed = max(1, math.floor(int(header.strip()) * self.bulk_share))
        if current is None or allowed < current.amount:
            self.limiter.limits[BULK] = GroupLimit(allowed, self._bulk_window())
            if self.on_limit is not None:
                self.on_limit(self.limiter.limits[BULK])

    def _note_remaining(self, header: str | None) -> None:
        """Keep to the tenant's count: of the bulk calls it says remain, use at most ``bulk_share``.

        The tenant's header wins over the profile: other clients' calls count there too. A reading higher
        than the last one means its window has started again, so the share is taken anew.
        """
        if header is None or not header.strip().isdigit():
            return
        remaining = int(header.strip())
        share = math.floor(remaining * self.bulk_share)
        if self._last_remaining is None or remaining > self._last_remaining or self.bulk_allowance is None:
            self.bulk_allowance = share
        else:
            self.bulk_allowance = min(self.bulk_allowance - 1, share)
        self._last_remaining = remaining

    def _safe(self, method: str, target: str, body: bytes, limit: int) -> Answer:
        """A call that is safe to repeat: retried with exponential backoff on no answer or a 5xx."""
        for attempt in range(self.retries + 1):
            try:
                answer = self._exchange(method, target, body, limit)
            except NoAnswer:
                if attempt == self.retries:
                    raise
            else:
                if answer.status not in _TRANSIENT or attempt == self.retries:
                    return answer
            self._sleep(min(30.0, self.backoff * 2**attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    def submit(self, operation: str, body: bytes, *, query: str = "") -> str:
        """Send one bulk body; return the job id the tenant answered with.

        Raises:
            Unknown: no answer, a 5xx, or an answer without a job id: the tenant may have taken it.
            Refused: a 4xx: it did not.
        """
        status, job = self._send_once(operation, body, query)
        job_id = job.get("jobId") if isinstance(job, dict) else None
        if status != 200 or not isinstance(job_id, str):
            raise Unknown(f"HTTP {status} without a job id")
        return job_id

    def _send_once(self, operation: str, body: bytes, query: str = "") -> tuple[int, Any]:
        """Send a call that must not be repeated; return its status and its envelope's ``data``.

        Raises:
            Unknown: no answer: the tenant may have taken the call.
            Refused: a 4xx: it did not.
        """
        op = _operation(operation)
        try:
            answer = self._exchange(op.method, op.path + query, body, ANSWER_CAP)
        except NoAnswer as exc:
            raise Unknown(str(exc)) from None
        if 400 <= answer.status < 500:
            raise Refused(self.redactor.text(f"HTTP {answer.status}: {answer.body[:300].decode(errors='replace')}"))
        envelope = _json(answer.body)
        return answer.status, envelope.get("data") if isinstance(envelope, dict) else None

    def save(self, body: bytes, *, operation: str = SAVE, query: str = "") -> JobResult:
        """Send one synchronous save (or update); its answer's ``success`` and ``failures`` are the verdicts.

        Raises:
            Unknown: no answer or a 5xx: the tenant may have saved the records.
            Refused: a 4xx: it did not.
        """
        status, inner = self._send_once(operation, body, query)
        if status != 200 or not isinstance(inner, dict):
            raise Unknown(f"HTTP {status} without per-record results")
        return JobResult("COMPLETED", dict(inner.get("success") or {}), dict(inner.get("failures") or {}))

    def publish_bulk(self, body: bytes, count: int) -> JobResult:
        """Publish many events at once; failures are keyed by the event's index in the body.

        An answer that lists fewer failures than its ``failureCount`` leaves some events' fate open: those
        not listed are neither successes nor failures here, and the caller reports them as unknown.

        Raises:
            Unknown: no answer or a 5xx: the tenant may have published the events.
            Refused: a 4xx: it did not.
        """
        status, inner = self._send_once(EVENTS_BULK, body)
        if status != 200 or not isinstance(inner, dict):
            raise Unknown(f"HTTP {status} without per-event results")
        failures = dict(inner.get("failures") or {})
        complete = inner.get("failureCount") == len(failures)
        successes = {str(i): True for i in range(count) if str(i) not in failures} if complete else {}
        return JobResult("COMPLETED", successes, failures)

    def publish_event(self, event: dict[str, Any], shared_secret: str, tenant_id: str) -> JobResult:
        """Publish one Events Framework event: its naming headers as headers, its ``payload`` as the body.

        The answer is the verdict: 200 accepted (key ``"0"``), another 4xx than 401 and 429 a failure with
        the tenant's code.

        Raises:
            Unknown: no answer or a 5xx: the tenant may have published it.
            Refused: 401: the shared secret or tenant id is wrong, and nothing will be accepted.
        """
        op = _operation(FRAMEWORK_EVENT)
        path = op.path.replace("{version}", API_VERSION)
        headers: dict[str, str] = {name: str(event[name]) for name in NAMING_HEADERS if name in event}
        if CONTRACT_ID in event:
            headers[CONTRACT_ID] = str(event[CONTRACT_ID])
        headers.update({SHARED_SECRET: shared_secret, TENANT_ID: tenant_id})
        body = json.dumps(event.get("payload")).encode()
        try:
            answer = self._exchange(op.method, path, body, ANSWER_CAP, extra=headers)
        except NoAnswer as exc:
            raise Unknown(str(exc)) from None
        if answer.status == 401:
            raise Refused("HTTP 401: the shared secret or the tenant id was refused")
        if answer.status >= 500:
            raise Unknown(f"HTTP {answer.status}")
        if answer.status == 200:
            return JobResult("COMPLETED", {"0": True}, {})
        data = _json(answer.body)
        data = data if isinstance(data, dict) else {}
        problem = {"errorCode": data.get("errorCode"), "errorMessage": self.redactor.text(str(data.get("errorDesc")))}
        return JobResult("COMPLETED", {}, {"0": [problem]})

    def job(self, job_id: str) -> dict[str, Any] | None:
        """The job's status ``data``; ``None`` when the tenant does not know the job id."""
        path = _operation(JOB_STATUS).path.replace("{jobId}", job_id)
        answer = self._safe("GET", path, b"", JOB_STATUS_CAP)
        data = _json(answer.body)
        if not isinstance(data, dict) or data.get("result") is False or not isinstance(data.get("data"), dict):
            return None
        return dict(data["data"])

    def wait(self, job_id: str, *, timeout: float, interval: float = 1.0) -> JobResult | None:
        """Poll the job until it ends or ``timeout`` passes (``None``: unknown job, or still running)."""
        end = time.monotonic() + min(timeout, self._remaining())
        while True:
            data = self.job(job_id)
            if data is None:
                return None
            status = str(data.get("status"))
            if status in TERMINAL_STATES:
                return JobResult(status, dict(data.get("successes") or {}), dict(data.get("failures") or {}))
            if time.monotonic() + interval > end:
                return None
            self._sleep(interval)

    def abort(self, job_id: str) -> bool:
        """Ask the tenant to abort a job that has not started; whether it did."""
        path = _operation(ABORT).path.replace("{jobId}", job_id)
        answer = self._safe("PUT", path, b"", ANSWER_CAP)
        data = _json(answer.body)
        inner = data.get("data") if isinstance(data, dict) else None
        return isinstance(inner, dict) and inner.get("status") == "ABORTED"

    def stored(self, external_ids: Iterable[str]) -> set[str]:
        """Which of these ExternalIds the tenant holds, read back in pages of the query's row limit."""
        wanted = sorted(set(external_ids))
        found: set[str] = set()
        path = _operation(QUERY).path
        for chunk in _chunks(wanted, QUERY_ROW_LIMIT):
            request = {
                "select": ["ExternalId"],
                "where": {"conditions": [{"name": "ExternalId", "alias": "A", "value": chunk, "operator": IN}]},
                "limit": QUERY_ROW_LIMIT,
                "offset": 0,
            }
            answer = self._safe("POST", path, json.dumps(request).encode(), ANSWER_CAP)
            data = _json(answer.body)
            if answer.status != 200 or not isinstance(data, dict) or data.get("result") is not True:
                raise Unknown(f"reading records back failed: HTTP {answer.status}")
            for row in (data.get("data") or {}).get("records") or []:
                if isinstance(row, dict) and isinstance(row.get("ExternalId"), str):
                    found.add(row["ExternalId"])
        return found


def _chunks(items: Sequence[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
