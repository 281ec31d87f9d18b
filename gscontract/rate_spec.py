"""The ``--rate-limit`` SPEC that ``gscontract mock`` and a contract run against a tenant both take.

A SPEC is ``off`` or comma-separated ``GROUP=N/PERIOD`` entries (``single=200/minute,bulk=12/hour``);
groups are ``single``, ``bulk``, ``events``, ``query``, ``framework`` and ``frameworkdaily``, periods
``second``, ``minute``, ``hour`` and ``day``.
A group the SPEC does not name keeps its profile's documented limit, and ``GROUP=off`` lifts one group's
limit.
"""

from __future__ import annotations

import re

from .errors import UsageError
from .gainsight.profiles import DEFAULT_PROFILE
from .gainsight.rate_limits import GROUPS, PERIODS, RateLimit, documented_limits

__all__ = ["parse_rate_limits"]

_ENTRY = re.compile(r"^\s*([a-z]+)\s*=\s*(?:(off)|(\d+)\s*/\s*([a-z]+))\s*$")


def parse_rate_limits(spec: str, *, profile: str = DEFAULT_PROFILE) -> dict[str, RateLimit]:
    """Read a ``--rate-limit`` SPEC into each group's limit; a group missing from the result is unlimited.

    Raises:
        UsageError: an entry is malformed or names an unknown group or period.
    """
    text = spec.strip().lower()
    if text == "off":
        return {}
    limits = documented_limits(profile)
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
        if period.rstrip("s") not in PERIODS:
            raise UsageError(f"--rate-limit: unknown period {period!r} (expected {', '.join(PERIODS)})")
        if int(amount) < 1:
            raise UsageError(f"--rate-limit: {group} must allow at least 1 call per {period.rstrip('s')}")
        limits[group] = RateLimit(int(amount), period.rstrip("s"))
    return limits
