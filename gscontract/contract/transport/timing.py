"""How long each operation's requests took in a run (one of the guard's observers).

The contract section gives each operation's subject the total, so JUnit shows real times for contract
checks as it does for payload files: an operation's time is shared among the checks that ran on it.
"""

from __future__ import annotations

import threading
from collections import defaultdict

from ...gainsight.operations import for_request
from .guard import Seen

__all__ = ["OperationTimes"]


class OperationTimes:
    """Sums the seconds of the answers the guard passes on, per documented operation (``POST /v1/events``)."""

    def __init__(self) -> None:
        self._seconds: defaultdict[str, float] = defaultdict(float)
        self._lock = threading.Lock()

    def observe(self, seen: Seen) -> None:
        """Add one answer's time to its operation's; a request no document gives is not counted."""
        operation = for_request(seen.method, seen.path)
        if operation is not None:
            with self._lock:
                self._seconds[operation.name] += seen.seconds

    @property
    def seconds(self) -> dict[str, float]:
        """Seconds per operation name, so far."""
        with self._lock:
            return dict(self._seconds)
