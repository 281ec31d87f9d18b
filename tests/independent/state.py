"""What one independent tenant holds while it runs: its key, data, limits, job timing and flaws."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .options import Flaws, JobTiming
from .ratelimit import Limiter
from .store import Store

__all__ = ["TenantState"]


@dataclass
class TenantState:
    """Kept on ``app.state.tenant``; handlers run on one event loop, so no locks are needed."""

    access_key: str
    limiter: Limiter
    timing: JobTiming = field(default_factory=JobTiming)
    flaws: Flaws = field(default_factory=Flaws)
    max_body_bytes: int = 80_000_000
    store: Store = field(default_factory=Store)
    clock: Callable[[], float] = time.monotonic
    shared_secret: str = ""
    """The Events Framework publisher's secret (:func:`~.tenant.create_tenant` defaults it to the access key)."""
