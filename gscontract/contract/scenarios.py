"""The scenario checks (CT2xx): Gainsight behaviours that take more than one request to see.

Each is a small registered function of a :class:`~gscontract.contract.scenario_env.ScenarioEnv` that makes
its requests through the run's client and yields :class:`ScenarioProblem` values naming the operation
where the expectation broke, what was expected and what came back, with the curl lines that reproduce it.
Strategy-driven checks (valid and invalid records) run under hypothesis, so a failure is shrunk to a
minimal record before it is reported (shrinking is off against a live tenant, where it costs requests).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterator
from typing import Any, TypeVar

from ..findings import Severity
from .checks import TERMINAL_STATES, CheckKind, ContractCheck, register
from .client import Call
from .ops import ABORT, BULK_SAVE, DELETE, EVENTS, EVENTS_BULK, FETCH_DELETED, JOB_STATUS, QUERY, SAVE
from .scenario_env import (
    ScenarioEnv,
    ScenarioProblem,
    activity_gsid,
    failure_items,
    iso_now,
    returned_fields,
)

__all__ = ["SCENARIOS", "ScenarioFunc", "scenario_check"]

ScenarioFunc = Callable[[ScenarioEnv], Iterator[ScenarioProblem]]
F = TypeVar("F", bound=ScenarioFunc)

SCENARIOS: dict[str, tuple[ContractCheck, str]] = {}
"""check id -> (check, api it exercises)."""


def scenario_check(
    check_id: str, *, name: str, api: str, operations: set[str], needs_writes: bool = True
) -> Callable[[F], F]:
    """Register the decorated ``(env) -> Iterator[ScenarioProblem]`` function as a scenario check."""

    def decorate(func: F) -> F:
        check = ContractCheck(
            id=check_id,
            name=name,
            kind=CheckKind.SCENARIO,
            doc=func.__doc__ or "",
            operations=frozenset(operations),
            needs_writes=needs_writes,
            func=func,
        )
        register(check)
        SCENARIOS[check_id] = (check, api)
        return func

    return decorate


def _code_problem(env: ScenarioEnv, call: Call, key: str, expected: str | None, *, exact: bool) -> str | None:
    """What is wrong with the failure filed under ``key``, or ``None`` if it is the one expected.

    ``exact`` demands the expected code even against a live tenant (codes the document itself states);
    otherwise a live tenant may answer with any documented code (decisions §1).
    """
    items = failure_items(call, key)
    if not items:
        return f"expected record {key!r} in data.failures, received {_outcome(call, key)}"
    codes = [item.get("errorCode") for item in items if isinstance(item, dict)]
    if (env.strict or exact) and expected is not None:
        if expected not in codes:
            return f"expected error code {expected} for record {key!r}, received {codes or items}"
        return None
    undocumented = [c for c in codes if c not in env.documented_codes]
    if undocumented:
        return f"expected a documented error code for record {key!r}, received {undocumented}"
    return None


def _outcome(call: Call, key: str) -> str:
    data = call.data if isinstance(call.data, dict) else {}
    if key in (data.get("success") or {}):
        return "a success"
    return f"HTTP {call.status} {str(call.body)[:200]}"


# ---------------------------------------------------------------------------------------------- timeline


@scenario_check("CT201", name="valid-records-accepted", api="timeline", operations={SAVE})
def valid_records_accepted(env: ScenarioEnv) -> Iterator[ScenarioProblem]:
    """Records the valid-record strategy makes are saved: each comes back in ``data.success``.

    ## Why
    The strategies encode every rule of the contract; a record they call valid that the tenant refuses
    means the contract (or the tenant) is wrong, and the payload builders tested against it will fail in
    production.
    """

    def probe(payload: dict[str, Any]) -> list[ScenarioProblem]:
        payload = env.with_fresh_ids(payload)
        call = env.call(SAVE, body=payload, check="CT201")
        problems = []
        for record in payload["records"]:
            key = record["ExternalId"]
            if activity_gsid(call, key) is None:
                problems.append(
                    env.problem(call, f"expected record {key!r} saved, received {_outcome_detail(call, key)}")
                )
        return problems

    yield from env.explore(env.valid_payloads(), probe)


def _outcome_detail(call: Call, key: str) -> str:
    items = failure_items(call, key)
    return f"failures {items}" if items else _outcome(call, key)


@scenario_check("CT202", name="invalid-records-rejected", api="timeline", operations={SAVE})
def invalid_records_rejected(env: ScenarioEnv) -> Iterator[ScenarioProblem]:
    """Each record an ``invalid_*`` strategy makes fails, under its key, with its rule's error code.

    ## Why
    Record problems answer HTTP 200 (decisions §1), so the only sign a bad record was refused is its entry
    in ``data.failures``. Against the mock the code must be the rule's exact code; against a live tenant
    any documented code counts, since the generic codes are gscontract's inference (decisions §1).
    """
    for rule_id, code, strategy in env.invalid_payloads():

        def probe(payload: dict[str, Any], code: str | None = code, rule_id: str = rule_id) -> list[ScenarioProblem]:
            call = env.call(SAVE, body=payload, check="CT202")
            keys = env.record_keys(payload)
            problem = _code_problem(env, call, keys[-1], code, exact=False)
            return [env.problem(call, f"{rule_id}: {problem}", code=code)] if problem else []

        yield from env.explore(strategy, probe)


@scenario_check(
    "CT203", name="saved-activity-round-trip", api="timeline", operations={SAVE, QUERY, DELETE, FETCH_DELETED}
)
def saved_activity_round_trip(env: ScenarioEnv) -> Iterator[ScenarioProblem]:
    """A saved activity reads back with the fields sent, and after delete is gone and listed as deleted.

    ## Why
    A save that answers success but loses the record, changes its fields, or survives its delete breaks
    every client that reconciles against the tenant. The query API is the only way to see what was kept.
    """
    started = iso_now(-300)
    payload = env.with_fresh_ids(env.one_valid_payload())
    record = payload["records"][0]
    key = record["ExternalId"]
    steps: list[Call] = []
    save = env.call(SAVE, body=payload, check="CT203", steps=steps)
    gsid = activity_gsid(save, key)
    if gsid is None:
        yield env.problem(save, f"expected record {key!r} saved, received {_outcome_detail(save, key)}", steps=steps)
        return
    env.created.add(gsid)
    fields = env.stored_fields(payload)
    found = env.call(QUERY, body=env.query_body(key, ["Gsid", *fields]), check="CT203", steps=steps)
    rows = returned_fields(found)
    if len(rows) != 1:
        yield env.problem(
            found, f"expected the saved activity {key!r} to read back once, received {len(rows)} records", steps=steps
        )
        return
    row = {k.lower(): v for k, v in rows[0].items()}
    for field in fields:
        sent, got = record[field], row.get(field.lower(), "<missing>")
        if not env.same_value(sent, got):
            yield env.problem(found, f"expected {field} {sent!r} as saved, received {got!r}", steps=steps)
    deleted = env.call(DELETE, body=[gsid], check="CT203", steps=steps)
    if not (isinstance(deleted.body, list) and gsid in deleted.body):
        yield env.problem(
            deleted, f"expected the delete to echo [{gsid!r}], received {str(deleted.body)[:200]}", steps=steps
        )
        return
    env.created.discard(gsid)
    again = env.call(QUERY, body=env.query_body(key, ["Gsid"]), check="CT203", steps=steps)
    if returned_fields(again):
        yield env.problem(
            again, f"expected no activity {key!r} after its delete, received {len(returned_fields(again))}", steps=steps
        )
    window = {"filter": {"dateFilter": {"dateLiteral": "CUSTOM", "values": [started, iso_now(300)]}}}
    listed = env.call(FETCH_DELETED, body=window, check="CT203", steps=steps)
    gone = [r for r in returned_fields(listed) if r.get("Gsid") == gsid]
    if not gone:
        yield env.problem(
            listed, f"expected the deleted activity {gsid!r} among the deletions, received none", steps=steps
        )


@scenario_check("CT204", name="duplicate-external-id-rejected", api="timeline", operations={SAVE})
def duplicate_external_id_rejected(env: ScenarioEnv) -> Iterator[ScenarioProblem]:
    """Re-sending a saved ExternalId fails with GS_TL_10_0107; repeating one inside a payload with GS_TL_10_0108.

    ## Why
    The ExternalId is the idempotency key of an insert: a client that retries after a timeout relies on
    the tenant refusing the second copy instead of storing the activity twice.
    """
    steps: list[Call] = []
    payload = env.with_fresh_ids(env.one_valid_payload())
    key = payload["records"][0]["ExternalId"]
    first = env.call(SAVE, body=payload, check="CT204", steps=steps)
    gsid = activity_gsid(first, key)
    if gsid is None:
        yield env.problem(first, f"expected record {key!r} saved, received {_outcome_detail(first, key)}", steps=steps)
        return
    env.created.add(gsid)
    second = env.call(SAVE, body=payload, check="CT204", steps=steps)
    problem = _code_problem(env, second, key, "GS_TL_10_0107", exact=True)
    if problem:
        yield env.problem(second, problem, code="GS_TL_10_0107", steps=steps)
    if activity_gsid(second, key) not in (None, gsid):
        yield env.problem(second, f"expected no second activity for {key!r}, received a new activityId", steps=steps)
    twice = env.with_fresh_ids(env.one_valid_payload())
    twice["records"] = [twice["records"][0], dict(twice["records"][0], Subject="second copy")]
    key2 = twice["records"][0]["ExternalId"]
    both = env.call(SAVE, body=twice, check="CT204", steps=[])
    kept = activity_gsid(both, key2)
    if kept is None:
        yield env.problem(
            both, f"expected the first record {key2!r} of the payload kept, received {_outcome(both, key2)}"
        )
    else:
        env.created.add(kept)
    problem = _code_problem(env, both, key2, "GS_TL_10_0108", exact=True)
    if problem:
        yield env.problem(both, problem, code="GS_TL_10_0108")
    yield from env.delete_created("CT204")


@scenario_check("CT205", name="job-reaches-terminal-state", api="timeline", operations={BULK_SAVE, JOB_STATUS})
def job_reaches_terminal_state(env: ScenarioEnv) -> Iterator[ScenarioProblem]:
    """A bulk save's job, named by a UUID, reaches COMPLETED within the timeout with every record accounted.

    ## Why
    A bulk upload is only a ticket until its job finishes; a job that never finishes, or finishes without
    the records it was given, is data silently lost.
    """
    payload = env.with_fresh_ids(env.one_valid_payload(records=2))
    steps: list[Call] = []
    _, status = yield from _finished_job(env, payload, "CT205", steps)
    if status is None:
        return
    data = status.data
    if data.get("status") != "COMPLETED":
        yield env.problem(status, f"expected the job to complete, received status {data.get('status')!r}", steps=steps)
    sent = {r["ExternalId"] for r in payload["records"]}
    got = set(data.get("successes") or {})
    _remember_successes(env, status)
    if got != sent:
        yield env.problem(
            status,
            f"expected successes for {sorted(sent)}, received {sorted(got)} (failures {data.get('failures')})",
            steps=steps,
        )
    yield from env.delete_created("CT205")


def _remember_successes(env: ScenarioEnv, status: Call) -> None:
    successes = status.data.get("successes") if isinstance(status.data, dict) else None
    for key in successes or {}:
        gsid = activity_gsid(status, key, field="successes")
        if gsid:
            env.created.add(gsid)


def _finished_job(
    env: ScenarioEnv, payload: dict[str, Any], check: str, steps: list[Call]
) -> Generator[ScenarioProblem, None, tuple[str | None, Call | None]]:
    """Submit a bulk save and poll its status until a terminal state; returns ``(job id, last status)``."""
    ticket = env.call(BULK_SAVE, body=payload, check=check, steps=steps)
    job_id = (ticket.data or {}).get("jobId") if isinstance(ticket.data, dict) else None
    if not isinstance(job_id, str):
        yield env.problem(
            ticket, f"expected a job ticket with data.jobId, received {str(ticket.body)[:200]}", steps=steps
        )
        return None, None
    deadline = time.monotonic() + env.job_timeout
    while True:
        status = env.call(JOB_STATUS, path_parameters={"jobId": job_id}, check=check, steps=steps[:1])
        state = status.data.get("status") if isinstance(status.data, dict) else None
        if state in TERMINAL_STATES:
            steps.append(status)
            return job_id, status
        if time.monotonic() >= deadline:
            steps.append(status)
            yield env.problem(
                status,
                f"expected job {job_id} in a terminal state within {env.job_timeout:g} s, received {state!r}",
                steps=steps,
            )
            return job_id, None
        time.sleep(env.poll_interval)


@scenario_check("CT206", name="abort-says-what-happened", api="timeline", operations={BULK_SAVE, ABORT, JOB_STATUS})
def abort_says_what_happened(env: ScenarioEnv) -> Iterator[ScenarioProblem]:
    """Aborting a finished job says it could not be aborted; aborting a submitted one aborts it.

    ## Why
    Abort answers ``result: true`` either way (the document's failure sample shows a COMPLETED job), so a
    client must be able to trust ``data.status`` and ``data.message``; an aborted job must not save.
    """
    steps: list[Call] = []
    payload = env.with_fresh_ids(env.one_valid_payload())
    job_id, status = yield from _finished_job(env, payload, "CT206", steps)
    if status is None:
        return
    final = status.data.get("status")
    _remember_successes(env, status)
    late = env.call(ABORT, path_parameters={"jobId": job_id}, check="CT206", steps=steps)
    data = late.data if isinstance(late.data, dict) else {}
    message = str(data.get("message") or "")
    if data.get("status") != final or "could not" not in message.lower():
        yield env.problem(
            late,
            f"expected 'Job could not be aborted' with status {final}, "
            f"received status {data.get('status')!r} and {message!r}",
            steps=steps,
        )
    yield from env.delete_created("CT206")
    if not env.strict:
        return  # a live tenant may start a job before the abort arrives; CT104 checks that answer's consistency
    early_steps: list[Call] = []
    payload = env.with_fresh_ids(env.one_valid_payload())
    ticket = env.call(BULK_SAVE, body=payload, check="CT206", steps=early_steps)
    job = (ticket.data or {}).get("jobId") if isinstance(ticket.data, dict) else None
    if not isinstance(job, str):
        return
    aborted = env.call(ABORT, path_parameters={"jobId": job}, check="CT206", steps=early_steps)
    state = aborted.data.get("status") if isinstance(aborted.data, dict) else None
    if state != "ABORTED":
        yield env.problem(
            aborted, f"expected a SUBMITTED job to abort (status ABORTED), received {state!r}", steps=early_steps
        )
        return
    key = payload["records"][0]["ExternalId"]
    time.sleep(min(env.job_timeout, env.poll_interval * 4))
    kept = env.call(QUERY, body=env.query_body(key, ["Gsid"]), check="CT206", steps=early_steps)
    if returned_fields(kept):
        yield env.problem(kept, f"expected the aborted job's record {key!r} not saved, received it", steps=early_steps)


@scenario_check("CT207", name="no-key-nothing-stored", api="timeline", operations={SAVE, QUERY})
def no_key_nothing_stored(env: ScenarioEnv) -> Iterator[ScenarioProblem]:
    """A save without the access key, or with a wrong one, answers 401 and stores nothing.

    ## Why
    An API that stores data from unauthenticated callers can be written to by anyone; the 401 must come
    before any side effect, not after it.
    """
    for label, key in (("without a key", None), ("with a wrong key", env.wrong_key)):
        steps: list[Call] = []
        payload = env.with_fresh_ids(env.one_valid_payload())
        ext = payload["records"][0]["ExternalId"]
        refused = env.call(SAVE, body=payload, access_key=key, check="CT207", steps=steps)
        code = refused.body.get("errorCode") if isinstance(refused.body, dict) else None
        if refused.status != 401:
            yield env.problem(
                refused, f"expected HTTP 401 for a save {label}, received HTTP {refused.status}", steps=steps
            )
        elif env.strict and code != "GS_APIG_2401":
            yield env.problem(
                refused, f"expected errorCode GS_APIG_2401 {label}, received {code!r}", code=code, steps=steps
            )
        stored = env.call(QUERY, body=env.query_body(ext, ["Gsid"]), check="CT207", steps=steps)
        rows = returned_fields(stored)
        if rows:
            env.created.update(str(r["Gsid"]) for r in rows if r.get("Gsid"))
            yield env.problem(
                stored, f"expected nothing stored by a save {label}, received {len(rows)} activity", steps=steps
            )
    yield from env.delete_created("CT207")


# ---------------------------------------------------------------------------------------------- events


@scenario_check("CT211", name="events-valid-accepted", api="events", operations={EVENTS, EVENTS_BULK})
def events_valid_accepted(env: ScenarioEnv) -> Iterator[ScenarioProblem]:
    """Events the valid-event strategy makes are published (HTTP 200, ``result: true``), singly and in bulk.

    ## Why
    A publisher built against the contract must not see its well-formed events refused.
    """

    def probe(event: dict[str, Any]) -> list[ScenarioProblem]:
        call = env.call(EVENTS, body=event, check="CT211")
        ok = call.status == 200 and isinstance(call.body, dict) and call.body.get("result") is True
        return (
            []
            if ok
            else [
                env.problem(
                    call, f"expected HTTP 200 with result true, received HTTP {call.status} {str(call.body)[:200]}"
                )
            ]
        )

    yield from env.explore(env.valid_events(), probe)

    def bulk(events: list[dict[str, Any]]) -> list[ScenarioProblem]:
        call = env.call(EVENTS_BULK, body={"records": events}, check="CT211")
        data = call.data if isinstance(call.data, dict) else {}
        if call.status != 200 or data.get("successCount") != len(events) or data.get("failureCount", 0) != 0:
            return [
                env.problem(
                    call,
                    f"expected successCount {len(events)} and failureCount 0, "
                    f"received HTTP {call.status} {str(call.body)[:200]}",
                )
            ]
        return []

    yield from env.explore(env.valid_event_lists(), bulk)


@scenario_check("CT212", name="events-invalid-rejected", api="events", operations={EVENTS})
def events_invalid_rejected(env: ScenarioEnv) -> Iterator[ScenarioProblem]:
    """Each event an ``invalid_event_inputs`` strategy makes is refused with HTTP 400 and its rule's code.

    ## Why
    A single event is answered at once (decisions §4): a publisher learns of a bad event only from a 400
    naming the problem. Against a live tenant any 4xx with a documented code counts.
    """
    for rule_id, code, strategy in env.invalid_events():

        def probe(event: Any, code: str | None = code, rule_id: str = rule_id) -> list[ScenarioProblem]:
            call = env.call(EVENTS, body=event, check="CT212")
            got = call.body.get("errorCode") if isinstance(call.body, dict) else None
            if env.strict and (call.status != 400 or (code is not None and got != code)):
                return [
                    env.problem(
                        call,
                        f"{rule_id}: expected HTTP 400 with errorCode {code}, received HTTP {call.status} with {got!r}",
                        code=code,
                    )
                ]
            if not env.strict and not 400 <= call.status < 500:
                return [env.problem(call, f"{rule_id}: expected a 4xx refusal, received HTTP {call.status}", code=code)]
            return []

        yield from env.explore(strategy, probe)


def scenario_severity(check: ContractCheck, problem: ScenarioProblem) -> Severity:
    """The severity of a scenario problem: its own when it has one, else the check's."""
    return problem.severity or check.severity
