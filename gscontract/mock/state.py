"""Everything one mock tenant holds while it runs; kept on ``app.state.mock``, never in a module global."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from ..tenants.reference import TenantData
from .jobs import JobRunner
from .ratelimit import RateLimiter
from .store import Store, WouldBlock
from .tenantview import ReferenceData

__all__ = ["MockState"]

T = TypeVar("T")


@dataclass(slots=True)
class MockState:
    """The tenant's store, reference data, limits and job runner, plus the options it was started with."""

    access_key: str = field(repr=False)
    store: Store
    tenant: TenantData
    reference: ReferenceData
    limiter: RateLimiter
    jobs: JobRunner
    profile: str
    job_start_delay: float
    max_body_bytes: int
    shared_secret: str = field(default="", repr=False)
    """The Events Framework's ``sharedSecret``; the access key when none was given."""
    access_key_bytes: bytes = field(init=False, repr=False)
    shared_secret_bytes: bytes = field(init=False, repr=False)
    rate_key: str = field(init=False, repr=False)
    _started: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        self.access_key_bytes = self.access_key.encode("utf-8", "surrogateescape")
        self.shared_secret_bytes = (self.shared_secret or self.access_key).encode("utf-8", "surrogateescape")
        # Rate-limit counters are keyed by a digest, so the key itself is kept in one place only.
        self.rate_key = hashlib.sha256(self.access_key_bytes).hexdigest()[:16]

    def ensure_started(self) -> None:
        """Start the job runner if the server did not run the app's lifespan (a bare test client)."""
        if not self._started:
            self._started = True
            self.jobs.start()

    async def run(self, func: Callable[..., T], *args: object, inline: bool = False) -> T:
        """Run store work: on a worker thread, or right here when ``inline`` and it need not wait.

        Inline work is for small, bounded requests (a save of a few records, a job status): a thread
        hop costs more than they do. If the store would have to wait (a bulk job holds the write lock),
        the work is abandoned before it changed anything and runs on a worker thread instead.
        """
        if inline:
            try:
                with self.store.no_wait():
                    return func(*args)
            except WouldBlock:
                pass
        return await run_in_threadpool(func, *args)
