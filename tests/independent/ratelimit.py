"""Fixed-window rate limits of the independent tenant, with the headers every limited answer carries."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .options import Quota

__all__ = ["Limiter", "Verdict"]


@dataclass(frozen=True, slots=True)
class Verdict:
    """One call counted (or looked at): allowed or not, and the headers to send."""

    allowed: bool
    limit: int
    remaining: int
    retry_after: int

    def headers(self) -> dict[str, str]:
        """``X-RateLimit-Limit`` and ``X-RateLimit-Remaining``; ``Retry-After`` (seconds) when refused."""
        headers = {"X-RateLimit-Limit": str(self.limit), "X-RateLimit-Remaining": str(self.remaining)}
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after)
        return headers


class Limiter:
    """Counters per group; windows start when the limiter is made, and the first one starts ``spent``."""

    def __init__(self, quotas: Mapping[str, Quota], clock: Callable[[], float] = time.monotonic) -> None:
        self._quotas = dict(quotas)
        self._clock = clock
        self._start = clock()
        self._used = {group: (0, quota.spent) for group, quota in self._quotas.items()}  # (window, calls)

    def _window(self, group: str) -> tuple[Quota, int, int, float]:
        quota = self._quotas[group]
        elapsed = self._clock() - self._start
        window = int(elapsed // quota.seconds)
        seen, calls = self._used[group]
        if window != seen:
            calls = 0
        ends_in = (window + 1) * quota.seconds - elapsed
        return quota, window, calls, ends_in

    def hit(self, group: str) -> Verdict | None:
        """Count one call of ``group``; ``None`` when the group has no limit."""
        if group not in self._quotas:
            return None
        quota, window, calls, ends_in = self._window(group)
        allowed = calls < quota.limit
        if allowed:
            calls += 1
        self._used[group] = (window, calls)
        return Verdict(allowed, quota.limit, max(0, quota.limit - calls), max(1, math.ceil(ends_in)))

    def peek(self, group: str) -> Verdict | None:
        """The group's headers without counting a call (for answers refused before the limit applies)."""
        if group not in self._quotas:
            return None
        quota, _, calls, ends_in = self._window(group)
        return Verdict(True, quota.limit, max(0, quota.limit - calls), max(1, math.ceil(ends_in)))
