"""The mock tenant's state in SQLite: activities, deletions, bulk jobs and events.

Every request works inside one transaction (:meth:`Store.write` or :meth:`Store.read`) and is answered
only after it commits, so a request is stored whole or not at all. The database runs in WAL mode, so
readers never wait for the writer; writers take the lock up front (``BEGIN IMMEDIATE``), so two
concurrent saves can never both pass a duplicate check and then both insert. Connections come from a
small pool, one per worker thread at a time.

Without a path the database lives in a temporary directory that :meth:`Store.close` removes: it is as
disposable as an in-memory database, but several connections (request threads and the job thread)
can share it, which SQLite's shared-cache memory databases handle badly under concurrent writes.
"""

from __future__ import annotations

import queue
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from ..errors import ConfigError

__all__ = ["ActivityRow", "DeletionRow", "JobRow", "Store", "Tx", "WouldBlock"]

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS activities (
    seq         INTEGER PRIMARY KEY,
    gsid        TEXT NOT NULL UNIQUE,
    external_id TEXT UNIQUE,
    created_ms  INTEGER NOT NULL,
    modified_ms INTEGER NOT NULL,
    doc         BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS deletions (
    seq         INTEGER PRIMARY KEY,
    gsid        TEXT NOT NULL,
    external_id TEXT,
    deleted_ms  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS deletions_by_time ON deletions (deleted_ms);
CREATE TABLE IF NOT EXISTS jobs (
    id            TEXT PRIMARY KEY,
    operation     TEXT NOT NULL,
    identifier    TEXT,
    status        TEXT NOT NULL,
    submitted_ms  INTEGER NOT NULL,
    due_ms        INTEGER NOT NULL,
    finished_ms   INTEGER,
    success_count INTEGER NOT NULL DEFAULT 0,
    failed_count  INTEGER NOT NULL DEFAULT 0,
    payload       BLOB,
    result        BLOB
);
CREATE INDEX IF NOT EXISTS jobs_pending ON jobs (status, due_ms);
CREATE TABLE IF NOT EXISTS events (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    received_ms INTEGER NOT NULL,
    event       BLOB NOT NULL
);
"""

# Jobs in these states still have work to do; a restart picks them up again.
PENDING = ("SUBMITTED", "INPROGRESS")


class WouldBlock(Exception):
    """A store call inside :meth:`Store.no_wait` would have had to wait for a lock or a connection."""


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

    def count(self, table: str) -> int:
        """Rows in one of the store's tables (for tests and diagnostics)."""
        if table not in {"activities", "deletions", "jobs", "events"}:
            raise ValueError(f"unknown table {table!r}")
        return int(self._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _json_list(values: Sequence[str]) -> str:
    return orjson.dumps(list(values)).decode()


class Store:
    """The SQLite database of one mock tenant, with a small pool of connections.

    Args:
        path: the database file; ``None`` for a throw-away database removed by :meth:`close`.
        pool_size: most connections open at once; a thread that finds none free waits for one.

    Raises:
        ConfigError: the file cannot be opened or is not a database of this mock.
    """

    def __init__(self, path: Path | None = None, *, pool_size: int = 8) -> None:
        self._tmpdir: str | None = None
        if path is None:
            self._tmpdir = tempfile.mkdtemp(prefix="gscontract-mock-")
            path = Path(self._tmpdir) / "mock.sqlite3"
        self.path = path
        self.durable = self._tmpdir is None
        self._pool: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._open: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._local = threading.local()
        self._pool_size = pool_size
        self._closed = False
        try:
            conn = self._connect()
            self._migrate(conn)
        except sqlite3.Error as exc:
            self.close()
            raise ConfigError(f"{path}: cannot open the mock database: {exc}") from None
        self._pool.put(conn)

    def _connect(self) -> sqlite3.Connection:
        # Autocommit mode: transactions are opened explicitly, so their boundaries are exactly ours.
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=60.0)
        conn.execute("PRAGMA journal_mode = WAL")
        # NORMAL in WAL mode: a commit survives the process being killed (the OS holds the write);
        # only a power cut could lose the last commits. A throw-away database needs no syncing at all.
        conn.execute(f"PRAGMA synchronous = {'NORMAL' if self.durable else 'OFF'}")
        with self._lock:
            self._open.append(conn)
        return conn

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(f"written by a newer gscontract (schema {version})")
        conn.executescript(_SCHEMA)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def no_wait(self) -> Iterator[None]:
        """Within this block, on this thread, a store call that would wait raises :class:`WouldBlock`.

        The server runs short requests on its event loop, where waiting for a lock held by a bulk job
        would stall every other request; those calls are retried on a worker thread instead.
        """
        self._local.no_wait = True
        try:
            yield
        finally:
            self._local.no_wait = False

    def _acquire(self, lock: threading.Lock) -> None:
        if getattr(self._local, "no_wait", False):
            if not lock.acquire(blocking=False):
                raise WouldBlock
        else:
            lock.acquire()

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        if self._closed:
            raise RuntimeError("the mock store is closed")
        try:
            conn = self._pool.get_nowait()
        except queue.Empty:
            with self._lock:
                grow = len(self._open) < self._pool_size
            if grow:
                conn = self._connect()
            elif getattr(self._local, "no_wait", False):
                raise WouldBlock from None
            else:
                conn = self._pool.get()
        try:
            yield conn
        finally:
            self._pool.put(conn)

    @contextmanager
    def write(self) -> Iterator[Tx]:
        """A write transaction holding the database's write lock; commits on success, else rolls back.

        Raises:
            WouldBlock: inside :meth:`no_wait`, when another writer holds the lock.
        """
        # Writers queue on a Python lock first: SQLite's own busy handler backs off in steps of up to
        # 100 ms, which turned lock contention between our threads into long latency tails.
        self._acquire(self._write_lock)
        try:
            with self._connection() as conn:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield Tx(conn)
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
        finally:
            self._write_lock.release()

    @contextmanager
    def read(self) -> Iterator[Tx]:
        """A connection for reads outside a write transaction.

        Each read the mock makes is a single statement, which SQLite runs on one consistent snapshot of
        its own (WAL readers never wait for the writer); an explicit transaction would add two round
        trips to every job-status call and query.
        """
        with self._connection() as conn:
            yield Tx(conn)

    def close(self) -> None:
        """Close every connection; a throw-away database is removed."""
        self._closed = True
        with self._lock:
            conns, self._open = self._open, []
        for conn in conns:
            conn.close()
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)

    def counts(self) -> dict[str, Any]:
        """Row counts of every table."""
        with self.read() as tx:
            return {t: tx.count(t) for t in ("activities", "deletions", "jobs", "events")}
