"""Turn what the embedded mock logs as internal errors into run errors, instead of tracebacks on stderr.

A crashed request handler shows as a 500 anyway; a crashed bulk job only as ``FAILED``, which the contract
allows. Both are bugs of the mock, so an embedded run reports each distinct one (CT100).
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterator

__all__ = ["capture_mock_errors"]

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.seen: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        """Remember one logged error, its ids blanked so that equal crashes count as one."""
        exc = record.exc_info[1] if record.exc_info else None
        detail = f": {type(exc).__name__}: {exc}" if exc is not None else ""
        self.seen[_UUID.sub("<id>", record.getMessage()) + detail] += 1


@contextlib.contextmanager
def capture_mock_errors(report: Callable[[str], None]) -> Iterator[None]:
    """While active, errors logged by ``gscontract.mock`` go to ``report`` (one line each) and not to stderr."""
    logger = logging.getLogger("gscontract.mock")
    handler = _Collector()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
        for message, count in sorted(handler.seen.items()):
            times = f" ({count} times)" if count > 1 else ""
            report(f"the mock logged an internal error{times}: {message}")
