"""Send an upload's planned requests in order, one journal entry ahead of the tenant, and settle every record.

The order of each request is fixed, so a crash at any point leaves the journal able to say what to do:

1. the request is written ``sending`` (committed) and only then sent;
2. the tenant's job id is written ``submitted`` (committed) as soon as it answers;
3. the job is polled to its end and every record's verdict is written; the request becomes ``settled``.

:func:`settle_unknown` handles what a crash leaves between those steps: a ``submitted`` job is polled
again; records of a ``sending`` request, or of a job the tenant no longer knows, are read back by
ExternalId; those found are accepted, and only those not found go out again, in a new request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import orjson

from ..gainsight.codes import EXTERNAL_ID_EXISTS
from ..gainsight.operations import BULK_UPDATE, EVENTS_BULK, FRAMEWORK_EVENT, SAVE, UPDATE
from .plan import Batch, body_bytes
from .prepare import PreparedFile, operation_for
from .tenant import JobResult, Refused, TenantClient, Unknown
from .upload_journal import ACCEPTED, FAILED, Journal, RecordRow, Verdict

__all__ = ["SendOptions", "send_all", "settle_unknown"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SendOptions:
    """How long to wait for each job, how often to poll it, and when the upload must stop."""

    job_timeout: float = 600.0
    poll_interval: float = 1.0
    stop_at: float = float("inf")
    """``time.monotonic()`` value past which no new request is sent (``--max-duration``)."""
    shared_secret: str | None = None
    """The Events Framework publisher's ``sharedSecret`` (never written anywhere)."""
    tenant_id: str | None = None
    """The Events Framework's ``tenantId`` header."""


_SYNCHRONOUS = frozenset({SAVE, UPDATE, EVENTS_BULK, FRAMEWORK_EVENT})
"""Operations whose answer carries the verdicts (no job)."""


def _synchronous(
    client: TenantClient, batch: Batch, file: PreparedFile, rows: list[RecordRow], body: bytes, options: SendOptions
) -> JobResult:
    if batch.operation in (SAVE, UPDATE):
        # An update names the identifier it matches records by, as the bulk update does.
        return client.save(body, operation=batch.operation, query=operation_for(file.kind, single=True)[1])
    if batch.operation == EVENTS_BULK:
        return client.publish_bulk(body, len(rows))
    (row,) = rows  # the Events Framework publishes one event a call
    event = orjson.loads(file.records[row.index].body)
    return client.publish_event(event, options.shared_secret or "", options.tenant_id or "")


class Stopped(Exception):
    """The upload ran out of time before every request was sent; the journal says where it stopped."""


def _verdicts(rows: Sequence[RecordRow], result: JobResult, *, by_position: bool = False) -> dict[int, Verdict]:
    """Each record's verdict from a finished job; records the job leaves out are left unknown.

    Timeline answers key a record by its ExternalId; the events answer by its index in the body
    (``by_position``).
    """
    verdicts: dict[int, Verdict] = {}
    for position, row in enumerate(rows):
        key = str(position) if by_position else row.external_id or f"records[{position}]"
        problems = result.failures.get(key)
        if problems:
            first = problems[0] if isinstance(problems[0], dict) else {"errorMessage": str(problems[0])}
            code = first.get("errorCode")
            message = "; ".join(str(p.get("errorMessage", p)) if isinstance(p, dict) else str(p) for p in problems)
            verdicts[row.index] = Verdict(FAILED, code if isinstance(code, str) else None, message)
        elif key in result.successes:
            verdicts[row.index] = Verdict(ACCEPTED)
    return verdicts


def _read_back(
    client: TenantClient, rows: Sequence[RecordRow], how: str, operation: str
) -> tuple[dict[int, Verdict], list[int]]:
    """Accept the records the tenant holds; return them and the indexes of those it does not.

    Reading back proves an insert, not an update (the record existed before): an update whose fate is
    unknown is sent again, which is safe because it sets the same values.
    """
    if operation in (BULK_UPDATE, UPDATE):
        return {}, [r.index for r in rows]
    if operation in (EVENTS_BULK, FRAMEWORK_EVENT):
        # Events cannot be read back and have no idempotency key: resending could publish one twice.
        unknown = Verdict(FAILED, None, "unknown: no answer, and events cannot be read back; not sent again", how)
        return dict.fromkeys((r.index for r in rows), unknown), []
    stored = client.stored(r.external_id for r in rows if r.external_id)
    found = {r.index: Verdict(ACCEPTED, how=how) for r in rows if r.external_id in stored}
    return found, [r.index for r in rows if r.index not in found]


def _settle_job(
    client: TenantClient, journal: Journal, batch: Batch, job_id: str, options: SendOptions, *, resumed: bool
) -> list[int]:
    """Poll a job to its end and write its verdicts; return indexes still to send (only after a lost job)."""
    rows = list(journal.records(batch=batch.number))
    result = client.wait(job_id, timeout=options.job_timeout, interval=options.poll_interval)
    if result is None:
        # The tenant forgot the job or it outlasted the wait: what it stored is read back.
        verdicts, missing = _read_back(client, rows, "read back by ExternalId", batch.operation)
        journal.settle(batch.path, verdicts)
        return missing
    _settle_result(client, journal, batch, rows, result, resumed=resumed)
    return []


