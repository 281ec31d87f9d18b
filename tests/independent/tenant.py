"""The independent Gainsight tenant: a Starlette app built from the Timeline and Events documents alone.

:func:`create_tenant` makes a fresh tenant with its own in-memory state. Every operation checks the
``accesskey`` header first (missing or wrong: HTTP 400, GSOBJ_1024 "Invalid authorization headers"),
then its rate-limit group (HTTP 429 with ``Retry-After`` when spent; every answer of a limited group
carries ``X-RateLimit-Limit`` and ``X-RateLimit-Remaining``), then reads the body (over the size limit:
413; not the JSON the operation takes: 400). Record problems answer HTTP 200 with the record under
``data.failures`` (single save) or in the job status (bulk).
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import events, publishing
from .data import OBJECTS
from .dates import datetime_ms, iso_utc
from .envelopes import BodyError, data_body, error_response, read_json, timeline_body
from .jobs import abort, advance, advance_all, status_data, submit
from .options import DEFAULT_QUOTAS, MAX_BODY_BYTES, Flaws, JobTiming, Quota
from .query import QueryError, parse_query, run_query
from .ratelimit import Limiter
from .records import insert_records
from .state import TenantState

__all__ = ["create_tenant"]

Handler = Callable[[TenantState, Request, Any], Awaitable[Response]]
_INCORRECT_JOB = timeline_body(None, result=False, message="Incorrect job id")
# The newer documents add ``gsid`` as a spelling of the activity id; no identifier means the activity id.
_IDENTIFIERS = {"externalid": "externalid", "activityid": "activityid", "gsid": "activityid"}


def _records_envelope(body: Any) -> tuple[list[Any], Mapping[str, Any]]:
    if not isinstance(body, dict) or not isinstance(body.get("records"), list):
        raise BodyError(400, "The body must be an object with a records array")
    lookups = body.get("lookups")
    if lookups is not None and not isinstance(lookups, dict):
        raise BodyError(400, "lookups must be an object")
    return body["records"], lookups or {}


async def save(state: TenantState, request: Request, body: Any) -> Response:
    """Single save: synchronous; each record under ``data.success`` or ``data.failures``."""
    records, lookups = _records_envelope(body)
    outcome = insert_records(state.store, records, lookups, state.flaws)
    return JSONResponse(timeline_body({"failures": outcome.failures, "success": outcome.success}))


async def bulk_save(state: TenantState, request: Request, body: Any) -> Response:
    """Bulk save: a job ticket; the endpoint hints carry no ``v1/`` prefix, as in the document."""
    _records_envelope(body)
    job = submit(state, "insert", body, None)
    data = {
        "jobId": job.id,
        "jobAbortEndPoint": f"ant/es/job/abort/{job.id}",
        "jobStatusEndPoint": f"ant/es/job/status/{job.id}",
        "status": job.status,
    }
    return JSONResponse(timeline_body(data))


async def bulk_update(state: TenantState, request: Request, body: Any) -> Response:
    """Bulk update by ``identifier`` (externalid, or activityid by default): a job ticket."""
    given = request.query_params.get("identifier")
    identifier = _IDENTIFIERS.get((given or "activityid").casefold())
    if identifier is None:
        raise BodyError(400, f"identifier must be externalid or activityid, not {given!r}")
    _records_envelope(body)
    job = submit(state, "update", body, identifier)
    return JSONResponse(timeline_body({"jobId": job.id, "status": job.status}))


async def delete(state: TenantState, request: Request, body: Any) -> Response:
    """Delete by activity ids: a bare array of the ids that were deleted (unknown ids are left out)."""
    if not isinstance(body, list) or not all(isinstance(gsid, str) for gsid in body):
        raise BodyError(400, "The body must be an array of activity ids")
    return JSONResponse(state.store.delete(body, keep_readable=state.flaws.delete_keeps_records))


def _range(body: Any) -> tuple[int, int]:
    found = body.get("filter") if isinstance(body, dict) else None
    date_filter = found.get("dateFilter") if isinstance(found, dict) else None
    if not isinstance(date_filter, dict) or not isinstance(date_filter.get("dateLiteral"), str):
        raise BodyError(400, "filter.dateFilter.dateLiteral is required")
    if date_filter["dateLiteral"].upper() != "CUSTOM":
        raise BodyError(400, f"dateLiteral {date_filter['dateLiteral']!r} is not supported; use CUSTOM")
    values = date_filter.get("values")
    ends = [datetime_ms(v) if isinstance(v, str) else None for v in values] if isinstance(values, list) else []
    if len(ends) != 2 or ends[0] is None or ends[1] is None:
        raise BodyError(400, "filter.dateFilter.values must be two ISO 8601 date-times")
    return ends[0], ends[1]


async def fetch_deleted(state: TenantState, request: Request, body: Any) -> Response:
    """Deletions in the range, both ends inclusive, in the shape of Gainsight's deleted-record log."""
    start, end = _range(body)
    records = [
        {"RecordId": d.gsid, "DeletedOn": iso_utc(d.deleted_ms), "ObjectName": "activity_timeline"}
        for d in state.store.deletions
        if start <= d.deleted_ms <= end
    ]
    return JSONResponse(data_body({"records": records}))


async def read(state: TenantState, request: Request, body: Any) -> Response:
    """The read API: activities, or (read-only) this tenant's reference objects by name."""
    name = request.path_params["object_name"].casefold()
    if name == "activity_timeline":
        rows = state.store.live()
    elif name in OBJECTS:
        rows = [dict(row) for row in OBJECTS[name]]
    else:
        raise BodyError(400, f"Unknown object {request.path_params['object_name']!r}")
    try:
        query = parse_query(body)
    except QueryError as exc:
        raise BodyError(400, str(exc)) from None
    return JSONResponse(data_body({"records": run_query(query, rows)}))


