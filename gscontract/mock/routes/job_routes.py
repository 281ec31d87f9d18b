"""Bulk job status and abort, and the processing step the job runner calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from starlette.responses import Response

from ...gainsight.operations import ABORT, JOB_STATUS
from ...payload.kinds import Kind
from ..endpoint import Call, Operation
from ..http import JSONResponse, timeline_body
from ..jobs import JobOutcome
from ..records import apply, prepare
from ..statements import JobRow, Tx
from ..tenantview import ReferenceData

__all__ = ["OPERATIONS", "job_processor"]

_INCORRECT = timeline_body(None, result=False, message="Incorrect job id")


def job_processor(reference: ReferenceData, profile: str) -> Callable[[JobRow], Callable[[Tx], JobOutcome]]:
    """What the job runner does with a job: check its records, then save them in the job's transaction."""

    def process(job: JobRow) -> Callable[[Tx], JobOutcome]:
        kind = Kind.TIMELINE_INSERT if job.operation == "insert" else Kind.TIMELINE_UPDATE
        document = orjson.loads(job.payload or b"{}")
        plan = prepare(document, kind, identifier=job.identifier, tenant=reference.data, profile=profile)

        def save(tx: Tx) -> JobOutcome:
            outcome = apply(tx, plan, reference)
            return outcome.success_count, outcome.failed_count, outcome.job_result()

        return save

    return process


def _status_body(job: JobRow) -> dict[str, Any]:
    result = orjson.loads(job.result) if job.result else {}
    data = {
        "jobId": job.id,
        "status": job.status,
        "failedCount": job.failed_count,
        "successCount": job.success_count,
        # Null until the job has finished, as in the document's FAILED sample.
        "failures": result.get("failures"),
        "successes": result.get("successes"),
    }
    # A finished job names the failed records its failures leave out (see mock/failures.py).
    return timeline_body(data, message=result.get("unlisted"))


async def status(call: Call) -> Response:
    """A job's status; an unknown id answers 200 with ``result: false`` and "Incorrect job id"."""
    state, job_id = call.state, call.path_param("jobId")

    def work() -> JobRow | None:
        with state.store.read() as tx:
            return tx.job(job_id)

    job = await state.run(work, inline=True)
    if job is None:
        return JSONResponse(_INCORRECT)
    return JSONResponse(_status_body(job))


async def abort(call: Call) -> Response:
    """Abort a job that has not started; otherwise "Job could not be aborted" with its current status."""
    state, job_id = call.state, call.path_param("jobId")

    def work() -> tuple[bool, str | None]:
        with state.store.write() as tx:
            job = tx.job(job_id)
            if job is None:
                return False, None
            aborted = tx.move_job(job_id, from_status="SUBMITTED", to_status="ABORTED")
            return aborted, "ABORTED" if aborted else job.status

    aborted, current = await state.run(work, inline=True)
    if current is None:
        return JSONResponse(_INCORRECT)
    message = "Job has been aborted" if aborted else "Job could not be aborted"
    return JSONResponse(timeline_body({"message": message, "status": current}))


OPERATIONS = (Operation.serving(JOB_STATUS, status), Operation.serving(ABORT, abort))