def _settle_result(
    client: TenantClient, journal: Journal, batch: Batch, rows: list[RecordRow], result: JobResult, *, resumed: bool
) -> None:
    """Write the verdicts of a finished job or a synchronous save; records it leaves out are read back."""
    verdicts = _verdicts(rows, result, by_position=batch.operation in (EVENTS_BULK, FRAMEWORK_EVENT))
    if resumed:
        # A resent record refused as "ExternalId exists" was taken by the lost earlier request.
        for index, verdict in list(verdicts.items()):
            if verdict.code == EXTERNAL_ID_EXISTS:
                verdicts[index] = Verdict(ACCEPTED, how="read back: stored by an earlier request")
    unlisted = [r for r in rows if r.index not in verdicts]
    if unlisted:
        found, missing = _read_back(client, unlisted, "read back (job status left it out)", batch.operation)
        verdicts.update(found)
        unlisted_failure = Verdict(FAILED, None, "failed; the job status did not list it", "read back")
        verdicts.update(dict.fromkeys(missing, unlisted_failure))
    # A tenant may quote what it was sent, the key included: nothing it says is kept unmasked.
    journal.settle(batch.path, {i: _masked(v, client) for i, v in verdicts.items()})


def _masked(verdict: Verdict, client: TenantClient) -> Verdict:
    if verdict.message is None:
        return verdict
    return Verdict(verdict.verdict, verdict.code, client.redactor.text(verdict.message), verdict.how)


def _send(
    client: TenantClient, journal: Journal, batch: Batch, file: PreparedFile, options: SendOptions, *, resumed: bool
) -> list[int]:
    """Send one request and settle it; return indexes that must go out again."""
    if time.monotonic() > options.stop_at:
        raise Stopped(f"--max-duration reached before request {batch.number}")
    if batch.operation not in _SYNCHRONOUS and not client.bulk_room():
        raise Stopped(
            f"the tenant's X-RateLimit-Remaining leaves no bulk call within the {client.bulk_share:.0%} share "
            f"this upload may use, before request {batch.number}"
        )
    rows = list(journal.records(batch=batch.number))
    body = body_bytes([file.records[r.index].body for r in rows], file.lookups)
    journal.set_state(batch.number, "sending")
    try:
        if batch.operation in _SYNCHRONOUS:
            # Synchronous: the answer carries the verdicts; there is no job to wait for.
            result = _synchronous(client, batch, file, rows, body, options)
            _settle_result(client, journal, batch, rows, result, resumed=resumed)
            journal.set_state(batch.number, "settled")
            return []
        # The kind decides the query string: an update names the identifier it matches records by.
        job_id = client.submit(batch.operation, body, query=operation_for(file.kind)[1])
    except Refused as exc:
        journal.settle(batch.path, {r.index: Verdict(FAILED, None, str(exc), "request refused") for r in rows})
        journal.set_state(batch.number, "settled", note=str(exc))
        return []
    except Unknown as exc:
        log.warning("request %d got no usable answer (%s); reading its records back", batch.number, exc)
        verdicts, missing = _read_back(client, rows, "read back by ExternalId", batch.operation)
        journal.settle(batch.path, verdicts)
        journal.set_state(batch.number, "settled", note=str(exc))
        return missing
    journal.set_state(batch.number, "submitted", job_id=job_id)
    missing = _settle_job(client, journal, batch, job_id, options, resumed=resumed)
    journal.set_state(batch.number, "settled")
    return missing


def _requeue(journal: Journal, path: str, operation: str, indexes: list[int]) -> Batch:
    """A new request for records that must be sent again (after read-back showed the tenant lacks them)."""
    number = journal.next_number()
    batch = Batch(number, path, operation, min(indexes), max(indexes) + 1, 0)
    journal.add_batches([batch])
    journal.assign(number, path, indexes)
    return batch


def send_all(
    client: TenantClient,
    journal: Journal,
    files: dict[str, PreparedFile],
    options: SendOptions,
    *,
    resumed: bool = False,
    on_request: Callable[[Batch], None] | None = None,
) -> None:
    """Send every ``planned`` request in order until none is left.

    Raises:
        Stopped: ``options.stop_at`` passed; the rest stay ``planned`` in the journal.
    """
    while True:
        pending = journal.batches(state="planned")
        if not pending:
            return
        batch = pending[0][0]
        if on_request is not None:
            on_request(batch)
        file = files[batch.path]
        missing = _send(client, journal, batch, file, options, resumed=resumed)
        if missing:
            _requeue(journal, batch.path, batch.operation, missing)


def settle_unknown(client: TenantClient, journal: Journal, options: SendOptions) -> None:
    """Settle what an interrupted upload left open, before anything is sent again (see the module's steps)."""
    for batch, state, job_id in journal.batches():
        if state == "submitted" and job_id is not None:
            missing = _settle_job(client, journal, batch, job_id, options, resumed=True)
        elif state in ("sending", "aborted"):
            unknown = [r for r in journal.records(batch=batch.number) if r.verdict is None]
            verdicts, missing = _read_back(client, unknown, "read back by ExternalId", batch.operation)
            journal.settle(batch.path, verdicts)
        else:
            continue
        journal.set_state(batch.number, "settled", note="settled on resume")
        if missing:
            _requeue(journal, batch.path, batch.operation, missing)
