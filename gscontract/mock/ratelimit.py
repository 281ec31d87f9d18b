"""Rate limits per access key, by operation group, on the ``limits`` library's fixed windows.

The limits themselves are the documented ones (:mod:`gscontract.gainsight.rate_limits`) or those of a
``--rate-limit`` SPEC (:mod:`gscontract.rate_spec`); this module only counts calls against them.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass

from limits import (
    RateLimitItem,
    RateLimitItemPerDay,
    RateLimitItemPerHour,
    RateLimitItemPerMinute,
    RateLimitItemPerSecond,
)
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter

from ..gainsight.rate_limits import ALSO_COUNTS, RateLimit

__all__ = ["RateLimiter", "Verdict"]

_PERIODS: dict[str, type[RateLimitItem]] = {
    "second": RateLimitItemPerSecond,
    "minute": RateLimitItemPerMinute,
    "hour": RateLimitItemPerHour,
    "day": RateLimitItemPerDay,
}


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of one hit: allowed or not, and the headers the response carries."""

    allowed: bool
    limit: int
    remaining: int
    retry_after: int

    def headers(self) -> dict[str, str]:
        """``X-RateLimit-*`` headers, plus ``Retry-After`` when the call was refused."""
        headers = {"X-RateLimit-Limit": str(self.limit), "X-RateLimit-Remaining": str(self.remaining)}
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after)
        return headers


class RateLimiter:
    """Fixed-window counters per (group, access key), kept in memory for the server's lifetime."""

    def __init__(self, limits: Mapping[str, RateLimit]) -> None:
        self.limits = dict(limits)
        self._items = {group: _PERIODS[lim.period](lim.amount) for group, lim in self.limits.items()}
        self._limiter = FixedWindowRateLimiter(MemoryStorage()) if self._items else None

    def hit(self, group: str | None, key: str) -> Verdict | None:
        """Count one call of ``group`` by ``key``; ``None`` when the group is not limited.

        A call also counts against the groups :data:`ALSO_COUNTS` names (the Events Framework's daily
        window); the first window that refuses it answers, else the call's own group does.
        """
        verdicts = [self._hit_one(g, key) for g in (group, *ALSO_COUNTS.get(group or "", ()))]
        found = [v for v in verdicts if v is not None]
        return next((v for v in found if not v.allowed), found[0] if found else None)

    def _hit_one(self, group: str | None, key: str) -> Verdict | None:
        item = self._items.get(group) if group else None
        if item is None or self._limiter is None:
            return None
        allowed = self._limiter.hit(item, group or "", key)
        stats = self._limiter.get_window_stats(item, group or "", key)
        retry = max(1, math.ceil(stats.reset_time - time.time()))
        return Verdict(allowed=allowed, limit=item.amount, remaining=stats.remaining, retry_after=retry)