async def job_status(state: TenantState, request: Request, body: Any) -> Response:
    """A job's status; an unknown id answers 200 with ``result: false`` and "Incorrect job id"."""
    job = state.store.jobs.get(request.path_params["job_id"])
    if job is None:
        return JSONResponse(_INCORRECT_JOB)
    advance(state, job, polled=True)
    return JSONResponse(timeline_body(status_data(job)))


async def abort_job(state: TenantState, request: Request, body: Any) -> Response:
    """Abort a SUBMITTED job; otherwise "Job could not be aborted" with the job's status."""
    job = state.store.jobs.get(request.path_params["job_id"])
    if job is None:
        return JSONResponse(_INCORRECT_JOB)
    return JSONResponse(timeline_body(abort(state, job)))


def _has_key(state: TenantState, request: Request) -> bool:
    key = request.headers.get("accesskey") or ""
    return bool(key) and hmac.compare_digest(key.encode(), state.access_key.encode())


def _endpoint(
    group: str,
    handler: Handler,
    *,
    reads_body: bool,
    authorized: Callable[[TenantState, Request], bool] = _has_key,
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        state: TenantState = request.app.state.tenant
        advance_all(state)
        if not authorized(state, request):
            looked = state.limiter.peek(group)
            headers = looked.headers() if looked else None
            return error_response(400, "Invalid authorization headers", code="GSOBJ_1024", headers=headers)
        verdict = state.limiter.hit(group)
        limit_headers = verdict.headers() if verdict else {}
        if verdict is not None and not verdict.allowed:
            desc = f"Too many requests: {verdict.limit} {group} calls allowed; retry after {verdict.retry_after} s"
            return error_response(429, desc, headers=limit_headers)
        try:
            body = await read_json(request, state.max_body_bytes) if reads_body else None
            response = await handler(state, request, body)
        except BodyError as exc:
            response = error_response(exc.status, exc.desc)
        response.headers.update(limit_headers)
        return response

    return endpoint


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return error_response(404, f"Invalid API path: {request.url.path}", code="GSOBJ_1023")
    return error_response(exc.status_code, str(exc.detail), headers=exc.headers)


_ROUTES: tuple[tuple[str, str, str, Handler, bool], ...] = (
    ("POST", "/v1/ant/es/activity", "single", save, True),
    ("DELETE", "/v1/ant/es/activity", "single", delete, True),
    ("POST", "/v1/ant/es/activity/bulk", "bulk", bulk_save, True),
    ("PUT", "/v1/ant/es/activity/bulk", "bulk", bulk_update, True),
    ("POST", "/v1/ant/es/activity/deleted", "query", fetch_deleted, True),
    ("POST", "/v1/data/objects/query/{object_name}", "query", read, True),
    ("GET", "/v1/ant/es/job/status/{job_id}", "query", job_status, False),
    ("PUT", "/v1/ant/es/job/abort/{job_id}", "single", abort_job, False),
    ("POST", "/v1/events", "events", events.publish, True),
    ("POST", "/v1/events/bulk", "events", events.publish_bulk, True),
    ("GET", "/v1/events/types", "events", events.event_types, False),
)
# The Events Framework's publisher authenticates with its shared secret and tenant id, not the access key.
_PUBLISH = ("POST", "/{version}/api/eventManager/event", "events", publishing.publish, True)


def create_tenant(
    *,
    access_key: str,
    quotas: Mapping[str, Quota] | None = None,
    timing: JobTiming | None = None,
    flaws: Flaws | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
    clock: Callable[[], float] = time.monotonic,
    shared_secret: str | None = None,
) -> Starlette:
    """A fresh independent tenant.

    Args:
        access_key: the one key accepted in the ``accesskey`` header.
        quotas: rate limits by group (``single``, ``bulk``, ``query``, ``events``); ``None`` for the
            defaults (200/minute single, 12/hour bulk with 6 already spent, 100/minute query and
            events); ``{}`` for none.
        timing: how bulk jobs progress (default: SUBMITTED 0.5 s, INPROGRESS for 3 status reads,
            completed within 3 s).
        flaws: promises to break (the broken variants); none by default.
        max_body_bytes: the largest request body accepted (80,000,000 bytes by default).
        clock: monotonic seconds, for rate windows and job progress.
        shared_secret: the Events Framework publisher's ``sharedSecret``; the access key by default.

    Raises:
        ValueError: an empty key or an unknown rate-limit group.
    """
    if not access_key:
        raise ValueError("the access key must not be empty")
    chosen = DEFAULT_QUOTAS if quotas is None else quotas
    unknown = set(chosen) - {"single", "bulk", "query", "events"}
    if unknown:
        raise ValueError(f"unknown rate-limit group(s): {', '.join(sorted(unknown))}")
    state = TenantState(
        access_key=access_key,
        limiter=Limiter(chosen, clock),
        timing=timing or JobTiming(),
        flaws=flaws or Flaws(),
        max_body_bytes=max_body_bytes,
        clock=clock,
        shared_secret=shared_secret or access_key,
    )
    routes = [
        Route(path, _endpoint(group, handler, reads_body=body), methods=[method])
        for method, path, group, handler, body in _ROUTES
    ]
    method, path, group, handler, body = _PUBLISH
    routes.append(
        Route(path, _endpoint(group, handler, reads_body=body, authorized=publishing.authorized), methods=[method])
    )
    app = Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
    app.state.tenant = state
    return app
