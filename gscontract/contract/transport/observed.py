"""The statuses and Gainsight error codes a run's answers carried (one of the guard's observers).

The compliance matrix counts a documented code as exercised when an answer carried it: a 401 check that
passed has seen ``GS_APIG_2401`` although no rule of its own reports that code. Only documented codes are
kept: anything else in ``errorCode`` is the tenant's text (it may echo the access key), and the check that
flags undocumented codes (CT105) reports it redacted.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Collection, Iterator
from typing import Any

from .guard import Seen

__all__ = ["ObservedCodes"]

_DEPTH = 6
"""How deep error codes are looked for: the envelope, ``data.failures`` and a job status's records."""


def _codes(value: Any, depth: int = 0) -> Iterator[str]:
    if depth > _DEPTH:
        return
    if isinstance(value, dict):
        code = value.get("errorCode")
        if isinstance(code, str) and code:
            yield code
        for item in value.values():
            yield from _codes(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _codes(item, depth + 1)


class ObservedCodes:
    """Collects ``HTTP <status>`` and the documented ``errorCode`` values of the answers the guard passes on."""

    def __init__(self, documented: Collection[str]) -> None:
        self._documented = frozenset(documented)
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def observe(self, seen: Seen) -> None:
        """Note one answer's status and error codes."""
        try:
            answer = json.loads(seen.response_body) if seen.response_body else None
        except ValueError:
            answer = None
        found = {f"HTTP {seen.status}", *(c for c in _codes(answer) if c in self._documented)}
        with self._lock:
            self._seen.update(found)

    @property
    def codes(self) -> tuple[str, ...]:
        """Everything seen so far, sorted."""
        with self._lock:
            return tuple(sorted(self._seen))
