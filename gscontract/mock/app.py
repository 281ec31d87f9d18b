"""The mock tenant's ASGI application: :func:`create_app` builds a fresh one, with its own state.

Use it in-process (Starlette's ``TestClient`` as a context manager, schemathesis'
``schemathesis.openapi.from_asgi``) or serve it with ``gscontract mock``. The app's lifespan starts the
bulk-job runner (resuming jobs a previous run left pending) and, on shutdown, stops it and closes the
database.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from ..errors import UsageError
from ..gainsight.codes import INVALID_PATH
from ..gainsight.limits import MAX_BODY_BYTES
from ..gainsight.profiles import DEFAULT_PROFILE, PROFILES
from ..rate_spec import parse_rate_limits
from ..tenants.reference import TenantData, demo_tenant
from .endpoint import build_routes
from .http import error_response
from .jobs import JobRunner
from .ratelimit import RateLimiter
from .routes import OPERATIONS
from .routes.job_routes import job_processor
from .schemas import REQUEST_SCHEMAS, validator
from .state import MockState
from .store import Store
from .tenantview import ReferenceData

__all__ = ["create_app"]


async def _http_error(request: Request, exc: Exception) -> Response:
    """404 and 405 from the router, in the vendor's error shape (405 keeps its ``Allow`` header)."""
    assert isinstance(exc, HTTPException)  # registered for HTTPException only
    if exc.status_code == 404:
        return error_response(404, f"Invalid API path: {request.url.path}", code=INVALID_PATH)
    if exc.status_code == 405:
        # The router keeps methods in a set; sorted, the header is the same on every run.
        allowed = ", ".join(sorted(m.strip() for m in (exc.headers or {}).get("Allow", "").split(",") if m.strip()))
        desc = f"method {request.method} is not allowed on {request.url.path}; allowed: {allowed}"
        return error_response(405, desc, headers={"Allow": allowed})
    return error_response(exc.status_code, str(exc.detail), headers=exc.headers)


def create_app(
    *,
    access_key: str,
    db_path: str | os.PathLike[str] | None = None,
    tenant: TenantData | None = None,
    rate_limits: str | None = None,
    job_start_delay: float = 1.0,
    profile: str = DEFAULT_PROFILE,
    max_body_bytes: int = MAX_BODY_BYTES,
    shared_secret: str | None = None,
) -> Starlette:
    """Build a mock tenant.

    Args:
        access_key: the one key the tenant accepts in the ``accesskey`` header.
        db_path: the SQLite file; ``None`` for a throw-away database removed at shutdown.
        tenant: reference data for lookups and event types; the built-in demo tenant by default.
        rate_limits: a ``--rate-limit`` SPEC (``off``, or ``single=200/minute,...``); ``None`` for the
            profile's documented limits.
        job_start_delay: seconds between a bulk job's submission and the start of its processing.
        profile: ``current`` or ``legacy``, as for the validator (ContextName values, bulk limit).
        max_body_bytes: the largest request body accepted (the document's 80 MB by default).
        shared_secret: the Events Framework's ``sharedSecret`` (a publisher's key, not the access key);
            ``None`` accepts the access key there too.

    Raises:
        UsageError: an option is invalid (unknown profile, malformed rate-limit SPEC, negative delay).
        ConfigError: the database cannot be opened.
    """
    if not access_key:
        raise UsageError("the access key must not be empty")
    if shared_secret is not None and not shared_secret:
        raise UsageError("the shared secret must not be empty")
    if profile not in PROFILES:
        raise UsageError(f"unknown profile {profile!r} (expected one of {', '.join(PROFILES)})")
    if job_start_delay < 0:
        raise UsageError("the job start delay must be zero or more seconds")
    limits = parse_rate_limits(rate_limits or "", profile=profile)
    # Built now, not on the first request: a broken install fails here, and no request pays for it.
    for spec, schema in REQUEST_SCHEMAS:
        validator(spec, schema)
    data = tenant if tenant is not None else demo_tenant()
    store = Store(Path(db_path) if db_path is not None else None)
    reference = ReferenceData(data)
    state = MockState(
        access_key=access_key,
        store=store,
        tenant=data,
        reference=reference,
        limiter=RateLimiter(limits),
        jobs=JobRunner(store, job_processor(reference, profile)),
        profile=profile,
        job_start_delay=job_start_delay,
        max_body_bytes=max_body_bytes,
        shared_secret=shared_secret or "",
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        state.ensure_started()
        try:
            yield
        finally:
            await run_in_threadpool(state.jobs.stop)
            store.close()

    app = Starlette(
        routes=build_routes(OPERATIONS),
        exception_handlers={HTTPException: _http_error},
        lifespan=lifespan,
    )
    app.state.mock = state
    return app
