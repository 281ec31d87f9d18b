"""The upload journal: a SQLite file that records every request, job id and per-record verdict as it happens.

Each state change is committed before the next step starts, so after a crash, a SIGKILL or Ctrl-C the
journal says exactly which requests went out, which jobs the tenant accepted, and which records have a
verdict. ``gscontract upload --resume JOURNAL`` reads it back (:func:`gscontract.upload.resume_upload`).

A request is written as ``sending`` before it leaves and ``submitted`` (with its job id) once the tenant
answered; one still ``sending`` after a crash may or may not have reached the tenant, so its records are
settled by reading them back, never by sending them again blindly.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .plan import Batch

__all__ = ["ACCEPTED", "FAILED", "HELD", "Journal", "RecordRow", "Verdict"]

ACCEPTED = "accepted"
FAILED = "failed"
HELD = "held"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS batches (
    number INTEGER PRIMARY KEY, path TEXT NOT NULL, operation TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, size INTEGER NOT NULL,
    state TEXT NOT NULL, job_id TEXT, note TEXT
);
CREATE TABLE IF NOT EXISTS records (
    path TEXT NOT NULL, idx INTEGER NOT NULL, external_id TEXT, line INTEGER, col INTEGER,
    batch INTEGER, verdict TEXT, code TEXT, message TEXT, how TEXT,
    PRIMARY KEY (path, idx)
);
CREATE INDEX IF NOT EXISTS records_by_batch ON records (batch);
CREATE TABLE IF NOT EXISTS calls ("group" TEXT NOT NULL, at REAL NOT NULL);
"""


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the tenant made of one record: ``accepted`` or ``failed`` (with its code), and how we know."""

    verdict: str
    code: str | None = None
    message: str | None = None
    how: str = "job status"


@dataclass(frozen=True, slots=True)
class RecordRow:
    """One record as the journal holds it."""

    path: str
    index: int
    external_id: str | None
    line: int | None
    column: int | None
    batch: int | None
    verdict: str | None
    code: str | None
    message: str | None
    how: str | None


class Journal:
    """One upload's journal file; every method commits what it wrote before it returns."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # The default isolation opens a transaction before each write, so ``with self._db`` commits a step's
        # rows in one fsync rather than one per row.
        self._db = sqlite3.connect(path)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")  # a verdict written is a verdict kept, even on power loss
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the file."""
        self._db.close()

    def set_meta(self, values: dict[str, Any]) -> None:
        """Store the upload's settings (target, files, options) as JSON values."""
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)", [(k, json.dumps(v)) for k, v in values.items()]
            )

    def meta(self) -> dict[str, Any]:
        """The settings :meth:`set_meta` stored."""
        return {k: json.loads(v) for k, v in self._db.execute("SELECT key, value FROM meta")}

    def add_records(self, rows: Iterable[tuple[str, int, str | None, int | None, int | None]]) -> None:
        """Record every record of the upload: path, index, ExternalId, line and column (no verdict yet)."""
        with self._db:
            self._db.executemany(
                "INSERT OR IGNORE INTO records (path, idx, external_id, line, col) VALUES (?, ?, ?, ?, ?)", rows
            )

    def hold(self, path: str, indexes: Iterable[int], message: str) -> None:
        """Mark records held back (not sent) because the validator found errors in them."""
        with self._db:
            self._db.executemany(
                "UPDATE records SET verdict = ?, message = ?, how = 'validator' WHERE path = ? AND idx = ?",
                [(HELD, message, path, i) for i in indexes],
            )

    def add_batches(self, batches: Iterable[Batch]) -> None:
        """Record planned requests and tie each record to its request."""
        with self._db:
            for b in batches:
                self._db.execute(
                    "INSERT INTO batches VALUES (?, ?, ?, ?, ?, ?, 'planned', NULL, NULL)",
                    (b.number, b.path, b.operation, b.start, b.end, b.size),
                )

    def assign(self, number: int, path: str, indexes: Iterable[int]) -> None:
        """Tie records to the request ``number`` that carries them."""
        with self._db:
            self._db.executemany(
                "UPDATE records SET batch = ? WHERE path = ? AND idx = ?", [(number, path, i) for i in indexes]
            )

    def batches(self, *, state: str | None = None) -> list[tuple[Batch, str, str | None]]:
        """Requests in order, each with its state and job id; only those in ``state`` when given."""
        sql = 'SELECT number, path, operation, start, "end", size, state, job_id FROM batches'
        args: tuple[str, ...] = ()
        if state is not None:
            sql, args = sql + " WHERE state = ?", (state,)
        rows = self._db.execute(sql + " ORDER BY number", args).fetchall()
        return [(Batch(*row[:6]), row[6], row[7]) for row in rows]

    def next_number(self) -> int:
        """The number a new request gets."""
        (top,) = self._db.execute("SELECT COALESCE(MAX(number), 0) FROM batches").fetchone()
        return int(top) + 1

    def set_state(self, number: int, state: str, *, job_id: str | None = None, note: str | None = None) -> None:
        """Move a request to ``state`` (``sending``, ``submitted``, ``settled``, ``aborted``)."""
        with self._db:
            self._db.execute(
                "UPDATE batches SET state = ?, job_id = COALESCE(?, job_id), note = COALESCE(?, note) WHERE number = ?",
                (state, job_id, note, number),
            )

    def settle(self, path: str, verdicts: dict[int, Verdict]) -> None:
        """Write the verdicts of records of ``path`` by index."""
        with self._db:
            self._db.executemany(
                "UPDATE records SET verdict = ?, code = ?, message = ?, how = ? WHERE path = ? AND idx = ?",
                [(v.verdict, v.code, v.message, v.how, path, i) for i, v in verdicts.items()],
            )

    def note_call(self, group: str) -> None:
        """Record a call counted against rate-limit ``group`` now (wall-clock time).

        A resume reads them back to know how much of each window the upload already spent.
        """
        with self._db:
            self._db.execute('INSERT INTO calls ("group", at) VALUES (?, ?)', (group, time.time()))

    def calls_since(self, seconds: float) -> list[tuple[str, float]]:
        """The calls of the last ``seconds``: each one's group and how many seconds ago it was made."""
        now = time.time()
        rows = self._db.execute('SELECT "group", at FROM calls WHERE at > ? ORDER BY at', (now - seconds,))
        return [(group, now - at) for group, at in rows]

    def records(self, *, batch: int | None = None) -> Iterator[RecordRow]:
        """Records in file order; only those of request ``batch`` when given."""
        sql = "SELECT path, idx, external_id, line, col, batch, verdict, code, message, how FROM records"
        if batch is None:
            cursor = self._db.execute(sql + " ORDER BY path, idx")
        else:
            cursor = self._db.execute(sql + " WHERE batch = ? ORDER BY path, idx", (batch,))
        for row in cursor:
            yield RecordRow(*row)
