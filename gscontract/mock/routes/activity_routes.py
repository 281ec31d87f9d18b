"""Timeline activities: single save and update, bulk save and update (as jobs), delete, and fetch deleted."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from ...gainsight.operations import BULK_SAVE, BULK_UPDATE, DELETE, FETCH_DELETED, SAVE, TIMELINE_OBJECT, UPDATE
from ...payload.kinds import IDENTIFIERS, Kind
from ..endpoint import Call, Operation
from ..http import BodyError, JSONResponse, data_body, timeline_body
from ..ids import iso_from_ms, new_uuid, now_ms, parse_iso_ms
from ..records import Outcome, apply, prepare
from ..rule_runner import reject_envelope, reject_errors
from ..statements import DeletionRow

__all__ = ["OPERATIONS"]

_DELETE = ("timeline", "DeleteRequest")
_DELETED = ("timeline", "FetchDeletedRequest")


async def _synchronous(call: Call, kind: Kind, identifier: str | None) -> Response:
    """Save or update the records at once: ``data.success`` and ``data.failures`` keyed by ExternalId."""
    state = call.state

    def work() -> Outcome:
        plan = prepare(
            call.body, kind, identifier=identifier, tenant=state.tenant, profile=state.profile, defer=call.small
        )
        with state.store.write() as tx:
            return apply(tx, plan, state.reference)

    outcome = await state.run(work, inline=call.small)
    data = {"failures": outcome.failures.listed, "success": outcome.success}
    return JSONResponse(timeline_body(data, message=outcome.failures.summary(outcome.failed_count)))


async def save(call: Call) -> Response:
    """Single save: synchronous, ``data.success`` and ``data.failures`` keyed by ExternalId."""
    return await _synchronous(call, Kind.TIMELINE_INSERT, None)


async def update(call: Call) -> Response:
    """Single update by ``identifier``, as the bulk update matches records, answered as the single save."""
    return await _synchronous(call, Kind.TIMELINE_UPDATE, _identifier(call))


def _identifier(call: Call) -> str:
    given = call.request.query_params.get("identifier")
    if given is None:
        return "activityid"  # the document: no identifier means the activity id
    if given not in IDENTIFIERS:
        raise BodyError(400, f"identifier must be one of {', '.join(IDENTIFIERS)}, not {given!r}")
    return given


async def _submit(call: Call, kind: Kind, identifier: str | None) -> dict[str, Any]:
    state = call.state

    def work() -> tuple[str, int]:
        reject_envelope(call.body, kind, identifier=identifier, tenant=state.tenant, profile=state.profile)
        job_id, now = new_uuid(), now_ms()
        due = now + round(state.job_start_delay * 1000)
        with state.store.write() as tx:
            tx.insert_job(
                job_id=job_id,
                operation="insert" if kind is Kind.TIMELINE_INSERT else "update",
                identifier=identifier,
                payload=call.raw,
                now=now,
                due_ms=due,
            )
        return job_id, due

    job_id, due = await state.run(work, inline=call.small)
    state.jobs.schedule(job_id, due)
    return {"jobId": job_id}


async def bulk_save(call: Call) -> Response:
    """Bulk save: answers at once with a job; the endpoint hints carry no ``v1/`` prefix, as documented."""
    data = await _submit(call, Kind.TIMELINE_INSERT, None)
    job_id = data["jobId"]
    data.update(
        jobAbortEndPoint=f"ant/es/job/abort/{job_id}",
        jobStatusEndPoint=f"ant/es/job/status/{job_id}",
        status="SUBMITTED",
    )
    return JSONResponse(timeline_body(data))


async def bulk_update(call: Call) -> Response:
    """Bulk update by ``identifier`` (externalid or activityid, default activityid): answers with a job."""
    data = await _submit(call, Kind.TIMELINE_UPDATE, _identifier(call))
    data["status"] = "SUBMITTED"
    return JSONResponse(timeline_body(data))


async def delete(call: Call) -> Response:
    """Delete by activity ids; the answer echoes the ids that were deleted (unknown ids are left out)."""
    state = call.state
    body = call.body

    def work() -> list[str]:
        reject_errors(body, Kind.TIMELINE_DELETE, schema=_DELETE, tenant=state.tenant, profile=state.profile)
        with state.store.write() as tx:
            return tx.delete_activities(body, now=now_ms())

    return JSONResponse(await state.run(work, inline=call.small))


def _date_range(body: Any) -> tuple[int, int]:
    """The range's ends in epoch milliseconds (the body has passed TL62x and the spec schema)."""
    values = body["filter"]["dateFilter"]["values"]
    bounds = [parse_iso_ms(v) for v in values]
    if bounds[0] is None or bounds[1] is None:
        raise BodyError(400, f"filter.dateFilter.values {values!r} are not ISO 8601 date-times with offsets")
    return bounds[0], bounds[1]


def _deletion(row: DeletionRow) -> dict[str, Any]:
    """One entry of the deleted-record log, in the shape of Gainsight's data APIs, plus the ExternalId.

    The Timeline document shows no answer for fetch deleted; Gainsight's "Retrieve Deleted Data" API
    (``record_delete_log``) names a deletion by ``RecordId``, ``DeletedOn`` and ``ObjectName``, so the mock
    answers that, and adds the ExternalId a client needs to match the deletion to its own records.
    """
    return {
        "RecordId": row.gsid,
        "DeletedOn": iso_from_ms(row.deleted_ms),
        "ObjectName": TIMELINE_OBJECT,
        "ExternalId": row.external_id,
    }


async def fetch_deleted(call: Call) -> Response:
    """Activities deleted within the date range, both ends inclusive, as deleted-record log entries."""
    state = call.state

    def judge() -> tuple[int, int]:
        kind = Kind.TIMELINE_DELETED_FILTER
        reject_errors(call.body, kind, schema=_DELETED, tenant=state.tenant, profile=state.profile)
        return _date_range(call.body)

    start, end = await state.run(judge, inline=call.small)

    def work() -> list[dict[str, Any]]:
        with state.store.read() as tx:
            rows = tx.deletions_between(start, end)
        return [_deletion(r) for r in rows]

    records = await state.run(work)
    return JSONResponse(data_body({"records": records}))


OPERATIONS = (
    Operation.serving(SAVE, save),
    Operation.serving(UPDATE, update),
    Operation.serving(DELETE, delete),
    Operation.serving(BULK_SAVE, bulk_save),
    Operation.serving(BULK_UPDATE, bulk_update),
    Operation.serving(FETCH_DELETED, fetch_deleted),
)
