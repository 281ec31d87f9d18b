"""The Events API (the supplied spec), served from the root: publish one, publish many, list types."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

from ... import lint
from ...gainsight.operations import EVENT_TYPES, EVENTS, EVENTS_BULK
from ...payload.kinds import Kind
from ...pointer import parse_pointer
from ..endpoint import Call, Operation
from ..failures import FailureList
from ..http import JSONResponse, data_body, error_response
from ..ids import new_uuid, now_ms
from ..rule_runner import context, errors, reject_envelope, rules_for
from ..schemas import schema_problem
from ..state import MockState

__all__ = ["OPERATIONS"]


def _problem(event: Any, state: MockState) -> Response | None:
    """The 400 an invalid single event answers: its first rule error (with the rule's code), else the schema's."""
    ctx = context(Kind.EVENT, None, event, state.tenant, state.profile)
    problems = errors(lint.check(event, rules_for(Kind.EVENT)[0], ctx))
    if problems:
        first = problems[0]
        where = f" (at {first.pointer})" if first.pointer else ""
        return error_response(400, f"{first.message}{where}", code=first.code)
    mismatch = schema_problem("events", "EventInput", event)
    return None if mismatch is None else error_response(400, mismatch)


async def publish(call: Call) -> Response:
    """Publish one event; an invalid event answers 400 with its rule's code, naming the field."""
    state, event = call.state, call.body
    event_id = new_uuid()

    def work() -> Response | None:
        problem = _problem(event, state)
        if problem is None:
            with state.store.write() as tx:
                tx.insert_events([(event_id, orjson.dumps(event))], now=now_ms())
        return problem

    problem = await state.run(work, inline=call.small)
    return problem or JSONResponse(data_body({"eventId": event_id}))


def _judge(body: Any, state: MockState) -> tuple[set[str], FailureList]:
    """The indexes (as text) of the events that fail, and their problems as the answer lists them."""
    records = body["records"]
    ctx = context(Kind.EVENTS_BULK, None, body, state.tenant, state.profile)
    failed: set[str] = set()
    failures = FailureList()
    for finding in errors(lint.check(body, rules_for(Kind.EVENTS_BULK)[0], ctx)):
        tokens = parse_pointer(finding.pointer or "")
        indexes = [tokens[1]] if len(tokens) >= 2 and tokens[0] == "records" else [str(i) for i in range(len(records))]
        problem = ({"errorCode": finding.code, "errorMessage": finding.message},)
        for index in indexes:
            failed.add(index)
            failures.add(index, problem)
    return failed, failures


async def publish_bulk(call: Call) -> Response:
    """Publish many events: ``successCount``/``failureCount`` and failures keyed by the record's index."""
    state, body = call.state, call.body

    def work() -> tuple[int, FailureList, int]:
        reject_envelope(body, Kind.EVENTS_BULK, identifier=None, tenant=state.tenant, profile=state.profile)
        failed, failures = _judge(body, state)
        accepted = [(new_uuid(), orjson.dumps(r)) for i, r in enumerate(body["records"]) if str(i) not in failed]
        with state.store.write() as tx:
            tx.insert_events(accepted, now=now_ms())
        return len(accepted), failures, len(failed)

    accepted, failures, failed = await state.run(work, inline=call.small)
    data = {"successCount": accepted, "failureCount": failed, "failures": failures.listed}
    answer = data_body(data)
    answer["message"] = failures.summary(failed)
    return JSONResponse(answer)


async def event_types(call: Call) -> Response:
    """The tenant's event types (``eventTypes`` of the tenant data)."""
    return JSONResponse(data_body([dict(t) for t in call.state.tenant.event_types]))


OPERATIONS = (
    Operation.serving(EVENTS, publish),
    Operation.serving(EVENTS_BULK, publish_bulk),
    Operation.serving(EVENT_TYPES, event_types),
)
