"""The Gainsight response checks (CT1xx): what one request and its answer must satisfy.

Each is a pure function of an :class:`~gscontract.contract.checks.Exchange` and the run's
:class:`~gscontract.contract.checks.CheckContext`, registered with :func:`~gscontract.contract.checks.response_check`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from ...gainsight.operations import ABORT, BULK_SAVE, BULK_UPDATE, EVENTS_BULK, JOB_STATUS, SAVE
from ...gainsight.retry import parse_retry_after
from . import JOB_STATES, CheckContext, Exchange, Problem, response_check

__all__ = ["error_codes"]

# ---------------------------------------------------------------------------------------------- helpers


def _data(exchange: Exchange) -> dict[str, Any] | None:
    body = exchange.body
    data = body.get("data") if isinstance(body, dict) else None
    return data if isinstance(data, dict) else None


def _sent_records(exchange: Exchange) -> list[Any] | None:
    body = exchange.request_body
    records = body.get("records") if isinstance(body, dict) else None
    return records if isinstance(records, list) else None


def _record_keys(record: Any, index: int, *, strict: bool) -> set[str]:
    """The keys a record's outcome may be filed under: its ExternalId, or ``records[<i>]`` without one.

    A whitespace-only ExternalId is missing to gscontract's mock (``strict``); the documents do not say
    so, and another tenant may file the record under it, so a lenient run accepts either key.
    """
    positional = f"records[{index}]"
    if isinstance(record, dict):
        external_id = record.get("ExternalId")
        if isinstance(external_id, str) and external_id.strip():
            return {external_id}
        if isinstance(external_id, str) and external_id and not strict:
            return {external_id, positional}
        if external_id is not None and not isinstance(external_id, str | dict | list):
            return {str(external_id), positional}
    return {positional}


def error_codes(body: Any) -> Iterator[tuple[str, str]]:
    """Every ``(where, code)`` a response body reports: its own ``errorCode`` and each failure item's.

    ``where`` is ``errorCode`` or ``data.failures``; the record a failure belongs to is in the request.
    """
    if not isinstance(body, dict):
        return
    code = body.get("errorCode")
    if isinstance(code, str):
        yield "errorCode", code
    data = body.get("data")
    failures = data.get("failures") if isinstance(data, dict) else None
    if isinstance(failures, dict):
        for items in failures.values():
            for item in items if isinstance(items, list) else [items]:
                if isinstance(item, dict) and isinstance(item.get("errorCode"), str):
                    yield "data.failures", item["errorCode"]


def _short(value: Any, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ---------------------------------------------------------------------------------------------- checks


@response_check("CT101", name="failures-keyed-by-record", operations={SAVE, EVENTS_BULK})
def failures_keyed_by_record(exchange: Exchange, ctx: CheckContext) -> Iterator[Problem]:
    """Every record sent is answered exactly where the contract says: keyed by its ExternalId, or its index.

    ## Why
    Record-level failures answer HTTP 200 (docs/decisions.md#status-codes-and-record-failures), so a client finds out
    which record failed only
    from the key it is filed under. A save files each record under its ExternalId (``records[<i>]`` when it
    has none) in ``data.success`` or ``data.failures``; a bulk event publish files failures under the
    record's index (``"1"``) and counts successes and failures. A key that names no record sent, or a
    record that is answered nowhere, leaves the client unable to reconcile its upload.
    """
    data = _data(exchange)
    records = _sent_records(exchange)
    if exchange.status != 200 or data is None or records is None:
        return
    failures = data.get("failures")
    if exchange.operation == EVENTS_BULK:
        yield from _events_bulk_accounting(data, records)
        return
    success = data.get("success")
    answered: set[str] = set()
    for name, group in (("success", success), ("failures", failures)):
        if group is None:
            continue
        if not isinstance(group, dict):
            yield Problem(f"expected data.{name} to be an object keyed by ExternalId, received {_short(group)}")
            continue
        answered.update(group)
    expected: list[set[str]] = [_record_keys(record, i, strict=ctx.strict) for i, record in enumerate(records)]
    known = set().union(*expected) if expected else set()
    for key in sorted(answered - known):
        yield Problem(
            f"expected every key of data.success/data.failures to be an ExternalId sent or records[<i>], "
            f"received key {key!r}, which names no record of the request"
        )
    for index, keys in enumerate(expected):
        if not keys & answered:
            label = " or ".join(sorted(keys))
            yield Problem(f"expected record {index} to be answered under {label!r}, received no entry for it")


def _events_bulk_accounting(data: dict[str, Any], records: list[Any]) -> Iterator[Problem]:
    failures = data.get("failures")
    if isinstance(failures, dict):
        for key in failures:
            if not (key.isdigit() and int(key) < len(records)):
                yield Problem(f"expected failure keys to be record indexes 0..{len(records) - 1}, received {key!r}")
    success_count, failure_count = data.get("successCount"), data.get("failureCount")
    if isinstance(success_count, int) and isinstance(failure_count, int):
        if success_count + failure_count != len(records):
            yield Problem(
                f"expected successCount + failureCount = {len(records)} records sent, "
                f"received {success_count} + {failure_count}"
            )
        if isinstance(failures, dict) and len(failures) != failure_count:
            yield Problem(f"expected failureCount {failure_count} to match {len(failures)} keys of data.failures")


@response_check("CT102", name="result-matches-body")
def result_matches_body(exchange: Exchange, ctx: CheckContext) -> Iterator[Problem]:
    """``result`` agrees with the rest of the answer: false on errors, explained, and counts that add up.

    ## Why
    Gainsight answers ``result: true`` even when records fail, so clients lean on the few rules that do
    hold: an HTTP error carries ``result: false``; ``result: false`` comes with an ``errorDesc`` or a
    ``message`` saying why; ``result: true`` carries no ``errorCode``; and a job status's counts equal the
    number of records in its ``successes`` and ``failures``.
    """
    body = exchange.body
    if not isinstance(body, dict) or "result" not in body:
        return
    result = body.get("result")
    if exchange.status >= 400 and result is not False:
        yield Problem(f"expected result false with HTTP {exchange.status}, received result {_short(result)}")
    if result is False:
        explained = any(isinstance(body.get(k), str) and body[k].strip() for k in ("errorDesc", "message"))
        if not explained:
            yield Problem("expected result false to come with an errorDesc or message, received neither")
    if result is True and body.get("errorCode") is not None:
        yield Problem(f"expected no errorCode with result true, received {_short(body.get('errorCode'))}")
    data = _data(exchange)
    if result is True and data is not None and exchange.operation == JOB_STATUS:
        for count_key, map_key in (("successCount", "successes"), ("failedCount", "failures")):
            count, records = data.get(count_key), data.get(map_key)
            if isinstance(count, int) and isinstance(records, dict) and count != len(records):
                yield Problem(
                    f"expected {count_key} to equal the {len(records)} records of data.{map_key}, received {count}"
                )


def _is_uuid(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


@response_check("CT103", name="job-ticket-valid", operations={BULK_SAVE, BULK_UPDATE, JOB_STATUS})
def job_ticket_valid(exchange: Exchange, ctx: CheckContext) -> Iterator[Problem]:
    """Bulk answers name their job by a UUID, in a known state, and a job status describes the job asked for.

    ## Why
    A bulk save or update is only a ticket; the client follows ``data.jobId`` to learn what happened. The
    document's ticket is a UUID with status ``SUBMITTED``, its hints end with the job id, and job states
    come from a fixed vocabulary. A status that reports another job than the one in its path, or an
    unknown state, would leave a client polling forever.
    """
    body, data = exchange.body, _data(exchange)
    if exchange.status != 200 or not isinstance(body, dict) or body.get("result") is not True or data is None:
        return
    job_id = data.get("jobId")
    if not _is_uuid(job_id):
        yield Problem(f"expected data.jobId to be a UUID, received {_short(job_id)}")
    state = data.get("status")
    if state not in JOB_STATES:
        yield Problem(f"expected data.status to be one of {', '.join(sorted(JOB_STATES))}, received {_short(state)}")
    if exchange.operation == JOB_STATUS:
        asked = exchange.path.rstrip("/").rsplit("/", 1)[-1]
        if isinstance(job_id, str) and job_id != asked:
            yield Problem(f"expected the status of job {asked!r}, received the status of {job_id!r}")
        return
    for hint in ("jobStatusEndPoint", "jobAbortEndPoint"):
        value = data.get(hint)
        if isinstance(value, str) and isinstance(job_id, str) and not value.endswith(job_id):
            yield Problem(f"expected data.{hint} to end with the job id {job_id!r}, received {value!r}")


@response_check("CT104", name="abort-answer-consistent", operations={ABORT})
def abort_answer_consistent(exchange: Exchange, ctx: CheckContext) -> Iterator[Problem]:
    """An abort says whether it worked: ABORTED and "aborted", or "could not be aborted" and the job's state.

    ## Why
    Abort answers ``result: true`` both when it works and when it does not (the document's failure sample
    shows a COMPLETED job), so the client reads ``data.status`` and ``data.message``. They must agree: a
    message that the job was aborted comes with ``ABORTED``; a message that it could not be comes with
    the job's current state (``ABORTED`` too, for a job aborted before). An unknown job answers
    ``result: false`` with "Incorrect job id".
    """
    body, data = exchange.body, _data(exchange)
    if exchange.status != 200 or not isinstance(body, dict):
        return
    if body.get("result") is False:
        return
    if data is None:
        yield Problem(f"expected data with status and message, received data {_short(body.get('data'))}")
        return
    state, message = data.get("status"), data.get("message")
    text = message.lower() if isinstance(message, str) else ""
    refused = "could not" in text or "cannot" in text
    if state not in JOB_STATES:
        yield Problem(f"expected data.status to be a job state, received {_short(state)}")
    elif refused:
        return  # the job's current state, whatever it is (an aborted job cannot be aborted again)
    elif state != "ABORTED" or "abort" not in text:
        yield Problem(
            f"expected status ABORTED with a message that the job was aborted, or a message that it could "
            f"not be aborted, received status {state} and message {message!r}"
        )


@response_check("CT105", name="documented-error-code")
def documented_error_code(exchange: Exchange, ctx: CheckContext) -> Iterator[Problem]:
    """Every error code a response carries is one the spec documents.

    ## Why
    Clients branch on error codes (retry, fix the record, give up). A code the contract does not list is
    a change the client was never written for. Failure items that are plain strings (the document's
    second job-status sample) carry no code; a live tenant may send them, the mock never does.
    """
    codes = ctx.documented_codes
    for where, code in error_codes(exchange.body):
        if codes and code not in codes:
            yield Problem(f"expected a documented error code in {where}, received {code!r}", code=code)
    data = _data(exchange)
    failures = data.get("failures") if data is not None else None
    if ctx.strict and isinstance(failures, dict):
        for key, items in failures.items():
            for item in items if isinstance(items, list) else [items]:
                if isinstance(item, str):
                    yield Problem(
                        f"expected failure items of {key!r} to be {{errorCode, errorMessage}} objects, "
                        f"received the plain string {item!r}"
                    )


@response_check("CT106", name="retry-after-on-429")
def retry_after_on_429(exchange: Exchange, ctx: CheckContext) -> Iterator[Problem]:
    """A 429 answer says when to come back, in a ``Retry-After`` header.

    ## Why
    Without ``Retry-After`` a client that hits a rate limit can only guess how long to wait; bulk limits
    are hourly, so a guess is either far too short (another 429) or far too long.
    """
    if exchange.status != 429:
        return
    value = exchange.headers.get("retry-after")
    if value is None:
        yield Problem("expected a Retry-After header with HTTP 429, received none")
    elif parse_retry_after(value) is None:
        yield Problem(f"expected Retry-After to be seconds or an HTTP date, received {value!r}")
