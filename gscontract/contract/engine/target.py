"""Where a contract run's requests go: the embedded mock in-process, or a live tenant over HTTP.

Either way they pass the run's :class:`~gscontract.contract.transport.guard.Guard`. The embedded mock runs with its
rate limits off (docs/decisions.md#rate-limits) and is reached through ASGI, which keeps the default run fast; a live
tenant is checked to be reachable first, and is spoken to within the profile's documented rate limits
and read-only unless writes were allowed.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from ...errors import UsageError
from ..transport.budget import ClientLimiter, RequestBudget, profile_limits
from ..transport.guard import Guard
from .options import ContractOptions

__all__ = ["MOCK_JOB_DELAY", "SPEC_BASES", "operation_label", "target_guard"]

MOCK_JOB_DELAY = 0.2
"""Seconds the embedded mock waits before a bulk job starts: long enough to abort it, short for the run."""

SPEC_BASES = {
    "timeline": "http://testserver",
    "events": "http://testserver/v1",
    "events-framework": "http://testserver",
}
"""Where schemathesis sends each spec's requests: the guard's host, plus the Events spec's server path."""


def operation_label(api: str, name: str) -> str:
    """Schemathesis' label of an operation (the Events spec's paths start below its ``/v1`` server)."""
    method, _, path = name.partition(" ")
    return f"{method} {path.removeprefix('/v1')}" if api == "events" else name


def target_guard(
    options: ContractOptions,
    *,
    key: str,
    budget: RequestBudget,
    shared_secret: str | None = None,
    on_exhausted: Callable[[], None],
    app: Any = None,
) -> Guard:
    """The guard in front of the run's target: ``app`` or a new embedded mock, else ``options.base_url``.

    Raises:
        UsageError: the tenant cannot be reached.
    """
    if options.embedded:
        if app is None:
            from ...mock import create_app

            app = create_app(
                access_key=key,
                tenant=options.tenant,
                rate_limits="off",
                job_start_delay=MOCK_JOB_DELAY,
                profile=options.profile,
                shared_secret=shared_secret,
            )
        return Guard(downstream=app, budget=budget, on_exhausted=on_exhausted, timeout=options.request_timeout)
    assert options.base_url is not None
    _reachable(options.base_url)
    return Guard(
        upstream=options.base_url,
        budget=budget,
        limiter=ClientLimiter(profile_limits(options.profile, spec=options.rate_limit)),
        allow_writes=options.writes,
        on_exhausted=on_exhausted,
        timeout=options.request_timeout,
    )


def _reachable(url: str) -> None:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "", port), timeout=5):
            pass
    except OSError as exc:
        raise UsageError(f"cannot reach {parts.scheme}://{parts.netloc}: {exc.strerror or exc}") from None
