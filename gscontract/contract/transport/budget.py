"""What a contract run may spend: a global request budget and a client-side rate limiter per operation group.

Both are enforced at the single point every request of a run passes (:mod:`gscontract.contract.transport.guard`), so
no phase can go around them. The limiter keeps a sliding log of send times per group (``single``, ``bulk``,
``query``, ``events``, as the mock and docs/decisions.md#rate-limits group operations) and never lets a group exceed its
limit within the run; bulk gets only a share of its hourly quota, because other clients of the tenant
share it. A 429 with ``Retry-After`` pauses its group until the server's time is up.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ...gainsight.operations import may_write, rate_group
from ...gainsight.profiles import DEFAULT_PROFILE
from ...gainsight.rate_limits import ALSO_COUNTS, documented_limits
from ...rate_spec import parse_rate_limits

__all__ = [
    "PERIOD_SECONDS",
    "BudgetExhausted",
    "ClientLimiter",
    "GroupLimit",
    "QuotaExhausted",
    "RequestBudget",
    "is_write",
    "operation_group",
    "profile_limits",
]

PERIOD_SECONDS = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0}


class BudgetExhausted(Exception):
    """The run's request budget (``--max-requests``), or the share of it a stage may use, is spent."""

    def __init__(self, message: str, *, stage: bool = False) -> None:
        super().__init__(message)
        self.stage = stage


class QuotaExhausted(Exception):
    """A group's rate limit leaves no room within the wait the run allows; the request was not sent."""

    def __init__(self, group: str, wait: float, *, paused: bool = False) -> None:
        super().__init__(f"{group} quota exhausted for this run (next slot in {wait:.0f} s)")
        self.group = group
        self.wait = wait
        self.paused = paused
        """The wait is the tenant's ``Retry-After``, not the limiter's own count."""


class RequestBudget:
    """A thread-safe count of requests against an optional ceiling, with a reserve kept for cleanup.

    ``stage_ceiling`` caps what the current stage of a run may spend (the phases leave the rest to the
    scenario checks); ``None`` lifts the cap.
    """

    def __init__(self, limit: int | None, *, reserve: int = 0) -> None:
        if limit is not None and limit < 1:
            raise ValueError("a request budget must allow at least one request")
        self.limit = limit
        self.reserve = min(reserve, limit - 1) if limit is not None else 0
        self.used = 0
        self.stage_ceiling: int | None = None
        self._lock = threading.Lock()

    def take(self, *, from_reserve: bool = False) -> None:
        """Count one request.

        Args:
            from_reserve: the request is part of cleanup and may use the reserve.

        Raises:
            BudgetExhausted: the budget (minus the reserve, unless ``from_reserve``) or the stage's share
                is spent.
        """
        with self._lock:
            if self.limit is not None:
                ceiling = self.limit if from_reserve else self.limit - self.reserve
                if self.used >= ceiling:
                    raise BudgetExhausted(f"request budget of {self.limit} spent")
            if self.stage_ceiling is not None and not from_reserve and self.used >= self.stage_ceiling:
                raise BudgetExhausted(f"this stage's share of the budget ({self.stage_ceiling}) spent", stage=True)
            self.used += 1

    @property
    def remaining(self) -> int | None:
        """Requests left for testing (the reserve excluded), or ``None`` when unlimited."""
        if self.limit is None:
            return None
        return max(0, self.limit - self.reserve - self.used)


@dataclass(frozen=True, slots=True)
class GroupLimit:
    """At most ``amount`` requests per ``seconds`` for one group within a run."""

    amount: int
    seconds: float

    def __str__(self) -> str:
        per = {1.0: "second", 60.0: "minute", 3600.0: "hour", 86400.0: "day"}.get(self.seconds, f"{self.seconds:g} s")
        return f"{self.amount}/{per}"


def profile_limits(
    profile: str = DEFAULT_PROFILE, *, spec: str | None = None, bulk_share: float = 0.5
) -> dict[str, GroupLimit]:
    """The limits a run keeps to: the profile's documented ones with bulk cut to ``bulk_share``, or ``spec``.

    ``spec`` is a ``--rate-limit`` SPEC as ``gscontract mock`` takes it (``off``, or
    ``single=200/minute,bulk=6/hour``; unnamed groups keep the profile's limit); it is used as given.
    The numbers are the documented ones of :mod:`gscontract.gainsight.rate_limits`, which the mock
    enforces too, so the mock and the runner never disagree on them.

    Raises:
        UsageError: a malformed SPEC.
    """
    chosen = parse_rate_limits(spec, profile=profile) if spec is not None else documented_limits(profile)
    limits = {group: GroupLimit(limit.amount, PERIOD_SECONDS[limit.period]) for group, limit in chosen.items()}
    if spec is None and "bulk" in limits:
        bulk = limits["bulk"]
        limits["bulk"] = GroupLimit(max(1, math.floor(bulk.amount * bulk_share)), bulk.seconds)
    return limits


