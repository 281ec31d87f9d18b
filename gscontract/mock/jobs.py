"""Bulk jobs: a background thread that runs each submitted job once its start delay has passed.

A job moves SUBMITTED -> INPROGRESS -> COMPLETED (or FAILED when processing hits a bug, as the
document's "technical issues" sample shows). It can be aborted only while SUBMITTED. The move to
INPROGRESS is committed before any record is processed, and the job's records are saved in the same
transaction that marks it COMPLETED; so a job interrupted by a crash is still pending in the database
and runs again, from the start, when the mock restarts on that database.

The runner is a plain thread, not an asyncio task, so jobs run whatever event loop serves requests
(uvicorn's, a test client's, or schemathesis' ASGI portal).
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
from collections.abc import Callable

from .ids import now_ms
from .statements import JobRow, Tx
from .store import Store

__all__ = ["JobOutcome", "JobRunner"]

log = logging.getLogger("gscontract.mock")

# Processing a job has two steps: checks that need no transaction (given the job), then the save inside
# the job's write transaction, which yields (success count, failure count, result JSON).
JobOutcome = tuple[int, int, bytes]
Processor = Callable[[JobRow], Callable[[Tx], JobOutcome]]


class JobRunner:
    """Runs pending jobs in due order on one background thread.

    Args:
        store: where jobs are kept.
        process: checks a job's records, returning the step that saves them in a transaction.
    """

    def __init__(self, store: Store, process: Processor) -> None:
        self._store = store
        self._process = process
        self._queue: list[tuple[int, int, str]] = []
        self._order = itertools.count()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._busy = False

    def start(self) -> None:
        """Start the thread once, queueing the jobs a previous run left pending."""
        with self._cond:
            if self._thread is not None or self._stopping:
                return
            self._thread = threading.Thread(target=self._loop, name="gscontract-mock-jobs", daemon=True)
        with self._store.read() as tx:
            pending = tx.pending_jobs()
        for job_id, due in pending:
            self.schedule(job_id, due)
        self._thread.start()

    def schedule(self, job_id: str, due_ms: int) -> None:
        """Queue a job to run at ``due_ms`` (epoch milliseconds)."""
        with self._cond:
            heapq.heappush(self._queue, (due_ms, next(self._order), job_id))
            self._cond.notify()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the job in progress, if any; queued jobs stay pending in the database."""
        with self._cond:
            self._stopping = True
            self._cond.notify()
            thread = self._thread
        if thread is not None and thread.is_alive():
            thread.join(timeout)

    def idle(self) -> bool:
        """Whether no job is queued or running."""
        with self._cond:
            return not self._queue and not self._busy

    def _next(self) -> str | None:
        with self._cond:
            while not self._stopping:
                if self._queue:
                    wait = (self._queue[0][0] - now_ms()) / 1000
                    if wait <= 0:
                        self._busy = True
                        return heapq.heappop(self._queue)[2]
                    self._cond.wait(min(wait, 1.0))
                else:
                    self._cond.wait()
            return None

    def _loop(self) -> None:
        while (job_id := self._next()) is not None:
            try:
                self._run(job_id)
            except Exception:
                # The store itself failed (closed, disk full): nothing more can be recorded.
                log.exception("bulk job %s could not be run", job_id)
            finally:
                with self._cond:
                    self._busy = False

    def _run(self, job_id: str) -> None:
        with self._store.write() as tx:
            job = tx.job(job_id)
            if job is None or job.status not in ("SUBMITTED", "INPROGRESS"):
                return  # aborted, or already finished by an earlier run
            tx.move_job(job_id, from_status="SUBMITTED", to_status="INPROGRESS")
        try:
            save = self._process(job)
            with self._store.write() as tx:
                successes, failures, result = save(tx)
                tx.finish_job(
                    job_id,
                    status="COMPLETED",
                    success_count=successes,
                    failed_count=failures,
                    result=result,
                    now=now_ms(),
                )
        except Exception:
            log.exception("bulk job %s failed", job_id)
            with self._store.write() as tx:
                tx.finish_job(job_id, status="FAILED", success_count=0, failed_count=0, result=None, now=now_ms())
