"""The documented rate limits, per operation group and profile.

Saves follow the Timeline document (200 single calls a minute; bulk 4 calls an hour in the seed
edition, 12 in newer ones); reads and events follow the data APIs' 100 calls a minute. Gainsight's
public Events API page gives its publish call the synchronous limits, 100 calls a minute and 50,000 a
day, both fixed windows: the ``framework`` group counts the first, ``frameworkdaily`` the second, and
every call of the first group also counts against the second (:data:`ALSO_COUNTS`). Which group an
operation counts against is part of each operation's record in :mod:`gscontract.gainsight.operations`
(job status and fetch deleted count as ``query``; delete and abort as ``single``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from .profiles import DEFAULT_PROFILE, LEGACY

__all__ = [
    "ALSO_COUNTS",
    "BULK",
    "EVENTS",
    "FRAMEWORK",
    "FRAMEWORK_DAILY",
    "GROUPS",
    "PERIODS",
    "QUERY",
    "SINGLE",
    "RateLimit",
    "documented_limits",
]

SINGLE: Final = "single"
BULK: Final = "bulk"
EVENTS: Final = "events"
QUERY: Final = "query"
FRAMEWORK: Final = "framework"
FRAMEWORK_DAILY: Final = "frameworkdaily"
GROUPS: Final = (SINGLE, BULK, EVENTS, QUERY, FRAMEWORK, FRAMEWORK_DAILY)
"""The operation groups, each limited on its own."""

ALSO_COUNTS: Final = {FRAMEWORK: (FRAMEWORK_DAILY,)}
"""Groups a call also counts against besides its own: one limit per window of the same calls."""

PERIODS: Final = ("second", "minute", "hour", "day")


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most ``amount`` calls per ``period`` (``second``, ``minute``, ``hour`` or ``day``)."""

    amount: int
    period: str

    def __str__(self) -> str:
        return f"{self.amount}/{self.period}"


def documented_limits(profile: str = DEFAULT_PROFILE) -> dict[str, RateLimit]:
    """Each group's documented limit under ``profile`` (a fresh dict the caller may change)."""
    return {
        SINGLE: RateLimit(200, "minute"),
        BULK: RateLimit(4 if profile == LEGACY else 12, "hour"),
        QUERY: RateLimit(100, "minute"),
        EVENTS: RateLimit(100, "minute"),
        FRAMEWORK: RateLimit(100, "minute"),
        FRAMEWORK_DAILY: RateLimit(50_000, "day"),
    }
