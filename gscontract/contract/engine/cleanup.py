"""Live-tenant safety: delete what a run created at its end, even after a failure.

The :class:`~gscontract.contract.transport.journal.Journal` notes what the run created; :func:`cleanup`
waits for the run's jobs, finds every activity carrying the run's ExternalIds (which catches records whose
save answer was lost), and deletes them. Its requests spend the budget's reserve,
so a run that used up its budget can still clean up.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ...gainsight.limits import QUERY_ROW_LIMIT
from ...gainsight.operations import DELETE, JOB_STATUS, QUERY
from ...gainsight.operators import IN
from ..transport.answers import activity_gsid, returned_fields
from ..transport.calls import NotSent
from ..transport.guard import CLEANUP_HEADER
from ..transport.journal import Journal
from .client import ScenarioClient

__all__ = ["CleanupReport", "cleanup"]

_CHUNK = 100


@dataclass
class CleanupReport:
    """What cleanup deleted and what it had to leave behind (ids, and why)."""

    deleted: set[str] = field(default_factory=set)
    left: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


def _chunks(items: Iterable[str], size: int = _CHUNK) -> Iterable[list[str]]:
    batch: list[str] = []
    for item in sorted(items):
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _query(field: str, values: list[str]) -> dict[str, Any]:
    """A query for the activities whose ``field`` is one of ``values``."""
    condition = {"name": field, "alias": "A", "value": values, "operator": IN}
    where = {"conditions": [condition], "expression": "A"}
    return {"select": ["Gsid", "ExternalId"], "where": where, "limit": QUERY_ROW_LIMIT}


def cleanup(client: ScenarioClient, journal: Journal, *, job_timeout: float, poll_interval: float) -> CleanupReport:
    """Delete every activity the run created; never raises (what it cannot delete is reported)."""
    report = CleanupReport()
    headers = {CLEANUP_HEADER: "1"}
    gsids = set(journal.gsids)

    def call(operation: str, **kwargs: Any) -> Any:
        return client.call(operation, headers=headers, validate=False, **kwargs)

    try:
        deadline = time.monotonic() + job_timeout
        for job in sorted(journal.jobs):
            while True:
                status = call(JOB_STATUS, path_parameters={"jobId": job})
                data = status.data if isinstance(status.data, dict) else {}
                if data.get("status") in {"COMPLETED", "FAILED", "ABORTED"} or time.monotonic() > deadline:
                    break
                time.sleep(poll_interval)
            for key in data.get("successes") or {}:
                gsid = activity_gsid(status, key, field="successes")
                if gsid:
                    gsids.add(gsid)
        for batch in _chunks(journal.external_ids):
            found = call(QUERY, body=_query("ExternalId", batch))
            gsids.update(str(row["Gsid"]) for row in returned_fields(found) if row.get("Gsid"))
        gsids -= journal.deleted  # the run's own deletes (job successes are read after them)
        for batch in _chunks(gsids):
            answer = call(DELETE, body=batch)
            echoed = {str(g) for g in answer.body} if isinstance(answer.body, list) else set()
            report.deleted.update(echoed & set(batch))
        # An id the delete did not echo may be gone already; only one that can still be read is left.
        for batch in _chunks(gsids - report.deleted):
            found = call(QUERY, body=_query("Gsid", batch))
            report.left.update(str(row["Gsid"]) for row in returned_fields(found) if row.get("Gsid"))
    except NotSent as exc:
        report.problems.append(f"cleanup stopped: {exc}")
        report.left |= gsids - report.deleted
    except Exception as exc:  # cleanup must report, never mask the run's own outcome
        report.problems.append(f"cleanup failed: {type(exc).__name__}: {exc}")
        report.left |= gsids - report.deleted
    return report
