"""Live-tenant safety: remember what a run created, and delete it at the end, even after a failure.

The :class:`Journal` watches every answer the guard passes back (it is one of the guard's observers):
activity ids a save returns, job ids a bulk save returns, and the prefixed ExternalIds the run sent.
:func:`cleanup` then waits for the run's jobs, finds every activity carrying the run's ExternalIds (which
catches records whose save answer was lost), and deletes them. Its requests spend the budget's reserve,
so a run that used up its budget can still clean up.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ...gainsight.operations import DELETE, JOB_STATUS, QUERY
from ..transport.answers import activity_gsid, returned_fields
from ..transport.guard import CLEANUP_HEADER, Seen
from .client import NotSent, ScenarioClient

__all__ = ["CleanupReport", "Journal", "cleanup"]

_CHUNK = 100


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None


class Journal:
    """What a live run created, gathered from the answers the guard saw."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.gsids: set[str] = set()
        self.jobs: set[str] = set()
        self.external_ids: set[str] = set()
        self.deleted: set[str] = set()
        self._lock = threading.Lock()

    def observe(self, seen: Seen) -> None:
        """Note what one answered request created or deleted (saves, bulk saves and updates, deletes)."""
        path = seen.path.rstrip("/")
        if path not in {"/v1/ant/es/activity", "/v1/ant/es/activity/bulk"}:
            return
        sent, answer = _json(seen.request_body), _json(seen.response_body)
        with self._lock:
            if seen.method == "DELETE":
                if isinstance(answer, list):
                    echoed = {str(g) for g in answer}
                    self.gsids.difference_update(echoed)
                    self.deleted.update(echoed)
                return
            if seen.method not in {"POST", "PUT"}:
                return
            records = sent.get("records") if isinstance(sent, dict) else None
            # A generated body may hold anything under "records" (false, 5): only a list has records.
            for record in records if isinstance(records, list) else []:
                external_id = record.get("ExternalId") if isinstance(record, dict) else None
                if isinstance(external_id, str) and external_id.startswith(self.prefix):
                    self.external_ids.add(external_id)
            data = answer.get("data") if isinstance(answer, dict) and seen.status == 200 else None
            if not isinstance(data, dict):
                return
            if isinstance(data.get("jobId"), str):
                self.jobs.add(data["jobId"])
            for items in (data.get("success") or {}).values() if isinstance(data.get("success"), dict) else []:
                for item in items if isinstance(items, list) else []:
                    gsid = item.get("activityId") if isinstance(item, dict) else item
                    if isinstance(gsid, str):
                        self.gsids.add(gsid)


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
    condition = {"name": field, "alias": "A", "value": values, "operator": "IN"}
    return {"select": ["Gsid", "ExternalId"], "where": {"conditions": [condition], "expression": "A"}, "limit": 5000}


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
