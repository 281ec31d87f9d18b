"""Typed statements of the mock's store, run inside a transaction that :class:`~gscontract.mock.store.Store` opens.

Every SQL statement the mock runs is a method of :class:`Tx`; rows come back as frozen dataclasses.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

__all__ = ["PENDING", "ActivityRow", "DeletionRow", "JobRow", "Tx"]

# Jobs in these states still have work to do; a restart picks them up again.
PENDING = ("SUBMITTED", "INPROGRESS")


@dataclass(frozen=True, slots=True)
class ActivityRow:
    """One saved activity: its ids, timestamps and the stored fields (JSON bytes)."""

    seq: int
    gsid: str
    external_id: str | None
    created_ms: int
    modified_ms: int
    doc: bytes


@dataclass(frozen=True, slots=True)
class DeletionRow:
    """One deleted activity, for fetch-deleted."""

    gsid: str
    external_id: str | None
    deleted_ms: int


@dataclass(frozen=True, slots=True)
class JobRow:
    """One bulk job; ``payload`` is the request body until the job has run, ``result`` its outcome (JSON)."""

    id: str
    operation: str
    identifier: str | None
    status: str
    submitted_ms: int
    due_ms: int
    success_count: int
    failed_count: int
    payload: bytes | None
    result: bytes | None


_ACTIVITY_COLUMNS = "seq, gsid, external_id, created_ms, modified_ms, doc"
_JOB_COLUMNS = "id, operation, identifier, status, submitted_ms, due_ms, success_count, failed_count, payload, result"


class Tx:
    """Typed statements over one connection inside an open transaction."""

    __slots__ = ("_conn",)

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    # -- activities ---------------------------------------------------------------------------------

    def external_id_exists(self, external_id: str) -> bool:
        """Whether a saved (not deleted) activity has this ExternalId."""
        row = self._conn.execute("SELECT 1 FROM activities WHERE external_id = ?", (external_id,)).fetchone()
        return row is not None

    def activity_by_gsid(self, gsid: str) -> ActivityRow | None:
        """The saved activity with this activity id, if any."""
        row = self._conn.execute(f"SELECT {_ACTIVITY_COLUMNS} FROM activities WHERE gsid = ?", (gsid,)).fetchone()
        return ActivityRow(*row) if row else None

    def activity_by_external_id(self, external_id: str) -> ActivityRow | None:
        """The saved activity with this ExternalId, if any."""
        row = self._conn.execute(
            f"SELECT {_ACTIVITY_COLUMNS} FROM activities WHERE external_id = ?", (external_id,)
        ).fetchone()
        return ActivityRow(*row) if row else None

    def insert_activity(self, *, gsid: str, external_id: str | None, doc: bytes, now: int) -> bool:
        """Save a new activity; ``False`` when its ExternalId is taken (nothing is written then)."""
        cursor = self._conn.execute(
            "INSERT INTO activities (gsid, external_id, created_ms, modified_ms, doc) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (gsid, external_id, now, now, doc),
        )
        return cursor.rowcount == 1

    def replace_doc(self, *, gsid: str, doc: bytes, now: int) -> None:
        """Overwrite an activity's stored fields."""
        self._conn.execute("UPDATE activities SET doc = ?, modified_ms = ? WHERE gsid = ?", (doc, now, gsid))

    def activities(self, *, gsids: Sequence[str] = (), external_ids: Sequence[str] = ()) -> Iterator[ActivityRow]:
        """Saved activities in save order; narrowed to the given ids when either list is not empty."""
        if not gsids and not external_ids:
            cursor = self._conn.execute(f"SELECT {_ACTIVITY_COLUMNS} FROM activities ORDER BY seq")
        else:
            cursor = self._conn.execute(
                f"SELECT {_ACTIVITY_COLUMNS} FROM activities WHERE gsid IN (SELECT value FROM json_each(?)) "
                "OR external_id IN (SELECT value FROM json_each(?)) ORDER BY seq",
                (_json_list(gsids), _json_list(external_ids)),
            )
        for row in cursor:
            yield ActivityRow(*row)

    def delete_activities(self, gsids: Sequence[str], *, now: int) -> list[str]:
        """Delete the listed activities that exist; return their ids in the order given, each once."""
        deleted: list[str] = []
        for gsid in dict.fromkeys(gsids):
            row = self._conn.execute("DELETE FROM activities WHERE gsid = ? RETURNING external_id", (gsid,)).fetchone()
            if row is None:
                continue
            self._conn.execute(
                "INSERT INTO deletions (gsid, external_id, deleted_ms) VALUES (?, ?, ?)", (gsid, row[0], now)
            )
            deleted.append(gsid)
        return deleted

    def deletions_between(self, start_ms: int, end_ms: int) -> list[DeletionRow]:
        """Deletions whose time lies in ``[start_ms, end_ms]``, oldest first."""
        rows = self._conn.execute(
            "SELECT gsid, external_id, deleted_ms FROM deletions WHERE deleted_ms BETWEEN ? AND ? ORDER BY seq",
            (start_ms, end_ms),
        ).fetchall()
        return [DeletionRow(*row) for row in rows]

    # -- jobs ---------------------------------------------------------------------------------------

    def insert_job(
        self, *, job_id: str, operation: str, identifier: str | None, payload: bytes, now: int, due_ms: int
    ) -> None:
        """Record a submitted bulk job with its request body."""
        self._conn.execute(
            "INSERT INTO jobs (id, operation, identifier, status, submitted_ms, due_ms, payload) "
            "VALUES (?, ?, ?, 'SUBMITTED', ?, ?, ?)",
            (job_id, operation, identifier, now, due_ms, payload),
        )

    def job(self, job_id: str) -> JobRow | None:
        """A job by id, if any."""
        row = self._conn.execute(f"SELECT {_JOB_COLUMNS} FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return JobRow(*row) if row else None

    def move_job(self, job_id: str, *, from_status: str, to_status: str) -> bool:
        """Change a job's status only if it still has ``from_status``; whether it did."""
        cursor = self._conn.execute(
            "UPDATE jobs SET status = ? WHERE id = ? AND status = ?", (to_status, job_id, from_status)
        )
        return cursor.rowcount == 1

    def finish_job(
        self, job_id: str, *, status: str, success_count: int, failed_count: int, result: bytes | None, now: int
    ) -> None:
        """Store a job's outcome and drop its payload, which is no longer needed."""
        self._conn.execute(
            "UPDATE jobs SET status = ?, success_count = ?, failed_count = ?, result = ?, payload = NULL, "
            "finished_ms = ? WHERE id = ?",
            (status, success_count, failed_count, result, now, job_id),
        )

    def pending_jobs(self) -> list[tuple[str, int]]:
        """Ids and due times of the jobs that have not finished, in submission order."""
        marks = ", ".join("?" for _ in PENDING)
        rows = self._conn.execute(
            f"SELECT id, due_ms FROM jobs WHERE status IN ({marks}) ORDER BY submitted_ms, id", PENDING
        ).fetchall()
        return [(str(r[0]), int(r[1])) for r in rows]

    # -- events -------------------------------------------------------------------------------------

    def insert_events(self, events: Sequence[tuple[str, bytes]], *, now: int) -> None:
        """Store published events as ``(id, JSON bytes)`` pairs."""
        self._conn.executemany(
            "INSERT INTO events (id, received_ms, event) VALUES (?, ?, ?)", [(i, now, e) for i, e in events]
        )

    def insert_framework_event(self, event_id: str, event: bytes, *, now: int) -> None:
        """Store one accepted Events Framework event (its naming headers and payload, as JSON bytes)."""
        self._conn.execute(
            "INSERT INTO framework_events (id, received_ms, event) VALUES (?, ?, ?)", (event_id, now, event)
        )

    def framework_events(self) -> list[dict[str, Any]]:
        """Every accepted Events Framework event, oldest first, each with its ``id``."""
        rows = self._conn.execute("SELECT id, event FROM framework_events ORDER BY seq").fetchall()
        return [{"id": str(r[0]), **orjson.loads(r[1])} for r in rows]

    def count(self, table: str) -> int:
        """Rows in one of the store's tables (for tests and diagnostics)."""
        if table not in {"activities", "deletions", "jobs", "events", "framework_events"}:
            raise ValueError(f"unknown table {table!r}")
        return int(self._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _json_list(values: Sequence[str]) -> str:
    return orjson.dumps(list(values)).decode()
