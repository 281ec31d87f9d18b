"""Rate limits per access key, by operation group, on the ``limits`` library's fixed windows.

A SPEC is ``off`` or comma-separated ``GROUP=N/PERIOD`` entries (``single=200/minute,bulk=12/hour``);
groups are ``single``, ``bulk``, ``events`` and ``query``, periods ``second``, ``minute`` and ``hour``.
A group the SPEC does not name keeps its profile default, and ``GROUP=off`` lifts one group's limit.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerHour, RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter

from ..errors import UsageError

__all__ = ["GROUPS", "Limit", "RateLimiter", "Verdict", "default_limits", "parse_rate_limits"]

GROUPS = ("single", "bulk", "events", "query")
_PERIODS: dict[str, type[RateLimitItem]] = {
    "second": RateLimitItemPerSecond,
    "minute": RateLimitItemPerMinute,
    "hour": RateLimitItemPerHour,
}
_ENTRY = re.compile(r"^\s*([a-z]+)\s*=\s*(?:(off)|(\d+)\s*/\s*([a-z]+))\s*$")


@dataclass(frozen=True, slots=True)
class Limit:
    """At most ``amount`` calls per ``period`` (``second``, ``minute`` or ``hour``)."""

    amount: int
    period: str

    def __str__(self) -> str:
        return f"{self.amount}/{self.period}"


def default_limits(profile: str = "current") -> dict[str, Limit]:
    """The documented limits: the Timeline document's for saves, the data APIs' 100/minute otherwise.

    The legacy profile keeps the seed document's 4 bulk calls an hour; current uses the newer 12.
    """
    return {
        "single": Limit(200, "minute"),
        "bulk": Limit(4 if profile == "legacy" else 12, "hour"),
        "query": Limit(100, "minute"),
        "events": Limit(100, "minute"),
    }


def parse_rate_limits(spec: str, *, profile: str = "current") -> dict[str, Limit]:
    """Read a ``--rate-limit`` SPEC into each group's limit; a group missing from the result is unlimited.

    Raises:
        UsageError: an entry is malformed or names an unknown group or period.
    """
    text = spec.strip().lower()
    if text == "off":
        return {}
    limits = default_limits(profile)
    if not text:
        return limits
    for entry in text.split(","):
        match = _ENTRY.match(entry)
        if match is None:
            raise UsageError(f"--rate-limit: {entry.strip()!r} is not GROUP=N/PERIOD or GROUP=off")
        group, off, amount, period = match.groups()
        if group not in GROUPS:
            raise UsageError(f"--rate-limit: unknown group {group!r} (expected one of {', '.join(GROUPS)})")
        if off:
            limits.pop(group, None)
            continue
        if period.rstrip("s") not in _PERIODS:
            raise UsageError(f"--rate-limit: unknown period {period!r} (expected second, minute or hour)")
        if int(amount) < 1:
            raise UsageError(f"--rate-limit: {group} must allow at least 1 call per {period.rstrip('s')}")
        limits[group] = Limit(int(amount), period.rstrip("s"))
    return limits


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

    def __init__(self, limits: Mapping[str, Limit]) -> None:
        self.limits = dict(limits)
        self._items = {group: _PERIODS[lim.period](lim.amount) for group, lim in self.limits.items()}
        self._limiter = FixedWindowRateLimiter(MemoryStorage()) if self._items else None

    def hit(self, group: str | None, key: str) -> Verdict | None:
        """Count one call of ``group`` by ``key``; ``None`` when the group is not limited."""
        item = self._items.get(group) if group else None
        if item is None or self._limiter is None:
            return None
        allowed = self._limiter.hit(item, group or "", key)
        stats = self._limiter.get_window_stats(item, group or "", key)
        retry = max(1, math.ceil(stats.reset_time - time.time()))
        return Verdict(allowed=allowed, limit=item.amount, remaining=stats.remaining, retry_after=retry)
