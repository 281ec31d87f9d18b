"""Scenario checks of bulk jobs (CT205, CT206): a job finishes, and an abort says what happened."""

from __future__ import annotations

import time
from collections.abc import Generator, Iterator
from typing import Any

from ...gainsight.operations import ABORT, BULK_SAVE, JOB_STATUS, QUERY
from ..checks import TERMINAL_STATES
from ..transport.answers import activity_gsid, query_body, returned_fields
from ..transport.calls import Call
from . import scenario_check
from .environment import ScenarioEnv, ScenarioProblem
from .fresh_saves import guessed_miss, lookup_misses_only
from .needs import Needs, Sizing

__all__: list[str] = []


def _abort_needs(sizing: Sizing) -> Needs:
    # A finished job: the bulk save, its polls, the abort and a delete; strict adds a submitted job, its
    # abort, a query and a delete.
    late = Needs(3 + sizing.polls, bulk=1)
    return late + Needs(4, bulk=1) if sizing.strict else late


@scenario_check(
    "CT205",
    name="job-reaches-terminal-state",
    api="timeline",
    operations={BULK_SAVE, JOB_STATUS},
    # The bulk save, its polls and a delete. Against a tenant the phases start no job (bulk calls are left
    # to the scenarios), so following the run's other jobs costs nothing there.
    needs=lambda s: Needs(2 + s.polls, bulk=1),
)
def job_reaches_terminal_state(env: ScenarioEnv) -> Iterator[ScenarioProblem]:
    """A bulk save's job reaches COMPLETED within the timeout with every record accounted; every job ends.

    Every other job the run started (the phases' bulk saves and updates) must reach a terminal state
    within the timeout too, and stay known to the tenant.

    ## Why
    A bulk upload is only a ticket until its job finishes; a job that never finishes, or finishes without
    the records it was given, is data silently lost.
    """
    payload = env.with_fresh_ids(env.one_valid_payload(records=2))
    steps: list[Call] = []
    job_id, status = yield from _finished_job(env, payload, "CT205", steps)
    yield from _every_job_ends(env, known={job_id} if job_id else set())
    if status is None:
        return
    data = status.data
    if data.get("status") != "COMPLETED":
        yield env.problem(status, f"expected the job to complete, received status {data.get('status')!r}", steps=steps)
    sent = {r["ExternalId"] for r in payload["records"]}
    got = set(data.get("successes") or {})
    _remember_successes(env, status)
    if got != sent and env.guessed_data and lookup_misses_only(data.get("failures")):
        yield guessed_miss(env, status, f"records {sorted(sent - got)}", data.get("failures"), steps)
    elif got != sent:
        yield env.problem(
            status,
            f"expected successes for {sorted(sent)}, received {sorted(got)} (failures {data.get('failures')})",
            steps=steps,
        )
    yield from env.delete_created("CT205")


def _every_job_ends(env: ScenarioEnv, *, known: set[str]) -> Iterator[ScenarioProblem]:
    """Poll every job the run started until each is terminal; report the ones that are not, or are unknown."""
    pending = sorted(env.started_jobs() - known)
    deadline = time.monotonic() + env.job_timeout
    attempt = 0
    last: dict[str, Call] = {}
    while pending:
        still = []
        for job in pending:
            status = env.call(JOB_STATUS, path_parameters={"jobId": job}, check="CT205")
            body = status.body if isinstance(status.body, dict) else {}
            if body.get("result") is False:
                message = (
                    f"expected job {job} (whose ticket the tenant gave) to be known, received {body.get('message')!r}"
                )
                yield env.problem(status, message)
            elif (status.data or {}).get("status") not in TERMINAL_STATES:
                still.append(job)
                last[job] = status
        pending = still
        if not pending or time.monotonic() >= deadline or attempt + 1 >= env.max_polls:
            break
        time.sleep(min(env.poll_interval, 0.05 * 2**attempt))
        attempt += 1
    for job in pending:
        state = (last[job].data or {}).get("status")
        message = f"expected job {job} in a terminal state within {env.job_timeout:g} s, received {state!r}"
        yield env.problem(last[job], message)


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
    attempt = 0
    while True:
        status = env.call(JOB_STATUS, path_parameters={"jobId": job_id}, check=check, steps=steps[:1])
        state = status.data.get("status") if isinstance(status.data, dict) else None
        if state in TERMINAL_STATES:
            steps.append(status)
            return job_id, status
        if time.monotonic() >= deadline or attempt + 1 >= env.max_polls:
            steps.append(status)
            yield env.problem(
                status,
                f"expected job {job_id} in a terminal state within {env.job_timeout:g} s, received {state!r}",
                steps=steps,
            )
            return job_id, None
        # Quick at first (most jobs are done in a moment), backing off to the poll interval.
        time.sleep(min(env.poll_interval, 0.05 * 2**attempt))
        attempt += 1


@scenario_check(
    "CT206",
    name="abort-says-what-happened",
    api="timeline",
    operations={BULK_SAVE, ABORT, JOB_STATUS},
    needs=_abort_needs,
)
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
    kept = env.call(QUERY, body=query_body(key, ["Gsid"]), check="CT206", steps=early_steps)
    if returned_fields(kept):
        yield env.problem(kept, f"expected the aborted job's record {key!r} not saved, received it", steps=early_steps)
