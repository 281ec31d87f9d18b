"""Bulk jobs of the independent tenant: submitted, then in progress for a while, then completed (or aborted).

Jobs move forward when the tenant is asked something, not on a timer: every request first advances
each job by the time that has passed, and a status read while a job is INPROGRESS counts as one of
its progress polls. A job's records are checked and saved at the moment it completes.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from .records import insert_records, update_records
from .state import TenantState
from .store import Job

__all__ = ["abort", "advance_all", "status_data", "submit"]

TERMINAL = frozenset({"COMPLETED", "ABORTED", "FAILED"})


def submit(state: TenantState, operation: str, body: dict[str, Any], identifier: str | None) -> Job:
    """Register a bulk save (``insert``) or update; it starts SUBMITTED."""
    job = Job(id=str(uuid.uuid4()), operation=operation, identifier=identifier, body=body, submitted=state.clock())
    state.store.jobs[job.id] = job
    return job


def _complete(state: TenantState, job: Job) -> None:
    records, lookups = job.body.get("records", []), job.body.get("lookups") or {}
    if job.operation == "insert":
        # The Company-context flaw is the single save's alone: bulk jobs keep that promise.
        flaws = dataclasses.replace(state.flaws, reject_company_saves=False)
        outcome = insert_records(state.store, records, lookups, flaws)
    else:
        outcome = update_records(state.store, records, lookups, job.identifier or "activityid")
    job.status = "COMPLETED"
    job.success_count, job.failed_count = outcome.success_count, outcome.failed_count
    job.successes, job.failures = outcome.success, outcome.failures


def advance(state: TenantState, job: Job, *, polled: bool = False) -> None:
    """Move ``job`` on by the time passed; ``polled`` counts a status read while it is INPROGRESS."""
    if job.status in TERMINAL:
        return
    elapsed = state.clock() - job.submitted
    timing = state.timing
    if job.status == "SUBMITTED" and elapsed >= timing.submitted_seconds:
        job.status = "INPROGRESS"
    if job.status != "INPROGRESS" or state.flaws.jobs_never_finish:
        return
    if job.progress_polls >= timing.progress_polls or elapsed >= timing.finish_seconds:
        _complete(state, job)
    elif polled:
        job.progress_polls += 1


def advance_all(state: TenantState) -> None:
    """Advance every unfinished job (called before each request is handled)."""
    for job in list(state.store.jobs.values()):
        advance(state, job)


def status_data(job: Job) -> dict[str, Any]:
    """The ``data`` of a job-status answer; failures and successes stay null until the job has completed."""
    return {
        "jobId": job.id,
        "status": job.status,
        "failedCount": job.failed_count,
        "successCount": job.success_count,
        "failures": job.failures,
        "successes": job.successes,
    }


def abort(state: TenantState, job: Job) -> dict[str, Any]:
    """Abort a job still SUBMITTED; any other job is left alone and its state reported."""
    if state.flaws.abort_lies:
        return {"message": "Job has been aborted", "status": "ABORTED"}
    if job.status == "SUBMITTED":
        job.status = "ABORTED"
        return {"message": "Job has been aborted", "status": "ABORTED"}
    return {"message": "Job could not be aborted", "status": job.status}
