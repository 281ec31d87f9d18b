"""In-memory state of one independent tenant: saved activities, the deletion log, bulk jobs and published events."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from .dates import now_ms

__all__ = ["Deletion", "Job", "Store", "new_gsid"]


def new_gsid() -> str:
    """A new activity id: 36 upper-case letters and digits starting ``1I00``, as the document's ids look."""
    return "1I00" + uuid.uuid4().hex.upper()


@dataclass(slots=True)
class Deletion:
    """One entry of the deletion log."""

    gsid: str
    deleted_ms: int


@dataclass(slots=True)
class Job:
    """A bulk save or update and where it has got to."""

    id: str
    operation: str  # "insert" or "update"
    identifier: str | None
    body: dict[str, Any]
    submitted: float  # monotonic seconds
    status: str = "SUBMITTED"
    progress_polls: int = 0
    success_count: int = 0
    failed_count: int = 0
    successes: dict[str, list[Any]] | None = None
    failures: dict[str, list[Any]] | None = None


@dataclass
class Store:
    """Everything the tenant holds; one per app, kept on ``app.state``."""

    activities: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Gsid -> stored fields (as sent, plus resolved lookups, Gsid, ExternalId and dates in epoch ms)."""
    hidden: set[str] = field(default_factory=set)
    """Gsids deleted but kept readable (a broken variant's flaw)."""
    deletions: list[Deletion] = field(default_factory=list)
    jobs: dict[str, Job] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    external_ids: dict[str, str] = field(default_factory=dict)
    """ExternalId -> Gsid of the live activities that have a string ExternalId (an index for duplicates)."""

    def live(self) -> list[dict[str, Any]]:
        """The activities a query sees, in the order they were saved."""
        return list(self.activities.values())

    def by_external_id(self, external_id: str) -> str | None:
        """The Gsid of the live activity with this ExternalId (exact match), or ``None``."""
        return self.external_ids.get(external_id)

    def insert(self, fields: dict[str, Any]) -> str:
        """Save a new activity; returns its Gsid. ``ActivityDate`` defaults to now."""
        gsid, now = new_gsid(), now_ms()
        row = {**fields, "Gsid": gsid, "CreatedDate": now, "LastModifiedDate": now}
        if row.get("ActivityDate") is None:
            row["ActivityDate"] = now
        self.activities[gsid] = row
        if isinstance(row.get("ExternalId"), str):
            # A duplicate saved anyway (a broken variant) takes the index; the first copy stays readable.
            self.external_ids[row["ExternalId"]] = gsid
        return gsid

    def update(self, gsid: str, fields: dict[str, Any]) -> None:
        """Merge ``fields`` into a saved activity (its Gsid, ExternalId and CreatedDate stay)."""
        row = self.activities[gsid]
        kept: dict[str, Any] = {k: row[k] for k in ("Gsid", "ExternalId", "CreatedDate") if k in row}
        row.update(fields)
        row.update(kept, LastModifiedDate=now_ms())
        if row.get("ActivityDate") is None:
            row["ActivityDate"] = kept["CreatedDate"]

    def delete(self, gsids: list[str], *, keep_readable: bool = False) -> list[str]:
        """Delete the activities among ``gsids`` (each once); returns the ids deleted, in the order given."""
        deleted: list[str] = []
        now = now_ms()
        for gsid in dict.fromkeys(gsids):  # each id once, in the order given
            if gsid in self.activities and gsid not in self.hidden:
                deleted.append(gsid)
                self.deletions.append(Deletion(gsid, now))
                external_id = self.activities[gsid].get("ExternalId")
                if isinstance(external_id, str) and self.external_ids.get(external_id) == gsid:
                    del self.external_ids[external_id]
                if keep_readable:
                    self.hidden.add(gsid)
                else:
                    del self.activities[gsid]
        return deleted
