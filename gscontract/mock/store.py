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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .statements import Tx

__all__ = ["Store", "WouldBlock"]

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
CREATE TABLE IF NOT EXISTS framework_events (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    received_ms INTEGER NOT NULL,
    event       BLOB NOT NULL
);
"""


TABLES = ("activities", "deletions", "jobs", "events", "framework_events")
"""The store's tables, as :meth:`Store.counts` names them."""


class WouldBlock(Exception):
    """A store call inside :meth:`Store.no_wait` would have had to wait for a lock or a connection."""


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
            return {t: tx.count(t) for t in TABLES}

    def framework_events(self) -> list[dict[str, Any]]:
        """The accepted Events Framework events, oldest first: naming headers, ``contractId`` and ``payload``."""
        with self.read() as tx:
            return tx.framework_events()