def operation_group(method: str, path: str) -> str | None:
    """The rate-limit group of a request, from its documented operation; ``None`` if it has none.

    Job status and fetch deleted count as ``query``; delete and abort count as ``single``.
    """
    return rate_group(path)


def is_write(method: str, path: str) -> bool:
    """Whether a request may change tenant data; query, fetch deleted and GETs only read."""
    return may_write(method, path)


class ClientLimiter:
    """Spaces requests so no group exceeds its limit within the run, and honours ``Retry-After``.

    A request waits for a free slot when one opens within ``max_wait`` seconds; otherwise it is refused
    with :class:`QuotaExhausted` (an hourly bulk quota is never waited out).
    """

    def __init__(
        self,
        limits: Mapping[str, GroupLimit],
        *,
        max_wait: float = 65.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.limits = dict(limits)
        self.max_wait = max_wait
        self._clock = clock
        self._sleep = sleep
        self._sent: dict[str, deque[float]] = {group: deque() for group in self.limits}
        self._paused_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def _wait_for(self, group: str, now: float) -> tuple[float, bool, str]:
        """Seconds until ``group`` has a free slot, whether the tenant's pause holds it, and whose limit does.

        A call also counts against the groups ``ALSO_COUNTS`` names (the Events Framework's daily limit).
        """
        paused = max(0.0, self._paused_until.get(group, 0.0) - now)
        wait, holding = 0.0, group
        for counted in self._counted(group):
            limit = self.limits[counted]
            sent = self._sent[counted]
            while sent and sent[0] <= now - limit.seconds:
                sent.popleft()
            if len(sent) >= limit.amount and sent[0] + limit.seconds - now > wait:
                wait, holding = sent[0] + limit.seconds - now, counted
        return max(wait, paused), paused > 0 and paused >= wait, holding

    def _counted(self, group: str) -> list[str]:
        """The limited groups a call of ``group`` counts against: its own and those it also counts in."""
        return [g for g in (group, *ALSO_COUNTS.get(group, ())) if g in self.limits]

    def charge(self, group: str, seconds_ago: float) -> None:
        """Count a call of ``group`` made ``seconds_ago``, before this limiter existed.

        An upload that is resumed spent part of its windows already; they have that much less room.
        """
        with self._lock:
            at = self._clock() - max(0.0, seconds_ago)
            for counted in self._counted(group):
                sent = self._sent[counted]
                sent.append(at)
                if len(sent) > 1 and sent[-2] > at:  # kept in time order: the oldest is what expires first
                    self._sent[counted] = deque(sorted(sent))

    def acquire(
        self,
        group: str | None,
        *,
        max_wait: float | None = None,
        on_wait: Callable[[str, float], None] | None = None,
    ) -> float:
        """Take a slot of ``group``, sleeping until one is free; return the seconds waited.

        Args:
            group: the request's rate-limit group (``None``: not limited).
            max_wait: wait at most this long (the run's remaining time) when less than ``self.max_wait``.
            on_wait: told the group and the seconds before each sleep, so a run can say why it is quiet.

        Raises:
            QuotaExhausted: the next slot is further away than the wait allowed.
        """
        if group is None:
            return 0.0
        allowed = self.max_wait if max_wait is None else min(self.max_wait, max_wait)
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                wait, paused, holding = self._wait_for(group, now)
                if wait <= 0:
                    for counted in self._counted(group):
                        self._sent[counted].append(now)
                    return waited
                if waited + wait > allowed:
                    raise QuotaExhausted(group if paused else holding, wait, paused=paused)
            if on_wait is not None:
                on_wait(group, wait)
            self._sleep(wait)
            waited += wait

    def pause(self, group: str | None, retry_after: float) -> None:
        """Hold every request of ``group`` for ``retry_after`` seconds (after a 429)."""
        if group is None or retry_after <= 0:
            return
        with self._lock:
            until = self._clock() + retry_after
            self._paused_until[group] = max(self._paused_until.get(group, 0.0), until)
